"""Verdicts: draft → submitted → approved (by someone else) → published; a published verdict is
corrected by a new verdict that `corrects` it, which goes through the same approval before it
is published (the old one then becomes superseded).

Four eyes: whoever wrote or changed a verdict's rating or rationale (its `contributors`) may not
approve it. With double review (a claim group's, else its rating scale's, else the setting's
choice) two reviewers rate independently — neither sees the other's rating before submitting —
and then an editor approves one of them: when they agree, after `verdict.agreed`; when they
disagree, after `verdict.escalated`, deciding between them. Events are sent after commit."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import require, user_can
from core.errors import ConflictError, InvalidInput, PermissionDenied
from core.versioning import versioned_update
from factcheck import signals
from factcheck.models import ClaimGroup, Rating, Verdict

S = Verdict.Status
A = Verdict.Agreement


def _emit(event: str, verdict: Verdict, **extra) -> None:
    """Tell the apps above (webhooks records the deliveries): factcheck/signals.py."""
    signals.verdict_event.send(
        sender=Verdict,
        event=event,
        payload={"verdict_id": verdict.pk, "group_id": verdict.group_id, "corrects_id": verdict.corrects_id, **extra},
    )


def double_review_required(*, group: ClaimGroup, rating: Rating | None) -> bool:
    """The claim group's choice, else the rating scale's, else WORKBENCH["DOUBLE_REVIEW"]."""
    if group.double_review is not None:
        return group.double_review
    if rating is not None and rating.scale.double_review is not None:
        return rating.scale.double_review
    return settings.WORKBENCH["DOUBLE_REVIEW"]


def verdict_writer_ids(verdict: Verdict) -> set[int]:
    """Who wrote or changed the rating or the rationale (reads prefetched contributors if any)."""
    return {verdict.reviewer_id, *(u.pk for u in verdict.contributors.all())}


def _add_writer(verdict: Verdict, by) -> None:
    verdict.contributors.add(by)
    getattr(verdict, "_prefetched_objects_cache", {}).pop("contributors", None)  # callers read it afresh


def _check_four_eyes(verdict: Verdict, by) -> None:
    if by.pk in verdict_writer_ids(verdict):
        raise PermissionDenied(
            "A verdict must be approved by someone other than its author and anyone who changed "
            "its rating or rationale."
        )


def _check_rating(rating) -> Rating | None:
    if rating is not None and not isinstance(rating, Rating):
        raise InvalidInput("rating must be a rating of a rating scale.", field="rating")
    return rating


def _require_status(verdict: Verdict, *allowed: str, action: str) -> None:
    if verdict.status not in allowed:
        names = " or ".join(S(a).label.lower() for a in allowed)
        raise InvalidInput(
            f"Only a {names} verdict can be {action}; this one is {verdict.get_status_display().lower()}.",
            field="status",
        )


def _may_edit(verdict: Verdict, by) -> bool:
    """The reviewer who wrote a verdict edits it while it is a draft; editors and admins also
    while it awaits approval."""
    if user_can(by, "verdict.approve"):
        return True
    return verdict.reviewer_id == by.pk and user_can(by, "verdict.draft")


def verdict_allowed_actions(*, verdict: Verdict, by, peer: Verdict | None = None) -> set[str]:
    """What `by` may do with `verdict` now, by the rules the services below enforce ("edit",
    "submit", "approve", "publish", "correct"): the web UI shows these buttons. `peer`: the other
    of two independent reviews, when they are paired (who wrote either does not approve).
    A hint only for rules that depend on other rows (the services still say why not)."""
    actions: set[str] = set()
    if verdict.status == S.DRAFT and _may_edit(verdict, by):
        actions |= {"edit", "submit"}
    elif verdict.status == S.SUBMITTED and user_can(by, "verdict.approve"):
        actions.add("edit")
        writers = verdict_writer_ids(verdict) | (verdict_writer_ids(peer) if peer is not None else set())
        if by.pk not in writers:
            actions.add("approve")
    elif verdict.status == S.APPROVED and user_can(by, "verdict.publish"):
        actions.add("publish")
    elif verdict.status == S.PUBLISHED and user_can(by, "verdict.publish"):
        actions.add("correct")
    return actions


@transaction.atomic
def verdict_draft(*, group: ClaimGroup, by, rating: Rating | None = None, rationale: str = "") -> Verdict:
    require(by, "verdict.draft", "write verdicts")
    verdict = Verdict(group=group, reviewer=by, rating=_check_rating(rating), rationale=(rationale or "").strip())
    verdict._history_user = by
    verdict.save()
    _add_writer(verdict, by)
    return verdict


@transaction.atomic
def verdict_update(
    *, verdict: Verdict, by, version: int | None, rating: Rating | None = None, rationale: str | None = None
) -> Verdict:
    require(by, "verdict.draft", "edit verdicts")
    if not _may_edit(verdict, by):
        raise PermissionDenied("Only the verdict's author, an editor or an admin can edit it.")
    allowed = (S.DRAFT, S.SUBMITTED) if user_can(by, "verdict.approve") else (S.DRAFT,)
    _require_status(verdict, *allowed, action="edited")
    fields = {}
    if rating is not None:
        fields["rating"] = _check_rating(rating)
    if rationale is not None:
        fields["rationale"] = rationale.strip()
    changed = ("rating" in fields and fields["rating"].pk != verdict.rating_id) or (
        "rationale" in fields and fields["rationale"] != verdict.rationale
    )
    if changed and verdict.peer_id:
        raise InvalidInput(
            "This is one of two independent reviews: approve (or decide for) one of them rather than changing it.",
            field="rating",
        )
    versioned_update(verdict, by=by, version=version, fields=fields, reason="edited")
    if changed:  # who changed the content may not approve it
        _add_writer(verdict, by)
    return verdict


@transaction.atomic
def verdict_submit(*, verdict: Verdict, by, version: int | None = None) -> Verdict:
    """Send a draft for approval. It needs a rating and a rationale."""
    require(by, "verdict.draft", "submit verdicts")
    if not _may_edit(verdict, by):
        raise PermissionDenied("Only the verdict's author, an editor or an admin can submit it.")
    _require_status(verdict, S.DRAFT, action="submitted")
    if verdict.rating_id is None:
        raise InvalidInput("Choose a rating before submitting.", field="rating")
    if not verdict.rationale.strip():
        raise InvalidInput("Write the rationale before submitting.", field="rationale")
    verdict = _submit_paired(verdict, by=by, version=version)
    if verdict.agreement != A.AWAITING:  # the editors: a verdict (or a pair of reviews) waits for them
        signals.verdict_awaiting_approval.send(sender=Verdict, verdict=verdict, by=by)  # discussion notifies
    return verdict


def _submit_paired(verdict: Verdict, *, by, version: int | None) -> Verdict:
    """Submit; under double review, pair the submission with the other reviewer's (agreed or
    escalated) or leave it awaiting the second review."""
    fields = {"status": S.SUBMITTED, "submitted_at": timezone.now()}
    if verdict.corrects_id or not double_review_required(group=verdict.group, rating=verdict.rating):
        return versioned_update(verdict, by=by, version=version, fields=fields, reason="submitted")
    # Two reviewers submitting at once must still be paired: their submissions on one claim are
    # serialized on the claim group's row (PostgreSQL; SQLite runs IMMEDIATE transactions).
    ClaimGroup.objects.select_for_update().filter(pk=verdict.group_id).values_list("pk", flat=True).first()
    first = (
        Verdict.objects.select_for_update(of=("self",))
        .select_related("rating")
        .filter(
            group_id=verdict.group_id,
            status=S.SUBMITTED,
            agreement=A.AWAITING,
            peer__isnull=True,
            corrects__isnull=True,
        )
        .exclude(pk=verdict.pk)
        .exclude(reviewer_id=verdict.reviewer_id)
        .order_by("submitted_at", "id")
        .first()
    )
    if first is None:
        return versioned_update(
            verdict,
            by=by,
            version=version,
            fields={**fields, "agreement": A.AWAITING},
            reason="submitted: first of two independent reviews",
        )
    agreement = A.AGREED if first.rating_id == verdict.rating_id else A.ESCALATED
    reason = (
        "second review agrees"
        if agreement == A.AGREED
        else f"second review disagrees ({first.rating.label} / {verdict.rating.label}): escalated to an editor"
    )
    verdict = versioned_update(
        verdict,
        by=by,
        version=version,
        fields={**fields, "agreement": agreement, "peer": first},
        reason=f"submitted: {reason}",
    )
    versioned_update(first, by=by, version=None, fields={"agreement": agreement, "peer": verdict}, reason=reason)
    _emit(
        "verdict.agreed" if agreement == A.AGREED else "verdict.escalated",
        verdict,
        peer_id=first.pk,
        ratings=[first.rating.label, verdict.rating.label],
    )
    return verdict


@transaction.atomic
def verdict_approve(*, verdict: Verdict, by, version: int | None = None) -> Verdict:
    """A second person (editor or admin, never one who wrote or changed it) approves it. Under
    double review, once both reviews are in: when they agree, either; when they disagree (escalated),
    the one the editor decides for. The other review is set aside (kept in the record)."""
    require(by, "verdict.approve", "approve verdicts")
    _check_four_eyes(verdict, by)
    _require_status(verdict, S.SUBMITTED, action="approved")
    fields = {"status": S.APPROVED, "approved_by": by, "approved_at": timezone.now()}
    if verdict.agreement == A.AWAITING:
        raise InvalidInput(
            "This claim needs a second, independent review before an editor approves it.", field="status"
        )
    peer = None
    if verdict.peer_id and verdict.agreement in (A.AGREED, A.ESCALATED):
        peer = Verdict.objects.select_for_update().get(pk=verdict.peer_id)
        if by.pk in verdict_writer_ids(peer):
            raise PermissionDenied("You wrote or changed one of the two reviews; another editor decides.")
        if verdict.agreement == A.ESCALATED:
            fields["agreement"] = A.RESOLVED
    reason = "approved" if verdict.agreement != A.ESCALATED else "escalation decided for this review: approved"
    versioned_update(verdict, by=by, version=version, fields=fields, reason=reason)
    if peer is not None and peer.status == S.SUBMITTED:
        versioned_update(
            peer,
            by=by,
            version=None,
            reason=f"set aside: review {verdict.pk} was approved",
            fields={"status": S.SET_ASIDE, **({"agreement": A.RESOLVED} if verdict.agreement == A.RESOLVED else {})},
        )
    return verdict


def _published_other(verdict: Verdict) -> Verdict | None:
    return Verdict.objects.filter(group_id=verdict.group_id, status=S.PUBLISHED).exclude(pk=verdict.pk).first()


@transaction.atomic
def verdict_publish(*, verdict: Verdict, by, version: int | None = None) -> Verdict:
    """Publish an approved verdict. A claim group has at most one published verdict: change a
    published one with verdict_correct."""
    require(by, "verdict.publish", "publish verdicts")
    _require_status(verdict, S.APPROVED, action="published")
    if verdict.corrects_id:  # an approved correction replaces the verdict it corrects
        corrected = Verdict.objects.select_for_update().get(pk=verdict.corrects_id)
        if corrected.status != S.PUBLISHED:
            raise InvalidInput(
                f"The verdict this corrects ({corrected.pk}) is no longer the published one; "
                "propose a correction of the current verdict.",
                field="status",
            )
        versioned_update(
            corrected,
            by=by,
            version=None,
            fields={"status": S.SUPERSEDED},
            reason=f"superseded by correction {verdict.pk}",
        )
    elif other := _published_other(verdict):
        raise InvalidInput(
            f"This claim already has a published verdict ({other.pk}); correct that one instead.", field="status"
        )
    try:
        with transaction.atomic():
            versioned_update(
                verdict,
                by=by,
                version=version,
                fields={"status": S.PUBLISHED, "published_by": by, "published_at": timezone.now()},
                reason="correction published" if verdict.corrects_id else "published",
            )
    except IntegrityError:
        raise ConflictError("Another verdict on this claim was published meanwhile.", field="status") from None
    _emit("verdict.corrected" if verdict.corrects_id else "verdict.published", verdict)
    return verdict


@transaction.atomic
def verdict_correct(
    *, verdict: Verdict, by, rating: Rating, rationale: str, note: str, version: int | None = None
) -> Verdict:
    """Propose a correction of a published verdict: a new verdict (submitted, with the correction
    note) that someone else approves like any other; when it is published the old one becomes
    superseded. Both stay in the record."""
    require(by, "verdict.publish", "correct published verdicts")
    _require_status(verdict, S.PUBLISHED, action="corrected")
    if rating is None:
        raise InvalidInput("A correction needs a rating.", field="rating")
    _check_rating(rating)
    if not (rationale or "").strip():
        raise InvalidInput("A correction needs a rationale.", field="rationale")
    if not (note or "").strip():
        raise InvalidInput("Say what was corrected and why (the correction note).", field="note")
    pending = (
        verdict.corrections.filter(status__in=[S.DRAFT, S.SUBMITTED, S.APPROVED]).values_list("pk", flat=True).first()
    )
    if pending:
        raise InvalidInput(f"A correction of this verdict ({pending}) already awaits approval.", field="status")
    # The published verdict's version moves on: two people correcting it at once conflict.
    versioned_update(verdict, by=by, version=version, fields={}, reason="correction proposed")
    correction = Verdict(
        group_id=verdict.group_id,
        reviewer=by,
        rating=rating,
        rationale=rationale.strip(),
        status=S.SUBMITTED,
        corrects=verdict,
        correction_note=note.strip(),
        submitted_at=timezone.now(),
    )
    correction._history_user = by
    correction.save()
    _add_writer(correction, by)
    return correction
