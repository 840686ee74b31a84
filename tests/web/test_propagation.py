"""#16.4: a verdict shows as *the* verdict only on mentions a person accepted or confirmed as the
same claim; on machine-linked undecided mentions it is "possibly the same claim — verdict X on …",
drawn differently, with one click to confirm or detach; dashboard counts and ClaimReview agree."""

import json

import pytest
from django.urls import reverse

from factcheck.models import Claim, Verdict
from matching.models import MatchDecision
from matching.selectors import claim_export_extra, claims_with_group_data
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory


@pytest.fixture
def checked(two_outlets, reviewer, ratings):
    """two_outlets' group (two confirmed mentions), a third outlet's machine-linked undecided
    mention that says something broader, and a published verdict."""
    group = two_outlets["group"]
    Claim.objects.filter(group=group).update(grouped_by="human")
    broader = ArticleFactory(
        outlet=OutletFactory(name="Coast Times"),
        headline="Barrier bans all goods",
        body="The barrier means banning all goods from the harbour, officials said.",
    )
    machine = ClaimFactory(
        article=broader,
        start=0,
        end=len(broader.body) - 1,
        group=group,
        grouped_by="clause-matcher/1.0",
        group_score=0.74,
        status="candidate",
    )
    verdict = Verdict.objects.create(
        group=group,
        reviewer=reviewer,
        rating=ratings[5],
        rationale="True.",
        status=Verdict.Status.PUBLISHED,
        published_at="2024-03-05T10:00:00Z",
    )
    return {
        "group": group,
        "machine": machine,
        "confirmed": two_outlets["claims"],
        "verdict": verdict,
        "articles": [*two_outlets["articles"], broader],
    }


def _payload(client, article) -> dict:
    page = client.get(reverse("web:article-detail", args=[article.pk]))
    return {c["id"]: c for c in json.loads(json.dumps(page.context["claims"]))}  # as the script receives it


def test_the_article_view_marks_the_verdict_as_possible_on_a_machine_link(client, editor, checked):
    client.force_login(editor)
    confirmed = _payload(client, checked["articles"][0])[checked["confirmed"][0].pk]["verdict"]
    possible = _payload(client, checked["articles"][2])[checked["machine"].pk]["verdict"]
    assert confirmed["confirmed"] is True and possible["confirmed"] is False
    assert possible["label"] == checked["verdict"].rating.label and possible["date"] == "5 Mar 2024"


def test_the_group_page_shows_possible_mentions_with_one_click_confirm_or_detach(client, editor, reviewer, checked):
    machine = checked["machine"]
    url = reverse("web:group-detail", args=[checked["group"].pk])
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert f'id="possible-{machine.pk}"' in page and "Possibly the same claim" in page
    assert page.count('class="possible-link"') == 1  # the confirmed mentions show no such mark
    assert reverse("web:claim-link-confirm", args=[machine.pk]) not in page  # reviewers do not group claims
    assert client.post(reverse("web:claim-link-confirm", args=[machine.pk])).status_code == 403
    client.force_login(editor)
    assert reverse("web:claim-link-confirm", args=[machine.pk]) in client.get(url).content.decode()
    response = client.post(
        reverse("web:claim-link-confirm", args=[machine.pk]),
        {"version": machine.version},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200 and response.json()["claim"]["verdict"]["confirmed"] is True
    machine.refresh_from_db()
    assert machine.grouped_by == "human"
    assert MatchDecision.objects.filter(kind="same", action="confirm").count() == 2  # with both other mentions
    assert 'class="possible-link"' not in client.get(url).content.decode()


def test_detach_takes_the_mention_and_the_verdict_apart(client, editor, checked):
    machine = checked["machine"]
    client.force_login(editor)
    response = client.post(reverse("web:claim-link-detach", args=[machine.pk]), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["claim"]["verdict"] is None
    machine.refresh_from_db()
    assert machine.group_id != checked["group"].pk and machine.grouped_by == "human"


def test_dashboard_counts_and_exports_follow_the_same_rule(client, editor, checked):
    client.force_login(editor)
    response = client.get(reverse("web:dashboard"))
    stats = response.context["stats"]
    assert stats["totals"]["possibly_checked"] == 1 and 'id="tile-possibly-checked"' in response.content.decode()
    assert set(stats["verdicts_by_outlet"]) == {"Harbour Courier", "Valley Gazette"}  # not Coast Times
    extras = {c.pk: claim_export_extra(c) for c in claims_with_group_data(Claim.objects.all())}
    assert extras[checked["machine"].pk]["verdict"]["confirmed"] is False
    assert extras[checked["confirmed"][0].pk]["verdict"]["confirmed"] is True
    from factcheck.csv_export import COLUMNS, claim_csv_row
    from factcheck.export import claim_export_record, claims_for_export

    records = {c.pk: (claim_export_record(c), claim_csv_row(c)) for c in claims_for_export()}
    column = COLUMNS.index("verdict_confirmed")
    assert records[checked["machine"].pk][0]["verdict_confirmed"] is False
    assert records[checked["machine"].pk][1][column] == "false"
    assert records[checked["confirmed"][1].pk][1][column] == "true"
