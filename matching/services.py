"""Cross-linking: claim signatures, candidate retrieval, linking mentions of the same claim into
claim groups, the editors' decisions about links, and the import of past fact-checks.

The group operations themselves (merge, split, move) are factcheck.services.groups; the
functions here call them and record the decision so that re-runs of the matcher respect it.
Rules the matcher keeps:
- a mention an editor placed (grouped_by "human" in a group with other mentions, or moved, merged
  or split by a person) is never moved by the machine;
- a pair an editor called different (rejected suggestion, split, unlink) is never linked again;
- a suggestion is made once per (claim, group); a rejected one is not proposed again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from factcheck.models import Claim, ClaimGroup
from factcheck.services._versioning import versioned_update
from factcheck.services.errors import ConflictError, InvalidInput, require

from .models import ClaimSignature, MatchDecision, MatchSuggestion, PastFactCheck, SignatureTerm
from .scoring import match_score
from .signature import MATCHER_ID, signature_terms, signatures_compute

logger = logging.getLogger(__name__)

QUERY_TERMS = 14  # retrieval keys asked per claim
POSTINGS_PER_TERM = 60  # most recent claims per key
CANDIDATES = 40  # claims scored per new claim
HUMAN_REASONS = ("moved to group", "merged into group", "split from group")


def thresholds() -> tuple[float, float]:
    """(auto-link, suggest) from settings.WORKBENCH."""
    wb = settings.WORKBENCH
    return float(wb.get("MATCH_AUTO_LINK", 0.72)), float(wb.get("MATCH_SUGGEST", 0.5))


def _text_hash(claim: Claim) -> str:
    return hashlib.blake2b(f"{claim.exact}\x00{claim.speaker}\x00{claim.claim_type}".encode(), digest_size=8).hexdigest()


# --- signatures and the index -----------------------------------------------------------------


def claim_signatures_update(*, claims: list[Claim], force: bool = False) -> dict[int, dict]:
    """Signatures of these claims, computing those missing or stale (text, speaker or matcher
    version changed) in one spaCy batch, and rewriting their index terms. Returns {claim id: data}."""
    ids = [c.pk for c in claims]
    existing = {s.claim_id: s for s in ClaimSignature.objects.filter(claim_id__in=ids)}
    out, stale = {}, []
    for claim in claims:
        sig = existing.get(claim.pk)
        if not force and sig and sig.matcher == MATCHER_ID and sig.text_hash == _text_hash(claim):
            out[claim.pk] = sig.data
        else:
            stale.append(claim)
    if not stale:
        return out
    computed = signatures_compute((c.exact, c.speaker, c.claim_type) for c in stale)
    rows, terms = [], []
    for claim, data in zip(stale, computed):
        out[claim.pk] = data
        rows.append(ClaimSignature(claim_id=claim.pk, article_id=claim.article_id, matcher=MATCHER_ID,
                                   text_hash=_text_hash(claim), data=data))
        terms.extend(SignatureTerm(term=t, claim_id=claim.pk, article_id=claim.article_id) for t in signature_terms(data))
    stale_ids = [c.pk for c in stale]
    with transaction.atomic():
        ClaimSignature.objects.filter(claim_id__in=stale_ids).delete()
        SignatureTerm.objects.filter(claim_id__in=stale_ids).delete()
        ClaimSignature.objects.bulk_create(rows, batch_size=500)
        SignatureTerm.objects.bulk_create(terms, batch_size=2000)
    return out


def _query_terms(data: dict) -> list[str]:
    """The keys to look up: composite and quote keys first (rare), then names, numbers, lemmas."""
    terms = signature_terms(data)
    order = {"av": 0, "q:": 1, "vo": 2, "n:": 3, "s:": 4, "e:": 5, "l:": 6}
    return sorted(terms, key=lambda t: order.get(t[:2], 9))[:QUERY_TERMS]


def candidate_claim_ids(*, data: dict, exclude_article_id: int | None, limit: int = CANDIDATES) -> list[int]:
    """Claims sharing the rarest retrieval keys with `data`, best first. One query: for each key at
    most POSTINGS_PER_TERM postings (most recent claims) through the (term, claim) index, so the
    cost does not grow with the number of stored claims."""
    terms = _query_terms(data)
    if not terms:
        return []
    table = SignatureTerm._meta.db_table
    part = (f"SELECT * FROM (SELECT term, claim_id FROM {table} WHERE term = %s AND article_id <> %s "
            f"ORDER BY claim_id DESC LIMIT {POSTINGS_PER_TERM}) AS t{{i}}")
    sql = " UNION ALL ".join(part.format(i=i) for i in range(len(terms)))
    params: list = []
    for term in terms:
        params.extend([term, exclude_article_id or -1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    postings: dict[str, list[int]] = {}
    for term, claim_id in rows:
        postings.setdefault(term, []).append(claim_id)
    scores: dict[int, float] = {}
    for term, claim_ids in postings.items():
        # Rare keys weigh more; a key that filled its quota is common (low weight).
        weight = (3.0 if term[:2] in ("av", "q:", "vo") else 1.0) / (1.0 + len(claim_ids) / 10)
        for claim_id in claim_ids:
            scores[claim_id] = scores.get(claim_id, 0.0) + weight
    return [cid for cid, _ in sorted(scores.items(), key=lambda kv: (-kv[1], -kv[0]))[:limit]]


# --- linking --------------------------------------------------------------------------------


@dataclass
class MatchRunResult:
    linked: list[tuple[int, int]] = field(default_factory=list)  # (claim id, group id)
    suggested: list[tuple[int, int | None, int | None]] = field(default_factory=list)  # (claim, group, target claim)
    skipped: int = 0


def _pinned_ids(claims: list[Claim]) -> set[int]:
    """Claims a person placed in their group: they are never moved by the machine."""
    human = [c for c in claims if c.group_id and c.grouped_by == "human"]
    if not human:
        return set()
    group_sizes = dict(Claim.objects.filter(group_id__in={c.group_id for c in human}).values("group_id")
                       .annotate(n=Count("id")).values_list("group_id", "n"))
    pinned = {c.pk for c in human if group_sizes.get(c.group_id, 0) > 1}
    reasons = Q()
    for reason in HUMAN_REASONS:
        reasons |= Q(history_change_reason__startswith=reason)
    pinned |= set(Claim.history.filter(reasons, id__in=[c.pk for c in human]).values_list("id", flat=True))
    return pinned


def _different_pairs(claim_ids: list[int]) -> set[tuple[int, int]]:
    rows = MatchDecision.objects.filter(Q(claim_a_id__in=claim_ids) | Q(claim_b_id__in=claim_ids),
                                        kind=MatchDecision.Kind.DIFFERENT).values_list("claim_a_id", "claim_b_id")
    return {(a, b) for a, b in rows} | {(b, a) for a, b in rows}


def claims_match(*, article_ids: list[int]) -> MatchRunResult:
    """Compare the claims of these articles with claims of other articles and link the mentions
    of the same claim: above WORKBENCH["MATCH_AUTO_LINK"] into one group, between it and
    WORKBENCH["MATCH_SUGGEST"] as a suggestion for an editor. Idempotent: a re-run changes nothing
    unless claims or decisions changed."""
    auto, suggest = thresholds()
    result = MatchRunResult()
    claims = list(Claim.objects.filter(article_id__in=article_ids).exclude(status=Claim.Status.REJECTED)
                  .order_by("article_id", "start", "id"))
    if not claims:
        return result
    signatures = claim_signatures_update(claims=claims)
    pinned = _pinned_ids(claims)
    for claim in claims:
        claim.refresh_from_db(fields=["group", "grouped_by", "group_score", "version"])  # earlier links in this run
        if claim.pk in pinned or (claim.group_id and claim.grouped_by.startswith(MATCHER_ID.split("/")[0])):
            result.skipped += 1
            continue
        try:
            _match_one(claim, signatures[claim.pk], auto, suggest, result)
        except ConflictError:  # an editor changed the claim meanwhile; the next run sees it
            result.skipped += 1
    return result


def _match_one(claim: Claim, data: dict, auto: float, suggest: float, result: MatchRunResult) -> None:
    candidate_ids = candidate_claim_ids(data=data, exclude_article_id=claim.article_id)
    if not candidate_ids:
        return
    candidates = list(ClaimSignature.objects.filter(claim_id__in=candidate_ids)
                      .exclude(claim__status=Claim.Status.REJECTED)
                      .select_related("claim").only("data", "claim__id", "claim__group_id", "claim__exact",
                                                    "claim__article_id", "claim__grouped_by", "claim__status"))
    different = _different_pairs([claim.pk])
    rejected_groups = set(MatchSuggestion.objects.filter(claim=claim, status=MatchSuggestion.Status.REJECTED)
                          .values_list("group_id", flat=True))
    targets: dict[tuple[str, int], tuple[float, Claim, list[str]]] = {}
    blocked: set[tuple[str, int]] = set()
    for sig in candidates:
        other = sig.claim
        if claim.group_id and other.group_id == claim.group_id:
            continue
        key = ("g", other.group_id) if other.group_id else ("c", other.pk)
        if (claim.pk, other.pk) in different or (key[0] == "g" and key[1] in rejected_groups):
            blocked.add(key)
            continue
        scored = match_score(data, sig.data)
        if scored.veto:
            blocked.add(key)  # one mention of a group contradicting the claim keeps the group away
            continue
        if key not in targets or scored.score > targets[key][0]:
            targets[key] = (scored.score, other, scored.reasons)
    ranked = sorted(((s, k, o, r) for k, (s, o, r) in targets.items() if k not in blocked),
                    key=lambda t: (-t[0], t[1]))
    if not ranked:
        return
    score, key, other, reasons = ranked[0]
    score = round(min(1.0, score), 4)
    if score >= auto and _may_move(claim):
        group = _link(claim, other, score)
        MatchSuggestion.objects.create(claim=claim, group=group, target_claim=other, score=score, reasons=reasons,
                                       status=MatchSuggestion.Status.AUTO, matcher=MATCHER_ID,
                                       auto_link_threshold=auto, suggest_threshold=suggest)
        result.linked.append((claim.pk, group.pk))
    elif score >= suggest or score >= auto:
        group_id = other.group_id
        same_target = Q(target_claim=other) | (Q(group_id=group_id) if group_id else Q(pk__in=[]))
        exists = MatchSuggestion.objects.filter(Q(claim=claim) & same_target | Q(claim=other, target_claim=claim)).exists()
        if not exists:
            MatchSuggestion.objects.create(claim=claim, group_id=group_id, target_claim=other, score=score,
                                           reasons=reasons, matcher=MATCHER_ID, auto_link_threshold=auto,
                                           suggest_threshold=suggest)
            result.suggested.append((claim.pk, group_id, other.pk))


def _may_move(claim: Claim) -> bool:
    """A claim in a group of its own with no verdict or evidence may be moved by the machine."""
    if not claim.group_id:
        return True
    group = ClaimGroup.objects.filter(pk=claim.group_id).annotate(
        n_claims=Count("claims", distinct=True), n_verdicts=Count("verdicts", distinct=True),
        n_evidence=Count("evidence", distinct=True)).first()
    return group is None or (group.n_claims <= 1 and not group.n_verdicts and not group.n_evidence)


@transaction.atomic
def _link(claim: Claim, other: Claim, score: float) -> ClaimGroup:
    """Put `claim` into `other`'s group (creating one for `other` if it has none)."""
    reason = f"linked by {MATCHER_ID} ({score:.2f})"
    old_group_id = claim.group_id
    if other.group_id:
        group = ClaimGroup.objects.get(pk=other.group_id)
    elif old_group_id:  # reuse the claim's own (empty otherwise) group for both
        group = ClaimGroup.objects.get(pk=old_group_id)
        other_fresh = Claim.objects.get(pk=other.pk)
        versioned_update(other_fresh, by=None, version=None, reason=reason,
                         fields={"group": group, "grouped_by": MATCHER_ID, "group_score": score})
        old_group_id = None
    else:
        first = min((claim, other), key=lambda c: c.pk)
        group = ClaimGroup(label=first.exact)
        group._history_user = None
        group.save()
        other_fresh = Claim.objects.get(pk=other.pk)
        versioned_update(other_fresh, by=None, version=None, reason=reason,
                         fields={"group": group, "grouped_by": MATCHER_ID, "group_score": score})
    if claim.group_id != group.pk:
        versioned_update(claim, by=None, version=None, reason=reason,
                         fields={"group": group, "grouped_by": MATCHER_ID, "group_score": score})
    if old_group_id and old_group_id != group.pk:
        old = ClaimGroup.objects.filter(pk=old_group_id).first()
        if old and not (old.claims.exists() or old.evidence.exists() or old.verdicts.exists()):
            old._history_user = None
            old.delete()
    return group


# --- editors' decisions -----------------------------------------------------------------------


def _decide_pairs(pairs: list[tuple[int, int]], *, kind: str, action: str, by, note: str = "") -> None:
    for a, b in pairs:
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        MatchDecision.objects.update_or_create(
            claim_a_id=a, claim_b_id=b,
            defaults={"kind": kind, "action": action, "decided_by": by, "decided_at": timezone.now(), "note": note[:300]},
        )


def _mention_ids(group_id: int | None, *, limit: int = 200) -> list[int]:
    if not group_id:
        return []
    return list(Claim.objects.filter(group_id=group_id).order_by("id").values_list("id", flat=True)[:limit])


@transaction.atomic
def match_suggestion_confirm(*, suggestion: MatchSuggestion, by) -> Claim:
    """The editor agrees: the claim becomes a mention of the suggested group."""
    from factcheck.services.groups import claim_move_to_group

    require(by, "claim.group", "confirm a link between claims")
    suggestion = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status in (MatchSuggestion.Status.CONFIRMED, MatchSuggestion.Status.REJECTED):
        raise InvalidInput(f"This suggestion was already {suggestion.get_status_display().lower()}.")
    claim = Claim.objects.get(pk=suggestion.claim_id)
    group = ClaimGroup.objects.filter(pk=suggestion.group_id).first() if suggestion.group_id else None
    if group is None:
        target = Claim.objects.get(pk=suggestion.target_claim_id)
        if target.group_id:
            group = target.group
        else:
            claim_move_to_group(claim=target, group=None, by=by)
            group = Claim.objects.get(pk=target.pk).group
    claim_move_to_group(claim=claim, group=group, by=by)
    _decide_pairs([(claim.pk, m) for m in _mention_ids(group.pk)], kind=MatchDecision.Kind.SAME,
                  action=MatchDecision.Action.CONFIRM, by=by, note=f"suggestion {suggestion.pk}")
    suggestion.status, suggestion.decided_by, suggestion.decided_at = MatchSuggestion.Status.CONFIRMED, by, timezone.now()
    suggestion.group = group
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "group"])
    return Claim.objects.get(pk=claim.pk)


@transaction.atomic
def match_suggestion_reject(*, suggestion: MatchSuggestion, by) -> MatchSuggestion:
    """The editor disagrees: the pair (and the group) are never proposed again for this claim."""
    require(by, "claim.group", "reject a link between claims")
    suggestion = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == MatchSuggestion.Status.REJECTED:
        return suggestion
    others = set(_mention_ids(suggestion.group_id))
    if suggestion.target_claim_id:
        others.add(suggestion.target_claim_id)
    _decide_pairs([(suggestion.claim_id, m) for m in others], kind=MatchDecision.Kind.DIFFERENT,
                  action=MatchDecision.Action.REJECT, by=by, note=f"suggestion {suggestion.pk}")
    suggestion.status, suggestion.decided_by, suggestion.decided_at = MatchSuggestion.Status.REJECTED, by, timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


@transaction.atomic
def claim_link_confirm(*, claim: Claim, by, version: int | None = None) -> Claim:
    """A person confirms a machine link: this mention is the same claim as its group's others (the
    group's verdict is now *its* verdict, and re-runs of the matcher never move it)."""
    require(by, "claim.group", "confirm a link between claims")
    if not claim.group_id:
        raise InvalidInput("This claim is in no claim group; there is no link to confirm.", field="group")
    if claim.grouped_by == "human":
        return claim
    versioned_update(claim, by=by, version=version, fields={"grouped_by": "human"},
                     reason=f"confirmed as the same claim as group {claim.group_id}")
    others = [m for m in _mention_ids(claim.group_id) if m != claim.pk]
    _decide_pairs([(claim.pk, m) for m in others], kind=MatchDecision.Kind.SAME, action=MatchDecision.Action.CONFIRM,
                  by=by, note=f"link to group {claim.group_id} confirmed")
    MatchSuggestion.objects.filter(claim=claim, group_id=claim.group_id, status=MatchSuggestion.Status.SUGGESTED).update(
        status=MatchSuggestion.Status.CONFIRMED, decided_by=by, decided_at=timezone.now())
    return claim


@transaction.atomic
def claim_link_reject(*, claim: Claim, by) -> Claim:
    """Take a mention out of its group (e.g. a wrong automatic link): it gets a group of its own and
    is never linked with the group's other mentions again."""
    from factcheck.services.groups import claim_move_to_group

    require(by, "claim.group", "unlink a claim")
    claim = Claim.objects.get(pk=claim.pk)
    others = [m for m in _mention_ids(claim.group_id) if m != claim.pk]
    _decide_pairs([(claim.pk, m) for m in others], kind=MatchDecision.Kind.DIFFERENT,
                  action=MatchDecision.Action.UNLINK, by=by, note=f"out of group {claim.group_id}")
    MatchSuggestion.objects.filter(claim=claim, group_id=claim.group_id).exclude(
        status=MatchSuggestion.Status.REJECTED).update(status=MatchSuggestion.Status.REJECTED, decided_by=by,
                                                       decided_at=timezone.now())
    claim_move_to_group(claim=claim, group=None, by=by)
    return Claim.objects.get(pk=claim.pk)


@transaction.atomic
def match_groups_merge(*, target: ClaimGroup, others: list[ClaimGroup], by, version: int | None = None) -> ClaimGroup:
    """factcheck.services.groups.group_merge, with the decision recorded (mentions of the merged
    groups are the same claim)."""
    from factcheck.services.groups import group_merge

    require(by, "claim.group", "merge claim groups")
    target_ids = _mention_ids(target.pk)
    pairs = [(a, b) for other in others if other.pk != target.pk for b in _mention_ids(other.pk, limit=20)
             for a in target_ids[:20]]
    merged = group_merge(target=target, others=others, by=by, version=version)
    _decide_pairs(pairs, kind=MatchDecision.Kind.SAME, action=MatchDecision.Action.MERGE, by=by,
                  note=f"merged into group {target.pk}")
    return merged


@transaction.atomic
def match_group_split(*, group: ClaimGroup, claim_ids: list[int], by, version: int | None = None) -> ClaimGroup:
    """factcheck.services.groups.group_split, with the decision recorded: the split-off mentions are
    never linked with the remaining ones again."""
    from factcheck.services.groups import group_split

    require(by, "claim.group", "split claim groups")
    remaining = [m for m in _mention_ids(group.pk, limit=1000) if m not in set(claim_ids)]
    new = group_split(group=group, claim_ids=claim_ids, by=by, version=version)
    _decide_pairs([(a, b) for a in claim_ids for b in remaining[:200]], kind=MatchDecision.Kind.DIFFERENT,
                  action=MatchDecision.Action.SPLIT, by=by, note=f"split from group {group.pk} into {new.pk}")
    return new


# --- past fact-checks -----------------------------------------------------------------------


@dataclass
class FactCheckImportResult:
    created: int = 0
    updated: int = 0
    failed: list[str] = field(default_factory=list)


FACT_CHECK_FIELDS = ["claim_text", "title", "subtitle", "rating", "url", "publisher", "author", "claimant", "published",
                     "language"]


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _name(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("alternateName") or "")
    return str(value or "")


def _parse_day(value):
    if not value:
        return None
    value = str(value).strip()
    parsed = parse_datetime(value)
    if parsed:
        return parsed.date()
    try:
        parsed_day = parse_date(value[:10])
    except ValueError:
        parsed_day = None
    if parsed_day:
        return parsed_day
    from .retrieval import parse_date as parse_printed

    return parse_printed(value)


def claimreview_to_fields(obj: dict) -> dict:
    """schema.org ClaimReview (JSON-LD) → PastFactCheck fields."""
    item = _first(obj.get("itemReviewed")) or {}
    rating = _first(obj.get("reviewRating")) or {}
    claim_text = str(obj.get("claimReviewed") or (item.get("name") if isinstance(item, dict) else "") or "").strip()
    url = str(obj.get("url") or "").strip()
    return {
        "claim_text": claim_text,
        "title": str(obj.get("name") or obj.get("headline") or "")[:1000],
        "rating": str((rating.get("alternateName") or rating.get("name") or rating.get("ratingValue") or "")
                      if isinstance(rating, dict) else rating or "")[:200],
        "url": url[:2000],
        "publisher": _name(obj.get("author") or obj.get("publisher"))[:300],
        "claimant": _name(item.get("author") if isinstance(item, dict) else "")[:300],
        "published": _parse_day(obj.get("datePublished")),
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
        "published": _parse_day(obj.get("date")),
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
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, exc


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
            if not isinstance(obj, dict):
                result.failed.append(f"{where}: not a JSON object ({obj})")
                continue
            types = obj.get("@type")
            if "vclaim" in obj:
                fields, source = clef_vclaim_to_fields(obj), dataset or "clef2022-2a"
            elif types == "ClaimReview" or (isinstance(types, list) and "ClaimReview" in types) or "claimReviewed" in obj:
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
                existing.update({(source, row.external_id): row
                                 for row in PastFactCheck.objects.filter(dataset=source, external_id__in=ids)})
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
    return result
