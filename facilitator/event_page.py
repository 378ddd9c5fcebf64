"""The set-up of one event: details, invited municipalities, agenda, polls, focus-area catalogue, summaries."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui
from starlette.requests import Request

from agenda.live import LiveAgenda
from agenda.service import AgendaService
from core.errors import UserError
from core.i18n import LANGUAGE_NAMES
from core.settings import Settings
from events.joining import join_url
from events.labels import PARTICIPANT_ROLE_LABELS
from events.models import WRITTEN_LANGUAGES, Event
from events.service import EventDetails, EventService
from facilitator.accounts import AccountService
from facilitator.agenda_editor import agenda_editor
from facilitator.catalogue_editor import catalogue_editor
from facilitator.event_removal import removal_panel
from facilitator.forms import parse_day
from facilitator.guard import signed_in_account
from facilitator.language import _, current_language
from facilitator.layout import event_not_found, frame, heading, notify_error
from facilitator.municipality_picker import municipality_picker
from facilitator.poll_editor import poll_editor
from facilitator.summaries_tab import summaries_tab
from facilitator.team_panel import team_panel
from polls.editing import PollEditor
from polls.service import PollService
from workshops.catalogues import CatalogueService
from workshops.delivery import SummaryMail
from workshops.event_removal import EventRemoval
from workshops.event_report import EventReports
from workshops.setup import EventSetup
from workshops.summaries import SummaryService
from workshops.summary_links import SummaryLinks


def _details_form(events: EventService, setup: EventSetup, event: Event, settings: Settings,
                  on_change: Callable[[], None]) -> None:
    language = current_language()
    catalogues = {c.id: getattr(c, f"name_{language}") for c in setup.catalogues()}
    title = ui.input(_("Title"), value=event.title).props("maxlength=200").classes("w-full").mark("details-title")
    day = ui.input(_("Date"), value=event.day.isoformat()).props("type=date")
    venue = ui.input(_("Venue"), value=event.venue).props("maxlength=200").classes("w-full").mark("details-venue")
    hosts = ui.textarea(_("Hosts and how to reach them (printed in the summaries)"), value=event.hosts) \
        .props("maxlength=500").classes("w-full")
    network = ui.input(_("Learning network (empty for a meeting on its own)"),
                       value=events.network_name(event.id or 0), autocomplete=events.network_names(event.id or 0)) \
        .props("maxlength=120").classes("w-full").mark("details-network")
    event_language = ui.select(LANGUAGE_NAMES, value=event.language, label=_("Language of the event")) \
        .classes("min-w-[12rem]").mark("details-language")
    written_language = ui.select({code: LANGUAGE_NAMES[code] for code in WRITTEN_LANGUAGES},
                                 value=event.default_written_language,
                                 label=_("Målform for language-neutral municipalities")) \
        .classes("min-w-[20rem]").mark("details-written-language")
    catalogue = ui.select({None: _("No catalogue"), **catalogues}, value=event.catalogue_id,
                          label=_("Focus-area catalogue")).classes("min-w-[16rem]")
    roles = ui.select({role: _(label) for role, label in PARTICIPANT_ROLE_LABELS.items()},
                      value=list(event.participant_roles), multiple=True,
                      label=_("Roles participants can choose when they join")) \
        .classes("w-full").mark("details-roles")
    auto_start = ui.checkbox(_("Start the day by itself at the first item's planned time"),
                             value=event.auto_start).mark("details-auto-start")

    def save() -> None:
        try:
            events.update(event.id or 0, EventDetails(
                title=title.value or "", day=parse_day(day.value), venue=venue.value or "",
                hosts=hosts.value or "", language=event_language.value, catalogue_id=catalogue.value,
                auto_start=bool(auto_start.value), participant_roles=tuple(roles.value or ()),
                network=network.value or "", default_written_language=written_language.value))
        except UserError as error:
            notify_error(error.translated(_))
            return
        on_change()
        ui.notify(_("Saved."), type="positive")

    ui.button(_("Save details"), icon="save", on_click=save).mark("save-details")
    heading(_("Joining from phones"), 2)
    ui.label(_("Join code: {code}").format(code=event.join_code)).classes("text-xl font-mono")
    ui.label(_("Join address: {address}").format(address=join_url(settings.public_url, event.join_code)))


def register_event_page(events: EventService, setup: EventSetup, agenda: AgendaService, live: LiveAgenda,
                        polls: PollService, editor: PollEditor, settings: Settings, catalogues: CatalogueService,
                        summaries: SummaryService, summary_links: SummaryLinks, summary_mail: SummaryMail,
                        reports: EventReports, accounts: AccountService, removal: EventRemoval) -> None:
    @ui.page("/events/{event_id}")
    def event_page(event_id: int, request: Request, tab: str = "agenda") -> None:
        event = events.get(event_id)
        if event is None:
            event_not_found()
            return
        with frame(event.title):
            with ui.row().classes("gap-4"):
                ui.link(_("Open the control room"), f"/events/{event_id}/control")
                ui.link(_("Open the projector page"), f"/events/{event_id}/projector", new_tab=True)
                ui.link(_("Printable agenda"), f"/events/{event_id}/print", new_tab=True)
                if event.network_id is not None:
                    ui.link(_("The learning network"), f"/networks/{event.network_id}").mark("network-link")
            with ui.tabs().classes("w-full") as tabs:
                details_tab = ui.tab(_("Details"))
                municipalities_tab = ui.tab(_("Invited municipalities"))
                agenda_tab = ui.tab(_("Agenda"))
                polls_tab = ui.tab(_("Polls"))
                catalogue_tab = ui.tab(_("Catalogue"))
                summaries_tab_ = ui.tab(_("Summaries"))
            shown = {"details": details_tab, "municipalities": municipalities_tab, "polls": polls_tab,
                     "catalogue": catalogue_tab, "summaries": summaries_tab_}
            with ui.tab_panels(tabs, value=shown.get(tab, agenda_tab), animated=False).classes("w-full"):
                with ui.tab_panel(details_tab):
                    _details_form(events, setup, event, settings, on_change=lambda: live.changed(event_id))
                    team_panel(events, accounts, event_id, signed_in_account(request))
                    removal_panel(events, removal, event, signed_in_account(request))
                with ui.tab_panel(municipalities_tab):
                    municipality_picker(events, event_id)
                with ui.tab_panel(agenda_tab):
                    agenda_editor(agenda, event_id, event.language, on_change=lambda: live.changed(event_id))
                with ui.tab_panel(polls_tab):
                    poll_editor(polls, editor, agenda, event_id)
                with ui.tab_panel(catalogue_tab):
                    catalogue_editor(catalogues, event_id)
                with ui.tab_panel(summaries_tab_):
                    summaries_tab(events, summaries, summary_links, summary_mail, reports, event_id,
                                  settings.summary_url, settings.zone)
