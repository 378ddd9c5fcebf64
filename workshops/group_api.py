"""The phones' JSON API for group work: a municipality's shared choice (documented at /docs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from core.api import Problem, ProblemResponse, body_schema, read_body, request_language, translated
from core.errors import UserError
from core.flood import FloodGuard
from core.i18n import Translate
from events.api import event_by_code
from events.models import Event
from events.service import EventService
from polls.participants import ParticipantService, Registration
from workshops.group_work import (
    MEASURE_TEXT_LIMIT,
    ROLE_LIMIT,
    TEXT_LIMIT,
    ChoiceLocked,
    GroupDraft,
    GroupWorkService,
    StaleChoice,
)
from workshops.models import GroupChoice

WRITES_PER_DEVICE = 30  # saves a phone may send …
FLOOD_WINDOW_SECONDS = 10  # … within this many seconds


class ChoiceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=0, description="The version the change was made from (0: there was no choice yet)")
    action: str = Field(default="save", description="save, submit or reopen")
    focus_area_id: int | None = None
    measures: list[str] = Field(default_factory=list, max_length=20,
                                description="Measure ids, or the measures' own texts where the catalogue has none")
    reason: str = Field(default="", max_length=TEXT_LIMIT + 100)
    first_step: str = Field(default="", max_length=TEXT_LIMIT + 100)
    responsible_role: str = Field(default="", max_length=ROLE_LIMIT + 100)
    due_month: str = Field(default="", max_length=20, description="YYYY-MM")


class ChoiceAnswer(BaseModel):
    version: int
    status: str
    focus_area_id: int | None
    measures: list[str]
    reason: str
    first_step: str
    responsible_role: str
    due_month: str


class StaleAnswer(Problem):
    choice: ChoiceAnswer | None


def choice_answer(choice: GroupChoice | None) -> dict[str, Any] | None:
    if choice is None:
        return None
    return ChoiceAnswer(version=choice.version, status=choice.status, focus_area_id=choice.focus_area_id,
                        measures=list(choice.measures), reason=choice.reason, first_step=choice.first_step,
                        responsible_role=choice.responsible_role, due_month=choice.due_month).model_dump()


def group_api(events: EventService, participants: ParticipantService, groups: GroupWorkService) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["phones"])
    flood = FloodGuard(most=WRITES_PER_DEVICE, per_seconds=FLOOD_WINDOW_SECONDS)
    problems: dict[int | str, dict[str, Any]] = {
        status: {"model": Problem} for status in (400, 403, 404, 408, 413, 422, 423, 429)}

    def group_of(code: str, device_id: str, _: Translate) -> tuple[Event, Registration, str]:
        event = event_by_code(events, code, _)
        registration = participants.registration(event.id or 0, device_id)
        if registration is None:
            raise ProblemResponse(403, _("This phone has not joined the event yet."))
        if not registration.municipality:
            raise ProblemResponse(403, _("Choose your municipality first."))
        return event, registration, registration.municipality

    @router.get("/events/{code}/devices/{device_id}/group", responses=problems)
    def my_group(code: str, device_id: str, request: Request) -> JSONResponse:
        """The shared choice of this phone's municipality, with the focus areas to choose from."""
        _ = translated(request)
        language = request_language(request)
        try:
            event, _registration, municipality = group_of(code, device_id, _)
        except ProblemResponse as problem:
            return problem.response()
        catalogue = groups.catalogue(event.id or 0)
        found = events.municipality(municipality)
        return JSONResponse({
            "municipality": {"number": municipality, "name": found.name if found else municipality},
            "active": groups.is_live(event.id or 0),
            "locked": groups.is_locked(event.id or 0),
            "max_measures": catalogue.max_measures,
            "free_measures": catalogue.free_measures,
            "limits": {"text": TEXT_LIMIT, "role": ROLE_LIMIT, "measure": MEASURE_TEXT_LIMIT},
            "areas": [{
                "id": view.area.id,
                "name": getattr(view.area, f"name_{language}"),
                "description": getattr(view.area, f"description_{language}"),
                "measures": [{"id": str(m.id), "name": getattr(m, f"name_{language}")} for m in view.measures],
            } for view in catalogue.areas],
            "choice": choice_answer(groups.choice(event.id or 0, municipality)),
        })

    def write(event_id: int, municipality: str, draft: GroupDraft, version: int, action: str,
              _: Translate) -> GroupChoice:
        if not groups.is_live(event_id):
            raise ProblemResponse(423, _("The group work has not started, or it is over."))
        return groups.save(event_id, municipality, draft, version=version, action=action)

    @router.put("/events/{code}/devices/{device_id}/group", responses={**problems, 409: {"model": StaleAnswer}},
                openapi_extra=body_schema(ChoiceRequest))
    async def write_my_group(code: str, device_id: str, request: Request) -> JSONResponse:
        """Save, submit or reopen the municipality's choice, made from `version`.

        A change made from an older version is refused with 409 and the current choice."""
        _ = translated(request)
        try:
            # the database work (the agenda, the choice, a disk sync) in worker threads, not on the event loop
            event, _registration, municipality = await run_in_threadpool(group_of, code, device_id, _)
            if not flood.allow(device_id):
                raise ProblemResponse(429, _("Too many changes from this phone. Wait a little and try again."))
            body = await read_body(request, ChoiceRequest, _)
            draft = GroupDraft(body.focus_area_id, tuple(body.measures), body.reason, body.first_step,
                               body.responsible_role, body.due_month)
            saved = await run_in_threadpool(write, event.id or 0, municipality, draft, body.version, body.action, _)
        except ProblemResponse as problem:
            return problem.response()
        except StaleChoice as stale:
            return JSONResponse({"detail": stale.translated(_), "choice": choice_answer(stale.current)},
                                status_code=409)
        except ChoiceLocked as locked:
            return JSONResponse({"detail": locked.translated(_)}, status_code=423)
        except UserError as error:
            return JSONResponse({"detail": error.translated(_)}, status_code=422)
        return JSONResponse(choice_answer(saved))

    return router
