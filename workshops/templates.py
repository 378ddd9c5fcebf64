"""Event templates in assets/templates: an agenda in the agenda format, polls and a catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from agenda.planning import PlannedItem
from agenda.transfer import parse_agenda_yaml
from core.i18n import translator

TEMPLATES = Path(__file__).resolve().parent.parent / "assets" / "templates"


@dataclass(frozen=True)
class TemplatePoll:
    key: str
    item_number: int  # 1-based position of the agenda item the poll belongs to
    title: dict[str, str]
    question: dict[str, Any] | None = None
    repeat_of: str | None = None


@dataclass(frozen=True)
class TemplateSlide:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class EventTemplate:
    key: str
    name: dict[str, str]
    title: str
    catalogue_key: str
    items: list[PlannedItem]
    polls: list[TemplatePoll] = field(default_factory=list)
    slides: list[TemplateSlide] = field(default_factory=list)

    def display_name(self, language: str) -> str:
        return self.name.get(language, self.name["nb"])


def _read_template(path: Path) -> EventTemplate:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    polls = [
        TemplatePoll(
            key=poll["key"],
            item_number=int(poll["item"]),
            title=poll["title"],
            question=poll.get("question"),
            repeat_of=poll.get("repeat_of"),
        )
        for poll in data.get("polls", [])
    ]
    return EventTemplate(
        key=data["key"],
        name=data["name"],
        title=data["title"],
        catalogue_key=data["catalogue"],
        items=parse_agenda_yaml(text, translator("en")),
        polls=polls,
        slides=[TemplateSlide(s["title"], tuple(s.get("lines", []))) for s in data.get("slides", [])],
    )


@cache
def bundled_templates() -> dict[str, EventTemplate]:
    templates = (_read_template(path) for path in sorted(TEMPLATES.glob("*.yaml")))
    return {template.key: template for template in templates}
