"""The phones' JSON API for events (documented at /docs)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from core.api import Problem, ProblemResponse
from core.i18n import LANGUAGES, Translate, format_long_date, normalise_language, translator
from events.joining import normalise_code
from events.labels import PARTICIPANT_ROLE_LABELS
from events.models import Event
from events.service import EventService


def event_by_code(events: EventService, code: str, _: Translate) -> Event:
    """The event of a join code as people type it, or a ProblemResponse (404) that says so."""
    event = events.by_join_code(normalise_code(code))
    if event is None:
        raise ProblemResponse(404, _("No event has this code. Check the code on the screen and try again."))
    return event


class Choice(BaseModel):
    value: str
    label: str


class MunicipalityChoice(Choice):
    parallel: list[str] = []  # the Sami and Kven names beside the Norwegian label: the search finds them too


class EventForPhone(BaseModel):
    code: str
    title: str
    date: str
    venue: str
    municipalities: list[MunicipalityChoice]
    roles: list[Choice]
    texts: dict[str, str]  # the page's texts too: one answer makes the page usable


def phone_texts(language: str) -> dict[str, str]:
    _ = translator(language)
    return {
        "page_title": _("Join the meeting"),
        "enter_code": _("Type the code shown on the screen"),
        "join": _("Join"),
        "code_missing": _("Type the code first."),
        "waiting": _("Keep this page open. The questions appear here when the facilitators open them."),
        "language": _("Language"),
        "welcome": _("Welcome"),
        "offline": _("No connection right now. The page tries again by itself."),
        "connection_lost": _("Lost the connection – trying again …"),
        "answer_queued": _("Kept on this phone. It is sent by itself when the connection is back."),
        "municipality_question": _("Which municipality are you from?"),
        "search": _("Search by name or number"),
        "no_match": _("No municipality matches."),
        "role_question": _("Your role (you may leave it out)"),
        "no_role": _("No role given"),
        "municipality_missing": _("Choose your municipality first."),
        "joined_for": _("You take part for {municipality}."),
        "change": _("Change"),
        "not_municipality": _("Not a municipality (host, county)"),
        "joined_as_host": _("You take part as a host or from the county. Your answers count for the whole room."),
        "poll_closed": _("Thank you. This poll is closed."),
        "poll_closed_none": _("This poll is closed."),
        "poll_closed_unsent": _("The poll closed before these answers were sent, so they were not counted: "
                                "{questions}"),
        "send": _("Send my answer"),
        "send_all": _("Send my answers"),
        "state_unsent": _("Not sent"),
        "state_received": _("Received"),
        "state_changed": _("Changed, not sent"),
        "received": _("Your answer is received. You can change it until the poll closes."),
        "all_received": _("Your answers are received. You can change them until the poll closes."),
        "unsent_count": _("Not sent yet: {count}. Press the send button."),
        "nothing_chosen": _("Choose an answer first."),
        "saved_as": _("Saved as: {words}"),
        "sending": _("Sending …"),
        "not_sent": _("The answer was not sent. Check the connection and try again."),
        "choose_max": _("Choose up to {count}."),
        "choose_max_reached": _("You have chosen {count}, the most you can. Untick one to choose another."),
        "to_group": _("Go to the group work"),
        "to_poll": _("Go to the poll: {title}"),
        "characters_left": _("{count} characters left"),
        "word": _("Word {number}"),
        "group_heading": _("Group work: {municipality}"),
        "group_area": _("Which focus area does your municipality choose?"),
        "group_measures": _("The measures you will work on (up to {count})"),
        "group_area_first": _("Choose a focus area first."),
        "group_own_measure": _("Measure {number}"),
        "group_reason": _("Why this focus area?"),
        "group_first_step": _("The first concrete step"),
        "group_responsible": _("Who is responsible (a role, not a name)"),
        "group_due": _("By when (year and month)"),
        "group_save": _("Save the draft"),
        "group_submit": _("Submit our choice"),
        "group_reopen": _("Reopen to change it"),
        "group_saved": _("Saved. Everyone in your group sees it."),
        "group_submitted": _("Submitted. You can reopen it until the facilitators lock the choices."),
        "group_locked": _("The facilitators have locked the choices. Thank you!"),
        "group_changed": _("Someone in your group saved changes. Save yours to see whether they collide."),
        "group_theirs": _("What someone else in your group saved here:"),
        "group_use_theirs": _("Use their text instead of mine"),
        "group_locked_draft": _("The facilitators have locked the choices. Your draft was not submitted: "
                                "the facilitators decide whether it counts, or ask you to finish it."),
        "group_asked": _("The facilitators ask your group to finish its choice and submit it."),
        "group_earlier": _("At {meeting} ({day}) your municipality chose:"),
        "group_earlier_step": _("Your first step then: {step}"),
        "group_step_status": _("How far has that first step come?"),
        "group_step_note": _("What happened, in a few words"),
        "step_not_started": _("Not started"),
        "step_begun": _("Begun"),
        "step_done": _("Done"),
        "step_dropped": _("Dropped"),
    }


def event_api(events: EventService) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["phones"])

    @router.get("/texts/{lang}")
    def texts_for_phone(lang: str) -> dict[str, str]:
        """The phone page's texts in `lang` (nb, nn or en; anything else gives bokmål)."""
        return phone_texts(normalise_language(lang if lang in LANGUAGES else None))

    @router.get("/events/{code}", response_model=EventForPhone, responses={404: {"model": Problem}})
    def event_for_phone(code: str, lang: str = "nb") -> EventForPhone | JSONResponse:
        """The event a join code belongs to, with its labels and the phone page's texts in `lang` (nb, nn or en)."""
        language = normalise_language(lang if lang in LANGUAGES else None)
        _ = translator(language)
        try:
            event = event_by_code(events, code, _)
        except ProblemResponse as problem:
            return problem.response()
        invited = events.invited_numbers(event.id or 0)
        municipalities = [MunicipalityChoice(value=m.number, label=m.name, parallel=m.parallel_names) for m in
                          sorted((m for m in events.municipalities() if m.number in invited), key=lambda m: m.name)]
        roles = [Choice(value=role, label=_(PARTICIPANT_ROLE_LABELS[role])) for role in event.participant_roles
                 if role in PARTICIPANT_ROLE_LABELS]
        return EventForPhone(code=event.join_code, title=event.title, venue=event.venue,
                             date=format_long_date(event.day, language), municipalities=municipalities, roles=roles,
                             texts=phone_texts(language))

    return router
