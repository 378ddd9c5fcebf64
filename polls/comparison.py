"""The same question before and after: the whole room, and each municipality. Pure code.

A group's figures are shown only when it has at least MIN_GROUP answers in both polls and the groups
left out cannot be worked out from the room's figures (polls.disclosure); the others are counted as
left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.i18n import Translate, format_decimal
from polls.disclosure import shown_groups
from polls.tally import QuestionTally, tally


@dataclass(frozen=True)
class Shift:
    before: QuestionTally
    after: QuestionTally

    @property
    def mean_shift(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


@dataclass(frozen=True)
class GroupShift:
    group: str
    shift: Shift


@dataclass(frozen=True)
class Comparison:
    overall: Shift
    groups: tuple[GroupShift, ...]  # only groups that may be shown (polls.disclosure), by name
    left_out: int  # groups that answered but are not shown


def compare(question_id: int, kind: str, options: list[str],
            before: Iterable[tuple[str | None, Any]], after: Iterable[tuple[str | None, Any]]) -> Comparison:
    """`before` and `after` are (group, answer) pairs; None is a phone that chose no group."""
    grouped: dict[str | None, dict[str, list[Any]]] = defaultdict(lambda: {"before": [], "after": []})
    all_before: list[Any] = []
    all_after: list[Any] = []
    for side, answers, everything in (("before", before, all_before), ("after", after, all_after)):
        for group, answer in answers:
            everything.append(answer)
            grouped[group][side].append(answer)
    overall = Shift(tally(question_id, kind, options, all_before), tally(question_id, kind, options, all_after))
    visible = shown_groups([{group: len(sides[side]) for group, sides in grouped.items()}
                            for side in ("before", "after")])
    shown = [GroupShift(group, Shift(tally(question_id, kind, options, grouped[group]["before"]),
                                     tally(question_id, kind, options, grouped[group]["after"])))
             for group in sorted(group for group in visible if group is not None)]
    return Comparison(overall, tuple(shown), sum(1 for group in grouped if group is not None) - len(shown))


def describe_shift(shift: Shift, _: Translate, language: str) -> str:
    """"2,0 → 4,0 (+2,0)" for scales; otherwise how many answered before and after."""
    before, after, change = shift.before.mean, shift.after.mean, shift.mean_shift
    if before is None or after is None or change is None:
        return _("{before} answers before, {after} after").format(
            before=shift.before.responses, after=shift.after.responses)
    sign = "+" if change >= 0 else "−"
    return (f"{format_decimal(before, language)} → {format_decimal(after, language)} "
            f"({sign}{format_decimal(abs(change), language)})")

