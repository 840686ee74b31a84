"""Compare pairs of claims: one {"a": text, "b": text} per line in, one result per line out."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.errors import InvalidInput
from matching.management.jsonl import jsonl_objects
from matching.services import COMPARE_MAX_PAIRS, claims_compare


class Command(BaseCommand):
    help = (
        'Same claim or not: PAIRS.jsonl has one {"a": text, "b": text} per line ("-" reads standard input); '
        "prints one JSON object per pair: score, same, veto, reasons, differences. The models load once."
    )

    def add_arguments(self, parser):
        parser.add_argument("pairs", help="a JSONL file, or - for standard input")

    def handle(self, *args, pairs, **options):
        batch: list[tuple[str, str]] = []
        for number, item in jsonl_objects(pairs, expected='{"a": text, "b": text}'):
            if not isinstance(item.get("a"), str) or not isinstance(item.get("b"), str):
                raise CommandError(f'line {number}: expected {{"a": text, "b": text}}')
            batch.append((item["a"], item["b"]))
            if len(batch) == COMPARE_MAX_PAIRS:
                self._emit(batch)
                batch = []
        if batch:
            self._emit(batch)

    def _emit(self, batch):
        try:
            results = claims_compare(pairs=batch)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
