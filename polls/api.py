"""The phones' JSON API for joining an event (documented at /docs)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from core.api import Problem, ProblemResponse, body_schema, read_body, translated
from core.errors import UserError
from core.flood import FloodGuard
from polls.answers import normalise_answer
from polls.ballot_box import Ballot, BallotBox, PollClosed
from polls.participants import ParticipantService, Registration
from polls.service import PollService
from workshops.events import EventService
from workshops.joining import normalise_code

log = logging.getLogger(__name__)
VOTES_PER_DEVICE = 20  # answers (and changes) a phone may send …
FLOOD_WINDOW_SECONDS = 10  # … within this many seconds


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(max_length=64,
                           description="A random id the phone keeps (16–64 of A–Z, a–z, 0–9, - and _)")
    municipality: str | None = Field(default=None, max_length=4, description="Kommunenummer of an invited municipality")
    role: str = Field(default="", max_length=40, description="One of the event's roles, or empty")
    language: str = Field(default="nb", max_length=2, description="nb, nn or en")


class JoinAnswer(BaseModel):
    device_id: str
    municipality: str | None
    role: str
    language: str


class VoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(max_length=64, description="The id the phone joined with")
    client_vote_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                description="A fresh random id per answer; send the same id again when retrying")
    question_id: int
    answer: Any = Field(description="single: option index; multiple: list of option indexes; scale: 1–5; "
                                    "words: list of 1–3 words; text: a text of at most 500 characters")


class VoteAnswer(BaseModel):
    status: str = "received"
    client_vote_id: str
    answer: Any
    repeated: bool


def _answer(registration: Registration) -> JoinAnswer:
    return JoinAnswer(device_id=registration.device_id, municipality=registration.municipality,
                      role=registration.role, language=registration.language)


def participant_api(events: EventService, participants: ParticipantService, polls: PollService,
                    ballot_box: BallotBox) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["phones"])
    flood = FloodGuard(most=VOTES_PER_DEVICE, per_seconds=FLOOD_WINDOW_SECONDS)
    problems: dict[int | str, dict[str, Any]] = {
        status: {"model": Problem} for status in (400, 403, 404, 409, 413, 422, 429, 503)}

    @router.post("/events/{code}/devices", response_model=JoinAnswer, responses=problems,
                 openapi_extra=body_schema(JoinRequest))
    async def join(code: str, request: Request) -> JoinAnswer | JSONResponse:
        """Join the event (or change the municipality, role or language chosen). Anonymous."""
        _ = translated(request)
        event = events.by_join_code(normalise_code(code))
        if event is None:
            return JSONResponse({"detail": _("No event has this code. Check the code on the screen and try again.")},
                                status_code=404)
        try:
            body = await read_body(request, JoinRequest, _)
            return _answer(participants.join(event, device_id=body.device_id, municipality=body.municipality,
                                             role=body.role, language=body.language))
        except ProblemResponse as problem:
            return problem.response()
        except UserError as error:
            return JSONResponse({"detail": error.translated(_)}, status_code=422)

    @router.get("/events/{code}/devices/{device_id}", response_model=JoinAnswer, responses=problems)
    def registration(code: str, device_id: str, request: Request) -> JoinAnswer | JSONResponse:
        """What this phone chose when it joined, so a phone that comes back is remembered."""
        _ = translated(request)
        event = events.by_join_code(normalise_code(code))
        found = participants.registration(event.id or 0, device_id) if event else None
        if found is None:
            return JSONResponse({"detail": _("This phone has not joined the event yet.")}, status_code=404)
        return _answer(found)

    @router.get("/events/{code}/stream", responses={404: {"model": Problem}}, response_model=None,
                response_class=StreamingResponse)
    async def phone_stream(code: str, request: Request) -> StreamingResponse | JSONResponse:
        """Server-sent events: `state` with the poll on screen, now and at every change.

        Reconnect with the `Last-Event-ID` header (browsers' EventSource does it by itself) to be
        sent only what changed since."""
        event = events.by_join_code(normalise_code(code))
        if event is None:
            _ = translated(request)
            return JSONResponse({"detail": _("No event has this code. Check the code on the screen and try again.")},
                                status_code=404)
        return StreamingResponse(polls.broadcast.stream(event.id or 0, request.headers.get("last-event-id")),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @router.post("/polls/{poll_id}/votes", response_model=VoteAnswer, responses=problems,
                 openapi_extra=body_schema(VoteRequest))
    async def vote(poll_id: str, request: Request) -> JSONResponse:
        """Answer a question of an open poll; answering again changes the answer until the poll closes.

        "received" is said only once the answer is stored."""
        _ = translated(request)
        try:
            body = await read_body(request, VoteRequest, _)
            if not flood.allow(body.device_id):
                raise ProblemResponse(429, _("Too many answers from this phone. Wait a little and try again."))
            view = polls.open_view(int(poll_id)) if poll_id.isdigit() else None
            if view is None:
                raise ProblemResponse(409, _("The poll is closed. Your answer was not counted."))
            question = next((q for q in view.questions if q.id == body.question_id), None)
            if question is None:
                raise ProblemResponse(404, _("This question is not part of the poll."))
            if not participants.is_joined(view.poll.event_id, body.device_id):
                raise ProblemResponse(403, _("This phone has not joined the event yet."))
            answer = normalise_answer(question.kind, question.options, question.max_choices, body.answer)
            receipt = await ballot_box.cast(Ballot(view.poll.id or 0, body.question_id, body.device_id,
                                                   body.client_vote_id, answer))
        except ProblemResponse as problem:
            return problem.response()
        except PollClosed as closed:
            return JSONResponse({"detail": closed.translated(_)}, status_code=409)
        except UserError as error:
            return JSONResponse({"detail": error.translated(_)}, status_code=422)
        except Exception:  # storing failed: nothing was acknowledged, the phone retries with the same id
            log.exception("a vote could not be stored")
            return JSONResponse({"detail": _("The answer could not be stored just now. Please try again.")},
                                status_code=503)
        # A plain response: FastAPI would otherwise validate the answer again against the model.
        return JSONResponse(VoteAnswer(client_vote_id=receipt.client_vote_id, answer=receipt.answer,
                                       repeated=receipt.repeated).model_dump())

    return router
