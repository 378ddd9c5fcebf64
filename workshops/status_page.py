"""The private link's page: a municipality reports its status before a meeting.

Plain HTML from the server with an ordinary form (no script, no account), like the summary's page: it
works on any phone and with a screen reader. Every text from the database or the form is escaped.
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse

from core.errors import UserError
from core.i18n import LANGUAGE_NAMES, LANGUAGES, N_, Translate, format_date_and_clock, format_long_date, translator
from workshops.group_work import STEP_NOTE_LIMIT, STEP_STATUSES, TEXT_LIMIT, GroupDraft
from workshops.history import STEP_STATUS_LABELS
from workshops.status_links import LinkUnavailable, StatusForm, StatusLinks
from workshops.summary_page import element, page

FORM_CSS = """
fieldset { border: 1px solid #767676; border-radius: 6px; margin: 1rem 0; padding: 0.5rem 1rem; }
legend { font-weight: 600; }
label { display: block; margin: 0.6rem 0 0.2rem; }
fieldset label { display: flex; gap: 0.5rem; align-items: center; min-height: 44px; margin: 0; }
input[type=text], textarea { box-sizing: border-box; width: 100%; font: inherit; padding: 0.5rem;
  border: 1px solid #767676; border-radius: 4px; }
input[type=radio], input[type=checkbox] { width: 1.4rem; height: 1.4rem; }
button { font: inherit; min-height: 48px; padding: 0.5rem 1.5rem; background: #0b4a8b; color: #fff; border: 0;
  border-radius: 6px; margin-top: 1rem; }
.notice { padding: 0.75rem 1rem; border-radius: 6px; background: #e6f2e6; border: 1px solid #2e7d32; }
.problem { padding: 0.75rem 1rem; border-radius: 6px; background: #fdecea; border: 1px solid #b3261e; }
"""
GONE = {
    "unknown": N_("This link is not known. Check that the whole address was copied, or ask the hosts of the "
                  "meeting for a new link."),
    "withdrawn": N_("This link has been withdrawn, or a newer one has been sent. Ask the hosts of the meeting "
                    "for a new link if you need one."),
    "expired": N_("The meeting this link was for is over, so the link no longer works. Ask the hosts of the "
                  "meeting if something must be corrected."),
}
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def status_pages(links: StatusLinks, zone: tzinfo) -> APIRouter:
    """The link's page (GET) and its form (POST). Plain functions: FastAPI runs them in worker threads."""
    router = APIRouter(include_in_schema=False)

    @router.get("/status/{token}")
    def status_web_page(token: str, lang: str = "") -> HTMLResponse:
        try:
            return _form_page(links.form(token), token, lang, zone)
        except LinkUnavailable as gone:
            return _gone_page(gone, lang)

    @router.post("/status/{token}")
    def status_report(token: str, version: Annotated[str, Form()] = "0",
                      focus_area_id: Annotated[str, Form()] = "",
                      measures: Annotated[list[str] | None, Form()] = None,
                      reason: Annotated[str, Form()] = "",
                      first_step: Annotated[str, Form()] = "",
                      responsible_role: Annotated[str, Form()] = "",
                      due_month: Annotated[str, Form()] = "",
                      step_status: Annotated[str | None, Form()] = None,
                      step_note: Annotated[str | None, Form()] = None,
                      lang: str = "") -> HTMLResponse:
        draft = GroupDraft(int(focus_area_id) if focus_area_id.isdigit() else None,
                           tuple(m for m in measures or [] if m.strip()), reason, first_step, responsible_role,
                           due_month, step_status, step_note)
        try:
            links.report(token, draft, int(version) if version.isdigit() else -1)
        except LinkUnavailable as gone:
            return _gone_page(gone, lang)
        except UserError as problem:
            form = links.form(token)
            _ = translator(_language(form, lang))
            return _form_page(form, token, lang, zone, problem=problem.translated(_), typed=draft, status_code=422)
        return _form_page(links.form(token), token, lang, zone, saved=True)

    return router


def _language(form: StatusForm, lang: str) -> str:
    return lang if lang in LANGUAGES else form.language


def _gone_page(gone: LinkUnavailable, lang: str) -> HTMLResponse:
    language = lang if lang in LANGUAGES else gone.language
    _ = translator(language)
    title = _("This link can no longer be used.")
    body = element("h1", title) + element("p", _(GONE[gone.reason]))
    return HTMLResponse(page(language, title, body), status_code=404 if gone.reason == "unknown" else 410,
                        headers=HEADERS)


def _form_page(form: StatusForm, token: str, lang: str, zone: tzinfo, *, saved: bool = False, problem: str = "",
               typed: GroupDraft | None = None, status_code: int = 200) -> HTMLResponse:
    language = _language(form, lang)
    _ = translator(language)
    values = typed or GroupDraft.of(form.choice)
    title = _("Status before the meeting: {municipality}").format(municipality=form.municipality.name)
    parts = [element("h1", title),
             element("p", f"{form.event.title}, {format_long_date(form.event.day, language)}"),
             _language_links(token, language),
             element("p", _("Report how far your municipality has come since the last meeting. What you send "
                            "here is your group's starting point at the meeting; you can change it until then."))]
    if saved:
        parts.append(element("p", _("Thank you! Your report is saved. The hosts see it at the meeting."),
                             ' class="notice" role="status"'))
    if problem:
        parts.append(element("p", problem, ' class="problem" role="alert"'))
    if form.link.reported_at is not None and not saved:
        parts.append(element("p", _("Last reported: {when}").format(
            when=format_date_and_clock(form.link.reported_at.astimezone(zone), language))))
    suffix = f"?lang={language}" if lang in LANGUAGES else ""
    parts.append(f'<form method="post" action="/status/{escape(token)}{suffix}">'
                 f'<input type="hidden" name="version" value="{form.choice.version if form.choice else 0}">')
    if form.earlier is not None:
        parts.append(_earlier_part(form, values, _, language))
    parts.append(_choice_part(form, values, _, language))
    parts.append(element("button", _("Send the report"), ' type="submit"') + "</form>")
    return HTMLResponse(page(language, title, "".join(parts)).replace("</style>", FORM_CSS + "</style>"),
                        status_code=status_code, headers=HEADERS)


def _language_links(token: str, current: str) -> str:
    links = [element("a", name, f' href="/status/{escape(token)}?lang={code}" lang="{code}"')
             for code, name in LANGUAGE_NAMES.items() if code != current]
    return "<p>" + " · ".join(links) + "</p>"


def _earlier_part(form: StatusForm, values: GroupDraft, _: Translate, language: str) -> str:
    earlier = form.earlier
    assert earlier is not None
    area = getattr(earlier.area, f"name_{language}") if earlier.area is not None else "–"
    parts = [element("p", _("At {meeting} ({day}) your municipality chose:").format(
                meeting=earlier.meeting_title, day=format_long_date(earlier.meeting_day, language))),
             element("p", area, ' class="facts"'),
             element("p", _("Your first step then: {step}").format(step=earlier.choice.first_step or "–")),
             "<fieldset>" + element("legend", _("How far has that first step come?"))]
    for status in STEP_STATUSES:
        checked = " checked" if values.step_status == status else ""
        parts.append(f'<label><input type="radio" name="step_status" value="{status}"{checked}>'
                     f"{escape(_(STEP_STATUS_LABELS[status]))}</label>")
    parts.append("</fieldset>")
    parts.append(_text_field("step_note", _("What happened, in a few words"), values.step_note or "",
                             STEP_NOTE_LIMIT))
    return "".join(parts)


def _choice_part(form: StatusForm, values: GroupDraft, _: Translate, language: str) -> str:
    catalogue = form.catalogue
    parts = ["<fieldset>" + element("legend", _("Which focus area does your municipality choose?"))]
    for view in catalogue.areas:
        checked = " checked" if view.area.id == values.focus_area_id else ""
        parts.append(f'<label><input type="radio" name="focus_area_id" value="{view.area.id}"{checked}>'
                     f'{escape(getattr(view.area, f"name_{language}"))}</label>')
    parts.append("</fieldset>")
    legend = _("The measures you will work on (up to {count})").format(count=catalogue.max_measures)
    if catalogue.free_measures:
        parts.append("<fieldset>" + element("legend", legend))
        own = list(values.measures) + [""] * catalogue.max_measures
        for number in range(catalogue.max_measures):
            parts.append(_text_field("measures", _("Measure {number}").format(number=number + 1), own[number],
                                     200, multiline=False, field_id=f"measure-{number}"))
        parts.append("</fieldset>")
    else:
        for view in catalogue.areas:
            parts.append("<fieldset>" + element("legend", f"{legend}: {getattr(view.area, f'name_{language}')}"))
            for measure in view.measures:
                checked = " checked" if str(measure.id) in values.measures else ""
                parts.append(f'<label><input type="checkbox" name="measures" value="{measure.id}"{checked}>'
                             f'{escape(getattr(measure, f"name_{language}"))}</label>')
            parts.append("</fieldset>")
    parts.append(_text_field("reason", _("Why this focus area?"), values.reason, TEXT_LIMIT))
    parts.append(_text_field("first_step", _("The first concrete step"), values.first_step, TEXT_LIMIT))
    parts.append(_text_field("responsible_role", _("Who is responsible (a role, not a name)"),
                             values.responsible_role, 100, multiline=False))
    parts.append(_text_field("due_month", _("By when (year and month)"), values.due_month, 7, multiline=False))
    return "".join(parts)


def _text_field(name: str, label: str, value: str, limit: int, *, multiline: bool = True,
                field_id: str = "") -> str:
    field_id = field_id or name.replace("_", "-")
    label_html = element("label", label, f' for="{field_id}"')
    if multiline:
        return label_html + (f'<textarea id="{field_id}" name="{name}" rows="3" maxlength="{limit}">'
                             f"{escape(value)}</textarea>")
    return label_html + f'<input type="text" id="{field_id}" name="{name}" maxlength="{limit}" value="{escape(value)}">'
