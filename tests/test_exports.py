"""The exports open in Norwegian Excel, and no answer becomes a formula or breaks the file."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from core.i18n import translator
from polls.exports import Sheet, as_csv, as_xlsx, export_sheets
from tests.test_summaries import day  # noqa: F401  (the fixture)
from workshops.summaries import SummaryService

HOSTILE = json.loads((Path(__file__).resolve().parent / "data" / "hostile-text.json").read_text(encoding="utf-8"))
FORMULAS = [HOSTILE[name] for name in ("formula_eq", "formula_plus", "formula_minus", "formula_at", "formula_tab")]


def sheet(answers: list[str]) -> Sheet:
    return Sheet("Svar", ["Spørsmål", "Svar", "Snitt"], [["Hva tenker du?", answer, 3.67] for answer in answers])


def test_csv_for_norwegian_excel_with_formulas_made_inert() -> None:
    data = as_csv(sheet([*FORMULAS, "Trygghet"]))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Spørsmål", "Svar", "Snitt"]
    assert [row[1] for row in rows[1:]] == [f"'{text}" for text in FORMULAS] + ["Trygghet"]
    assert {row[2] for row in rows[1:]} == {"3,67"}


def test_xlsx_keeps_every_text_as_text() -> None:
    texts = [*FORMULAS, HOSTILE["html"], HOSTILE["sql"], HOSTILE["emoji"], HOSTILE["sami_letters"]]
    workbook = load_workbook(io.BytesIO(as_xlsx(sheet(texts))))
    cells = [row[1] for row in workbook["Svar"].iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == texts
    assert {cell.data_type for cell in cells} == {"s"}  # a string, never a formula
    assert {row[2].value for row in workbook["Svar"].iter_rows(min_row=2)} == {3.67}


def excel_rows(data: bytes) -> list[dict[str, str]]:
    """The file as Norwegian Excel reads it: UTF-8 after the byte order mark, cells split at `;`."""
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data[len(codecs.BOM_UTF8):].decode("utf-8"), newline=""), delimiter=";"))


def test_an_events_exports_open_in_norwegian_excel_under_the_small_group_rule(
        engine: Engine, day: tuple[int, SummaryService]) -> None:  # noqa: F811
    event_id, _summaries = day  # Bodø 6 answers, Narvik 2, hosts 3: Narvik is pooled with the hosts
    answers, counts = export_sheets(engine, event_id, translator("nb"))
    answer_rows, count_rows = excel_rows(as_csv(answers)), excel_rows(as_csv(counts))
    assert {row["Kommune"] for row in answer_rows} == {"Bodø", "Andre kommuner og arrangører samlet"}
    assert len(answer_rows) == 11
    means = {row["Kommune"]: row["Snitt"] for row in count_rows}
    assert means == {"Alle": "3,64", "Bodø": "4,5", "Andre kommuner og arrangører samlet": "2,6"}  # decimal commas
    assert "Narvik" not in as_csv(answers).decode("utf-8-sig") + as_csv(counts).decode("utf-8-sig")
