"""Evaluate quote/attribution extraction on PolNeAR dev (no Django needed).

    .venv/bin/python bench/eval_attribution.py [--limit N] [--data DIR] [--verbose]

Gold: every PolNeAR attribution (E line) with its CONTENT (possibly discontinuous) and
SOURCE. Articles annotated by several annotators (2 in dev) use the first annotation file.

Predictions: the extractor's candidates —
- each quote group with a speaker (an interrupted or continued quote is one group) → the
  characters of its quotes, marks included; a partial quote (under 60% of the clause its cue
  reports: ... that there were “thousands of shootings” in Chicago) → that clause;
- every attribution a sentence candidate carries (``features["attributions"]``: "X said A,
  and Y told reporters B" gives two) → its content span (the reported clause), else the
  whole sentence. A quote group lying inside such a content is merged into it.

Matching (one-to-one, greedy by overlap): a prediction matches a gold content when the
characters they share are ≥ 50% of the characters of their union (IoU ≥ 0.5).

Speaker accuracy, over matched pairs whose gold has a SOURCE: the predicted speaker is right
when, after lower-casing and dropping determiners/possessives, the head (last) word of one
occurs among the words of the other — compared both with the resolved speaker ("Donald
Trump") and with the words the text used for it ("he"), since PolNeAR marks the mention.
"named-source speaker" is stricter: only pairs whose gold SOURCE is not a pronoun, compared
with the resolved speaker alone.

Reported twice: for all attributions, and for direct quotes only: gold contents and
predictions that open with a quotation mark (optionally after "that"), on both sides.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factcheck.extraction import extract_candidates, get_nlp, model_version  # noqa: E402

DEFAULT_DATA = REPO / ".." / "shared" / "data" / "polnear" / "dev"
QUOTE_MARKS = "“”\"‘’'«»"
STOP = {"the", "a", "an", "of", "'s", "’s", "s", "and", "mr", "mrs", "ms", "dr"}
THRESHOLD = 0.5
PARTIAL = 0.6  # a quote shorter than this share of its reported clause is a partial quote


@dataclass
class Item:
    chars: set[int]
    source: str = ""
    mention: str = ""
    is_quote: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)


def starts_with_quote(text: str, spans: list[tuple[int, int]]) -> bool:
    """A direct quote: the content opens with a quotation mark (after an optional "that")."""
    first = re.sub(r"^that\s+", "", text[spans[0][0] : spans[0][1]].strip(), flags=re.I)
    return first[:1] in QUOTE_MARKS


# --- gold ------------------------------------------------------------------------------------


def load_gold(ann_path: Path, text: str) -> list[Item]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, surface = (line.split("\t") + ["", ""])[:3]
            label, _, offsets = info.partition(" ")
            fragments = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            spans[tid] = (label, fragments, surface)  # type: ignore[assignment]
        elif line.startswith("E"):
            roles = dict(part.split(":", 1) for part in line.split("\t")[1].split())
            events.append(roles)
    items = []
    for roles in events:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        fragments = content[1]
        chars = {i for start, end in fragments for i in range(start, end)}
        source = spans.get(roles.get("Source", ""))
        source_text = " ".join(text[s:e] for s, e in source[1]) if source else ""
        items.append(Item(chars, source_text, "", starts_with_quote(text, fragments), list(fragments)))
    return items


# --- predictions -----------------------------------------------------------------------------


def predictions(text: str, candidates) -> list[Item]:
    """Attribution predictions of one article, from its candidates (see module docstring)."""
    by_span: dict[tuple[int, int], Item] = {}
    groups: dict[int, Item] = {}
    for c in candidates:
        if c.claim_type == "quote":
            if not c.speaker:
                continue
            content = c.features.get("attribution_content")
            if content and (c.end - c.start) < PARTIAL * (content[1] - content[0]):
                # a partial quote inside a reported clause: the clause is the content
                _add_span(by_span, tuple(content), c.speaker, c.features.get("speaker_mention", ""))
                continue
            start = c.start - 1 if text[c.start - 1 : c.start] in QUOTE_MARKS else c.start
            end = c.end + 1 if text[c.end : c.end + 1] in QUOTE_MARKS else c.end
            item = groups.setdefault(
                c.features["quote_group"], Item(set(), c.speaker, c.features.get("speaker_mention", ""), True)
            )
            item.chars.update(range(start, end))
            item.spans.append((start, end))
        else:
            for attribution in c.features.get("attributions", []):
                span = tuple(attribution["content"] or (c.start, c.end))
                _add_span(by_span, span, attribution["speaker"], attribution["speaker_mention"])
    contents = list(by_span.values())
    merged = [
        quote
        for quote in groups.values()
        if not any(len(quote.chars & item.chars) >= 0.9 * len(quote.chars) for item in contents)
    ]
    items = merged + contents
    for item in items:
        item.is_quote = starts_with_quote(text, sorted(item.spans))
    return items


def _add_span(by_span: dict, span: tuple[int, int], speaker: str, mention: str) -> None:
    if span not in by_span:
        by_span[span] = Item(set(range(*span)), speaker, mention, False, [span])


# --- scoring ---------------------------------------------------------------------------------


def iou(a: set[int], b: set[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match(gold: list[Item], pred: list[Item], threshold: float = THRESHOLD) -> list[tuple[Item, Item]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g.chars & p.chars:
                score = iou(g.chars, p.chars)
                if score >= threshold:
                    pairs.append((score, gi, pi))
    used_g, used_p, result = set(), set(), []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            result.append((gold[gi], pred[pi]))
    return result


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w’']+", text.lower()) if w not in STOP]


PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "who", "which", "that"}


def speaker_ok(gold_source: str, predicted: Item, strict: bool = False) -> bool:
    """Head-word match with the resolved speaker or (unless strict) the words the text used."""
    gold_words = words(gold_source)
    if not gold_words:
        return False
    for candidate in (predicted.source,) if strict else (predicted.source, predicted.mention):
        pred_words = words(candidate)
        if pred_words and (gold_words[-1] in pred_words or pred_words[-1] in gold_words):
            return True
    return False


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    with_source: int = 0
    speaker_right: int = 0
    named_source: int = 0  # gold source is not a pronoun
    named_right: int = 0  # ... and the resolved speaker (not the mention) matches it
    errors: list[str] = field(default_factory=list)

    def add(self, gold: list[Item], pred: list[Item], text: str, name: str, threshold: float) -> None:
        pairs = match(gold, pred, threshold)
        self.gold += len(gold)
        self.pred += len(pred)
        self.matched += len(pairs)
        for g, p in pairs:
            if g.source and words(g.source)[-1:] != [] and words(g.source)[-1] not in PRONOUNS:
                self.named_source += 1
                self.named_right += speaker_ok(g.source, p, strict=True)
            if g.source:
                self.with_source += 1
                if speaker_ok(g.source, p):
                    self.speaker_right += 1
                else:
                    content = text[min(g.chars) : max(g.chars) + 1][:80].replace("\n", " ")
                    self.errors.append(f"{name}: gold={g.source!r} pred={p.source!r} ({p.mention!r}) :: {content}")

    def report(self, title: str) -> str:
        precision = self.matched / self.pred if self.pred else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = self.speaker_right / self.with_source if self.with_source else 0.0
        named = self.named_right / self.named_source if self.named_source else 0.0
        return (
            f"{title:<18} gold={self.gold:5d} pred={self.pred:5d} matched={self.matched:5d}  "
            f"P={precision:.3f} R={recall:.3f} F1={f1:.3f}  "
            f"speaker={accuracy:.3f} ({self.speaker_right}/{self.with_source})  "
            f"named-source speaker={named:.3f} ({self.named_right}/{self.named_source})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N articles only")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR compartment (default: dev)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help="IoU needed for a match (default 0.5)")
    parser.add_argument("--verbose", action="store_true", help="print speaker errors")
    args = parser.parse_args()

    text_dir, ann_dir = args.data / "text", args.data / "attributions"
    if not text_dir.is_dir():
        sys.exit(f"PolNeAR data not found under {args.data}")
    annotations: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        annotations.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    names = sorted(n for n in annotations if (text_dir / f"{n}.txt").exists())[: args.limit]
    texts = [(text_dir / f"{n}.txt").read_text(encoding="utf-8") for n in names]

    nlp = get_nlp()
    started = time.perf_counter()
    all_candidates = extract_candidates(texts, nlp=nlp)
    elapsed = time.perf_counter() - started

    tallies = {"all attributions": Tally(), "direct quotes": Tally()}
    for name, text, candidates in zip(names, texts, all_candidates):
        gold = load_gold(annotations[name], text)
        pred = predictions(text, candidates)
        tallies["all attributions"].add(gold, pred, text, name, args.threshold)
        quotes = [g for g in gold if g.is_quote], [p for p in pred if p.is_quote]
        tallies["direct quotes"].add(*quotes, text, name, args.threshold)

    print(f"PolNeAR {args.data.name}: {len(names)} articles, model {model_version(nlp)}, extraction {elapsed:.1f}s")
    print(f"matching: IoU of characters >= {args.threshold}; speaker: head-word match with the gold SOURCE")
    for title, tally in tallies.items():
        print(tally.report(title))
    if args.verbose:
        for line in tallies["all attributions"].errors:
            print("  ", line)


if __name__ == "__main__":
    main()
