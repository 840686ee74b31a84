"""The Microsoft Research Paraphrase Corpus (Dolan & Brockett 2005) as the matcher's training and
evaluation data: news sentence pairs from different outlets, labelled for equivalence.

Split by pair, deterministically (a hash of the two sentence ids), into three parts that never
share a pair: ``train`` (60 %: fine-tuning the pair model), ``calib`` (20 %: fitting the decision
model and choosing its thresholds) and ``test`` (20 %: held out, only reported). The pairs written
for this project (matching/data/pairs.jsonl: news claims on other topics — elections, health,
economy, courts, sport, climate, business — the same claim in other words or with one more detail,
vs false friends: same actor other action, other numbers, other actor same action) are split the
same way by their own hash: two thirds go to calib, where the decision is fitted, and one third to
``own_test``, held out and only reported (never in MSRP's test).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from core.jsonl import read_jsonl

DATA = Path(__file__).resolve().parent / "data"


def msrp_dir() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "msrp"


def _part(key: str) -> str:
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 60 else "calib" if bucket < 80 else "test"


def _own_part(key: str) -> str:
    return "own_test" if int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 3 == 0 else "calib"


def load_splits(folder: Path | None = None, *, own_pairs: bool = True) -> dict[str, list[tuple[str, str, int]]]:
    """{"train" | "calib" | "test": [(sentence a, sentence b, 1 if equivalent else 0)]}."""
    folder = folder or msrp_dir()
    parts: dict[str, list[tuple[str, str, int]]] = {"train": [], "calib": [], "test": [], "own_test": []}
    with (folder / "msr_paraphrase_train.txt").open(encoding="utf-8-sig") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 5 or not row[0].strip().isdigit():
                continue
            parts[_part(f"{row[1]}-{row[2]}")].append((row[3], row[4], int(row[0])))
    own = DATA / "pairs.jsonl"
    if own_pairs and own.exists():
        for _, item in read_jsonl(own.read_text(encoding="utf-8").splitlines(), source=str(own)):
            parts[_own_part(item["a"] + "\x00" + item["b"])].append((item["a"], item["b"], int(item["same"])))
    return parts
