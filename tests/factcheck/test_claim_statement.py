"""#16.1: the claim statement — editable per claim group by editors (web and API), with history,
defaulting to the first mention's text, a warning over 75 characters; ClaimReview uses it."""

import pytest
from django.urls import reverse

from core.errors import ConflictError, InvalidInput, PermissionDenied
from factcheck.models import ClaimGroup
from factcheck.services.claims import claim_create
from factcheck.services.groups import group_statement_update, statement_warning
from tests.api.conftest import _fresh_throttles, api  # noqa: F401
from tests.factories import ArticleFactory

LONG = "The port authority said cargo volumes at the harbour rose by twelve percent in 2023"  # 83 characters


@pytest.fixture
def group(editor):
    article = ArticleFactory(body="Officials said the cargo volume rose 12 % in 2023, a record. Nobody disagreed.")
    text = "the cargo volume rose 12 % in 2023"
    start = article.body.index(text)
    return claim_create(article=article, start=start, end=start + len(text), exact=text, by=editor).group


def test_it_defaults_to_the_first_mentions_text_and_editors_change_it_with_history(group, editor, reviewer):
    assert group.label == "the cargo volume rose 12 % in 2023"
    with pytest.raises(PermissionDenied):
        group_statement_update(group=group, statement="Cargo rose 12% in 2023", by=reviewer)
    with pytest.raises(InvalidInput):
        group_statement_update(group=group, statement="   ", by=editor)
    group_statement_update(group=group, statement="  Cargo rose   12% in 2023 ", by=editor, version=1)
    assert ClaimGroup.objects.get(pk=group.pk).label == "Cargo rose 12% in 2023"
    with pytest.raises(ConflictError):
        group_statement_update(group=ClaimGroup.objects.get(pk=group.pk), statement="other", by=editor, version=1)
    history = list(ClaimGroup.history.filter(id=group.pk).order_by("history_id").values_list("label", "history_user"))
    assert (
        history[-1] == ("Cargo rose 12% in 2023", editor.pk) and history[0][0] == "the cargo volume rose 12 % in 2023"
    )
    assert group.claims.get().exact == "the cargo volume rose 12 % in 2023"  # the mention keeps its wording


def test_warning_over_75_characters():
    assert statement_warning("x" * 75) == ""
    assert "83 characters" in statement_warning(LONG) and "75" in statement_warning(LONG)


def test_over_the_api(api, editor, reviewer, group):
    response = api(reviewer).patch(f"/api/v1/groups/{group.pk}/", {"statement": LONG, "version": 1}, format="json")
    assert response.status_code == 403
    client = api(editor)
    response = client.patch(f"/api/v1/groups/{group.pk}/", {"statement": LONG, "version": 1}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["statement"] == LONG == body["label"] and "83 characters" in body["statement_warning"]
    assert client.patch(f"/api/v1/groups/{group.pk}/", {"statement": "x"}, format="json").status_code == 428
    stale = client.patch(f"/api/v1/groups/{group.pk}/", {"statement": "x", "version": 1}, format="json")
    assert stale.status_code == 409
    assert client.get(f"/api/v1/groups/{group.pk}/").json()["statement_warning"]


def test_in_the_web_ui(client, editor, reviewer, group):
    client.force_login(reviewer)
    page = client.get(reverse("web:group-detail", args=[group.pk])).content.decode()
    assert 'id="statement-edit"' not in page
    assert (
        client.post(reverse("web:group-statement", args=[group.pk]), {"statement": "x", "version": 1}).status_code
        == 403
    )
    client.force_login(editor)
    response = client.post(
        reverse("web:group-statement", args=[group.pk]), {"statement": LONG, "version": 1}, follow=True
    )
    page = response.content.decode()
    assert "Claim statement saved." in page and 'id="statement-warning"' in page and "83 characters" in page
    assert 'id="statement-history"' in page and "the cargo volume rose 12 % in 2023" in page
