"""The bundled municipalities, catalogues and the seed programme's template."""

from __future__ import annotations

from collections import Counter
from datetime import time

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.database import unit_of_work
from events.models import Municipality
from events.municipalities import read_municipalities, read_official_names
from workshops.bundled import install_bundled_data
from workshops.models import Catalogue, FocusArea, Measure
from workshops.templates import bundled_templates

LHL_AREAS = ["Et aldersvennlig Norge", "Aktivitet og fellesskap", "Mat og måltid", "Helsehjelp",
             "Sammenheng og overganger i tjenestene"]


def test_the_357_municipalities_of_2024() -> None:
    municipalities = read_municipalities()
    assert len(municipalities) == 357
    assert len({m.number for m in municipalities}) == 357
    assert all(len(m.number) == 4 and m.number.isdigit() for m in municipalities)
    nordland = [m for m in municipalities if m.county_number == "18"]
    assert len(nordland) == 41 and {m.county_name for m in nordland} == {"Nordland"}
    assert ("1804", "Bodø") in {(m.number, m.name) for m in municipalities}


def test_installing_twice_adds_nothing_more(engine: Engine) -> None:
    install_bundled_data(engine)
    install_bundled_data(engine)
    with unit_of_work(engine) as session:
        assert len(session.exec(select(Municipality)).all()) == 357
        assert sorted(session.exec(select(Catalogue.key)).all()) == ["bo-trygt-hjemme", "leve-hele-livet"]


def test_every_municipality_has_its_official_name_and_malform() -> None:
    official = read_official_names()
    municipalities = {m.number: m for m in read_municipalities()}
    assert len(official) == 357 and official.keys() == municipalities.keys()
    with_parallel = [m for m in municipalities.values() if m.parallel_names]
    assert len(with_parallel) == 29
    assert Counter(m.malform for m in municipalities.values()) == {"bokmål": 119, "nynorsk": 89, "nøytral": 149}
    karasjok, lyngen, oslo, bodo = (municipalities[n] for n in ("5610", "5536", "0301", "1804"))
    assert (karasjok.name, karasjok.addressed_name, karasjok.malform) == ("Karasjok", "Kárášjohka – Karasjok", "bokmål")
    assert lyngen.addressed_name == "Lyngen – Ivgu – Yykeä" and lyngen.parallel_names == ["Ivgu", "Yykeä"]
    assert lyngen.listed_name == "Lyngen · Ivgu · Yykeä"
    assert (oslo.addressed_name, oslo.malform) == ("Oslo – Oslove", "nøytral")
    assert (bodo.addressed_name, bodo.parallel_names, bodo.listed_name) == ("Bodø", [], "Bodø")
    assert municipalities["4601"].malform == "nøytral" and municipalities["1119"].malform == "nynorsk"


def test_stored_municipalities_get_their_official_name_at_the_next_start(engine: Engine) -> None:
    """A database from before the official names: the names are filled in, the Norwegian name is kept."""
    install_bundled_data(engine)
    with unit_of_work(engine) as session:
        nesseby = session.get(Municipality, "5636")
        assert nesseby is not None
        nesseby.name, nesseby.official_name, nesseby.malform = "Nesseby (renamed here)", "", "nøytral"
        session.add(nesseby)
    install_bundled_data(engine)
    with unit_of_work(engine) as session:
        nesseby = session.get(Municipality, "5636")
        assert nesseby is not None
        assert (nesseby.name, nesseby.official_name, nesseby.malform) == (
            "Nesseby (renamed here)", "Unjárga – Nesseby", "bokmål")


def test_leve_hele_livet_has_five_areas_with_five_measures_in_both_written_languages(engine: Engine) -> None:
    install_bundled_data(engine)
    with unit_of_work(engine) as session:
        catalogue = session.exec(select(Catalogue).where(Catalogue.key == "leve-hele-livet")).one()
        assert catalogue.read_only
        areas = session.exec(select(FocusArea).where(FocusArea.catalogue_id == catalogue.id)
                             .order_by(col(FocusArea.position))).all()
        assert [a.name_nb for a in areas] == LHL_AREAS
        assert areas[0].name_nn == "Eit aldersvenleg Noreg"
        measures = {a.name_nb: session.exec(select(Measure).where(Measure.focus_area_id == a.id)
                                            .order_by(col(Measure.position))).all() for a in areas}
    assert all(len(m) == 5 for m in measures.values())
    assert [m.name_nb for m in measures["Mat og måltid"]][:2] == [
        "Det gode måltidet – «spisevenner»", "Måltidstider – maks 11 timer mellom kveldsmat og frokost"]
    assert measures["Aktivitet og fellesskap"][0].name_nn == "Gode augneblinkar"
    assert all(m.name_nb and m.name_nn for ms in measures.values() for m in ms)


def test_bo_trygt_hjemme_has_four_areas_and_free_measures(engine: Engine) -> None:
    install_bundled_data(engine)
    with unit_of_work(engine) as session:
        catalogue = session.exec(select(Catalogue).where(Catalogue.key == "bo-trygt-hjemme")).one()
        areas = session.exec(select(FocusArea).where(FocusArea.catalogue_id == catalogue.id)
                             .order_by(col(FocusArea.position))).all()
    assert catalogue.free_measures and catalogue.read_only
    assert [a.name_nb for a in areas] == ["Levende lokalsamfunn", "Boligtilpasning og -planlegging",
                                          "Kompetente og myndiggjorte medarbeidere",
                                          "Trygghet for brukere og støtte til pårørende"]


def test_the_template_reproduces_the_seed_programme() -> None:
    template = bundled_templates()["dialogmote-leve-hele-livet"]
    rows = [(i.start.strftime("%H.%M"), i.end.strftime("%H.%M"), "/".join(i.responsible), i.title, i.kind)
            for i in template.items]
    assert rows == [
        ("10.00", "10.10", "FM", "Velkommen", "poll"),
        ("10.10", "10.30", "FM", "Leve hele livet – en kvalitetsreform for eldre", "talk"),
        ("10.30", "10.55", "KS/FM", "Et aldersvennlig Norge (Velferdsteknologi)", "talk"),
        ("10.55", "11.05", "", "Pause", "break"),
        ("11.05", "11.40", "USHT/FM", "Aktivitet og fellesskap", "talk"),
        ("11.40", "11.50", "FM", "Mat og måltid", "talk"),
        ("11.50", "12.05", "FM", "Helsehjelp", "talk"),
        ("12.05", "12.30", "KS", "Sammenheng i tjenestene", "talk"),
        ("12.30", "13.15", "", "Lunch", "break"),
        ("13.15", "14.15", "Kommunene", "Innledning: Tilbakemeldinger fra kommunene", "group_work"),
        ("14.15", "15.00", "Kommunene", "Gruppearbeid 2", "group_work"),
        ("15.00", "15.30", "Alle", "Oppsummering og avslutning", "other"),
    ]
    assert template.items[0].details == (
        "Meningsmåling: hvordan vil Leve hele livet bidra til forandring i din kommune?", "Film: Leve hele livet")
    assert template.items[4].details == ("Inn på tunet – en mulighet for dagaktivitetstilbud",)
    assert template.items[9].details == ("Gruppearbeid 1",)
    assert "Meningsmåling på nytt." in template.items[10].details
    assert template.items[8].fixed_time and template.items[8].start == time(12, 30)
    assert [(p.key, p.item_number, p.repeat_of) for p in template.polls] == [
        ("opening", 1, None), ("closing", 11, "opening")]
