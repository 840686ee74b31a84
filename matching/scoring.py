"""Structured checks between two claim signatures: numbers equal up to rounding, the actor of
aligned propositions, quotation wording, lexical overlap. They are features and vetoes of the
same-claim decision (matching/semantic.py); no score is combined here by hand.
"""

from __future__ import annotations

from math import floor, log10

from rapidfuzz import fuzz

from .signature import keys_match

MIN_QUOTE_WORDS = 6


# --- numbers and dates ----------------------------------------------------------------------


def _significant(value: float) -> int:
    """Significant digits of a number as written: 130000 → 2, 127500 → 4."""
    value = abs(value)
    if value == 0:
        return 1
    if value != int(value):
        return len(f"{value:g}".replace(".", "").lstrip("0"))
    return len(str(int(value)).rstrip("0")) or 1


def _round_to(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    magnitude = floor(log10(abs(value)))
    scale = 10 ** (magnitude - digits + 1)
    return round(value / scale) * scale


def numbers_agree(a: float, b: float) -> bool:
    """Equal up to rounding: 1.5 million ~ 1,500,000; 130,000 ~ 127,600 (rounded to 2 digits);
    130,000 vs 190,000 or 2 vs 5 differ."""
    if a == b:
        return True
    if a == 0 or b == 0 or (a > 0) != (b > 0):
        return False
    coarse, fine = (a, b) if _significant(a) <= _significant(b) else (b, a)
    return abs(_round_to(fine, _significant(coarse)) - coarse) < 1e-9 * max(abs(a), abs(b), 1)


def number_conflict(na: list[dict], nb: list[dict]) -> str:
    """A number in each claim counting the same kind of thing, with different values."""
    for x in na:
        for y in nb:
            if x["value"] is None or y["value"] is None:
                continue
            same_head = x["head"] and x["head"] == y["head"]
            lone = (
                len(na) == 1 and len(nb) == 1 and (not x["head"] or not y["head"]) and min(x["value"], y["value"]) >= 10
            )
            if (same_head or lone) and not numbers_agree(x["value"], y["value"]):
                if any(z["value"] is not None and numbers_agree(x["value"], z["value"]) for z in nb):
                    continue
                return f"numbers differ: {x['text']} vs {y['text']}"
    return ""


def actor_relation(a: dict, b: dict) -> str:
    """'same', 'conflict' or 'unknown' (a pronoun, a description, a missing subject)."""
    ka, kb = a.get("key", ""), b.get("key", "")
    if ka and kb:
        if keys_match(ka, kb):
            return "same"
        if a.get("kind") == b.get("kind"):
            return "conflict"
        return "unknown"
    hint_a, hint_b = a.get("hint", ""), b.get("hint", "")
    if hint_a and hint_b and not keys_match(hint_a, hint_b):
        return "conflict"
    if (
        hint_a and kb and a.get("kind") == "descriptive" and b.get("kind") == "group" and not keys_match(hint_a, kb)
    ) or (hint_b and ka and b.get("kind") == "descriptive" and a.get("kind") == "group" and not keys_match(hint_b, ka)):
        return "conflict"
    return "unknown"


def lexical_similarity(a: dict, b: dict) -> float:
    la, lb = set(a.get("lemmas", [])), set(b.get("lemmas", []))
    if not la or not lb:
        return 0.0
    return len(la & lb) / (len(la) * len(lb)) ** 0.5


def lexical_containment(a: dict, b: dict) -> float:
    """How much of the shorter claim's content (lemmas: actor, action, objects, names) the longer one
    states: 1.0 when one is the other with more detail added."""
    la, lb = set(a.get("lemmas", [])), set(b.get("lemmas", []))
    if not la or not lb:
        return 0.0
    return len(la & lb) / min(len(la), len(lb))


def quote_similarity(qa: str, qb: str) -> float:
    """Similarity of two normalized quotations; a shorter one contained in a longer one counts."""
    wa, wb = qa.split(), qb.split()
    if min(len(wa), len(wb)) < MIN_QUOTE_WORDS:
        return 0.0
    full = fuzz.ratio(qa, qb) / 100
    partial = fuzz.partial_ratio(qa, qb) / 100 if min(len(wa), len(wb)) >= 8 else 0.0
    return max(full, 0.97 * partial)


def best_quote_pair(a: dict, b: dict) -> tuple[float, dict | None, dict | None]:
    best = (0.0, None, None)
    for x in a.get("quotes", []):
        for y in b.get("quotes", []):
            s = quote_similarity(x["norm"], y["norm"])
            if s > best[0]:
                best = (s, x, y)
    return best
