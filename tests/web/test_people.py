"""People in the web UI: the list (search by any alias), the speaker page (name, roles, aliases,
what they said across outlets), alias add/remove, rename, merge with confirmation, links from
speaker labels, and the work-queue and search filters finding a person by any alias."""

import pytest
from django.urls import reverse

from factcheck.models import Claim, Person
from factcheck.services.people import claims_people_attach
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db


def said(speaker: str, outlet: str = "Harbour Herald", role: str = "", **kwargs) -> Claim:
    claim = ClaimFactory(
        article=ArticleFactory(outlet=OutletFactory(name=outlet)), speaker=speaker, speaker_role=role, **kwargs
    )
    claims_people_attach(article_id=claim.article_id)
    return Claim.objects.select_related("person").get(pk=claim.pk)


def test_people_list_finds_a_person_by_any_alias(client, reviewer):
    ada = said("Ada Lind").person
    ada.aliases.create(text="A. Lind-Moss", normalized="a lind moss")
    said("Bo Brand")
    client.force_login(reviewer)
    response = client.get(reverse("web:person-list"), {"q": "lind moss"})
    assert [p.pk for p in response.context["page"].object_list] == [ada.pk]
    assert "A. Lind-Moss" in response.content.decode()
    assert len(client.get(reverse("web:person-list")).context["page"].object_list) == 2


def test_speaker_page_shows_roles_aliases_and_what_they_said_across_outlets(client, reviewer):
    first = said("Ada Lind", outlet="Harbour Herald", role="the mayor")
    second = said("ada lind", outlet="Valley Voice", role="the mayor")
    third = said("Ada Lind", outlet="Coast Courier", role="council leader")
    client.force_login(reviewer)
    response = client.get(reverse("web:person-detail", args=[first.person_id]))
    content = response.content.decode()
    assert response.context["roles"] == [
        {"speaker_role": "the mayor", "mentions": 2},
        {"speaker_role": "council leader", "mentions": 1},
    ]
    for claim in (first, second, third):
        assert reverse("web:claim-detail", args=[claim.pk]) in content
        assert claim.article.outlet.name in content
    assert "Merge into another person" not in content  # reviewers read; editors curate


@pytest.mark.parametrize("mentions", [3, 30])
def test_speaker_page_and_people_list_queries_do_not_grow(client, editor, mentions, django_assert_num_queries):
    person = None
    for i in range(mentions):
        person = said("Ada Lind", outlet=f"Outlet {i % 4}", role="the mayor").person
        said(f"Speaker {i}")
    client.force_login(editor)
    client.get(reverse("web:person-detail", args=[person.pk]))  # warm
    # session, user, roles, the person (+ merged_into/merged_by joins), aliases (prefetch), roles,
    # mention count (paginator), the page of mentions with articles and outlets, the bell
    with django_assert_num_queries(9):
        client.get(reverse("web:person-detail", args=[person.pk]))
    # session, user, roles, people count, the page of people with mention counts, aliases, the bell
    with django_assert_num_queries(7):
        client.get(reverse("web:person-list"))


def test_speaker_labels_link_to_the_person(client, reviewer, two_outlets):
    for article in two_outlets["articles"]:
        claims_people_attach(article_id=article.pk)
    mayor = Claim.objects.get(pk=two_outlets["claims"][0].pk)
    client.force_login(reviewer)
    group_page = client.get(reverse("web:group-detail", args=[two_outlets["group"].pk])).content.decode()
    queue = client.get(reverse("web:queue"), {"view": "claims", "status": "any", "min_score": ""}).content.decode()
    link = f'href="{reverse("web:person-detail", args=[mayor.person_id])}"'
    assert link in group_page and link in queue


def test_merge_is_chosen_confirmed_then_done_and_every_mention_follows(client, editor):
    wrong = said("Anthony Blinked")
    right = said("Antony Blinken", outlet="Valley Voice")
    client.force_login(editor)
    url = reverse("web:person-merge", args=[wrong.person_id])
    confirm = client.get(url, {"target": "antony blinken"})
    assert confirm.context["target"].pk == right.person_id
    assert "1 mention of Anthony Blinked become Antony Blinken" in confirm.content.decode()
    assert Claim.objects.get(pk=wrong.pk).person_id == wrong.person_id  # nothing happens before the POST
    response = client.post(url, {"target": right.person_id, "version": 1, "target_version": 1}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:person-detail", args=[right.person_id])
    assert "Anthony Blinked merged into Antony Blinken: 1 mention and 1 alias moved." in response.content.decode()
    assert Claim.objects.get(pk=wrong.pk).person_id == right.person_id
    # the old page leads to the person it became
    old = client.get(reverse("web:person-detail", args=[wrong.person_id]))
    assert old.status_code == 302 and old.url == reverse("web:person-detail", args=[right.person_id])


def test_merge_with_a_stale_version_merges_nothing_and_says_why(client, editor):
    wrong, right = said("Anthony Blinked"), said("Antony Blinken")
    Person.objects.filter(pk=right.person_id).update(version=2)  # someone changed him meanwhile
    client.force_login(editor)
    url = reverse("web:person-merge", args=[wrong.person_id])
    response = client.post(url, {"target": right.person_id, "version": 1, "target_version": 1}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert Claim.objects.get(pk=wrong.pk).person_id == wrong.person_id


def test_merge_offers_a_choice_when_several_people_match(client, editor):
    ada = said("Ada Lind").person
    said("Ada Lindqvist")
    said("Ada Lindgren")
    client.force_login(editor)
    response = client.get(reverse("web:person-merge", args=[ada.pk]), {"target": "ada lind"})
    assert response.context["target"] is None
    assert sorted(p.name for p in response.context["choices"]) == ["Ada Lindgren", "Ada Lindqvist"]


def test_reviewers_cannot_merge_rename_or_edit_aliases(client, reviewer):
    ada, bo = said("Ada Lind").person, said("Bo Brand").person
    client.force_login(reviewer)
    posts = [
        (reverse("web:person-merge", args=[ada.pk]), {"target": bo.pk, "version": 1, "target_version": 1}),
        (reverse("web:person-update", args=[ada.pk]), {"name": "X", "version": 1}),
        (reverse("web:person-alias-add", args=[ada.pk]), {"alias": "Y", "version": 1}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert Person.objects.get(pk=ada.pk).version == 1 and ada.aliases.count() == 1


def test_alias_add_remove_and_rename_from_the_speaker_page(client, editor):
    ada, bo = said("Ada Lind").person, said("Bo Brand").person
    client.force_login(editor)
    page = reverse("web:person-detail", args=[ada.pk])
    response = client.post(reverse("web:person-alias-add", args=[ada.pk]), {"alias": "bo brand", "version": 1})
    assert response.status_code == 400
    assert (
        f"“bo brand” is already an alias of Bo Brand (person {bo.pk}); merge the two people instead."
        in response.content.decode()
    )
    assert client.post(reverse("web:person-alias-add", args=[ada.pk]), {"alias": "A. Lind", "version": 1}).url == page
    alias = ada.aliases.get(text="A. Lind")
    response = client.post(reverse("web:person-alias-remove", args=[ada.pk, alias.pk]), {"version": 2})
    assert response.status_code == 302 and not ada.aliases.filter(pk=alias.pk).exists()
    client.post(reverse("web:person-update", args=[ada.pk]), {"name": "Ada Lind-Moss", "description": "", "version": 3})
    assert Person.objects.get(pk=ada.pk).name == "Ada Lind-Moss"


def test_queue_and_search_find_mentions_by_any_alias(client, editor):
    wrong = said("Anthony Blinked", claim_type="quote")
    right = said("Antony Blinken", claim_type="quote")
    from factcheck.services.people import person_merge

    person_merge(source=wrong.person, target=right.person, by=editor)
    client.force_login(editor)
    queue = client.get(reverse("web:queue"), {"view": "claims", "speaker": "anthony blinked", "min_score": ""})
    assert {c.pk for c in queue.context["page"].object_list} == {wrong.pk, right.pk}
    articles = client.get(reverse("web:queue"), {"speaker": "Blinked", "min_score": ""})
    assert {a.pk for a in articles.context["page"].object_list} == {wrong.article_id, right.article_id}
    search = client.get(reverse("web:search"), {"q": "council", "speaker": "anthony blinked"})
    assert {h.obj.pk for h in search.context["claims"]} == {wrong.pk, right.pk}
    people = client.get(reverse("web:search"), {"q": "Anthony Blinked"})
    assert [p.pk for p in people.context["people"]] == [right.person_id]
