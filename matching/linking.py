"""Cross-linking: claim signatures and embeddings, indexed candidate retrieval, and linking the
mentions of the same claim into claim groups. The public entry point is
`matching.services.claims_match`; editors' decisions are in matching/services.py.

Rules the matcher keeps:
- a mention an editor placed (grouped_by "human" in a group with other mentions, or moved, merged
  or split by a person) is never moved by the machine;
- a pair an editor called different (rejected suggestion, split, unlink) is never linked again;
- a suggestion is made once per (claim, group); a rejected one is not proposed again;
- a group already holding an overlapping claim of the same article (a clause inside a sentence
  claim) is not joined by the other one: one article, one mention per group at that place.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q

from core.errors import ConflictError
from core.versioning import versioned_update
from factcheck.models import Claim, ClaimGroup

from . import semantic
from .models import ClaimSignature, MatchDecision, MatchSuggestion, SignatureTerm, SignatureTermCount
from .signature import MATCHER_ID, MATCHER_NAME, signature_terms, signatures_compute

QUERY_TERMS = 40  # retrieval keys asked per claim (LSH buckets first, then the rarest others)
POSTINGS_CAP = 400  # a key with more postings than this is too common to retrieve by
CANDIDATES = 60  # claims whose embeddings are compared per new claim
RERANK = 8  # best of those (by cosine) scored by the cross-encoder and the decision
HUMAN_REASONS = ("moved to group", "merged into group", "split from group")
MAX_PASSES = 3  # passes over a run's claims (see claims_match)
GROUP_EVIDENCE = 2  # a claim close to mentions of a group in this many other articles joins it
MIN_WORDS = 4  # a fragment ("further invasion") states nothing checkable on its own: it is not matched

# Random-hyperplane LSH over the sentence embeddings: TABLES keys of BITS bits per claim, stored in
# the same inverted index as the lexical keys, so semantic retrieval is an index lookup too.
LSH_TABLES, LSH_BITS = 16, 8
_PLANES = np.random.RandomState(20261201).standard_normal((LSH_TABLES * LSH_BITS, 384)).astype(np.float32)


def thresholds() -> tuple[float, float]:
    """(auto-link, suggest): settings.WORKBENCH MATCH_AUTO_LINK / MATCH_SUGGEST when set, otherwise
    the thresholds chosen on held-out data with the decision model (matching/data/decision.json)."""
    wb, model = settings.WORKBENCH, semantic.decision()
    auto = wb.get("MATCH_AUTO_LINK")
    suggest = wb.get("MATCH_SUGGEST")
    return (float(model.auto if auto is None else auto), float(model.suggest_at if suggest is None else suggest))


def same_threshold() -> float:
    """Compare's `same`: settings.WORKBENCH MATCH_SUGGEST when set, otherwise the decision's
    accuracy-optimal threshold (more likely the same claim than not)."""
    suggest = settings.WORKBENCH.get("MATCH_SUGGEST")
    return float(semantic.decision().same if suggest is None else suggest)


def lsh_terms(vector: np.ndarray) -> list[str]:
    bits = (_PLANES @ np.asarray(vector, dtype=np.float32)) > 0
    out = []
    for table in range(LSH_TABLES):
        chunk = bits[table * LSH_BITS : (table + 1) * LSH_BITS]
        out.append(f"h{table}:{int(sum(1 << i for i, b in enumerate(chunk) if b)):02x}")
    return out


def claim_terms(data: dict) -> list[str]:
    """All retrieval keys of a signature: LSH buckets of its embedding, then the lexical keys."""
    lsh = lsh_terms(semantic.vector_unpack(data["emb"])) if data.get("emb") else []
    return lsh + signature_terms(data)


def _text_hash(claim: Claim) -> str:
    return hashlib.blake2b(
        f"{claim.exact}\x00{claim.speaker}\x00{claim.claim_type}".encode(), digest_size=8
    ).hexdigest()


def claim_signatures_update(*, claims: list[Claim], force: bool = False) -> dict[int, dict]:
    """Signatures (with embeddings) of these claims, computing those missing or stale (text,
    speaker or matcher version changed) in one spaCy batch and one encoder batch, and rewriting
    their index keys. Returns {claim id: data}."""
    ids = [c.pk for c in claims]
    existing = {s.claim_id: s for s in ClaimSignature.objects.filter(claim_id__in=ids)}
    out, stale = {}, []
    for claim in claims:
        sig = existing.get(claim.pk)
        if not force and sig and sig.matcher == MATCHER_ID and sig.text_hash == _text_hash(claim) and "emb" in sig.data:
            out[claim.pk] = sig.data
        else:
            stale.append(claim)
    if not stale:
        return out
    computed = signatures_compute((c.exact, c.speaker, c.claim_type) for c in stale)
    semantic.signatures_embed(computed, [c.exact for c in stale])
    rows: list = []
    terms: list[SignatureTerm] = []
    for claim, data in zip(stale, computed):
        out[claim.pk] = data
        rows.append(
            ClaimSignature(
                claim_id=claim.pk,
                article_id=claim.article_id,
                matcher=MATCHER_ID,
                text_hash=_text_hash(claim),
                data=data,
            )
        )
        terms.extend(SignatureTerm(term=t, claim_id=claim.pk, article_id=claim.article_id) for t in claim_terms(data))
    stale_ids = [c.pk for c in stale]
    with transaction.atomic():
        old_terms = list(SignatureTerm.objects.filter(claim_id__in=stale_ids).values_list("term", flat=True))
        ClaimSignature.objects.filter(claim_id__in=stale_ids).delete()
        SignatureTerm.objects.filter(claim_id__in=stale_ids).delete()
        ClaimSignature.objects.bulk_create(rows, batch_size=500)
        SignatureTerm.objects.bulk_create(terms, batch_size=2000)
        term_counts_update(added=[t.term for t in terms], removed=old_terms)
    return out


def term_counts_update(*, added: list[str], removed: list[str]) -> None:
    """Keep SignatureTermCount in step with SignatureTerm: atomic increments (F expressions), one
    UPDATE per distinct change, so concurrent workers do not lose counts."""
    from collections import Counter

    from django.db.models import F

    delta = Counter(added)
    delta.subtract(Counter(removed))
    SignatureTermCount.objects.bulk_create(
        [SignatureTermCount(term=t, postings=0) for t in delta if delta[t] > 0], batch_size=2000, ignore_conflicts=True
    )
    by_change: dict[int, list[str]] = {}
    for term, change in delta.items():
        if change:
            by_change.setdefault(change, []).append(term)
    for change, changed in by_change.items():
        for start in range(0, len(changed), 500):
            SignatureTermCount.objects.filter(term__in=changed[start : start + 500]).update(
                postings=F("postings") + change
            )


def _query_terms(data: dict) -> list[str]:
    """LSH keys, then composite and quote keys (rare), names, numbers, lemmas."""
    order = {"h": 0, "av": 1, "q:": 1, "vo": 2, "n:": 3, "s:": 4, "e:": 4, "l:": 6}
    terms = claim_terms(data)
    return sorted(terms, key=lambda t: order.get(t[:1] if t[0] == "h" else t[:2], 9))[:QUERY_TERMS]


def candidate_claim_ids(*, data: dict, exclude_article_id: int | None, limit: int = CANDIDATES) -> list[int]:
    """Claims sharing retrieval keys with `data`, best first. Two indexed queries: the keys'
    counts (SignatureTermCount, by primary key), then the postings of the rare keys only — each
    read in full (old claims are found as well as new ones), while a key held by more than
    POSTINGS_CAP claims is too common to tell anything and is not read at all. The cost is bounded
    by QUERY_TERMS × POSTINGS_CAP rows, not by the number of stored claims."""
    terms = _query_terms(data)
    if not terms:
        return []
    counts = dict(SignatureTermCount.objects.filter(term__in=terms).values_list("term", "postings"))
    terms = [t for t in terms if 0 < counts.get(t, 0) <= POSTINGS_CAP]
    if not terms:
        return []
    table = SignatureTerm._meta.db_table
    part = (
        f"SELECT * FROM (SELECT term, claim_id FROM {table} WHERE term = %s AND article_id <> %s "
        f"LIMIT {POSTINGS_CAP + 1}) AS t{{i}}"
    )
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
        if len(claim_ids) > POSTINGS_CAP:
            continue
        weight = math.log(1.0 + POSTINGS_CAP / len(claim_ids)) * (1.5 if term[0] != "h" and term[:2] != "l:" else 1.0)
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
    group_sizes = dict(
        Claim.objects.filter(group_id__in={c.group_id for c in human})
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    pinned = {c.pk for c in human if c.group_id and group_sizes.get(c.group_id, 0) > 1}
    reasons = Q()
    for reason in HUMAN_REASONS:
        reasons |= Q(history_change_reason__startswith=reason)
    pinned |= set(Claim.history.filter(reasons, id__in=[c.pk for c in human]).values_list("id", flat=True))
    return pinned


def _different_pairs(claim_ids: list[int]) -> set[tuple[int, int]]:
    rows = MatchDecision.objects.filter(
        Q(claim_a_id__in=claim_ids) | Q(claim_b_id__in=claim_ids), kind=MatchDecision.Kind.DIFFERENT
    ).values_list("claim_a_id", "claim_b_id")
    return {(a, b) for a, b in rows} | {(b, a) for a, b in rows}


def claims_match(*, article_ids: list[int]) -> MatchRunResult:
    """Compare the claims of these articles with claims of other articles and link the mentions
    of the same claim: at or above the auto-link threshold into one group, between the suggest
    threshold and it as a suggestion for an editor. Idempotent: a re-run changes nothing unless
    claims or decisions changed."""
    auto, suggest = thresholds()
    result = MatchRunResult()
    claims = list(
        Claim.objects.filter(article_id__in=article_ids)
        .exclude(status=Claim.Status.REJECTED)
        .order_by("article_id", "start", "id")
    )
    if not claims:
        return result
    signatures = claim_signatures_update(claims=claims)
    pinned = _pinned_ids(claims)
    # A link made late in a pass (a group formed by the last article) can give an earlier claim the
    # group-level evidence it lacked: passes repeat while they link, so a re-run finds nothing new.
    for rerun in range(MAX_PASSES):
        linked_before = len(result.linked)
        for claim in claims:
            claim.refresh_from_db(fields=["group", "grouped_by", "group_score", "version"])  # earlier links
            if (
                claim.pk in pinned
                or (claim.group_id and claim.grouped_by.startswith(MATCHER_NAME))
                or len(claim.exact.split()) < MIN_WORDS
            ):
                result.skipped += 0 if rerun else 1
                continue
            try:
                _match_one(claim, signatures[claim.pk], auto, suggest, result)
            except ConflictError:  # an editor changed the claim meanwhile; the next run sees it
                result.skipped += 0 if rerun else 1
        if len(result.linked) == linked_before:
            break
    return result


def _overlapping_groups(claim: Claim, group_ids: set[int]) -> set[int]:
    """Groups that already hold a claim of the same article overlapping this one."""
    if not group_ids:
        return set()
    rows = (
        Claim.objects.filter(
            group_id__in=group_ids, article_id=claim.article_id, start__lt=claim.end, end__gt=claim.start
        )
        .exclude(pk=claim.pk)
        .values_list("group_id", flat=True)
    )
    return set(rows)


def _match_one(claim: Claim, data: dict, auto: float, suggest: float, result: MatchRunResult) -> None:
    candidate_ids = candidate_claim_ids(data=data, exclude_article_id=claim.article_id)
    if not candidate_ids:
        return
    candidates = list(
        ClaimSignature.objects.filter(claim_id__in=candidate_ids)
        .exclude(claim__status=Claim.Status.REJECTED)
        .select_related("claim")
        .only(
            "data",
            "claim__id",
            "claim__group_id",
            "claim__exact",
            "claim__article_id",
            "claim__grouped_by",
            "claim__status",
        )
    )
    different = _different_pairs([claim.pk])
    rejected_groups = set(
        MatchSuggestion.objects.filter(claim=claim, status=MatchSuggestion.Status.REJECTED).values_list(
            "group_id", flat=True
        )
    )
    blocked: set[tuple[str, int]] = {
        ("g", g) for g in _overlapping_groups(claim, {s.claim.group_id for s in candidates if s.claim.group_id})
    }
    vector = semantic.vector_unpack(data["emb"])
    scored = []
    for sig in candidates:
        other = sig.claim
        if (
            (claim.group_id and other.group_id == claim.group_id)
            or not sig.data.get("emb")
            or len(other.exact.split()) < MIN_WORDS
        ):
            continue
        key = ("g", other.group_id) if other.group_id else ("c", other.pk)
        if (claim.pk, other.pk) in different or (key[0] == "g" and key[1] in rejected_groups):
            blocked.add(key)
            continue
        veto = semantic.vetoes(data, sig.data)
        if veto:
            blocked.add(key)  # one mention of a group contradicting the claim keeps the group away
            continue
        other_vector = semantic.vector_unpack(sig.data["emb"])
        cosine = float(np.dot(vector, other_vector))
        segment = semantic.segment_cosine(data, sig.data, vector, other_vector)
        scored.append((max(cosine, segment), key, other, sig.data, cosine))
    floor = semantic.decision().metrics.get("retrieval_floor", 0.3)
    scored = sorted((s for s in scored if s[1] not in blocked and s[0] >= floor), key=lambda s: -s[0])[:RERANK]
    if not scored:
        return
    model = semantic.decision()
    cross = (
        semantic.pair_logits([(claim.exact, other.exact) for _, _, other, _, _ in scored])
        if model.uses_cross
        else np.zeros(len(scored))
    )
    targets: dict[tuple[str, int], tuple[float, Claim, list[str]]] = {}
    datas = {other.pk: other_data for _, _, other, other_data, _ in scored}
    evidence = min(model.same, suggest)
    close_outlets: dict[tuple[str, int], set[int]] = {}  # per group: articles of members at or above `evidence`
    for (segment, key, other, other_data, cosine), logit in zip(scored, cross):
        features = semantic.pair_features(data, other_data, cosine=cosine, cross=float(logit), segment=segment)
        score = round(model.score(features), 4)
        if score >= evidence:
            close_outlets.setdefault(key, set()).add(other.article_id)
        if key not in targets or score > targets[key][0]:
            targets[key] = (score, other, semantic.explain(data, other_data, features, score, ""))
    score, other, reasons = max(((s, o, r) for s, o, r in targets.values()), key=lambda t: (t[0], -t[1].pk))
    corroborated = []
    if score < auto:
        # Group-level evidence: a claim more likely the same than not (score at or above the
        # decision's `same`) as mentions of one group in GROUP_EVIDENCE other articles, none
        # contradicting it, joins that group.
        corroborated = [
            (targets[key][0], targets[key][1], targets[key][2])
            for key, articles in close_outlets.items()
            if key[0] == "g" and len(articles) >= GROUP_EVIDENCE
        ]
        if corroborated:
            score, other, reasons = max(corroborated, key=lambda t: (t[0], -t[1].pk))
            assert other.group_id is not None  # a group's key ("g", id): its mentions have the group
            reasons = reasons + [
                f"Close to mentions of this group in {len(close_outlets[('g', other.group_id)])} other outlets."
            ]
    third: Claim | None = None
    if score < auto and not corroborated:
        # (All three pairs at `same` was tried: it also joined different troop movements.)
        pair = _mutual_pair(
            data, [(s, o) for s, o, _ in targets.values() if s >= suggest and not o.group_id], datas, evidence
        )
        if pair is not None:
            other, third = pair
            score, reasons = (
                targets[("c", other.pk)][0],
                targets[("c", other.pk)][2] + ["Three outlets state it: each pair of them is a likely match."],
            )
    if (score >= auto or corroborated or third is not None) and _may_move(claim):
        group = _link(claim, other, score)
        joined = [(claim, other)]
        if third is not None:
            # All three are placed at once: each records its automatic link (an editor may undo any).
            joined.append((other, claim))
            if _may_move(third):
                _link(Claim.objects.get(pk=third.pk), claim, score)
                joined.append((third, claim))
        for member, target in joined:
            MatchSuggestion.objects.create(
                claim=member,
                group=group,
                target_claim=target,
                score=score,
                reasons=reasons,
                status=MatchSuggestion.Status.AUTO,
                matcher=MATCHER_ID,
                auto_link_threshold=auto,
                suggest_threshold=suggest,
            )
        movers = [claim] + [member for member, _ in joined[2:]]  # (the target was already there, or is its pair)
        result.linked.extend((member.pk, group.pk) for member in movers)
        # Open suggestions towards mentions now in the same group are settled by the link.
        MatchSuggestion.objects.filter(
            claim__in=[m for m, _ in joined], status=MatchSuggestion.Status.SUGGESTED, target_claim__group=group
        ).delete()
    elif score >= suggest:
        group_id = other.group_id
        same_target = Q(target_claim=other) | (Q(group_id=group_id) if group_id else Q(pk__in=[]))
        exists = MatchSuggestion.objects.filter(
            Q(claim=claim) & same_target | Q(claim=other, target_claim=claim)
        ).exists()
        if not exists:
            MatchSuggestion.objects.create(
                claim=claim,
                group_id=group_id,
                target_claim=other,
                score=score,
                reasons=reasons,
                matcher=MATCHER_ID,
                auto_link_threshold=auto,
                suggest_threshold=suggest,
            )
            result.suggested.append((claim.pk, group_id, other.pk))


def _mutual_pair(
    data: dict, close: list[tuple[float, Claim]], datas: dict[int, dict], same: float
) -> tuple[Claim, Claim] | None:
    """Two ungrouped claims of two other articles, each a likely match of this claim (`close`: at
    or above `suggest`, where 8 in 10 held-out pairs are the same claim) and more likely the same
    than not as each other (at or above `same`, no veto): three outlets corroborating one claim
    form a group without an editor — the claim is wrong only if both its likely matches are
    (≈ 0.2² = 0.04). The best-scored such pair, or None."""
    close = sorted(close, key=lambda t: (-t[0], t[1].pk))
    model = semantic.decision()
    for i, (_, first) in enumerate(close):
        for _, second in close[i + 1 :]:
            if first.article_id == second.article_id:
                continue
            a, b = datas[first.pk], datas[second.pk]
            if semantic.vetoes(a, b):
                continue
            va, vb = semantic.vector_unpack(a["emb"]), semantic.vector_unpack(b["emb"])
            cross = float(semantic.pair_logits([(first.exact, second.exact)])[0]) if model.uses_cross else 0.0
            features = semantic.pair_features(
                a, b, cosine=float(np.dot(va, vb)), cross=cross, segment=semantic.segment_cosine(a, b, va, vb)
            )
            if model.score(features) >= same:
                return first, second
    return None


def _may_move(claim: Claim) -> bool:
    """A claim in a group of its own with no verdict or evidence may be moved by the machine."""
    if not claim.group_id:
        return True
    group = (
        ClaimGroup.objects.filter(pk=claim.group_id)
        .annotate(
            n_claims=Count("claims", distinct=True),
            n_verdicts=Count("verdicts", distinct=True),
            n_evidence=Count("evidence", distinct=True),
        )
        .first()
    )
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
        versioned_update(
            other_fresh,
            by=None,
            version=None,
            reason=reason,
            fields={"group": group, "grouped_by": MATCHER_ID, "group_score": score},
        )
        old_group_id = None
    else:
        first = min((claim, other), key=lambda c: c.pk)
        group = ClaimGroup(label=first.exact)
        group._history_user = None
        group.save()
        other_fresh = Claim.objects.get(pk=other.pk)
        versioned_update(
            other_fresh,
            by=None,
            version=None,
            reason=reason,
            fields={"group": group, "grouped_by": MATCHER_ID, "group_score": score},
        )
    if claim.group_id != group.pk:
        versioned_update(
            claim,
            by=None,
            version=None,
            reason=reason,
            fields={"group": group, "grouped_by": MATCHER_ID, "group_score": score},
        )
    if old_group_id and old_group_id != group.pk:
        old = ClaimGroup.objects.filter(pk=old_group_id).first()
        if old and not (old.claims.exists() or old.evidence.exists() or old.verdicts.exists()):
            old._history_user = None
            old.delete()
    return group
