"""The planned agenda as plain values, and the edit rules of the set-up screen.

Pure code: no framework, no database. An item that is not fixed-time moves with the items
before it ("ripple"): change a start or a duration and every later item moves by the same
amount, up to the next fixed-time item, which stays where it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import time

from core.errors import UserError
from core.i18n import N_
from core.text import clean_text

MINUTES_PER_DAY = 24 * 60
MAX_DURATION_MINUTES = 12 * 60
MAX_TITLE_LENGTH = 200
MAX_DETAILS_LENGTH = 2000
KINDS = ("talk", "break", "poll", "group_work", "other")
SUGGESTED_ROLES = ("FM", "Statsforvalteren", "KS", "USHT", "Kommunene", "Alle")
"""Offered in the editor; who leads an item is free text."""
MAX_ROLE_LENGTH = 40
MAX_ROLES_LENGTH = 100
"""The roles of an item together, joined by "/" as they are stored."""
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
"""An item's key: it names the item in agenda files, so an import finds the item again."""


class PlanError(UserError):
    """An edit that would break the plan."""


def to_minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def from_minutes(minutes: int) -> time:
    if not 0 <= minutes < MINUTES_PER_DAY:
        raise PlanError(N_("The agenda must stay within one day."))
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True)
class PlannedItem:
    start: time
    duration_minutes: int
    title: str
    responsible: tuple[str, ...] = ()
    kind: str = "talk"
    details: tuple[str, ...] = ()
    fixed_time: bool = False
    key: str = ""  # given when the item is first stored
    parallel: bool = False  # runs alongside the items before it: may start before they end
    auto_advance: bool = False  # the day moves on by itself when this item's time is up

    @property
    def start_minutes(self) -> int:
        return to_minutes(self.start)

    @property
    def end_minutes(self) -> int:
        return self.start_minutes + self.duration_minutes

    @property
    def end(self) -> time:
        return from_minutes(self.end_minutes % MINUTES_PER_DAY)


def checked_item(item: PlannedItem) -> PlannedItem:
    """The item with its texts as they are stored (core.text.clean_text), or a UserError for the first rule
    it breaks."""
    item = replace(item, title=clean_text(item.title),
                   details=tuple(filter(None, (clean_text(line) for line in item.details))))
    if not 1 <= len(item.title) <= MAX_TITLE_LENGTH:
        raise PlanError(N_("A title must be between 1 and 200 characters."))
    if not 1 <= item.duration_minutes <= MAX_DURATION_MINUTES:
        raise PlanError(N_("A duration must be between 1 and 720 minutes."))
    if item.end_minutes > MINUTES_PER_DAY:
        raise PlanError(N_("The agenda must stay within one day."))
    if item.kind not in KINDS:
        raise PlanError(N_("Unknown kind of item: {kind}"), kind=item.kind)
    item = replace(item, responsible=checked_roles(item.responsible))
    if item.key and not KEY_PATTERN.fullmatch(item.key):
        raise PlanError(N_("An item's key may only hold letters A–Z, digits, - and _ (at most 40)."))
    if len("\n".join(item.details)) > MAX_DETAILS_LENGTH:
        raise PlanError(N_("The sub-points can be at most 2000 characters together."))
    return item


def known_spelling(role: str) -> str:
    """A suggested role as it is spelt in the suggestions (`ks` is `KS`); any other as written."""
    return next((known for known in SUGGESTED_ROLES if known.casefold() == role.casefold()), role)


def checked_roles(roles: Sequence[str]) -> tuple[str, ...]:
    """The roles cleaned (core.text.clean_text), blank and repeated ones left out, or a PlanError."""
    kept: list[str] = []
    for role in roles:
        role = clean_text(role)
        if "/" in role:
            raise PlanError(N_("A role cannot contain “/”: {role}"), role=role)
        if len(role) > MAX_ROLE_LENGTH:
            raise PlanError(N_("A role can be at most 40 characters: {role}"), role=role)
        role = known_spelling(role)
        if role and role not in kept:
            kept.append(role)
    if len("/".join(kept)) > MAX_ROLES_LENGTH:
        raise PlanError(N_("The roles of an item can be at most 100 characters together."))
    return tuple(kept)


def _shift_following(items: list[PlannedItem], index: int, delta: int) -> list[PlannedItem]:
    for position in range(index + 1, len(items)):
        item = items[position]
        if item.fixed_time:
            break
        items[position] = replace(item, start=from_minutes(item.start_minutes + delta))
    _check_within_day(items)
    return items


def _check_within_day(items: Sequence[PlannedItem]) -> None:
    if any(item.end_minutes > MINUTES_PER_DAY for item in items):
        raise PlanError(N_("The agenda must stay within one day."))


def set_duration(items: Sequence[PlannedItem], index: int, minutes: int) -> list[PlannedItem]:
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise PlanError(N_("A duration must be between 1 and 720 minutes."))
    result = list(items)
    delta = minutes - result[index].duration_minutes
    result[index] = replace(result[index], duration_minutes=minutes)
    return _shift_following(result, index, delta)


def set_start(items: Sequence[PlannedItem], index: int, start: time) -> list[PlannedItem]:
    result = list(items)
    delta = to_minutes(start) - result[index].start_minutes
    result[index] = replace(result[index], start=start)
    return _shift_following(result, index, delta)


def insert_after(items: Sequence[PlannedItem], index: int, item: PlannedItem) -> list[PlannedItem]:
    """Insert after `index` (-1: first); the new item starts when the one before it ends."""
    result = list(items)
    if index >= 0:
        item = replace(item, start=from_minutes(result[index].end_minutes))
    elif result:
        item = replace(item, start=result[0].start)
    result.insert(index + 1, item)
    return _shift_following(result, index + 1, item.duration_minutes)


def remove(items: Sequence[PlannedItem], index: int) -> list[PlannedItem]:
    result = list(items)
    removed = result.pop(index)
    return _shift_following(result, index - 1, -removed.duration_minutes)


def can_move(items: Sequence[PlannedItem], index: int, step: int) -> bool:
    other = index + step
    if not 0 <= other < len(items):
        return False
    return not (items[index].fixed_time or items[other].fixed_time)


def move(items: Sequence[PlannedItem], index: int, step: int) -> list[PlannedItem]:
    """Swap an item with its neighbour (`step` -1 or +1); fixed-time items do not move."""
    if not can_move(items, index, step):
        raise PlanError(N_("This item cannot be moved there: fixed-time items stay where they are."))
    result = list(items)
    first, second = sorted((index, index + step))
    start = result[first].start_minutes
    earlier, later = result[second], result[first]
    result[first] = replace(earlier, start=from_minutes(start))
    result[second] = replace(later, start=from_minutes(start + earlier.duration_minutes))
    return result


def overlaps(items: Sequence[PlannedItem]) -> list[tuple[int, int]]:
    """(position, earlier position) of each item not marked parallel whose time overlaps an item before it in
    the list (the first such one)."""
    found: list[tuple[int, int]] = []
    for index, item in enumerate(items):
        if item.parallel:
            continue
        earlier = next((before for before in range(index) if items[before].start_minutes < item.end_minutes
                        and item.start_minutes < items[before].end_minutes), None)
        if earlier is not None:
            found.append((index, earlier))
    return found


def overlapping(items: Sequence[PlannedItem]) -> list[int]:
    """Positions of the items that start before an earlier item ends without being marked parallel."""
    return [index for index, _earlier in overlaps(items)]
