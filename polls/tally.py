"""Counting the answers to a question. Pure code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from polls.answers import SCALE

TOP_WORDS = 30


@dataclass(frozen=True)
class QuestionTally:
    question_id: int
    kind: str
    responses: int
    labels: tuple[str, ...] = ()  # the options, or "1" … "5" for a scale
    counts: tuple[int, ...] = ()  # one count per label
    mean: float | None = None  # scales only
    words: tuple[tuple[str, int], ...] = ()  # word clouds: the most frequent words


def tally(question_id: int, kind: str, options: list[str], answers: Iterable[Any]) -> QuestionTally:
    answers = list(answers)
    if kind in ("single", "multiple"):
        counts = Counter(index for answer in answers for index in (answer if isinstance(answer, list) else [answer]))
        return QuestionTally(question_id, kind, len(answers), tuple(options),
                             tuple(counts.get(index, 0) for index in range(len(options))))
    if kind == "scale":
        counts = Counter(answers)
        mean = sum(answers) / len(answers) if answers else None
        return QuestionTally(question_id, kind, len(answers), tuple(str(value) for value in SCALE),
                             tuple(counts.get(value, 0) for value in SCALE), mean)
    if kind == "words":
        counted = Counter(word for answer in answers for word in answer)
        return QuestionTally(question_id, kind, len(answers), words=tuple(counted.most_common(TOP_WORDS)))
    return QuestionTally(question_id, kind, len(answers))
