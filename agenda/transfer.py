"""Agenda files: export planned items to CSV or YAML and import them back.

The format is described in docs/agenda-format.md. Import is all or nothing: a file with any
problem imports no items, and the error lists every problem found, each with its line number,
in file order. Every message is an English message id passed through the caller's gettext.

Pure code: no framework, no database.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time
from pathlib import PurePath
from typing import NamedTuple

import yaml

from agenda.planning import (
    KINDS,
    MAX_DETAILS_LENGTH,
    MAX_DURATION_MINUTES,
    MAX_TITLE_LENGTH,
    MINUTES_PER_DAY,
    ROLES,
    PlannedItem,
)
from core.i18n import Translate
from core.text import is_safe

MAX_FILE_BYTES = 200_000
MAX_ITEMS = 100

CSV_COLUMNS = ("start", "end", "title", "responsible", "kind", "fixed", "details")
"""The columns written on export, in this order."""
KNOWN_FIELDS = ("start", "end", "duration", "title", "responsible", "kind", "fixed", "details")
"""The CSV columns and YAML item keys read on import."""

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TRUE = frozenset({"yes", "ja", "true", "1", "on"})
_FALSE = frozenset({"no", "nei", "false", "0", "off", ""})
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


def items_to_csv(items: Sequence[PlannedItem]) -> str:
    """CSV with a header line, comma-separated, one row per item, in the given order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow(
            [
                _clock(item.start_minutes),
                _clock(item.end_minutes),
                item.title,
                "/".join(item.responsible),
                item.kind,
                "yes" if item.fixed_time else "no",
                "\n".join(item.details),
            ]
        )
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
    """YAML with one `items:` list, in the style of the event templates."""
    entries: list[dict[str, object]] = []
    for item in items:
        entry: dict[str, object] = {
            "start": _Quoted(_clock(item.start_minutes)),
            "end": _Quoted(_clock(item.end_minutes)),
            "title": item.title,
        }
        if item.responsible:
            entry["responsible"] = _Flow(item.responsible)
        entry["kind"] = item.kind
        if item.fixed_time:
            entry["fixed"] = True
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
    """The raw values of one item, each with the line it came from; blank values are None."""

    line: int
    start: _Text | None = None
    end: _Text | None = None
    duration: _Text | None = None
    title: _Text | None = None
    responsible: list[_Text] = field(default_factory=list)
    kind: _Text | None = None
    fixed: _Text | None = None
    details: list[str] = field(default_factory=list)
    details_line: int = 0
    unreadable: set[str] = field(default_factory=set)
    """Keys whose value had the wrong shape, already reported: not reported again as missing."""


class _Problems:
    """Problems with the line they are on; reported sorted by line, in the order found."""

    def __init__(self) -> None:
        self._found: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self._found.append((line, message))

    def __len__(self) -> int:
        return len(self._found)

    def raise_if_any(self) -> None:
        if self._found:
            raise AgendaFileError([message for _line, message in sorted(self._found, key=lambda p: p[0])])


def _text(line: int, value: str | None) -> _Text | None:
    if value is None or not value.strip():
        return None
    return _Text(line, value.strip())


def _lines(value: str) -> list[str]:
    """The non-blank lines of a text, stripped."""
    return [part.strip() for part in _LINE_BREAK.split(value) if part.strip()]


def _parse_time(value: str, *, allow_midnight_end: bool) -> int | None:
    """Minutes since midnight of 'HH:MM', 'H:MM' or 'HH.MM'; None if it is not such a time."""
    match = _TIME.fullmatch(value)
    if match is None:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if allow_midnight_end and (hours, minutes) == (24, 0):
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _check_start(fields: _Fields, problems: _Problems, _: Translate) -> int | None:
    if fields.start is None:
        if "start" in fields.unreadable:
            return None
        problems.add(fields.line, _("Line {line}: the start time is missing.").format(line=fields.line))
        return None
    start = _parse_time(fields.start.value, allow_midnight_end=False)
    if start is None:
        line = fields.start.line
        message = _("Line {line}: “{value}” is not a time like 10:00.")
        problems.add(line, message.format(line=line, value=fields.start.value))
    return start


def _check_end(fields: _Fields, problems: _Problems, _: Translate) -> int | None:
    if fields.end is None:
        return None
    end = _parse_time(fields.end.value, allow_midnight_end=True)
    if end is None:
        line = fields.end.line
        message = _("Line {line}: “{value}” is not a time like 10:00.")
        problems.add(line, message.format(line=line, value=fields.end.value))
    return end


def _check_duration(fields: _Fields, problems: _Problems, _: Translate) -> int | None:
    if fields.duration is None:
        return None
    value = fields.duration.value
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DURATION_MINUTES:
        return int(value)
    line = fields.duration.line
    message = _("Line {line}: “{value}” is not a duration in whole minutes from 1 to 720.")
    problems.add(line, message.format(line=line, value=value))
    return None


def _check_length(
    fields: _Fields, start: int | None, problems: _Problems, _: Translate, *, both_allowed: bool
) -> int | None:
    """The duration in minutes, from the end time or the duration; None after a problem."""
    line = fields.line
    if fields.end is None and fields.duration is None:
        if fields.unreadable & {"end", "duration"}:
            return None
        problems.add(line, _("Line {line}: give an end time or a duration.").format(line=line))
        return None
    if fields.end is not None and fields.duration is not None and not both_allowed:
        line = max(fields.end.line, fields.duration.line)
        message = _("Line {line}: give an end time or a duration, not both.")
        problems.add(line, message.format(line=line))
        return None
    end = _check_end(fields, problems, _)
    duration = _check_duration(fields, problems, _)
    if start is None or (fields.end is not None and end is None):
        return None
    if fields.duration is not None and duration is None:
        return None
    if end is not None:
        assert fields.end is not None
        if end <= start:
            line = fields.end.line
            assert fields.start is not None
            message = _("Line {line}: the end {end} is not after the start {start}.")
            problems.add(line, message.format(line=line, end=fields.end.value, start=fields.start.value))
            return None
        if duration is not None and duration != end - start:
            message = _("Line {line}: the end {end} does not match the duration of {minutes} minutes.")
            problems.add(line, message.format(line=line, end=fields.end.value, minutes=duration))
            return None
        return end - start
    assert duration is not None
    if start + duration > MINUTES_PER_DAY:
        assert fields.duration is not None
        line = fields.duration.line
        problems.add(line, _("Line {line}: the item must end by 24:00.").format(line=line))
        return None
    return duration


def _check_title(fields: _Fields, problems: _Problems, _: Translate) -> str | None:
    if fields.title is None:
        if "title" in fields.unreadable:
            return None
        problems.add(fields.line, _("Line {line}: the title is missing.").format(line=fields.line))
        return None
    line, title = fields.title
    if len(title) > MAX_TITLE_LENGTH:
        message = _("Line {line}: the title is {length} characters long; at most 200 are allowed.")
        problems.add(line, message.format(line=line, length=len(title)))
        return None
    if _LINE_BREAK.search(title):
        problems.add(line, _("Line {line}: the title must be on one line.").format(line=line))
        return None
    return title


def _check_responsible(fields: _Fields, problems: _Problems, _: Translate) -> tuple[str, ...] | None:
    by_name = {role.casefold(): role for role in ROLES}
    roles: list[str] = []
    ok = True
    for line, token in fields.responsible:
        role = by_name.get(token.casefold())
        if role is None:
            message = _("Line {line}: “{value}” is not a role; use {roles}.")
            problems.add(line, message.format(line=line, value=token, roles=", ".join(ROLES)))
            ok = False
        elif role not in roles:
            roles.append(role)
    return tuple(roles) if ok else None


def _check_kind(fields: _Fields, problems: _Problems, _: Translate) -> str | None:
    if fields.kind is None:
        return "talk"
    kind = fields.kind.value.casefold()
    if kind in KINDS:
        return kind
    line = fields.kind.line
    message = _("Line {line}: “{value}” is not a kind of item; use {kinds}.")
    problems.add(line, message.format(line=line, value=fields.kind.value, kinds=", ".join(KINDS)))
    return None


def _check_fixed(fields: _Fields, problems: _Problems, _: Translate) -> bool | None:
    if fields.fixed is None:
        return False
    value = fields.fixed.value.casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    line = fields.fixed.line
    message = _("Line {line}: “{value}” is not yes or no for a fixed-time item.")
    problems.add(line, message.format(line=line, value=fields.fixed.value))
    return None


def _check_details(fields: _Fields, problems: _Problems, _: Translate) -> tuple[str, ...] | None:
    length = len("\n".join(fields.details))  # as stored: one sub-point per line
    if length > MAX_DETAILS_LENGTH:
        line = fields.details_line or fields.line
        message = _("Line {line}: the details are {length} characters long; at most 2000 are allowed.")
        problems.add(line, message.format(line=line, length=length))
        return None
    return tuple(fields.details)


def _build_item(fields: _Fields, problems: _Problems, _: Translate, *, both_allowed: bool) -> PlannedItem | None:
    """The item, or None after adding its problems."""
    found_before = len(problems)
    start = _check_start(fields, problems, _)
    duration = _check_length(fields, start, problems, _, both_allowed=both_allowed)
    title = _check_title(fields, problems, _)
    responsible = _check_responsible(fields, problems, _)
    kind = _check_kind(fields, problems, _)
    fixed = _check_fixed(fields, problems, _)
    details = _check_details(fields, problems, _)
    if len(problems) > found_before or fields.unreadable:
        return None
    assert start is not None and duration is not None and title is not None
    assert responsible is not None and kind is not None and fixed is not None and details is not None
    return PlannedItem(
        start=time(start // 60, start % 60),
        duration_minutes=duration,
        title=title,
        responsible=responsible,
        kind=kind,
        details=details,
        fixed_time=fixed,
    )


def _check_count(item_lines: Sequence[int], empty_line: int, problems: _Problems, _: Translate) -> None:
    if not item_lines:
        problems.add(empty_line, _("Line {line}: the file has no agenda items.").format(line=empty_line))
    elif len(item_lines) > MAX_ITEMS:
        line = item_lines[MAX_ITEMS]
        message = _("Line {line}: an agenda can have at most 100 items; this is item {number}.")
        problems.add(line, message.format(line=line, number=MAX_ITEMS + 1))


# ---------------------------------------------------------------------------------------------
# CSV


def _read_csv_rows(text: str, delimiter: str, _: Translate) -> list[tuple[int, list[str]]]:
    """The records with the line each starts on; blank lines left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error:
        message = _("Line {line}: the CSV is malformed here; check the quotation marks.")
        raise AgendaFileError([message.format(line=line)]) from None
    return rows


def _read_csv_header(line: int, header: list[str], problems: _Problems, _: Translate) -> list[str]:
    """The column names, lower-cased; trailing blank names (from spreadsheets) left out."""
    names = [name.strip().casefold() for name in header]
    while names and not names[-1]:
        names.pop()
    for number, name in enumerate(names, start=1):
        if not name:
            message = _("Line {line}: column {number} has no name.")
            problems.add(line, message.format(line=line, number=number))
        elif name not in KNOWN_FIELDS:
            message = _("Line {line}: “{value}” is not a known column; use {columns}.")
            value = header[number - 1].strip()
            problems.add(line, message.format(line=line, value=value, columns=", ".join(KNOWN_FIELDS)))
        elif names.index(name) != number - 1:
            message = _("Line {line}: the column “{value}” appears twice.")
            problems.add(line, message.format(line=line, value=name))
    for required in ("start", "title"):
        if required not in names:
            message = _("Line {line}: the column “{value}” is missing.")
            problems.add(line, message.format(line=line, value=required))
    if "end" not in names and "duration" not in names:
        message = _("Line {line}: the header needs an “end” or a “duration” column.")
        problems.add(line, message.format(line=line))
    return names


def _csv_fields(line: int, values: dict[str, str]) -> _Fields:
    responsible = values.get("responsible", "")
    return _Fields(
        line=line,
        start=_text(line, values.get("start")),
        end=_text(line, values.get("end")),
        duration=_text(line, values.get("duration")),
        title=_text(line, values.get("title")),
        responsible=[_Text(line, token.strip()) for token in responsible.split("/") if token.strip()],
        kind=_text(line, values.get("kind")),
        fixed=_text(line, values.get("fixed")),
        details=_lines(values.get("details", "")),
        details_line=line,
    )


def _readable_text(text: str, _: Translate) -> str:
    """The file's text composed (NFC), or AgendaFileError naming each line with a character that cannot be
    used (a control character, a broken letter)."""
    text = text.removeprefix("\ufeff")
    bad = [number for number, line in enumerate(_LINE_BREAK.split(text), start=1) if not is_safe(line)]
    if bad:
        message = _("Line {line}: the text contains characters that cannot be used (invisible control "
                    "characters or broken letters).")
        raise AgendaFileError([message.format(line=line) for line in bad])
    return unicodedata.normalize("NFC", text)


def parse_agenda_csv(text: str, _: Translate) -> list[PlannedItem]:
    """The items of a CSV agenda (delimiter `,` or `;`); raises AgendaFileError listing every problem."""
    text = _readable_text(text, _)
    first_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = _read_csv_rows(text, delimiter, _)
    if not rows:
        raise AgendaFileError([_("Line 1: the file is empty.")])
    header_line, header = rows[0]
    problems = _Problems()
    names = _read_csv_header(header_line, header, problems, _)
    problems.raise_if_any()
    body = rows[1:]
    _check_count([line for line, _row in body], header_line, problems, _)
    items: list[PlannedItem] = []
    for line, row in body:
        extra = [cell for cell in row[len(names) :] if cell.strip()]
        if extra:
            message = _("Line {line}: the row has {count} fields, but the header has {expected}.")
            problems.add(line, message.format(line=line, count=len(row), expected=len(names)))
            continue
        values = dict(zip(names, row, strict=False))
        item = _build_item(_csv_fields(line, values), problems, _, both_allowed=True)
        if item is not None:
            items.append(item)
    problems.raise_if_any()
    return items


# ---------------------------------------------------------------------------------------------
# YAML


def _line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _yaml_scalar(key: yaml.Node, value: yaml.Node, problems: _Problems, _: Translate) -> _Text | None:
    """The text of a single value as written in the file (so 10:00 stays '10:00'); None if blank."""
    line = _line_of(key)
    if isinstance(value, yaml.ScalarNode):
        return None if value.tag == _YAML_NULL else _text(line, str(value.value))
    message = _("Line {line}: “{key}” must be a single value, not a list or mapping.")
    problems.add(line, message.format(line=line, key=key.value))
    return None


def _yaml_texts(key: yaml.Node, value: yaml.Node, problems: _Problems, _: Translate) -> list[_Text] | None:
    """The texts of a list, or of one text; None after a problem."""
    if isinstance(value, yaml.ScalarNode):
        return [] if value.tag == _YAML_NULL else [_Text(_line_of(key), str(value.value))]
    if isinstance(value, yaml.SequenceNode):
        texts: list[_Text] = []
        for element in value.value:
            if not isinstance(element, yaml.ScalarNode):
                line = _line_of(element)
                message = _("Line {line}: “{key}” must be a list of texts or one text.")
                problems.add(line, message.format(line=line, key=key.value))
                return None
            if element.tag != _YAML_NULL:
                texts.append(_Text(_line_of(element), str(element.value)))
        return texts
    line = _line_of(key)
    message = _("Line {line}: “{key}” must be a list of texts or one text.")
    problems.add(line, message.format(line=line, key=key.value))
    return None


def _yaml_item(node: yaml.Node, problems: _Problems, _: Translate) -> PlannedItem | None:
    line = _line_of(node)
    if not isinstance(node, yaml.MappingNode):
        message = _("Line {line}: an item must be a mapping with keys such as start, end and title.")
        problems.add(line, message.format(line=line))
        return None
    fields = _Fields(line=line)
    seen: set[str] = set()
    for key, value in node.value:
        key_line = _line_of(key)
        name = key.value if isinstance(key, yaml.ScalarNode) else ""
        if name not in KNOWN_FIELDS:
            message = _("Line {line}: “{key}” is not a known key; use {keys}.")
            problems.add(key_line, message.format(line=key_line, key=name, keys=", ".join(KNOWN_FIELDS)))
            continue
        if name in seen:
            message = _("Line {line}: the key “{key}” appears twice.")
            problems.add(key_line, message.format(line=key_line, key=name))
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
    root = _compose(_readable_text(text, _), _)
    if root is None:
        raise AgendaFileError([_("Line 1: the file is empty.")])
    if not isinstance(root, yaml.MappingNode):
        line = _line_of(root)
        message = _("Line {line}: the file must be a mapping with an “items:” list.")
        raise AgendaFileError([message.format(line=line)])
    entry = next(
        ((key, value) for key, value in root.value if isinstance(key, yaml.ScalarNode) and key.value == "items"),
        None,
    )
    if entry is None:
        raise AgendaFileError([_("Line 1: there is no “items:” list.")])
    key, sequence = entry
    problems = _Problems()
    if isinstance(sequence, yaml.ScalarNode) and sequence.tag == _YAML_NULL:
        _check_count([], _line_of(key), problems, _)
        problems.raise_if_any()
    if not isinstance(sequence, yaml.SequenceNode):
        line = _line_of(sequence)
        raise AgendaFileError([_("Line {line}: “items:” must be a list of items.").format(line=line)])
    _check_count([_line_of(node) for node in sequence.value], _line_of(key), problems, _)
    items: list[PlannedItem] = []
    for node in sequence.value:
        item = _yaml_item(node, problems, _)
        if item is not None:
            items.append(item)
    problems.raise_if_any()
    return items


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
        message = _("Line {line}: the file is not UTF-8 text; save it as UTF-8 and try again.")
        raise AgendaFileError([message.format(line=line)]) from None
    if suffix == ".csv":
        return parse_agenda_csv(text, _)
    return parse_agenda_yaml(text, _)
