"""Train the check-worthiness model, compare it with a TF-IDF baseline on a held-out dev split,
and write the model file.

    python manage.py train_checkworthiness
    python manage.py train_checkworthiness --with-clef --from-decisions decisions.jsonl

All logic lives in :mod:`factcheck.checkworthiness`; this is a thin wrapper around it.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck import checkworthiness as cw


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model on ClaimBuster (optionally + CLEF-2019 and editors' "
        "decisions), print baseline vs ours on the held-out dev debates, and save the model."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--claimbuster",
            default=str(cw.DEFAULT_CLAIMBUSTER_PATH),
            help="ClaimBuster crowdsourced.csv (default: %(default)s)",
        )
        parser.add_argument("--with-clef", action="store_true", help="add CLEF-2019 CheckThat! Task 1 training data")
        parser.add_argument(
            "--clef-dir", default=str(cw.DEFAULT_CLEF2019_DIR), help="CLEF-2019 training/*.tsv folder (default: %(default)s)"
        )
        parser.add_argument(
            "--from-decisions",
            metavar="PATH",
            action="append",
            default=[],
            help='editors\' decisions as JSONL ({"text": ..., "label": 1|0} per line); repeatable',
        )
        parser.add_argument(
            "--from-database",
            action="store_true",
            help="add accepted (1) / rejected (0) factcheck.Claim rows from the database",
        )
        parser.add_argument(
            "--decisions-weight",
            type=float,
            default=1.0,
            help="sample weight of each editor decision relative to a dataset sentence (default: %(default)s)",
        )
        parser.add_argument(
            "--output", default=str(cw.DEFAULT_MODEL_PATH), help="where to write the model (default: %(default)s)"
        )
        parser.add_argument(
            "--no-tune", action="store_true", help="skip cross-validated choice of C and threshold (faster)"
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--jobs", type=int, default=1, help="parallel cross-validation folds (default: 1)")
        parser.add_argument("--dry-run", action="store_true", help="train and report, but do not write the model")

    def handle(self, *args, **opts):
        if opts["decisions_weight"] <= 0:
            raise CommandError("--decisions-weight must be positive")
        started = time.perf_counter()
        extra = []
        data = {"claimbuster": Path(opts["claimbuster"]).name}
        try:
            for path in opts["from_decisions"]:
                loaded = cw.load_decisions_jsonl(path, weight=opts["decisions_weight"])
                self.stdout.write(f"Decisions from {path}: {len(loaded)} ({sum(e.label for e in loaded)} accepted)")
                extra += loaded
            if opts["from_database"]:
                loaded = cw.load_decisions_from_database(weight=opts["decisions_weight"])
                self.stdout.write(f"Decisions from the database: {len(loaded)} ({sum(e.label for e in loaded)} accepted)")
                extra += loaded
            train, dev = cw.build_training_data(
                opts["claimbuster"], clef_dir=opts["clef_dir"] if opts["with_clef"] else None, extra=extra
            )
        except (OSError, ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        if opts["with_clef"]:
            data["clef2019"] = Path(opts["clef_dir"]).name
        if opts["from_decisions"]:
            data["decisions_files"] = [Path(p).name for p in opts["from_decisions"]]
        if opts["from_database"]:
            data["decisions_database"] = True
        if extra:
            data["decisions_weight"] = opts["decisions_weight"]

        result = cw.run_training(
            train,
            dev,
            seed=opts["seed"],
            tune=not opts["no_tune"],
            n_jobs=opts["jobs"],
            data_description=data,
            log=lambda msg: self.stdout.write(msg),
        )
        self.stdout.write("")
        self.stdout.write(cw.format_report(result))
        if result.ours["f1"] <= result.base["f1"]:
            self.stderr.write(self.style.WARNING("Warning: our model does not beat the baseline on dev."))
        if opts["dry_run"]:
            self.stdout.write("Dry run: model not written.")
            return
        size = cw.save_model(result.model, result.metadata, opts["output"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {opts['output']} ({size / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s total."
            )
        )
