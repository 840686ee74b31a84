"""Verdicts: draft → submitted → approved (by someone else) → published; a published verdict is
corrected by a new published verdict that `corrects` it (the old one becomes superseded).
Publishing and correcting emit webhook events after commit."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import user_can
from discussion.services import notification_approval
from factcheck.models import ClaimGroup, Rating, Verdict

from ._versioning import versioned_update
from .errors import ConflictError, InvalidInput, PermissionDenied, require

S = Verdict.Status


def _emit(event: str, verdict: Verdict) -> None:
    from webhooks.services import webhook_event_emit

    webhook_event_emit(event=event, payload={"verdict_id": verdict.pk, "group_id": verdict.group_id,
                                             "corrects_id": verdict.corrects_id})


def _check_rating(rating) -> Rating | None:
    if rating is not None and not isinstance(rating, Rating):
        raise InvalidInput("rating must be a rating of a rating scale.", field="rating")
    return rating


def _require_status(verdict: Verdict, *allowed: str, action: str) -> None:
    if verdict.status not in allowed:
        names = " or ".join(S(a).label.lower() for a in allowed)
        raise InvalidInput(f"Only a {names} verdict can be {action}; this one is {verdict.get_status_display().lower()}.",
                           field="status")


def _may_edit(verdict: Verdict, by) -> bool:
    """The reviewer who wrote a verdict edits it while it is a draft; editors and admins also
    while it awaits approval."""
    if user_can(by, "verdict.approve"):
        return True
    return verdict.reviewer_id == by.pk and user_can(by, "verdict.draft")


@transaction.atomic
def verdict_draft(*, group: ClaimGroup, by, rating: Rating | None = None, rationale: str = "") -> Verdict:
    require(by, "verdict.draft", "write verdicts")
    verdict = Verdict(group=group, reviewer=by, rating=_check_rating(rating), rationale=(rationale or "").strip())
    verdict._history_user = by
    verdict.save()
    return verdict


@transaction.atomic
def verdict_update(*, verdict: Verdict, by, version: int | None, rating: Rating | None = None,
                   rationale: str | None = None) -> Verdict:
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
    return versioned_update(verdict, by=by, version=version, fields=fields, reason="edited")


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
    verdict = versioned_update(verdict, by=by, version=version, fields={"status": S.SUBMITTED, "submitted_at": timezone.now()},
                               reason="submitted")
    notification_approval(verdict=verdict, by=by)  # the editors: a verdict waits for approval
    return verdict


@transaction.atomic
def verdict_approve(*, verdict: Verdict, by, version: int | None = None) -> Verdict:
    """A second person (editor or admin, never the verdict's author) approves it."""
    require(by, "verdict.approve", "approve verdicts")
    if verdict.reviewer_id == by.pk:
        raise PermissionDenied("A verdict must be approved by someone other than its author.")
    _require_status(verdict, S.SUBMITTED, action="approved")
    return versioned_update(verdict, by=by, version=version,
                            fields={"status": S.APPROVED, "approved_by": by, "approved_at": timezone.now()},
                            reason="approved")


def _published_other(verdict: Verdict) -> Verdict | None:
    return Verdict.objects.filter(group_id=verdict.group_id, status=S.PUBLISHED).exclude(pk=verdict.pk).first()


@transaction.atomic
def verdict_publish(*, verdict: Verdict, by, version: int | None = None) -> Verdict:
    """Publish an approved verdict. A claim group has at most one published verdict: change a
    published one with verdict_correct."""
    require(by, "verdict.publish", "publish verdicts")
    _require_status(verdict, S.APPROVED, action="published")
    if other := _published_other(verdict):
        raise InvalidInput(f"This claim already has a published verdict ({other.pk}); correct that one instead.",
                           field="status")
    try:
        with transaction.atomic():
            versioned_update(verdict, by=by, version=version,
                             fields={"status": S.PUBLISHED, "published_by": by, "published_at": timezone.now()},
                             reason="published")
    except IntegrityError:
        raise ConflictError("Another verdict on this claim was published meanwhile.", field="status") from None
    _emit("verdict.published", verdict)
    return verdict


@transaction.atomic
def verdict_correct(*, verdict: Verdict, by, rating: Rating, rationale: str, note: str,
                    version: int | None = None) -> Verdict:
    """Correct a published verdict: it becomes superseded and a new published verdict (with the
    correction note) takes its place; both stay in the record."""
    require(by, "verdict.publish", "correct published verdicts")
    _require_status(verdict, S.PUBLISHED, action="corrected")
    if rating is None:
        raise InvalidInput("A correction needs a rating.", field="rating")
    _check_rating(rating)
    if not (rationale or "").strip():
        raise InvalidInput("A correction needs a rationale.", field="rationale")
    if not (note or "").strip():
        raise InvalidInput("Say what was corrected and why (the correction note).", field="note")
    versioned_update(verdict, by=by, version=version, fields={"status": S.SUPERSEDED}, reason="superseded by a correction")
    now = timezone.now()
    correction = Verdict(
        group_id=verdict.group_id, reviewer=by, rating=rating, rationale=rationale.strip(), status=S.PUBLISHED,
        corrects=verdict, correction_note=note.strip(), submitted_at=now, approved_by=by, approved_at=now,
        published_by=by, published_at=now,
    )
    correction._history_user = by
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError:
        raise ConflictError("Another verdict on this claim was published meanwhile.") from None
    _emit("verdict.corrected", correction)
    return correction
