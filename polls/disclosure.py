"""Which groups' figures may be shown, so that no group under MIN_GROUP answers can be worked out.

The whole room is not a group: its figures are shown at any count (live results grow from the first
answer).

A group (a municipality) is shown only with at least MIN_GROUP answers. Shown beside a total, the
groups left out must also be 0 or at least MIN_GROUP answers together, or the total minus the shown
groups would give them away; when they are not, the smallest shown groups are left out too
(complementary suppression, as Statistics Norway does). Pure code.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

MIN_GROUP = 5

Group = TypeVar("Group", bound=Hashable)


def _hidden_ok(count: int) -> bool:
    return count == 0 or count >= MIN_GROUP


def shown_groups(sizes: Sequence[Mapping[Group, int]]) -> set[Group]:
    """The groups that may be shown beside the totals, for one or more sides (before and after) counted
    over the same groups. `None` in a mapping stands for answers from no group: never shown, always
    part of what is hidden. A group is shown only with MIN_GROUP answers on every side."""
    groups = {group for side in sizes for group in side}
    shown = {group for group in groups if group is not None
             and all(side.get(group, 0) >= MIN_GROUP for side in sizes)}

    def hidden(side: Mapping[Group, int]) -> int:
        return sum(count for group, count in side.items() if group not in shown)

    for group in sorted(shown, key=lambda g: (min(side.get(g, 0) for side in sizes), str(g))):
        if all(_hidden_ok(hidden(side)) for side in sizes):
            break
        shown.discard(group)
    return shown


def total_beside_group_may_be_shown(total: int, group: int) -> bool:
    """A total next to one group's figures (a municipality's summary): the rest must be 0 or MIN_GROUP."""
    return _hidden_ok(total - group)
