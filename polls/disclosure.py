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
County = TypeVar("County", bound=Hashable)


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


def shown_with_counties(sizes: Sequence[Mapping[Group, int]],
                        county_of: Mapping[Group, County]) -> tuple[set[Group], set[County]]:
    """The groups (as `shown_groups`) and the counties, each a sum of groups, that may be shown beside the
    totals. A county is shown with MIN_GROUP answers on every side, when what it holds beyond its shown groups
    is 0 or at least MIN_GROUP (else the county minus its shown groups gives the rest away), and when what
    the total holds beyond the shown counties and the shown groups outside them is so too; where it is not,
    the smallest counties are hidden until it is. Hiding a county, never a group, keeps the groups shown
    the same as in every other output."""
    groups = shown_groups(sizes)

    def size(side: Mapping[Group, int], county: County) -> int:
        return sum(count for group, count in side.items() if group is not None and county_of.get(group) == county)

    def beyond_groups(side: Mapping[Group, int], county: County) -> int:
        return size(side, county) - sum(side.get(group, 0) for group in groups if county_of.get(group) == county)

    counties = {county_of[group] for side in sizes for group in side if group in county_of}
    shown = {county for county in counties
             if all(size(side, county) >= MIN_GROUP and _hidden_ok(beyond_groups(side, county)) for side in sizes)}

    def outside(side: Mapping[Group, int]) -> int:
        return (sum(side.values()) - sum(size(side, county) for county in shown)
                - sum(side.get(group, 0) for group in groups if county_of.get(group) not in shown))

    # hiding a county that holds nothing beyond its shown groups would hide nothing more: those go last
    for county in sorted(shown, key=lambda c: (all(beyond_groups(side, c) == 0 for side in sizes),
                                               min(size(side, c) for side in sizes), str(c))):
        if all(_hidden_ok(outside(side)) for side in sizes):
            break
        shown.discard(county)
    return groups, shown


def total_beside_group_may_be_shown(total: int, group: int) -> bool:
    """A total next to one group's figures (a municipality's summary): the rest must be 0 or MIN_GROUP."""
    return _hidden_ok(total - group)
