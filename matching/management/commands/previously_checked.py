from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from matching.selectors import previously_checked_search


class Command(BaseCommand):
    help = "Past fact-checks that match a text, best first."

    def add_arguments(self, parser):
        parser.add_argument("text", help="the claim or any text ('-' reads standard input)")
        parser.add_argument("--date", help="when the text was published (YYYY-MM-DD)")
        parser.add_argument("--limit", type=int, default=5)

    def handle(self, *args, text, date, limit, **options):
        if text == "-":
            import sys

            text = sys.stdin.read()
        when = parse_date(date) if date else None
        if date and when is None:
            raise CommandError("--date must be YYYY-MM-DD")
        hits = previously_checked_search(text=text, when=when, limit=limit)
        if not hits:
            self.stdout.write("no past fact-check matches (import some with import_fact_checks)")
        for hit in hits:
            fc = hit["fact_check"]
            self.stdout.write(f"{hit['rank']}. [{hit['score']:.3f}] {fc.claim_text}")
            details = " · ".join(x for x in (fc.rating, fc.publisher, str(fc.published or ""), fc.url or fc.external_id) if x)
            self.stdout.write(f"   {details}")
