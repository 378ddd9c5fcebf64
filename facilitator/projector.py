"""The projector (beamer) page: full screen, no controls, readable from 15 metres."""

from __future__ import annotations

from nicegui import ui

from core.i18n import format_long_date
from core.settings import Settings
from facilitator.language import _, current_language
from facilitator.layout import heading, name_the_loading_bar, set_document_language
from workshops.events import EventService
from workshops.joining import join_url, qr_svg

# Sizes in viewport units, so the slide scales from 1280×720 to 3840×2160.
PROJECTOR_CSS = """
body { background: #000; color: #fff; }
.projector { min-height: 100vh; padding: 4vh 4vw; gap: 3vh; }
.projector h1 { font-size: 6vh; line-height: 1.15; margin: 0; }
.projector .facts { font-size: 3vh; color: #e0e0e0; }
.projector .qr { background: #fff; padding: 1.5vh; border-radius: 1vh; width: 70vh; height: 70vh; flex-shrink: 0; }
.projector .qr svg { width: 100%; height: 100%; display: block; }
.projector .code-label { font-size: 3.2vh; }
.projector .code { font-size: 15vh; font-weight: 800; letter-spacing: .12em; line-height: 1; }
.projector .address { font-size: 3.6vh; font-weight: 600; word-break: break-all; }
"""


def register_projector_page(events: EventService, settings: Settings) -> None:
    @ui.page("/events/{event_id}/projector")
    def projector_page(event_id: int) -> None:
        event = events.get(event_id)
        language = current_language()
        set_document_language()
        name_the_loading_bar()
        ui.add_css(PROJECTOR_CSS)
        if event is None:
            ui.page_title(_("Event not found"))
            heading(_("This event does not exist."))
            return
        page_name = _("Projector")
        ui.page_title(f"{event.title} – {page_name}")
        address = join_url(settings.public_url, event.join_code)
        with ui.element("main").classes("projector w-full flex flex-row items-center justify-center"):
            with ui.column().classes("items-start max-w-[48vw]"):
                heading(event.title).classes("text-white")
                ui.label(" · ".join(p for p in (format_long_date(event.day, language), event.venue) if p)) \
                    .classes("facts")
                ui.label(_("Join with your phone: scan the code, or go to")).classes("code-label mt-[4vh]")
                ui.label(address).classes("address")
                ui.label(_("and type the code")).classes("code-label")
                ui.label(event.join_code).classes("code").mark("join-code")
            ui.html(qr_svg(address, _("QR code that opens {address}").format(address=address)),
                    sanitize=False).classes("qr")
