"""Security headers on every response: what the browser may load, and that no other site may frame us.

A response that sets one of these headers itself (the summaries' private page: no referrer) keeps its own.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_COMMON = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
# The phones' page is plain files from this server: nothing inline, nothing from elsewhere.
PHONE_POLICY = f"default-src 'self'; img-src 'self' data:; {_COMMON}"
# NiceGUI pages run Vue templates compiled in the browser and inline start-up scripts and styles.
SCREEN_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
                 "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
                 f"connect-src 'self'; {_COMMON}")
# The summaries' private page is one file of HTML with its style inline and its charts as data.
SUMMARY_POLICY = f"default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; {_COMMON}"
# FastAPI's API documentation loads Swagger UI from its CDN.
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
               "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
               f"{_COMMON}")
POLICIES = (("/join", PHONE_POLICY), ("/assets/phone/", PHONE_POLICY), ("/api/", PHONE_POLICY),
            ("/summary/", SUMMARY_POLICY), ("/status/", SUMMARY_POLICY),
            ("/docs", DOCS_POLICY))


def policy_for(path: str) -> str:
    return next((policy for prefix, policy in POLICIES if path.startswith(prefix)), SCREEN_POLICY)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = {
            "content-security-policy": policy_for(scope["path"]),
            "x-frame-options": "DENY",
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
        }

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
