"""Sources and evidence: documents used to check a claim, deduplicated by normalized URL."""

from django.db import IntegrityError, transaction

from accounts.roles import require, user_can
from articles.text import normalize_url
from core.errors import InvalidInput, PermissionDenied
from core.validation import http_url_problem, shown
from factcheck.models import ClaimGroup, Evidence, Source


def source_get_or_create(*, url: str, title: str = "", publisher: str = "", by) -> Source:
    """The source at `url` (the same document under another spelling of its URL is the same
    source); created if new. Blank title/publisher of an existing source are filled in."""
    require(by, "source.write", "add sources")
    url = (url or "").strip()
    if problem := http_url_problem(url):
        raise InvalidInput(f"Not a valid http(s) URL: {shown(url, 200)!r}. {problem}", field="url")
    if len(url) > 2000:
        raise InvalidInput("url is longer than 2000 characters.", field="url")
    title, publisher = (title or "").strip()[:500], (publisher or "").strip()[:300]
    normalized = normalize_url(url)
    with transaction.atomic():
        source = Source.objects.filter(normalized_url=normalized).first()
        if source is None:
            source = Source(url=url, normalized_url=normalized, title=title, publisher=publisher, created_by=by)
            source._history_user = by
            try:
                with transaction.atomic():
                    source.save()
                return source
            except IntegrityError:  # created concurrently
                source = Source.objects.get(normalized_url=normalized)
        fill = {}
        if title and not source.title:
            fill["title"] = title
        if publisher and not source.publisher:
            fill["publisher"] = publisher
        if fill:
            for name, value in fill.items():
                setattr(source, name, value)
            source._history_user = by
            source.save(update_fields=list(fill))
    return source


@transaction.atomic
def evidence_add(
    *, group: ClaimGroup, source: Source, relation: str = Evidence.Relation.CONTEXT, quoted_passage: str = "", by
) -> Evidence:
    """Attach a source to a claim group: supports, refutes or gives context, with the passage quoted."""
    require(by, "source.write", "add evidence")
    if relation not in Evidence.Relation.values:
        raise InvalidInput(f"relation must be one of {', '.join(Evidence.Relation.values)}.", field="relation")
    if Evidence.objects.filter(group=group, source=source).exists():
        raise InvalidInput("This source is already evidence for this claim.", field="source")
    evidence = Evidence(
        group=group, source=source, relation=relation, quoted_passage=(quoted_passage or "").strip(), added_by=by
    )
    evidence._history_user = by
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        raise InvalidInput("This source is already evidence for this claim.", field="source") from None
    return evidence


@transaction.atomic
def evidence_add_from_url(
    *,
    group: ClaimGroup,
    url: str,
    title: str = "",
    publisher: str = "",
    relation: str = Evidence.Relation.CONTEXT,
    quoted_passage: str = "",
    by,
) -> Evidence:
    """The source at `url` (found or created) attached to `group`, in one transaction: a source
    is not left behind when the evidence is refused (already attached, bad relation)."""
    source = source_get_or_create(url=url, title=title, publisher=publisher, by=by)
    return evidence_add(group=group, source=source, relation=relation, quoted_passage=quoted_passage, by=by)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> None:
    """Reviewers remove the evidence they added; editors and admins any evidence."""
    require(by, "source.write", "remove evidence")
    if evidence.added_by_id != by.pk and not user_can(by, "claim.curate"):
        raise PermissionDenied("Only the person who added this evidence, an editor or an admin can remove it.")
    evidence._history_user = by
    evidence.delete()
