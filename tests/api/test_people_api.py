"""/api/v1/people/: search by any alias, detail, rename, aliases, merge (mentions follow), and
claims exposing and correcting their person. Permissions per role are in test_permissions.py."""

import pytest

from factcheck.models import Claim, Person
from factcheck.services.people import claims_people_attach
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db


def said(speaker: str, outlet: str = "Harbour Herald", **kwargs) -> Claim:
    claim = ClaimFactory(article=ArticleFactory(outlet=OutletFactory(name=outlet)), speaker=speaker, **kwargs)
    claims_people_attach(article_id=claim.article_id)
    return Claim.objects.get(pk=claim.pk)


def test_people_are_found_by_any_alias_and_show_aliases_and_mentions(api, integration):
    ada = said("Ada Lind").person
    said("ada lind", outlet="Valley Voice")
    said("Bo Brand")
    client = api(integration)
    body = client.get("/api/v1/people/", {"q": "LIND"}).json()
    assert [p["name"] for p in body["results"]] == ["Ada Lind"]
    person = body["results"][0]
    assert person["mentions"] == 2 and person["kind"] == "person" and person["merged_into"] is None
    assert [a["text"] for a in person["aliases"]] == ["Ada Lind"]
    assert client.get("/api/v1/people/", {"q": "nobody"}).json()["count"] == 0
    detail = client.get(f"/api/v1/people/{ada.pk}/")
    assert detail.status_code == 200 and detail["ETag"] == f'"person-{ada.pk}-v{ada.version}"'


def test_merge_through_the_api_moves_mentions_and_hides_the_merged_person(api, editor, integration):
    wrong = said("Anthony Blinked")
    right = said("Antony Blinken", outlet="Valley Voice")
    client = api(editor)
    response = client.post(
        f"/api/v1/people/{wrong.person_id}/merge/", {"into": right.person_id, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"target": right.person_id, "source": wrong.person_id, "mentions": 1, "aliases": 1}
    claim = api(integration).get(f"/api/v1/claims/{wrong.pk}/").json()
    assert (claim["person"], claim["person_name"], claim["speaker"]) == (
        right.person_id,
        "Antony Blinken",
        "Anthony Blinked",
    )
    names = [p["name"] for p in client.get("/api/v1/people/").json()["results"]]
    assert names == ["Antony Blinken"]
    merged = client.get(f"/api/v1/people/{wrong.person_id}/").json()
    assert merged["merged_into"] == right.person_id
    # the wrong spelling is now one of his names: the claims filter finds both mentions by it
    ids = {c["id"] for c in client.get("/api/v1/claims/", {"speaker": "anthony blinked"}).json()["results"]}
    assert ids == {wrong.pk, right.pk}
    ids = {c["id"] for c in client.get("/api/v1/claims/", {"person": right.person_id}).json()["results"]}
    assert ids == {wrong.pk, right.pk}
    again = client.post(
        f"/api/v1/people/{wrong.person_id}/merge/", {"into": right.person_id, "version": 2}, format="json"
    )
    assert again.status_code == 400 and "already merged" in again.json()["detail"]


def test_stale_versions_and_taken_aliases_are_refused_clearly(api, editor):
    ada, bo = said("Ada Lind").person, said("Bo Brand").person
    client = api(editor)
    stale = client.post(f"/api/v1/people/{ada.pk}/aliases/", {"alias": "A. Lind", "version": 7}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert client.post(f"/api/v1/people/{ada.pk}/aliases/", {"alias": "A. Lind"}, format="json").status_code == 428
    taken = client.post(f"/api/v1/people/{ada.pk}/aliases/", {"alias": "bo brand", "version": 1}, format="json")
    assert taken.status_code == 400
    assert taken.json()["field"] == "alias" and f"Bo Brand (person {bo.pk})" in taken.json()["detail"]
    added = client.post(
        f"/api/v1/people/{ada.pk}/aliases/", {"alias": "A. Lind"}, format="json", HTTP_IF_MATCH=f'"person-{ada.pk}-v1"'
    )
    assert added.status_code == 201 and sorted(a["text"] for a in added.json()["aliases"]) == ["A. Lind", "Ada Lind"]
    alias_id = next(a["id"] for a in added.json()["aliases"] if a["text"] == "A. Lind")
    removed = client.delete(f"/api/v1/people/{ada.pk}/aliases/{alias_id}/", {"version": 2}, format="json")
    assert removed.status_code == 200 and [a["text"] for a in removed.json()["aliases"]] == ["Ada Lind"]
    renamed = client.patch(f"/api/v1/people/{ada.pk}/", {"name": "Ada Lind-Moss", "version": 3}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Ada Lind-Moss"
    assert Person.objects.get(pk=ada.pk).version == 4


def test_a_claims_speaker_is_corrected_to_a_person_with_an_undo(api, editor):
    claim = said("Anthony Blinked")
    wrong = claim.person_id
    right = said("Antony Blinken").person
    client = api(editor)
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/", {"person": right.pk, "version": claim.version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["person"], response.json()["person_name"]) == (right.pk, "Antony Blinken")
    undo = client.post("/api/v1/claims/bulk-undo/", {"undo": response.json()["undo"]}, format="json")
    assert undo.status_code == 200 and undo.json()["restored"] == [claim.pk]
    assert Claim.objects.get(pk=claim.pk).person_id == wrong
