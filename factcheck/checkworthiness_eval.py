"""Check-worthiness evaluation: the metrics, the two TF-IDF comparisons trained in the same run
(``tfidf_scores``) and the report printed by ``manage.py train_checkworthiness``. Nothing here
needs torch; the data is in :mod:`factcheck.checkworthiness_data`.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from factcheck.checkworthiness_data import (
    CLEF_DEV_FILES,
    DEV_DEBATES,
    TUNE_DEBATES,
    Example,
    Splits,
    _source_counts,
)

#: The TF-IDF model shipped before the transformer (the report's comparison).
ALGORITHM = "tfidf-w12-c25wb-hand11-lrbal"
DEFAULT_C = 1.0


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


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The threshold in 0.05..0.95 (steps of 0.01) that maximises positive-class F1."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    grid = [round(0.05 + 0.01 * i, 2) for i in range(91)]
    f1s = [_f1(y, (s >= t).astype(int)) for t in grid]
    return grid[int(np.argmax(f1s))]


def metrics_at(scores: Sequence[float], labels: Sequence[int], threshold: float) -> dict[str, float]:
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
            [
                "has_number",
                "money_pct",
                "caps",
                "log_len",
                "pron1",
                "pron2",
                "question",
                "exclaim",
                "quantity",
                "year",
                "short",
            ],
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
                    if getattr(splits, part)
                    else np.zeros(0)
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
        row = {
            "model": name,
            "threshold": model["threshold"],
            **metrics_at(scores["dev"], dev_y, model["threshold"]),
            "clef_map": mean_average_precision(scores["clef_dev"], clef_y, clef_g) if clef_y else None,
        }
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
