"""Check-worthiness: how likely a sentence is a check-worthy factual claim (the runtime scorer).

Scoring (workers, ``score_text``, the score API) runs the fine-tuned MiniLM classifier shipped in
``factcheck/models_data/checkworthiness/`` through :mod:`core.inference` (int8 ONNX, no torch):

``load_model(path=None)``          the classifier, loaded once per process (folder from settings).
``score_sentences(texts)``         scores in [0, 1], each distinct text scored once.
``classify(text)``                 ``(score, score >= threshold())``.
``model_version()`` / ``MODEL_VERSION``  name, version and file hash of the model.

Training (``manage.py train_checkworthiness``; split by concern, re-exported here lazily so web
processes never import scikit-learn): data loaders and held-out splits in
:mod:`factcheck.checkworthiness_data`, metrics, TF-IDF comparisons and the report in
:mod:`factcheck.checkworthiness_eval`, the fine-tuning in :mod:`factcheck.checkworthiness_training`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

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

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "models_data" / "checkworthiness"

#: Names re-exported from the training modules (imported on first use).
_TRAINING_NAMES = {
    "factcheck.checkworthiness_data": (
        "CLEF_DEV_FILES",
        "DEFAULT_CLAIMBUSTER_PATH",
        "DEFAULT_CLEF2019_DIR",
        "DEV_DEBATES",
        "TUNE_DEBATES",
        "DecisionsFormatError",
        "Example",
        "Splits",
        "load_claimbuster",
        "load_clef2019",
        "load_decisions_from_database",
        "load_decisions_jsonl",
        "load_examples",
        "split_all",
        "_norm_text",
        "_fingerprint",
        "_source_counts",
    ),
    "factcheck.checkworthiness_eval": (
        "ALGORITHM",
        "DEFAULT_C",
        "TFIDF_C",
        "TFIDF_THRESHOLD",
        "HandcraftedFeatures",
        "best_threshold",
        "build_baseline",
        "build_features",
        "build_pipeline",
        "format_report",
        "mean_average_precision",
        "metrics_at",
        "report_rows",
        "tfidf_scores",
    ),
}
_TRAINING_MODULE = {name: module for module, names in _TRAINING_NAMES.items() for name in names}

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


def __getattr__(name: str):  # PEP 562: MODEL_VERSION and the training names, lazily.
    if name == "MODEL_VERSION":
        return model_version()
    if name in _TRAINING_MODULE:
        import importlib

        return getattr(importlib.import_module(_TRAINING_MODULE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
