"""Bundled facts in assets/: the focus-area catalogues (and, through `events`, the municipalities)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.assets import ASSETS
from core.database import unit_of_work
from events.municipalities import install_municipalities
from workshops.models import Catalogue, FocusArea, Measure

CATALOGUES = ASSETS / "catalogues"


def read_catalogue_file(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as source:
        data: dict[str, Any] = yaml.safe_load(source)
    return data


def _install_catalogue(session: Session, data: dict[str, Any]) -> None:
    names = data["name"]
    catalogue = Catalogue(
        key=data["key"],
        name_nb=names["nb"],
        name_nn=names["nn"],
        name_en=names["en"],
        read_only=True,
        free_measures=bool(data.get("free_measures", False)),
    )
    session.add(catalogue)
    session.flush()
    for area_position, area in enumerate(data["areas"], start=1):
        description = area.get("description", {})
        focus_area = FocusArea(
            catalogue_id=catalogue.id or 0,
            position=area_position,
            name_nb=area["name"]["nb"],
            name_nn=area["name"]["nn"],
            name_en=area["name"]["en"],
            description_nb=description.get("nb", ""),
            description_nn=description.get("nn", ""),
            description_en=description.get("en", ""),
        )
        session.add(focus_area)
        session.flush()
        for measure_position, measure in enumerate(area.get("measures", []), start=1):
            session.add(
                Measure(
                    focus_area_id=focus_area.id or 0,
                    position=measure_position,
                    name_nb=measure["nb"],
                    name_nn=measure["nn"],
                    name_en=measure["en"],
                )
            )


def install_bundled_data(engine: Engine) -> None:
    """Add what is missing of the bundled data; safe to run at every start."""
    with unit_of_work(engine) as session:
        install_municipalities(session)
        installed = set(session.exec(select(Catalogue.key)).all())
        for path in sorted(CATALOGUES.glob("*.yaml")):
            data = read_catalogue_file(path)
            if data["key"] not in installed:
                _install_catalogue(session, data)
