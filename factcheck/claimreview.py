"""Exports in the web's shared vocabularies: schema.org ClaimReview for a published verdict, and a
W3C Web Annotation for a claim span. Pass objects from factcheck.selectors (prefetched) so that a
feed of many costs a constant number of queries."""

from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from factcheck.models import Claim, Verdict

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _absolute(path: str) -> str:
    return urljoin(settings.WORKBENCH["PUBLISHER_URL"], path)


def _url(name: str, pk: int, fallback: str) -> str:
    try:
        return _absolute(reverse(name, kwargs={"pk": pk}))
    except NoReverseMatch:
        return _absolute(fallback)


def claimreview_url(verdict: Verdict) -> str:
    """The API's JSON-LD of one verdict (for integrations; ClaimReview `url` is the public page)."""
    return _url("api:verdict-claimreview", verdict.pk, f"/api/v1/verdicts/{verdict.pk}/claimreview/")


def verdict_public_url(verdict: Verdict) -> str:
    """The public fact-check page: the claim's page for its published verdict, a version page for a
    superseded one (settings.WORKBENCH["PUBLIC_BASE"], absolute with PUBLISHER_URL)."""
    if verdict.status == Verdict.Status.SUPERSEDED:
        return _absolute(reverse("public:factcheck-version", kwargs={"pk": verdict.group_id, "verdict": verdict.pk}))
    return _absolute(reverse("public:factcheck-detail", kwargs={"pk": verdict.group_id}))


def mention_is_machine_linked(claim: Claim) -> bool:
    """A matcher put this mention in its group and no person has confirmed it since (`grouped_by`
    names the matcher; every person's action — create, accept, confirm, merge, move, split — sets
    "human"): it is only "possibly the same claim"."""
    return bool(claim.grouped_by) and claim.grouped_by != "human"


def confirmed_mention_q(prefix: str = "") -> Q:
    """mention_is_confirmed as a filter (for counts): not rejected and not machine-linked."""
    return Q(**{f"{prefix}grouped_by__in": ["", "human"]}) & ~Q(**{f"{prefix}status": Claim.Status.REJECTED})


def mention_is_confirmed(claim: Claim) -> bool:
    """A person accepted or confirmed this mention as the claim: the verdict is *its* verdict."""
    return claim.status != Claim.Status.REJECTED and not mention_is_machine_linked(claim)


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _appearance(article) -> dict:
    work = {
        "@type": "CreativeWork",
        "url": article.url or _url("api:article-detail", article.pk, f"/api/v1/articles/{article.pk}/"),
        "headline": article.headline,
    }
    if article.published_at:
        work["datePublished"] = _date(article.published_at)
    if article.outlet_id:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    return work


def _first_published(claim: Claim) -> tuple:
    published = claim.article.published_at
    return (published is None, published or datetime.min.replace(tzinfo=UTC), claim.article_id, claim.start)


def claimreview_jsonld(verdict: Verdict) -> dict:
    """schema.org ClaimReview of a published (or superseded) verdict: the one object the API serves
    and the public page embeds. `appearance` lists only mentions a person confirmed."""
    rating, group = verdict.rating, verdict.group
    values = [r.value for r in rating.scale.ratings.all() if r.value is not None]
    review_rating = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None and values:
        review_rating.update(ratingValue=rating.value, bestRating=max(values), worstRating=min(values))
    mentions = [c for c in group.claims.all() if mention_is_confirmed(c)]
    articles, seen = [], set()
    for claim in sorted(mentions, key=_first_published):
        if claim.article_id not in seen:
            seen.add(claim.article_id)
            articles.append(claim.article)
    item = {"@type": "Claim"}
    speakers = Counter(c.speaker for c in mentions if c.speaker)
    if speakers:
        item["author"] = {"@type": "Person", "name": speakers.most_common(1)[0][0]}
    if articles:
        item["appearance"] = [_appearance(a) for a in articles]
        item["firstAppearance"] = _appearance(articles[0])
        if articles[0].published_at:
            item["datePublished"] = _date(articles[0].published_at)
    doc = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": verdict_public_url(verdict),
        "claimReviewed": group.label,
        "reviewRating": review_rating,
        "itemReviewed": item,
        "datePublished": _date(verdict.published_at),
        "author": {
            "@type": "Organization",
            "name": settings.WORKBENCH["PUBLISHER_NAME"],
            "url": settings.WORKBENCH["PUBLISHER_URL"],
        },
    }
    # Who wrote it (the reviewer and whoever changed its rating or rationale) and who approved it.
    writers = {verdict.reviewer_id: verdict.reviewer, **{u.pk: u for u in verdict.contributors.all()}}
    doc["contributor"] = [{"@type": "Person", "name": person_name(u)} for _, u in sorted(writers.items())]
    if verdict.approved_by_id:
        doc["editor"] = {"@type": "Person", "name": person_name(verdict.approved_by)}
    if verdict.rationale:
        doc["reviewBody"] = verdict.rationale
    if verdict.corrects_id:
        doc["correction"] = {
            "@type": "CorrectionComment",
            "text": verdict.correction_note,
            "datePublished": _date(verdict.published_at),
        }
    return doc


def web_annotation_jsonld(claim: Claim) -> dict:
    """The claim span as a W3C Web Annotation: a TextQuoteSelector (exact, prefix, suffix) and a
    TextPositionSelector (code points, as the model prescribes) on the article."""
    article = claim.article
    source = article.url or _url("api:article-detail", article.pk, f"/api/v1/articles/{article.pk}/")
    doc = {
        "@context": ANNOTATION_CONTEXT,
        "id": _url("api:claim-annotation", claim.pk, f"/api/v1/claims/{claim.pk}/annotation/"),
        "type": "Annotation",
        "motivation": "highlighting" if claim.status == Claim.Status.CANDIDATE else "assessing",
        "created": _date(claim.created_at),
        "modified": _date(claim.updated_at),
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": claim.claim_type},
            {"type": "TextualBody", "purpose": "classifying", "value": claim.status},
        ],
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": claim.exact, "prefix": claim.prefix, "suffix": claim.suffix},
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if claim.speaker:
        doc["body"].append({"type": "TextualBody", "purpose": "describing", "value": f"speaker: {claim.speaker}"})
    return doc


def verdict_web_annotation_jsonld(verdict: Verdict) -> dict:
    """A verdict as a W3C Web Annotation ("assessing"): the rating and rationale as bodies, every
    mention of the claim (a quote and a position selector on its article) as targets. Pass a
    verdict from factcheck.export.verdicts_for_export (mentions prefetched)."""
    body = [{"type": "TextualBody", "purpose": "classifying", "value": verdict.status}]
    if verdict.rating:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": verdict.rating.label})
    if verdict.rationale:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "value": verdict.rationale, "format": "text/plain"}
        )
    doc = {
        "@context": ANNOTATION_CONTEXT,
        "id": _url("api:verdict-detail", verdict.pk, f"/api/v1/verdicts/{verdict.pk}/"),
        "type": "Annotation",
        "motivation": "assessing",
        "creator": {"type": "Person", "nickname": verdict.reviewer.get_username()},
        "created": _date(verdict.created_at),
        "modified": _date(verdict.updated_at),
        "body": body,
        "target": [
            {
                "source": c.article.url
                or _url("api:article-detail", c.article_id, f"/api/v1/articles/{c.article_id}/"),
                "selector": [
                    {"type": "TextQuoteSelector", "exact": c.exact, "prefix": c.prefix, "suffix": c.suffix},
                    {"type": "TextPositionSelector", "start": c.start, "end": c.end},
                ],
            }
            for c in verdict.group.claims.all()
        ],
    }
    if verdict.published_at:
        doc["generated"] = _date(verdict.published_at)
    return doc
