from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.factchecks import past_fact_checks_import


class Command(BaseCommand):
    help = (
        "Import past fact-checks: schema.org ClaimReview JSON-LD (object, list, @graph or JSON Lines) or "
        "CheckThat! 2022 2A vclaims JSONL (.gz allowed). Re-imports update in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--dataset", default="", help="dataset name (default: claimreview / clef2022-2a)")

    def handle(self, *args, paths, dataset, **options):
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        result = past_fact_checks_import(paths=paths, dataset=dataset)
        for line in result.failed[:50]:
            self.stderr.write(line)
        self.stdout.write(f"{result.created} created, {result.updated} updated, {len(result.failed)} failed")
        if result.failed:
            raise SystemExit(1)
