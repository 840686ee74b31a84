"""Past fact-checks matching many queries: JSONL in, JSONL out. The index is built once and kept
on disk (var/index/), so a new run does not rebuild it; the sentence encoder loads once."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.dates import calendar_day
from matching.management.jsonl import jsonl_objects
from matching.selectors import previously_checked_search


class Command(BaseCommand):
    help = (
        'Past fact-checks that match each query. QUERIES.jsonl ("-": standard input) has one '
        '{"id": ..., "text": ..., "date": "YYYY-MM-DD"} per line; prints one {"id", "results": [...]} per line. '
        "Dates are used only with --dates. --text checks one text instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("queries", nargs="?", help="a JSONL file of queries, or - for standard input")
        parser.add_argument("--text", help="check this one text instead of a file")
        parser.add_argument(
            "--dates", action="store_true", help='use each query\'s "date" (when the text was published) in the ranking'
        )
        parser.add_argument("--limit", type=int, default=5)

    def handle(self, *args, queries, text, dates, limit, **options):
        if bool(queries) == bool(text):
            raise CommandError("give QUERIES.jsonl (or -) or --text, not both")
        if text:
            self._emit({"id": None, "text": text}, dates=False, limit=limit)
            return
        for number, item in jsonl_objects(queries, expected='{"id": ..., "text": ...}'):
            if not isinstance(item.get("text"), str):
                raise CommandError(f'line {number}: expected {{"id": ..., "text": ...}}')
            item.setdefault("id", number)
            self._emit(item, dates=dates, limit=limit)

    def _emit(self, item: dict, *, dates: bool, limit: int) -> None:
        when = None
        if dates and item.get("date"):
            when = calendar_day(item["date"])
            if when is None:
                raise CommandError(f"query {item['id']}: date must be YYYY-MM-DD")
        hits = previously_checked_search(text=item["text"], when=when, limit=limit)
        results = [
            {
                "rank": hit["rank"],
                "score": hit["score"],
                "claim_text": hit["fact_check"].claim_text,
                "rating": hit["fact_check"].rating,
                "url": hit["fact_check"].url,
                "publisher": hit["fact_check"].publisher,
                "published": hit["fact_check"].published.isoformat() if hit["fact_check"].published else None,
                "dataset": hit["fact_check"].dataset,
                "external_id": hit["fact_check"].external_id,
            }
            for hit in hits
        ]
        self.stdout.write(json.dumps({"id": item["id"], "results": results}, ensure_ascii=False))
