"""What a short answer's rubric means: which points a learner's text states.

A point is ticked when the text states one of its ``keywords`` phrases and none of its
``unless`` phrases. Phrases match whole words, in order, inside one clause; a phrase word
ending in ``*`` matches any word it begins; a match right after a negation ("does not
depend on the batch") states nothing. The rules are written out for authors in the
README's bank format section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

# a word, or a clause break: , ; ! ? and . or : before a space ("0.9" is one number); a line
# break is not one, so a sentence wrapped over two lines still states what it says
WORD = re.compile(r"[^\W_]+|[,;!?]|[.:](?=\s|$)")
CLAUSE_BREAKS = frozenset(",;!?.:")
CONTRACTED_NOT = re.compile(r"n['\u2019]t\b")
NEGATIONS = frozenset({"not", "no", "never", "without", "cannot", "nor", "neither", "non"})
NEGATION_REACH = 3  # words before a match, inside its clause, that can negate it


def words(text: str) -> list[str]:
    """Lowercase words, with a clause break kept as its punctuation mark ("n't" is "not")."""
    return WORD.findall(CONTRACTED_NOT.sub(" not", text.lower()))


@dataclass(frozen=True)
class Phrase:
    """One author phrase, compiled: its words, each either exact or a stem (``norm*``)."""

    text: str
    parts: tuple[tuple[str, bool], ...]  # (word, is_stem)

    @classmethod
    def parse(cls, text: str) -> Phrase:
        parts = []
        for token in re.findall(r"[^\W_]+\*?", text.lower()):
            parts.append((token.rstrip("*"), token.endswith("*")))
        return cls(text, tuple(parts))

    def _word_matches(self, index: int, word: str) -> bool:
        expected, stem = self.parts[index]
        return word.startswith(expected) if stem else word == expected

    def found_at(self, said: Sequence[str]) -> list[int]:
        """Start positions in ``said`` where the phrase is stated (not negated)."""
        size = len(self.parts)
        return [
            start
            for start in range(len(said) - size + 1)
            if all(self._word_matches(i, said[start + i]) for i in range(size))
            and not _negated(said, start)
        ]


def _negated(said: Sequence[str], start: int) -> bool:
    """Whether a negation stands in the few words before ``start``, in the same clause."""
    for word in reversed(said[max(0, start - NEGATION_REACH) : start]):
        if word in CLAUSE_BREAKS:
            return False
        if word in NEGATIONS:
            return True
    return False


@dataclass(frozen=True)
class PointCheck:
    """How one rubric point fared: the phrases that ticked it, or the one that vetoed it."""

    stated: tuple[str, ...]  # the learner's words that matched a keyword phrase
    contradicted: str | None = None  # the learner's words that matched an `unless` phrase

    @property
    def ticked(self) -> bool:
        return bool(self.stated) and self.contradicted is None


def check_point(keywords: Sequence[str], unless: Sequence[str], said: Sequence[str]) -> PointCheck:
    """Whether ``said`` (from :func:`words`) states the point, and in which words."""
    stated = tuple(_matched_words(keywords, said))
    vetoes = _matched_words(unless, said)
    return PointCheck(stated, vetoes[0] if vetoes else None)


def _matched_words(phrases: Sequence[str], said: Sequence[str]) -> list[str]:
    found: list[str] = []
    for text in phrases:
        phrase = Phrase.parse(text)
        if not phrase.parts:
            continue
        for start in phrase.found_at(said):
            quoted = " ".join(said[start : start + len(phrase.parts)])
            if quoted not in found:
                found.append(quoted)
    return found


class Coverage(Enum):
    """How much of a rubric an answer states; the quiz suggests a rating from it."""

    ALL = "all"  # every point: Good
    HALF = "half"  # at least half: Hard
    FEW = "few"  # fewer than half: Again


def coverage(ticks: Sequence[bool]) -> Coverage:
    """How much of a rubric is stated, from each point's tick."""
    ticked = sum(ticks)
    if ticks and ticked == len(ticks):
        return Coverage.ALL
    return Coverage.HALF if ticks and 2 * ticked >= len(ticks) else Coverage.FEW
