"""Private, revocable web addresses of the municipalities' summaries."""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.clock import utcnow
from core.database import unit_of_work
from workshops.models import SummaryLink

LOCAL_NAME_ENDINGS = (".local", ".lan", ".home", ".internal", ".intranet", ".localdomain", ".localhost", ".home.arpa")


def link_address(base_url: str, token: str) -> str:
    """The private link's full address, under SUMMARY_URL."""
    return f"{base_url.rstrip('/')}/summary/{token}"


def reach_problems(base_url: str) -> set[str]:
    """Why a town hall may not open links under `base_url` the next morning: "local" (a LAN, private,
    loopback or link-local address, or a name without a domain) and "http" (not encrypted)."""
    parts = urlsplit(base_url)
    problems = set() if parts.scheme == "https" else {"http"}
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host or host.endswith(LOCAL_NAME_ENDINGS):
            problems.add("local")
    else:
        if not address.is_global:
            problems.add("local")
    return problems


class SummaryLinks:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def active(self, event_id: int) -> dict[str, SummaryLink]:
        """The links in use, by municipality number."""
        with unit_of_work(self._engine) as session:
            return {link.municipality_number: link for link in session.exec(
                select(SummaryLink).where(SummaryLink.event_id == event_id, col(SummaryLink.revoked_at).is_(None)))}

    def create(self, event_id: int, municipality_number: str) -> SummaryLink:
        """A new link for the municipality; the one it had stops working."""
        self.revoke(event_id, municipality_number)
        link = SummaryLink(event_id=event_id, municipality_number=municipality_number,
                           token=secrets.token_urlsafe(32))
        with unit_of_work(self._engine) as session:
            session.add(link)
        return link

    def revoke(self, event_id: int, municipality_number: str) -> None:
        with unit_of_work(self._engine) as session:
            for link in session.exec(select(SummaryLink).where(
                    SummaryLink.event_id == event_id, SummaryLink.municipality_number == municipality_number,
                    col(SummaryLink.revoked_at).is_(None))):
                link.revoked_at = utcnow()
                session.add(link)

    def find(self, token: str) -> SummaryLink | None:
        """The link with this token, revoked or not."""
        with unit_of_work(self._engine) as session:
            return session.exec(select(SummaryLink).where(SummaryLink.token == token)).first()
