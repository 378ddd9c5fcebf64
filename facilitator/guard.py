"""Every facilitator page requires sign-in; phones, health checks and assets do not."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from facilitator.accounts import AccountService, FacilitatorAccount

TOKEN_KEY = "facilitator_session"
PUBLIC_PREFIXES = (
    "/_nicegui", "/signin", "/healthz", "/join", "/api/", "/assets/", "/favicon", "/docs", "/openapi.json",
)


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


def current_account(accounts: AccountService) -> FacilitatorAccount | None:
    return accounts.account_for(app.storage.user.get(TOKEN_KEY))


def install_sign_in_guard(accounts: AccountService) -> None:
    class SignInGuard(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
            if not is_public(request.url.path) and current_account(accounts) is None:
                return RedirectResponse(f"/signin?next={quote(request.url.path)}")
            return await call_next(request)

    app.add_middleware(SignInGuard)
