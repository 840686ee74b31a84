"""Previously checked claims: MAP@5 of the workbench's ranker next to plain BM25, on the
CheckThat! 2022 Task 2A (English) dev queries, in the same run on the same data.

    .venv/bin/python bench/eval_previously_checked.py            # uses the shipped fusion weights
    .venv/bin/python bench/eval_previously_checked.py --retrain  # refit them on the TRAIN queries and save

The fusion weights are fitted on the train queries only; dev is used for evaluation only.
Reads ../shared/data/clef2022_task2a (not copied into the repository). "text+date" passes each
tweet's printed date explicitly (as the workbench passes an article's publication date when
asked to); "text only" passes none. Embeddings (all-MiniLM-L6-v2, int8) of the 14,231
fact-checks are cached in var/bench/ between runs.
"""

import argparse
import csv
import gzip
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from matching.retrieval import (  # noqa: E402
    WEIGHTS_PATH,
    FactCheckRanker,
    average_precision_at_k,
    clean_query,
    query_date,
    train_weights,
)

DATA = REPO.parent / "shared" / "data" / "clef2022_task2a"


def load(data: Path):
    with gzip.open(data / "vclaims.jsonl.gz", "rt", encoding="utf-8") as fh:
        vclaims = [json.loads(line) for line in fh if line.strip()]
    queries = {}
    with open(data / "CT2022-Task2A-EN-Train-Dev_Queries.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and row[0] != "tweet_id":
                queries[row[0]] = row[1]

    def qrels(name):
        out = {}
        with open(data / name, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 4 and parts[3] != "0":
                    out.setdefault(parts[0], set()).add(parts[2])
        return out

    return vclaims, queries, qrels("CT2022-Task2A-EN-Train_QRELs.tsv"), qrels("CT2022-Task2A-EN-Dev_QRELs.tsv")


def evaluate(rank, queries, qrels, index_of, vectors=None, dates=False) -> float:
    scores = []
    for qid, relevant_ids in qrels.items():
        relevant = {index_of[r] for r in relevant_ids if r in index_of}
        kwargs = {}
        if vectors is not None:
            kwargs["query_vector"] = vectors[qid]
            kwargs["when"] = query_date(queries[qid]) if dates else None
        ranked = [hit.index for hit in rank(queries[qid], limit=5, **kwargs)]
        scores.append(average_precision_at_k(ranked, relevant, 5))
    return sum(scores) / len(scores)


def embeddings(texts: list[str], name: str) -> np.ndarray:
    """Sentence embeddings, cached in var/bench/ per model file."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings.local")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    import django

    django.setup()
    from matching import semantic

    tag = semantic.encoder().version_tag
    cache = REPO / "var" / "bench" / f"{name}-{tag}-{len(texts)}.npy"
    if cache.exists():
        return np.load(cache)
    vectors = semantic.embed(texts)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--retrain", action="store_true", help="fit the fusion weights on the train queries and save them"
    )
    parser.add_argument("--with-train", action="store_true", help="also print MAP@5 on the train queries (slower)")
    args = parser.parse_args()
    vclaims, queries, train, dev = load(args.data)
    items = [{"claim": v.get("vclaim", ""), "title": v.get("title", ""), "date": v.get("date", "")} for v in vclaims]
    index_of = {v["vclaim_id"]: i for i, v in enumerate(vclaims)}
    started = time.perf_counter()
    claim_vectors = embeddings([it["claim"] for it in items], "vclaims")
    title_vectors = embeddings([it["title"] for it in items], "vtitles")
    ids = sorted(queries)
    query_vectors = dict(zip(ids, embeddings([clean_query(queries[q]) for q in ids], "queries")))
    embedded = time.perf_counter() - started
    started = time.perf_counter()
    ranker = FactCheckRanker(items, vectors=claim_vectors, title_vectors=title_vectors)
    built = time.perf_counter() - started
    if args.retrain or not WEIGHTS_PATH.exists():
        pairs = [
            (queries[q], {index_of[r] for r in rel if r in index_of}, query_date(queries[q]), query_vectors[q])
            for q, rel in train.items()
            if q in queries
        ]
        ranker.weights = train_weights(ranker, pairs)
        WEIGHTS_PATH.parent.mkdir(parents=True, exist_ok=True)
        WEIGHTS_PATH.write_text(json.dumps(ranker.weights, indent=2) + "\n")
        print(f"fusion weights fitted on {len(pairs)} train queries, saved to {WEIGHTS_PATH.relative_to(REPO)}")
    started = time.perf_counter()
    rows = []
    for name, rank, kwargs in (
        ("BM25 (baseline)", ranker.rank_bm25, {}),
        ("workbench ranker, text only", ranker.rank, {"vectors": query_vectors}),
        ("workbench ranker, text+date", ranker.rank, {"vectors": query_vectors, "dates": True}),
    ):
        rows.append(
            (
                name,
                evaluate(rank, queries, dev, index_of, **kwargs),
                evaluate(rank, queries, train, index_of, **kwargs) if args.with_train else float("nan"),
            )
        )
    elapsed = time.perf_counter() - started
    print(
        f"CheckThat! 2022 Task 2A (English): {len(vclaims)} fact-checks, {len(dev)} dev queries, "
        f"{len(train)} train queries (embeddings {embedded:.1f}s, index built in {built:.1f}s, "
        f"all rankings in {elapsed:.1f}s)"
    )
    print(f"{'':30} {'dev MAP@5':>10} {'train MAP@5':>12}")
    for name, dev_map, train_map in rows:
        print(f"{name:30} {dev_map:10.4f} {train_map:12.4f}")
    print(f"dev MAP@5 over BM25: text only {rows[1][1] - rows[0][1]:+.4f}, text+date {rows[2][1] - rows[0][1]:+.4f}")
    print(
        "(text+date: the fact-check's date next to the date of the text — the tweet's printed date here, "
        "the article's publication date in the workbench)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
