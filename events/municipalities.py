"""The municipalities of 2024, bundled in assets/data and added to the database at every start: the Norwegian
name and county, and the official name (with Sami and Kven parallel names) and målform."""

from __future__ import annotations

import csv

from sqlmodel import Session, select

from core.assets import ASSETS
from events.models import MALFORMER, NAME_PARTS, Municipality

MUNICIPALITIES_CSV = ASSETS / "data" / "kommuner-2024.csv"
OFFICIAL_NAMES_CSV = ASSETS / "data" / "kommuner-malform-navn.csv"
WRITTEN_BY_MALFORM = {"bokmål": "nb", "nynorsk": "nn"}  # "nøytral": the event's default applies


def read_official_names() -> dict[str, tuple[str, str]]:
    """Number → (official name in its display form, målform)."""
    with OFFICIAL_NAMES_CSV.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source, delimiter=";"))
    found = {row["kommunenummer"]: (NAME_PARTS.join(part.strip() for part in row["offisielt_navn"].split(" - ")),
                                    row["malform"]) for row in rows}
    unknown = {malform for _name, malform in found.values()} - set(MALFORMER)
    if unknown:
        raise ValueError(f"{OFFICIAL_NAMES_CSV.name}: unknown målform {sorted(unknown)}")
    return found


def read_municipalities() -> list[Municipality]:
    official = read_official_names()
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as source:
        return [
            Municipality(
                number=row["kommunenummer"],
                name=row["kommunenavn"],
                county_number=row["fylkesnummer"],
                county_name=row["fylkesnavn"],
                official_name=official[row["kommunenummer"]][0],
                malform=official[row["kommunenummer"]][1],
            )
            for row in csv.DictReader(source)
        ]


def install_municipalities(session: Session) -> None:
    """Add the municipalities that are missing; names already stored are kept, while the official name and
    målform follow the bundled file (they are the state's records, not the facilitators')."""
    bundled = {m.number: m for m in read_municipalities()}
    for stored in session.exec(select(Municipality)):
        fresh = bundled.pop(stored.number, None)
        if fresh is not None and (stored.official_name, stored.malform) != (fresh.official_name, fresh.malform):
            stored.official_name, stored.malform = fresh.official_name, fresh.malform
            session.add(stored)
    session.add_all(bundled.values())


def written_language_for(municipality: Municipality, event_default: str) -> str:
    """The målform an invitation starts with: the municipality's official one, else the event's default."""
    return WRITTEN_BY_MALFORM.get(municipality.malform, event_default)
