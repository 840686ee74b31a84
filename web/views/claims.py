"""Claim actions. The article script calls them with fetch() and gets JSON (the claim as the
script knows it, or an error with the current state on a conflict); plain forms get a redirect."""

import json

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import user_can
from articles.models import Article
from core.errors import ConflictError, ServiceError
from factcheck.models import Claim
from factcheck.services import claims as claim_services
from matching import services as matching_services

from ..decorators import capability_required
from ..forms import AssignForm, BulkDecideForm, ClaimCreateForm, ClaimDecisionForm, ClaimSpanForm, ClaimUpdateForm
from ..selectors import claim_payload, claims_payload, mention_context
from .common import done, failed, form_error_response


def _claim(pk: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article"), pk=pk)


def _article_url(claim: Claim) -> str:
    return reverse("web:article-detail", args=[claim.article_id]) + f"#claim-{claim.pk}"


def _conflict(request, exc: ConflictError, claim_id: int, fallback: str, *, yours: dict):
    """409 with both versions: theirs (the claim as stored now) and yours (what was sent)."""
    return failed(request, exc, fallback, current=claim_payload(claim_id=claim_id), yours=yours)


@capability_required("read")
def claim_detail(request, pk: int):
    """A claim in a group is shown as its group (all mentions); a claim without one on its own."""
    claim = get_object_or_404(
        Claim.objects.select_related("article__outlet", "decided_by", "assigned_to", "person"), pk=pk
    )
    if claim.group_id:
        return redirect(reverse("web:group-detail", args=[claim.group_id]) + f"?mention={claim.pk}#mention-{claim.pk}")
    return render(
        request,
        "web/claim_detail.html",
        {
            "claim": claim,
            "context": mention_context(claim=claim, body=claim.article.body),
            "can_curate": user_can(request.user, "claim.curate"),
        },
    )


@require_POST
@capability_required("read")
def claim_create(request):
    form = ClaimCreateForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, "/")
    data = form.cleaned_data
    article = get_object_or_404(Article, pk=data["article"])
    fallback = reverse("web:article-detail", args=[article.pk])
    try:
        claim = claim_services.claim_create(
            article=article,
            start=data["start"],
            end=data["end"],
            exact=data["exact"],
            by=request.user,
            claim_type=data["claim_type"] or Claim.Type.OTHER,
            speaker=data["speaker"],
            units=data["units"] or "codepoint",
        )
    except ServiceError as exc:
        return failed(request, exc, fallback)
    return done(
        request,
        fallback + f"#claim-{claim.pk}",
        message="Claim created.",
        payload={"claim": claim_payload(claim_id=claim.pk)},
        status=201,
    )


def _decide(request, pk: int, service, verb: str):
    claim = _claim(pk)
    form = ClaimDecisionForm(request.POST)
    fallback = _article_url(claim)
    if not form.is_valid():
        return form_error_response(request, form, fallback)
    version = form.cleaned_data["version"]
    try:
        service(claim=claim, by=request.user, version=version)
    except ConflictError as exc:
        return _conflict(request, exc, claim.pk, fallback, yours={"action": verb, "version": version})
    except ServiceError as exc:
        return failed(request, exc, fallback)
    return done(
        request,
        fallback,
        message=f"Claim {verb}ed.",
        payload={"claim": claim_payload(claim_id=claim.pk), "undo": claim.undo_token},
    )


@require_POST
@capability_required("read")
def claim_accept(request, pk: int):
    return _decide(request, pk, claim_services.claim_accept, "accept")


@require_POST
@capability_required("read")
def claim_reject(request, pk: int):
    return _decide(request, pk, claim_services.claim_reject, "reject")


def _link_decision(request, pk: int, *, confirm: bool):
    """One click on a machine-linked mention: the same claim (matching.services.claim_link_confirm:
    the group's verdict becomes its verdict) or not (claim_link_reject: a group of its own)."""
    claim = _claim(pk)
    fallback = reverse("web:group-detail", args=[claim.group_id]) if claim.group_id else _article_url(claim)
    form = ClaimDecisionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        if confirm:
            matching_services.claim_link_confirm(claim=claim, by=request.user, version=version)
        else:
            matching_services.claim_link_reject(claim=claim, by=request.user)
    except ConflictError as exc:
        return _conflict(
            request, exc, claim.pk, fallback, yours={"action": "confirm" if confirm else "detach", "version": version}
        )
    except ServiceError as exc:
        return failed(request, exc, fallback)
    message = (
        "Confirmed: the same claim; its verdict now shows as this mention's verdict."
        if confirm
        else "Detached: this mention is a claim of its own and will not be linked to that claim again."
    )
    return done(request, fallback, message=message, payload={"claim": claim_payload(claim_id=claim.pk)})


@require_POST
@capability_required("claim.group")
def claim_link_confirm(request, pk: int):
    return _link_decision(request, pk, confirm=True)


@require_POST
@capability_required("claim.group")
def claim_link_detach(request, pk: int):
    return _link_decision(request, pk, confirm=False)


@require_POST
@capability_required("read")
def claim_update(request, pk: int):
    claim = _claim(pk)
    form = ClaimUpdateForm(request.POST)
    fallback = _article_url(claim)
    if not form.is_valid():
        return form_error_response(request, form, fallback)
    changes = form.changes()
    try:
        claim_services.claim_update(claim=claim, by=request.user, version=form.cleaned_data["version"], **changes)
    except ConflictError as exc:
        return _conflict(
            request,
            exc,
            claim.pk,
            fallback,
            yours={"action": "update", "version": form.cleaned_data["version"], **changes},
        )
    except ServiceError as exc:
        return failed(request, exc, fallback)
    return done(
        request,
        fallback,
        message="Claim saved.",
        payload={"claim": claim_payload(claim_id=claim.pk), "undo": claim.undo_token},
    )


@require_POST
@capability_required("read")
def claim_span(request, pk: int):
    """Move a claim's edges (the article script's Shift+arrow keys and drag handles)."""
    claim = _claim(pk)
    form = ClaimSpanForm(request.POST)
    fallback = _article_url(claim)
    if not form.is_valid():
        return form_error_response(request, form, fallback)
    data = form.cleaned_data
    try:
        claim_services.claim_span_update(
            claim=claim,
            start=data["start"],
            end=data["end"],
            exact=data["exact"],
            by=request.user,
            version=data["version"],
            units=data["units"] or "codepoint",
        )
    except ConflictError as exc:
        return _conflict(
            request,
            exc,
            claim.pk,
            fallback,
            yours={"action": "span", "version": data["version"], "start": data["start"], "end": data["end"]},
        )
    except ServiceError as exc:
        return failed(request, exc, fallback)
    return done(request, fallback, message="Span saved.", payload={"claim": claim_payload(claim_id=claim.pk)})


@require_POST
@capability_required("read")
def claim_assign(request, pk: int):
    claim = _claim(pk)
    form = AssignForm(request.POST)
    fallback = reverse("web:claim-detail", args=[claim.pk])
    if not form.is_valid():
        return form_error_response(request, form, fallback)
    assignee = None
    if form.cleaned_data["assignee"]:
        assignee = get_object_or_404(get_user_model(), pk=form.cleaned_data["assignee"], is_active=True)
    try:
        claim_services.claim_assign(
            claim=claim, assignee=assignee, by=request.user, version=form.cleaned_data["version"]
        )
    except ConflictError as exc:
        return _conflict(
            request, exc, claim.pk, fallback, yours={"action": "assign", "assignee": assignee.pk if assignee else None}
        )
    except ServiceError as exc:
        return failed(request, exc, fallback)
    who = assignee.get_username() if assignee else "nobody"
    return done(request, fallback, message=f"Assigned to {who}.", payload={"claim": claim_payload(claim_id=claim.pk)})


def _post_data(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST


@require_POST
@capability_required("read")
def claims_bulk(request):
    """Accept or reject what the current filter shows. The undo tokens go back to the script and
    are kept in the session for the queue page's Undo button."""
    data = _post_data(request)
    if isinstance(data.get("claims"), list):
        data = {**data, "claims": json.dumps(data["claims"])}
    form = BulkDecideForm(data)
    if not form.is_valid():
        return form_error_response(request, form, reverse("web:queue"))
    decision = form.cleaned_data["decision"]
    try:
        result = claim_services.claims_bulk_decide(
            claims=form.cleaned_data["claims"], decision=decision, by=request.user
        )
    except ServiceError as exc:
        return failed(request, exc, reverse("web:queue"))
    changed, skipped = result["changed"], result["skipped"]
    if changed:
        request.session["web_bulk_undo"] = {"decision": decision, "undo": result["undo"], "count": len(changed)}
    verb = "accepted" if decision == "accept" else "rejected"
    message = f"{len(changed)} claim{'s' if len(changed) != 1 else ''} {verb}."
    if skipped:
        message += f" {len(skipped)} skipped: " + "; ".join(f"#{s['id']} {s['reason']}" for s in skipped[:10])
        message += "…" if len(skipped) > 10 else "."
    shown = changed + [s["id"] for s in skipped if s["current_version"] is not None]
    return done(
        request,
        reverse("web:queue"),
        message=message,
        payload={**result, "claims": claims_payload(claims=Claim.objects.filter(id__in=shown))},
    )


@require_POST
@capability_required("read")
def claims_bulk_undo(request):
    data = _post_data(request)
    undo = data.get("undo")
    kept = (request.session.get("web_bulk_undo") or {}).get("undo") or ""
    if not isinstance(undo, str) or not undo:
        undo = kept
    try:
        result = claim_services.claims_bulk_undo(undo=undo, by=request.user)
    except ServiceError as exc:
        return failed(request, exc, reverse("web:queue"))
    if undo == kept:  # a single decision's undo leaves the queue's bulk Undo button alone
        request.session.pop("web_bulk_undo", None)
    ids = result["restored"] + result["conflicts"]
    message = f"Undone for {len(result['restored'])} claim{'s' if len(result['restored']) != 1 else ''}."
    if result["conflicts"]:
        message += f" {len(result['conflicts'])} changed since by someone else and were left as they are."
    return done(
        request,
        reverse("web:queue"),
        message=message,
        payload={**result, "claims": claims_payload(claims=Claim.objects.filter(id__in=ids))},
    )
