"""The demo: a facilitator account and today's event from the template, Nordland invited."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from events.models import Event
from events.service import EventDetails, EventService
from facilitator.accounts import AccountError, AccountService
from workshops.setup import EventSetup

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "demo-dialog"
DEMO_TEMPLATE = "dialogmote-leve-hele-livet"
NORDLAND = "18"


@dataclass(frozen=True)
class Demo:
    event: Event
    email: str = DEMO_EMAIL
    password: str = DEMO_PASSWORD


def ensure_demo(setup: EventSetup, events: EventService, accounts: AccountService, *, day: date) -> Demo:
    """Create the demo on an empty database; on later starts, find it again."""
    with suppress(AccountError):  # created at an earlier start
        accounts.create(email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo")
    listings = setup.listing()
    if listings:
        return Demo(min((listing.event for listing in listings), key=lambda e: e.id or 0))
    event = setup.create(
        EventDetails(
            title="Dialogmøte – Leve hele livet",
            day=day,
            venue="Bodø",
            hosts="Statsforvalteren i Nordland, KS og USHT Nordland",
        ),
        template_key=DEMO_TEMPLATE,
        owner_id=demo_account.id if (demo_account := accounts.find(DEMO_EMAIL)) else None,
    )
    events.set_invited(event.id or 0, [m.number for m in events.municipalities() if m.county_number == NORDLAND])
    return Demo(event)
