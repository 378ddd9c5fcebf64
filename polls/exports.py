"""Anonymous exports of an event's answers: every answer, and the counts per municipality.

Answers a facilitator hid or deleted are left out.

No device id leaves the app. A municipality is named only where polls.disclosure allows it for the
question (at least MIN_GROUP answers, and the rest not given away by the total); the others are pooled,
and the pool gets figures of its own only with MIN_GROUP answers itself (DESIGN §6).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.database import unit_of_work
from core.i18n import Translate
from core.text import shown
from events.models import Municipality
from polls.disclosure import MIN_GROUP, shown_groups
from polls.models import RECEIVED, Device, Poll, Question, Vote
from polls.tally import tally


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _answer_text(question: Question, answer: Any) -> str:
    if question.kind == "single":
        return question.options[answer] if isinstance(answer, int) and answer < len(question.options) else ""
    if question.kind == "multiple":
        return "; ".join(question.options[i] for i in answer if isinstance(i, int) and i < len(question.options))
    if question.kind == "words":
        return ", ".join(answer)
    return str(answer)


def export_sheets(engine: Engine, event_id: int, _: Translate) -> tuple[Sheet, Sheet]:
    """The answers sheet and the counts sheet, in the facilitator's language."""
    with unit_of_work(engine) as session:
        names = {m.number: m.name for m in session.exec(select(Municipality))}
        rows = session.exec(
            select(Poll, Question, Vote, Device.municipality_number)
            .join(Question, col(Question.poll_id) == col(Poll.id))
            .join(Vote, col(Vote.question_id) == col(Question.id))
            .join(Device, col(Device.id) == col(Vote.device_id))
            .where(Poll.event_id == event_id, Vote.status == RECEIVED)
            .order_by(col(Poll.id), col(Question.position), col(Vote.id))).all()
    # Hosts' and county staff's phones (no municipality) are never named as one: they go in the pool.
    pooled = _("Other municipalities and hosts together") if any(row[3] is None for row in rows) \
        else _("Other municipalities together")
    sizes: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for _poll, question, _vote, municipality in rows:
        sizes[question.id or 0][municipality] += 1
    visible = {question_id: shown_groups([counted]) for question_id, counted in sizes.items()}

    def group_name(question_id: int, municipality: str | None) -> str:
        return names.get(municipality, municipality) if municipality in visible[question_id] and municipality \
            else pooled

    answers = Sheet(_("Answers"), [_("Poll"), _("Question"), _("Municipality"), _("Answer")], [
        [poll.title, question.prompt, group_name(question.id or 0, municipality), _answer_text(question, vote.answer)]
        for poll, question, vote, municipality in rows])
    everyone = _("Everyone")
    grouped: dict[tuple[int, str], list[Any]] = defaultdict(list)
    questions = {}
    for poll, question, vote, municipality in rows:
        questions[question.id or 0] = (poll, question)
        grouped[(question.id or 0, group_name(question.id or 0, municipality))].append(vote.answer)
        grouped[(question.id or 0, everyone)].append(vote.answer)
    counts = Sheet(_("Counts"), [_("Poll"), _("Question"), _("Municipality"), _("Answers"), _("Answer"),
                                 _("Count"), _("Average")], [])
    for (question_id, group), given in sorted(grouped.items(),
                                              key=lambda pair: (pair[0][0], pair[0][1] != everyone, pair[0][1])):
        poll, question = questions[question_id]
        if group == pooled and (len(given) < MIN_GROUP or not visible[question_id] - {None}):
            continue  # a small pool, or one that is the whole room: the room's figures say it
        counted = tally(question_id, question.kind, question.options, given)
        mean = round(counted.mean, 2) if counted.mean is not None else ""
        pairs: list[tuple[str, int | str]] = [*zip(counted.labels, counted.counts, strict=True), *counted.words]
        for label, count in pairs or [("", "")]:
            counts.rows.append([poll.title, question.prompt, group, counted.responses, label, count, mean])
    return answers, counts


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula gets a leading apostrophe (as OWASP advises)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value


def _csv_cell(value: Any) -> Any:
    return f"{value}".replace(".", ",") if isinstance(value, float) else inert(value)


def as_csv(sheet: Sheet) -> bytes:
    """For Norwegian Excel: `;` between cells, decimal commas, and a byte order mark so that æ, ø and å
    are read right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([inert(cell) for cell in sheet.header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in sheet.rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def as_xlsx(*sheets: Sheet) -> bytes:
    """Texts are typed as text, so none is ever taken for a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        page = workbook.create_sheet(sheet.name[:31])
        for row_number, row in enumerate([sheet.header, *sheet.rows], start=1):
            for column, value in enumerate(row, start=1):
                cell = page.cell(row_number, column, shown(value))  # a control character would break the file
                if isinstance(value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
