"""The exports open in Norwegian Excel, and no answer becomes a formula or breaks the file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from polls.exports import Sheet, as_csv, as_xlsx

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
