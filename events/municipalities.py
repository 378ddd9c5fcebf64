"""The municipalities of 2024, bundled in assets/data and added to the database at every start."""

from __future__ import annotations

import csv

from sqlmodel import Session, select

from core.assets import ASSETS
from events.models import Municipality

MUNICIPALITIES_CSV = ASSETS / "data" / "kommuner-2024.csv"


def read_municipalities() -> list[Municipality]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as source:
        return [
            Municipality(
                number=row["kommunenummer"],
                name=row["kommunenavn"],
                county_number=row["fylkesnummer"],
                county_name=row["fylkesnavn"],
            )
            for row in csv.DictReader(source)
        ]


def install_municipalities(session: Session) -> None:
    """Add the municipalities that are missing; names already stored are kept."""
    known = set(session.exec(select(Municipality.number)).all())
    session.add_all(m for m in read_municipalities() if m.number not in known)
