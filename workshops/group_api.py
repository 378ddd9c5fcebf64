"""The phones' JSON API for group work: a municipality's shared choice (documented at /docs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from core.api import Problem, ProblemResponse, WholeNumber, read_body, request_language, translated
from core.errors import UserError
from core.flood import FloodGuard
from core.i18n import Translate
from core.text import SAFE_TEXT_PATTERN
from events.api import event_by_code
from events.models import Event
from events.service import EventService
from polls.participants import ParticipantService, Registration
from workshops.group_work import (
    ACTIONS,
    MEASURE_TEXT_LIMIT,
    ROLE_LIMIT,
    STEP_NOTE_LIMIT,
    STEP_STATUSES,
    TEXT_LIMIT,
    ChoiceConflict,
    ChoiceLocked,
    GroupDraft,
    GroupWorkService,
    StaleChoice,
)
from workshops.group_work import EarlierChoice as EarlierChoiceRow
from workshops.models import GroupChoice

WRITES_PER_DEVICE = 30  # saves a phone may send …
FLOOD_WINDOW_SECONDS = 10  # … within this many seconds
MAX_CHOICE_BYTES = 16384  # a choice with every text at its longest, twice (the change and its base)


def text(most: int) -> dict[str, Any]:
    """The schema of a text the service checks (at most `most` characters once trimmed)."""
    return {"maxLength": most, "pattern": SAFE_TEXT_PATTERN}


def needs_area(condition: dict[str, Any]) -> dict[str, Any]:
    """A request that meets `condition` names a focus area."""
    return {"if": condition,
            "then": {"required": ["focus_area_id"], "properties": {"focus_area_id": {"type": "integer"}}}}


class ChoiceBase(BaseModel):
    """The choice's values as the phone had them when its person started writing (compared, never stored)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    focus_area_id: WholeNumber | None = None
    measures: list[str] = Field(default_factory=list, max_length=20,
                                json_schema_extra={"items": {"type": "string", "pattern": SAFE_TEXT_PATTERN}})
    reason: str = Field(default="", max_length=TEXT_LIMIT + 100, json_schema_extra={"pattern": SAFE_TEXT_PATTERN})
    first_step: str = Field(default="", max_length=TEXT_LIMIT + 100, json_schema_extra={"pattern": SAFE_TEXT_PATTERN})
    responsible_role: str = Field(default="", max_length=ROLE_LIMIT + 100,
                                  json_schema_extra={"pattern": SAFE_TEXT_PATTERN})
    due_month: str = Field(default="", max_length=20, json_schema_extra={"pattern": SAFE_TEXT_PATTERN})
    step_status: str | None = Field(default=None, max_length=20, json_schema_extra={"pattern": SAFE_TEXT_PATTERN})
    step_note: str | None = Field(default=None, max_length=STEP_NOTE_LIMIT + 100,
                                  json_schema_extra={"pattern": SAFE_TEXT_PATTERN})

    def draft(self) -> GroupDraft:
        return GroupDraft(self.focus_area_id, tuple(self.measures), self.reason, self.first_step,
                          self.responsible_role, self.due_month, self.step_status, self.step_note)


class ChoiceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"allOf": [  # strict: no 1 for true
        needs_area({"required": ["measures"], "properties": {"measures": {"minItems": 1}}}),
        needs_area({"required": ["action"], "properties": {"action": {"const": "submit"}}}),
    ]})

    # What the service refuses with its own message is documented here, not checked twice.
    version: WholeNumber = Field(ge=0, description="The version the change was made from (0: there was no choice yet)")
    action: str = Field(default="save", json_schema_extra={"enum": list(ACTIONS)}, description="save, submit or reopen")
    focus_area_id: WholeNumber | None = Field(default=None, description="One of the `areas` the group's form lists")
    measures: list[str] = Field(default_factory=list, max_length=20,
                                json_schema_extra={"items": {"type": "string", **text(MEASURE_TEXT_LIMIT)}},
                                description="Measure ids, or the measures' own texts where the catalogue has none")
    reason: str = Field(default="", max_length=TEXT_LIMIT + 100, json_schema_extra=text(TEXT_LIMIT))
    first_step: str = Field(default="", max_length=TEXT_LIMIT + 100, json_schema_extra=text(TEXT_LIMIT))
    responsible_role: str = Field(default="", max_length=ROLE_LIMIT + 100, json_schema_extra=text(ROLE_LIMIT))
    due_month: str = Field(default="", max_length=20, json_schema_extra={"pattern": r"^(\d{4}-(0[1-9]|1[0-2]))?$"},
                           description="YYYY-MM, or empty")
    step_status: str | None = Field(default=None, json_schema_extra={"enum": ["", *STEP_STATUSES, None]},
                                    description="How far the first step chosen at the network's last meeting has "
                                                "come; left out: as it is")
    step_note: str | None = Field(default=None, max_length=STEP_NOTE_LIMIT + 100,
                                  json_schema_extra=text(STEP_NOTE_LIMIT),
                                  description="What happened with that step, in a few words; left out: as it is")
    base: ChoiceBase | None = Field(default=None, description=(
        "The values the change was made from. With them, a change made from an older version is merged "
        "where others changed other fields, and refused with 409 and `conflicts` where they changed the same"))


class ChoiceAnswer(BaseModel):
    version: int
    status: str
    focus_area_id: int | None
    measures: list[str]
    reason: str
    first_step: str
    responsible_role: str
    due_month: str
    step_status: str
    step_note: str


class EarlierChoice(BaseModel):
    """The group's last submitted choice at an earlier meeting of the learning network."""

    meeting: str
    day: str
    area: str
    measures: list[str]
    first_step: str
    responsible_role: str
    due_month: str


class StaleAnswer(Problem):
    choice: ChoiceAnswer | None
    conflicts: list[str] = Field(description="The fields both changed (`focus_area_id` with its measures); "
                                             "empty when the change had no base")


class Municipality(BaseModel):
    number: str
    name: str


class Limits(BaseModel):
    text: int
    role: int
    measure: int


class Measure(BaseModel):
    id: str
    name: str


class Area(BaseModel):
    id: int
    name: str
    description: str
    measures: list[Measure]


class GroupForm(BaseModel):
    municipality: Municipality
    active: bool
    locked: bool
    max_measures: int
    free_measures: bool
    limits: Limits
    areas: list[Area]
    choice: ChoiceAnswer | None
    earlier: EarlierChoice | None = None


def choice_request_schema() -> dict[str, object]:
    """The request's OpenAPI with its base written out in place (a `$defs` reference would not resolve there)."""
    schema = ChoiceRequest.model_json_schema()
    definitions = schema.pop("$defs")
    schema["properties"]["base"]["anyOf"] = [definitions["ChoiceBase"], {"type": "null"}]
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def choice_answer(choice: GroupChoice | None) -> dict[str, Any] | None:
    if choice is None:
        return None
    return ChoiceAnswer(version=choice.version, status=choice.status, focus_area_id=choice.focus_area_id,
                        measures=list(choice.measures), reason=choice.reason, first_step=choice.first_step,
                        responsible_role=choice.responsible_role, due_month=choice.due_month,
                        step_status=choice.step_status, step_note=choice.step_note).model_dump()


def earlier_answer(earlier: EarlierChoiceRow | None, language: str) -> dict[str, Any] | None:
    if earlier is None:
        return None
    measures = [getattr(m, f"name_{language}") for m in earlier.measures] or [
        m for m in earlier.choice.measures if not m.isdigit()]
    return EarlierChoice(
        meeting=earlier.meeting_title, day=earlier.meeting_day.isoformat(),
        area=getattr(earlier.area, f"name_{language}") if earlier.area is not None else "", measures=measures,
        first_step=earlier.choice.first_step, responsible_role=earlier.choice.responsible_role,
        due_month=earlier.choice.due_month).model_dump()


def group_api(events: EventService, participants: ParticipantService, groups: GroupWorkService) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["phones"])
    flood = FloodGuard(most=WRITES_PER_DEVICE, per_seconds=FLOOD_WINDOW_SECONDS)
    problems: dict[int | str, dict[str, Any]] = {
        status: {"model": Problem} for status in (400, 403, 404, 408, 413, 422, 423, 429)}
    stale: dict[int | str, dict[str, Any]] = {409: {"model": StaleAnswer}}

    def group_of(code: str, device_id: str, _: Translate) -> tuple[Event, Registration, str]:
        event = event_by_code(events, code, _)
        registration = participants.registration(event.id or 0, device_id)
        if registration is None:
            raise ProblemResponse(403, _("This phone has not joined the event yet."))
        if not registration.municipality:
            raise ProblemResponse(403, _("Choose your municipality first."))
        return event, registration, registration.municipality

    @router.get("/events/{code}/devices/{device_id}/group", response_model=GroupForm,
                responses={status: {"model": Problem} for status in (403, 404)})
    def my_group(code: str, device_id: str, request: Request) -> JSONResponse:
        """The shared choice of this phone's municipality, with the focus areas to choose from."""
        _ = translated(request)
        language = request_language(request)
        try:
            event, _registration, municipality = group_of(code, device_id, _)
        except ProblemResponse as problem:
            return problem.response()
        groups.start_from_earlier(event.id or 0, municipality)
        catalogue = groups.catalogue(event.id or 0)
        found = events.municipality(municipality)
        return JSONResponse({
            "municipality": {"number": municipality, "name": found.name if found else municipality},
            "active": groups.is_open_for(event.id or 0, municipality),
            "locked": groups.is_locked_for(event.id or 0, municipality),
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
            "earlier": earlier_answer(groups.earlier_choice(event.id or 0, municipality), language),
        })

    def write(event_id: int, municipality: str, body: ChoiceRequest, _: Translate) -> GroupChoice:
        if not groups.is_open_for(event_id, municipality):
            raise ProblemResponse(423, _("The group work has not started, or it is over."))
        draft = GroupDraft(body.focus_area_id, tuple(body.measures), body.reason, body.first_step,
                           body.responsible_role, body.due_month, body.step_status, body.step_note)
        return groups.save(event_id, municipality, draft, version=body.version, action=body.action,
                           base=body.base.draft() if body.base is not None else None)

    @router.put("/events/{code}/devices/{device_id}/group", response_model=ChoiceAnswer,
                responses={**problems, **stale}, openapi_extra=choice_request_schema())
    async def write_my_group(code: str, device_id: str, request: Request) -> JSONResponse:
        """Save, submit or reopen the municipality's choice, made from `version` (and its `base`).

        A change made from an older version is merged when it has a base and nobody changed the same
        fields since; otherwise it is refused with 409, the current choice and the fields in conflict."""
        _ = translated(request)
        try:
            # the database work (the agenda, the choice, a disk sync) in worker threads, not on the event loop
            event, _registration, municipality = await run_in_threadpool(group_of, code, device_id, _)
            if not flood.allow(device_id):
                raise ProblemResponse(429, _("Too many changes from this phone. Wait a little and try again."))
            body = await read_body(request, ChoiceRequest, _, MAX_CHOICE_BYTES)
            saved = await run_in_threadpool(write, event.id or 0, municipality, body, _)
        except ProblemResponse as problem:
            return problem.response()
        except StaleChoice as stale:
            return JSONResponse({"detail": stale.translated(_), "choice": choice_answer(stale.current),
                                 "conflicts": []}, status_code=409)
        except ChoiceConflict as conflict:
            return JSONResponse({"detail": conflict.translated(_), "choice": choice_answer(conflict.current),
                                 "conflicts": conflict.fields}, status_code=409)
        except ChoiceLocked as locked:
            return JSONResponse({"detail": locked.translated(_)}, status_code=423)
        except UserError as error:
            return JSONResponse({"detail": error.translated(_)}, status_code=422)
        return JSONResponse(choice_answer(saved))

    return router
