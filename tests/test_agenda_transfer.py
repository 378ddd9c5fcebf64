"""Agenda files: CSV and YAML export, import, and the problems reported for bad files.

Bokmål messages may still be untranslated, so the tests look at line numbers and at the
offending value in each problem, not at the wording.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.planning import (
    KINDS,
    MAX_DURATION_MINUTES,
    MINUTES_PER_DAY,
    SUGGESTED_ROLES,
    PlannedItem,
    overlapping,
)
from agenda.transfer import (
    AgendaFileError,
    items_to_csv,
    items_to_yaml,
    parse_agenda,
    parse_agenda_csv,
    parse_agenda_yaml,
)
from core.i18n import Translate
from core.text import is_safe

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "assets" / "templates" / "dialogmote-leve-hele-livet.yaml"
DOCS = ROOT / "docs" / "agenda-format.md"

HEADER = "start,end,title,responsible,kind,fixed,details"


def problems_of(parse: Callable[..., object], *args: object) -> list[str]:
    with pytest.raises(AgendaFileError) as caught:
        parse(*args)
    assert caught.value.problems, "an AgendaFileError must list at least one problem"
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def line_numbers(problems: list[str]) -> list[int]:
    """The line number each problem names (its first number)."""
    numbers = []
    for problem in problems:
        match = re.search(r"\d+", problem)
        assert match is not None, f"no line number in {problem!r}"
        numbers.append(int(match[0]))
    return numbers


def template_items(nb: Translate) -> list[PlannedItem]:
    return parse_agenda_yaml(TEMPLATE.read_text(encoding="utf-8"), nb)


def item(start: str = "10:00", minutes: int = 30, title: str = "Punkt", **changes: Any) -> PlannedItem:
    hours, mins = map(int, start.split(":"))
    return PlannedItem(start=time(hours, mins), duration_minutes=minutes, title=title, **changes)


# --- The seed template ---------------------------------------------------------------------------


def test_template_parses_to_its_twelve_items(nb: Translate) -> None:
    items = template_items(nb)
    seed = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))

    assert len(items) == 12
    assert [i.title for i in items] == [entry["title"] for entry in seed["items"]]
    assert items[0] == PlannedItem(
        start=time(10, 0),
        duration_minutes=10,
        title="Velkommen",
        responsible=("FM",),
        kind="poll",
        details=(
            "Meningsmåling: hvordan vil Leve hele livet bidra til forandring i din kommune?",
            "Film: Leve hele livet",
        ),
    )
    lunch = next(i for i in items if i.title == "Lunch")
    assert lunch.fixed_time
    assert (lunch.start, lunch.end, lunch.kind) == (time(12, 30), time(13, 15), "break")
    assert [i.title for i in items if i.fixed_time] == ["Lunch"]
    assert items[2].responsible == ("KS", "FM")
    assert items[3].responsible == ()
    # Items follow each other without gaps in the seed programme.
    assert all(a.end_minutes == b.start_minutes for a, b in pairwise(items))


def test_template_round_trips_through_csv_and_yaml(nb: Translate) -> None:
    items = template_items(nb)
    assert parse_agenda_csv(items_to_csv(items), nb) == items
    assert parse_agenda_yaml(items_to_yaml(items), nb) == items
    assert parse_agenda("agenda.csv", items_to_csv(items).encode(), nb) == items
    assert parse_agenda("agenda.yaml", items_to_yaml(items).encode(), nb) == items


def test_export_shape(nb: Translate) -> None:
    items = template_items(nb)
    csv_text = items_to_csv(items)
    assert csv_text.splitlines()[0] == ("nøkkel;start;slutt;tittel;ansvarlig;type;fast tid;parallell;"
                                        "videre av seg selv;underpunkter")
    assert csv_text.splitlines()[1].startswith(";10:00;10:10;Velkommen;FM;meningsmåling;nei;nei;nei;")
    assert items_to_csv(items, "en").splitlines()[0] == ("key;start;end;title;responsible;kind;fixed;parallel;"
                                                         "move on by itself;details")
    assert "duration" not in csv_text
    yaml_text = items_to_yaml(items)
    assert 'start: "10:00"' in yaml_text
    assert "duration" not in yaml_text
    assert yaml.safe_load(yaml_text)["items"][2]["responsible"] == ["KS", "FM"]


def test_the_docs_examples_read_as_they_say(nb: Translate) -> None:
    text = DOCS.read_text(encoding="utf-8")
    csv_blocks = re.findall(r"```csv\n(.*?)```", text, flags=re.DOTALL)
    [yaml_block] = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert len(csv_blocks) == 2
    exported, by_hand = csv_blocks
    keyed = [replace(planned, key=key) for planned, key in
             zip(template_items(nb)[:4], ("velkommen", "reform", "aldersvennlig", "pause-1"), strict=True)]
    assert items_to_csv(keyed, "nb") == exported.replace("\n", "\r\n").replace("?\r\nFilm", "?\nFilm")
    assert parse_agenda_csv(exported, nb) == keyed
    first_two = [replace(planned, details=()) for planned in template_items(nb)[:2]]
    assert parse_agenda_csv(by_hand, nb) == [*first_two, item("12:30", 45, "Lunsj", kind="break", fixed_time=True)]
    welcome, lunch, room_a, room_b = parse_agenda_yaml(yaml_block, nb)
    assert welcome == replace(template_items(nb)[0], key="velkommen", auto_advance=True)
    assert lunch == item("12:30", 45, "Lunch", kind="break", fixed_time=True, key="lunsj")
    assert (room_a.kind, room_b.kind, room_a.parallel, room_b.parallel) == ("group_work", "group_work", False, True)


# --- Round trip of generated agendas ------------------------------------------------------------

_TEXT = st.text(  # as the app stores text: composed, no control characters, no noncharacters
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=60,
).map(lambda text: unicodedata.normalize("NFC", text).strip()).filter(is_safe)


@st.composite
def planned_items(draw: st.DrawFn) -> PlannedItem:
    start = draw(st.integers(0, MINUTES_PER_DAY - 1))
    duration = draw(st.integers(1, min(MAX_DURATION_MINUTES, MINUTES_PER_DAY - start)))
    title = draw(
        st.one_of(_TEXT, st.text(alphabet="æøåÆØÅ«»,;\"' /:#-", min_size=1, max_size=200).map(str.strip))
        .filter(bool)
        .filter(lambda t: len(t) <= 200)
    )
    roles = draw(st.permutations(SUGGESTED_ROLES))
    responsible = tuple(roles[: draw(st.integers(0, len(SUGGESTED_ROLES)))])
    details = draw(st.lists(_TEXT.filter(bool), max_size=5))
    return PlannedItem(
        start=time(start // 60, start % 60),
        duration_minutes=duration,
        title=title,
        responsible=responsible,
        kind=draw(st.sampled_from(KINDS)),
        details=tuple(details),
        fixed_time=draw(st.booleans()),
        key=draw(st.sampled_from(["", "k1", "Item_2-b"])),
        auto_advance=draw(st.booleans()),
    )


def valid_plan(items: list[PlannedItem]) -> list[PlannedItem]:
    """The items with each key used once and every overlapping item marked parallel."""
    items = [replace(item, key=item.key and f"{item.key}-{n}") for n, item in enumerate(items)]
    for index in overlapping(items):
        items[index] = replace(items[index], parallel=True)
    return items


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(planned_items(), min_size=1, max_size=8))
def test_generated_agendas_round_trip(items: list[PlannedItem], nb: Translate) -> None:
    items = valid_plan(items)
    assert parse_agenda_csv(items_to_csv(items), nb) == items
    assert parse_agenda_yaml(items_to_yaml(items), nb) == items
    assert parse_agenda("a.csv", items_to_csv(items).encode("utf-8"), nb) == items
    assert parse_agenda("a.yml", items_to_yaml(items).encode("utf-8"), nb) == items


def test_awkward_text_round_trips(nb: Translate) -> None:
    items = [
        item(
            "09:05",
            25,
            'Innledning: «Leve hele livet», "sitat", komma, semikolon; æøå ÆØÅ',
            responsible=(),
            details=('Punkt med, komma og "anførsel"', "Linje to – «æøå»", "- bindestrek", "# ikke kommentar"),
        ),
        item("09:30", 30, "yes", kind="break", fixed_time=True),
        item("10:00", 20, "10:00", responsible=tuple(SUGGESTED_ROLES), kind="other", details=("null",)),
        item("23:00", 60, "Til midnatt", kind="group_work"),
    ]
    assert parse_agenda_csv(items_to_csv(items), nb) == items
    assert parse_agenda_yaml(items_to_yaml(items), nb) == items


# --- Accepted variants ---------------------------------------------------------------------------


def test_semicolon_csv_with_dotted_times_and_free_column_order(nb: Translate) -> None:
    text = "TITLE;Start;End\n" + "Velkommen;10.00;10.10\n" + "\n" + "Pause;9:45;9.55\n" + ";;\n"
    assert parse_agenda_csv(text, nb) == [item("10:00", 10, "Velkommen"), item("09:45", 10, "Pause")]


def test_csv_duration_column_and_matching_end(nb: Translate) -> None:
    text = (
        "start,end,duration,title,responsible,kind,fixed,details\n"
        "10:00,,15,A,ks / fm,TALK,ja,\n"
        "10:15,10:45,30,B,,,nei,\n"
        "23:30,24:00,,C,,,,\n"
    )
    assert parse_agenda_csv(text, nb) == [
        item("10:00", 15, "A", responsible=("KS", "FM"), fixed_time=True),
        item("10:15", 30, "B"),
        item("23:30", 30, "C"),
    ]


def test_bom_is_accepted(nb: Translate) -> None:
    csv_bytes = ("\ufeff" + HEADER + "\n10:00,10:30,Velkommen,FM,talk,no,\n").encode()
    assert parse_agenda("agenda.CSV", csv_bytes, nb) == [item(responsible=("FM",), title="Velkommen")]
    yaml_bytes = '\ufeffitems:\n  - {start: "10:00", end: "10:30", title: Velkommen}\n'.encode()
    assert parse_agenda("agenda.yml", yaml_bytes, nb) == [item(title="Velkommen")]


def test_yaml_unquoted_times_and_other_spellings(nb: Translate) -> None:
    text = (
        "name: ignored\n"
        "items:\n"
        "  - start: 10:00\n"
        "    end: 10:30\n"
        "    title: Sexagesimal\n"
        "    responsible: KS/FM\n"
        "    details: |\n"
        "      første\n"
        "\n"
        "      andre\n"
        "  - start: 10.30\n"
        "    duration: 45\n"
        "    title: Punktum\n"
        "    fixed: yes\n"
        "    details: Ett punkt\n"
        "  - start: 9:05\n"
        "    end: '9.15'\n"
        "    parallel: true\n"
        "    title: 2024\n"
        "    kind: Break\n"
        "    responsible: []\n"
        "polls: []\n"
    )
    assert parse_agenda_yaml(text, nb) == [
        item("10:00", 30, "Sexagesimal", responsible=("KS", "FM"), details=("første", "andre")),
        item("10:30", 45, "Punktum", fixed_time=True, details=("Ett punkt",)),
        item("09:05", 10, "2024", kind="break", parallel=True),
    ]


def test_items_keep_file_order(nb: Translate) -> None:
    text = HEADER + "\n14:00,14:30,Sist,,,,\n09:00,09:30,Først,,,,\n"  # in the order given, not by time
    assert [i.title for i in parse_agenda_csv(text, nb)] == ["Sist", "Først"]


# --- Bad files -----------------------------------------------------------------------------------


def csv_with(row: str, *, before: int = 1) -> str:
    """A CSV whose bad row is on line 2 + before (after `before` good rows)."""
    good = [f"0{8 + n}:00,0{8 + n}:30,God {n},FM,talk,no," for n in range(before)]
    return "\n".join([HEADER, *good, row]) + "\n"


BAD_CSV_ROWS = [
    pytest.param("10:00,10:30,Tittel,KS/" + "R" * 41 + ",talk,no,", "R" * 41, id="too-long-role"),
    pytest.param("10:00,10:30,Tittel,KS,lecture,no,", "lecture", id="unknown-kind"),
    pytest.param("10:30,10:00,Tittel,KS,talk,no,", "10:00", id="end-before-start"),
    pytest.param("10:30,10:30,Tittel,KS,talk,no,", "10:30", id="end-equals-start"),
    pytest.param("10:00,10:30,   ,KS,talk,no,", None, id="missing-title"),
    pytest.param("10:00,10:30," + "x" * 201 + ",KS,talk,no,", "201", id="too-long-title"),
    pytest.param("10:00,,Tittel,KS,talk,no,", None, id="neither-end-nor-duration"),
    pytest.param("1000,10:30,Tittel,,,,", "1000", id="bad-start"),
    pytest.param("25:00,10:30,Tittel,,,,", "25:00", id="hour-out-of-range"),
    pytest.param("10:00,10:61,Tittel,,,,", "10:61", id="minute-out-of-range"),
    pytest.param(",10:30,Tittel,,,,", None, id="missing-start"),
    pytest.param("10:00,10:30,Tittel,,,kanskje,", "kanskje", id="bad-fixed"),
    pytest.param('10:00,10:30,Tittel,,,,"' + "x" * 2001 + '"', "2001", id="too-long-details"),
    pytest.param("10:00,10:30,Tittel,,,,,extra", "8", id="too-many-fields"),
]


@pytest.mark.parametrize(("row", "value"), BAD_CSV_ROWS)
def test_bad_csv_row_names_its_line(row: str, value: str | None, nb: Translate) -> None:
    problems = problems_of(parse_agenda_csv, csv_with(row, before=2), nb)
    assert len(problems) == 1
    assert line_numbers(problems) == [4]
    if value is not None:
        assert value in problems[0]


def test_csv_end_and_duration_must_agree(nb: Translate) -> None:
    text = "start,end,duration,title\n10:00,10:30,30,God\n10:00,10:30,45,Uenig\n"
    problems = problems_of(parse_agenda_csv, text, nb)
    assert line_numbers(problems) == [3]
    assert "10:30" in problems[0] and "45" in problems[0]


@pytest.mark.parametrize(("duration", "value"), [("0", "0"), ("721", "721"), ("1.5", "1.5"), ("tretti", "tretti")])
def test_csv_bad_duration(duration: str, value: str, nb: Translate) -> None:
    text = f"start,duration,title\n10:00,30,God\n10:00,{duration},Dårlig\n"
    problems = problems_of(parse_agenda_csv, text, nb)
    assert line_numbers(problems) == [3]
    assert value in problems[0]


def test_csv_item_past_midnight(nb: Translate) -> None:
    problems = problems_of(parse_agenda_csv, "start,duration,title\n23:30,31,Sent\n", nb)
    assert line_numbers(problems) == [2]
    assert "24:00" in problems[0]


def test_several_bad_csv_lines_give_several_problems_in_file_order(nb: Translate) -> None:
    text = (
        HEADER + "\n"
        "10:00,10:30,God,FM,talk,no,\n"  # row 2
        "10:30,10:00,Baklengs,FM,talk,no,\n"  # row 3
        '10:30,11:00,Flere linjer,FM,talk,no,"en\n'  # row 4: one row in a spreadsheet, two lines of text
        'to"\n'
        "11:00,11:30,Ukjent,Ordfører,seminar,kanskje,\n"  # row 5: two problems
        "\n"  # row 6, blank
        "11:30,,,FM,talk,no,\n"  # row 7: two problems
    )
    problems = problems_of(parse_agenda_csv, text, nb)
    assert line_numbers(problems) == [3, 5, 5, 7, 7]
    assert all(problem.startswith("Rad ") for problem in problems)
    assert "seminar" in problems[1] and "kanskje" in problems[2]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        pytest.param("start,end,title,owner", "owner", id="unknown-column"),
        pytest.param("start,end,responsible", "tittel", id="missing-title-column"),
        pytest.param("end,title", "start", id="missing-start-column"),
        pytest.param("start,title,kind", None, id="no-end-or-duration-column"),
        pytest.param("start,end,title,Tittel", "Tittel", id="repeated-column"),
        pytest.param("start,,end,title", "2", id="unnamed-column"),
    ],
)
def test_bad_csv_header_is_a_problem_on_line_1(header: str, value: str | None, nb: Translate) -> None:
    problems = problems_of(parse_agenda_csv, header + "\n10:00,10:30,Tittel,x\n", nb)
    assert line_numbers(problems) == [1] * len(problems)
    if value is not None:
        assert any(value in problem for problem in problems)


def test_trailing_blank_columns_from_spreadsheets_are_ignored(nb: Translate) -> None:
    text = "start;end;title;;\n10:00;10:30;Punkt;;\n"
    assert parse_agenda_csv(text, nb) == [item()]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(HEADER + '\n10:00,10:30,"Ikke lukket,,,,\n\n\n', 2, id="unclosed-quote"),
        pytest.param(HEADER + '\n10:00,10:30,God,,,,\n10:00,10:30,"A"B,,,,\n', 3, id="text-after-quote"),
    ],
)
def test_malformed_csv_is_one_problem_with_its_line(text: str, line: int, nb: Translate) -> None:
    problems = problems_of(parse_agenda_csv, text, nb)
    assert line_numbers(problems) == [line]


@pytest.mark.parametrize("text", ["", "\n\n", ",,,\n"])
def test_empty_csv(text: str, nb: Translate) -> None:
    assert line_numbers(problems_of(parse_agenda_csv, text, nb)) == [1]


def test_csv_without_items(nb: Translate) -> None:
    assert line_numbers(problems_of(parse_agenda_csv, HEADER + "\n", nb)) == [1]


def test_at_most_100_items(nb: Translate) -> None:
    rows = [f"{8 + n // 60:02d}:{n % 60:02d},,Punkt {n},,,,1" for n in range(101)]
    text = "start,end,title,responsible,kind,fixed,duration\n" + "\n".join(rows[:100]) + "\n"
    assert len(parse_agenda_csv(text, nb)) == 100
    problems = problems_of(parse_agenda_csv, text + rows[100] + "\n", nb)
    assert line_numbers(problems) == [102]
    assert "101" in problems[0]
    yaml_text = items_to_yaml([*parse_agenda_csv(text, nb), item("23:00", 5)])
    problems = problems_of(parse_agenda_yaml, yaml_text, nb)
    assert line_numbers(problems) == [2 + 100 * 4]


def yaml_item_error(body: str, nb: Translate) -> list[str]:
    """Problems of a file whose second item (from line 5 on) is `body`."""
    text = 'items:\n  - start: "09:00"\n    end: "09:30"\n    title: God\n' + body
    return problems_of(parse_agenda_yaml, text, nb)


BAD_YAML_ITEMS = [
    pytest.param(
        '  - start: "10:00"\n    end: "10:30"\n    title: T\n    responsible: [KS, ' + "R" * 41 + "]\n",
        8,
        "R" * 41,
        id="too-long-role",
    ),
    pytest.param(
        '  - start: "10:00"\n    end: "10:30"\n    title: T\n    kind: foredrag\n', 8, "foredrag", id="unknown-kind"
    ),
    pytest.param('  - start: "10:00"\n    end: "09:30"\n    title: T\n', 6, "09:30", id="end-before-start"),
    pytest.param('  - start: "10:00"\n    end: "10:30"\n', 5, None, id="missing-title"),
    pytest.param('  - start: "10:00"\n    end: "10:30"\n    title: ~\n', 5, None, id="null-title"),
    pytest.param('  - start: "10:00"\n    end: "10:30"\n    title: ' + "y" * 201 + "\n", 7, "201", id="too-long-title"),
    pytest.param(
        '  - start: "10:00"\n    end: "10:30"\n    duration: 30\n    title: T\n', 7, None, id="both-end-and-duration"
    ),
    pytest.param('  - start: "10:00"\n    title: T\n', 5, None, id="neither-end-nor-duration"),
    pytest.param('  - start: "10:00"\n    duration: 721\n    title: T\n', 6, "721", id="duration-too-long"),
    pytest.param('  - start: "10:00"\n    end: "10:30"\n    title: T\n    note: x\n', 8, "note", id="unknown-key"),
    pytest.param('  - start: "10:00"\n    end: "10:30"\n    title: T\n    title: U\n', 8, "title", id="repeated-key"),
    pytest.param('  - start: "kl 10"\n    end: "10:30"\n    title: T\n', 5, "kl 10", id="bad-start"),
    pytest.param('  - start: [10]\n    end: "10:30"\n    title: T\n', 5, "start", id="list-as-start"),
    pytest.param(
        '  - start: "10:00"\n    end: "10:30"\n    title: T\n    details: {a: b}\n',
        8,
        "details",
        id="mapping-as-details",
    ),
    pytest.param(
        '  - start: "10:00"\n    end: "10:30"\n    title: T\n    fixed: kanskje\n', 8, "kanskje", id="bad-fixed"
    ),
    pytest.param("  - Bare tekst\n", 5, None, id="item-not-a-mapping"),
]


@pytest.mark.parametrize(("body", "line", "value"), BAD_YAML_ITEMS)
def test_bad_yaml_item_names_its_line(body: str, line: int, value: str | None, nb: Translate) -> None:
    problems = yaml_item_error(body, nb)
    assert line_numbers(problems) == [line]
    if value is not None:
        assert value in problems[0]


def test_several_bad_yaml_items_give_several_problems_in_file_order(nb: Translate) -> None:
    text = (
        "items:\n"
        "  - start: 10:00\n"  # 2
        "    end: 09:00\n"  # 3: end before start
        "    title: A\n"
        "  - start: 10:00\n"  # 5: no title
        "    duration: 30\n"
        "    responsible: [KS, " + "R" * 41 + "]\n"  # 7: too long a role
        "  - 42\n"  # 8: not a mapping
        "  - kind: seminar\n"  # 9: unknown kind, and no start, end, title
        "    title: B\n"
    )
    problems = problems_of(parse_agenda_yaml, text, nb)
    assert line_numbers(problems) == [3, 5, 7, 8, 9, 9, 9]
    assert "R" * 41 in problems[2]
    assert "seminar" in " ".join(problems[4:])


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param('items:\n  - start: "10:00\n    title: x\n', 2, id="unclosed-quote"),
        pytest.param("items:\n  - start: 10:00\n   title: x\n", 3, id="bad-indent"),
        pytest.param("items:\n  - [a, b\n", 2, id="unclosed-flow"),
        pytest.param("items: []\n---\nitems: []\n", 2, id="two-documents"),
        pytest.param("items:\n  - title: \x07\n", 2, id="control-character"),
    ],
)
def test_malformed_yaml_is_one_problem_with_its_line(text: str, line: int, nb: Translate) -> None:
    problems = problems_of(parse_agenda_yaml, text, nb)
    assert len(problems) == 1
    assert line_numbers(problems)[0] == line


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("", 1, id="empty"),
        pytest.param("- start: '10:00'\n", 1, id="list-at-top"),
        pytest.param("name: x\nagenda: []\n", 1, id="no-items-key"),
        pytest.param("name: x\nitems:\n", 2, id="items-null"),
        pytest.param("name: x\nitems: []\n", 2, id="items-empty"),
        pytest.param("name: x\nitems:\n  start: '10:00'\n", 3, id="items-not-a-list"),
    ],
)
def test_yaml_without_an_items_list(text: str, line: int, nb: Translate) -> None:
    assert line_numbers(problems_of(parse_agenda_yaml, text, nb)) == [line]


# --- Uploaded files ------------------------------------------------------------------------------


def test_wrong_extension(nb: Translate) -> None:
    csv_bytes = items_to_csv([item()]).encode()
    for name in ("agenda.xlsx", "agenda.txt", "agenda", "csv"):
        problems = problems_of(parse_agenda, name, csv_bytes, nb)
        assert len(problems) == 1 and name in problems[0]


def test_oversized_file(nb: Translate) -> None:
    data = (HEADER + "\n").encode() + b" " * 200_000
    problems = problems_of(parse_agenda, "agenda.csv", data, nb)
    assert len(problems) == 1 and str(len(data)) in problems[0]


def test_file_of_exactly_the_limit_is_read(nb: Translate) -> None:
    text = HEADER + "\n10:00,10:30,Punkt,,,,\n"
    data = text.encode() + b"\n" * (200_000 - len(text.encode()))
    assert parse_agenda("agenda.csv", data, nb) == [item()]


def test_non_utf8_bytes(nb: Translate) -> None:
    data = (HEADER + "\n10:00,10:30,Velkommen,,,,\n10:30,11:00,Møte,,,,\n").encode("cp1252")
    problems = problems_of(parse_agenda, "agenda.csv", data, nb)
    assert line_numbers(problems) == [3]
    problems = problems_of(parse_agenda, "agenda.yaml", "items:\n  - title: Måltid\n".encode("latin-1"), nb)
    assert line_numbers(problems) == [2]


def test_parse_agenda_dispatches_by_extension(nb: Translate) -> None:
    items = [item(), item("10:30", 15, "Neste", details=("a, b", "c"))]
    assert parse_agenda("Agenda.YML", items_to_yaml(items).encode(), nb) == items
    assert parse_agenda("a.b.csv", items_to_csv(items).encode(), nb) == items
    # A YAML file named .csv is read as CSV and fails on its header.
    problems = problems_of(parse_agenda, "agenda.csv", items_to_yaml(items).encode(), nb)
    assert line_numbers(problems) == [1] * len(problems)
