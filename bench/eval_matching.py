"""The same-claim decision on held-out MSRP pairs, next to a TF-IDF cosine baseline (same run).

    .venv/bin/python bench/eval_matching.py          # evaluate matching/data/decision.json
    .venv/bin/python bench/eval_matching.py --fit    # refit the decision on the calib part, then evaluate

MSRP (Dolan & Brockett 2005, ../shared/data/msrp) is split by pair (matching/msrp.py): the
cross-encoder was fine-tuned on `train` only, the decision (logistic regression over the
features of matching/semantic.py) is fitted on `calib` with both thresholds chosen on its
out-of-fold predictions, and `test` is only reported. Baselines use the same thresholds rule:
TF-IDF cosine (fitted on train sentences) and the frozen MiniLM cosine, each with the
accuracy-optimal threshold on calib.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings.local")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    import django

    django.setup()


def scores_at(threshold: float, scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    predicted = (scores >= threshold).astype(int)
    return accuracy_score(y, predicted), f1_score(y, predicted)


def best_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    candidates = np.unique(np.round(scores, 3))
    return float(candidates[int(np.argmax([((scores >= t) == y).mean() for t in candidates]))])


def DECISION_EXISTS() -> bool:
    from matching import semantic

    return semantic.DECISION_PATH.exists()


def features_for(rows, sigs, vecs, cross) -> np.ndarray:
    from matching.semantic import FEATURES, pair_features, segment_cosine

    out = []
    for i, _ in enumerate(rows):
        a, b, va, vb = sigs[2 * i], sigs[2 * i + 1], vecs[2 * i], vecs[2 * i + 1]
        f = pair_features(
            a, b, cosine=float(np.dot(va, vb)), cross=float(cross[i]), segment=segment_cosine(a, b, va, vb)
        )
        out.append([f[n] for n in FEATURES])
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", action="store_true", help="refit matching/data/decision.json on the calib part")
    parser.add_argument("--precision", type=float, default=0.9, help="held-out precision of automatic links")
    parser.add_argument("--prepare", action="store_true", help="only parse and embed the pairs (cached in var/bench/)")
    parser.add_argument("--no-cross", action="store_true", help="fit/evaluate without the cross-encoder")
    parser.add_argument(
        "--suggest-precision", type=float, default=0.8, help="held-out precision of suggestions to editors"
    )
    parser.add_argument(
        "--own-weight", type=float, default=1.0, help="weight of our own (product-sense) calib pairs in the fit"
    )
    args = parser.parse_args()
    setup()
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matching import semantic
    from matching.msrp import load_splits
    from matching.signature import signatures_compute

    splits = load_splits()
    n_msrp_calib = len(load_splits(own_pairs=False)["calib"])  # own pairs come after MSRP's in calib
    print(f"MSRP pairs: train {len(splits['train'])} · calib {len(splits['calib'])} · test {len(splits['test'])}")
    started = time.time()
    data = {}
    import hashlib
    import pickle

    from matching.signature import MATCHER_ID

    for part in ("calib", "test", "own_test"):
        rows = splits[part]
        texts = [t for a, b, _ in rows for t in (a, b)]
        key = hashlib.sha256(("\x00".join(texts) + semantic.encoder().version_tag + MATCHER_ID).encode()).hexdigest()[
            :12
        ]
        cache = REPO / "var" / "bench" / f"msrp-{part}-{key}.pickle"
        if cache.exists():
            sigs, vecs = pickle.loads(cache.read_bytes())
        else:
            sigs = signatures_compute([(t, "") for t in texts])
            vecs = semantic.signatures_embed(sigs, texts)
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps((sigs, vecs)))
        if args.prepare:
            continue
        use_cross = not args.no_cross and (not DECISION_EXISTS() or semantic.decision().uses_cross or args.fit)
        if use_cross:
            timed = time.time()
            cross = semantic.pair_logits([(a, b) for a, b, _ in rows])
            seconds = time.time() - timed
            print(
                f"cross-encoder on {part}: {len(rows)} pairs (both orders) in {seconds:.1f} s, "
                f"{len(rows) / seconds:.0f} pairs/s ({semantic.pair_model().version_tag})"
            )
        else:
            cross = np.zeros(len(rows))
        data[part] = (
            rows,
            texts,
            features_for(rows, sigs, vecs, cross),
            np.array([y for *_, y in rows]),
            np.array([float(np.dot(vecs[2 * i], vecs[2 * i + 1])) for i in range(len(rows))]),
            sigs,
        )
    if args.prepare:
        print(f"parsed and embedded in {time.time() - started:.0f} s")
        return
    print(f"features for {sum(len(d[0]) for d in data.values())} pairs in {time.time() - started:.0f} s")

    tfidf = TfidfVectorizer(sublinear_tf=True).fit([t for a, b, _ in splits["train"] for t in (a, b)])

    def tfidf_cos(part):
        rows = data[part][0]
        ma = tfidf.transform([a for a, _, _ in rows])
        mb = tfidf.transform([b for _, b, _ in rows])
        return np.asarray(ma.multiply(mb).sum(axis=1)).ravel()

    from matching.semantic import FEATURES

    X_cal, y_cal = data["calib"][2], data["calib"][3]
    if args.fit:
        names = semantic.WITHOUT_CROSS if args.no_cross else FEATURES
        columns = [FEATURES.index(n) for n in names]
        own = np.array([i >= n_msrp_calib for i in range(len(y_cal))])
        free = np.ones(len(y_cal), dtype=bool)  # (fitting only on pairs no veto decides was tried: worse on both)
        fitted = semantic.decision_fit(
            X_cal[free][:, columns],
            y_cal[free],
            names=names,
            precision_target=args.precision,
            threshold_rows=own[free],
            row_weight=args.own_weight,
            suggest_precision=args.suggest_precision,
            version=time.strftime("%Y%m%d") + ("-nocross" if args.no_cross else ""),
        )
        semantic.DECISION_PATH.parent.mkdir(parents=True, exist_ok=True)
        semantic.DECISION_PATH.write_text(json.dumps(fitted.as_json(), indent=2) + "\n", encoding="utf-8")
        semantic.decision.cache_clear()
        print(
            f"fitted the decision on calib: same ≥ {fitted.same:.3f}, suggest ≥ {fitted.suggest:.3f}, "
            f"auto-link ≥ {fitted.auto:.3f}"
        )
    model = semantic.decision()

    def decide(part):
        rows, _, X, _, _, sigs = data[part]
        out = []
        for i in range(len(rows)):
            veto = semantic.vetoes(sigs[2 * i], sigs[2 * i + 1])
            out.append(0.0 if veto else model.score(dict(zip(FEATURES, X[i]))))
        return np.array(out)

    def table_for(part):
        y = data[part][3]
        rows = [("majority class", None, max(y.mean(), 1 - y.mean()), 2 * y.mean() / (1 + y.mean()))]
        t = best_threshold(tfidf_cos("calib"), y_cal)
        rows.append(("TF-IDF cosine (baseline)", t, *scores_at(t, tfidf_cos(part), y)))
        t = best_threshold(data["calib"][4], y_cal)
        rows.append(("MiniLM cosine (frozen)", t, *scores_at(t, data[part][4], y)))
        cross_idx = FEATURES.index("cross")
        if model.uses_cross:
            t = best_threshold(data["calib"][2][:, cross_idx], y_cal)
            rows.append(("cross-encoder alone", t, *scores_at(t, data[part][2][:, cross_idx], y)))
        else:
            rows.append(("cross-encoder alone (not used)", None, float("nan"), float("nan")))
        label = f"decision ({'cosine+cross' if model.uses_cross else 'cosine'}+segments+structured, vetoes)"
        rows.append((label, model.same, *scores_at(model.same, decide(part), y)))
        return rows

    results = {}
    for part, title in (("test", "held-out MSRP test part"), ("own_test", "held-out own pairs (product sense)")):
        y = data[part][3]
        table = results[part] = table_for(part)
        chosen = decide(part) >= model.auto
        suggested = (decide(part) >= model.suggest_at) & ~chosen
        print(f"\n{title} ({len(y)} pairs), thresholds chosen on calib:")
        print(f"{'method':58s} {'threshold':>9s} {'accuracy':>9s} {'F1':>6s}")
        for name, threshold, acc, f1 in table:
            print(f"{name:58s} {'' if threshold is None else f'{threshold:.3f}':>9s} {acc:9.3f} {f1:6.3f}")
        print(
            f"automatic links (score ≥ {model.auto:.3f}): {chosen.sum()} of {len(y)} pairs, "
            f"precision {y[chosen].mean() if chosen.any() else float('nan'):.3f}, "
            f"recall {chosen[y == 1].mean():.3f}; suggestions (≥ {model.suggest_at:.3f}): {suggested.sum()}, "
            f"precision {y[suggested].mean() if suggested.any() else float('nan'):.3f}"
        )
    print("decision weights (standardized):", ", ".join(f"{n} {model.coef[n]:+.2f}" for n in model.features))
    if args.fit:
        # The retrieval floor: the cosine below which 1 % of calib's same-claim pairs fall.
        floor = float(np.quantile(data["calib"][4][y_cal == 1], 0.01))
        names = ("tfidf", "cosine", "cross", "test")
        metrics = {
            **model.metrics,
            "retrieval_floor": round(floor, 3),
            "test_pairs": int(len(data["test"][3])),
            "own_test_pairs": int(len(data["own_test"][3])),
        }
        for part, prefix in (("test", ""), ("own_test", "own_")):
            for key, (_, _, acc, f1) in zip(names, results[part][1:]):
                if acc != acc:  # not measured (nan)
                    continue
                metrics[f"{prefix}{key}_test_accuracy" if key != "test" else f"{prefix}test_accuracy"] = round(
                    float(acc), 4
                )
                metrics[f"{prefix}{key}_test_f1" if key != "test" else f"{prefix}test_f1"] = round(float(f1), 4)
        payload = model.as_json() | {"metrics": metrics}
        semantic.DECISION_PATH.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {semantic.DECISION_PATH.relative_to(REPO)} (retrieval floor {floor:.3f})")


if __name__ == "__main__":
    main()
