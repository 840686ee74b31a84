import json
import sys

from django.core.management.base import BaseCommand

from factcheck.export import claim_export_record, claims_for_export


class Command(BaseCommand):
    help = "Export claims as JSON Lines (one claim per line) to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--status", choices=["candidate", "accepted", "rejected"], action="append")
        parser.add_argument("--article", help="Only claims of the article with this external id.")

    def handle(self, *args, output, status, article, **options):
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        count = 0
        try:
            for claim in claims_for_export(statuses=status, article_external_id=article):
                out.write(json.dumps(claim_export_record(claim), ensure_ascii=False) + "\n")
                count += 1
        finally:
            if output:
                out.close()
        self.stderr.write(f"{count} claims exported")
