"""Reads for the web UI's pages. Every function here makes a fixed number of queries, whatever the
number of rows (the page tests pin those counts)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, Outlet
from factcheck.claimreview import confirmed_mention_q, mention_is_confirmed, mention_is_machine_linked
from factcheck.models import Claim, ClaimGroup, Evidence, Rating, Source, Verdict
from factcheck.selectors import speaker_q

# --- claims as the article view's script sees them ---------------------------------------------

_PAYLOAD_FIELDS = (
    "id",
    "article_id",
    "start",
    "end",
    "status",
    "origin",
    "claim_type",
    "checkworthiness",
    "speaker",
    "speaker_role",
    "is_anonymous_source",
    "person_id",
    "version",
    "group_id",
    "anchor_status",
    "edited",
    "assigned_to__username",
    "grouped_by",
)
_TYPE_LABELS = dict(Claim.Type.choices)


def _published_verdicts() -> QuerySet:
    return Verdict.objects.filter(group=OuterRef("group"), status=Verdict.Status.PUBLISHED)


def claims_payload(*, claims: QuerySet) -> list[dict]:
    """The JSON the article script works from: {id, start, end, status, origin, type, score, speaker,
    anonymous, version, ...}. Offsets are code points. One query (the published verdict of the
    claim's group comes from a subquery)."""
    rows = (
        claims.order_by("start", "end", "id")
        .annotate(
            verdict_label=Subquery(_published_verdicts().values("rating__label")[:1]),
            verdict_id=Subquery(_published_verdicts().values("id")[:1]),
            verdict_date=Subquery(_published_verdicts().values("published_at")[:1]),
        )
        .values(*_PAYLOAD_FIELDS, "verdict_label", "verdict_id", "verdict_date")
    )
    return [
        {
            "id": r["id"],
            "article": r["article_id"],
            "start": r["start"],
            "end": r["end"],
            "status": r["status"],
            "origin": r["origin"],
            "type": r["claim_type"],
            "type_label": _TYPE_LABELS.get(r["claim_type"], r["claim_type"]),
            "score": r["checkworthiness"],
            "speaker": r["speaker"],
            "speaker_role": r["speaker_role"],
            "person": r["person_id"],
            "anonymous": r["is_anonymous_source"],
            "version": r["version"],
            "group": r["group_id"],
            "anchor": r["anchor_status"],
            "edited": r["edited"],
            "assignee": r["assigned_to__username"] or "",
            # confirmed: a person accepted this mention as the claim; else "possibly the same claim"
            "verdict": {
                "id": r["verdict_id"],
                "label": r["verdict_label"],
                "date": date_format(timezone.localtime(r["verdict_date"]), "j M Y") if r["verdict_date"] else "",
                "confirmed": mention_is_confirmed(Claim(grouped_by=r["grouped_by"], status=r["status"])),
            }
            if r["verdict_id"]
            else None,
            "machine_linked": mention_is_machine_linked(Claim(grouped_by=r["grouped_by"])),
        }
        for r in rows
    ]


def claim_payload(*, claim_id: int) -> dict | None:
    rows = claims_payload(claims=Claim.objects.filter(id=claim_id))
    return rows[0] if rows else None


def article_for_view(*, article_id: int) -> Article:
    return Article.objects.select_related("outlet", "source").get(id=article_id)


# --- work queue --------------------------------------------------------------------------------


@dataclass
class QueueFilters:
    outlet: Outlet | None = None
    date_from: date | None = None
    date_to: date | None = None
    claim_type: str = ""
    min_score: float | None = None
    status: str = ""
    assigned_to_me: bool = False
    q: str = ""
    speaker: str = ""  # the words of the article or any alias of the person (_speaker_filter)
    threshold: float = 0.5  # the configured check-worthiness threshold (ranks the article queue)


def _claim_filter(filters: QueueFilters, *, prefix: str = "") -> Q:
    """The claim conditions of a filter, optionally seen from a related model (prefix "claims__")."""
    q = Q()
    if filters.claim_type:
        q &= Q(**{f"{prefix}claim_type": filters.claim_type})
    if filters.min_score is not None:
        q &= Q(**{f"{prefix}checkworthiness__gte": filters.min_score})
    return q & _speaker_filter(filters, prefix=prefix)


def _speaker_filter(filters: QueueFilters, *, prefix: str = "") -> Q:
    """People: a speaker filter finds the person by any alias (factcheck.selectors.speaker_q)."""
    return speaker_q(filters.speaker, prefix=prefix) if filters.speaker else Q()


def _article_filter(filters: QueueFilters, *, prefix: str = "") -> Q:
    q = Q()
    if filters.outlet:
        q &= Q(**{f"{prefix}outlet": filters.outlet})
    if filters.date_from:
        q &= Q(**{f"{prefix}published_at__date__gte": filters.date_from})
    if filters.date_to:
        q &= Q(**{f"{prefix}published_at__date__lte": filters.date_to})
    if filters.q:
        q &= Q(**{f"{prefix}headline__icontains": filters.q})
    return q


def queue_articles(*, filters: QueueFilters) -> QuerySet[Article]:
    """Articles with their claim counts; by default only those with undecided candidates. Ranked
    by the number of undecided candidates at or above the check-worthiness threshold, then by
    the best score, then by the number of undecided candidates the filter shows."""
    undecided = Q(claims__status=Claim.Status.CANDIDATE) & _claim_filter(filters, prefix="claims__")
    qs = (
        Article.objects.filter(_article_filter(filters))
        .select_related("outlet")
        .defer("body")
        .annotate(
            undecided=Count("claims", filter=undecided, distinct=True),
            accepted=Count("claims", filter=Q(claims__status=Claim.Status.ACCEPTED), distinct=True),
            top_score=Max("claims__checkworthiness", filter=undecided),
            worthy=Count("claims", filter=undecided & Q(claims__checkworthiness__gte=filters.threshold), distinct=True),
        )
    )
    if filters.status in ("", Claim.Status.CANDIDATE):
        qs = qs.filter(undecided__gt=0)
    elif filters.status == Claim.Status.ACCEPTED:
        qs = qs.filter(accepted__gt=0)
    return qs.order_by("-worthy", F("top_score").desc(nulls_last=True), "-undecided", "-published_at", "-id")


def queue_claims(*, filters: QueueFilters, user) -> QuerySet[Claim]:
    qs = Claim.objects.filter(_claim_filter(filters) & _article_filter(filters, prefix="article__")).exclude(
        anchor_status=Claim.Anchor.ORPHAN
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.assigned_to_me:
        qs = qs.filter(assigned_to=user)
    return (
        qs.select_related("article__outlet", "assigned_to", "group", "person")
        .defer("article__body")
        .annotate(verdict_label=Subquery(_published_verdicts().values("rating__label")[:1]))
        .order_by("-checkworthiness", "article_id", "start", "id")
    )


def queue_verdicts(*, filters: QueueFilters, user) -> QuerySet[Verdict]:
    """The verdicts (not drafts) on the claim groups of the claims a queue filter shows."""
    groups = queue_claims(filters=filters, user=user).exclude(group=None).values("group_id")
    return Verdict.objects.filter(group_id__in=groups).exclude(status=Verdict.Status.DRAFT)


def queue_counts(*, user) -> dict[str, int]:
    """The numbers on the queue's tabs, in one query."""
    return Claim.objects.aggregate(
        undecided=Count("id", filter=Q(status=Claim.Status.CANDIDATE)),
        assigned=Count("id", filter=Q(assigned_to=user) & ~Q(status=Claim.Status.REJECTED)),
    )


# --- claim groups --------------------------------------------------------------------------------


def group_for_view(*, group_id: int) -> ClaimGroup:
    """A group with its mentions (article and outlet), evidence (with sources) and verdicts (with
    the people and ratings involved, and who wrote them): six queries in all."""
    return ClaimGroup.objects.prefetch_related(
        Prefetch(
            "claims",
            queryset=Claim.objects.select_related("article__outlet", "assigned_to", "decided_by").order_by(
                "article__published_at", "article_id", "start"
            ),
        ),
        Prefetch("evidence", queryset=Evidence.objects.select_related("source", "added_by")),
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.select_related(
                "rating", "rating__scale", "reviewer", "approved_by", "published_by", "corrects"
            )
            .prefetch_related("contributors")
            .order_by("-created_at", "-id"),
        ),
    ).get(id=group_id)


def group_statement_history(*, group: ClaimGroup) -> list:
    """Each claim statement the group had, newest first, with who set it and when (one query)."""
    records = list(
        ClaimGroup.history.filter(id=group.id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .only("label", "history_date", "history_user__username", "history_change_reason")
    )
    shown, last = [], None
    for rec in records:
        if rec.label != last:
            shown.append(rec)
            last = rec.label
    return shown[::-1]


def mention_context(*, claim: Claim, body: str, width: int = 220) -> dict:
    """The sentence (or a window) around a mention, split so a template can mark the span."""
    start = claim.sentence_start if claim.sentence_start is not None and claim.sentence_start <= claim.start else None
    end = claim.sentence_end if claim.sentence_end is not None and claim.sentence_end >= claim.end else None
    if start is None:  # a window around the span, within its paragraph, starting at a word
        start = max(0, claim.start - width // 2, body.rfind("\n", 0, claim.start) + 1)
        if start > 0 and body[start - 1] != "\n":
            cut = body.find(" ", start, claim.start)
            start = cut + 1 if cut != -1 else start
    if end is None:
        paragraph_end = body.find("\n", claim.end)
        end = min(len(body), claim.end + width // 2, paragraph_end if paragraph_end != -1 else len(body))
        if end < len(body) and body[end] != "\n":
            cut = body.rfind(" ", claim.end, end)
            end = cut if cut != -1 else end
    if claim.anchor_status == Claim.Anchor.ORPHAN or body[claim.start : claim.end] != claim.exact:
        return {
            "before": claim.prefix,
            "span": claim.exact,
            "after": claim.suffix,
            "cut_before": True,
            "cut_after": True,
        }
    return {
        "before": body[start : claim.start],
        "span": body[claim.start : claim.end],
        "after": body[claim.end : end],
        "cut_before": start > 0 and body[start - 1] not in "\n",
        "cut_after": end < len(body) and body[end : end + 1] not in ("\n", ""),
    }


def ratings_for_verdicts() -> list[Rating]:
    """The default scale's ratings (all ratings when no scale is marked default)."""
    ratings = list(Rating.objects.filter(scale__is_default=True).order_by("order"))
    return ratings or list(Rating.objects.select_related("scale").order_by("scale_id", "order"))


def assignable_users() -> QuerySet:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=["admin", "editor", "reviewer"])
        .distinct()
        .order_by("username")
    )


# --- audit history -------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str  # e.g. "Mention in Harbour Courier"
    action: str  # created / changed / deleted
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    note: str = ""


_HISTORY_FIELDS = {
    "claim": ["status", "claim_type", "speaker", "is_anonymous_source", "group_id", "assigned_to_id", "start", "end"],
    "group": ["label"],
    "verdict": [
        "status",
        "agreement",
        "rating_id",
        "rationale",
        "correction_note",
        "approved_by_id",
        "published_by_id",
    ],
    "evidence": ["relation", "quoted_passage", "source_id"],
}
_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def group_history(
    *, group: ClaimGroup, limit: int = 300, hidden_verdicts: frozenset[int] | set[int] = frozenset()
) -> list[HistoryEntry]:
    """Who changed what and when, for the group, its mentions, verdicts and evidence, newest first
    (four queries plus one for the names of people and ratings referred to). The rating and
    rationale of `hidden_verdicts` (double review, still blind for this reader) are left out."""
    claim_ids = [c.id for c in group.claims.all()]
    outlets = {
        c.id: (c.article.outlet.name if c.article.outlet else c.article.headline[:40]) for c in group.claims.all()
    }
    streams = [
        ("claim", Claim.history.filter(id__in=claim_ids)),
        ("group", ClaimGroup.history.filter(id=group.id)),
        ("verdict", Verdict.history.filter(group_id=group.id)),
        ("evidence", Evidence.history.filter(group_id=group.id)),
    ]
    raw = []
    user_ids: set[int] = set()
    rating_ids: set[int] = set()
    source_ids: set[int] = set()
    for kind, qs in streams:
        records = list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        previous: dict[int, Any] = {}
        for rec in records:
            before = previous.get(rec.id)
            fields = _HISTORY_FIELDS[kind]
            if kind == "verdict" and rec.id in hidden_verdicts:
                fields = [name for name in fields if name not in ("rating_id", "rationale")]
            changes = []
            if before is not None:
                delta = rec.diff_against(before, included_fields=[name.removesuffix("_id") for name in fields])
                by_field = {(c.field if c.field in fields else f"{c.field}_id"): c for c in delta.changes}
                changes = [(name, by_field[name].old, by_field[name].new) for name in fields if name in by_field]
            elif rec.history_type == "+":
                changes = [
                    (name, "", getattr(rec, name))
                    for name in fields
                    if name not in ("start", "end") and getattr(rec, name) not in (None, "", False)
                ]
            for name, old, new in changes:
                if name in ("assigned_to_id", "approved_by_id", "published_by_id"):
                    user_ids.update(v for v in (old, new) if v)
                elif name == "rating_id":
                    rating_ids.update(v for v in (old, new) if v)
                elif name == "source_id":
                    source_ids.update(v for v in (old, new) if v)
            previous[rec.id] = rec
            if rec.history_type == "~" and not changes:
                continue
            raw.append((kind, rec, changes))
    names = _names(user_ids, rating_ids, source_ids)
    entries = []
    for kind, rec, changes in raw:
        if kind == "claim":
            what = f"Mention in {outlets.get(rec.id, 'another article')}"
        elif kind == "verdict":
            what = f"Verdict #{rec.id}"
        elif kind == "evidence":
            what = "Evidence"
        else:
            what = "Claim group"
        shown = []
        for name, old, new in changes:
            label = name.removesuffix("_id").replace("_", " ")
            before = "" if rec.history_type == "+" else _shown(name, old, names)
            shown.append((label, before, _shown(name, new, names)))
        entries.append(
            HistoryEntry(
                when=rec.history_date,
                who=rec.history_user.get_username() if rec.history_user else "system",
                what=what,
                action=_ACTIONS.get(rec.history_type, rec.history_type),
                changes=shown,
                note=rec.history_change_reason or "",
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _names(user_ids, rating_ids, source_ids) -> dict[tuple[str, int], str]:
    from django.contrib.auth import get_user_model

    names = {}
    if user_ids:
        names.update(
            {
                ("user", pk): n
                for pk, n in get_user_model().objects.filter(id__in=user_ids).values_list("id", "username")
            }
        )
    if rating_ids:
        names.update(
            {("rating", pk): n for pk, n in Rating.objects.filter(id__in=rating_ids).values_list("id", "label")}
        )
    if source_ids:
        for pk, title, url in Source.objects.filter(id__in=source_ids).values_list("id", "title", "url"):
            names[("source", pk)] = title or url
    return names


def _shown(name: str, value, names) -> str:
    if value in (None, ""):
        return "—"
    if name in ("assigned_to_id", "approved_by_id", "published_by_id"):
        return names.get(("user", value), f"user {value}")
    if name == "rating_id":
        return names.get(("rating", value), f"rating {value}")
    if name == "source_id":
        return names.get(("source", value), f"source {value}")
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


# --- sources -------------------------------------------------------------------------------------


def source_for_view(*, source_id: int) -> Source:
    return Source.objects.prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("group", "added_by").annotate(
                verdict_label=Subquery(
                    Verdict.objects.filter(group=OuterRef("group"), status=Verdict.Status.PUBLISHED).values(
                        "rating__label"
                    )[:1]
                ),
                mentions=Count("group__claims", distinct=True),
            ),
        )
    ).get(id=source_id)


def sources_list(*, q: str = "") -> QuerySet[Source]:
    qs = Source.objects.annotate(uses=Count("evidence", distinct=True))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(url__icontains=q) | Q(publisher__icontains=q))
    return qs.order_by("-created_at", "-id")


def sources_recent(*, limit: int = 200) -> list[Source]:
    return list(Source.objects.only("id", "url", "title", "publisher").order_by("-created_at", "-id")[:limit])


# --- search --------------------------------------------------------------------------------------


def search_scope(
    *,
    outlet: Outlet | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    claim_type: str = "",
    status: str = "",
    speaker: str = "",
    verdict: str = "",
    claim_filtered: bool = False,
) -> tuple[QuerySet[Article], QuerySet[Claim]]:
    """What the search page searches: articles and claims under its filters (outlet, publication
    date, claim type, status — rejected claims only when asked —, speaker, verdict: "none",
    "published" or a rating id). With claim filters, only articles with such a claim."""
    claims = Claim.objects.all()
    articles = Article.objects.all()
    if outlet:
        articles, claims = articles.filter(outlet=outlet), claims.filter(article__outlet=outlet)
    if date_from:
        articles = articles.filter(published_at__date__gte=date_from)
        claims = claims.filter(article__published_at__date__gte=date_from)
    if date_to:
        articles = articles.filter(published_at__date__lte=date_to)
        claims = claims.filter(article__published_at__date__lte=date_to)
    if claim_type:
        claims = claims.filter(claim_type=claim_type)
    if status == "any":
        pass
    elif status:
        claims = claims.filter(status=status)
    else:
        claims = claims.exclude(status=Claim.Status.REJECTED)
    if speaker:
        claims = claims.filter(speaker_q(speaker))
    published = Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
    if verdict == "none":
        claims = claims.exclude(group__in=published.values("group_id"))
    elif verdict == "published":
        claims = claims.filter(group__in=published.values("group_id"))
    elif verdict.isdigit():
        claims = claims.filter(group__in=published.filter(rating_id=int(verdict)).values("group_id"))
    if claim_filtered:
        articles = articles.filter(id__in=claims.values("article_id"))
    claims = (
        claims.select_related("article__outlet")
        .defer("article__body")
        .annotate(verdict_label=Subquery(_published_verdicts().values("rating__label")[:1]))
    )
    return articles, claims


# --- dashboard -----------------------------------------------------------------------------------

NO_OUTLET = "(no outlet)"


def dashboard_stats(*, days: int = 14) -> dict:
    """Counts for the dashboard's charts: seven aggregate queries (and the rating scale)."""
    claims_by_outlet: dict[str, dict[str, int]] = defaultdict(dict)
    for row in Claim.objects.values("article__outlet__name", "status").annotate(n=Count("id")).order_by():
        claims_by_outlet[row["article__outlet__name"] or NO_OUTLET][row["status"]] = row["n"]

    verdicts_by_outlet: dict[str, dict[str, int]] = defaultdict(dict)
    rating_order: dict[str, int] = {}
    rows = (
        # a verdict counts on the mentions a person confirmed, not on undecided machine links
        Claim.objects.filter(confirmed_mention_q(), group__verdicts__status=Verdict.Status.PUBLISHED)
        .values("article__outlet__name", "group__verdicts__rating__label", "group__verdicts__rating__order")
        .annotate(n=Count("group", distinct=True))
        .order_by()
    )
    for rated in rows:
        label = rated["group__verdicts__rating__label"] or "unrated"
        rating_order[label] = rated["group__verdicts__rating__order"] or 0
        verdicts_by_outlet[rated["article__outlet__name"] or NO_OUTLET][label] = rated["n"]

    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    day_list = [since + timedelta(days=i) for i in range(days)]
    decided: defaultdict[date, dict[str, int]] = defaultdict(dict)
    for by_day in (
        Claim.objects.filter(decided_at__date__gte=since)
        .annotate(day=TruncDate("decided_at"))
        .values("day", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        decided[by_day["day"]][by_day["status"]] = by_day["n"]
    published: defaultdict[date, dict[str, int]] = defaultdict(dict)
    for published_day in (
        Verdict.objects.filter(published_at__date__gte=since)
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    ):
        published[published_day["day"]]["published"] = published_day["n"]

    totals = Claim.objects.aggregate(
        undecided=Count("id", filter=Q(status=Claim.Status.CANDIDATE)),
        accepted=Count("id", filter=Q(status=Claim.Status.ACCEPTED)),
        rejected=Count("id", filter=Q(status=Claim.Status.REJECTED)),
    )
    totals.update(
        Verdict.objects.aggregate(
            drafts=Count("id", filter=Q(status=Verdict.Status.DRAFT)),
            awaiting_approval=Count("id", filter=Q(status=Verdict.Status.SUBMITTED)),
            awaiting_publication=Count("id", filter=Q(status=Verdict.Status.APPROVED)),
            # double review: both reviews of a disagreement wait for an editor's decision
            escalated_reviews=Count(
                "id", filter=Q(status=Verdict.Status.SUBMITTED, agreement=Verdict.Agreement.ESCALATED)
            ),
            published=Count("id", filter=Q(status=Verdict.Status.PUBLISHED)),
        )
    )
    totals["escalated"] = totals.pop("escalated_reviews") // 2
    # machine-linked mentions of checked claims: "possibly the same claim", not counted as checked
    totals["possibly_checked"] = (
        Claim.objects.exclude(confirmed_mention_q())
        .exclude(status=Claim.Status.REJECTED)
        .filter(group__verdicts__status=Verdict.Status.PUBLISHED)
        .count()
    )
    return {
        "claims_by_outlet": dict(claims_by_outlet),
        "verdicts_by_outlet": dict(verdicts_by_outlet),
        # Every rating of the scale, worst first, so a rating keeps its colour whatever is published.
        "rating_labels": list(
            dict.fromkeys(
                [r.label for r in ratings_for_verdicts()] + sorted(rating_order, key=lambda label: rating_order[label])
            )
        ),
        "days": day_list,
        "decided_by_day": {d: decided.get(d, {}) for d in day_list},
        "published_by_day": {d: published.get(d, {}) for d in day_list},
        "totals": totals,
        "threshold": settings.WORKBENCH["CHECKWORTHY_THRESHOLD"],
    }


# --- match suggestions (the matching app's proposals, decided by editors) ----------------------


def match_suggestions_pending() -> QuerySet:
    """Open suggestions, best first, with both claims' articles and outlets and the groups
    involved: one query for any number of rows."""
    from matching.selectors import match_suggestion_list

    return match_suggestion_list().select_related("claim__group", "target_claim__group").order_by("-score", "id")


def match_suggestions_pending_count() -> int:
    from matching.models import MatchSuggestion

    return MatchSuggestion.objects.filter(status=MatchSuggestion.Status.SUGGESTED).count()


def group_match_suggestions(*, group: ClaimGroup, limit: int = 100) -> list:
    """Open suggestions about this group, in one query: those for one of its mentions (the mention
    would move to another group) and those pointing at it (another claim would join it). Each row
    gets `.incoming` (True: the claim would join this group) and `.other_group` (the other group
    involved, or None)."""
    rows = list(
        match_suggestions_pending().filter(Q(group=group) | Q(claim__group=group) | Q(target_claim__group=group))[
            :limit
        ]
    )
    for row in rows:
        row.incoming = row.claim.group_id != group.pk
        if row.incoming:
            row.other_group = row.claim.group
        else:
            row.other_group = row.group or (row.target_claim.group if row.target_claim_id else None)
        if row.other_group is not None and row.other_group.pk == group.pk:
            row.other_group = None
    return rows


def groups_matching_label(*, q: str, exclude_id: int, limit: int = 6) -> list[ClaimGroup]:
    """Claim groups whose label contains q (for "merge by label"), newest first."""
    return list(
        ClaimGroup.objects.filter(label__icontains=q).exclude(pk=exclude_id).order_by("-created_at", "-id")[:limit]
    )
