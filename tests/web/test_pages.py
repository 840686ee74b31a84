"""The web UI's read pages: who may open them, what they show, and how many queries they make."""

import json
import re
from datetime import UTC

import pytest
from django.urls import reverse

from factcheck.models import Claim, Evidence, Verdict
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, SourceFactory, UserFactory
from tests.web.conftest import article_with_claims


def claims_json(response) -> list[dict]:
    match = re.search(r'<script id="claims-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the article page carries its claims as JSON"
    return json.loads(match.group(1))


@pytest.fixture
def page_urls(two_outlets):
    group = two_outlets["group"]
    source = SourceFactory()
    Evidence.objects.create(group=group, source=source)
    from factcheck.services.people import claims_people_attach

    for article in two_outlets["articles"]:
        claims_people_attach(article_id=article.pk)
    person_id = Claim.objects.filter(pk=two_outlets["claims"][0].pk).values_list("person_id", flat=True).get()
    return [
        reverse("web:person-list"),
        reverse("web:person-list") + "?q=mayor",
        reverse("web:person-detail", args=[person_id]),
        reverse("web:queue"),
        reverse("web:queue") + "?view=claims",
        reverse("web:article-detail", args=[two_outlets["articles"][0].pk]),
        reverse("web:group-detail", args=[group.pk]),
        reverse("web:search") + "?q=barrier",
        reverse("web:dashboard"),
        reverse("web:source-list"),
        reverse("web:source-detail", args=[source.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, page_urls):
    for url in page_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_a_user_without_a_role_gets_403(client, outsider, page_urls):
    client.force_login(outsider)
    for url in page_urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"You cannot open this page" in response.content


@pytest.mark.parametrize("persona", ["editor", "reviewer", "admin_user"])
def test_every_role_that_reads_can_open_every_page(client, page_urls, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in page_urls:
        assert client.get(url).status_code == 200, url


def test_sign_in_page_signs_in_and_lands_on_the_work_queue(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content
    response = client.post(reverse("login"), {"username": editor.username, "password": "pass-for-tests"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert b"Work queue" in client.get("/").content
    bad = client.post(reverse("login"), {"username": editor.username, "password": "wrong"})
    assert b"do not match" in bad.content


def test_work_queue_lists_articles_with_undecided_candidates(client, editor):
    waiting = ClaimFactory(article=ArticleFactory(headline="Waiting article"), checkworthiness=0.9)
    decided = ClaimFactory(article=ArticleFactory(headline="Decided article"), status=Claim.Status.ACCEPTED)
    client.force_login(editor)
    content = client.get("/").content.decode()
    assert "Waiting article" in content
    assert "Decided article" not in content
    # status=accepted shows articles with accepted claims instead
    content = client.get("/?status=accepted").content.decode()
    assert "Decided article" in content and "Waiting article" not in content
    assert waiting.pk and decided.pk


def test_work_queue_filters_claims_by_outlet_type_score_and_status(client, editor):
    herald = OutletFactory(name="Herald")
    keep = ClaimFactory(
        article=ArticleFactory(outlet=herald, body="Prices rose by 40% last year. Other text."),
        claim_type=Claim.Type.QUANTITY,
        checkworthiness=0.9,
    )
    ClaimFactory(
        article=ArticleFactory(outlet=herald, body="Low score sentence here. Other text."),
        claim_type=Claim.Type.QUANTITY,
        checkworthiness=0.1,
    )
    ClaimFactory(
        article=ArticleFactory(body="Another outlet sentence. More."),
        claim_type=Claim.Type.QUANTITY,
        checkworthiness=0.95,
    )
    ClaimFactory(
        article=ArticleFactory(outlet=herald, body="An opinion of the writer. More."),
        claim_type=Claim.Type.OPINION,
        checkworthiness=0.95,
    )
    client.force_login(editor)
    response = client.get("/", {"view": "claims", "outlet": herald.pk, "claim_type": "quantity", "min_score": "0.5"})
    rows = response.context["page"].object_list
    assert [c.pk for c in rows] == [keep.pk]
    # rejected claims only appear when asked for (an empty score field: every score)
    Claim.objects.filter(pk=keep.pk).update(status=Claim.Status.REJECTED)
    assert list(
        client.get("/", {"view": "claims", "outlet": herald.pk, "min_score": ""}).context["page"].object_list
    ) == [c for c in Claim.objects.filter(article__outlet=herald, status="candidate").order_by("-checkworthiness")]
    rejected = client.get("/", {"view": "claims", "status": "rejected"}).context["page"].object_list
    assert [c.pk for c in rejected] == [keep.pk]


@pytest.mark.parametrize("view", ["articles", "claims"])
def test_work_queue_score_filter_starts_at_the_threshold_with_every_score_one_click_away(
    client, editor, settings, view
):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.6}
    worthy = ClaimFactory(article=ArticleFactory(headline="Worthy article"), checkworthiness=0.7)
    below = ClaimFactory(article=ArticleFactory(headline="Below article"), checkworthiness=0.4)
    client.force_login(editor)
    response = client.get("/", {"view": view})
    assert response.context["form"]["min_score"].value() in (0.6, "0.6")
    content = response.content.decode()
    assert 'name="min_score"' in content and 'value="0.6"' in content
    rows = list(response.context["page"].object_list)
    assert rows == ([worthy.article] if view == "articles" else [worthy])
    # "All scores" keeps the other parameters and empties the score field
    link = re.search(r'id="all-scores" href="\?([^"]*)"', content).group(1).replace("&amp;", "&")
    assert f"view={view}" in link and "min_score=" in link
    everything = client.get("/?" + link)
    assert set(everything.context["page"].object_list) == (
        {worthy.article, below.article} if view == "articles" else {worthy, below}
    )
    assert 'id="all-scores"' not in everything.content.decode()
    # an explicit score wins over the threshold
    assert list(client.get("/", {"view": view, "min_score": "0.3"}).context["page"].object_list)[-1] in (
        below,
        below.article,
    )


def test_article_queue_ranks_by_check_worthy_candidates(client, editor, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.5}
    many_low = ArticleFactory(headline="Many low", body="One. Two. Three. Four. Five.")
    for i, sentence in enumerate(["One.", "Two.", "Three.", "Four."]):
        start = many_low.body.index(sentence)
        ClaimFactory(
            article=many_low, start=start, end=start + len(sentence), exact=sentence, checkworthiness=0.2 + i / 100
        )
    two_worthy = ArticleFactory(headline="Two worthy", body="Alpha rose 5%. Beta fell 3%.")
    for sentence, score in (("Alpha rose 5%.", 0.6), ("Beta fell 3%.", 0.55)):
        start = two_worthy.body.index(sentence)
        ClaimFactory(article=two_worthy, start=start, end=start + len(sentence), exact=sentence, checkworthiness=score)
    one_best = ClaimFactory(article=ArticleFactory(headline="One best"), checkworthiness=0.95).article
    client.force_login(editor)
    rows = list(client.get("/", {"min_score": ""}).context["page"].object_list)
    assert rows == [two_worthy, one_best, many_low]  # check-worthy candidates, then the best score


def test_assigned_to_me_is_not_filtered_by_score(client, reviewer, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.6}
    mine = ClaimFactory(assigned_to=reviewer, status=Claim.Status.ACCEPTED, checkworthiness=0.1)
    client.force_login(reviewer)
    assert [c.pk for c in client.get("/", {"view": "mine"}).context["page"].object_list] == [mine.pk]


def test_article_page_score_filter_starts_at_the_threshold(client, editor, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.6}
    claim = ClaimFactory(checkworthiness=0.4)
    client.force_login(editor)
    content = client.get(reverse("web:article-detail", args=[claim.article_id])).content.decode()
    assert re.search(r'<input id="f-score"[^>]* value="0.6"', content)
    assert 'id="f-score-all"' in content


def test_work_queue_filters_by_publication_date(client, editor):
    from datetime import datetime

    old = ClaimFactory(article=ArticleFactory(published_at=datetime(2022, 2, 21, 12, tzinfo=UTC)))
    new = ClaimFactory(article=ArticleFactory(published_at=datetime(2026, 4, 12, 12, tzinfo=UTC)))
    client.force_login(editor)
    rows = client.get("/", {"view": "claims", "date_from": "2026-01-01"}).context["page"].object_list
    assert [c.pk for c in rows] == [new.pk]
    rows = client.get("/", {"view": "claims", "date_to": "2022-12-31"}).context["page"].object_list
    assert [c.pk for c in rows] == [old.pk]


def test_assigned_to_me_shows_only_my_claims(client, reviewer):
    mine = ClaimFactory(assigned_to=reviewer, status=Claim.Status.ACCEPTED)
    ClaimFactory(assigned_to=UserFactory(), status=Claim.Status.ACCEPTED)
    ClaimFactory()
    client.force_login(reviewer)
    response = client.get("/", {"view": "mine"})
    assert [c.pk for c in response.context["page"].object_list] == [mine.pk]
    assert response.context["counts"]["assigned"] == 1


@pytest.mark.parametrize("view", ["articles", "claims"])
def test_work_queue_makes_the_same_number_of_queries_for_5_and_50_rows(client, editor, django_assert_num_queries, view):
    client.force_login(editor)
    for n in (5, 50):
        for _ in range(n // 5):
            article_with_claims(5)
        # session, user, roles, tab counts, pending match suggestions, outlets (filter form), page count, page rows,
        # the bell's unread notifications
        with django_assert_num_queries(9):
            assert client.get("/", {"view": view}).status_code == 200


def test_article_view_makes_a_constant_number_of_queries(client, editor, ratings, django_assert_num_queries):
    """Queries: session, user, the user's roles, the user's shortcut preferences, the article (with
    outlet), its claims (with the published verdict of each claim's group as a subquery), the
    bell's unread notifications."""
    small, large = article_with_claims(5), article_with_claims(50)
    for article in (small, large):
        group = article.claims.exclude(group=None).first().group
        Verdict.objects.create(group=group, reviewer=editor, rating=ratings[0], status=Verdict.Status.PUBLISHED)
    client.force_login(editor)
    for article, count in ((small, 5), (large, 50)):
        with django_assert_num_queries(7):
            response = client.get(reverse("web:article-detail", args=[article.pk]))
        assert len(claims_json(response)) == count


def test_article_view_renders_the_text_once_as_inert_escaped_text(client, editor):
    body = 'Before <script>window.__pwned = 1</script> and <b onmouseover="x()">bold</b> & “quotes”.'
    article = ArticleFactory(body=body, headline="<img src=x onerror=alert(1)> headline")
    ClaimFactory(article=article, start=0, end=6)
    client.force_login(editor)
    content = client.get(reverse("web:article-detail", args=[article.pk])).content.decode()
    assert "<script>window.__pwned" not in content
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in content
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;bold&lt;/b&gt; &amp; “quotes”." in content
    assert "<img src=x" not in content
    assert content.count("window.__pwned") == 1  # the body is in the page once (the JSON carries offsets only)


def test_article_view_json_has_code_point_offsets_and_claim_details(client, editor, ratings, two_outlets):
    first, second = two_outlets["articles"]
    a, b = two_outlets["claims"]
    Verdict.objects.create(
        group=two_outlets["group"], reviewer=editor, rating=ratings[1], status=Verdict.Status.PUBLISHED
    )
    client.force_login(editor)
    [item] = claims_json(client.get(reverse("web:article-detail", args=[second.pk])))
    assert item == {
        "id": b.pk,
        "article": second.pk,
        "start": b.start,
        "end": b.end,
        "status": "accepted",
        "origin": "machine",
        "type": "other",
        "type_label": "Other",
        "score": 0.8,
        "speaker": "Officials",
        "speaker_role": "",
        "person": None,
        "anonymous": True,
        "version": 1,
        "group": two_outlets["group"].pk,
        "anchor": "ok",
        "edited": False,
        "assignee": "",
        "verdict": {"id": item["verdict"]["id"], "label": ratings[1].label, "date": "", "confirmed": True},
        "machine_linked": False,
    }
    assert second.body[item["start"] : item["end"]] == b.exact


def test_claim_page_redirects_to_its_group_or_shows_an_ungrouped_claim(client, editor, two_outlets):
    a = two_outlets["claims"][0]
    client.force_login(editor)
    response = client.get(reverse("web:claim-detail", args=[a.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:group-detail", args=[a.group_id]) + f"?mention={a.pk}#mention-{a.pk}"
    loose = ClaimFactory()
    page = client.get(reverse("web:claim-detail", args=[loose.pk]))
    assert page.status_code == 200 and b"Accept for checking" in page.content


def test_group_page_shows_every_mention_side_by_side(client, reviewer, two_outlets):
    client.force_login(reviewer)
    response = client.get(reverse("web:group-detail", args=[two_outlets["group"].pk]))
    content = response.content.decode()
    assert response.context["outlet_count"] == 2
    assert "Harbour Courier" in content and "Valley Gazette" in content
    assert "<mark>“It will protect 40,000 homes,”</mark>" in content
    assert "<mark>Officials said it could protect 40,000 homes.</mark>" in content
    assert "anonymous source" in content
    # a reviewer drafts verdicts and links sources, but cannot accept, reject or split
    assert "Draft a verdict" in content and "Link a source" in content
    assert reverse("web:claim-accept", args=[two_outlets["claims"][0].pk]) not in content
    assert "Not the same claim" not in content


def test_group_page_names_a_speakers_role_only_when_it_adds_something(client, reviewer, two_outlets):
    named, anonymous = two_outlets["claims"]
    Claim.objects.filter(pk=named.pk).update(speaker="Anna Berg", speaker_role="mayor")
    Claim.objects.filter(pk=anonymous.pk).update(speaker="a council official", speaker_role="council official")
    client.force_login(reviewer)
    content = client.get(reverse("web:group-detail", args=[two_outlets["group"].pk])).content.decode()
    assert "Anna Berg, mayor" in content
    assert "a council official" in content and "a council official, council official" not in content


def test_group_page_renders_the_differences_include_when_it_exists(client, editor, two_outlets, settings, tmp_path):
    url = reverse("web:group-detail", args=[two_outlets["group"].pk])
    client.force_login(editor)
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "_group_differences.html").write_text('<div id="diffs">{{ mentions|length }} mentions compared</div>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert '<div id="diffs">2 mentions compared</div>' in client.get(url).content.decode()


def test_group_page_queries_do_not_grow_with_mentions(client, editor, two_outlets, django_assert_max_num_queries):
    client.force_login(editor)
    url = reverse("web:group-detail", args=[two_outlets["group"].pk])
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for i in range(10):
        ClaimFactory(
            article=ArticleFactory(body=f"Officials said {i} things. More."),
            group=two_outlets["group"],
            status=Claim.Status.ACCEPTED,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["mentions"]) == 12


def test_search_finds_claims_and_articles_and_marks_the_match(client, editor, two_outlets):
    ArticleFactory(headline="Unrelated", body="Nothing about <b>barriers</b> here at all.")
    client.force_login(editor)
    response = client.get(reverse("web:search"), {"q": "40,000 homes"})
    assert {c.obj.pk for c in response.context["claims"]} == {c.pk for c in two_outlets["claims"]}
    assert {a.obj.pk for a in response.context["articles"]} == {a.pk for a in two_outlets["articles"]}
    assert "<mark>40</mark>,<mark>000</mark> <mark>homes</mark>" in response.content.decode()  # every word marked
    escaped = client.get(reverse("web:search"), {"q": "barriers"}).content.decode()
    # the text's "<b>" is shown escaped (SQLite FTS5) or left out of the snippet (PostgreSQL's
    # ts_headline drops what its parser takes for tags); never as markup
    assert "<mark>barriers</mark>" in escaped and "<b>" not in escaped


def test_search_can_be_limited_to_one_outlet(client, editor, two_outlets):
    client.force_login(editor)
    outlet = two_outlets["articles"][1].outlet
    response = client.get(reverse("web:search"), {"q": "homes", "outlet": outlet.pk})
    assert [c.obj.pk for c in response.context["claims"]] == [two_outlets["claims"][1].pk]


def test_dashboard_draws_claims_and_verdicts_per_outlet_and_throughput(client, editor, ratings, two_outlets):
    from django.utils import timezone

    Claim.objects.filter(pk=two_outlets["claims"][0].pk).update(decided_at=timezone.now())
    Verdict.objects.create(
        group=two_outlets["group"],
        reviewer=editor,
        rating=ratings[0],
        status=Verdict.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    client.force_login(editor)
    response = client.get(reverse("web:dashboard"))
    content = response.content.decode()
    assert content.count('<svg class="chart"') == 4  # (the bell in the top bar is an <svg> too)
    assert "Harbour Courier: 1 accepted" in content
    assert f"Valley Gazette: 1 {ratings[0].label.lower()}" in content
    assert ": 1 accepted" in content and ": 1 published verdicts" in content
    assert response.context["totals"]["published"] == 1


def test_source_pages_list_sources_and_where_they_are_used(client, reviewer, two_outlets):
    source = SourceFactory(title="Council minutes", publisher="Harbourton council")
    Evidence.objects.create(group=two_outlets["group"], source=source, relation="supports", quoted_passage="31 to 17")
    client.force_login(reviewer)
    listing = client.get(reverse("web:source-list"), {"q": "minutes"})
    assert [s.pk for s in listing.context["page"].object_list] == [source.pk]
    detail = client.get(reverse("web:source-detail", args=[source.pk])).content.decode()
    assert two_outlets["group"].label in detail and "31 to 17" in detail and "Supports" in detail


def test_article_view_loads_its_script_as_modules_and_preloads_every_one(client, editor):
    """main.js is a module; every other module in static/web/article/ is preloaded (so the browser
    fetches them at once, not one import level at a time) and is imported by some module."""
    from tests.conftest import REPO

    claim = ClaimFactory()
    client.force_login(editor)
    content = client.get(reverse("web:article-detail", args=[claim.article_id])).content.decode()
    assert '<script type="module" src="/static/web/article/main.js"></script>' in content
    assert "web/article.js" not in content
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/web/article/([\w-]+\.js)">', content))
    folder = REPO / "static" / "web" / "article"
    modules = {path.name for path in folder.glob("*.js")}
    assert preloaded == modules - {"main.js"}
    imported = set()
    for path in folder.glob("*.js"):
        imported |= set(re.findall(r'^import [^;]*? from "\./([\w-]+\.js)";', path.read_text(), flags=re.M | re.S))
    assert imported == modules - {"main.js"}
