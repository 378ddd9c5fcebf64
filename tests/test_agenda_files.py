"""An agenda as people keep it in files: export and import again change nothing stored, polls included;
Excel's CSV in Norwegian; errors by spreadsheet row; overlapping items; hostile texts in every column."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from agenda.planning import PlannedItem
from agenda.service import AgendaService
from agenda.transfer import AgendaFileError, items_to_csv, items_to_yaml, parse_agenda
from core.i18n import Translate
from core.text import is_safe
from events.service import EventDetails
from polls.models import Poll
from tests.conftest import ROOT
from workshops.setup import EventSetup

HOSTILE: dict[str, str] = json.loads((ROOT / "tests" / "data" / "hostile-text.json").read_text(encoding="utf-8"))

LUNCH_AT_NOON = [
    PlannedItem(time(9, 0), 30, "Kaffe og registrering", ("Statsforvalteren",), "break", key="kaffe"),
    PlannedItem(time(9, 30), 60, "Bo trygt hjemme", ("KS", "Kommunalsjef"), "talk", ("Innledning", "Spørsmål"),
                auto_advance=True),
    PlannedItem(time(10, 30), 60, "Gruppearbeid", ("Kommunene",), "group_work", parallel=False),
    PlannedItem(time(10, 30), 60, "Verksted for ledere", ("USHT",), "other", parallel=True),
    PlannedItem(time(12, 0), 45, "Lunsj", (), "break", fixed_time=True, auto_advance=True),
    PlannedItem(time(12, 45), 30, "Meningsmåling", ("Alle",), "poll"),
]


def _stored_event(engine: Engine, items: list[PlannedItem] | None) -> tuple[int, AgendaService]:
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 24)),
                                      template_key="dialogmote-leve-hele-livet")
    agenda = AgendaService(engine)
    if items is not None:
        agenda.replace_plan(event.id or 0, items)
    return event.id or 0, agenda


def _polls(engine: Engine, event_id: int) -> dict[int, int | None]:
    with Session(engine) as session:
        polls = session.exec(select(Poll).where(Poll.event_id == event_id))
        return {poll.id or 0: poll.agenda_item_id for poll in polls}


@pytest.mark.parametrize("programme", ["seed template", "lunch at noon"])
@pytest.mark.parametrize("form", ["csv", "yaml"])
def test_import_of_an_unchanged_export_changes_nothing(programme: str, form: str, engine: Engine,
                                                       nb: Translate) -> None:
    event_id, agenda = _stored_event(engine, None if programme == "seed template" else LUNCH_AT_NOON)
    before = agenda.plan(event_id)
    polls = _polls(engine, event_id)
    if programme == "seed template":
        assert sum(item_id is not None for item_id in polls.values()) == 2  # the opening poll and its repeat
    exported = ("\ufeff" + items_to_csv([row.item for row in before])).encode() if form == "csv" \
        else items_to_yaml([row.item for row in before]).encode()
    agenda.replace_plan(event_id, parse_agenda(f"agenda.{form}", exported, nb))
    assert agenda.plan(event_id) == before  # ids, keys, times, roles, move on by itself, parallel
    assert _polls(engine, event_id) == polls  # every poll still attached to its item


def test_items_are_found_by_key_when_the_file_moves_and_adds_items(engine: Engine, nb: Translate) -> None:
    event_id, agenda = _stored_event(engine, None)
    before = agenda.plan(event_id)
    welcome = before[0]
    polls = _polls(engine, event_id)
    items = [replace(row.item, start=time(row.item.start.hour - 1, row.item.start.minute)) for row in before]
    items.insert(0, PlannedItem(time(8, 30), 30, "Frokost", kind="break"))
    agenda.replace_plan(event_id, parse_agenda("agenda.csv", items_to_csv(items).encode(), nb))
    after = agenda.plan(event_id)
    assert after[1].id == welcome.id and after[1].item.start == time(9, 0)
    assert after[0].item.key and after[0].item.key not in {row.item.key for row in before}
    assert _polls(engine, event_id) == polls


EXCEL_CSV = (
    "\ufeffnøkkel;Start;Slutt;Tittel;Ansvarlig;Type;Fast tid;Parallell;Videre av seg selv;Underpunkter\r\n"
    "kaffe;09:00:00;09:30:00;Kaffe og registrering;Statsforvalteren;pause;USANN;USANN;USANN;\r\n"
    ";9.30;10.30;Bo trygt hjemme;KS/Kommunalsjef;innlegg;usann;nei;SANN;\"Innledning\r\nSpørsmål\"\r\n"
    ";10:30;11:30;Gruppearbeid;Kommunene;gruppearbeid;nei;false;nei;\r\n"
    ";10:30:00;11:30:00;Verksted for ledere;USHT;annet;NEI;SANN;USANN;\r\n"
    ";12:00;12:45;Lunsj;;Pause;SANN;USANN;ja;\r\n"
    ";12:45;13:15;Meningsmåling;Alle;meningsmåling;;;;\r\n"
)


def test_csv_as_norwegian_excel_writes_it(nb: Translate) -> None:
    assert parse_agenda("program.csv", EXCEL_CSV.encode(), nb) == LUNCH_AT_NOON


def test_nynorsk_and_english_columns_and_kinds(nb: Translate) -> None:
    nynorsk = "Start;Slutt;Tittel;Ansvarleg;Type;Vidare av seg sjølv\n10:00;10:30;Opning;FM;meiningsmåling;sann\n"
    english = "start,end,title,kind,move on by itself,fixed\n10:00,10:30,Opning,group work,TRUE,yes\n"
    assert parse_agenda("a.csv", nynorsk.encode(), nb) == [
        PlannedItem(time(10), 30, "Opning", ("FM",), "poll", auto_advance=True)]
    assert parse_agenda("a.csv", english.encode(), nb) == [
        PlannedItem(time(10), 30, "Opning", (), "group_work", fixed_time=True, auto_advance=True)]


def test_export_uses_the_events_language(engine: Engine) -> None:
    header = {language: items_to_csv(LUNCH_AT_NOON, language).splitlines()[0] for language in ("nb", "nn", "en")}
    assert header["nb"].startswith("nøkkel;start;slutt;tittel;ansvarlig;type;fast tid;parallell;videre av seg selv")
    assert "ansvarleg" in header["nn"] and "vidare av seg sjølv" in header["nn"]
    assert header["en"].startswith("key;start;end;title;responsible;kind;fixed;parallel;move on by itself")
    assert "gruppearbeid;nei" in items_to_csv(LUNCH_AT_NOON, "nn") and "group work;no" in items_to_csv(
        LUNCH_AT_NOON, "en")


def _problems(name: str, text: str, nb: Translate) -> list[str]:
    with pytest.raises(AgendaFileError) as caught:
        parse_agenda(name, text.encode(), nb)
    return caught.value.problems


def test_errors_name_the_spreadsheet_row_after_a_cell_with_line_breaks(nb: Translate) -> None:
    text = ("start;slutt;tittel;underpunkter\n"
            "09:00;09:30;Velkommen;\"første\nandre\ntredje\"\n"  # row 2, three lines of text
            "09:30;09:20;Baklengs;\n")  # row 3
    assert _problems("a.csv", text, nb) == ["Rad 3: slutten 09:20 er ikke etter starten 09:30."]
    assert _problems("a.csv", text, lambda message: message) == ["Row 3: the end 09:20 is not after the start 09:30."]


def test_overlapping_items_are_refused_unless_marked_parallel(nb: Translate) -> None:
    text = ("start;slutt;tittel;parallell\n"
            "10:00;11:00;Plenum;nei\n"
            "10:30;11:30;Verksted;\n")
    assert _problems("a.csv", text, nb) == [
        "Rad 3: «Verksted» starter 10:30, før «Plenum» (Rad 2) slutter 11:00. "
        "Merk det som parallelt hvis de går samtidig."]
    items = parse_agenda("a.csv", text.replace("Verksted;", "Verksted;ja").encode(), nb)
    assert [item.parallel for item in items] == [False, True]
    yaml_text = ('items:\n  - {start: "10:00", end: "11:00", title: Plenum}\n'
                 '  - {start: "10:30", end: "11:30", title: Verksted}\n')
    assert _problems("a.yaml", yaml_text, nb)[0].startswith("Linje 3: «Verksted» starter 10:30")


def test_a_key_given_twice_is_refused_with_both_rows(nb: Translate) -> None:
    text = "nøkkel;start;slutt;tittel\na;09:00;09:30;En\na;09:30;10:00;To\n"
    assert _problems("a.csv", text, nb) == ["Rad 3: nøkkelen «a» er gitt til et punkt før, i Rad 2."]


COLUMNS = ("nøkkel", "tittel", "ansvarlig", "type", "fast tid", "parallell", "videre av seg selv", "underpunkter")


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_in_any_column_is_refused_by_row_or_kept_as_data(column: str, name: str,
                                                                      nb: Translate) -> None:
    cells = {"nøkkel": "", "tittel": "Punkt", "ansvarlig": "", "type": "", "fast tid": "", "parallell": "",
             "videre av seg selv": "", "underpunkter": ""} | {column: HOSTILE[name]}
    quoted = ['"' + cell.replace('"', '""') + '"' for cell in cells.values()]
    text = "start;slutt;" + ";".join(COLUMNS) + "\n09:00;09:30;" + ";".join(quoted) + "\n"
    try:
        items = parse_agenda("a.csv", text.encode("utf-8", "surrogatepass"), nb)
    except AgendaFileError as error:
        assert all(problem.startswith("Rad 2") for problem in error.problems), error.problems
        return
    [item] = items
    for kept in (item.key, item.title, *item.responsible, *item.details):
        assert is_safe(kept) and kept == unicodedata.normalize("NFC", kept)
