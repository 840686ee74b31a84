"""Transformer inference on CPU: an int8-quantized ONNX graph run by onnxruntime, with a
Hugging Face `tokenizers` tokenizer. Shared by every neural model of the workbench (the
check-worthiness classifier, the sentence encoder used for matching and retrieval).

A model is a folder holding three files:

- ``model.onnx``: the graph; inputs named ``input_ids``, ``attention_mask`` and optionally
  ``token_type_ids`` (int64, shape ``[batch, sequence]``), first output either
  ``[batch, labels]`` (a classifier's logits) or ``[batch, sequence, hidden]`` (token states);
- ``tokenizer.json``: the tokenizer, saved by ``tokenizers`` / ``transformers``;
- ``model.json``: ``{"name": ..., "version": ..., "max_length": ...}`` and whatever else the
  trainer records (labels, threshold, training data, metrics).

Models are loaded once per process (``load`` is cached by folder) and never at import time, so
web processes that do not score text never pay for them. torch is not needed here: it is only a
training-time dependency (requirements/train.txt).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Batch:
    """One forward pass: the rows of the input it covers, the first output and the mask."""

    rows: list[int]
    output: np.ndarray
    attention_mask: np.ndarray


class OnnxTextModel:
    def __init__(self, directory: Path, *, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        directory = Path(directory)
        graph = directory / "model.onnx"
        for needed in (graph, directory / "tokenizer.json", directory / "model.json"):
            if not needed.is_file():
                raise FileNotFoundError(f"model file missing: {needed}")
        self.directory = directory
        self.manifest: dict = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        self.name: str = self.manifest["name"]
        self.version: str = str(self.manifest["version"])
        self.max_length: int = int(self.manifest.get("max_length", 128))
        self.sha256 = file_sha256(graph)
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.input_names = {item.name for item in self.session.get_inputs()}

    @property
    def version_tag(self) -> str:
        """Name, version and file hash: what a claim records as the model that scored it."""
        return f"{self.name}-{self.version}+{self.sha256[:12]}"

    def batches(self, texts: Sequence[str], *, batch_size: int = 32) -> Iterator[Batch]:
        """Forward passes over ``texts`` in batches of similar length (less padding)."""
        if not texts:
            return
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda row: len(encodings[row].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[row].ids) for row in rows)
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            attention_mask = np.zeros((len(rows), width), dtype=np.int64)
            token_type_ids = np.zeros((len(rows), width), dtype=np.int64)
            for slot, row in enumerate(rows):
                encoding = encodings[row]
                length = len(encoding.ids)
                input_ids[slot, :length] = encoding.ids
                attention_mask[slot, :length] = 1
                token_type_ids[slot, :length] = encoding.type_ids
            feed = {"input_ids": input_ids, "attention_mask": attention_mask}
            if "token_type_ids" in self.input_names:
                feed["token_type_ids"] = token_type_ids
            output = self.session.run(None, feed)[0]
            yield Batch(rows=rows, output=output, attention_mask=attention_mask)

    def logits(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """A classifier's logits, one row per text, in the order given."""
        result: np.ndarray | None = None
        for batch in self.batches(texts, batch_size=batch_size):
            if result is None:
                result = np.zeros((len(texts), batch.output.shape[-1]), dtype=np.float32)
            result[batch.rows] = batch.output
        return result if result is not None else np.zeros((0, 0), dtype=np.float32)

    def embed(self, texts: Sequence[str], *, batch_size: int = 32, normalize: bool = True) -> np.ndarray:
        """Mean-pooled token states (the sentence-transformers recipe), one row per text."""
        result: np.ndarray | None = None
        for batch in self.batches(texts, batch_size=batch_size):
            mask = batch.attention_mask[..., None].astype(np.float32)
            pooled = (batch.output * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            if result is None:
                result = np.zeros((len(texts), pooled.shape[-1]), dtype=np.float32)
            result[batch.rows] = pooled
        if result is None:
            return np.zeros((0, 0), dtype=np.float32)
        if normalize:
            result /= np.clip(np.linalg.norm(result, axis=1, keepdims=True), 1e-12, None)
        return result


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


@functools.cache
def load(directory: str, threads: int = 1) -> OnnxTextModel:
    """The model in ``directory``, loaded once per process."""
    return OnnxTextModel(Path(directory), threads=threads)
