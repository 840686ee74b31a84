"""The claim (group) page: every mention side by side, evidence, verdicts by role, history.
Its forms are plain HTML forms; on a version conflict the page is shown again (409) with both
versions and the person's own input kept in the form."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import user_can
from core.errors import ConflictError, ServiceError
from core.validation import ascii_int
from discussion.selectors import comments_for_group
from factcheck.models import ClaimGroup, Evidence, Verdict
from factcheck.selectors import verdicts_blind_for
from factcheck.services import groups as group_services
from factcheck.services import sources as source_services
from factcheck.services import verdicts as verdict_services
from matching import services as matching_services

from ..decorators import capability_required
from ..forms import EvidenceForm, GroupMergeForm, GroupStatementForm, VerdictCorrectForm, VerdictForm
from ..selectors import (
    assignable_users,
    group_for_view,
    group_history,
    group_match_suggestions,
    group_statement_history,
    groups_matching_label,
    mention_context,
    ratings_for_verdicts,
    sources_recent,
)
from .common import failed

DIFFERENCES_TEMPLATE = "web/_group_differences.html"
OPEN_STATUSES = (Verdict.Status.DRAFT, Verdict.Status.SUBMITTED, Verdict.Status.APPROVED)


def _group_url(group_id: int, anchor: str = "") -> str:
    return reverse("web:group-detail", args=[group_id]) + (f"#{anchor}" if anchor else "")


def _render(
    request,
    group_id: int,
    *,
    status: int = 200,
    evidence_form=None,
    new_verdict_form=None,
    verdict_forms: dict | None = None,
    conflict: dict | None = None,
    merge_form=None,
    merge_conflict: dict | None = None,
):
    try:
        group = group_for_view(group_id=group_id)
    except ClaimGroup.DoesNotExist:
        raise Http404("No such claim group") from None
    mentions = list(group.claims.all())
    for mention in mentions:
        mention.context = mention_context(claim=mention, body=mention.article.body)
    focus = request.GET.get("mention")
    verdicts = list(group.verdicts.all())
    comments, verdict_comments = comments_for_group(group=group)
    for verdict in verdicts:
        verdict.thread = verdict_comments.get(verdict.pk, [])
    ratings = ratings_for_verdicts()
    verdict_forms = verdict_forms or {}
    open_verdicts = []
    blind = verdicts_blind_for(user=request.user, verdicts=verdicts)
    by_pk = {v.pk: v for v in verdicts}
    pairs, paired = [], set()

    def paired_peer(verdict: Verdict) -> Verdict | None:
        peer = by_pk.get(verdict.peer_id)
        if (
            peer is not None
            and verdict.status == peer.status == Verdict.Status.SUBMITTED
            and verdict.agreement in (Verdict.Agreement.AGREED, Verdict.Agreement.ESCALATED)
        ):
            return peer
        return None

    for verdict in verdicts:
        verdict.blind = verdict.pk in blind
        verdict.actions = (
            set()
            if verdict.blind
            else verdict_services.verdict_allowed_actions(verdict=verdict, by=request.user, peer=paired_peer(verdict))
        )
    for verdict in verdicts:
        peer = paired_peer(verdict)
        if peer is not None and verdict.pk not in paired:
            first, second = sorted((verdict, peer), key=lambda v: (v.submitted_at, v.pk))
            pairs.append({"reviews": [first, second], "agreement": verdict.agreement})
            paired |= {verdict.pk, peer.pk}
    for verdict in verdicts:
        if verdict.pk in paired:
            continue
        if verdict.status in OPEN_STATUSES:
            verdict.form = verdict_forms.get(verdict.pk) or VerdictForm(
                initial={"rating": verdict.rating_id, "rationale": verdict.rationale, "version": verdict.version}
            )
            open_verdicts.append(verdict)
        elif verdict.status == Verdict.Status.PUBLISHED:
            verdict.form = verdict_forms.get(verdict.pk) or VerdictCorrectForm(
                initial={"rating": verdict.rating_id, "rationale": verdict.rationale, "version": verdict.version}
            )
    published = next((v for v in verdicts if v.status == Verdict.Status.PUBLISHED), None)
    corrections = [v for v in verdicts if v.status in (Verdict.Status.PUBLISHED, Verdict.Status.SUPERSEDED)]
    user_has_open = any(v.reviewer_id == request.user.pk and v.status == Verdict.Status.DRAFT for v in verdicts)
    outlets = {m.article.outlet_id for m in mentions}
    suggestions = group_match_suggestions(group=group)
    # Groups the matcher relates to this one: offered first in the merge form.
    similar = list({s.other_group.pk: s.other_group for s in suggestions if s.other_group is not None}.values())
    context = {
        "group": group,
        "mentions": mentions,
        "focus": ascii_int(focus),
        "outlet_count": len(outlets),
        "evidence": list(group.evidence.all()),
        "evidence_form": evidence_form or EvidenceForm(),
        "recent_sources": sources_recent(),
        "verdicts": verdicts,
        "open_verdicts": open_verdicts,
        "review_pairs": pairs,
        "double_review": verdict_services.double_review_required(group=group, rating=ratings[0] if ratings else None),
        "published": published,
        "corrections": corrections,
        "ratings": ratings,
        "new_verdict_form": new_verdict_form or VerdictForm(),
        # A published verdict is changed by a correction, not by a second verdict.
        "can_draft": user_can(request.user, "verdict.draft") and not user_has_open and published is None,
        "can_curate": user_can(request.user, "claim.curate"),
        "can_group": user_can(request.user, "claim.group"),
        "can_source": user_can(request.user, "source.write"),
        "assignees": list(assignable_users()) if user_can(request.user, "claim.curate") else [],
        "history": group_history(group=group, hidden_verdicts=blind),
        "statement_history": group_statement_history(group=group),
        "statement_warning": group_services.statement_warning(group.label),
        "statement_form": GroupStatementForm(initial={"statement": group.label, "version": group.version}),
        "conflict": conflict,
        "suggestions": suggestions,
        "similar_groups": similar,
        "merge_form": merge_form or GroupMergeForm(initial={"version": group.version}),
        "merge_conflict": merge_conflict,
        "differences_template": DIFFERENCES_TEMPLATE,
        "comments": comments,
        "can_comment": user_can(request.user, "comment.write"),
    }
    return render(request, "web/group_detail.html", context, status=status)


@capability_required("read")
def group_detail(request, pk: int):
    return _render(request, pk)


# --- evidence ------------------------------------------------------------------------------------


@require_POST
@capability_required("read")
def evidence_add(request, pk: int):
    """Link a source: a new URL, or one already used (source_get_or_create finds it by URL)."""
    group = get_object_or_404(ClaimGroup, pk=pk)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _render(request, pk, status=400, evidence_form=form)
    data = form.cleaned_data
    try:
        evidence = source_services.evidence_add_from_url(
            group=group,
            url=data["url"],
            title=data["title"],
            publisher=data["publisher"],
            relation=data["relation"],
            quoted_passage=data["quoted_passage"],
            by=request.user,
        )
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render(request, pk, status=exc.status_code, evidence_form=form)
    messages.success(request, f"Source linked: {evidence.source}.")
    return HttpResponseRedirect(_group_url(pk, "evidence"))


@require_POST
@capability_required("read")
def evidence_remove(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("source"), pk=pk)
    group_id = evidence.group_id
    try:
        source_services.evidence_remove(evidence=evidence, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, _group_url(group_id, "evidence"))
    messages.success(request, f"Source removed: {evidence.source}.")
    return HttpResponseRedirect(_group_url(group_id, "evidence"))


# --- grouping ------------------------------------------------------------------------------------


@require_POST
@capability_required("read")
def group_split(request, pk: int):
    """ "Not the same claim": take one mention out of this group into a group of its own
    (matching.services.claim_link_reject: the decision is recorded, the machine's link marked
    rejected, and re-runs of the matcher never put it back)."""
    group = get_object_or_404(ClaimGroup, pk=pk)
    try:
        claim_id = int(request.POST.get("claim", ""))
    except ValueError:
        messages.error(request, "Choose a mention to split off.")
        return HttpResponseRedirect(_group_url(pk))
    members = {c.pk: c for c in group.claims.all()}
    if claim_id not in members:  # a stale page: someone moved it meanwhile
        messages.error(
            request, "That mention is no longer part of this claim; the page now shows its current mentions."
        )
        return HttpResponseRedirect(_group_url(pk))
    if len(members) < 2:
        messages.error(request, "This is the claim's only mention: there is nothing to split it from.")
        return HttpResponseRedirect(_group_url(pk))
    try:
        claim = matching_services.claim_link_reject(claim=members[claim_id], by=request.user)
    except ServiceError as exc:
        return failed(request, exc, _group_url(pk))
    messages.success(
        request, "The mention now has a claim group of its own; it will not be linked to this claim again."
    )
    return HttpResponseRedirect(_group_url(claim.group_id))


def _merge_other(form: GroupMergeForm, group: ClaimGroup) -> tuple[ClaimGroup | None, str]:
    """The group the form names (by id, or by a label matching exactly one group), or an error."""
    other_id = form.other_id()
    if other_id is not None:
        other = ClaimGroup.objects.filter(pk=other_id).first()
        return (other, "") if other else (None, f"There is no claim #{other_id}.")
    text = form.cleaned_data["other"]
    found = groups_matching_label(q=text, exclude_id=group.pk)
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"No other claim's label contains “{text}”."
    names = "; ".join(f"#{g.pk} {g.label[:60]}" for g in found)
    return None, f"Several claims match “{text}” ({names}): give the number of the one to merge."


@require_POST
@capability_required("claim.group")
def group_merge(request, pk: int):
    """Merge another claim group into this one (matching.services.match_groups_merge: mentions,
    sources and verdicts move here, and the decision is recorded). The form carries the version
    of this group it was shown with: if someone changed the group meanwhile, nothing is merged
    and the page says so (409)."""
    group = get_object_or_404(ClaimGroup, pk=pk)
    form = GroupMergeForm(request.POST)
    if not form.is_valid():
        return _render(request, pk, status=400, merge_form=form)
    other, error = _merge_other(form, group)
    if other is None:
        form.add_error("other", error)
        return _render(request, pk, status=400, merge_form=form)
    try:
        matching_services.match_groups_merge(
            target=group, others=[other], by=request.user, version=form.cleaned_data["version"]
        )
    except ConflictError as exc:
        current = ClaimGroup.objects.get(pk=pk)
        data = form.data.copy()
        data["version"] = str(current.version)
        kept = GroupMergeForm(data)
        kept.is_valid()
        return _render(
            request,
            pk,
            status=409,
            merge_form=kept,
            merge_conflict={"message": exc.message, "other": other, "version": current.version},
        )
    except ServiceError as exc:
        form.add_error("other" if getattr(exc, "field", None) == "others" else None, exc.message)
        return _render(request, pk, status=exc.status_code, merge_form=form)
    messages.success(
        request, f"Claim #{other.pk} merged into this one: its mentions, sources and verdicts are here now."
    )
    return HttpResponseRedirect(_group_url(pk))


@require_POST
@capability_required("claim.curate")
def group_review_mode(request, pk: int):
    """One reviewer or two independent reviewers (then an editor) for this claim, or the default."""
    group = get_object_or_404(ClaimGroup, pk=pk)
    value = {"two": True, "one": False, "default": None}.get(request.POST.get("double_review", ""), "invalid")
    try:
        group_services.group_double_review_update(group=group, double_review=value, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, _group_url(pk, "verdicts"))
    messages.success(request, "Review mode saved.")
    return HttpResponseRedirect(_group_url(pk, "verdicts"))


@require_POST
@capability_required("claim.curate")
def group_statement(request, pk: int):
    """Set the claim statement (group_statement_update); warns when it is over 75 characters."""
    group = get_object_or_404(ClaimGroup, pk=pk)
    form = GroupStatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The claim statement cannot be empty or longer than 1,000 characters.")
        return HttpResponseRedirect(_group_url(pk))
    try:
        group = group_services.group_statement_update(
            group=group, statement=form.cleaned_data["statement"], by=request.user, version=form.cleaned_data["version"]
        )
    except ServiceError as exc:
        return failed(request, exc, _group_url(pk))
    messages.success(request, "Claim statement saved.")
    if warning := group_services.statement_warning(group.label):
        messages.warning(request, warning)
    return HttpResponseRedirect(_group_url(pk))


# --- verdicts ------------------------------------------------------------------------------------


def _verdict(pk: int) -> Verdict:
    return get_object_or_404(Verdict.objects.select_related("rating"), pk=pk)


def _verdict_conflict(request, verdict: Verdict, exc: ConflictError, form, *, action: str):
    """Show the page again with the stored verdict (theirs) next to what this person sent (yours);
    the form keeps their input and carries the current version, so sending it again is a
    deliberate overwrite."""
    current = Verdict.objects.select_related("rating", "reviewer").get(pk=verdict.pk)
    data = form.data.copy()
    data["version"] = str(current.version)
    cls = VerdictCorrectForm if isinstance(form, VerdictCorrectForm) else VerdictForm
    kept = cls(data)
    kept.is_valid()
    yours = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    conflict = {
        "verdict": current,
        "message": exc.message,
        "action": action,
        "yours_rating": yours.get("rating"),
        "yours_rationale": yours.get("rationale", ""),
        "yours_note": yours.get("note", ""),
    }
    return _render(request, verdict.group_id, status=409, verdict_forms={verdict.pk: kept}, conflict=conflict)


@require_POST
@capability_required("read")
def verdict_draft(request, pk: int):
    group = get_object_or_404(ClaimGroup, pk=pk)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _render(request, pk, status=400, new_verdict_form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            verdict = verdict_services.verdict_draft(
                group=group, by=request.user, rating=data["rating"], rationale=data["rationale"]
            )
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render(request, pk, status=exc.status_code, new_verdict_form=form)
    if "and_submit" in request.POST:
        try:
            verdict_services.verdict_submit(verdict=verdict, by=request.user)
        except ServiceError as exc:
            messages.warning(request, f"Draft saved, but not submitted: {exc.message}")
            return HttpResponseRedirect(_group_url(pk, f"verdict-{verdict.pk}"))
        messages.success(request, "Verdict submitted for approval.")
    else:
        messages.success(request, "Draft saved.")
    return HttpResponseRedirect(_group_url(pk, f"verdict-{verdict.pk}"))


@require_POST
@capability_required("read")
def verdict_update(request, pk: int):
    verdict = _verdict(pk)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _render(request, verdict.group_id, status=400, verdict_forms={verdict.pk: form})
    data = form.cleaned_data
    anchor = f"verdict-{verdict.pk}"
    try:
        verdict_services.verdict_update(
            verdict=verdict,
            by=request.user,
            version=data["version"],
            rating=data["rating"],
            rationale=data["rationale"],
        )
    except ConflictError as exc:
        return _verdict_conflict(request, verdict, exc, form, action="save")
    except ServiceError as exc:
        return failed(request, exc, _group_url(verdict.group_id, anchor))
    if "and_submit" in request.POST:
        try:
            verdict_services.verdict_submit(verdict=verdict, by=request.user, version=verdict.version)
        except ServiceError as exc:
            messages.warning(request, f"Saved, but not submitted: {exc.message}")
            return HttpResponseRedirect(_group_url(verdict.group_id, anchor))
        messages.success(request, "Verdict submitted for approval.")
    else:
        messages.success(request, "Verdict saved.")
    return HttpResponseRedirect(_group_url(verdict.group_id, anchor))


def _transition(request, pk: int, service, done_message: str, action: str):
    verdict = _verdict(pk)
    form = VerdictForm(request.POST)
    form.is_valid()
    version = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
    anchor = f"verdict-{verdict.pk}"
    try:
        service(verdict=verdict, by=request.user, version=version)
    except ConflictError as exc:
        fresh = VerdictForm(
            {"rating": verdict.rating_id or "", "rationale": verdict.rationale, "version": version or ""}
        )
        fresh.is_valid()
        return _verdict_conflict(request, verdict, exc, fresh, action=action)
    except ServiceError as exc:
        return failed(request, exc, _group_url(verdict.group_id, anchor))
    messages.success(request, done_message)
    return HttpResponseRedirect(_group_url(verdict.group_id, anchor))


@require_POST
@capability_required("read")
def verdict_submit(request, pk: int):
    return _transition(request, pk, verdict_services.verdict_submit, "Verdict submitted for approval.", "submit")


@require_POST
@capability_required("read")
def verdict_approve(request, pk: int):
    return _transition(request, pk, verdict_services.verdict_approve, "Verdict approved.", "approve")


@require_POST
@capability_required("read")
def verdict_publish(request, pk: int):
    return _transition(
        request,
        pk,
        verdict_services.verdict_publish,
        "Verdict published: it now shows on every mention of this claim.",
        "publish",
    )


@require_POST
@capability_required("read")
def verdict_correct(request, pk: int):
    verdict = _verdict(pk)
    form = VerdictCorrectForm(request.POST)
    if not form.is_valid():
        return _render(request, verdict.group_id, status=400, verdict_forms={verdict.pk: form})
    data = form.cleaned_data
    try:
        correction = verdict_services.verdict_correct(
            verdict=verdict,
            by=request.user,
            rating=data["rating"],
            rationale=data["rationale"],
            note=data["note"],
            version=data["version"],
        )
    except ConflictError as exc:
        return _verdict_conflict(request, verdict, exc, form, action="correct")
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render(request, verdict.group_id, status=exc.status_code, verdict_forms={verdict.pk: form})
    messages.success(
        request,
        "Correction submitted: once someone else approves and publishes it, it replaces the "
        "published verdict (which stays in the history).",
    )
    return HttpResponseRedirect(_group_url(verdict.group_id, f"verdict-{correction.pk}"))
