"""Focus-area catalogues: an editable copy per event, its edits and their rules, and the screen."""

from __future__ import annotations

from datetime import date

import pytest
from nicegui.testing import User
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from core.database import unit_of_work
from core.errors import UserError
from core.i18n import translator
from events.models import Event
from events.service import EventDetails, EventService
from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in
from workshops.bundled import install_bundled_data
from workshops.catalogues import COPY_SUFFIX, CatalogueService, Texts
from workshops.models import Catalogue, FocusArea, GroupChoice, Measure

pytestmark = pytest.mark.postgres

GOOD = Texts("Eldre i arbeid", "Eldre i arbeid", "Older people at work")


@pytest.fixture
def catalogues(engine: Engine) -> CatalogueService:
    install_bundled_data(engine)
    return CatalogueService(engine)


def bundled(engine: Engine, key: str) -> Catalogue:
    with unit_of_work(engine) as session:
        return session.exec(select(Catalogue).where(Catalogue.key == key)).one()


def new_event(engine: Engine, key: str = "leve-hele-livet") -> int:
    event = EventService(engine).create(EventDetails("Dialogmøte", date(2027, 3, 4),
                                                     catalogue_id=bundled(engine, key).id))
    return event.id or 0


def snapshot(engine: Engine) -> list[tuple[object, ...]]:
    """Every catalogue, area and measure, to show that nothing changed."""
    with unit_of_work(engine) as session:
        rows: list[tuple[object, ...]] = [tuple(c.model_dump().values()) for c in session.exec(select(Catalogue))]
        rows += [tuple(a.model_dump().values()) for a in session.exec(select(FocusArea))]
        rows += [tuple(m.model_dump().values()) for m in session.exec(select(Measure))]
    return sorted(rows, key=repr)


def test_a_copy_has_the_same_areas_and_measures_and_the_event_uses_it(
        engine: Engine, catalogues: CatalogueService) -> None:
    original = bundled(engine, "leve-hele-livet")
    event_id = new_event(engine)
    before = catalogues.areas(original.id or 0)

    copy = catalogues.copy_for_event(event_id)

    assert not copy.read_only and copy.based_on_id == original.id and copy.key == f"event-{event_id}-1"
    assert copy.free_measures == original.free_measures
    assert copy.name_nb == "{} {}".format(original.name_nb, translator("nb")(COPY_SUFFIX))
    assert copy.name_nn == "{} {}".format(original.name_nn, translator("nn")(COPY_SUFFIX))
    assert copy.name_en == f"{original.name_en} (copy)"
    copied = catalogues.areas(copy.id or 0)
    assert [len(a.measures) for a in copied] == [len(a.measures) for a in before] == [5] * 5
    assert [(a.area.name_nb, a.area.name_nn, a.area.description_en) for a in copied] == \
        [(a.area.name_nb, a.area.name_nn, a.area.description_en) for a in before]
    assert [[m.name_nn for m in a.measures] for a in copied] == [[m.name_nn for m in a.measures] for a in before]
    assert {a.area.id for a in copied}.isdisjoint({a.area.id for a in before})
    with unit_of_work(engine) as session:
        assert (session.get(Event, event_id) or Event()).catalogue_id == copy.id
        assert session.get(Catalogue, original.id).read_only  # type: ignore[union-attr]
    assert catalogues.areas(original.id or 0) == before  # the original is untouched


def test_a_second_copy_gets_its_own_key(engine: Engine, catalogues: CatalogueService) -> None:
    event_id = new_event(engine, "bo-trygt-hjemme")
    first_area = catalogues.areas(bundled(engine, "bo-trygt-hjemme").id or 0)[0].area
    with unit_of_work(engine) as session:  # free measures are the group's own texts
        session.add(GroupChoice(event_id=event_id, municipality_number="1804", focus_area_id=first_area.id,
                                measures=["Turgrupper"]))
    first = catalogues.copy_for_event(event_id)
    second = catalogues.copy_for_event(event_id)  # a copy of the copy
    assert (first.key, second.key) == (f"event-{event_id}-1", f"event-{event_id}-2")
    assert second.based_on_id == first.id and second.name_en == first.name_en  # no "(copy) (copy)"
    assert second.free_measures and catalogues.areas(second.id or 0)[0].measures == []
    with unit_of_work(engine) as session:
        choice = session.exec(select(GroupChoice)).one()
    assert choice.focus_area_id == catalogues.areas(second.id or 0)[0].area.id
    assert choice.measures == ["Turgrupper"]


def test_group_choices_follow_the_copy_and_lose_a_removed_measure(
        engine: Engine, catalogues: CatalogueService) -> None:
    event_id = new_event(engine)
    area = catalogues.areas(bundled(engine, "leve-hele-livet").id or 0)[2]
    with unit_of_work(engine) as session:
        session.add(GroupChoice(event_id=event_id, municipality_number="1804", focus_area_id=area.area.id,
                                measures=[str(area.measures[0].id), str(area.measures[3].id)]))
    copy = catalogues.copy_for_event(event_id)
    copied = catalogues.areas(copy.id or 0)[2]
    with unit_of_work(engine) as session:
        choice = session.exec(select(GroupChoice)).one()
    assert choice.focus_area_id == copied.area.id and choice.version == 2  # a group editing it hears of it
    assert choice.measures == [str(copied.measures[0].id), str(copied.measures[3].id)]

    catalogues.remove_measure(copied.measures[0].id or 0)
    with unit_of_work(engine) as session:
        choice = session.exec(select(GroupChoice)).one()
    assert choice.measures == [str(copied.measures[3].id)] and choice.version == 3


def test_areas_and_measures_of_a_copy_can_be_edited(engine: Engine, catalogues: CatalogueService) -> None:
    event_id = new_event(engine)
    copy = catalogues.copy_for_event(event_id)
    area = catalogues.areas(copy.id or 0)[1]

    catalogues.update_area(area.area.id or 0, Texts(" Aktivitet ", "Aktivitet", "Activity"),
                           Texts("Kort.", "Kort.", "x" * 500))
    catalogues.update_measure(area.measures[0].id or 0, Texts("Gode stunder", "Gode stunder", "Good times"))
    added = catalogues.add_measure(area.area.id or 0, GOOD)
    catalogues.remove_measure(area.measures[1].id or 0)

    edited = catalogues.areas(copy.id or 0)[1]
    assert (edited.area.name_nb, edited.area.name_en, edited.area.description_nb) == ("Aktivitet", "Activity", "Kort.")
    assert [m.name_nb for m in edited.measures] == \
        ["Gode stunder", *[m.name_nb for m in area.measures[2:]], "Eldre i arbeid"]
    assert [m.position for m in edited.measures] == [1, 2, 3, 4, 5]
    assert edited.measures[-1].id == added.id
    assert len(catalogues.areas(bundled(engine, "leve-hele-livet").id or 0)[1].measures) == 5


def test_a_bundled_catalogue_refuses_every_edit(engine: Engine, catalogues: CatalogueService) -> None:
    area = catalogues.areas(bundled(engine, "leve-hele-livet").id or 0)[0]
    before = snapshot(engine)
    for attempt in (
        lambda: catalogues.update_area(area.area.id or 0, GOOD, Texts()),
        lambda: catalogues.update_measure(area.measures[0].id or 0, GOOD),
        lambda: catalogues.add_measure(area.area.id or 0, GOOD),
        lambda: catalogues.remove_measure(area.measures[0].id or 0),
    ):
        with pytest.raises(UserError) as refused:
            attempt()
        assert "cannot be changed" in refused.value.message
    assert snapshot(engine) == before


@pytest.mark.parametrize(("names", "descriptions"), [
    (Texts("  ", "Namn", "Name"), Texts()),
    (Texts("Navn", "", "Name"), Texts()),
    (Texts("Navn", "Namn", "x" * 201), Texts()),
    (GOOD, Texts("", "x" * 501, "")),
])
def test_bad_texts_are_refused_and_nothing_is_stored(
        engine: Engine, catalogues: CatalogueService, names: Texts, descriptions: Texts) -> None:
    copy = catalogues.copy_for_event(new_event(engine))
    area = catalogues.areas(copy.id or 0)[0]
    before = snapshot(engine)
    with pytest.raises(UserError):
        catalogues.update_area(area.area.id or 0, names, descriptions)
    if descriptions == Texts():
        with pytest.raises(UserError):
            catalogues.update_measure(area.measures[0].id or 0, names)
        with pytest.raises(UserError):
            catalogues.add_measure(area.area.id or 0, names)
    assert snapshot(engine) == before


def test_missing_things_are_refused(engine: Engine, catalogues: CatalogueService) -> None:
    with pytest.raises(UserError):
        catalogues.copy_for_event(9999)
    event = EventService(engine).create(EventDetails("Uten katalog", date(2027, 3, 4)))
    with pytest.raises(UserError):
        catalogues.copy_for_event(event.id or 0)
    with pytest.raises(UserError):
        catalogues.remove_measure(9999)
    with pytest.raises(UserError):
        catalogues.update_area(9999, GOOD, Texts())
    with unit_of_work(engine) as session:
        assert session.exec(select(func.count()).select_from(Catalogue)).one() == 2


async def test_copy_the_catalogue_and_edit_it_in_the_set_up(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    catalogues = app_services.catalogues
    original = catalogues.for_event(event_id)
    assert original is not None and original.read_only
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=catalogue")
    await user.should_see("Leve hele livet")
    await user.should_not_see(marker="area-1-save")

    user.find(marker="copy-catalogue").click()
    await user.should_see(marker="area-1-save")
    copy = catalogues.for_event(event_id)
    assert copy is not None and not copy.read_only and copy.based_on_id == original.id

    user.find(marker="area-1-name-nn").elements.pop().value = "Eit aldersvenleg samfunn"
    user.find(marker="area-1-save").click()
    await user.should_see(marker="area-1-measure-5-remove")
    first = catalogues.areas(copy.id or 0)[0]
    assert first.area.name_nn == "Eit aldersvenleg samfunn"

    user.find(marker="area-1-name-nb").elements.pop().value = "   "  # refused, and nothing stored
    user.find(marker="area-1-save").click()
    await user.should_see("(Bokmål)")  # the message names the language
    assert catalogues.areas(copy.id or 0)[0].area.name_nb == first.area.name_nb

    for language, text in zip(("nb", "nn", "en"), ("Turgrupper", "Turgrupper", "Walking groups"), strict=True):
        user.find(marker=f"area-1-new-measure-{language}").elements.pop().value = text
    user.find(marker="area-1-add-measure").click()
    await user.should_see(marker="area-1-measure-6-remove")
    user.find(marker="area-1-measure-1-remove").click()
    await user.should_not_see(marker="area-1-measure-6-remove")
    names = [m.name_nb for m in catalogues.areas(copy.id or 0)[0].measures]
    assert names == [m.name_nb for m in first.measures[1:]] + ["Turgrupper"]
    assert [len(a.measures) for a in catalogues.areas(original.id or 0)] == [5] * 5
