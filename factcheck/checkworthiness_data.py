"""Check-worthiness training data: the labelled sentences and the held-out splits.

The loaders (``load_claimbuster``, ``load_clef2019``, ``load_decisions_jsonl``,
``load_decisions_from_database``), ``load_examples`` and the held-out splits (``split_all``: dev
debates for F1, tune debates for the threshold, CLEF-2019 files for MAP, a fifth of editors'
decisions). Used by ``manage.py train_checkworthiness``; the metrics and TF-IDF comparisons are in
:mod:`factcheck.checkworthiness_eval`, the fine-tuning in :mod:`factcheck.checkworthiness_training`,
the runtime scorer in :mod:`factcheck.checkworthiness` (which re-exports these names).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.jsonl import JsonlError, jsonl_records

MODULE_DIR = Path(__file__).resolve().parent
REPO_DIR = MODULE_DIR.parent
DEFAULT_CLAIMBUSTER_PATH = REPO_DIR.parent / "shared" / "data" / "claimbuster" / "crowdsourced.csv"
DEFAULT_CLEF2019_DIR = REPO_DIR.parent / "shared" / "data" / "clef2019_task1" / "training"

#: Held-out dev debates (ClaimBuster ``File_id``). Rule: sort the 30 pre-2016 debates
#: chronologically and take every 5th starting at the 3rd (index % 5 == 2). 2016 debates are
#: excluded from dev because CLEF-2019 (optional extra training data) contains the same 2016
#: debates. Whole debates are held out, so sentences repeated or paraphrased inside one debate
#: cannot leak between train and dev.
DEV_DEBATES = (
    "1960-10-13.txt",
    "1980-09-21.txt",
    "1988-10-13.txt",
    "1996-10-16.txt",
    "2004-10-08.txt",
    "2012-10-03.txt",
)


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One labelled sentence. ``group`` is the document it comes from (debate, decisions file)."""

    text: str
    label: int
    group: str = ""
    source: str = ""
    weight: float = 1.0


def load_claimbuster(path: str | os.PathLike) -> list[Example]:
    """ClaimBuster ``crowdsourced.csv`` → examples; label 1 iff ``Verdict == 1`` (CFS).

    Verdict -1 (non-factual) and 0 (unimportant factual) are both negatives. Raises
    ``FileNotFoundError`` if the file is missing and ``ValueError`` on an unexpected layout.
    """
    path = Path(path)
    out: list[Example] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"Text", "File_id", "Verdict"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not a ClaimBuster CSV (missing columns {sorted(missing)})")
        for lineno, row in enumerate(reader, start=2):
            text = (row["Text"] or "").strip()
            if not text:
                continue
            try:
                verdict = int(float(row["Verdict"]))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}: line {lineno}: bad Verdict {row['Verdict']!r}") from exc
            if verdict not in (-1, 0, 1):
                raise ValueError(f"{path}: line {lineno}: Verdict must be -1, 0 or 1, got {verdict}")
            out.append(Example(text, int(verdict == 1), row["File_id"], "claimbuster"))
    return out


def load_clef2019(directory: str | os.PathLike) -> list[Example]:
    """CLEF-2019 CheckThat! Task 1 training TSVs (no header: line_no, speaker, text, label)."""
    directory = Path(directory)
    files = sorted(directory.glob("*.tsv"))
    if not files:
        raise FileNotFoundError(f"no *.tsv files in {directory}")
    out: list[Example] = []
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:
            for lineno, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                parts = line.split("\t")
                if len(parts) != 4:
                    raise ValueError(f"{f}: line {lineno}: expected 4 tab-separated fields, got {len(parts)}")
                text, label = parts[2].strip(), parts[3].strip()
                if label not in ("0", "1"):
                    raise ValueError(f"{f}: line {lineno}: label must be 0 or 1, got {label!r}")
                if text:
                    out.append(Example(text, int(label), f"clef2019:{f.stem}", "clef2019"))
    return out


class DecisionsFormatError(JsonlError):
    """A malformed line in an editors' decisions JSONL file; ``line`` is 1-based."""

    def __init__(self, path: str, line: int, problem: str):
        super().__init__(path, line, problem)
        self.path = path


def load_decisions_jsonl(path: str | os.PathLike, *, weight: float = 1.0) -> list[Example]:
    """Editors' decisions exported as JSONL: one ``{"text": "...", "label": 1 or 0}`` per line.

    Accepted claims are 1, rejected 0. Blank lines are skipped and extra keys ignored; any other
    deviation raises :class:`DecisionsFormatError` naming the line number.
    """
    path_s = str(path)
    out: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, obj in jsonl_records(fh, source=path_s):
            if isinstance(obj, JsonlError):
                raise DecisionsFormatError(path_s, lineno, obj.problem)
            text = obj.get("text")
            if not isinstance(text, str) or not text.strip():
                raise DecisionsFormatError(path_s, lineno, '"text" must be a non-empty string')
            label = obj.get("label")
            if isinstance(label, bool) or label not in (0, 1):
                raise DecisionsFormatError(path_s, lineno, f'"label" must be 1 or 0, got {label!r}')
            out.append(Example(text.strip(), int(label), "decisions", "decisions", float(weight)))
    return out


def load_decisions_from_database(*, weight: float = 1.0) -> list[Example]:
    """Editors' decisions from ``factcheck.Claim``: status accepted → 1, rejected → 0.

    Claims of both origins (machine-suggested and human-entered) are used; candidates are
    ignored. Needs Django set up; raises ``RuntimeError`` if the model or its table is missing.
    """
    try:
        from factcheck.models import Claim  # noqa: PLC0415 — needs the app registry
    except Exception as exc:  # ImportError, AppRegistryNotReady, ImproperlyConfigured …
        raise RuntimeError(f"factcheck.Claim is not available: {exc}") from exc
    from django.db import DatabaseError  # noqa: PLC0415

    try:
        rows = list(
            Claim.objects.filter(status__in=("accepted", "rejected")).order_by("pk").values_list("exact", "status")
        )
    except DatabaseError as exc:
        raise RuntimeError(f"could not read claims from the database: {exc}") from exc
    out = []
    for exact, status in rows:
        text = (exact or "").strip()
        if text:
            out.append(Example(text, int(status == "accepted"), "database", "database", float(weight)))
    return out


def _norm_text(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


#: ClaimBuster debates held out to choose the transformer's threshold (never trained on):
#: among the same 30 pre-2016 debates sorted chronologically, index % 10 == 4.
TUNE_DEBATES = ("1976-09-23.txt", "1992-10-15.txt", "2008-09-26.txt")

#: CLEF-2019 files held out for ranking (MAP). Rule: sort the 16 files whose event is not also a
#: ClaimBuster debate (the three 2016 presidential debates are in both) and take index % 4 == 1:
#: a primary debate, a press conference, a speech and a press briefing.
CLEF_DEV_FILES = (
    "clef2019:20160226_10_gop",
    "clef2019:20170216_trump_press",
    "clef2019:20170928_trump_tax",
    "clef2019:20181112_trump_pelosi",
)


@dataclass
class Splits:
    """Training data and the held-out sets: ``dev`` (ClaimBuster debates, F1), ``tune``
    (ClaimBuster debates, the threshold), ``clef_dev`` (CLEF-2019 files, MAP) and
    ``decisions_dev`` (every fifth editors' decision, when there are any)."""

    train: list[Example]
    dev: list[Example]
    tune: list[Example]
    clef_dev: list[Example]
    decisions_dev: list[Example]


def _held_out_decision(example: Example) -> bool:
    return int(hashlib.sha256(_norm_text(example.text).encode()).hexdigest(), 16) % 5 == 0


def split_all(
    examples: Sequence[Example],
    *,
    dev_debates: Iterable[str] = DEV_DEBATES,
    tune_debates: Iterable[str] = TUNE_DEBATES,
    clef_dev_files: Iterable[str] = CLEF_DEV_FILES,
) -> Splits:
    """Whole debates (and CLEF files) held out, so nothing repeated inside one leaks; a fifth of
    editors' decisions (chosen by a hash of their text, so stable as decisions accumulate) is
    held out too. A training sentence whose normalised text occurs in any held-out set is dropped."""
    dev_debates, tune_debates, clef_dev_files = set(dev_debates), set(tune_debates), set(clef_dev_files)

    def where(e: Example) -> str:
        if e.source == "claimbuster" and e.group in dev_debates:
            return "dev"
        if e.source == "claimbuster" and e.group in tune_debates:
            return "tune"
        if e.source == "clef2019" and e.group in clef_dev_files:
            return "clef_dev"
        if e.source in ("decisions", "database") and _held_out_decision(e):
            return "decisions_dev"
        return "train"

    parts: dict[str, list[Example]] = {k: [] for k in ("train", "dev", "tune", "clef_dev", "decisions_dev")}
    for e in examples:
        parts[where(e)].append(e)
    if not parts["dev"]:
        raise ValueError("the dev split is empty: none of the held-out debates are in the data")
    held = {_norm_text(e.text) for k in ("dev", "tune", "clef_dev", "decisions_dev") for e in parts[k]}
    parts["train"] = [
        e
        for e in parts["train"]
        if _norm_text(e.text) not in held and not (e.source == "clef2019" and not e.label and _clef_negative_dropped(e))
    ]
    return Splits(**parts)


def _clef_negative_dropped(example: Example) -> bool:
    """Three in four CLEF-2019 training negatives are left out (by a hash of their text): 97 % of
    CLEF sentences are negatives, and a fine-tuning pass on a 2-core CPU costs time per sentence."""
    return int(hashlib.sha256(_norm_text(example.text).encode()).hexdigest(), 16) % 4 != 0


def _fingerprint(examples: Sequence[Example], params: dict) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(params, sort_keys=True).encode())
    for e in examples:
        h.update(f"{e.label}\t{e.weight!r}\t{e.text}\n".encode())
    return h.hexdigest()


def _source_counts(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for e in examples:
        d = out.setdefault(e.source or "other", {"sentences": 0, "positives": 0})
        d["sentences"] += 1
        d["positives"] += e.label
    return out


def load_examples(
    claimbuster_path: str | os.PathLike = DEFAULT_CLAIMBUSTER_PATH,
    *,
    clef_dir: str | os.PathLike = DEFAULT_CLEF2019_DIR,
    extra: Sequence[Example] = (),
) -> Splits:
    """ClaimBuster + CLEF-2019 + ``extra`` (editors' decisions) → :class:`Splits`."""
    return split_all(load_claimbuster(claimbuster_path) + load_clef2019(clef_dir) + list(extra))
