"""Check-worthiness model: how likely a sentence is a check-worthy factual claim.

Pure Python + scikit-learn. Nothing here touches the database except
:func:`load_decisions_from_database`, which imports the ``Claim`` model lazily. The module can
be imported (and models trained, saved, loaded and used) without Django configured; Django
settings are consulted only if they are available.

Public API
----------
``train(texts, labels, *, seed=0, ...)``       fit the feature pipeline + classifier.
``build_pipeline(...)`` / ``build_baseline()``  the unfitted pipelines (ours / the reference baseline).
``load_model(path=None)``                       load the shipped artefact (cached once per process).
``score_sentences(texts, model=None)``          probabilities in [0, 1] of "check-worthy factual".
``classify(text, model=None)``                  ``(score, score >= CHECKWORTHY_THRESHOLD)``.
``MODEL_VERSION``                               version string read from the saved artefact (lazy).
``load_claimbuster(path)``, ``load_clef2019(dir)``, ``load_decisions_jsonl(path)``,
``load_decisions_from_database()``              training data loaders (lists of :class:`Example`).
``split_dev(examples)``                         the deterministic held-out dev split (by debate).
``run_training(...)``, ``format_report(...)``, ``save_model(...)``  the logic behind
                                                ``manage.py train_checkworthiness``.

The score is the output of a class-balanced logistic regression whose intercept has been shifted
so that 0.5 is the decision threshold that maximised positive-class F1 in grouped cross-validation
on the training split. It ranks sentences well and 0.5 is a sensible cut, but it is *not* a
calibrated probability (class balancing inflates it relative to the ~24% base rate).
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import math
import os
import platform
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

__all__ = [
    "ALGORITHM",
    "DEV_DEBATES",
    "DecisionsFormatError",
    "Example",
    "HandcraftedFeatures",
    "LoadedModel",
    "build_baseline",
    "build_pipeline",
    "classify",
    "clear_model_cache",
    "default_model_path",
    "evaluate",
    "format_report",
    "load_claimbuster",
    "load_clef2019",
    "load_decisions_from_database",
    "load_decisions_jsonl",
    "load_model",
    "model_metadata",
    "run_training",
    "save_model",
    "score_sentences",
    "split_dev",
    "train",
    "train_with_tuning",
]

MODULE_DIR = Path(__file__).resolve().parent
REPO_DIR = MODULE_DIR.parent
DEFAULT_MODEL_PATH = MODULE_DIR / "models_data" / "checkworthiness.joblib"
DEFAULT_CLAIMBUSTER_PATH = REPO_DIR.parent / "shared" / "data" / "claimbuster" / "crowdsourced.csv"
DEFAULT_CLEF2019_DIR = REPO_DIR.parent / "shared" / "data" / "clef2019_task1" / "training"

#: Bumped whenever features / classifier change; part of every model version string.
ALGORITHM = "tfidf-w12-c25wb-hand11-lrbal"
ARTEFACT_FORMAT = 1
DEFAULT_C = 1.0
C_GRID = (1.0, 2.0, 3.0)
THRESHOLD_GRID = tuple(round(0.30 + 0.01 * i, 2) for i in range(41))  # 0.30 .. 0.70
CV_FOLDS = 5

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


def split_dev(
    examples: Sequence[Example], dev_groups: Iterable[str] = DEV_DEBATES
) -> tuple[list[Example], list[Example]]:
    """Deterministic held-out split: the ClaimBuster debates in ``dev_groups`` form dev.

    Only ClaimBuster sentences go to dev. Every other example (other debates, CLEF, decisions)
    is training data, except sentences whose normalised text also occurs in dev, which are
    dropped so that exact repeats (e.g. "Thank you very, very much.") cannot leak.
    """
    dev_groups = set(dev_groups)
    dev = [e for e in examples if e.source == "claimbuster" and e.group in dev_groups]
    if not dev:
        raise ValueError("the dev split is empty: none of the held-out debates are in the data")
    dev_texts = {_norm_text(e.text) for e in dev}
    train = [
        e
        for e in examples
        if not (e.source == "claimbuster" and e.group in dev_groups) and _norm_text(e.text) not in dev_texts
    ]
    return train, dev


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


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


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


def _cv_fold(texts, y, w, train_idx, test_idx, grid, seed):
    with _single_threaded_blas():
        return _cv_fold_inner(texts, y, w, train_idx, test_idx, grid, seed)


def _cv_fold_inner(texts, y, w, train_idx, test_idx, grid, seed):
    feats = build_features()
    Xa = feats.fit_transform([texts[i] for i in train_idx])
    Xb = feats.transform([texts[i] for i in test_idx])
    out = {}
    for C in grid:
        clf = _build_clf(C, seed).fit(Xa, y[train_idx], sample_weight=w[train_idx])
        out[C] = clf.predict_proba(Xb)[:, 1]
    return test_idx, out


def train_with_tuning(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    seed: int = 0,
    sample_weight: Sequence[float] | None = None,
    groups: Sequence[str] | None = None,
    tune: bool = False,
    C: float = DEFAULT_C,
    C_grid: Sequence[float] = C_GRID,
    n_jobs: int = 1,
) -> tuple[Pipeline, dict[str, Any]]:
    """Fit our pipeline; with ``tune=True`` pick C and the decision threshold by cross-validation.

    Tuning runs ``CV_FOLDS``-fold cross-validation on the given training data — grouped by
    ``groups`` (debates) when given, else stratified with ``seed`` — choosing the C in ``C_grid``
    and the threshold in 0.30..0.70 that maximise out-of-fold positive-class F1 (weighted by
    sample weight). The final model is refit on all the given data, and its intercept is shifted
    by -logit(threshold) so that a score of 0.5 corresponds to the tuned threshold.
    Returns ``(pipeline, info)``; ``info`` holds the chosen C, threshold and CV F1.
    """
    texts = [str(t) for t in texts]
    y = np.asarray(labels, dtype=int)
    if len(texts) != len(y):
        raise ValueError("texts and labels differ in length")
    if set(np.unique(y)) - {0, 1} or len(np.unique(y)) < 2:
        raise ValueError("labels must be 0/1 and contain both classes")
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    info: dict[str, Any] = {"C": C, "threshold": 0.5, "tuned": False}

    if tune:
        from joblib import Parallel, delayed
        from sklearn.model_selection import GroupKFold, StratifiedKFold

        if groups is not None and len(set(groups)) >= CV_FOLDS:
            splits = list(GroupKFold(n_splits=CV_FOLDS).split(texts, y, groups))
            cv_kind = f"GroupKFold({CV_FOLDS}) by debate/source"
        else:
            splits = list(StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed).split(texts, y))
            cv_kind = f"StratifiedKFold({CV_FOLDS}, shuffle, seed={seed})"
        results = Parallel(n_jobs=n_jobs)(
            delayed(_cv_fold)(texts, y, w, a, b, tuple(C_grid), seed) for a, b in splits
        )
        oof = {c: np.zeros(len(y)) for c in C_grid}
        for test_idx, out in results:
            for c, p in out.items():
                oof[c][test_idx] = p
        best = (-1.0, C, 0.5)
        table = {}
        for c in C_grid:
            for t in THRESHOLD_GRID:
                pred = (oof[c] >= t).astype(int)
                tp = np.sum(w * ((pred == 1) & (y == 1)))
                fp = np.sum(w * ((pred == 1) & (y == 0)))
                fn = np.sum(w * ((pred == 0) & (y == 1)))
                f1 = float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0
                if t == 0.5:
                    table[str(c)] = round(f1, 4)
                if f1 > best[0] + 1e-12:  # strict: ties keep the earlier (smaller C, lower t)
                    best = (f1, c, t)
        info = {
            "C": best[1],
            "threshold": best[2],
            "tuned": True,
            "cv": cv_kind,
            "cv_f1": round(best[0], 4),
            "cv_f1_at_0.5_by_C": table,
        }

    model = build_pipeline(C=info["C"], seed=seed)
    with _single_threaded_blas():
        model.fit(texts, y, clf__sample_weight=w)
    if info["threshold"] != 0.5:
        model.named_steps["clf"].intercept_ = model.named_steps["clf"].intercept_ - _logit(info["threshold"])
    _strip_for_pickle(model)
    return model, info


def train(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    seed: int = 0,
    sample_weight: Sequence[float] | None = None,
    groups: Sequence[str] | None = None,
    tune: bool = False,
    n_jobs: int = 1,
) -> Pipeline:
    """Train our check-worthiness pipeline (``predict_proba(texts)[:, 1]`` = score).

    Without ``tune`` it uses C=``DEFAULT_C`` and threshold 0.5; see :func:`train_with_tuning`.
    """
    model, _ = train_with_tuning(
        texts, labels, seed=seed, sample_weight=sample_weight, groups=groups, tune=tune, n_jobs=n_jobs
    )
    return model


def _strip_for_pickle(model) -> None:
    """Drop ``stop_words_`` (the pruned-term set, only for introspection) to keep files small."""
    steps = [model] if isinstance(model, TfidfVectorizer) else []
    if isinstance(model, Pipeline):
        for _, step in model.steps:
            if isinstance(step, FeatureUnion):
                steps.extend(t for _, t in step.transformer_list)
            else:
                steps.append(step)
    for step in steps:
        if isinstance(step, TfidfVectorizer) and hasattr(step, "stop_words_"):
            del step.stop_words_


# --------------------------------------------------------------------------------------------
# Evaluation, training run, persistence
# --------------------------------------------------------------------------------------------


def _proba(model, texts: Sequence[str]) -> np.ndarray:
    return np.asarray(model.predict_proba(list(texts))[:, 1], dtype=float)


def evaluate(model, texts: Sequence[str], labels: Sequence[int], threshold: float = 0.5) -> dict[str, float]:
    """Positive-class precision / recall / F1 at ``threshold`` and average precision."""
    from sklearn.metrics import average_precision_score

    y = np.asarray(labels, dtype=int)
    p = _proba(model, texts)
    pred = (p >= threshold).astype(int)
    tp = int(np.sum((pred == 1) & (y == 1)))
    fp = int(np.sum((pred == 1) & (y == 0)))
    fn = int(np.sum((pred == 0) & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "f1": _f1(y, pred),
        "precision": precision,
        "recall": recall,
        "average_precision": float(average_precision_score(y, p)) if y.any() else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


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


def build_training_data(
    claimbuster_path: str | os.PathLike = DEFAULT_CLAIMBUSTER_PATH,
    *,
    clef_dir: str | os.PathLike | None = None,
    extra: Sequence[Example] = (),
) -> tuple[list[Example], list[Example]]:
    """ClaimBuster (+ CLEF-2019 if ``clef_dir``) (+ ``extra``, e.g. decisions) → (train, dev)."""
    examples = load_claimbuster(claimbuster_path)
    if clef_dir is not None:
        examples += load_clef2019(clef_dir)
    examples += list(extra)
    return split_dev(examples)


@dataclass
class TrainingResult:
    model: Pipeline
    baseline: Pipeline
    metadata: dict[str, Any]
    ours: dict[str, float] = field(default_factory=dict)
    base: dict[str, float] = field(default_factory=dict)


def run_training(
    train_examples: Sequence[Example],
    dev_examples: Sequence[Example],
    *,
    seed: int = 0,
    tune: bool = True,
    n_jobs: int = 1,
    data_description: dict[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainingResult:
    """Train the baseline and our model on ``train_examples``, evaluate both on ``dev_examples``.

    Returns the fitted models, both sets of dev figures and the metadata to save with the model.
    """
    log = log or (lambda msg: None)
    texts = [e.text for e in train_examples]
    labels = [e.label for e in train_examples]
    weights = [e.weight for e in train_examples]
    groups = [e.group for e in train_examples]
    dev_texts = [e.text for e in dev_examples]
    dev_labels = [e.label for e in dev_examples]

    t0 = time.perf_counter()
    log("Training baseline (TF-IDF word 1-2-grams + LogisticRegression, defaults)…")
    with _single_threaded_blas():
        baseline = build_baseline().fit(texts, labels, clf__sample_weight=weights)
    base = evaluate(baseline, dev_texts, dev_labels)
    t1 = time.perf_counter()
    log(f"Training our model ({'with' if tune else 'without'} cross-validated C/threshold)…")
    model, info = train_with_tuning(
        texts, labels, seed=seed, sample_weight=weights, groups=groups, tune=tune, n_jobs=n_jobs
    )
    ours = evaluate(model, dev_texts, dev_labels)
    t2 = time.perf_counter()

    params = {"algorithm": ALGORITHM, "seed": seed, **{k: info[k] for k in ("C", "threshold", "tuned")}}
    fp = _fingerprint(train_examples, params)
    r4 = lambda d: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}  # noqa: E731
    import sklearn

    metadata = {
        "format": ARTEFACT_FORMAT,
        "version": f"{ALGORITHM}.{fp[:10]}",
        "algorithm": ALGORITHM,
        "description": (
            "Probability-like score that a sentence is a check-worthy factual claim (ClaimBuster "
            "CFS). Word 1-2-gram TF-IDF + char_wb 2-5-gram TF-IDF + 11 handcrafted features, "
            "class-balanced logistic regression; intercept shifted so 0.5 = CV-tuned threshold."
        ),
        "label": "1 = check-worthy factual sentence (ClaimBuster Verdict 1 / CLEF label 1 / accepted claim)",
        "trained_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "training_fingerprint": fp,
        "params": params,
        "tuning": info,
        "training_data": {
            **(data_description or {}),
            "train_sentences": len(train_examples),
            "train_positives": int(sum(labels)),
            "by_source": _source_counts(train_examples),
        },
        "dev_split": {
            "method": "grouped by debate: ClaimBuster debates " + ", ".join(sorted({e.group for e in dev_examples})),
            "sentences": len(dev_examples),
            "positives": int(sum(dev_labels)),
        },
        "dev_metrics": {"ours": r4(ours), "baseline": r4(base), "threshold": 0.5},
        "f1_ratio": round(ours["f1"] / base["f1"], 4) if base["f1"] else None,
        "train_seconds": {"baseline": round(t1 - t0, 1), "ours": round(t2 - t1, 1)},
        "sklearn_version": sklearn.__version__,
        "python_version": platform.python_version(),
    }
    return TrainingResult(model=model, baseline=baseline, metadata=metadata, ours=ours, base=base)


def format_report(result: TrainingResult) -> str:
    """The side-by-side dev figures printed by the management command."""
    md = result.metadata
    dev, td = md["dev_split"], md["training_data"]
    by_src = ", ".join(f"{k} {v['sentences']} ({v['positives']} pos)" for k, v in td["by_source"].items())
    tun = md["tuning"]
    lines = [
        f"Train: {td['train_sentences']} sentences, {td['train_positives']} check-worthy [{by_src}]",
        f"Dev:   {dev['sentences']} sentences, {dev['positives']} check-worthy "
        f"({dev['positives'] / max(dev['sentences'], 1):.1%}); {dev['method']}",
    ]
    if tun.get("tuned"):
        lines.append(
            f"Tuning ({tun['cv']} on train): C={tun['C']}, threshold={tun['threshold']:.2f}, CV F1={tun['cv_f1']:.4f}"
        )
    lines += [
        "",
        f"{'positive class (check-worthy)':<40}{'F1':>8}{'Prec':>8}{'Recall':>8}{'AvgPrec':>9}",
    ]
    for name, m in (
        ("baseline: tfidf w1-2 + LR defaults", result.base),
        (f"ours: {ALGORITHM}", result.ours),
    ):
        lines.append(
            f"{name:<40}{m['f1']:>8.4f}{m['precision']:>8.4f}{m['recall']:>8.4f}{m['average_precision']:>9.4f}"
        )
    if result.base["f1"]:
        lines.append(
            f"F1 ratio ours/baseline: {result.ours['f1'] / result.base['f1']:.3f} "
            f"(+{result.ours['f1'] - result.base['f1']:.4f} absolute)"
        )
    lines.append(f"Model version: {md['version']}")
    return "\n".join(lines)


def save_model(model, metadata: dict[str, Any], path: str | os.PathLike | None = None) -> int:
    """Write ``{"model": …, "metadata": …}`` with joblib (compress=3); returns the size in bytes."""
    import joblib

    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    joblib.dump({"format": ARTEFACT_FORMAT, "model": model, "metadata": metadata}, tmp, compress=3)
    os.replace(tmp, path)
    clear_model_cache()
    return path.stat().st_size


# --------------------------------------------------------------------------------------------
# Loading and scoring
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
    return Path(_workbench_setting("CHECKWORTHY_MODEL_PATH", None) or DEFAULT_MODEL_PATH)


class _CharNgramCounts:
    """``transform`` of a fitted ``char_wb`` TfidfVectorizer, counting each distinct word's n-grams
    once: char_wb n-grams never cross a word boundary, so a text's counts are the sum of its
    words' counts, and words repeat across sentences. The n-grams come from the vectorizer's own
    code; the tf-idf weighting is the vectorizer's fitted transformer."""

    MAX_WORDS = 200_000

    def __init__(self, vectorizer: TfidfVectorizer):
        self.vectorizer = vectorizer
        self._preprocess = vectorizer.build_preprocessor()
        self._words: dict[str, list[int]] = {}

    def _indices(self, word: str) -> list[int]:
        found = self._words.get(word)
        if found is None:
            vocabulary = self.vectorizer.vocabulary_
            found = [vocabulary[g] for g in self.vectorizer._char_wb_ngrams(word) if g in vocabulary]
            if len(self._words) >= self.MAX_WORDS:
                self._words.clear()
            self._words[word] = found
        return found

    def transform(self, texts: Sequence[str]):
        vectorizer = self.vectorizer
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            for word in self._preprocess(vectorizer.decode(text)).split():
                indices.extend(self._indices(word))
            indptr.append(len(indices))
        counts = sparse.csr_matrix(
            (np.ones(len(indices), dtype=vectorizer.dtype), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(len(indptr) - 1, len(vectorizer.vocabulary_)),
        )
        counts.sum_duplicates()
        if vectorizer.binary:
            counts.data.fill(1)
        return vectorizer._tfidf.transform(counts, copy=False)


class LoadedModel:
    """A fitted pipeline plus the metadata saved with it (version, training data, dev figures)."""

    def __init__(self, pipeline, metadata: dict[str, Any], path: Path | None = None):
        self.pipeline = pipeline
        self.metadata = metadata
        self.path = path

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", "unknown"))

    def predict_proba(self, texts):
        """The pipeline's ``predict_proba``, with the character n-gram counts computed word by word
        through a cache (same numbers; a third of the time on news text)."""
        plan = self._fast_plan()
        if plan is None:
            return self.pipeline.predict_proba(texts)
        union, char_name, char_counts, clf = plan
        parts = [
            char_counts.transform(texts) if name == char_name else transformer.transform(texts)
            for name, transformer in union.transformer_list
        ]
        return clf.predict_proba(sparse.hstack(parts).tocsr())

    def _fast_plan(self):
        if not hasattr(self, "_plan"):
            self._plan = None
            steps = getattr(self.pipeline, "steps", [])
            if len(steps) == 2 and isinstance(steps[0][1], FeatureUnion) and not steps[0][1].transformer_weights:
                union = steps[0][1]
                chars = [(name, t) for name, t in union.transformer_list
                         if isinstance(t, TfidfVectorizer) and t.analyzer == "char_wb"]  # fmt: skip
                if len(chars) == 1:
                    self._plan = (union, chars[0][0], _CharNgramCounts(chars[0][1]), steps[1][1])
        return self._plan

    def __repr__(self) -> str:
        return f"<LoadedModel {self.version} from {self.path}>"


_cache: dict[str, LoadedModel] = {}
_cache_lock = threading.Lock()


def load_model(path: str | os.PathLike | None = None) -> LoadedModel:
    """Load (once per process and path) a model artefact written by :func:`save_model`.

    Default path: ``settings.WORKBENCH["CHECKWORTHY_MODEL_PATH"]`` when Django settings are
    available, else ``factcheck/models_data/checkworthiness.joblib``. The file is a pickle:
    only load artefacts you trust.
    """
    resolved = Path(path) if path is not None else default_model_path()
    key = str(resolved.resolve())
    model = _cache.get(key)
    if model is not None:
        return model
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            import joblib

            if not resolved.is_file():
                raise FileNotFoundError(
                    f"check-worthiness model not found at {resolved}; run `manage.py train_checkworthiness`"
                )
            data = joblib.load(resolved)
            if not isinstance(data, dict) or "model" not in data or "metadata" not in data:
                raise ValueError(f"{resolved} is not a check-worthiness model artefact")
            model = LoadedModel(data["model"], dict(data["metadata"]), resolved)
            _cache[key] = model
    return model


def clear_model_cache() -> None:
    with _cache_lock:
        _cache.clear()


def model_metadata(model=None) -> dict[str, Any]:
    return (model if isinstance(model, LoadedModel) else load_model()).metadata


def score_sentences(texts: Sequence[str], model=None) -> list[float]:
    """Scores in [0, 1] that each sentence is a check-worthy factual claim (same order)."""
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return []
    model = model if model is not None else load_model()
    p = np.clip(_proba(model, texts), 0.0, 1.0)
    return [float(x) for x in p]


def classify(text: str, model=None) -> tuple[float, bool]:
    """``(score, passes)``; passes iff score ≥ ``WORKBENCH["CHECKWORTHY_THRESHOLD"]`` (default 0.5)."""
    score = score_sentences([text], model=model)[0]
    threshold = float(_workbench_setting("CHECKWORTHY_THRESHOLD", 0.5))
    return score, score >= threshold


def __getattr__(name: str):  # PEP 562: MODEL_VERSION is read lazily from the default artefact.
    if name == "MODEL_VERSION":
        return load_model().version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
