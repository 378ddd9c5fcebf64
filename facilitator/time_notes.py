"""Notes beside an item's times in the control room: how much shorter it runs to reach a fixed-time item."""

from __future__ import annotations

from datetime import timedelta

from agenda.live import LiveDay
from agenda.timeline import ItemProjection
from facilitator.language import n_


def squeeze_note(day: LiveDay, item: ItemProjection) -> str:
    """'3 min shorter to reach Lunsj', or nothing when the item keeps its length."""
    if item.squeezed <= timedelta(0) or item.squeezed_for is None:
        return ""
    fixed = day.items.get(item.squeezed_for)
    minutes = max(1, round(item.squeezed.total_seconds() / 60))
    return n_("{count} min shorter to reach {item}", "{count} min shorter to reach {item}", minutes,
              item=fixed.title if fixed is not None else "")
