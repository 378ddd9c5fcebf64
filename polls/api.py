"""The phones' JSON API for joining an event (documented at /docs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from core.api import DEVICE_ID_SCHEMA, Problem, ProblemResponse, body_schema, read_body, translated
from core.errors import UserError
from core.i18n import LANGUAGES
from events.api import event_by_code
from events.joining import normalise_code
from events.labels import PARTICIPANT_ROLE_LABELS
from events.service import EventService
from polls.participants import JoiningClosed, ParticipantService, Registration
from polls.service import PollService


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # no 1 for true, "1" for 1 or false for 0

    # What the service refuses with its own message is documented here, not checked twice.
    device_id: str = Field(max_length=64, json_schema_extra=DEVICE_ID_SCHEMA,
                           description="A random id the phone keeps (16–64 of A–Z, a–z, 0–9, - and _)")
    municipality: str | None = Field(default=None, max_length=4, json_schema_extra={"pattern": "^[0-9]{4}$"},
                                     description="Kommunenummer of an invited municipality")
    role: str = Field(default="", max_length=40, json_schema_extra={"enum": ["", *PARTICIPANT_ROLE_LABELS]},
                      description="One of the event's roles, or empty")
    language: str = Field(default="nb", max_length=2, json_schema_extra={"enum": list(LANGUAGES)},
                          description="nb, nn or en")


LastEventId = Annotated[str | None, Header(alias="Last-Event-ID", description="The last id seen, when reconnecting")]


class StreamEvent(BaseModel):
    """One server-sent event: `state` with the state as JSON (`{"poll": …, "group_work": …}`), or `ping`
    with the seconds until the next ping while nothing changes."""

    event: str = Field(json_schema_extra={"enum": ["state", "ping"]})
    id: str = Field(default="", description="state only")
    data: str = Field(json_schema_extra={"contentMediaType": "application/json"})


class JoinAnswer(BaseModel):
    device_id: str
    municipality: str | None
    role: str
    language: str


def _answer(registration: Registration) -> JoinAnswer:
    return JoinAnswer(device_id=registration.device_id, municipality=registration.municipality,
                      role=registration.role, language=registration.language)


def participant_api(events: EventService, participants: ParticipantService, polls: PollService) -> APIRouter:
    """Joining and the event stream; answering a poll is `polls.vote_route`."""
    router = APIRouter(prefix="/api", tags=["phones"])
    problems: dict[int | str, dict[str, Any]] = {
        status: {"model": Problem} for status in (400, 404, 408, 413, 422)}
    state_answer = {"description": "The state now: `{\"poll\": …, \"group_work\": …}`",
                    "content": {"application/json": {"schema": {"type": "object"}}}}
    stream_answer = {"description": "The state now, and again at every change",
                     "content": {"text/event-stream": {"schema": StreamEvent.model_json_schema()}}}

    @router.post("/events/{code}/devices", response_model=JoinAnswer, responses={**problems, 403: {"model": Problem}},
                 openapi_extra=body_schema(JoinRequest))
    async def join(code: str, request: Request) -> JoinAnswer | JSONResponse:
        """Join the event (or change the municipality, role or language chosen). Anonymous.

        While the facilitators have closed joining, a new phone gets 403; a phone that joined may still
        change what it chose."""
        _ = translated(request)
        try:
            event = event_by_code(events, code, _)
            body = await read_body(request, JoinRequest, _)
            # the write and its disk sync in a worker thread: the loop keeps serving the room's streams and votes
            return _answer(await run_in_threadpool(participants.join, event, device_id=body.device_id,
                                                   municipality=body.municipality, role=body.role,
                                                   language=body.language))
        except ProblemResponse as problem:
            return problem.response()
        except JoiningClosed as closed:
            return JSONResponse({"detail": closed.translated(_)}, status_code=403)
        except UserError as error:
            return JSONResponse({"detail": error.translated(_)}, status_code=422)

    @router.get("/events/{code}/devices/{device_id}", response_model=JoinAnswer, responses={404: {"model": Problem}})
    def registration(code: str, device_id: str, request: Request) -> JoinAnswer | JSONResponse:
        """What this phone chose when it joined, so a phone that comes back is remembered."""
        _ = translated(request)
        event = events.by_join_code(normalise_code(code))
        found = participants.registration(event.id or 0, device_id) if event else None
        if found is None:
            return JSONResponse({"detail": _("This phone has not joined the event yet.")}, status_code=404)
        return _answer(found)

    @router.get("/events/{code}/stream", responses={200: stream_answer, 404: {"model": Problem}}, response_model=None,
                response_class=StreamingResponse)
    async def phone_stream(code: str, request: Request, last_event_id: LastEventId = None
                           ) -> StreamingResponse | JSONResponse:
        """Server-sent events: `state` with the poll on screen, now and at every change; `ping` while nothing
        changes (its data is the interval in seconds).

        Reconnect with the `Last-Event-ID` header (browsers' EventSource does it by itself) to be
        sent only what changed since."""
        try:
            event = event_by_code(events, code, translated(request))
        except ProblemResponse as problem:
            return problem.response()
        return StreamingResponse(polls.broadcast.stream(event.id or 0, last_event_id),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @router.get("/events/{code}/state", responses={200: state_answer, 404: {"model": Problem}}, response_model=None,
                response_class=Response)
    def phone_state(code: str, request: Request) -> Response:
        """The state the stream sends, once: for phones without server-sent events, which ask every few seconds."""
        try:
            event = event_by_code(events, code, translated(request))
        except ProblemResponse as problem:
            return problem.response()
        _version, data = polls.broadcast.current(event.id or 0)
        return Response(data, media_type="application/json", headers={"Cache-Control": "no-store"})

    return router
