"""Answering a poll: the request a whole room sends within a few seconds, served without FastAPI.

When thousands of phones answer at once, every vote's CPU time is time the next phone waits for
"received". FastAPI's middleware, routing and request handling cost about as much as the vote
itself, so this one route is a plain ASGI app in front of the phones' FastAPI app. Its OpenAPI
entry is added to that app's schema from the same models, so `/docs` still describes it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import JsonDict
from starlette.types import ASGIApp, Receive, Scope, Send

from core.api import (
    DEVICE_ID_SCHEMA,
    MAX_BODY_BYTES,
    Problem,
    ProblemResponse,
    WholeNumber,
    body_schema,
    choose_language,
    parse_body,
)
from core.errors import UserError
from core.flood import FloodGuard
from core.i18n import Translate, translator
from core.limits import REQUEST_BODY_SECONDS
from core.text import SAFE_TEXT_PATTERN
from polls.answers import MAX_TEXT_LENGTH, normalise_answer
from polls.ballot_box import Ballot, BallotBox, NotJoined, PollClosed
from polls.participants import ParticipantService
from polls.service import PollService

log = logging.getLogger(__name__)
VOTE_PATH = "/api/polls/{poll_id}/votes"
_VOTE_PATH_PATTERN = re.compile(r"/api/polls/([^/]*)/votes")
_POLL_ID = re.compile(r"[0-9]{1,9}")
VOTES_PER_DEVICE = 20  # answers (and changes) a phone may send …
FLOOD_WINDOW_SECONDS = 10  # … within this many seconds
_PROBLEM_STATUSES = (400, 403, 404, 405, 408, 409, 413, 422, 429, 503)
# The shapes an answer can have; which one a question takes is its kind (`normalise_answer` checks it).
ANSWER_SCHEMA: JsonDict = {"anyOf": [
    {"type": "integer", "minimum": 0, "description": "single: the option's index; scale: 1–5"},
    {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0},
     "description": "multiple: the options' indexes"},
    {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": SAFE_TEXT_PATTERN},
     "description": "words: one to three words"},
    {"type": "string", "maxLength": MAX_TEXT_LENGTH, "pattern": SAFE_TEXT_PATTERN, "description": "text"},
]}


class VoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # no 1 for true, "1" for 1 or false for 0

    device_id: str = Field(max_length=64, json_schema_extra=DEVICE_ID_SCHEMA,
                           description="The id the phone joined with")
    client_vote_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                description="A fresh random id per answer; send the same id again when retrying")
    question_id: WholeNumber = Field(description="A question of the poll on screen")
    answer: Any = Field(json_schema_extra=ANSWER_SCHEMA,
                        description="single: option index; multiple: list of option indexes; scale: 1–5; "
                                    "words: list of 1–3 words; text: a text of at most 500 characters")


class VoteAnswer(BaseModel):
    status: str = "received"
    client_vote_id: str
    answer: Any
    repeated: bool


class VoteDesk:
    """Checks an answer and puts it in the ballot box; says what to answer the phone."""

    def __init__(self, participants: ParticipantService, polls: PollService, ballot_box: BallotBox) -> None:
        self._participants = participants
        self._polls = polls
        self._ballot_box = ballot_box
        self._flood = FloodGuard(most=VOTES_PER_DEVICE, per_seconds=FLOOD_WINDOW_SECONDS)

    async def take(self, poll_id: str, body: bytes, _: Translate) -> tuple[int, dict[str, Any]]:
        """The status and JSON for the phone; 200 only once the answer is stored."""
        try:
            vote = parse_body(body, VoteRequest, _)
            if not self._flood.allow(vote.device_id):
                raise ProblemResponse(429, _("Too many answers from this phone. Wait a little and try again."))
            view = self._polls.open_view(int(poll_id)) if _POLL_ID.fullmatch(poll_id) else None
            if view is None:
                before = (await asyncio.to_thread(self._ballot_box.received_before, Ballot(
                    int(poll_id), vote.question_id, vote.device_id, vote.client_vote_id, vote.answer))
                          if _POLL_ID.fullmatch(poll_id) else None)
                if before is None:
                    raise ProblemResponse(409, _("The poll is closed. Your answer was not counted."))
                return 200, VoteAnswer(client_vote_id=before.client_vote_id, answer=before.answer,
                                       repeated=True).model_dump()
            question = next((q for q in view.questions if q.id == vote.question_id), None)
            if question is None:
                raise ProblemResponse(404, _("This question is not part of the poll."))
            if not self._participants.is_joined(view.poll.event_id, vote.device_id):
                raise ProblemResponse(403, _("This phone has not joined the event yet."))
            answer = normalise_answer(question.kind, question.options, question.max_choices, vote.answer)
            receipt = await self._ballot_box.cast(Ballot(view.poll.id or 0, vote.question_id, vote.device_id,
                                                         vote.client_vote_id, answer), event_id=view.poll.event_id)
        except ProblemResponse as problem:
            return problem.status, {"detail": problem.detail}
        except PollClosed as closed:
            return 409, {"detail": closed.translated(_)}
        except NotJoined as discarded:
            return 403, {"detail": discarded.translated(_)}
        except UserError as error:
            return 422, {"detail": error.translated(_)}
        except Exception:  # storing failed: nothing was acknowledged, the phone retries with the same id
            log.exception("a vote could not be stored")
            return 503, {"detail": _("The answer could not be stored just now. Please try again.")}
        return 200, VoteAnswer(client_vote_id=receipt.client_vote_id, answer=receipt.answer,
                               repeated=receipt.repeated).model_dump()


class VoteRoute:
    """Serves `POST /api/polls/{poll_id}/votes` itself and sends every other request on to `rest`."""

    def __init__(self, desk: VoteDesk, rest: ASGIApp) -> None:
        self._desk = desk
        self._rest = rest

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _VOTE_PATH_PATTERN.fullmatch(scope["path"]) if scope["type"] == "http" else None
        if found is None:
            await self._rest(scope, receive, send)
            return
        _ = translator(_language(scope))
        if scope["method"] != "POST":
            await _send_json(send, 405, {"detail": _("Answers are sent with POST.")}, allow=b"POST")
            return
        try:
            async with asyncio.timeout(REQUEST_BODY_SECONDS):
                body = await _read_body(receive)
        except _HungUp:
            return
        except TimeoutError:
            await _send_json(send, 408, {"detail": _("The request took too long to arrive. Please try again.")})
            return
        if body is None:
            await _send_json(send, 413, {"detail": _("The request is too large.")})
            return
        status, content = await self._desk.take(found.group(1), body, _)
        await _send_json(send, status, content)


def _language(scope: Scope) -> str:
    asked = parse_qs(scope["query_string"].decode("latin-1")).get("lang", [None])[0]
    accept = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"accept-language"), "")
    return choose_language(asked, accept)


class _HungUp(Exception):
    """The phone hung up before its whole answer came."""


async def _read_body(receive: Receive) -> bytes | None:
    """The request's body, or None once it is larger than the API takes (the rest is not read)."""
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _HungUp
        body += message.get("body", b"")
        if len(body) > MAX_BODY_BYTES:
            return None
        if not message.get("more_body", False):
            return body


async def _send_json(send: Send, status: int, content: dict[str, Any], allow: bytes | None = None) -> None:
    payload = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if allow is not None:
        headers.append((b"allow", allow))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def document_vote_route(app: FastAPI) -> None:
    """Add the vote route to `app`'s OpenAPI schema (FastAPI only describes its own routes)."""
    describe_own_routes = app.openapi

    def openapi() -> dict[str, Any]:
        schema = describe_own_routes()
        schema["paths"][VOTE_PATH] = {"post": {
            "tags": ["phones"],
            "summary": "Vote",
            "description": "Answer a question of an open poll; answering again changes the answer until the poll "
                           "closes.\n\n\"received\" is said only once the answer is stored.",
            "operationId": "vote",
            "parameters": [{"name": "poll_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}],
            **body_schema(VoteRequest),
            "responses": {
                "200": {"description": "Stored", "content": {"application/json": {
                    "schema": VoteAnswer.model_json_schema()}}},
                **{str(status): {"description": "Not stored; `detail` says why, in the phone's language",
                                 "content": {"application/json": {"schema": Problem.model_json_schema()}}}
                   for status in _PROBLEM_STATUSES},
            },
        }}
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
