"""Train the check-worthiness classifier (fine-tuned MiniLM, int8 ONNX), compare it on the
held-out splits with the TF-IDF model it replaces and a plain TF-IDF baseline trained in the same
run, and write the model folder.

    python manage.py train_checkworthiness
    python manage.py train_checkworthiness --from-decisions decisions.jsonl --from-database
    python manage.py train_checkworthiness --tfidf-only        # no torch needed: the comparisons only

The data lives in :mod:`factcheck.checkworthiness_data`, the report in :mod:`factcheck.checkworthiness_eval`, the fine-tuning and export
in :mod:`factcheck.checkworthiness_training` (torch and transformers, requirements/train.txt).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck import checkworthiness as cw


class Command(BaseCommand):
    help = (
        "Fine-tune the check-worthiness classifier on ClaimBuster + CLEF-2019 (+ editors' decisions), "
        "print it next to the TF-IDF models on the held-out splits (F1, CLEF MAP), and write the model."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--claimbuster", default=str(cw.DEFAULT_CLAIMBUSTER_PATH), help="ClaimBuster crowdsourced.csv"
        )
        parser.add_argument("--clef-dir", default=str(cw.DEFAULT_CLEF2019_DIR), help="CLEF-2019 training/*.tsv folder")
        parser.add_argument(
            "--from-decisions",
            metavar="PATH",
            action="append",
            default=[],
            help='editors\' decisions as JSONL ({"text": ..., "label": 1|0} per line); repeatable',
        )
        parser.add_argument(
            "--from-database", action="store_true", help="add accepted (1) / rejected (0) claims from the database"
        )
        parser.add_argument(
            "--decisions-weight",
            type=float,
            default=1.0,
            help="loss weight of an editor's decision relative to a dataset sentence",
        )
        parser.add_argument("--output", default=str(cw.DEFAULT_MODEL_PATH), help="model folder to write")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--epochs",
            type=int,
            default=2,
            help="epochs over the training data; the one with the best F1 on the tune debates is kept",
        )
        parser.add_argument("--max-length", type=int, default=48, help="tokens per sentence when training")
        parser.add_argument(
            "--max-train", type=int, default=0, help="dataset sentences to fine-tune on, chosen by text hash (0: all)"
        )
        parser.add_argument(
            "--frozen-layers",
            type=int,
            default=4,
            help="lowest encoder layers kept frozen (0-6; fewer: slower; 2 measured no better, docs/checkworthiness.md)",
        )
        parser.add_argument("--threads", type=int, default=2, help="torch threads while training")
        parser.add_argument("--limit", type=int, default=0, help="trials: keep the first N sentences of each split")
        parser.add_argument("--tfidf-only", action="store_true", help="train and report only the TF-IDF models")
        parser.add_argument("--dry-run", action="store_true", help="report, but do not replace the model folder")

    def handle(self, *args, **opts):
        from factcheck import checkworthiness_training as training

        if opts["decisions_weight"] <= 0:
            raise CommandError("--decisions-weight must be positive")
        if not opts["tfidf_only"]:
            try:
                training.require_training_libraries()
            except training.TrainingUnavailable as exc:
                raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        extra = []
        try:
            for path in opts["from_decisions"]:
                loaded = cw.load_decisions_jsonl(path, weight=opts["decisions_weight"])
                self.stdout.write(f"Decisions from {path}: {len(loaded)} ({sum(e.label for e in loaded)} accepted)")
                extra += loaded
            if opts["from_database"]:
                loaded = cw.load_decisions_from_database(weight=opts["decisions_weight"])
                self.stdout.write(
                    f"Decisions from the database: {len(loaded)} ({sum(e.label for e in loaded)} accepted)"
                )
                extra += loaded
            splits = cw.load_examples(opts["claimbuster"], clef_dir=opts["clef_dir"], extra=extra)
        except (OSError, ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        if opts["limit"]:  # trials: the first N dataset sentences of every split (decisions all kept)
            for part in ("train", "dev", "tune", "clef_dev"):
                kept = getattr(splits, part)
                data = [e for e in kept if e.source in ("claimbuster", "clef2019")][: opts["limit"]]
                setattr(splits, part, data + [e for e in kept if e.source not in ("claimbuster", "clef2019")])
        log = self.stdout.write
        models = {}
        # The model in use before this run, scored on the same splits: what a retrain changes
        # (for instance what editors' decisions add).
        current = Path(opts["output"])
        if (current / "model.onnx").is_file():
            shipped = cw.load_model(current)
            models[f"current: {shipped.version_tag}"] = {
                "threshold": float(shipped.manifest.get("threshold", cw.threshold())),
                "scores": {
                    part: training.scores_of(current, [e.text for e in getattr(splits, part)])
                    for part in ("dev", "clef_dev", "decisions_dev")
                },
            }
        tfidf = cw.tfidf_scores(splits, seed=opts["seed"], log=log)
        models["baseline: TF-IDF w1-2 + LR (defaults)"] = tfidf["baseline"]
        models[f"TF-IDF model shipped until now ({cw.ALGORITHM})"] = tfidf["tfidf"]
        trained = None
        if not opts["tfidf_only"]:
            output = Path(opts["output"]) if not opts["dry_run"] else Path(self._scratch())
            trained = training.train_transformer(
                splits,
                output_dir=output,
                seed=opts["seed"],
                epochs=opts["epochs"],
                max_length=opts["max_length"],
                max_train=opts["max_train"],
                frozen_layers=opts["frozen_layers"],
                threads=opts["threads"],
                data_description={"decisions": len(extra), "decisions_weight": opts["decisions_weight"]}
                if extra
                else None,
                log=log,
            )
            manifest = trained["manifest"]
            models[f"new: {manifest['name']}-{manifest['version']} (int8 ONNX)"] = {
                "threshold": trained["threshold"],
                "scores": trained["scores"],
            }
        self.stdout.write("")
        self.stdout.write(cw.format_report(splits, cw.report_rows(splits, models)))
        if trained:
            size = (Path(output) / "model.onnx").stat().st_size
            self.stdout.write(
                f"Threshold {trained['threshold']:.2f} (best F1 on the tune debates); fine-tuning took "
                f"{trained['train_seconds']:.0f} s; model.onnx {size / 1e6:.1f} MB"
                + (" (dry run: not installed)" if opts["dry_run"] else f" written to {output}")
            )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.0f} s."))

    @staticmethod
    def _scratch() -> str:
        import tempfile

        return str(Path(tempfile.mkdtemp(prefix="cw-dry-run-")) / "model")
