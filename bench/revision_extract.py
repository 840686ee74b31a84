"""Cost of re-extracting a revised article: the whole text (before) against the changed paragraphs
with their attribution context (factcheck.extraction.revision, what the worker does now).

    .venv/bin/python bench/revision_extract.py [--paragraphs 40] [--rounds 5]

The article is written here (generic sentences, a speaker introduced in one paragraph and quoted
in the next); revision: one paragraph in the middle gets a sentence more. Prints the characters
given to spaCy and the time of the extractor (nlp.pipe + rules) for both, best of the rounds.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOODS = ["grain", "timber", "copper", "coffee", "cotton", "steel", "salt", "wool", "rice", "sugar"]


def article(n: int) -> list[str]:
    rows = []
    for i in range(n):
        good = GOODS[i % len(GOODS)]
        rows.append(
            f"Exports of {good} rose by {i + 3} percent in {1990 + i}, the statistics office reported. "
            f"The port handled {120 + i} ships carrying {good} that year, officials said."
        )
    rows[n // 2] = "Amara Velde, the director of the port authority, gave the figures on Monday."
    rows[n // 2 + 1] = "“We will need 40 more cranes before the winter,” she said."
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from factcheck.extraction import extract_candidates, get_nlp
    from factcheck.extraction.revision import revision_plan

    old = article(args.paragraphs)
    new = list(old)
    new[args.paragraphs // 2 + 1] += " The authority bought 12 cranes in March."
    old_text, new_text = "\n\n".join(old), "\n\n".join(new)
    plan = revision_plan(old_text, new_text)
    assert plan is not None
    windows = [new_text[w.start : w.end] for w in plan.windows]
    nlp = get_nlp()
    extract_candidates([old_text], nlp=nlp)  # warm up
    best_full = best_part = float("inf")
    for _ in range(args.rounds):
        t = time.perf_counter()
        extract_candidates([new_text], nlp=nlp)
        best_full = min(best_full, time.perf_counter() - t)
        t = time.perf_counter()
        extract_candidates(windows, nlp=nlp)
        best_part = min(best_part, time.perf_counter() - t)
    print(
        f"{args.paragraphs} paragraphs, 1 changed; spaCy model {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}"
    )
    print(f"  whole text:          {len(new_text):6d} characters  {best_full * 1000:7.1f} ms")
    print(
        f"  changed + context:   {plan.chars:6d} characters  {best_part * 1000:7.1f} ms"
        f"  ({len(plan.windows)} window, {plan.chars / len(new_text):.0%} of the characters)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
