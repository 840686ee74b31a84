import json
import sys

from django.core.management.base import BaseCommand, CommandError

from factcheck.scoring import text_score


class Command(BaseCommand):
    help = (
        "Score text for check-worthiness, sentence by sentence: score, claim type and whether it passes "
        "WORKBENCH_CHECKWORTHY_THRESHOLD. Reads FILE (or standard input) as running text, or with "
        "--lines as one sentence per line. Prints a table, or JSON with --json."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Text file (default: standard input).")
        parser.add_argument("--lines", action="store_true", help="One sentence per line.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, lines, json: bool, **options):
        try:
            content = open(file, encoding="utf-8").read() if file else sys.stdin.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file or 'standard input'}: {exc}")
        if not content.strip():
            raise CommandError("no text to score")
        if lines:
            result = text_score(sentences=[line.strip() for line in content.splitlines() if line.strip()])
        else:
            result = text_score(text=content)
        if json:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(f"threshold {result['threshold']}, model {result['model_version']}")
        for row in result["sentences"]:
            mark = "✔" if row["check_worthy"] else " "
            self.stdout.write(f"{mark} {row['score']:.3f}  {row['claim_type']:<11} {row['text']}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
