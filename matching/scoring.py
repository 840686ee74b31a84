"""How likely two claim signatures have the same truth conditions (0..1), with reasons.

The score aligns clause-level propositions (actor, verb class, objects) and compares quotations;
lexical overlap only supports an aligned pair, it never links on its own. Vetoes (score 0):
different named actors for the aligned propositions, opposite polarity, numbers counting the same
thing that differ beyond rounding, different years, quotes attributed to different speakers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import floor, log10

from rapidfuzz import fuzz

from .signature import keys_match

# Weight of an aligned pair by whether each side is the claim's main proposition.
MAIN_WEIGHT = {(True, True): 1.0, (True, False): 0.8, (False, True): 0.8, (False, False): 0.65}
MIN_QUOTE_WORDS = 6


@dataclass
class MatchScore:
    score: float
    reasons: list[str] = field(default_factory=list)
    veto: str = ""

    def as_dict(self) -> dict:
        return {"score": round(self.score, 4), "reasons": self.reasons, "veto": self.veto}


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
            lone = len(na) == 1 and len(nb) == 1 and (not x["head"] or not y["head"]) and min(x["value"], y["value"]) >= 10
            if (same_head or lone) and not numbers_agree(x["value"], y["value"]):
                if any(z["value"] is not None and numbers_agree(x["value"], z["value"]) for z in nb):
                    continue
                return f"numbers differ: {x['text']} vs {y['text']}"
    return ""


def _years(dates: list[dict]) -> set[str]:
    return {k for d in dates for k in d["keys"] if k.isdigit()}


def _weekdays(dates: list[dict]) -> set[str]:
    return {k for d in dates for k in d["keys"] if k.endswith("day") and not k.startswith(("yester", "to"))}


# --- propositions ---------------------------------------------------------------------------


def _term_weight(term: str) -> float:
    return 2.0 if term.startswith("@") else 1.0


def _same_term(x: str, y: str) -> bool:
    if x == y:
        return True
    return x.startswith("@") and y.startswith("@") and keys_match(x[1:], y[1:])


def _terms_overlap(a: list[str], b: list[str]) -> float:
    """Weighted overlap of object terms (names count double); one shared generic noun is weak."""
    if not a or not b:
        return 0.0
    shared = sum(_term_weight(x) for x in a if any(_same_term(x, y) for y in b))
    wa, wb = sum(map(_term_weight, a)), sum(map(_term_weight, b))
    coverage = shared / min(wa, wb) * (0.6 + 0.4 * min(wa, wb) / max(wa, wb))
    return min(1.0, coverage) * min(1.0, shared / 2.0)


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
    if (hint_a and kb and a.get("kind") == "descriptive" and b.get("kind") == "group" and not keys_match(hint_a, kb)) or (
        hint_b and ka and b.get("kind") == "descriptive" and a.get("kind") == "group" and not keys_match(hint_b, ka)
    ):
        return "conflict"
    return "unknown"


def prop_score(p: dict, q: dict) -> tuple[float, str]:
    """(score, veto) for two propositions."""
    if p["verb"] != q["verb"]:
        return 0.0, ""
    relation = actor_relation(p["actor"], q["actor"])
    if relation == "conflict":
        return 0.0, f"different actors: {p['actor']['text']} vs {q['actor']['text']}"
    if p["neg"] != q["neg"]:
        return 0.0, "one is negated"
    actor = 1.0 if relation == "same" else 0.3
    objects = _terms_overlap(p["objects"], q["objects"])
    if not p["objects"] and not q["objects"]:
        objects = 0.4
    return 0.35 + 0.3 * actor + 0.35 * objects, ""


def lexical_similarity(a: dict, b: dict) -> float:
    la, lb = set(a.get("lemmas", [])), set(b.get("lemmas", []))
    if not la or not lb:
        return 0.0
    return len(la & lb) / (len(la) * len(lb)) ** 0.5


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


# --- claims ---------------------------------------------------------------------------------


def match_score(a: dict, b: dict) -> MatchScore:
    """Score two claim signatures. 1.0 = same truth conditions for certain."""
    reasons: list[str] = []
    conflict = number_conflict(a.get("numbers", []), b.get("numbers", []))
    if conflict:
        return MatchScore(0.0, [conflict], veto=conflict)
    years_a, years_b = _years(a.get("dates", [])), _years(b.get("dates", []))
    if years_a and years_b and not (years_a & years_b):
        veto = f"different years: {', '.join(sorted(years_a))} vs {', '.join(sorted(years_b))}"
        return MatchScore(0.0, [veto], veto=veto)

    lexical = lexical_similarity(a, b)

    # Quotations: the same words said by the same person.
    q_sim, qa, qb = best_quote_pair(a, b)
    quote_score = 0.0
    if q_sim >= 0.8:
        sa, sb = a.get("speaker", ""), b.get("speaker", "")
        if sa and sb and not keys_match(sa, sb):
            veto = f"the quote is attributed to different people: {sa} vs {sb}"
            return MatchScore(0.0, [veto], veto=veto)
        quote_score = 0.55 + 0.45 * q_sim
        reasons.append(f"same quotation ({q_sim:.2f})")

    # Propositions: who did what to whom.
    best, best_veto, best_pair = 0.0, "", None
    for p in a.get("props", []):
        for q in b.get("props", []):
            s, veto = prop_score(p, q)
            weight = MAIN_WEIGHT[(p["main"], q["main"])]
            if veto and p["main"] and q["main"]:
                best_veto = best_veto or veto
            if s * weight > best:
                best, best_pair = s * weight, (p, q)
    prop_total = 0.0
    if best_pair is not None:
        p, q = best_pair
        prop_total = 0.8 * best + 0.2 * lexical
        reasons.append(f"{p['actor'].get('text') or '?'} {p['verb_text']} ~ {q['actor'].get('text') or '?'} "
                       f"{q['verb_text']} ({best:.2f})")
        if _weekdays(a.get("dates", [])) and _weekdays(b.get("dates", [])) and not (
            _weekdays(a["dates"]) & _weekdays(b["dates"])
        ):
            prop_total -= 0.2
            reasons.append("different days")
    if best_veto and prop_total < 0.5 and quote_score == 0.0:
        return MatchScore(0.0, reasons + [best_veto], veto=best_veto)
    score = max(prop_total, quote_score, min(0.4, 0.5 * lexical))
    reasons.append(f"lexical {lexical:.2f}")
    return MatchScore(max(0.0, min(1.0, score)), reasons)
