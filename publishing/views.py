"""Public pages: no sign-in, for readers and search engines. They read only published and
superseded verdicts (publishing.selectors) and never a draft."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck.claimreview import claimreview_jsonld

from .selectors import factcheck_list as factcheck_list_select
from .selectors import factcheck_page

PAGE_SIZE = 30


def _publisher() -> dict:
    return {"name": settings.WORKBENCH["PUBLISHER_NAME"], "url": settings.WORKBENCH["PUBLISHER_URL"]}


@require_safe
def factcheck_list(request):
    page = Paginator(factcheck_list_select(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publishing/factcheck_list.html", {"page": page, "publisher": _publisher()})


def _detail(request, pk: int, verdict_id: int | None):
    data = factcheck_page(group_id=pk, verdict_id=verdict_id)
    if data is None:
        raise Http404("No published fact-check here.")
    data.update(claimreview=claimreview_jsonld(data["verdict"]), publisher=_publisher())
    return render(request, "publishing/factcheck_detail.html", data)


@require_safe
def factcheck_detail(request, pk: int):
    return _detail(request, pk, None)


@require_safe
def factcheck_version(request, pk: int, verdict: int):
    return _detail(request, pk, verdict)
