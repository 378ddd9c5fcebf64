"""The shared frame of facilitator pages: header with navigation, language switch, sign-out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from nicegui import ui
from nicegui.element import Element
from nicegui.elements.mixins.text_element import TextElement

from core.errors import UserError
from core.i18n import LANGUAGE_NAMES, N_
from facilitator.language import _, current_language, set_language

APP_NAME_ID = N_("Dialogue meetings")
PRIMARY = "#0b4a8b"  # white text on it has a contrast ratio above 8:1
FRAME_CSS = f"""
main {{ overflow-wrap: anywhere; min-width: 0; }}  /* a 500-letter word wraps instead of pushing buttons away */
main a.nicegui-link {{ color: {PRIMARY}; }}
.q-tooltip {{ background: #1f1f1f; font-size: .875rem; }}
"""
AnyElement = TypeVar("AnyElement", bound=Element)


def named(element: AnyElement, name: str) -> AnyElement:
    """Give `element` an accessible name. The name is set as a value, never parsed as props, so no text
    (a title with quotes or backslashes) can change the element."""
    element.props["aria-label"] = name
    return element


def heading(text: str, level: int = 1) -> TextElement:
    sizes = {1: "text-3xl", 2: "text-2xl", 3: "text-xl"}
    return TextElement(tag=f"h{level}", text=text).classes(f"{sizes.get(level, 'text-lg')} font-semibold my-2")


def language_switch() -> None:
    def choose(language: str) -> None:
        set_language(language)
        ui.navigate.reload()

    label = _("Language")
    named(ui.select(LANGUAGE_NAMES, value=current_language(), on_change=lambda e: choose(e.value)), label) \
        .props("dense outlined dark").classes("w-36")


def set_document_language() -> None:
    ui.run_javascript(f"document.documentElement.lang = '{current_language()}'")


def name_the_loading_bar() -> None:
    """Quasar's page loading bar is a progressbar without a name; give it one when it appears."""
    label = json.dumps(_("Loading"))
    ui.add_head_html(f"""<script>
new MutationObserver(() => document.querySelectorAll(".q-loading-bar:not([aria-label])")
  .forEach(bar => bar.setAttribute("aria-label", {label})))
  .observe(document.documentElement, {{childList: true, subtree: true}});
</script>""")


def translate_the_reconnect_notice() -> None:
    """NiceGUI's own notice of a lost connection (English otherwise), in the page's language."""
    texts = json.dumps([_("The connection is lost."), _("Connecting again …")]).replace("<", "\\u003c")
    ui.add_head_html(f"""<script>
document.addEventListener("DOMContentLoaded", () => {{
  const texts = {texts};
  document.querySelectorAll("#popup > span").forEach((span, index) => {{ span.textContent = texts[index] ?? ""; }});
}});
</script>""")


@contextmanager
def frame(title: str, *, signed_in: bool = True) -> Iterator[None]:
    app_name = _(APP_NAME_ID)
    ui.page_title(f"{title} – {app_name}")
    ui.colors(primary=PRIMARY)
    ui.add_css(FRAME_CSS)
    set_document_language()
    name_the_loading_bar()
    translate_the_reconnect_notice()
    with ui.header().classes("items-center bg-primary text-white px-4 py-2 gap-4"):
        ui.link(app_name, "/events" if signed_in else "/signin") \
            .classes("text-white text-lg font-semibold no-underline")
        if signed_in:
            ui.link(_("Events"), "/events").classes("text-white")
        ui.space()
        language_switch()
        if signed_in:  # a form that posts: no link or image elsewhere can sign anyone out
            with ui.element("form").props('method="post" action="/signout"'):
                TextElement(tag="button", text=_("Sign out")).props('type="submit"') \
                    .classes("text-white underline text-base").mark("sign-out")
    with ui.element("main").classes("w-full max-w-6xl mx-auto p-4 gap-4 flex flex-col"):
        heading(title)
        yield


def event_not_found() -> None:
    with frame(_("Event not found")):
        ui.label(_("This event does not exist."))
        ui.link(_("Back to the events"), "/events")


def dialog(title: str, *, open_now: bool = False) -> ui.dialog:
    """A modal dialog named by its title (for screen readers), opening without animation."""
    return named(ui.dialog(value=open_now), title).props("transition-duration=0")


def notify_error(message: str) -> None:
    ui.notify(message, type="negative", position="top", multi_line=True)


def attempt(action: Callable[[], object], done: Callable[[], object]) -> None:
    """Do `action`; on a UserError say why (in the user's language) and skip `done`."""
    try:
        action()
    except UserError as error:
        notify_error(error.translated(_))
        return
    done()

