"""Downloads of the work queue's filter (issue 18 item 6): claims and verdicts as CSV, JSON Lines
and W3C Web Annotation JSON-LD, streamed, with the command's formula neutralising."""

import csv
import io
import json

import pytest
from django.urls import reverse

from factcheck.export import claim_export_record, claims_for_export
from factcheck.models import Claim, Verdict
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory
from tests.web.conftest import article_with_claims


def download(client, name, fmt, **query):
    response = client.get(reverse(name, args=[fmt]), query)
    assert response.status_code == 200 and response.streaming  # StreamingHttpResponse, never built whole
    return response, b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def evil(db):
    article = ArticleFactory(outlet=OutletFactory(name="=Evil Outlet"), body="=1+2 said the minister on Monday.")
    return ClaimFactory(
        article=article,
        start=0,
        end=4,
        exact="=1+2",
        speaker='=HYPERLINK("http://x.example","y")',
        status=Claim.Status.ACCEPTED,
        checkworthiness=0.8,
    )


def test_claims_csv_is_the_filter_with_formulas_neutralised(client, editor, two_outlets, evil):
    client.force_login(editor)
    response, text = download(
        client,
        "web:claims-export",
        "csv",
        view="claims",
        status="accepted",
        outlet=two_outlets["articles"][0].outlet_id,
        page="3",
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"].startswith('attachment; filename="claims-')
        and ".csv" in response["Content-Disposition"]
    )
    assert text.startswith("\ufeff")  # spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [int(r["claim_id"]) for r in rows] == [two_outlets["claims"][0].pk]  # the outlet filter, every page
    assert rows[0]["outlet"] == "Harbour Courier" and rows[0]["speaker"] == "the mayor"

    _, text = download(client, "web:claims-export", "csv", view="claims", status="any")
    rows = {int(r["claim_id"]): r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert set(rows) == {evil.pk, *(c.pk for c in two_outlets["claims"])}
    assert rows[evil.pk]["exact"] == "'=1+2" and rows[evil.pk]["speaker"].startswith("'=HYPERLINK")
    assert rows[evil.pk]["outlet"] == "'=Evil Outlet"


def test_claims_jsonl_has_the_commands_records(client, reviewer, two_outlets):
    client.force_login(reviewer)
    response, text = download(client, "web:claims-export", "jsonl", view="claims", status="accepted")
    assert response["Content-Type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in text.splitlines()]
    expected = [claim_export_record(c) for c in claims_for_export(statuses=["accepted"])]
    assert records == json.loads(json.dumps(expected)) and len(records) == 2


def test_claims_as_a_web_annotation_collection(client, editor, two_outlets):
    client.force_login(editor)
    response, text = download(client, "web:claims-export", "jsonld", view="claims", status="accepted")
    assert response["Content-Type"].startswith("application/ld+json")
    doc = json.loads(text)
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld" and doc["type"] == "AnnotationCollection"
    items = doc["first"]["items"]
    assert doc["first"]["type"] == "AnnotationPage" and len(items) == 2
    first = two_outlets["claims"][0]
    quote = next(i for i in items if i["id"].endswith(f"/claims/{first.pk}/annotation/"))["target"]["selector"]
    assert {"type": "TextQuoteSelector", "exact": first.exact, "prefix": first.prefix, "suffix": first.suffix} in quote
    assert {"type": "TextPositionSelector", "start": first.start, "end": first.end} in quote
    assert all("@context" not in i for i in items)


def test_verdicts_of_the_filter_never_drafts(client, editor, reviewer, ratings, two_outlets, evil):
    group = two_outlets["group"]
    published = Verdict.objects.create(
        group=group,
        reviewer=reviewer,
        rating=ratings[0],
        rationale="-2+3 is wrong",
        status=Verdict.Status.PUBLISHED,
        approved_by=editor,
        published_by=editor,
    )
    Verdict.objects.create(
        group=group, reviewer=reviewer, rating=ratings[1], rationale="draft", status=Verdict.Status.DRAFT
    )
    client.force_login(editor)
    _, text = download(client, "web:verdicts-export", "csv", view="claims", status="accepted")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [int(r["verdict_id"]) for r in rows] == [published.pk]
    assert rows[0]["rationale"] == "'-2+3 is wrong" and rows[0]["mentions"] == "2"
    assert rows[0]["outlets"] == "Harbour Courier | Valley Gazette" and rows[0]["published_by"] == editor.username

    _, text = download(client, "web:verdicts-export", "jsonl", view="claims", status="accepted")
    (record,) = [json.loads(line) for line in text.splitlines()]
    assert record["verdict_id"] == published.pk and len(record["mentions"]) == 2

    _, text = download(client, "web:verdicts-export", "jsonld", view="claims", status="accepted")
    (annotation,) = json.loads(text)["first"]["items"]
    assert annotation["motivation"] == "assessing" and len(annotation["target"]) == 2
    assert {"type": "TextualBody", "purpose": "assessing", "value": ratings[0].label} in annotation["body"]

    # another outlet's filter: no verdicts
    _, text = download(client, "web:verdicts-export", "csv", view="claims", status="any", outlet=evil.article.outlet_id)
    assert len(text.strip().splitlines()) == 1  # the header only


def test_an_unknown_format_is_a_404(client, editor):
    client.force_login(editor)
    assert client.get("/exports/claims.xlsx").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "jsonld"])
def test_exports_make_a_constant_number_of_queries(client, editor, reviewer, ratings, fmt, django_assert_num_queries):
    """Queries: session, user, roles; then one chunk of claims (select_related article, outlet,
    group) and its two prefetches (verdicts, evidence)."""
    client.force_login(editor)
    for n in (5, 50):
        article = article_with_claims(n)
        Verdict.objects.create(
            group=article.claims.exclude(group=None).first().group,
            reviewer=reviewer,
            rating=ratings[0],
            status=Verdict.Status.PUBLISHED,
        )
        with django_assert_num_queries(6):
            response = client.get(
                reverse("web:claims-export", args=[fmt]), {"view": "claims", "status": "any", "min_score": ""}
            )
            body = b"".join(response.streaming_content)
        assert body.count(b"Sentence") >= n
        Claim.objects.all().delete()


def test_verdict_export_makes_a_constant_number_of_queries(
    client, editor, reviewer, ratings, django_assert_num_queries
):
    """Queries: session, user, roles; one chunk of verdicts (with rating, people, group) and two
    prefetches (the group's mentions with their articles, its evidence)."""
    client.force_login(editor)
    for n in (4, 40):
        article = article_with_claims(n)
        for claim in article.claims.exclude(group=None):
            Verdict.objects.create(
                group=claim.group, reviewer=reviewer, rating=ratings[0], status=Verdict.Status.PUBLISHED
            )
        with django_assert_num_queries(6):
            response = client.get(
                reverse("web:verdicts-export", args=["csv"]), {"view": "claims", "status": "any", "min_score": ""}
            )
            rows = b"".join(response.streaming_content).decode().strip().splitlines()
        assert len(rows) == 1 + n // 2
        Verdict.objects.all().delete()


def test_the_queue_links_the_downloads_of_its_filter(client, editor, two_outlets):
    client.force_login(editor)
    outlet = two_outlets["articles"][0].outlet_id
    content = client.get("/", {"view": "claims", "outlet": outlet, "page": "1"}).content.decode()
    assert f'href="/exports/claims.csv?view=claims&amp;outlet={outlet}"' in content
    assert f'href="/exports/verdicts.jsonld?view=claims&amp;outlet={outlet}"' in content
