"""The matching app's services: linking claims across outlets (`claims_match`), comparing any two
claims (`claims_compare`), and the editors' decisions about links (`match_suggestion_confirm` /
`_reject`, `claim_link_reject`, `match_groups_merge`, `match_group_split`), which record who
decided so that re-runs of the matcher respect them.

The group operations themselves (merge, split, move) are factcheck.services.groups; only the
`match_*` services here are public for merge and split (the lower-level ones skip recording the
decision). Linking itself is matching/linking.py; past fact-checks are matching/factchecks.py.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.roles import require
from core.errors import ConflictError, InvalidInput
from core.versioning import versioned_update
from factcheck.models import Claim, ClaimGroup
from factcheck.services.groups import _group_merge, _group_split

from .linking import MatchRunResult, claims_match
from .models import ClaimComparison, MatchDecision, MatchSuggestion

__all__ = [
    "MatchRunResult",
    "claim_comparison_create",
    "claim_comparison_run",
    "claims_compare",
    "claims_match",
    "claim_link_reject",
    "match_group_split",
    "match_groups_merge",
    "match_suggestion_confirm",
    "match_suggestion_reject",
]

COMPARE_MAX_PAIRS = 100
COMPARE_MAX_CHARS = 2000


def _pairs_check(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if not pairs:
        raise InvalidInput("Send at least one pair.")
    if len(pairs) > COMPARE_MAX_PAIRS:
        raise InvalidInput(f"At most {COMPARE_MAX_PAIRS} pairs per request.")
    for a, b in pairs:
        if not a.strip() or not b.strip() or len(a) > COMPARE_MAX_CHARS or len(b) > COMPARE_MAX_CHARS:
            raise InvalidInput(f"Each claim is 1 to {COMPARE_MAX_CHARS} characters.")
    return [(a.strip(), b.strip()) for a, b in pairs]


def claim_comparison_create(*, pairs: list[tuple[str, str]], by) -> ClaimComparison:
    """Store a batch of pairs to compare and queue it for a worker (after commit). Any role may
    compare; the work is bounded (pairs and characters) and runs on the extraction queue."""
    from .tasks import claims_compare_enqueue

    require(by, "read", "compare claims")
    pairs = _pairs_check(pairs)
    comparison = ClaimComparison.objects.create(requested_by=by, pairs=[{"a": a, "b": b} for a, b in pairs])
    transaction.on_commit(lambda: claims_compare_enqueue(comparison_id=comparison.pk))
    return comparison


def claim_comparison_run(*, comparison_id: int) -> ClaimComparison | None:
    """Run a queued comparison (the worker's side). Claims the row with a conditional update, so a
    redelivered message does nothing; a failure is written on the row."""
    claimed = ClaimComparison.objects.filter(pk=comparison_id, status=ClaimComparison.Status.QUEUED).update(
        status=ClaimComparison.Status.RUNNING
    )
    if claimed != 1:
        return None
    comparison = ClaimComparison.objects.get(pk=comparison_id)
    try:
        results = claims_compare(pairs=[(p["a"], p["b"]) for p in comparison.pairs])
    except Exception as exc:
        comparison.status, comparison.error = ClaimComparison.Status.FAILED, str(exc)[:300]
        comparison.finished_at = timezone.now()
        comparison.save(update_fields=["status", "error", "finished_at"])
        raise
    comparison.status, comparison.results, comparison.finished_at = ClaimComparison.Status.DONE, results, timezone.now()
    comparison.save(update_fields=["status", "results", "finished_at"])
    return comparison


def claims_compare(*, pairs: list[tuple[str, str]]) -> list[dict]:
    """Compare any two claim texts, for each pair: `score` in [0, 1], `same` at the configured
    threshold, `veto` (a structured check that rules the pair out), `reasons` in words, and the
    `differences` between the two (numbers, names, dates, quote wording, certainty). Runs spaCy
    and the neural models: call it from a worker or a command, never in a web process."""
    from .differences import Mention, group_differences_compute
    from .linking import same_threshold
    from .semantic import compare_signatures
    from .signature import signatures_compute

    texts = _pairs_check(pairs)
    sigs = signatures_compute([(t, "") for pair in texts for t in pair])
    signature_pairs = [(sigs[2 * i], sigs[2 * i + 1]) for i in range(len(texts))]
    same_at = same_threshold()
    out = []
    for (a, b), (sa, sb), result in zip(texts, signature_pairs, compare_signatures(signature_pairs, texts)):
        diff = group_differences_compute(
            [Mention(claim_id=0, text=a, signature=sa), Mention(claim_id=1, text=b, signature=sb)]
        )
        rows = diff["mentions"]
        differences = {
            dimension: {"a": rows[0][dimension], "b": rows[1][dimension]}
            for dimension in ("numbers", "names", "dates", "quotes", "certainty")
            if diff["differs"][dimension]
        }
        if "certainty" in differences:
            differences["certainty"] = {
                "a": {"level": rows[0]["certainty"], "hedges": rows[0]["hedges"]},
                "b": {"level": rows[1]["certainty"], "hedges": rows[1]["hedges"]},
            }
        out.append(
            {
                "score": result.score,
                "same": result.score >= same_at,
                "veto": result.veto or None,
                "reasons": result.reasons,
                "differences": differences,
            }
        )
    return out


# --- editors' decisions -----------------------------------------------------------------------


def _decide_pairs(pairs: list[tuple[int, int]], *, kind: str, action: str, by, note: str = "") -> None:
    for a, b in pairs:
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        MatchDecision.objects.update_or_create(
            claim_a_id=a,
            claim_b_id=b,
            defaults={
                "kind": kind,
                "action": action,
                "decided_by": by,
                "decided_at": timezone.now(),
                "note": note[:300],
            },
        )


def _mention_ids(group_id: int | None, *, limit: int = 200) -> list[int]:
    if not group_id:
        return []
    return list(Claim.objects.filter(group_id=group_id).order_by("id").values_list("id", flat=True)[:limit])


def _holds_work(group_id: int | None, *, without: int) -> bool:
    """Would moving claim `without` out leave this group with a verdict or evidence and no mention?"""
    if not group_id:
        return False
    group = (
        ClaimGroup.objects.filter(pk=group_id)
        .annotate(
            n_claims=Count("claims", distinct=True),
            n_verdicts=Count("verdicts", distinct=True),
            n_evidence=Count("evidence", distinct=True),
        )
        .first()
    )
    if group is None or (not group.n_verdicts and not group.n_evidence):
        return False
    return not Claim.objects.filter(group_id=group_id).exclude(pk=without).exists()


@transaction.atomic
def match_suggestion_confirm(*, suggestion: MatchSuggestion, by) -> Claim:
    """The editor agrees: the claim becomes a mention of the suggested group. Refused (409) when the
    claim is the last mention of a group holding a verdict or evidence: moving it would leave them
    on a group with no mentions; merging the groups keeps them."""
    from factcheck.services.groups import claim_move_to_group

    require(by, "claim.group", "confirm a link between claims")
    suggestion = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status in (MatchSuggestion.Status.CONFIRMED, MatchSuggestion.Status.REJECTED):
        raise InvalidInput(f"This suggestion was already {suggestion.get_status_display().lower()}.")
    claim = Claim.objects.get(pk=suggestion.claim_id)
    group = ClaimGroup.objects.filter(pk=suggestion.group_id).first() if suggestion.group_id else None
    target = Claim.objects.get(pk=suggestion.target_claim_id) if suggestion.target_claim_id else None
    if group is None and target is not None and target.group_id:
        group = ClaimGroup.objects.get(pk=target.group_id)
    if group is None or claim.group_id != group.pk:
        if _holds_work(claim.group_id, without=claim.pk):
            raise ConflictError(
                f"Claim {claim.pk} is the only mention of claim group {claim.group_id}, which holds "
                f"a verdict or evidence: merge the two groups instead, so that they stay with "
                f"their mentions."
            )
    if group is None:
        if target is None:
            raise InvalidInput("The suggested claim no longer exists.")
        claim_move_to_group(claim=target, group=None, by=by)  # the target had no group: it gets one
        group = Claim.objects.get(pk=target.pk).group
        assert group is not None  # claim_move_to_group(group=None) gave it one
    claim_move_to_group(claim=claim, group=group, by=by)
    _decide_pairs(
        [(claim.pk, m) for m in _mention_ids(group.pk)],
        kind=MatchDecision.Kind.SAME,
        action=MatchDecision.Action.CONFIRM,
        by=by,
        note=f"suggestion {suggestion.pk}",
    )
    suggestion.status, suggestion.decided_by, suggestion.decided_at = (
        MatchSuggestion.Status.CONFIRMED,
        by,
        timezone.now(),
    )
    suggestion.group = group
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "group"])
    return Claim.objects.get(pk=claim.pk)


@transaction.atomic
def match_suggestion_reject(*, suggestion: MatchSuggestion, by) -> MatchSuggestion:
    """The editor disagrees: the pair (and the group) are never proposed again for this claim.
    - an automatic link still in place is undone (the claim leaves the group, as *Not the same claim*);
    - a confirmed suggestion, or two claims an editor has put in one group since, is refused (400):
      take the mention out of the group instead, so that "different" is never recorded for two
      claims still grouped."""
    require(by, "claim.group", "reject a link between claims")
    suggestion = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == MatchSuggestion.Status.REJECTED:
        return suggestion
    if suggestion.status == MatchSuggestion.Status.CONFIRMED:
        raise InvalidInput(
            "This suggestion was confirmed: take the mention out of its group with “Not the same claim” instead."
        )
    claim = Claim.objects.get(pk=suggestion.claim_id)
    target_group = suggestion.group_id or (
        Claim.objects.filter(pk=suggestion.target_claim_id).values_list("group_id", flat=True).first()
        if suggestion.target_claim_id
        else None
    )
    if target_group and claim.group_id == target_group:
        if suggestion.status == MatchSuggestion.Status.AUTO and claim.grouped_by != "human":
            claim_link_reject(claim=claim, by=by)
        else:
            raise InvalidInput(
                "These claims are in one claim group now: take the mention out of the group with "
                "“Not the same claim” instead."
            )
    others = set(_mention_ids(suggestion.group_id))
    if suggestion.target_claim_id:
        others.add(suggestion.target_claim_id)
    _decide_pairs(
        [(suggestion.claim_id, m) for m in others],
        kind=MatchDecision.Kind.DIFFERENT,
        action=MatchDecision.Action.REJECT,
        by=by,
        note=f"suggestion {suggestion.pk}",
    )
    suggestion.status, suggestion.decided_by, suggestion.decided_at = (
        MatchSuggestion.Status.REJECTED,
        by,
        timezone.now(),
    )
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
    versioned_update(
        claim,
        by=by,
        version=version,
        fields={"grouped_by": "human"},
        reason=f"confirmed as the same claim as group {claim.group_id}",
    )
    others = [m for m in _mention_ids(claim.group_id) if m != claim.pk]
    _decide_pairs(
        [(claim.pk, m) for m in others],
        kind=MatchDecision.Kind.SAME,
        action=MatchDecision.Action.CONFIRM,
        by=by,
        note=f"link to group {claim.group_id} confirmed",
    )
    MatchSuggestion.objects.filter(
        claim=claim, group_id=claim.group_id, status=MatchSuggestion.Status.SUGGESTED
    ).update(status=MatchSuggestion.Status.CONFIRMED, decided_by=by, decided_at=timezone.now())
    return claim


@transaction.atomic
def claim_link_reject(*, claim: Claim, by) -> Claim:
    """Take a mention out of its group (e.g. a wrong automatic link): it gets a group of its own and
    is never linked with the group's other mentions again."""
    from factcheck.services.groups import claim_move_to_group

    require(by, "claim.group", "unlink a claim")
    claim = Claim.objects.get(pk=claim.pk)
    others = [m for m in _mention_ids(claim.group_id) if m != claim.pk]
    _decide_pairs(
        [(claim.pk, m) for m in others],
        kind=MatchDecision.Kind.DIFFERENT,
        action=MatchDecision.Action.UNLINK,
        by=by,
        note=f"out of group {claim.group_id}",
    )
    MatchSuggestion.objects.filter(claim=claim, group_id=claim.group_id).exclude(
        status=MatchSuggestion.Status.REJECTED
    ).update(status=MatchSuggestion.Status.REJECTED, decided_by=by, decided_at=timezone.now())
    claim_move_to_group(claim=claim, group=None, by=by)
    return Claim.objects.get(pk=claim.pk)


@transaction.atomic
def match_groups_merge(*, target: ClaimGroup, others: list[ClaimGroup], by, version: int | None = None) -> ClaimGroup:
    """Merge claim groups (factcheck.services.groups._group_merge), with the decision recorded
    (mentions of the merged groups are the same claim): the one merge service of every interface."""

    require(by, "claim.group", "merge claim groups")
    target_ids = _mention_ids(target.pk)
    pairs = [
        (a, b)
        for other in others
        if other.pk != target.pk
        for b in _mention_ids(other.pk, limit=20)
        for a in target_ids[:20]
    ]
    merged = _group_merge(target=target, others=others, by=by, version=version)
    _decide_pairs(
        pairs,
        kind=MatchDecision.Kind.SAME,
        action=MatchDecision.Action.MERGE,
        by=by,
        note=f"merged into group {target.pk}",
    )
    return merged


@transaction.atomic
def match_group_split(*, group: ClaimGroup, claim_ids: list[int], by, version: int | None = None) -> ClaimGroup:
    """Split mentions off a claim group (factcheck.services.groups._group_split), with the decision
    recorded: the split-off mentions are never linked with the remaining ones again. The one split
    service of every interface."""

    require(by, "claim.group", "split claim groups")
    remaining = [m for m in _mention_ids(group.pk, limit=1000) if m not in set(claim_ids)]
    new = _group_split(group=group, claim_ids=claim_ids, by=by, version=version)
    _decide_pairs(
        [(a, b) for a in claim_ids for b in remaining[:200]],
        kind=MatchDecision.Kind.DIFFERENT,
        action=MatchDecision.Action.SPLIT,
        by=by,
        note=f"split from group {group.pk} into {new.pk}",
    )
    return new
