"""The polls of an event in its set-up: make polls, attach them to agenda items, write their questions."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from agenda.service import AgendaService
from core.i18n import LANGUAGE_NAMES, N_
from facilitator.language import _
from facilitator.layout import attempt, dialog, heading, named
from polls.editing import PollEditor, PollSettings, QuestionDraft
from polls.models import Poll, Question
from polls.service import PollService
from polls.texts import POLL_LANGUAGES, QuestionText, untranslated, written_text, written_title

QUESTION_KIND_LABELS = {
    "single": N_("One answer"),
    "multiple": N_("Several answers"),
    "scale": N_("Scale from 1 to 5"),
    "words": N_("Word cloud (1–3 words)"),
    "text": N_("Open text"),
}


def labelled(label: str, language: str) -> str:
    """A field's label with the language it is written in: "Tittel (Nynorsk)"."""
    return f"{label} ({LANGUAGE_NAMES[language]})"


def not_translated_mark(field: ui.input | ui.textarea) -> None:
    """"not translated" beside a language's field while it is empty: that language falls back to the event's."""
    ui.label(_("not translated")).classes("text-grey-9 text-sm whitespace-nowrap") \
        .bind_visibility_from(field, "value", backward=lambda value: not value)


def translation_fields(kind: ui.select, question: Question | None, own: str, language: str
                       ) -> Callable[[], QuestionText]:
    """The fields of a question's version in another language; the function reads what was typed."""
    written = written_text(question, own, language) if question else None
    with ui.column().classes("w-full gap-1"):
        ui.separator()
        with ui.row().classes("w-full items-center gap-2") as header:
            ui.label(LANGUAGE_NAMES[language]).classes("font-medium")
        prompt = ui.textarea(labelled(_("Question"), language), value=written.prompt if written else "") \
            .props("maxlength=500").classes("w-full").mark(f"question-prompt-{language}")
        with header:
            not_translated_mark(prompt)
        options = ui.textarea(labelled(_("Answers to choose from, one per line"), language),
                              value="\n".join(written.options) if written else "").classes("w-full") \
            .mark(f"question-options-{language}")
        options.bind_visibility_from(kind, "value", backward=lambda k: k in ("single", "multiple"))
        with ui.row().classes("w-full") as scale_labels:
            low = ui.input(labelled(_("Label of 1"), language), value=written.low if written else "") \
                .mark(f"question-low-{language}")
            high = ui.input(labelled(_("Label of 5"), language), value=written.high if written else "") \
                .mark(f"question-high-{language}")
        scale_labels.bind_visibility_from(kind, "value", value="scale")
    return lambda: QuestionText(prompt.value or "", tuple((options.value or "").splitlines()), low.value or "",
                                high.value or "")


def poll_editor(polls: PollService, editor: PollEditor, agenda: AgendaService, event_id: int) -> None:
    def item_choices() -> dict[int | None, str]:
        return {None: _("No agenda item"), **{row.id: row.item.title for row in agenda.plan(event_id) if row.id}}

    def poll_dialog(poll: Poll | None) -> None:
        others = {None: _("None"), **{v.poll.id: v.poll.title for v in polls.polls(event_id)
                                      if poll is None or v.poll.id != poll.id}}
        title_text = _("Edit poll") if poll else _("New poll")
        own = poll.language if poll else editor.event_language(event_id)
        with dialog(title_text, open_now=True) as poll_box, ui.card().classes("w-full max-w-xl"):
            heading(title_text, 2)
            title = ui.input(labelled(_("Title"), own), value=poll.title if poll else "") \
                .props("maxlength=200").classes("w-full").mark("poll-title")
            other_titles = {}
            for language in (language for language in POLL_LANGUAGES if language != own):
                with ui.row().classes("w-full items-center no-wrap gap-2"):
                    other_titles[language] = ui.input(
                        labelled(_("Title"), language),
                        value=(written_title(poll, language) or "") if poll else "",
                    ).props("maxlength=200").classes("grow").mark(f"poll-title-{language}")
                    not_translated_mark(other_titles[language])
            item = ui.select(item_choices(), value=poll.agenda_item_id if poll else None,
                             label=_("Agenda item")).classes("w-full").mark("poll-item")
            follows = ui.checkbox(_("Open and close with the agenda item"),
                                  value=poll.follows_item if poll else True).mark("poll-follows")
            repeat = ui.select(others, value=poll.repeat_of_id if poll else None,
                               label=_("Repeats the poll")).classes("w-full").mark("poll-repeat")

            def save() -> None:
                settings = PollSettings(title.value or "", item.value, bool(follows.value), repeat.value,
                                        {language: field.value or "" for language, field in other_titles.items()})
                attempt(lambda: editor.save_poll(event_id, poll.id if poll else None, settings),
                         lambda: (poll_box.close(), poll_list.refresh()))

            with ui.row().classes("w-full justify-end"):
                ui.button(_("Cancel"), on_click=poll_box.close).props("flat")
                ui.button(_("Save poll"), on_click=save).mark("save-poll")

    def question_dialog(poll: Poll, question: Question | None) -> None:
        title_text = _("Edit question") if question else _("New question")
        with dialog(title_text, open_now=True) as question_box, ui.card().classes("w-full max-w-xl"):
            heading(title_text, 2)
            ui.label(LANGUAGE_NAMES[poll.language]).classes("font-medium")
            kind = ui.select({k: _(label) for k, label in QUESTION_KIND_LABELS.items()},
                             value=question.kind if question else "single", label=_("Kind of question")) \
                .classes("w-full").mark("question-kind")
            prompt = ui.textarea(_("Question"), value=question.prompt if question else "") \
                .props("maxlength=500").classes("w-full").mark("question-prompt")
            options = ui.textarea(_("Answers to choose from, one per line"),
                                  value="\n".join(question.options) if question else "").classes("w-full") \
                .mark("question-options")
            options.bind_visibility_from(kind, "value", backward=lambda k: k in ("single", "multiple"))
            most = ui.number(_("How many answers one may choose"), value=question.max_choices if question else 2,
                             min=1, max=10, precision=0).mark("question-max")
            most.bind_visibility_from(kind, "value", value="multiple")
            with ui.row().classes("w-full") as scale_labels:
                low = ui.input(_("Label of 1"), value=question.scale_low_label if question else "").mark("question-low")
                high = ui.input(_("Label of 5"), value=question.scale_high_label if question else "") \
                    .mark("question-high")
            scale_labels.bind_visibility_from(kind, "value", value="scale")
            versions = {language: translation_fields(kind, question, poll.language, language)
                        for language in POLL_LANGUAGES if language != poll.language}

            def save() -> None:
                draft = QuestionDraft(kind.value, prompt.value or "", tuple((options.value or "").splitlines()),
                                      int(most.value or 1), low.value or "", high.value or "",
                                      {language: read() for language, read in versions.items()})
                attempt(lambda: editor.save_question(poll.id or 0, question.id if question else None, draft),
                         lambda: (question_box.close(), poll_list.refresh()))

            with ui.row().classes("w-full justify-end"):
                ui.button(_("Cancel"), on_click=question_box.close).props("flat")
                ui.button(_("Save question"), on_click=save).mark("save-question")

    @ui.refreshable
    def poll_list() -> None:
        items = item_choices()
        views = polls.polls(event_id)
        titles = {view.poll.id: view.poll.title for view in views}
        if not views:
            ui.label(_("This event has no polls."))
        for view in views:
            poll = view.poll
            draft = poll.status == "draft"
            with ui.card().classes("w-full").props("flat bordered").mark(f"poll-card-{poll.id}"):
                with ui.row().classes("w-full items-center"):
                    ui.label(poll.title).classes("text-lg font-medium grow")
                    for label, handler, marker in (
                        (_("Edit poll"), lambda p=poll: poll_dialog(p), "edit-poll"),
                        (_("Add a question"), lambda p=poll: question_dialog(p, None), "add-question"),
                        (_("Remove poll"), lambda p=poll: attempt(lambda: editor.remove_poll(p.id or 0),
                                                                   poll_list.refresh), "remove-poll"),
                    ):
                        ui.button(label, on_click=handler).props("outline").mark(f"{marker}-{poll.id}") \
                            .set_enabled(draft)
                facts = [items.get(poll.agenda_item_id, "") if poll.agenda_item_id else _("No agenda item"),
                         _("opens and closes with its item") if poll.follows_item and poll.agenda_item_id else "",
                         _("repeats {title}").format(title=titles.get(poll.repeat_of_id, ""))
                         if poll.repeat_of_id else "",
                         "" if draft else _("opened: it can no longer be changed")]
                ui.label(" · ".join(f for f in facts if f)).classes("text-grey-9")
                missing = untranslated(poll, view.questions)
                if missing:
                    ui.label(_("Not translated: {languages}").format(
                        languages=", ".join(LANGUAGE_NAMES[language] for language in missing))) \
                        .classes("text-grey-9").mark(f"poll-untranslated-{poll.id}")
                for question in view.questions:
                    kind = _(QUESTION_KIND_LABELS.get(question.kind, question.kind))
                    with ui.row().classes("w-full items-center gap-2"):
                        ui.label(f"{kind}: {question.prompt}").classes("grow question-line")
                        edit = _("Edit question")
                        named(ui.button(icon="edit", on_click=lambda p=poll, q=question: question_dialog(p, q)), edit) \
                            .props("flat round").mark(f"edit-question-{question.id}").set_enabled(draft)
                        remove = _("Remove question")
                        named(ui.button(icon="delete", on_click=lambda p=poll, q=question: attempt(
                            lambda: editor.remove_question(p.id or 0, q.id or 0), poll_list.refresh)), remove) \
                            .props("flat round").set_enabled(draft)

    ui.button(_("New poll"), icon="add", on_click=lambda: poll_dialog(None)).mark("new-poll")
    poll_list()
