import json
import sys

from django.core.management.base import BaseCommand

from factcheck.csv_export import claims_csv_write
from factcheck.export import claim_export_record, claims_for_export


class Command(BaseCommand):
    help = (
        "Export claims as JSON Lines (one claim per line, the default) or as CSV for spreadsheets "
        "(--format csv; cells that a spreadsheet would run as a formula are neutralised) to a file or "
        "standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", dest="fmt")
        parser.add_argument("--status", choices=["candidate", "accepted", "rejected"], action="append")
        parser.add_argument("--article", help="Only claims of the article with this external id.")

    def handle(self, *args, output, fmt, status, article, **options):
        # CSV: newline="" so the csv module's \r\n row ends are written as they are; utf-8-sig so
        # that spreadsheets detect UTF-8.
        if output:
            out = open(
                output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="" if fmt == "csv" else None
            )
        else:
            out = sys.stdout
        claims = claims_for_export(statuses=status, article_external_id=article)
        try:
            if fmt == "csv":
                count = claims_csv_write(claims=claims, out=out)
            else:
                count = 0
                for claim in claims:
                    out.write(json.dumps(claim_export_record(claim), ensure_ascii=False) + "\n")
                    count += 1
        finally:
            if output:
                out.close()
        self.stderr.write(f"{count} claims exported")
