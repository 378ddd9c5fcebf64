"""The control room's group work: every municipality's state and choice, locking, and filling in on paper's behalf."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from nicegui import ui

from core.errors import UserError
from core.i18n import N_
from facilitator.language import _, current_language
from facilitator.layout import dialog, heading, named, notify_error
from facilitator.session_check import SessionCheck
from workshops.group_work import (
    MEASURE_TEXT_LIMIT,
    MOST_MEASURES,
    ROLE_LIMIT,
    TEXT_LIMIT,
    CatalogueView,
    ChoiceConflict,
    GroupDraft,
    GroupState,
    GroupWorkService,
)

STATUS_LABELS = {"not_started": N_("Not started"), "draft": N_("Draft"), "submitted": N_("Submitted"),
                 "left_out": N_("Left out")}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def area_name(catalogue: CatalogueView, area_id: int | None, language: str) -> str:
    view = catalogue.area(area_id)
    return getattr(view.area, f"name_{language}") if view is not None else ""


def measure_names(catalogue: CatalogueView, state: GroupState, language: str) -> list[str]:
    if state.choice is None:
        return []
    if catalogue.free_measures:
        return list(state.choice.measures)
    view = catalogue.area(state.choice.focus_area_id)
    names = {str(m.id): getattr(m, f"name_{language}") for m in view.measures} if view else {}
    return [names.get(measure, measure) for measure in state.choice.measures]


class GroupWorkPanel:
    """Redrawn by the control room when the group work changed (`refresh`); it calls `after_change` once
    it changed something itself, so the room shows it at once. Its actions go through the room's `checked`."""

    def __init__(self, groups: GroupWorkService, event_id: int, after_change: Callable[[], None],
                 checked: SessionCheck) -> None:
        self.groups, self.event_id = groups, event_id
        self.after_change = after_change
        self.checked = checked
        self.language = current_language()
        self.signature: object = None

    def build(self) -> None:
        """A panel that folds; the municipalities are counted by state, and listed one by one on demand."""
        with ui.expansion(_("Group work"), icon="groups", value=True).classes("w-full room-panel") \
                .mark("group-panel"):
            with ui.row().classes("w-full items-center gap-4"):
                self.summary = ui.label().classes("text-lg").mark("group-summary")
                ui.space()
                self.texts_switch = ui.switch(
                    _("Show the groups' texts on the projector"),
                    value=self.groups.settings(self.event_id).texts_shown,
                    on_change=self.checked(lambda e: self.groups.show_texts(self.event_id, bool(e.value)))) \
                    .mark("group-texts-shown")
                self.most = ui.number(_("Measures per group"), min=1, max=MOST_MEASURES, step=1, precision=0) \
                    .classes("w-40").mark("group-max-measures")
                self.most.on("change", self.checked(self.set_most))
                self.lock_button = ui.button(_("Lock all choices"), icon="lock",
                                             on_click=self.checked(self.toggle_lock)).mark("lock-groups")
            self.counts = ui.row().classes("w-full gap-2").mark("group-counts")
            self.drafts = ui.column().classes("w-full gap-1").mark("group-drafts")
            self.details = ui.expansion(_("Every municipality")).classes("w-full").mark("group-details")
            with self.details:
                self.rows = ui.column().classes("w-full gap-1")

    def set_most(self) -> None:
        try:
            self.groups.set_max_measures(self.event_id, int(self.most.value or 0))
        except UserError as error:
            notify_error(error.translated(_))
        self.after_change()

    def toggle_lock(self) -> None:
        if self.groups.is_locked(self.event_id):
            self.groups.unlock_all(self.event_id)
        else:
            self.groups.lock_all(self.event_id)
        self.after_change()

    def refresh(self) -> None:
        states = self.groups.groups(self.event_id)
        settings = self.groups.settings(self.event_id)
        locked = settings.locked
        signature = (locked, settings.max_measures,
                     tuple((s.municipality.number, s.choice.version if s.choice else 0) for s in states))
        if signature == self.signature:
            return
        self.signature = signature
        catalogue = self.groups.catalogue(self.event_id)  # only when something changed: three queries
        self.lock_button.text = _("Unlock the choices") if locked else _("Lock all choices")
        self.lock_button.props(f"icon={'lock_open' if locked else 'lock'}")
        self.most.value = catalogue.max_measures
        submitted = sum(1 for s in states if s.status == "submitted")
        self.summary.text = _("{submitted} of {total} municipalities have submitted.").format(
            submitted=submitted, total=len(states))
        self.show_counts(states)
        self.details.text = _("Every municipality ({count})").format(count=len(states))
        self.drafts.clear()
        drafts = [state for state in states if state.status == "draft"]
        if locked and drafts:
            with self.drafts:
                self.draft_list(drafts, catalogue)
        self.rows.clear()
        with self.rows:
            for state in states:
                self.row(state, catalogue)

    def show_counts(self, states: list[GroupState]) -> None:
        counted = Counter(state.status for state in states)
        self.counts.clear()
        with self.counts:
            for status in STATUS_LABELS:
                ui.label(f"{status_label(status)}: {counted.get(status, 0)}") \
                    .classes("text-base rounded border px-3 py-1").mark(f"group-count-{status}")

    def row(self, state: GroupState, catalogue: CatalogueView) -> None:
        number = state.municipality.number
        with ui.row().classes("group-row w-full items-center no-wrap gap-4 border-b py-1").mark(f"group-{number}"):
            ui.label(state.municipality.listed_name).classes("group-row-name w-48 text-lg font-medium")
            ui.label(status_label(state.status)).classes("group-row-status w-32").mark(f"group-status-{number}")
            chosen = area_name(catalogue, state.choice.focus_area_id if state.choice else None, self.language)
            ui.label(chosen or "–").classes("grow").mark(f"group-area-{number}")
            ui.button(_("Fill in or correct"), icon="edit", on_click=self.checked(lambda s=state: self.edit(s))) \
                .props("outline").mark(f"edit-group-{number}")

    def draft_list(self, drafts: list[GroupState], catalogue: CatalogueView) -> None:
        """The drafts left at the lock: none of them counts until a facilitator settles it."""
        heading(_("Drafts not submitted"), 3)
        ui.label(_("A draft is not in the summaries or the report. Submit it for the group, leave it out, "
                   "or ask the group to finish and submit it."))
        for state in drafts:
            number, name = state.municipality.number, state.municipality.name
            chosen = area_name(catalogue, state.choice.focus_area_id if state.choice else None, self.language)
            with ui.row().classes("draft-row w-full items-center gap-4 py-1").mark(f"draft-{number}"):
                ui.label(name).classes("w-48 text-lg font-medium")
                ui.label(chosen or _("No focus area yet")).classes("grow")
                for label, name_format, action, marker in (
                        (_("Submit the draft"), _("Submit the draft of {municipality}"), self.groups.submit_draft,
                         "submit-draft"),
                        (_("Leave it out"), _("Leave out the draft of {municipality}"), self.groups.leave_out,
                         "leave-out")):
                    named(ui.button(label, on_click=self.checked(lambda a=action, n=number: self.settle(a, n))),
                          name_format.format(municipality=name)).props("outline").mark(f"{marker}-{number}")
                if state.choice is not None and state.choice.asked:
                    ui.label(_("Asked to finish")).mark(f"asked-{number}")
                else:
                    named(ui.button(_("Ask the group"), on_click=self.checked(
                        lambda n=number: self.settle(self.groups.ask_group, n))),
                          _("Ask the group of {municipality} to finish").format(municipality=name)) \
                        .props("outline").mark(f"ask-group-{number}")

    def settle(self, action: Callable[[int, str], None], municipality_number: str) -> None:
        try:
            action(self.event_id, municipality_number)
        except UserError as error:
            notify_error(error.translated(_))
        self.after_change()

    def edit(self, state: GroupState) -> None:
        """The group's form, filled in by a facilitator (for a group with no phone, from paper). When someone
        changed the same fields meanwhile, the form keeps what was typed and shows their text beside it."""
        catalogue = self.groups.catalogue(self.event_id)
        based_on = [state.choice]  # the stored choice the form builds on: after a conflict, the one then stored
        choice = state.choice
        shown_measures = [tuple(choice.measures) if choice else ()]
        title = _("Choice of {municipality}").format(municipality=state.municipality.name)
        areas = {view.area.id: getattr(view.area, f"name_{self.language}") for view in catalogue.areas}
        with dialog(title, open_now=True) as window, ui.card().classes("w-[40rem] max-w-full"):
            heading(title, 2)
            ui.label(_("Focus area")).classes("text-lg font-medium")
            area = named(ui.radio(areas, value=choice.focus_area_id if choice else None), _("Focus area")) \
                .mark("group-edit-area")
            measures_box = ui.column().classes("w-full gap-0")
            measure_inputs: dict[str, ui.checkbox | ui.input] = {}

            def show_measures() -> None:
                measures_box.clear()
                measure_inputs.clear()
                chosen = shown_measures[0]
                with measures_box:
                    if catalogue.free_measures:
                        for number in range(catalogue.max_measures):
                            measure_inputs[str(number)] = ui.input(
                                _("Measure {number}").format(number=number + 1),
                                value=chosen[number] if number < len(chosen) else "") \
                                .props(f"maxlength={MEASURE_TEXT_LIMIT} counter").classes("w-full")
                        return
                    view = catalogue.area(area.value)
                    if view is None:
                        return
                    ui.label(_("Measures (up to {count})").format(count=catalogue.max_measures)) \
                        .classes("text-lg font-medium mt-2")
                    for measure in view.measures:
                        measure_inputs[str(measure.id)] = ui.checkbox(
                            getattr(measure, f"name_{self.language}"), value=str(measure.id) in chosen) \
                            .mark(f"group-edit-measure-{measure.id}")

            area.on_value_change(show_measures)
            show_measures()
            slots = {"focus_area_id": ui.column().classes("w-full")}
            texts: dict[str, ui.input | ui.textarea] = {}
            for name, widget in (
                    ("reason", ui.textarea(_("Why this focus area?"), value=choice.reason if choice else "")
                     .props(f"maxlength={TEXT_LIMIT} counter").classes("w-full").mark("group-edit-reason")),
                    ("first_step", ui.textarea(_("The first concrete step"), value=choice.first_step if choice else "")
                     .props(f"maxlength={TEXT_LIMIT} counter").classes("w-full")),
                    ("responsible_role", ui.input(_("Who is responsible (a role, not a name)"),
                                                  value=choice.responsible_role if choice else "")
                     .props(f"maxlength={ROLE_LIMIT} counter").classes("w-full")),
                    ("due_month", ui.input(_("By when (year and month)"), value=choice.due_month if choice else "",
                                           placeholder="2027-03").classes("w-full"))):
                texts[name] = widget
                slots[name] = ui.column().classes("w-full")

            def draft() -> GroupDraft:
                if catalogue.free_measures:
                    picked = tuple(str(field.value or "") for field in measure_inputs.values())
                else:
                    picked = tuple(key for key, field in measure_inputs.items() if field.value)
                return GroupDraft(area.value, picked, texts["reason"].value or "", texts["first_step"].value or "",
                                  texts["responsible_role"].value or "", texts["due_month"].value or "")

            def show_area(chosen: GroupDraft) -> None:
                shown_measures[0] = tuple(chosen.measures)
                area.value = chosen.focus_area_id
                show_measures()

            def show_conflict(conflict: ChoiceConflict) -> None:
                """Like the phone: a field changed only by others takes their value; one changed by both keeps
                what was typed, with their text beside it and a button to take it."""
                mine, started, theirs = draft(), GroupDraft.of(based_on[0]), GroupDraft.of(conflict.current)
                if (mine.focus_area_id, set(mine.measures)) == (started.focus_area_id, set(started.measures)):
                    show_area(theirs)
                for name, widget in texts.items():
                    if getattr(mine, name).strip() == getattr(started, name):
                        widget.value = getattr(theirs, name)
                based_on[0] = conflict.current
                for name, slot in slots.items():
                    slot.clear()
                    if name not in conflict.fields:
                        continue
                    if name == "focus_area_id":
                        self.side_by_side(slot, name, self.choice_text(catalogue, mine),
                                          self.choice_text(catalogue, theirs), partial(show_area, theirs))
                    else:
                        self.side_by_side(slot, name, getattr(mine, name), getattr(theirs, name),
                                          partial(texts[name].set_value, getattr(theirs, name)))

            def save(action: str) -> None:
                stored = based_on[0]
                try:
                    self.groups.save(self.event_id, state.municipality.number, draft(),
                                     version=stored.version if stored else 0, action=action, by_facilitator=True,
                                     base=GroupDraft.of(stored), corrected_by=self.checked.who())
                except ChoiceConflict as conflict:
                    show_conflict(conflict)
                    notify_error(_("Someone changed the same fields meanwhile. Both texts are shown: choose or "
                                   "combine them, and save again."))
                    return
                except UserError as error:
                    notify_error(error.translated(_))
                    return
                window.close()
                self.after_change()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=window.close).props("flat")
                ui.button(_("Save as a draft"), on_click=self.checked(lambda: save("save"))).props("outline") \
                    .mark("group-edit-save")
                ui.button(_("Save as submitted"), on_click=self.checked(lambda: save("submit"))) \
                    .mark("group-edit-submit")

    def choice_text(self, catalogue: CatalogueView, draft: GroupDraft) -> str:
        """A focus area with its measures, as one line."""
        view = catalogue.area(draft.focus_area_id)
        names = {str(m.id): getattr(m, f"name_{self.language}") for m in view.measures} if view else {}
        measures = ", ".join(names.get(measure, measure) for measure in draft.measures if measure)
        area = area_name(catalogue, draft.focus_area_id, self.language)
        return f"{area}: {measures}" if area and measures else area or measures

    @staticmethod
    def side_by_side(slot: ui.column, name: str, mine: str, theirs: str, take: Callable[[], object]) -> None:
        """What was typed beside what someone else saved in the same field, and a button to take theirs."""
        def taken() -> None:
            take()
            slot.clear()

        with slot, ui.row().classes("w-full no-wrap gap-2 items-stretch").mark(f"group-conflict-{name}"):
            with ui.card().classes("w-1/2").props("flat bordered"):
                ui.label(_("What you typed")).classes("font-medium")
                ui.label(mine or "–").classes("whitespace-pre-wrap").mark(f"group-mine-{name}")
            with ui.card().classes("w-1/2").props("flat bordered"):
                ui.label(_("What someone else saved meanwhile")).classes("font-medium")
                ui.label(theirs or "–").classes("whitespace-pre-wrap").mark(f"group-theirs-{name}")
                ui.button(_("Use theirs"), on_click=taken).props("outline").mark(f"group-take-theirs-{name}")
