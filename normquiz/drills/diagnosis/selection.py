"""Choosing which mistakes to name from the surviving candidates, and the words for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.ledger import Finding
from normquiz.drills.results import UNCHECKED, UNEXPLAINED, Diagnosis

MAX_LISTED = 4
MAX_IDS = 14  # more distinct mistakes than this at once: too ambiguous to name any


def select(
    context: Context, findings: Sequence[Finding], order: Sequence[str]
) -> tuple[Diagnosis, ...]:
    """The mistakes every smallest explanation of the failing units agrees on, then notes on
    the failing units they leave unexplained (no diagnosis at all when none is named)."""
    reachable = frozenset().union(*(f.explained for f in findings))
    covers = _smallest_covers(findings, reachable)
    named_ids = frozenset.intersection(*covers) if covers else frozenset()
    if not named_ids:
        return ()
    usable = [f for f in findings if f.ids <= frozenset.union(*covers)]
    covered = frozenset().union(*(f.explained for f in usable if f.ids <= named_ids))
    carriers = [f for f in usable if f.ids & named_ids]
    undetermined = frozenset().union(*(f.undetermined for f in carriers)) - covered
    diagnoses = [_merge(mistake, carriers) for mistake in _ordered(named_ids, carriers, order)]
    left = sorted(context.failing - covered - undetermined)
    unchecked = sorted(context.failing & undetermined)
    notes = [_unexplained(context, left)] if left else []
    notes += [_unchecked(context, unchecked)] if unchecked else []
    return (*diagnoses, *notes)


def _smallest_covers(findings: Sequence[Finding], target: frozenset[Unit]) -> list[frozenset[str]]:
    """Every smallest set of ids whose findings together explain ``target``."""
    universe = sorted(frozenset().union(*(f.ids for f in findings)))
    if len(universe) > MAX_IDS:
        return []
    for size in range(1, len(universe) + 1):
        covers = [
            frozenset(ids)
            for ids in combinations(universe, size)
            if _explains(findings, frozenset(ids), target)
        ]
        if covers:
            return covers
    return []


def _explains(findings: Sequence[Finding], ids: frozenset[str], target: frozenset[Unit]) -> bool:
    covered: set[Unit] = set()
    for finding in findings:
        if finding.ids <= ids:
            covered |= finding.explained
    return target <= covered


def _ordered(ids: frozenset[str], named: Sequence[Finding], order: Sequence[str]) -> list[str]:
    """Bank mistakes in the manifest's order, then the others in the order found."""
    seen = [d.id for f in named for d in f.diagnoses]
    ranked = [i for i in order if i in ids] + [i for i in seen if i in ids and i not in order]
    return list(dict.fromkeys(ranked))


def _merge(mistake: str, named: Sequence[Finding]) -> Diagnosis:
    """One diagnosis per id: the bank's explanation when its file explains all that the
    computed findings do, else the computed explanations (and the bank's for what they miss)."""
    carriers = [f for f in named if mistake in f.ids]
    authored = [_message(f, mistake) for f in carriers if f.authored]
    by_bank = frozenset().union(*(f.explained for f in carriers if f.authored))
    computed = sorted(
        (f for f in carriers if not f.authored),
        key=lambda f: (-len(f.explained), [(d.id, d.message) for d in f.diagnoses]),
    )
    if authored and all(f.explained <= by_bank for f in computed):
        return Diagnosis(mistake, " ".join(dict.fromkeys(authored)))
    messages = _distinct_cover(computed, mistake)
    by_computed = frozenset().union(*(f.explained for f in computed))
    if not by_bank <= by_computed:
        messages = authored + messages
    return Diagnosis(mistake, " ".join(dict.fromkeys(messages)))


def _distinct_cover(computed: Iterable[Finding], mistake: str) -> list[str]:
    """Messages of the computed findings that explain something new; a finding that explains
    exactly the same units as one taken, with other words, is offered as an alternative."""
    messages: list[str] = []
    seen: set[Unit] = set()
    taken: list[frozenset[Unit]] = []
    for finding in computed:
        if not finding.explained <= seen:
            messages.append(_message(finding, mistake))
            seen |= finding.explained
            taken.append(finding.explained)
        elif finding.explained in taken and _message(finding, mistake) not in messages:
            messages.append(
                "Or, equally consistent with these cases: " + _message(finding, mistake)
            )
    return messages


def _message(finding: Finding, mistake: str) -> str:
    return next(d.message for d in finding.diagnoses if d.id == mistake)


def _listing(context: Context, units: Sequence[Unit]) -> str:
    """'out on "a", "b"; dx on "c", ...' for a list of units."""
    names: dict[str, list[str]] = {}
    for unit in units:
        cases = names.setdefault(context.output_name(unit), [])
        if (case := context.cases[unit[0]].name) not in cases:
            cases.append(case)
    grouped: dict[tuple[str, ...], list[str]] = {}  # outputs failing on the same cases
    for output, cases in sorted(names.items(), key=lambda item: _is_gradient(item[0])):
        grouped.setdefault(tuple(cases), []).append(output)
    parts = [
        f"{', '.join(outputs[:MAX_LISTED])}{' and more' if len(outputs) > MAX_LISTED else ''}"
        f" on {', '.join(_quoted(c) for c in cases[:MAX_LISTED])}"
        + (f" and {len(cases) - MAX_LISTED} more" if len(cases) > MAX_LISTED else "")
        for cases, outputs in list(grouped.items())[:MAX_LISTED]
    ]
    return "; ".join(parts) + ("; and more" if len(grouped) > MAX_LISTED else "")


def _is_gradient(output: str) -> bool:
    """dx, step2.dgamma, ...: listed after the outputs a learner computes directly."""
    return output.rsplit(".", 1)[-1].startswith("d")


def _quoted(name: str) -> str:
    return '"' + name + '"'


def _unexplained(context: Context, units: Sequence[Unit]) -> Diagnosis:
    """Failing outputs none of the named mistakes explains."""
    return Diagnosis(
        UNEXPLAINED,
        f"Something else is wrong too: {_listing(context, units)} also differ from PyTorch in a "
        "way none of the mistakes above explains.",
    )


def _unchecked(context: Context, units: Sequence[Unit]) -> Diagnosis:
    """Failing outputs where the named mistakes' own results cannot be compared."""
    return Diagnosis(
        UNCHECKED,
        f"Not checked: {_listing(context, units)} differ too, where the mistakes above cannot "
        "be compared (not finite there, decided by float32 rounding, or a gradient or eval "
        "output not recomputed).",
    )
