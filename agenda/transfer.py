"""Agenda files: export planned items to CSV or YAML and import them back.

The format is described in docs/agenda-format.md. Import is all or nothing: a file with any
problem imports no items, and the error lists every problem found, each with where it is (the
spreadsheet row of a CSV file, the line of a YAML file), in file order. Every message is an
English message id passed through the caller's gettext.

Pure code: no framework, no database.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import time
from pathlib import PurePath
from typing import NamedTuple, NoReturn

import yaml

from agenda.file_words import (
    COLUMN_NAMES,
    FIELDS,
    KIND_WORDS,
    YES_NO,
    field_of,
    file_language,
    kind_of,
    truth_of,
)
from agenda.planning import (
    KEY_PATTERN,
    MAX_DETAILS_LENGTH,
    MAX_DURATION_MINUTES,
    MAX_ROLE_LENGTH,
    MAX_ROLES_LENGTH,
    MAX_TITLE_LENGTH,
    MINUTES_PER_DAY,
    PlannedItem,
    known_spelling,
    overlaps,
)
from core.i18n import Translate
from core.text import is_safe

MAX_FILE_BYTES = 200_000
MAX_ITEMS = 100

EXPORTED_FIELDS = tuple(name for name in FIELDS if name != "duration")
"""The columns written on export, in this order."""

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_NULL = "tag:yaml.org,2002:null"


class AgendaFileError(ValueError):
    """An agenda file that cannot be imported; `problems` are translated, one per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Export


def _clock(minutes: int) -> str:
    """'HH:MM' of minutes since midnight; 1440 is written '24:00'."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def items_to_csv(items: Sequence[PlannedItem], language: str = "nb") -> str:
    """CSV as Norwegian Excel writes it: a header row in `language`, `;` between cells, CRLF, one row per item,
    in the given order (the caller adds the byte order mark of a file)."""
    language = file_language(language)
    names, kinds = COLUMN_NAMES[language], KIND_WORDS[language]
    yes, no = YES_NO[language]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([names[name] for name in EXPORTED_FIELDS])
    for item in items:
        values = {
            "key": item.key,
            "start": _clock(item.start_minutes),
            "end": _clock(item.end_minutes),
            "title": item.title,
            "responsible": "/".join(item.responsible),
            "kind": kinds[item.kind],
            "fixed": yes if item.fixed_time else no,
            "parallel": yes if item.parallel else no,
            "auto_advance": yes if item.auto_advance else no,
            "details": "\n".join(item.details),
        }
        writer.writerow([values[name] for name in EXPORTED_FIELDS])
    return buffer.getvalue()


class _Quoted(str):
    """A string always written in double quotes (times, so that YAML 1.1 never reads a number)."""


class _Flow(list[str]):
    """A list written on one line, like `[KS, FM]`."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list entries under their key, as in the event templates."""
        super().increase_indent(flow, False)


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(_Flow, _represent_flow)


def items_to_yaml(items: Sequence[PlannedItem]) -> str:
    """YAML with one `items:` list, in the style (and the English keys) of the event templates."""
    entries: list[dict[str, object]] = []
    for item in items:
        entry: dict[str, object] = {}
        if item.key:
            entry["key"] = _Quoted(item.key)
        entry |= {"start": _Quoted(_clock(item.start_minutes)), "end": _Quoted(_clock(item.end_minutes)),
                  "title": item.title}
        if item.responsible:
            entry["responsible"] = _Flow(item.responsible)
        entry["kind"] = item.kind
        for name, on in (("fixed", item.fixed_time), ("parallel", item.parallel),
                         ("auto_advance", item.auto_advance)):
            if on:
                entry[name] = True
        if item.details:
            entry["details"] = list(item.details)
        entries.append(entry)
    return yaml.dump(
        {"items": entries},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )


# ---------------------------------------------------------------------------------------------
# Checking one item (shared by CSV and YAML)


class _Text(NamedTuple):
    line: int
    value: str


@dataclass
class _Fields:
    """The raw values of one item, each with the row or line it came from; blank values are None."""

    line: int
    key: _Text | None = None
    start: _Text | None = None
    end: _Text | None = None
    duration: _Text | None = None
    title: _Text | None = None
    responsible: list[_Text] = field(default_factory=list)
    kind: _Text | None = None
    fixed: _Text | None = None
    parallel: _Text | None = None
    auto_advance: _Text | None = None
    details: list[str] = field(default_factory=list)
    details_line: int = 0
    unreadable: set[str] = field(default_factory=set)
    """Keys whose value had the wrong shape, already reported: not reported again as missing."""


class _Problems:
    """Problems with the row or line they are on; reported sorted by it, in the order found.

    Each message starts with `{where}`: "Row 4" in a CSV file (the row a spreadsheet shows), "Line 4" in YAML."""

    def __init__(self, place: Callable[[int], str]) -> None:
        self._place = place
        self._found: list[tuple[int, str]] = []

    def add(self, line: int, message: str, **values: object) -> None:
        self._found.append((line, message.format(where=self._place(line), **values)))

    def fail(self, line: int, message: str, **values: object) -> NoReturn:
        """Stop at a problem that leaves nothing more to check, with the problems found before it."""
        self.add(line, message, **values)
        self.raise_if_any()
        raise AssertionError("unreachable")

    def place(self, line: int) -> str:
        return self._place(line)

    def __len__(self) -> int:
        return len(self._found)

    def raise_if_any(self) -> None:
        if self._found:
            raise AgendaFileError([message for _line, message in sorted(self._found, key=lambda p: p[0])])


def _rows(_: Translate) -> _Problems:
    return _Problems(lambda row: _("Row {row}").format(row=row))


def _lines_of_file(_: Translate) -> _Problems:
    return _Problems(lambda line: _("Line {line}").format(line=line))


def _text(line: int, value: str | None) -> _Text | None:
    if value is None or not value.strip():
        return None
    return _Text(line, value.strip())


def _lines(value: str) -> list[str]:
    """The non-blank lines of a text, stripped."""
    return [part.strip() for part in _LINE_BREAK.split(value) if part.strip()]


def _parse_time(value: str, *, allow_midnight_end: bool) -> int | None:
    """Minutes since midnight of 'HH:MM', 'H:MM', 'HH.MM' or 'HH:MM:00' (as Excel writes a time); None if it is
    not such a time."""
    match = _TIME.fullmatch(value)
    if match is None or (match[3] is not None and match[3] != "00"):
        return None
    hours, minutes = int(match[1]), int(match[2])
    if allow_midnight_end and (hours, minutes) == (24, 0):
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _check_key(fields: _Fields, problems: _Problems, _: Translate) -> str | None:
    if fields.key is None:
        return ""
    if KEY_PATTERN.fullmatch(fields.key.value):
        return fields.key.value
    problems.add(fields.key.line, _("{where}: the key “{value}” may only hold letters A–Z, digits, - and _ "
                                    "(at most 40)."), value=fields.key.value)
    return None


def _check_start(fields: _Fields, problems: _Problems, _: Translate) -> int | None:
    if fields.start is None:
        if "start" not in fields.unreadable:
            problems.add(fields.line, _("{where}: the start time is missing."))
        return None
    start = _parse_time(fields.start.value, allow_midnight_end=False)
    if start is None:
        problems.add(fields.start.line, _("{where}: “{value}” is not a time like 09:30."), value=fields.start.value)
    return start


def _check_end(fields: _Fields, problems: _Problems, _: Translate) -> int | None:
    if fields.end is None:
        return None
    end = _parse_time(fields.end.value, allow_midnight_end=True)
    if end is None:
        problems.add(fields.end.line, _("{where}: “{value}” is not a time like 09:30."), value=fields.end.value)
    return end


def _check_duration(fields: _Fields, problems: _Problems, _: Translate) -> int | None:
    if fields.duration is None:
        return None
    value = fields.duration.value
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DURATION_MINUTES:
        return int(value)
    problems.add(fields.duration.line, _("{where}: “{value}” is not a duration in whole minutes from 1 to 720."),
                 value=value)
    return None


def _check_length(
    fields: _Fields, start: int | None, problems: _Problems, _: Translate, *, both_allowed: bool
) -> int | None:
    """The duration in minutes, from the end time or the duration; None after a problem."""
    if fields.end is None and fields.duration is None:
        if not fields.unreadable & {"end", "duration"}:
            problems.add(fields.line, _("{where}: give an end time or a duration."))
        return None
    if fields.end is not None and fields.duration is not None and not both_allowed:
        problems.add(max(fields.end.line, fields.duration.line),
                     _("{where}: give an end time or a duration, not both."))
        return None
    end = _check_end(fields, problems, _)
    duration = _check_duration(fields, problems, _)
    if start is None or (fields.end is not None and end is None):
        return None
    if fields.duration is not None and duration is None:
        return None
    if end is not None:
        assert fields.end is not None and fields.start is not None
        if end <= start:
            problems.add(fields.end.line, _("{where}: the end {end} is not after the start {start}."),
                         end=fields.end.value, start=fields.start.value)
            return None
        if duration is not None and duration != end - start:
            problems.add(fields.line, _("{where}: the end {end} does not match the duration of {minutes} minutes."),
                         end=fields.end.value, minutes=duration)
            return None
        return end - start
    assert duration is not None and fields.duration is not None
    if start + duration > MINUTES_PER_DAY:
        problems.add(fields.duration.line, _("{where}: the item must end by 24:00."))
        return None
    return duration


def _check_title(fields: _Fields, problems: _Problems, _: Translate) -> str | None:
    if fields.title is None:
        if "title" not in fields.unreadable:
            problems.add(fields.line, _("{where}: the title is missing."))
        return None
    line, title = fields.title
    if len(title) > MAX_TITLE_LENGTH:
        problems.add(line, _("{where}: the title is {length} characters long; at most 200 are allowed."),
                     length=len(title))
        return None
    if _LINE_BREAK.search(title):
        problems.add(line, _("{where}: the title must be on one line."))
        return None
    return title


def _check_responsible(fields: _Fields, problems: _Problems, _: Translate) -> tuple[str, ...] | None:
    """Free text: any role, up to 40 characters each, 100 together; a role named twice counts once."""
    roles: list[str] = []
    ok = True
    for line, role in fields.responsible:
        if _LINE_BREAK.search(role):
            problems.add(line, _("{where}: a role must be on one line."))
            ok = False
        elif len(role) > MAX_ROLE_LENGTH:
            problems.add(line, _("{where}: the role “{value}” is longer than 40 characters."), value=role)
            ok = False
        elif known_spelling(role) not in roles:
            roles.append(known_spelling(role))
    if ok and len("/".join(roles)) > MAX_ROLES_LENGTH:
        problems.add(fields.responsible[0].line,
                     _("{where}: the roles are longer than 100 characters together."))
        ok = False
    return tuple(roles) if ok else None


def _check_kind(fields: _Fields, problems: _Problems, _: Translate) -> str | None:
    if fields.kind is None:
        return "talk"
    kind = kind_of(fields.kind.value)
    if kind is None:
        problems.add(fields.kind.line, _("{where}: “{value}” is not a kind of item; use {kinds}."),
                     value=fields.kind.value, kinds=", ".join(KIND_WORDS["nb"].values()))
    return kind


def _check_truth(text: _Text | None, problems: _Problems, _: Translate) -> bool | None:
    if text is None:
        return False
    truth = truth_of(text.value)
    if truth is None:
        problems.add(text.line, _("{where}: “{value}” is not yes or no (ja, nei, sann, usann, true, false)."),
                     value=text.value)
    return truth


def _check_details(fields: _Fields, problems: _Problems, _: Translate) -> tuple[str, ...] | None:
    length = len("\n".join(fields.details))  # as stored: one sub-point per line
    if length > MAX_DETAILS_LENGTH:
        problems.add(fields.details_line or fields.line,
                     _("{where}: the details are {length} characters long; at most 2000 are allowed."), length=length)
        return None
    return tuple(fields.details)


def _build_item(fields: _Fields, problems: _Problems, _: Translate, *, both_allowed: bool) -> PlannedItem | None:
    """The item, or None after adding its problems."""
    found_before = len(problems)
    key = _check_key(fields, problems, _)
    start = _check_start(fields, problems, _)
    duration = _check_length(fields, start, problems, _, both_allowed=both_allowed)
    title = _check_title(fields, problems, _)
    responsible = _check_responsible(fields, problems, _)
    kind = _check_kind(fields, problems, _)
    fixed = _check_truth(fields.fixed, problems, _)
    parallel = _check_truth(fields.parallel, problems, _)
    auto_advance = _check_truth(fields.auto_advance, problems, _)
    details = _check_details(fields, problems, _)
    if len(problems) > found_before or fields.unreadable:
        return None
    assert key is not None and start is not None and duration is not None and title is not None
    assert responsible is not None and kind is not None and details is not None
    assert fixed is not None and parallel is not None and auto_advance is not None
    return PlannedItem(
        start=time(start // 60, start % 60),
        duration_minutes=duration,
        title=title,
        responsible=responsible,
        kind=kind,
        details=details,
        fixed_time=fixed,
        key=key,
        parallel=parallel,
        auto_advance=auto_advance,
    )


def _check_count(item_lines: Sequence[int], empty_line: int, problems: _Problems, _: Translate) -> None:
    if not item_lines:
        problems.add(empty_line, _("{where}: the file has no agenda items."))
    elif len(item_lines) > MAX_ITEMS:
        problems.add(item_lines[MAX_ITEMS], _("{where}: an agenda can have at most 100 items; this is item {number}."),
                     number=MAX_ITEMS + 1)


def _check_plan(items: Sequence[tuple[int, PlannedItem]], problems: _Problems, _: Translate) -> None:
    """Across items: no key twice, and no overlap unless the later item is marked parallel."""
    first_with_key: dict[str, int] = {}
    for line, item in items:
        if not item.key:
            continue
        if item.key in first_with_key:
            problems.add(line, _("{where}: the key “{value}” is given to an item before, in {other}."),
                         value=item.key, other=problems.place(first_with_key[item.key]))
        else:
            first_with_key[item.key] = line
    plan = [item for _line, item in items]
    for index, earlier in overlaps(plan):
        line, item = items[index]
        problems.add(line, _("{where}: “{title}” starts at {start}, before “{other_title}” ({other}) ends at {end}. "
                             "Mark it as parallel if they run at the same time."),
                     title=item.title, start=_clock(item.start_minutes), other_title=plan[earlier].title,
                     other=problems.place(items[earlier][0]), end=_clock(plan[earlier].end_minutes))


# ---------------------------------------------------------------------------------------------
# CSV


def _read_csv_rows(text: str, delimiter: str, _: Translate) -> list[tuple[int, list[str]]]:
    """The records with the spreadsheet row each is in (a cell with line breaks is still one row); blank
    rows left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    row_number = 0
    try:
        for row in reader:
            row_number += 1
            if any(cell.strip() for cell in row):
                rows.append((row_number, row))
    except csv.Error:
        _rows(_).fail(row_number + 1, _("{where}: the CSV is malformed here; check the quotation marks."))
    return rows


def _all_column_names() -> str:
    return ", ".join(dict.fromkeys(COLUMN_NAMES["nb"].values()))


def _read_csv_header(line: int, header: list[str], problems: _Problems, _: Translate) -> list[str | None]:
    """The field of each column (None for an unknown one); trailing blank names (from spreadsheets) left out."""
    cells = [name.strip() for name in header]
    while cells and not cells[-1]:
        cells.pop()
    names: list[str | None] = []
    for number, cell in enumerate(cells, start=1):
        name = field_of(cell) if cell else None
        if not cell:
            problems.add(line, _("{where}: column {number} has no name."), number=number)
        elif name is None:
            problems.add(line, _("{where}: “{value}” is not a known column; use {columns}."), value=cell,
                         columns=_all_column_names())
        elif name in names:
            problems.add(line, _("{where}: the column “{value}” appears twice."), value=cell)
        names.append(name)
    for required in ("start", "title"):
        if required not in names:
            problems.add(line, _("{where}: the column “{value}” is missing."), value=COLUMN_NAMES["nb"][required])
    if "end" not in names and "duration" not in names:
        problems.add(line, _("{where}: the header needs a column “{end}” or “{duration}”."),
                     end=COLUMN_NAMES["nb"]["end"], duration=COLUMN_NAMES["nb"]["duration"])
    return names


def _csv_fields(line: int, values: dict[str, str]) -> _Fields:
    responsible = values.get("responsible", "")
    return _Fields(
        line=line,
        key=_text(line, values.get("key")),
        start=_text(line, values.get("start")),
        end=_text(line, values.get("end")),
        duration=_text(line, values.get("duration")),
        title=_text(line, values.get("title")),
        responsible=[_Text(line, token.strip()) for token in responsible.split("/") if token.strip()],
        kind=_text(line, values.get("kind")),
        fixed=_text(line, values.get("fixed")),
        parallel=_text(line, values.get("parallel")),
        auto_advance=_text(line, values.get("auto_advance")),
        details=_lines(values.get("details", "")),
        details_line=line,
    )


def _readable_text(text: str, problems: _Problems, place_of: Callable[[int], int], _: Translate) -> str:
    """The file's text composed (NFC), or AgendaFileError naming each row or line with a character that cannot
    be used (a control character, a broken letter). `place_of` turns a text line into the place named."""
    text = text.removeprefix("\ufeff")
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not is_safe(line):
            problems.add(place_of(number), _("{where}: the text contains characters that cannot be used (invisible "
                                             "control characters or broken letters)."))
    problems.raise_if_any()
    return unicodedata.normalize("NFC", text)


def _csv_row_of_line(text: str, delimiter: str) -> Callable[[int], int]:
    """The spreadsheet row each text line is part of (for a file with unusable characters, read loosely)."""
    starts: list[int] = []  # the first text line of each row
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    line = 1
    try:
        for _row in reader:
            starts.append(line)
            line = reader.line_num + 1
    except csv.Error:
        pass

    def row_of(text_line: int) -> int:
        return max((row for row, first in enumerate(starts, start=1) if first <= text_line), default=1)

    return row_of


def parse_agenda_csv(text: str, _: Translate) -> list[PlannedItem]:
    """The items of a CSV agenda (delimiter `;` or `,`); raises AgendaFileError listing every problem."""
    first_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    text = _readable_text(text, _rows(_), _csv_row_of_line(text, delimiter), _)
    rows = _read_csv_rows(text, delimiter, _)
    if not rows:
        _rows(_).fail(1, _("{where}: the file is empty."))
    header_line, header = rows[0]
    problems = _rows(_)
    names = _read_csv_header(header_line, header, problems, _)
    problems.raise_if_any()
    body = rows[1:]
    _check_count([line for line, _row in body], header_line, problems, _)
    items: list[tuple[int, PlannedItem]] = []
    for line, row in body:
        extra = [cell for cell in row[len(names) :] if cell.strip()]
        if extra:
            problems.add(line, _("{where}: the row has {count} cells, but the header has {expected}."),
                         count=len(row), expected=len(names))
            continue
        values = {name: cell for name, cell in zip(names, row, strict=False) if name is not None}
        item = _build_item(_csv_fields(line, values), problems, _, both_allowed=True)
        if item is not None:
            items.append((line, item))
    if not problems:
        _check_plan(items, problems, _)
    problems.raise_if_any()
    return [item for _line, item in items]


# ---------------------------------------------------------------------------------------------
# YAML


def _line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _yaml_scalar(key: yaml.Node, value: yaml.Node, problems: _Problems, _: Translate) -> _Text | None:
    """The text of a single value as written in the file (so 10:00 stays '10:00'); None if blank."""
    line = _line_of(key)
    if isinstance(value, yaml.ScalarNode):
        return None if value.tag == _YAML_NULL else _text(line, str(value.value))
    problems.add(line, _("{where}: “{key}” must be a single value, not a list or mapping."), key=key.value)
    return None


def _yaml_texts(key: yaml.Node, value: yaml.Node, problems: _Problems, _: Translate) -> list[_Text] | None:
    """The texts of a list, or of one text; None after a problem."""
    if isinstance(value, yaml.ScalarNode):
        return [] if value.tag == _YAML_NULL else [_Text(_line_of(key), str(value.value))]
    if isinstance(value, yaml.SequenceNode):
        texts: list[_Text] = []
        for element in value.value:
            if not isinstance(element, yaml.ScalarNode):
                problems.add(_line_of(element), _("{where}: “{key}” must be a list of texts or one text."),
                             key=key.value)
                return None
            if element.tag != _YAML_NULL:
                texts.append(_Text(_line_of(element), str(element.value)))
        return texts
    problems.add(_line_of(key), _("{where}: “{key}” must be a list of texts or one text."), key=key.value)
    return None


def _yaml_item(node: yaml.Node, problems: _Problems, _: Translate) -> PlannedItem | None:
    line = _line_of(node)
    if not isinstance(node, yaml.MappingNode):
        problems.add(line, _("{where}: an item must be a mapping with keys such as start, end and title."))
        return None
    fields = _Fields(line=line)
    seen: set[str] = set()
    for key, value in node.value:
        key_line = _line_of(key)
        written = key.value if isinstance(key, yaml.ScalarNode) else ""
        name = field_of(written)
        if name is None:
            problems.add(key_line, _("{where}: “{key}” is not a known key; use {keys}."), key=written,
                         keys=", ".join(FIELDS))
            continue
        if name in seen:
            problems.add(key_line, _("{where}: the key “{key}” appears twice."), key=written)
            continue
        seen.add(name)
        found_before = len(problems)
        if name == "responsible":
            texts = _yaml_texts(key, value, problems, _)
            for text_line, text in texts or []:
                fields.responsible += [_Text(text_line, t.strip()) for t in text.split("/") if t.strip()]
        elif name == "details":
            texts = _yaml_texts(key, value, problems, _)
            fields.details = [part for _line, text in texts or [] for part in _lines(text)]
            fields.details_line = key_line
        else:
            setattr(fields, name, _yaml_scalar(key, value, problems, _))
        if len(problems) > found_before:
            fields.unreadable.add(name)
    return _build_item(fields, problems, _, both_allowed=False)


def _compose(text: str, _: Translate) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = error.context_mark  # something left open at the end: show where it was opened
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    except (yaml.YAMLError, RecursionError):
        line, column = 1, 1
    message = _("Line {line}, column {column}: this is not valid YAML.")
    raise AgendaFileError([message.format(line=line, column=column)])


def parse_agenda_yaml(text: str, _: Translate) -> list[PlannedItem]:
    """The items under `items:` of a YAML file; raises AgendaFileError listing every problem."""
    problems = _lines_of_file(_)
    root = _compose(_readable_text(text, problems, lambda line: line, _), _)
    if root is None:
        problems.fail(1, _("{where}: the file is empty."))
    if not isinstance(root, yaml.MappingNode):
        problems.fail(_line_of(root), _("{where}: the file must be a mapping with an “items:” list."))
    entry = next(
        ((key, value) for key, value in root.value if isinstance(key, yaml.ScalarNode) and key.value == "items"),
        None,
    )
    if entry is None:
        problems.fail(1, _("{where}: there is no “items:” list."))
    key, sequence = entry
    if isinstance(sequence, yaml.ScalarNode) and sequence.tag == _YAML_NULL:
        _check_count([], _line_of(key), problems, _)
        problems.raise_if_any()
    if not isinstance(sequence, yaml.SequenceNode):
        problems.fail(_line_of(sequence), _("{where}: “items:” must be a list of items."))
    _check_count([_line_of(node) for node in sequence.value], _line_of(key), problems, _)
    items: list[tuple[int, PlannedItem]] = []
    for node in sequence.value:
        item = _yaml_item(node, problems, _)
        if item is not None:
            items.append((_line_of(node), item))
    if not problems:
        _check_plan(items, problems, _)
    problems.raise_if_any()
    return [item for _line, item in items]


# ---------------------------------------------------------------------------------------------
# Uploaded files


def parse_agenda(filename: str, data: bytes, _: Translate) -> list[PlannedItem]:
    """The items of an uploaded .csv, .yaml or .yml file of UTF-8 text (a BOM is allowed)."""
    if len(data) > MAX_FILE_BYTES:
        message = _("The file is {size} bytes; at most 200000 bytes are allowed.")
        raise AgendaFileError([message.format(size=len(data))])
    suffix = PurePath(filename).suffix.casefold()
    if suffix not in (".csv", ".yaml", ".yml"):
        message = _("“{filename}” is not an agenda file; choose a .csv, .yaml or .yml file.")
        raise AgendaFileError([message.format(filename=filename)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        if suffix == ".csv":  # the spreadsheet row that line is part of
            before = data[: error.start].decode("utf-8-sig", "replace")
            line = _csv_row_of_line(before, ";" if before.count(";") >= before.count(",") else ",")(line)
            _rows(_).fail(line, _("{where}: the file is not UTF-8 text; save it as UTF-8 and try again."))
        message = _("Line {line}: the file is not UTF-8 text; save it as UTF-8 and try again.")
        raise AgendaFileError([message.format(line=line)]) from None
    if suffix == ".csv":
        return parse_agenda_csv(text, _)
    return parse_agenda_yaml(text, _)
