"""The same-claim decision: sentence embeddings, a cross-encoder and the structured checks, fused
by a logistic regression fitted on held-out data.

- ``embed(texts)``: all-MiniLM-L6-v2 (int8 ONNX, matching/onnx/minilm-l6-v2) — mean-pooled,
  normalized sentence vectors; used for retrieval (LSH keys in the inverted index), as the cosine
  feature, and for previously-checked search.
- ``pair_logits(pairs)``: a cross-encoder (matching/onnx/pair-minilm, built by
  scripts/matching_models.py; not shipped yet) fine-tuned from the same weights on the MSRP
  training part; its "same" minus "different" logit is a feature when the decision was fitted
  with it.
- ``pair_features``: cosine, cross-encoder logit, lexical overlap, and the structured checks
  (numbers, years, names, negation, certainty, quotation speakers) from two claim signatures.
- ``Decision``: the logistic regression over those features, with the thresholds chosen on
  held-out data (matching/data/decision.json, written by ``bench/eval_matching.py --fit``).

Models load once per process through core.inference, only in workers and commands (never at
import time).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings

from core import inference

HERE = Path(__file__).resolve().parent
DECISION_PATH = HERE / "data" / "decision.json"

# Every feature pair_features computes; a fitted decision uses all of them, or all but "cross" when
# it was fitted without the cross-encoder (then no cross-encoder runs at all).
FEATURES = (
    "cosine",
    "cross",
    "segment_gain",
    "lexical",
    "containment",
    "number_conflict",
    "number_shared",
    "year_conflict",
    "name_overlap",
    "name_only_one",
    "negation_mismatch",
    "hedge_mismatch",
    "quote_similarity",
)
WITHOUT_CROSS = tuple(f for f in FEATURES if f != "cross")


def _dir(key: str, default: str) -> str:
    return str(settings.WORKBENCH.get(key) or (HERE / "onnx" / default))


def encoder() -> inference.OnnxTextModel:
    return inference.load(_dir("MATCH_ENCODER_DIR", "minilm-l6-v2"), int(settings.WORKBENCH.get("MATCH_THREADS", 1)))


def pair_model() -> inference.OnnxTextModel:
    return inference.load(_dir("MATCH_PAIR_DIR", "pair-minilm"), int(settings.WORKBENCH.get("MATCH_THREADS", 1)))


def embed(texts: Sequence[str]) -> np.ndarray:
    """Normalized sentence vectors (float32, one row per text)."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return encoder().embed(list(texts))


def pair_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The cross-encoder's "same" − "different" logit for each pair, averaged over both orders
    (the decision must not depend on which claim comes first)."""
    if not pairs:
        return np.zeros(0, dtype=np.float32)
    model = pair_model()
    both = [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs]
    logits = model.logits(both)
    margin = logits[:, 1] - logits[:, 0]
    return (margin[: len(pairs)] + margin[len(pairs) :]) / 2


def vector_pack(vector: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vector, dtype=np.float16).tobytes()).decode("ascii")


def vector_unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)


def signatures_embed(sigs: Sequence[dict], texts: Sequence[str]) -> np.ndarray:
    """Embed each claim and its segments (signature.segments) in one encoder batch; store them in
    the signature (``emb``, ``segemb``: packed float16) and return the claims' vectors."""
    flat = list(texts) + [seg for sig in sigs for seg in sig.get("segments", [])]
    vectors = embed(flat)
    at = len(texts)
    for i, sig in enumerate(sigs):
        n = len(sig.get("segments", []))
        sig["emb"] = vector_pack(vectors[i])
        sig["segemb"] = [vector_pack(v) for v in vectors[at : at + n]]
        at += n
    return vectors[: len(texts)]


def _with_segments(sig: dict, vector: np.ndarray) -> np.ndarray:
    parts = [vector_unpack(v) for v in sig.get("segemb", [])]
    return np.vstack([vector[None, :]] + [p[None, :] for p in parts]) if parts else vector[None, :]


def segment_cosine(a: dict, b: dict, va: np.ndarray, vb: np.ndarray) -> float:
    """The best cosine between the claims or any of their segments: a long claim that states the
    other claim in one of its clauses (plus more) scores as that clause does."""
    return float((_with_segments(a, va) @ _with_segments(b, vb).T).max())


# --- structured features ------------------------------------------------------------------------


def _years(sig: dict) -> set[str]:
    return {k for d in sig.get("dates", []) for k in d.get("keys", []) if k.isdigit()}


def _names(sig: dict) -> set[str]:
    return {e["key"] for e in sig.get("entities", []) if e.get("label") in ("PERSON", "ORG", "GPE", "NORP", "LOC")}


def _negated(sig: dict) -> bool:
    return any(p.get("neg") for p in sig.get("props", []) if p.get("main"))


def _hedged(sig: dict) -> bool:
    return bool(sig.get("hedges"))


def names_shared(a: dict, b: dict) -> tuple[set[str], set[str], set[str]]:
    """(names in both, names only in a, names only in b), allowing spelling variants."""
    from .signature import keys_match

    na, nb = _names(a), _names(b)
    both = {x for x in na if any(keys_match(x, y) for y in nb)}
    only_a = {x for x in na if x not in both}
    only_b = {y for y in nb if not any(keys_match(x, y) for x in na)}
    return both, only_a, only_b


def number_agreement(a: dict, b: dict) -> tuple[str, list[str]]:
    """(conflict text or "", the numbers both state)."""
    from .scoring import number_conflict, numbers_agree

    na, nb = a.get("numbers", []), b.get("numbers", [])
    shared = [
        x["text"]
        for x in na
        if x["value"] is not None and any(y["value"] is not None and numbers_agree(x["value"], y["value"]) for y in nb)
    ]
    return number_conflict(na, nb), shared


def pair_features(a: dict, b: dict, *, cosine: float, cross: float, segment: float | None = None) -> dict[str, float]:
    """The decision model's inputs for two claim signatures (see FEATURES). `segment`: the best
    cosine over the claims' segments (segment_cosine), the whole claims' cosine when not given."""
    from .scoring import best_quote_pair, lexical_containment, lexical_similarity

    conflict, shared_numbers = number_agreement(a, b)
    years_a, years_b = _years(a), _years(b)
    both, only_a, only_b = names_shared(a, b)
    names_total = len(both) + len(only_a) + len(only_b)
    return {
        "cosine": float(cosine),
        "cross": float(cross),
        "segment_gain": 0.0 if segment is None else max(0.0, float(segment) - float(cosine)),
        "lexical": lexical_similarity(a, b),
        "containment": lexical_containment(a, b),
        "number_conflict": 1.0 if conflict else 0.0,
        "number_shared": min(2.0, float(len(shared_numbers))),
        "year_conflict": 1.0 if years_a and years_b and not (years_a & years_b) else 0.0,
        "name_overlap": len(both) / names_total if names_total else 0.0,
        "name_only_one": (len(only_a) + len(only_b)) / names_total if names_total else 0.0,
        "negation_mismatch": 1.0 if _negated(a) != _negated(b) else 0.0,
        "hedge_mismatch": 1.0 if _hedged(a) != _hedged(b) else 0.0,
        "quote_similarity": best_quote_pair(a, b)[0],
    }


# --- the decision -------------------------------------------------------------------------------


@dataclass
class Decision:
    """Standardize → logistic regression; ``same`` is the accuracy-optimal threshold on held-out
    data, ``auto`` the lowest threshold whose held-out precision reaches the target (links made
    without an editor)."""

    coef: dict[str, float]
    intercept: float
    mean: dict[str, float]
    scale: dict[str, float]
    same: float
    auto: float
    version: str = "1"
    metrics: dict = field(default_factory=dict)
    suggest: float | None = None  # lower bound of a suggestion to an editor (None: `same`)

    @property
    def suggest_at(self) -> float:
        return self.same if self.suggest is None else self.suggest

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(n for n in FEATURES if n in self.coef)

    @property
    def uses_cross(self) -> bool:
        return "cross" in self.coef

    def score(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(self.coef[n] * (features[n] - self.mean[n]) / self.scale[n] for n in self.features)
        return float(1.0 / (1.0 + np.exp(-z)))

    def as_json(self) -> dict:
        return {
            "features": list(self.features),
            "coef": self.coef,
            "intercept": self.intercept,
            "mean": self.mean,
            "scale": self.scale,
            "same": self.same,
            "suggest": self.suggest,
            "auto": self.auto,
            "version": self.version,
            "metrics": self.metrics,
        }


@cache
def decision(path: str = str(DECISION_PATH)) -> Decision:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(data["features"]) not in (FEATURES, WITHOUT_CROSS):
        raise ValueError(f"{path} was fitted on other features; run bench/eval_matching.py --fit")
    return Decision(
        coef=data["coef"],
        intercept=data["intercept"],
        mean=data["mean"],
        scale=data["scale"],
        same=data["same"],
        auto=data["auto"],
        version=str(data.get("version", "1")),
        metrics=data.get("metrics", {}),
        suggest=data.get("suggest"),
    )


def decision_fit(
    X: np.ndarray,
    y: np.ndarray,
    *,
    names: Sequence[str] = FEATURES,
    precision_target: float = 0.9,
    folds: int = 5,
    version: str = "1",
    threshold_rows: np.ndarray | None = None,
    row_weight: float = 1.0,
    suggest_precision: float = 0.8,
) -> Decision:
    """Fit the decision on (features named `names`, labels) and choose both thresholds on
    out-of-fold predictions (each row scored by a model that did not see it).

    `threshold_rows` (a boolean mask): the rows in the product's sense of "same claim" (our own
    pairs): they weigh `row_weight` times as much in the fit, the folds are stratified on them, and
    their out-of-fold accuracy is reported, and the auto-link threshold is chosen on the other
    (MSRP) rows, whose stricter "equivalent" keeps links safe. (Choosing it on our pairs, or on all
    rows, was tried: with their minimal-pair false friends — "raised" vs "cut" the rate — frozen
    features reach 0.9 precision only near 0.9-0.99, where nothing links.)"""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    own = np.zeros(len(y), dtype=bool) if threshold_rows is None else np.asarray(threshold_rows, dtype=bool)
    weights = np.where(own, row_weight, 1.0)
    strata = y + 2 * own
    oof = np.zeros(len(y))
    for train, held in StratifiedKFold(folds, shuffle=True, random_state=0).split(X, strata):
        scaler = StandardScaler().fit(X[train])
        model = LogisticRegression(C=1.0, max_iter=2000).fit(
            scaler.transform(X[train]), y[train], sample_weight=weights[train]
        )
        oof[held] = model.predict_proba(scaler.transform(X[held]))[:, 1]
    candidates = np.unique(np.round(oof, 3))
    accuracy = [((oof >= t) == y).mean() for t in candidates]
    same = float(candidates[int(np.argmax(accuracy))])

    def lowest_with_precision(target: float, rows: np.ndarray) -> float:
        for t in candidates:
            chosen = (oof >= t) & rows
            if chosen.sum() >= 20 and y[chosen].mean() >= target:
                return max(float(t), same)
        return 0.99

    auto = lowest_with_precision(precision_target, ~own)
    # A suggestion is worth an editor's time when most of them are right: the lowest threshold
    # whose out-of-fold precision over all calib rows reaches `suggest_precision`.
    every = np.ones(len(y), dtype=bool)
    suggest = min(auto, lowest_with_precision(suggest_precision, every))
    scaler = StandardScaler().fit(X)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(X), y, sample_weight=weights)
    metrics = {"calib_oof_accuracy": float(max(accuracy)), "precision_target": precision_target}
    if own.any():
        metrics |= {
            "own_calib_pairs": int(own.sum()),
            "own_weight": row_weight,
            "own_calib_oof_accuracy": float(((oof[own] >= same) == y[own]).mean()),
        }
    return Decision(
        coef=dict(zip(names, map(float, model.coef_[0]))),
        intercept=float(model.intercept_[0]),
        mean=dict(zip(names, map(float, scaler.mean_))),
        scale=dict(zip(names, map(float, scaler.scale_))),
        same=same,
        auto=auto,
        version=version,
        metrics=metrics | {"suggest_precision": suggest_precision},
        suggest=suggest,
    )


# --- comparing texts ----------------------------------------------------------------------------


@dataclass
class Comparison:
    score: float
    same: bool
    veto: str
    features: dict[str, float]
    reasons: list[str]


def vetoes(a: dict, b: dict) -> str:
    """Structured checks that rule a pair out whatever the wording: different numbers for the same
    thing, different years, the same words said by different people, different named actors."""
    from .scoring import actor_relation, best_quote_pair
    from .signature import keys_match

    conflict, _ = number_agreement(a, b)
    if conflict:
        return conflict
    years_a, years_b = _years(a), _years(b)
    if years_a and years_b and not (years_a & years_b):
        return f"different years: {', '.join(sorted(years_a))} vs {', '.join(sorted(years_b))}"
    q_sim, _, _ = best_quote_pair(a, b)
    sa, sb = a.get("speaker", ""), b.get("speaker", "")
    if q_sim >= 0.8 and sa and sb and not keys_match(sa, sb):
        return f"the quote is attributed to different people: {sa} vs {sb}"
    mains_a = [p for p in a.get("props", []) if p.get("main")]
    mains_b = [p for p in b.get("props", []) if p.get("main")]
    for p in mains_a:
        for q in mains_b:
            if p["verb"] == q["verb"] and actor_relation(p["actor"], q["actor"]) == "conflict":
                return f"different actors: {p['actor']['text']} vs {q['actor']['text']}"
    return ""


def explain(a: dict, b: dict, features: dict[str, float], score: float, veto: str) -> list[str]:
    """Why two claims were (not) matched, in an editor's words."""
    reasons = []
    if veto:
        reasons.append(f"Kept apart: {veto}.")
    strength = (
        "very similar" if features["cosine"] >= 0.85 else "similar" if features["cosine"] >= 0.65 else "loosely related"
    )
    reasons.append(f"Meaning {strength} (model score {score:.2f}).")
    if features["quote_similarity"] >= 0.8:
        reasons.append("Same quotation" + (" with different wording." if features["quote_similarity"] < 0.97 else "."))
    both, only_a, only_b = names_shared(a, b)
    if both:
        reasons.append("Both name " + ", ".join(sorted(both)) + ".")
    if only_a or only_b:
        reasons.append("Named in only one: " + ", ".join(sorted(only_a | only_b)) + ".")
    _, shared_numbers = number_agreement(a, b)
    if shared_numbers:
        reasons.append("Same figures: " + ", ".join(dict.fromkeys(shared_numbers)) + ".")
    if features["negation_mismatch"]:
        reasons.append("One of them is negated.")
    if features["hedge_mismatch"]:
        hedged = a if _hedged(a) else b
        reasons.append(f"Only one is hedged (\u201c{hedged['hedges'][0]['text']}\u201d).")
    return reasons


def compare_signatures(
    pairs: Sequence[tuple[dict, dict]],
    texts: Sequence[tuple[str, str]],
    vectors: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[Comparison]:
    """Decide each pair of signatures (with their texts; embeddings computed if not given)."""
    if not pairs:
        return []
    model = decision()
    missing = [
        (sig, text) for (a, b), (ta, tb) in zip(pairs, texts) for sig, text in ((a, ta), (b, tb)) if "segemb" not in sig
    ]
    if missing:
        signatures_embed([sig for sig, _ in missing], [text for _, text in missing])
    if vectors is None:
        vectors = [(vector_unpack(a["emb"]), vector_unpack(b["emb"])) for a, b in pairs]
    cross = pair_logits(list(texts)) if model.uses_cross else np.zeros(len(texts))
    out = []
    for (a, b), (va, vb), logit in zip(pairs, vectors, cross):
        features = pair_features(
            a, b, cosine=float(np.dot(va, vb)), cross=float(logit), segment=segment_cosine(a, b, va, vb)
        )
        veto = vetoes(a, b)
        raw = round(model.score(features), 4)
        score = 0.0 if veto else raw
        out.append(
            Comparison(
                score=score,
                same=score >= model.same,
                veto=veto,
                features=features,
                reasons=explain(a, b, features, raw, veto),
            )
        )
    return out
