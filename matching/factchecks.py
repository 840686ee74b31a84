"""Past fact-checks: importing ClaimReview JSON-LD and CheckThat! vclaims (`past_fact_checks_import`)
and embedding them for "has this been checked before?" search (matching/selectors.py ranks).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.roles import require
from core.dates import calendar_day
from core.jsonl import JsonlError, jsonl_records

from .models import PastFactCheck


@dataclass
class FactCheckImportResult:
    created: int = 0
    updated: int = 0
    failed: list[str] = field(default_factory=list)


FACT_CHECK_FIELDS = [
    "claim_text",
    "title",
    "subtitle",
    "rating",
    "url",
    "publisher",
    "author",
    "claimant",
    "published",
    "language",
]


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _name(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("alternateName") or "")
    return str(value or "")


def claimreview_to_fields(obj: dict) -> dict:
    """schema.org ClaimReview (JSON-LD) → PastFactCheck fields."""
    item = _first(obj.get("itemReviewed")) or {}
    rating = _first(obj.get("reviewRating")) or {}
    claim_text = str(obj.get("claimReviewed") or (item.get("name") if isinstance(item, dict) else "") or "").strip()
    url = str(obj.get("url") or "").strip()
    return {
        "claim_text": claim_text,
        "title": str(obj.get("name") or obj.get("headline") or "")[:1000],
        "rating": str(
            (rating.get("alternateName") or rating.get("name") or rating.get("ratingValue") or "")
            if isinstance(rating, dict)
            else rating or ""
        )[:200],
        "url": url[:2000],
        "publisher": _name(obj.get("author") or obj.get("publisher"))[:300],
        "claimant": _name(item.get("author") if isinstance(item, dict) else "")[:300],
        "published": calendar_day(obj.get("datePublished")),
        "language": str(obj.get("inLanguage") or "en")[:12],
        "external_id": (url or hashlib.sha256(claim_text.encode()).hexdigest())[:500],
    }


def clef_vclaim_to_fields(obj: dict) -> dict:
    """A CheckThat! 2022 Task 2A verified claim (vclaim_id, vclaim, title, subtitle, author, date)."""
    return {
        "claim_text": str(obj.get("vclaim") or "").strip(),
        "title": str(obj.get("title") or "")[:1000],
        "subtitle": str(obj.get("subtitle") or ""),
        "author": str(obj.get("author") or "")[:300],
        "publisher": "Snopes" if str(obj.get("vclaim_id", "")).startswith("vclaim-sno") else "",
        "published": calendar_day(obj.get("date")),
        "external_id": str(obj.get("vclaim_id") or "")[:500],
    }


def _records(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and "\n{" not in stripped.strip()):
        data = json.loads(text)
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for n, item in enumerate(items, 1):
            yield n, item
        return
    yield from jsonl_records(text.splitlines(), source=path.name)


def past_fact_checks_import(*, paths: list[Path], dataset: str = "", by=None) -> FactCheckImportResult:
    """Import ClaimReview JSON-LD (one object, a list, an @graph, or JSON Lines) and CheckThat!
    vclaims JSONL (optionally .gz). Re-imports update in place (unique per dataset and id/URL);
    bad records are reported and skipped."""
    if by is not None:
        require(by, "article.import", "import past fact-checks")
    result = FactCheckImportResult()
    pending: dict[tuple[str, str], dict] = {}
    for path in paths:
        for n, obj in _records(Path(path)):
            where = f"{Path(path).name}:{n}"
            if isinstance(obj, JsonlError):
                result.failed.append(f"{where}: {obj.problem}")
                continue
            if not isinstance(obj, dict):
                result.failed.append(f"{where}: not a JSON object ({obj})")
                continue
            types = obj.get("@type")
            if "vclaim" in obj:
                fields, source = clef_vclaim_to_fields(obj), dataset or "clef2022-2a"
            elif (
                types == "ClaimReview" or (isinstance(types, list) and "ClaimReview" in types) or "claimReviewed" in obj
            ):
                fields, source = claimreview_to_fields(obj), dataset or "claimreview"
            else:
                result.failed.append(f"{where}: neither a ClaimReview nor a CheckThat! vclaim")
                continue
            if not fields["claim_text"] or not fields["external_id"]:
                result.failed.append(f"{where}: no claim text (claimReviewed / vclaim)")
                continue
            pending[(source, fields.pop("external_id"))] = fields
    keys = list(pending)
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        with transaction.atomic():
            existing = {}
            for source in {k[0] for k in chunk}:
                ids = [k[1] for k in chunk if k[0] == source]
                existing.update(
                    {
                        (source, row.external_id): row
                        for row in PastFactCheck.objects.filter(dataset=source, external_id__in=ids)
                    }
                )
            new, changed = [], []
            for key in chunk:
                fields = pending[key]
                row = existing.get(key)
                if row is None:
                    new.append(PastFactCheck(dataset=key[0], external_id=key[1], **fields))
                else:
                    for name, value in fields.items():
                        setattr(row, name, value)
                    row.imported_at = timezone.now()
                    changed.append(row)
            PastFactCheck.objects.bulk_create(new)
            if changed:
                PastFactCheck.objects.bulk_update(changed, [*FACT_CHECK_FIELDS, "imported_at"])
        result.created += len(new)
        result.updated += len(changed)
        past_fact_checks_embed(
            ids=[row.pk for row in changed]
            + list(
                PastFactCheck.objects.filter(
                    dataset__in={k[0] for k in chunk}, external_id__in=[k[1] for k in chunk], embedding=""
                ).values_list("pk", flat=True)
            )
        )
    return result


def past_fact_checks_embed(*, ids: list[int] | None = None, batch: int = 256) -> int:
    """Embed the claim and title of these past fact-checks (None: those not embedded yet) with the
    sentence encoder, for previously-checked search. Runs the model: commands and workers only."""
    from . import semantic

    queryset = PastFactCheck.objects.all() if ids is None else PastFactCheck.objects.filter(pk__in=ids)
    if ids is None:
        queryset = queryset.filter(embedding="")
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        rows = list(PastFactCheck.objects.filter(pk__in=pks[start : start + batch]).only("pk", "claim_text", "title"))
        vectors = semantic.embed([r.claim_text for r in rows] + [r.title or r.claim_text for r in rows])
        for i, row in enumerate(rows):
            row.embedding = semantic.vector_pack(vectors[i]) + ":" + semantic.vector_pack(vectors[len(rows) + i])
        PastFactCheck.objects.bulk_update(rows, ["embedding"])
    return len(pks)
