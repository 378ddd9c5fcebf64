"""The facilitators' preview of a municipality's summary before it is sent: the same page and files
the municipality gets through its private link, behind the sign-in."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from facilitator.language import _, current_language
from workshops.summaries import MunicipalitySummary, SummaryService
from workshops.summary_page import element, page, summary_file_response, summary_page_response


def summary_previews(summaries: SummaryService) -> APIRouter:
    """Plain functions as routes on purpose: FastAPI runs them in worker threads, off the event loop."""
    router = APIRouter(include_in_schema=False)

    def invited_summary(event_id: int, number: str) -> MunicipalitySummary | None:
        try:
            return summaries.summary(event_id, number)
        except LookupError:
            return None

    def not_invited() -> HTMLResponse:
        title = _("This municipality is not invited to the event.")
        return HTMLResponse(page(current_language(), title, element("h1", title)), status_code=404)

    @router.get("/events/{event_id}/summaries/{number}")
    def preview_page(event_id: int, number: str) -> Response:
        summary = invited_summary(event_id, number)
        if summary is None:
            return not_invited()
        return summary_page_response(summary, f"/events/{event_id}/summaries/{number}")

    @router.get("/events/{event_id}/summaries/{number}/{extension}")
    def preview_file(event_id: int, number: str, extension: str) -> Response:
        summary = invited_summary(event_id, number)
        if summary is None:
            return not_invited()
        return summary_file_response(summary, extension)

    return router
