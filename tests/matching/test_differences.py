"""How outlets differ: numbers, names, dates, quote wording and certainty marked side by side;
the template include and the export extras, with pinned query counts."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from factcheck.models import Claim, ClaimGroup, Evidence, Verdict
from matching import selectors, services
from matching.differences import Mention, group_differences_compute
from tests.factories import RatingFactory, SourceFactory, UserFactory
from web.selectors import group_for_view


def _marked(row, kind):
    return [seg["text"] for seg in row["segments"] if seg["kind"] == kind]


def test_numbers_names_dates_and_certainty_are_marked():
    diff = group_differences_compute(
        [
            Mention(
                1, "Russia has amassed over 130,000 troops on the border, officials said on Monday.", outlet="Wire"
            ),
            Mention(
                2,
                "Russia has reportedly amassed 150,000 troops on the border, Blinken said on Tuesday.",
                outlet="Daily",
            ),
        ]
    )
    wire, daily = diff["mentions"]
    assert diff["differs"]["numbers"] and diff["differs"]["dates"] and diff["differs"]["certainty"]
    assert "130,000" in _marked(wire, "number") and "150,000" in _marked(daily, "number")
    assert "Blinken" in _marked(daily, "name")
    assert "reportedly" in _marked(daily, "certainty")
    assert (wire["certainty"], daily["certainty"]) == ("asserted", "hedged")
    assert "".join(seg["text"] for seg in daily["segments"]) == daily["text"]  # nothing lost


def test_hedge_versus_assertion():
    diff = group_differences_compute(
        [
            Mention(1, "The company floated the idea of closing two plants."),
            Mention(2, "The company announced it will close two plants."),
        ]
    )
    floated, announced = diff["mentions"]
    assert "floated the idea" in _marked(floated, "certainty")
    assert "announced" in _marked(announced, "certainty")


def test_same_quotation_in_other_words_is_a_quote_variant():
    diff = group_differences_compute(
        [
            Mention(1, "“We will take every step needed to protect the independence of Luhansk,” he said."),
            Mention(2, "“We will take all the steps needed to protect the independence of Lugansk,” he said."),
            Mention(3, "The minister spoke about the economy."),
        ]
    )
    first, second, third = diff["mentions"]
    assert diff["quote_variant"] and diff["differs"]["quotes"]
    assert first["quote_variant"] and second["quote_variant"] and not third["quote_variant"]
    assert "every step" in " ".join(_marked(first, "quote"))
    assert "Luhansk" not in " ".join(_marked(first, "quote"))  # a spelling variant is not a wording change


def test_identical_versions_show_no_difference():
    text = "The council approved the budget on Tuesday."
    diff = group_differences_compute([Mention(1, text), Mention(2, text)])
    assert not diff["any_difference"]
    assert all(seg["kind"] == "" for row in diff["mentions"] for seg in row["segments"])


@pytest.mark.django_db
def test_group_page_include_renders_outlets_side_by_side(make_mention, django_assert_num_queries):
    first = make_mention("Wire", "Russia has amassed over 130,000 troops along the Ukraine border, officials said.")
    second = make_mention("Daily", "Russia has reportedly amassed 130,000 troops along the border with Ukraine.")
    services.claims_match(article_ids=[first.article_id, second.article_id])
    group = ClaimGroup.objects.get(pk=Claim.objects.get(pk=first.pk).group_id)
    group = group_for_view(group_id=group.pk)
    # Queries: the mentions' signatures (the mentions themselves are prefetched).
    with django_assert_num_queries(1):
        html = render_to_string("web/_group_differences.html", {"group": group})
    assert "Wire" in html and "Daily" in html
    assert '<mark class="diff-certainty" title="hedge">reportedly</mark>' in html
    assert "How outlets differ" in html


@pytest.mark.django_db
def test_export_extra_carries_group_verdict_and_sources(make_mention, django_assert_num_queries, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_AUTO_LINK": 0.7}  # this pair scores 0.77
    first = make_mention("Wire", "The city council approved a plan on Monday to ban cars from the old town centre.")
    second = make_mention(
        "Daily", "On Monday the city council backed a plan to ban cars from the historic town centre."
    )
    lone = make_mention("Post", "The weather was fine.")
    services.claims_match(article_ids=[first.article_id, second.article_id, lone.article_id])
    group = ClaimGroup.objects.get(pk=Claim.objects.get(pk=first.pk).group_id)
    Verdict.objects.create(
        group=group,
        reviewer=UserFactory(),
        rating=RatingFactory(label="True"),
        status=Verdict.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    source = SourceFactory(url="https://www.whitehouse.example/eo", title="Executive Order")
    Evidence.objects.create(group=group, source=source, relation="supports", quoted_passage="prohibits new investment")
    # Queries: claims+groups, verdicts (with ratings), evidence (with sources).
    with django_assert_num_queries(3):
        rows = {
            c.pk: selectors.claim_export_extra(c)
            for c in selectors.claims_with_group_data(Claim.objects.order_by("id"))
        }
    extra = rows[second.pk]
    assert extra["group_id"] == group.pk and extra["verdict"]["rating"] == "True"
    assert extra["sources"] == [
        {
            "url": "https://www.whitehouse.example/eo",
            "title": "Executive Order",
            "publisher": "",
            "relation": "supports",
            "quoted_passage": "prohibits new investment",
            "source_id": source.pk,
        }
    ]
    assert rows[lone.pk] == {
        "group_id": None,
        "group_label": None,
        "grouped_by": None,
        "group_score": None,
        "verdict": None,
        "sources": [],
    }
