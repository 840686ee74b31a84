"""Check-worthiness: how likely a sentence is a check-worthy factual claim.

Scoring (workers, ``score_text``, the score API) runs the fine-tuned MiniLM classifier shipped in
``factcheck/models_data/checkworthiness/`` through :mod:`core.inference` (int8 ONNX, no torch):

``load_model(path=None)``          the classifier, loaded once per process (folder from settings).
``score_sentences(texts)``         scores in [0, 1], each distinct text scored once.
``classify(text)``                 ``(score, score >= threshold())``.
``model_version()`` / ``MODEL_VERSION``  name, version and file hash of the model.

Training data and evaluation (``manage.py train_checkworthiness``; nothing here needs torch):
the loaders (``load_claimbuster``, ``load_clef2019``, ``load_decisions_jsonl``,
``load_decisions_from_database``), the held-out splits (``split_all``: dev debates for F1, tune
debates for the threshold, CLEF-2019 files for MAP, a fifth of editors' decisions), the metrics,
the two TF-IDF comparisons trained in the same run (``tfidf_scores``) and the report. The
fine-tuning itself is in :mod:`factcheck.checkworthiness_training`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

__all__ = [
    "CLEF_DEV_FILES",
    "DEV_DEBATES",
    "TUNE_DEBATES",
    "DecisionsFormatError",
    "Example",
    "Splits",
    "best_threshold",
    "build_baseline",
    "build_pipeline",
    "classify",
    "format_report",
    "load_claimbuster",
    "load_clef2019",
    "load_decisions_from_database",
    "load_decisions_jsonl",
    "load_examples",
    "load_model",
    "mean_average_precision",
    "metrics_at",
    "model_version",
    "report_rows",
    "score_sentences",
    "split_all",
    "tfidf_scores",
    "threshold",
]

MODULE_DIR = Path(__file__).resolve().parent
REPO_DIR = MODULE_DIR.parent
DEFAULT_MODEL_PATH = MODULE_DIR / "models_data" / "checkworthiness"
DEFAULT_CLAIMBUSTER_PATH = REPO_DIR.parent / "shared" / "data" / "claimbuster" / "crowdsourced.csv"
DEFAULT_CLEF2019_DIR = REPO_DIR.parent / "shared" / "data" / "clef2019_task1" / "training"

#: The TF-IDF model shipped before the transformer (the report's comparison).
ALGORITHM = "tfidf-w12-c25wb-hand11-lrbal"
DEFAULT_C = 1.0

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


class DecisionsFormatError(ValueError):
    """A malformed line in an editors' decisions JSONL file; ``line`` is 1-based."""

    def __init__(self, path: str, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}: line {line}: {problem}")


def load_decisions_jsonl(path: str | os.PathLike, *, weight: float = 1.0) -> list[Example]:
    """Editors' decisions exported as JSONL: one ``{"text": "...", "label": 1 or 0}`` per line.

    Accepted claims are 1, rejected 0. Blank lines are skipped and extra keys ignored; any other
    deviation raises :class:`DecisionsFormatError` naming the line number.
    """
    path_s = str(path)
    out: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise DecisionsFormatError(path_s, lineno, f"invalid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise DecisionsFormatError(path_s, lineno, "expected a JSON object")
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
        e for e in parts["train"]
        if _norm_text(e.text) not in held and not (e.source == "clef2019" and not e.label and _clef_negative_dropped(e))
    ]
    return Splits(**parts)


def _clef_negative_dropped(example: Example) -> bool:
    """Three in four CLEF-2019 training negatives are left out (by a hash of their text): 97 % of
    CLEF sentences are negatives, and a fine-tuning pass on a 2-core CPU costs time per sentence."""
    return int(hashlib.sha256(_norm_text(example.text).encode()).hexdigest(), 16) % 4 != 0


def mean_average_precision(scores: Sequence[float], labels: Sequence[int], groups: Sequence[str]) -> float:
    """CLEF CheckThat! Task 1's measure: average precision of each document's sentences ranked
    by score, averaged over documents (documents without a positive are skipped)."""
    from sklearn.metrics import average_precision_score

    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    values = [float(average_precision_score(y[rows], s[rows])) for rows in by_group.values() if y[rows].any()]
    return float(np.mean(values)) if values else 0.0


def best_threshold(scores: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray) -> float:
    """The threshold in 0.05..0.95 (steps of 0.01) that maximises positive-class F1."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    grid = [round(0.05 + 0.01 * i, 2) for i in range(91)]
    f1s = [_f1(y, (s >= t).astype(int)) for t in grid]
    return grid[int(np.argmax(f1s))]


def metrics_at(scores: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray, threshold: float) -> dict[str, float]:
    """Positive-class F1, precision, recall at ``threshold`` and average precision."""
    from sklearn.metrics import average_precision_score

    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    pred = (s >= threshold).astype(int)
    tp = int(np.sum((pred == 1) & (y == 1)))
    fp = int(np.sum((pred == 1) & (y == 0)))
    fn = int(np.sum((pred == 0) & (y == 1)))
    return {
        "f1": _f1(y, pred),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "average_precision": float(average_precision_score(y, s)) if y.any() and not y.all() else 0.0,
    }


# --------------------------------------------------------------------------------------------
# Features and models
# --------------------------------------------------------------------------------------------

_RE_DIGIT = re.compile(r"\d")
_RE_MONEY_PCT = re.compile(r"[%$£€]|\bper ?cent\b", re.I)
_RE_QUANT = re.compile(
    r"\b(percent|million|millions|billion|billions|trillion|thousand|thousands|hundred|hundreds|"
    r"dollars?|half|twice|double|doubled|triple|tripled|times|number|rate|average|majority)\b",
    re.I,
)
_RE_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_RE_PRON1 = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|we'll|we'd|us|our|ours)\b", re.I)
_RE_PRON2 = re.compile(r"\b(you|you're|you've|you'll|you'd|your|yours|yourself)\b", re.I)
_RE_TOKEN = re.compile(r"\S+")


def _hand_row(text: str) -> list[float]:
    toks = _RE_TOKEN.findall(text)
    n = max(len(toks), 1)
    caps = sum(1 for w in toks[1:] if w[:1].isupper())
    return [
        float(bool(_RE_DIGIT.search(text))),  # has a number
        float(bool(_RE_MONEY_PCT.search(text))),  # money / percentage
        min(caps, 5) / 5.0,  # capitalised non-initial tokens (named-entity-ish)
        math.log1p(n) / 4.0,  # length
        len(_RE_PRON1.findall(text)) / n,  # first-person pronoun rate
        len(_RE_PRON2.findall(text)) / n,  # second-person pronoun rate
        float("?" in text),
        float("!" in text),
        float(bool(_RE_QUANT.search(text))),  # quantity words
        float(bool(_RE_YEAR.search(text))),  # a year
        float(n < 5),  # very short
    ]


class HandcraftedFeatures(TransformerMixin, BaseEstimator):
    """Eleven cheap surface features (numbers, money/percent, capitalised tokens, length,
    1st/2nd-person pronouns, ?/!, quantity words, year, very short), all in [0, ~1.5]."""

    N_FEATURES = 11

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        rows = [_hand_row(t) for t in X]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), self.N_FEATURES))

    def get_feature_names_out(self, input_features=None):
        return np.asarray(
            ["has_number", "money_pct", "caps", "log_len", "pron1", "pron2", "question", "exclaim", "quantity",
             "year", "short"],
            dtype=object,
        )


def build_features() -> FeatureUnion:
    """Word 1-2-gram TF-IDF + char_wb 2-5-gram TF-IDF + handcrafted features."""
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float64)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=3)),
            ("hand", HandcraftedFeatures()),
        ]
    )


def _build_clf(C: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)


def build_pipeline(*, C: float = DEFAULT_C, seed: int = 0) -> Pipeline:
    """Our (unfitted) model: :func:`build_features` → class-balanced logistic regression."""
    return Pipeline([("features", build_features()), ("clf", _build_clf(C, seed))])


def build_baseline() -> Pipeline:
    """Reference baseline: TF-IDF word unigrams+bigrams + LogisticRegression, default settings."""
    return Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2))), ("clf", LogisticRegression())])


# TF-IDF model as shipped before the transformer (the report's comparison): C and threshold as
# its grouped cross-validation chose them (C = 1, threshold 0.49), retrained in the same run.
TFIDF_C = 1.0
TFIDF_THRESHOLD = 0.49


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(np.sum((pred == 1) & (y == 1)))
    fp = int(np.sum((pred == 1) & (y == 0)))
    fn = int(np.sum((pred == 0) & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _single_threaded_blas():
    """Pin BLAS to one thread while fitting: the problems are small and sparse, and OpenBLAS
    threads spin-waiting on a busy machine made lbfgs up to 40x slower (same results)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


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


def tfidf_scores(splits: Splits, *, seed: int = 0, log: Callable[[str], None] = lambda msg: None) -> dict:
    """Train the two TF-IDF comparisons on ``splits.train`` and score every held-out set:
    ``baseline`` (word 1-2-gram TF-IDF + logistic regression, defaults, threshold 0.5) and
    ``tfidf`` (the model shipped before the transformer, its recipe and tuned threshold)."""
    texts = [e.text for e in splits.train]
    labels = [e.label for e in splits.train]
    weights = [e.weight for e in splits.train]
    out = {}
    with _single_threaded_blas():
        for name, pipeline, threshold in (
            ("baseline", build_baseline(), 0.5),
            ("tfidf", build_pipeline(C=TFIDF_C, seed=seed), TFIDF_THRESHOLD),
        ):
            started = time.perf_counter()
            pipeline.fit(texts, labels, clf__sample_weight=weights)
            out[name] = {
                "threshold": threshold,
                "seconds": time.perf_counter() - started,
                "scores": {
                    part: pipeline.predict_proba([e.text for e in getattr(splits, part)])[:, 1]
                    if getattr(splits, part) else np.zeros(0)
                    for part in ("dev", "clef_dev", "decisions_dev")
                },
            }
            log(f"Trained {name} in {out[name]['seconds']:.0f} s")
    return out


def report_rows(splits: Splits, models: dict[str, dict]) -> list[dict]:
    """One row per model: dev F1/precision/recall/AP at its threshold, CLEF dev MAP, and F1 on
    the held-out editors' decisions when there are any. ``models``: name → threshold + scores."""
    dev_y = [e.label for e in splits.dev]
    clef_y, clef_g = [e.label for e in splits.clef_dev], [e.group for e in splits.clef_dev]
    dec_y = [e.label for e in splits.decisions_dev]
    rows = []
    for name, model in models.items():
        scores = model["scores"]
        row = {"model": name, "threshold": model["threshold"],
               **metrics_at(scores["dev"], dev_y, model["threshold"]),
               "clef_map": mean_average_precision(scores["clef_dev"], clef_y, clef_g) if clef_y else None}
        if dec_y and len(set(dec_y)) == 2:
            row["decisions_f1"] = metrics_at(scores["decisions_dev"], dec_y, model["threshold"])["f1"]
        rows.append(row)
    return rows


def format_report(splits: Splits, rows: list[dict]) -> str:
    """The side-by-side table printed by ``manage.py train_checkworthiness``."""

    def count(part: list[Example]) -> str:
        return f"{len(part)} sentences, {sum(e.label for e in part)} check-worthy"

    by_source = ", ".join(f"{k} {v['sentences']}" for k, v in _source_counts(splits.train).items())
    lines = [
        f"Train:          {count(splits.train)} ({by_source})",
        f"Dev (F1):       {count(splits.dev)}; ClaimBuster debates {', '.join(DEV_DEBATES)}",
        f"Tune (threshold): {count(splits.tune)}; ClaimBuster debates {', '.join(TUNE_DEBATES)}",
        f"CLEF dev (MAP): {count(splits.clef_dev)}; {', '.join(g.split(':', 1)[1] for g in CLEF_DEV_FILES)}",
    ]
    if splits.decisions_dev:
        lines.append(f"Decisions dev:  {count(splits.decisions_dev)} (every fifth editors' decision, by text hash)")
    has_decisions = any("decisions_f1" in row for row in rows)
    header = f"{'model':<64}{'thresh':>7}{'F1':>8}{'Prec':>8}{'Recall':>8}{'AvgPrec':>9}{'CLEF MAP':>10}"
    lines += ["", header + (f"{'decisions F1':>14}" if has_decisions else "")]
    for row in rows:
        clef = f"{row['clef_map']:>10.4f}" if row["clef_map"] is not None else f"{'-':>10}"
        line = (
            f"{row['model']:<64}{row['threshold']:>7.2f}{row['f1']:>8.4f}{row['precision']:>8.4f}"
            f"{row['recall']:>8.4f}{row['average_precision']:>9.4f}{clef}"
        )
        if has_decisions:
            line += f"{row['decisions_f1']:>14.4f}" if "decisions_f1" in row else f"{'-':>14}"
        lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Scoring (the workers; `score_text` and the score API)
# --------------------------------------------------------------------------------------------


def _workbench_setting(key: str, default: Any) -> Any:
    """``settings.WORKBENCH[key]`` if Django settings are configured/configurable, else default."""
    try:
        from django.conf import settings

        if not (settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE")):
            return default
        return getattr(settings, "WORKBENCH", {}).get(key, default)
    except Exception:  # Django missing, settings module broken/not yet written, …
        return default


def default_model_path() -> Path:
    """The model folder: ``WORKBENCH["CHECKWORTHY_MODEL_PATH"]`` (env WORKBENCH_CHECKWORTHY_MODEL)."""
    return Path(_workbench_setting("CHECKWORTHY_MODEL_PATH", None) or DEFAULT_MODEL_PATH)


def load_model(path: str | os.PathLike | None = None):
    """The check-worthiness classifier (:class:`core.inference.OnnxTextModel`), loaded once per
    process and folder, with ``WORKBENCH["ONNX_THREADS"]`` threads."""
    from core import inference

    resolved = Path(path) if path is not None else default_model_path()
    if not (resolved / "model.onnx").is_file():
        raise FileNotFoundError(
            f"check-worthiness model not found in {resolved}; run `manage.py train_checkworthiness`"
        )
    return inference.load(str(resolved.resolve()), int(_workbench_setting("ONNX_THREADS", 1)))


def model_version(model=None) -> str:
    """Name, version and file hash of the model (recorded in every claim's extractor version)."""
    return (model or load_model()).version_tag


def score_sentences(texts: Sequence[str], model=None, *, batch_size: int = 8) -> list[float]:
    """Scores in [0, 1] that each text is a check-worthy factual claim, in the order given.
    Each distinct text is scored once. ``model``: an ``OnnxTextModel`` (default: the configured
    one) or any fitted classifier with ``predict_proba`` (the TF-IDF comparisons).

    Batches of 8 texts of similar length were the fastest on one core (152 sentences/s against
    132 for 32 and 93 one by one, same run). The int8 graph quantizes activations per batch, so a
    score can differ in the third decimal with the texts batched alongside it."""
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return []
    model = model if model is not None else load_model()
    distinct = list(dict.fromkeys(texts))
    if hasattr(model, "predict_proba"):
        values = np.asarray(model.predict_proba(distinct))[:, 1]
    else:
        from core.inference import softmax

        values = softmax(model.logits(distinct, batch_size=batch_size))[:, 1]
    by_text = dict(zip(distinct, np.clip(values, 0.0, 1.0).tolist()))
    return [float(by_text[t]) for t in texts]


def threshold() -> float:
    return float(_workbench_setting("CHECKWORTHY_THRESHOLD", 0.5))


def classify(text: str, model=None) -> tuple[float, bool]:
    """``(score, passes)``; passes iff score ≥ ``WORKBENCH["CHECKWORTHY_THRESHOLD"]``."""
    score = score_sentences([text], model=model)[0]
    return score, score >= threshold()


def __getattr__(name: str):  # PEP 562: MODEL_VERSION is read lazily from the configured model.
    if name == "MODEL_VERSION":
        return model_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
