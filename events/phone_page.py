"""The phones' page: one HTML file naming its script, style and icon by version, with a note for
browsers that run no JavaScript; and those files, compressed and cached."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from core.i18n import LANGUAGES, N_, translator
from core.versioned_files import ASK_EVERY_TIME, VersionedFiles
from events.joining import normalise_code

NEEDS_JAVASCRIPT = N_("This page needs JavaScript, which is turned off in this browser. Turn it on in the "
                      "browser's settings, or open the address in another browser.")
THE_CODE = N_("The event code is {code}.")
NOSCRIPT_MARK = "<noscript></noscript>"
SHOWN_CODE = re.compile(r"[A-Z0-9]{1,12}")  # what is not a code is not shown


def without_javascript(code: str) -> str:
    """What the page says, in every language, to a browser that runs no script."""
    parts = []
    for language in LANGUAGES:
        _ = translator(language)
        code_line = escape(_(THE_CODE)).replace("{code}", f"<strong>{code}</strong>") if code else ""
        parts.append(f'<section class="no-script" lang="{language}"><p>{escape(_(NEEDS_JAVASCRIPT))}</p>'
                     f"{f'<p>{code_line}</p>' if code_line else ''}</section>")
    return "<noscript>" + "".join(parts) + "</noscript>"


def phone_page_router(folder: Path) -> APIRouter:
    """`/join` and `/join/{code}`, the files under `/assets/phone/`, and `/favicon.ico`: nothing sets a cookie."""
    files = VersionedFiles(folder, "/assets/phone")
    page = files.with_versions((folder / "index.html").read_text(encoding="utf-8"))
    router = APIRouter(include_in_schema=False)

    @router.api_route("/join", methods=["GET", "HEAD"])
    @router.api_route("/join/{code}", methods=["GET", "HEAD"])
    def phone_page(code: str = "") -> HTMLResponse:
        typed = normalise_code(code)
        shown = typed if SHOWN_CODE.fullmatch(typed) else ""
        return HTMLResponse(page.replace(NOSCRIPT_MARK, without_javascript(shown), 1),
                            headers={"Cache-Control": ASK_EVERY_TIME})

    @router.api_route("/assets/phone/{name}", methods=["GET", "HEAD"])
    def phone_file(name: str, request: Request) -> Response:
        return files.response(name, request)

    @router.api_route("/favicon.ico", methods=["GET", "HEAD"])
    def favicon(request: Request) -> Response:
        return files.response("favicon.ico", request)

    return router
