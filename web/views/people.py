"""People: the list (search by any alias) and the speaker page — name, roles, aliases, what they
said across outlets — with rename, alias add/remove and merge (chosen, confirmed, then done by
factcheck.services.people; a version conflict shows the page again with the reason)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import user_can
from core.errors import ServiceError
from factcheck.models import Person, PersonAlias
from factcheck.selectors import person_detail, person_list, person_mentions, person_roles
from factcheck.services import people as people_services

from ..decorators import capability_required
from ..forms import PersonAliasForm, PersonForm, PersonMergeForm
from .common import failed, form_error_response

PAGE_SIZE = 50
MERGE_CHOICES = 20


def _person_url(pk: int) -> str:
    return reverse("web:person-detail", args=[pk])


@capability_required("read")
def person_list_view(request):
    q = request.GET.get("q", "").strip()[:300]
    page = Paginator(person_list(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/person_list.html", {"page": page, "q": q})


@capability_required("read")
def person_detail_view(request, pk: int, *, status: int = 200, **extra):
    person = get_object_or_404(person_detail(), pk=pk)
    merged_into = person.merged_into  # selected with the person
    if merged_into is not None:  # the merged record stays; its page is the person it became
        messages.info(request, f"{person.name} was merged into {merged_into.name}.")
        return redirect(_person_url(merged_into.pk))
    page = Paginator(person_mentions(person=person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "aliases": list(person.aliases.all()),
            "roles": person_roles(person=person),
            "page": page,
            "outlets": len({c.article.outlet_id for c in page.object_list}),
            "can_curate": user_can(request.user, "claim.curate"),
            "person_form": extra.pop("person_form", None)
            or PersonForm(initial={"version": person.version, "name": person.name, "description": person.description}),
            "alias_form": extra.pop("alias_form", None) or PersonAliasForm(initial={"version": person.version}),
            **extra,
        },
        status=status,
    )


def _fail(request, pk: int, exc: ServiceError, **forms):
    """The page again, with the service's reason and the person's input kept (409 on a conflict)."""
    messages.error(request, exc.message)
    return person_detail_view.__wrapped__(request, pk, status=exc.status_code, **forms)


@require_POST
@capability_required("claim.curate")
def person_update_view(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, _person_url(pk))
    data = form.cleaned_data
    try:
        people_services.person_update(
            person=person, by=request.user, version=data["version"], name=data["name"], description=data["description"]
        )
    except ServiceError as exc:
        return _fail(request, pk, exc, person_form=form)
    messages.success(request, f"Saved: {person.name}.")
    return HttpResponseRedirect(_person_url(pk))


@require_POST
@capability_required("claim.curate")
def person_alias_add_view(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = PersonAliasForm(request.POST)
    if not form.is_valid():
        return form_error_response(request, form, _person_url(pk))
    try:
        alias = people_services.person_alias_add(
            person=person, alias=form.cleaned_data["alias"], by=request.user, version=form.cleaned_data["version"]
        )
    except ServiceError as exc:
        return _fail(request, pk, exc, alias_form=form)
    messages.success(request, f"“{alias.text}” is now an alias of {person.name}.")
    return HttpResponseRedirect(_person_url(pk))


@require_POST
@capability_required("claim.curate")
def person_alias_remove_view(request, pk: int, alias_id: int):
    person = get_object_or_404(Person, pk=pk)
    alias = get_object_or_404(PersonAlias, pk=alias_id, person=person)
    form = PersonAliasForm({"version": request.POST.get("version"), "alias": alias.text})
    if not form.is_valid():
        return form_error_response(request, form, _person_url(pk))
    try:
        people_services.person_alias_remove(
            person=person, alias=alias, by=request.user, version=form.cleaned_data["version"]
        )
    except ServiceError as exc:
        return failed(request, exc, _person_url(pk))
    messages.success(request, f"“{alias.text}” is no longer an alias of {person.name}.")
    return HttpResponseRedirect(_person_url(pk))


@capability_required("claim.curate")
def person_merge_view(request, pk: int):
    """GET ?target=<name, alias or number>: choose the person to merge into, then confirm (what
    moves is shown); POST: merge."""
    person = get_object_or_404(person_detail(), pk=pk)
    if person.merged_into_id:
        return redirect(_person_url(person.merged_into_id))
    target: Person | None
    if request.method == "POST":
        form = PersonMergeForm(request.POST)
        if not form.is_valid():
            return form_error_response(request, form, _person_url(pk))
        target = get_object_or_404(Person, pk=form.cleaned_data["target"])
        try:
            result = people_services.person_merge(
                source=person,
                target=target,
                by=request.user,
                source_version=form.cleaned_data["version"],
                target_version=form.cleaned_data["target_version"],
            )
        except ServiceError as exc:
            return failed(request, exc, reverse("web:person-merge", args=[pk]) + f"?target={target.pk}")
        messages.success(
            request,
            f"{person.name} merged into {target.name}: {result['mentions']} mention"
            f"{'' if result['mentions'] == 1 else 's'} and {result['aliases']} alias"
            f"{'' if result['aliases'] == 1 else 'es'} moved.",
        )
        return HttpResponseRedirect(_person_url(target.pk))
    query = request.GET.get("target", "").strip()[:300]
    target, choices = None, []
    if query.isdigit():
        target = person_detail().filter(pk=int(query), merged_into__isnull=True).exclude(pk=pk).first()
    elif query:
        choices = list(person_list(q=query).exclude(pk=pk)[:MERGE_CHOICES])
        if len(choices) == 1:
            target, choices = choices[0], []
    return render(
        request,
        "web/person_merge.html",
        {
            "person": person,
            "query": query,
            "target": target,
            "choices": choices,
            "mentions": person.claims.count(),
            "moving_aliases": list(person.aliases.all()) if target and target.kind == person.kind else [],
        },
    )
