"""Past fact-checks: import (ClaimReview JSON-LD, CheckThat! JSONL), search for any text or claim,
the management commands and the API endpoint."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from matching import selectors
from matching.factchecks import past_fact_checks_import
from matching.models import PastFactCheck

CLAIMREVIEWS = [
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/wind-turbines",
        "claimReviewed": "Wind turbines cause cancer in people living nearby.",
        "datePublished": "2021-03-02",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Blogger"}},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
    },
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/bridge-toll",
        "claimReviewed": "The city council doubled the bridge toll to 8 euros in 2020.",
        "datePublished": "2020-06-10",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"},
    },
]
VCLAIMS = [
    {
        "vclaim_id": "vclaim-sno-moon-cheese",
        "vclaim": "NASA confirmed that the moon is made of cheese.",
        "title": "Is the Moon Made of Cheese?",
        "subtitle": "",
        "author": "A Checker",
        "date": "1 April 2019",
    },
    {
        "vclaim_id": "vclaim-sno-penguins-arctic",
        "vclaim": "Penguins live in the Arctic.",
        "title": "Do Penguins Live at the North Pole?",
        "subtitle": "",
        "author": "A Checker",
        "date": "5 May 2018",
    },
    {
        "vclaim_id": "vclaim-sno-coffee-height",
        "vclaim": "Drinking coffee stunts children's growth.",
        "title": "Does Coffee Stunt Your Growth?",
        "subtitle": "",
        "author": "A Checker",
        "date": "9 September 2017",
    },
]


@pytest.fixture
def files(tmp_path):
    jsonld = tmp_path / "reviews.json"
    jsonld.write_text(json.dumps({"@graph": CLAIMREVIEWS}))
    jsonl = tmp_path / "vclaims.jsonl"
    jsonl.write_text("\n".join(json.dumps(v) for v in VCLAIMS) + "\n")
    return jsonld, jsonl


@pytest.mark.django_db
def test_import_both_formats_and_reimport_updates(files):
    result = past_fact_checks_import(paths=list(files))
    assert (result.created, result.updated, result.failed) == (5, 0, [])
    review = PastFactCheck.objects.get(url="https://checks.example/wind-turbines")
    assert (review.rating, review.publisher, review.claimant, review.published, review.dataset) == (
        "False",
        "Example Checks",
        "A. Blogger",
        date(2021, 3, 2),
        "claimreview",
    )
    vclaim = PastFactCheck.objects.get(external_id="vclaim-sno-moon-cheese")
    assert vclaim.dataset == "clef2022-2a" and vclaim.published == date(2019, 4, 1)
    again = past_fact_checks_import(paths=list(files))
    assert (again.created, again.updated) == (0, 5)
    assert PastFactCheck.objects.count() == 5


@pytest.mark.django_db
def test_bad_records_are_reported_and_skipped(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"vclaim_id": "x1", "vclaim": "Cats can see in total darkness."}\n{"foo": 1}\nnot json\n'
        '{"@type": "ClaimReview", "url": "https://c.example/1"}\n'
    )
    result = past_fact_checks_import(paths=[path])
    assert result.created == 1
    assert len(result.failed) == 3
    assert any("mixed.jsonl:3" in line for line in result.failed)


@pytest.mark.django_db
def test_search_ranks_the_matching_fact_check_first(files):
    past_fact_checks_import(paths=list(files))
    hits = selectors.previously_checked_search(text="My neighbour says the new wind turbines give people cancer!")
    assert hits[0]["fact_check"].url == "https://checks.example/wind-turbines"
    assert hits[0]["score"] > hits[-1]["score"]
    hits = selectors.previously_checked_search(text="did nasa really say the moon is cheese", limit=2)
    assert len(hits) == 2 and hits[0]["fact_check"].external_id == "vclaim-sno-moon-cheese"
    assert selectors.previously_checked_search(text="   ") == []


@pytest.mark.django_db
def test_search_for_a_claim_uses_its_text(files, make_mention):
    past_fact_checks_import(paths=list(files))
    claim = make_mention("Wire", "The council doubled the toll on the bridge to 8 euros, the mayor said.")
    hits = selectors.previously_checked_for_claim(claim=claim)
    assert hits[0]["fact_check"].url == "https://checks.example/bridge-toll"


@pytest.mark.django_db
def test_index_is_rebuilt_after_an_import(files):
    jsonld, jsonl = files
    past_fact_checks_import(paths=[jsonl])
    assert (
        selectors.previously_checked_search(text="wind turbines cause cancer")[0]["fact_check"].dataset == "clef2022-2a"
    )
    past_fact_checks_import(paths=[jsonld])
    assert (
        selectors.previously_checked_search(text="wind turbines cause cancer")[0]["fact_check"].dataset == "claimreview"
    )


@pytest.mark.django_db
def test_commands(files, capsys):
    call_command("import_fact_checks", *map(str, files))
    assert "5 created, 0 updated, 0 failed" in capsys.readouterr().out
    call_command("previously_checked", "--text", "Penguins living in the Arctic?", "--limit", "1")
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert line["results"][0]["claim_text"] == "Penguins live in the Arctic." and len(line["results"]) == 1


@pytest.mark.django_db
def test_command_takes_many_queries_dates_only_when_asked_and_keeps_its_index(files, tmp_path, capsys, monkeypatch):
    from matching import retrieval

    past_fact_checks_import(paths=list(files))
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"id": "q1", "text": "wind turbines cause cancer", "date": "2021-03-05"})
        + "\n"
        + json.dumps({"id": "q2", "text": "is the moon made of cheese"})
        + "\n"
    )
    seen = []
    original = retrieval.FactCheckRanker.candidate_features
    monkeypatch.setattr(
        retrieval.FactCheckRanker,
        "candidate_features",
        lambda self, text, when=None, query_vector=None: seen.append(when) or original(self, text, when, query_vector),
    )
    call_command("previously_checked", str(queries))
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2"]
    assert lines[0]["results"][0]["url"] == "https://checks.example/wind-turbines"
    assert lines[1]["results"][0]["external_id"] == "vclaim-sno-moon-cheese"
    assert seen == [None, None]  # no --dates: the dates in the file are not used
    call_command("previously_checked", str(queries), "--dates")
    capsys.readouterr()
    assert seen[2:] == [date(2021, 3, 5), None]
    # A new process (its in-memory cache empty) loads the index from disk instead of rebuilding it.
    selectors._RANKER.clear()
    monkeypatch.setattr(retrieval.FactCheckRanker, "__init__", lambda *a, **k: pytest.fail("index rebuilt"))
    call_command("previously_checked", str(queries))
    assert len(capsys.readouterr().out.splitlines()) == 2


@pytest.mark.django_db
def test_imported_fact_checks_are_embedded(files):
    past_fact_checks_import(paths=list(files))
    assert not PastFactCheck.objects.filter(embedding="").exists()
    claim_part, _, title_part = PastFactCheck.objects.get(external_id="vclaim-sno-coffee-height").embedding.partition(
        ":"
    )
    assert claim_part and title_part


@pytest.mark.django_db
def test_api_endpoint(client, files, integration, outsider, make_mention):
    past_fact_checks_import(paths=list(files))
    url = "/api/v1/previously-checked/"
    assert client.get(url, {"text": "coffee"}).status_code in (401, 403)
    client.force_login(outsider)
    assert client.get(url, {"text": "coffee"}).status_code == 403
    client.force_login(integration)
    response = client.get(url, {"text": "Is it true that coffee stunts the growth of kids?", "limit": 2})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    assert results[0]["rank"] == 1 and results[0]["fact_check"]["external_id"] == "vclaim-sno-coffee-height"
    response = client.post(
        url, {"text": "wind turbines cause cancer", "date": "2021-03-05"}, content_type="application/json"
    )
    assert response.json()["results"][0]["fact_check"]["rating"] == "False"
    claim = make_mention("Wire", "Penguins live in the Arctic, the zoo keeper claimed.")
    response = client.post(url, {"claim_id": claim.pk}, content_type="application/json")
    assert response.json()["results"][0]["fact_check"]["external_id"] == "vclaim-sno-penguins-arctic"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 400
