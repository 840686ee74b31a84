"""How outlets differ on one claim: numbers, names, dates, quote wording and certainty, side by side.

Pure: takes the mentions' texts (and their stored signatures when there are any) and returns,
for each mention, its text cut into segments with the differing parts marked. No spaCy here:
without a signature, numbers, quotes, hedges, dates and capitalised names are found with
regular expressions, so the page also works for mentions the worker has not seen yet.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .lexicon import ASSERTIVE_VERBS, MONTHS, WEEKDAYS
from .scoring import numbers_agree, quote_similarity
from .signature import date_keys, entity_key, find_hedges, find_quotes, keys_match, quote_norm
from .stemming import stem

DIMENSIONS = ("numbers", "names", "dates", "quotes", "certainty")
PRIORITY = {"quote": 0, "number": 1, "name": 2, "date": 3, "certainty": 4}
_NUMBER_RE = re.compile(r"[$€£]?\d[\d,.]*(?:\s?(?:million|billion|thousand|%|percent))?", re.IGNORECASE)
_NAME_RE = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w’'-]+)*")
_DATE_RE = re.compile(r"\b(?:" + "|".join(WEEKDAYS + MONTHS) + r")\b(?:\s+\d{1,2})?|\b(?:19|20)\d\d\b", re.IGNORECASE)
_ASSERTIVE_STEMS = frozenset(stem(v) for v in ASSERTIVE_VERBS)
_SENTENCE_START_WORDS = frozenset(
    "The A An In On At But And As After Before When While This That It He She They We "
    "I Following According Meanwhile However Still".split()
)


@dataclass
class Mention:
    claim_id: int
    text: str
    signature: dict | None = None
    outlet: str = ""
    extra: dict = field(default_factory=dict)


def _items(mention: Mention) -> dict[str, list[dict]]:
    """Items per dimension with offsets into the mention text and a comparison key."""
    text, sig = mention.text, mention.signature
    out: dict[str, list[dict]] = {d: [] for d in DIMENSIONS}
    if sig:
        for n in sig.get("numbers", []):
            out["numbers"].append({"start": n["start"], "end": n["end"], "text": n["text"], "value": n["value"]})
        for e in sig.get("entities", []):
            if e["label"] in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
                out["names"].append({"start": e["start"], "end": e["end"], "text": e["text"], "key": e["key"]})
        for d in sig.get("dates", []):
            out["dates"].append({"start": d["start"], "end": d["end"], "text": d["text"], "keys": d["keys"]})
    else:
        for m in _NUMBER_RE.finditer(text):
            if _DATE_RE.fullmatch(m.group(0).strip()):
                continue
            from factcheck.extraction.numbers import parse_number

            value = parse_number(m.group(0).rstrip(".,"))
            if value is not None:
                out["numbers"].append(
                    {
                        "start": m.start(),
                        "end": m.start() + len(m.group(0).rstrip(".,")),
                        "text": m.group(0).rstrip(".,"),
                        "value": value,
                    }
                )
        for m in _DATE_RE.finditer(text):
            out["dates"].append({"start": m.start(), "end": m.end(), "text": m.group(0), "keys": date_keys(m.group(0))})
        for m in _NAME_RE.finditer(text):
            name = m.group(0)
            if name in _SENTENCE_START_WORDS or _DATE_RE.fullmatch(name):
                continue
            out["names"].append({"start": m.start(), "end": m.end(), "text": name, "key": entity_key(name, "PERSON")})
    out["quotes"] = [dict(q) for q in ((sig or {}).get("quotes") or find_quotes(text))]
    hedges = find_hedges(text)
    out["certainty"] = [
        {"start": h["start"], "end": h["end"], "text": h["text"], "key": h["key"], "hedge": True} for h in hedges
    ]
    for m in re.finditer(r"\b(\w+)\b", text):
        word = m.group(1).lower()
        word_stem = stem(word)
        if word_stem in _ASSERTIVE_STEMS and len(word) - len(word_stem) <= 3:  # not "announcement"
            out["certainty"].append(
                {"start": m.start(), "end": m.end(), "text": m.group(1), "key": word, "hedge": False}
            )
    return out


def _same(dimension: str, a: dict, b: dict) -> bool:
    if dimension == "numbers":
        return a["value"] is not None and b["value"] is not None and numbers_agree(a["value"], b["value"])
    if dimension == "names":
        return keys_match(a["key"], b["key"])
    if dimension == "dates":
        return bool(set(a["keys"]) & set(b["keys"])) or a["text"].lower() == b["text"].lower()
    if dimension == "quotes":
        return a["norm"] == b["norm"] or a["norm"] in b["norm"] or b["norm"] in a["norm"]
    return a["key"] == b["key"]


def _segments(text: str, marks: list[tuple[int, int, str, str]]) -> list[dict]:
    """Cut `text` into [{"text", "kind", "title"}], marks (start, end, kind, title) not overlapping."""
    marks = sorted(marks, key=lambda m: (m[0], PRIORITY.get(m[2], 9)))
    chosen, last_end = [], 0
    for start, end, kind, title in marks:
        if start >= last_end and end > start:
            chosen.append((start, end, kind, title))
            last_end = end
    out, pos = [], 0
    for start, end, kind, title in chosen:
        if start > pos:
            out.append({"text": text[pos:start], "kind": "", "title": ""})
        out.append({"text": text[start:end], "kind": kind, "title": title})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "kind": "", "title": ""})
    return out


def _quote_word_marks(quote: dict, reference: dict) -> list[tuple[int, int, str, str]]:
    """Words of `quote` that the reference version words differently."""
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w’'-]+", quote["text"])]
    ref_words = quote_norm(reference["text"]).split()
    mine = [quote_norm(w[2]) for w in words]
    marks = []
    matcher = difflib.SequenceMatcher(a=mine, b=ref_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if (
            tag == "replace"
            and i2 - i1 == j2 - j1
            and all(keys_match(x, y) for x, y in zip(mine[i1:i2], ref_words[j1:j2]))
        ):
            continue  # spelling variants of the same words (Tchaikovsky / Tchaikovskiy) are not a wording change
        if tag in ("replace", "insert") and i2 > i1:
            start, end = words[i1][0], words[i2 - 1][1]
            marks.append(
                (quote["start"] + start, quote["start"] + end, "quote", "worded differently in another outlet")
            )
    return marks


def group_differences_compute(mentions: list[Mention]) -> dict:
    """Per mention: segments with differing parts marked; per dimension: does any outlet differ."""
    items = [_items(m) for m in mentions]
    differs = {d: False for d in DIMENSIONS}
    marks: list[list[tuple[int, int, str, str]]] = [[] for _ in mentions]
    many = len(mentions) > 1
    for dimension, kind in (("numbers", "number"), ("names", "name"), ("dates", "date")):
        for i, mine in enumerate(items):
            for item in mine[dimension]:
                shared = all(
                    any(_same(dimension, item, other) for other in items[j][dimension])
                    for j in range(len(items))
                    if j != i
                )
                if many and not shared:
                    differs[dimension] = True
                    marks[i].append((item["start"], item["end"], kind, "not in every outlet's version"))
    # Certainty: hedged in some versions, asserted in others (or hedged differently).
    levels = ["hedged" if any(c["hedge"] for c in it["certainty"]) else "asserted" for it in items]
    hedge_sets = [frozenset(c["key"] for c in it["certainty"] if c["hedge"]) for it in items]
    if many and (len(set(levels)) > 1 or len(set(hedge_sets)) > 1):
        differs["certainty"] = True
        for i, it in enumerate(items):
            for c in it["certainty"]:
                title = "hedge" if c["hedge"] else "stated as fact"
                marks[i].append((c["start"], c["end"], "certainty", title))
    # Quotes: the same quotation worded differently is a quote variant.
    variants: list[tuple[int, int]] = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            for qa in items[i]["quotes"]:
                for qb in items[j]["quotes"]:
                    sim = quote_similarity(qa["norm"], qb["norm"])
                    if (
                        sim >= 0.6
                        and qa["norm"] != qb["norm"]
                        and not (qa["norm"] in qb["norm"] or qb["norm"] in qa["norm"])
                    ):
                        variants.append((i, j))
                        marks[i].extend(_quote_word_marks(qa, qb))
                        marks[j].extend(_quote_word_marks(qb, qa))
    differs["quotes"] = bool(variants)
    rows = []
    for i, (mention, it) in enumerate(zip(mentions, items)):
        rows.append(
            {
                "claim_id": mention.claim_id,
                "outlet": mention.outlet,
                "text": mention.text,
                "segments": _segments(mention.text, marks[i]),
                "numbers": [n["text"] for n in it["numbers"]],
                "names": list(dict.fromkeys(n["text"] for n in it["names"])),
                "dates": [d["text"] for d in it["dates"]],
                "quotes": [q["text"] for q in it["quotes"]],
                "hedges": [c["text"] for c in it["certainty"] if c["hedge"]],
                "certainty": levels[i],
                "quote_variant": any(i in pair for pair in variants),
                **mention.extra,
            }
        )
    return {
        "mentions": rows,
        "differs": differs,
        "quote_variant": bool(variants),
        "any_difference": any(differs.values()),
    }
