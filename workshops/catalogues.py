"""Focus-area catalogues: copy one for an event, then edit its areas and measures.

The bundled catalogues are read-only; an event that wants its own wording gets a deep copy
(areas and measures) that the event then uses; every write refuses a read-only catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import LANGUAGE_NAMES, LANGUAGES, N_, translator
from core.text import clean_text
from events.models import Event
from workshops.models import Catalogue, FocusArea, GroupChoice, Measure

MAX_NAME = 200
MAX_DESCRIPTION = 500
COPY_SUFFIX = N_("(copy)")


@dataclass(frozen=True)
class Texts:
    """One text in bokmål, nynorsk and English."""

    nb: str = ""
    nn: str = ""
    en: str = ""

    def get(self, language: str) -> str:
        text: str = getattr(self, language)
        return text


@dataclass(frozen=True)
class AreaWithMeasures:
    area: FocusArea
    measures: list[Measure]


def checked_names(names: Texts) -> Texts:
    """Names stripped; each must be 1 to 200 characters."""
    stripped = Texts(*(clean_text(names.get(language)) for language in LANGUAGES))
    for language in LANGUAGES:
        if not 1 <= len(stripped.get(language)) <= MAX_NAME:
            raise UserError(N_("A name must be between 1 and 200 characters ({language})."),
                            language=LANGUAGE_NAMES[language])
    return stripped


def _descriptions(descriptions: Texts) -> Texts:
    """Descriptions stripped; each at most 500 characters (empty is allowed)."""
    stripped = Texts(*(clean_text(descriptions.get(language)) for language in LANGUAGES))
    for language in LANGUAGES:
        if len(stripped.get(language)) > MAX_DESCRIPTION:
            raise UserError(N_("A description can be at most 500 characters ({language})."),
                            language=LANGUAGE_NAMES[language])
    return stripped


def _with_suffix(name: str, language: str) -> str:
    suffix = translator(language)(COPY_SUFFIX)
    return name if name.endswith(suffix) else f"{name} {suffix}"


def _editable_catalogue(session: Session, catalogue_id: int) -> Catalogue:
    catalogue = session.get(Catalogue, catalogue_id)
    if catalogue is None:
        raise UserError(N_("This catalogue no longer exists."))
    if catalogue.read_only:
        raise UserError(N_("This catalogue cannot be changed. Make an editable copy for the event first."))
    return catalogue


def _editable_area(session: Session, area_id: int) -> FocusArea:
    area = session.get(FocusArea, area_id)
    if area is None:
        raise UserError(N_("This focus area no longer exists."))
    _editable_catalogue(session, area.catalogue_id)
    return area


def _editable_measure(session: Session, measure_id: int) -> Measure:
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise UserError(N_("This measure no longer exists."))
    _editable_area(session, measure.focus_area_id)
    return measure


def _editable_area_catalogue(session: Session, area_id: int) -> Catalogue:
    return _editable_catalogue(session, _editable_area(session, area_id).catalogue_id)


def _change_choice(session: Session, choice: GroupChoice, focus_area_id: int | None, measures: list[str]) -> None:
    """Point a group's choice at other rows; a new version, so a group editing it meanwhile hears of it."""
    if (focus_area_id, measures) == (choice.focus_area_id, choice.measures):
        return
    choice.focus_area_id, choice.measures = focus_area_id, list(measures)
    choice.version += 1
    choice.updated_at = utcnow()
    session.add(choice)


def _measures(session: Session, area_id: int) -> list[Measure]:
    return list(session.exec(select(Measure).where(Measure.focus_area_id == area_id)
                             .order_by(col(Measure.position), col(Measure.id))))


def free_key(session: Session, event_id: int) -> str:
    """The key of the next catalogue copy made for the event."""
    taken = set(session.exec(select(Catalogue.key).where(col(Catalogue.key).startswith(f"event-{event_id}-"))))
    number = 1
    while f"event-{event_id}-{number}" in taken:
        number += 1
    return f"event-{event_id}-{number}"


def copy_catalogue(session: Session, original: Catalogue, key: str) -> tuple[Catalogue, dict[int, int], dict[str, str]]:
    """An editable copy of a catalogue (areas and measures), with the new ids of its areas and measures."""
    copy = Catalogue(
        key=key,
        name_nb=_with_suffix(original.name_nb, "nb"),
        name_nn=_with_suffix(original.name_nn, "nn"),
        name_en=_with_suffix(original.name_en, "en"),
        read_only=False,
        free_measures=original.free_measures,
        based_on_id=original.id,
    )
    session.add(copy)
    session.flush()
    new_area_ids: dict[int, int] = {}
    new_measure_ids: dict[str, str] = {}
    areas = session.exec(select(FocusArea).where(FocusArea.catalogue_id == original.id)
                         .order_by(col(FocusArea.position), col(FocusArea.id))).all()
    for position, area in enumerate(areas, start=1):
        area_copy = FocusArea(
            catalogue_id=copy.id or 0, position=position,
            name_nb=area.name_nb, name_nn=area.name_nn, name_en=area.name_en,
            description_nb=area.description_nb, description_nn=area.description_nn,
            description_en=area.description_en,
        )
        session.add(area_copy)
        session.flush()
        new_area_ids[area.id or 0] = area_copy.id or 0
        for measure_position, measure in enumerate(_measures(session, area.id or 0), start=1):
            measure_copy = Measure(focus_area_id=area_copy.id or 0, position=measure_position,
                                   name_nb=measure.name_nb, name_nn=measure.name_nn, name_en=measure.name_en)
            session.add(measure_copy)
            session.flush()
            new_measure_ids[str(measure.id)] = str(measure_copy.id)
    return copy, new_area_ids, new_measure_ids


class CatalogueService:
    def __init__(self, engine: Engine, on_choices_changed: Callable[[int], None] = lambda event_id: None) -> None:
        self._engine = engine
        self._on_choices_changed = on_choices_changed  # an event's group choices were moved or trimmed

    def get(self, catalogue_id: int) -> Catalogue | None:
        with unit_of_work(self._engine) as session:
            return session.get(Catalogue, catalogue_id)

    def for_event(self, event_id: int) -> Catalogue | None:
        """The catalogue the event uses, if any."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None or event.catalogue_id is None:
                return None
            return session.get(Catalogue, event.catalogue_id)

    def areas(self, catalogue_id: int) -> list[AreaWithMeasures]:
        """The catalogue's focus areas in order, each with its measures in order."""
        with unit_of_work(self._engine) as session:
            areas = session.exec(select(FocusArea).where(FocusArea.catalogue_id == catalogue_id)
                                 .order_by(col(FocusArea.position), col(FocusArea.id))).all()
            return [AreaWithMeasures(area, _measures(session, area.id or 0)) for area in areas]

    def area(self, area_id: int) -> AreaWithMeasures | None:
        """One focus area with its measures in order."""
        with unit_of_work(self._engine) as session:
            area = session.get(FocusArea, area_id)
            return None if area is None else AreaWithMeasures(area, _measures(session, area_id))

    def copy_for_event(self, event_id: int) -> Catalogue:
        """Copy the event's catalogue (areas and measures) into an editable one the event then uses.

        The event's group choices follow their focus area and measures into the copy.
        """
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            original = session.get(Catalogue, event.catalogue_id) if event.catalogue_id is not None else None
            if original is None:
                raise UserError(N_("This event has no focus-area catalogue. Choose one under Details."))
            copy, new_area_ids, new_measure_ids = copy_catalogue(session, original, free_key(session, event_id))
            for choice in session.exec(select(GroupChoice).where(GroupChoice.event_id == event_id)):
                area_id = new_area_ids.get(choice.focus_area_id or 0, choice.focus_area_id)
                measures = [m if copy.free_measures else new_measure_ids.get(m, m) for m in choice.measures]
                _change_choice(session, choice, area_id, measures)
                if choice.catalogue_id == original.id:  # the choice's names are now the copy's
                    choice.catalogue_id = copy.id
                    session.add(choice)
            event.catalogue_id = copy.id
            session.add(event)
        self._on_choices_changed(event_id)
        return copy

    def update_area(self, area_id: int, names: Texts, descriptions: Texts) -> FocusArea:
        names, descriptions = checked_names(names), _descriptions(descriptions)
        with unit_of_work(self._engine) as session:
            area = _editable_area(session, area_id)
            area.name_nb, area.name_nn, area.name_en = names.nb, names.nn, names.en
            area.description_nb, area.description_nn, area.description_en = (
                descriptions.nb, descriptions.nn, descriptions.en)
            session.add(area)
        return area

    def update_measure(self, measure_id: int, names: Texts) -> Measure:
        names = checked_names(names)
        with unit_of_work(self._engine) as session:
            measure = _editable_measure(session, measure_id)
            measure.name_nb, measure.name_nn, measure.name_en = names.nb, names.nn, names.en
            session.add(measure)
        return measure

    def add_measure(self, area_id: int, names: Texts) -> Measure:
        """Add a measure after the area's last one."""
        names = checked_names(names)
        with unit_of_work(self._engine) as session:
            _editable_area(session, area_id)
            existing = _measures(session, area_id)
            position = max((m.position for m in existing), default=0) + 1
            measure = Measure(focus_area_id=area_id, position=position,
                              name_nb=names.nb, name_nn=names.nn, name_en=names.en)
            session.add(measure)
        return measure

    def remove_measure(self, measure_id: int) -> None:
        """Remove a measure; the ones after it move up."""
        with unit_of_work(self._engine) as session:
            measure = _editable_measure(session, measure_id)
            area_id, gone = measure.focus_area_id, str(measure.id)
            free = _editable_area_catalogue(session, area_id).free_measures
            session.delete(measure)
            changed_events: set[int] = set()
            if not free:  # the groups' choices name measures by id: the removed one leaves them
                for choice in session.exec(select(GroupChoice).where(GroupChoice.focus_area_id == area_id)):
                    _change_choice(session, choice, choice.focus_area_id, [m for m in choice.measures if m != gone])
                    changed_events.add(choice.event_id)
            session.flush()
            for position, rest in enumerate(_measures(session, area_id), start=1):
                if rest.position != position:
                    rest.position = position
                    session.add(rest)
        for event_id in changed_events:
            self._on_choices_changed(event_id)
