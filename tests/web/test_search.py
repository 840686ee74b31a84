"""Ranked full-text search (issue 18 item 5): PostgreSQL full-text search or SQLite FTS5 (the same
tests run on both), word forms and British/American spellings, highlights, and the filters."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from factcheck.models import Claim, Verdict
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, OutletFactory
from web.search import query_words, search_run
from web.selectors import search_scope


def claim_on(article, phrase, **fields):
    start = article.body.index(phrase)
    return ClaimFactory(article=article, start=start, end=start + len(phrase), exact=phrase, **fields)


@pytest.fixture
def corpus(db, ratings, reviewer):
    ledger, post = OutletFactory(name="Daily Ledger"), OutletFactory(name="Evening Post")
    american = ArticleFactory(
        outlet=ledger,
        headline="Senate vote",
        published_at=timezone.now() - timezone.timedelta(days=40),
        body="The senator said the treaty was recognized by 40 countries. Critics disagreed.",
    )
    british = ArticleFactory(
        outlet=post,
        headline="Recognition at last",
        published_at=timezone.now(),
        body="The minister said the state is now recognised by most members. Officials said recognising it took years.",
    )
    headline = ArticleFactory(
        outlet=post,
        headline="Countries that recognize the state",
        published_at=timezone.now(),
        body="A list, updated weekly, of the governments in question.",
    )
    ArticleFactory(
        outlet=ledger, headline="Harbour", body="Nothing about it here: the harbour barrier costs €7 million."
    )
    group = ClaimGroupFactory()
    quote = claim_on(
        american,
        "the treaty was recognized by 40 countries",
        speaker="Jane Doe",
        group=group,
        status=Claim.Status.ACCEPTED,
        claim_type=Claim.Type.QUANTITY,
    )
    other = claim_on(
        british, "the state is now recognised by most members", speaker="the minister", claim_type=Claim.Type.ATTRIBUTED
    )
    rejected = claim_on(british, "recognising it took years", status=Claim.Status.REJECTED)
    Verdict.objects.create(group=group, reviewer=reviewer, rating=ratings[1], status=Verdict.Status.PUBLISHED)
    return {
        "american": american,
        "british": british,
        "headline": headline,
        "quote": quote,
        "other": other,
        "rejected": rejected,
        "ledger": ledger,
        "post": post,
        "rating": ratings[1],
    }


def search(q, **filters):
    articles, claims = search_scope(
        **filters, claim_filtered=any(filters.get(k) for k in ("claim_type", "status", "speaker", "verdict"))
    )
    return search_run(q=q, articles=articles, claims=claims)


def test_spelling_variants_are_searched_together():
    assert query_words("Recognised colour") == [["recognised", "recognized"], ["color", "colour"]]
    assert query_words("analyse it") == [["analyse", "analyze"], ["it"]]


def test_word_forms_match_and_the_headline_ranks_first(corpus):
    articles, claims = search("recognised")
    ids = [hit.obj.pk for hit in articles]
    assert set(ids) == {corpus["american"].pk, corpus["british"].pk, corpus["headline"].pk}  # recognize/-ised/-ising
    by_rank = [h.obj.pk for h in search("recognize")[0]]  # the same stem in a headline and in a text
    assert by_rank.index(corpus["headline"].pk) < by_rank.index(corpus["american"].pk)  # the headline weighs more
    assert {hit.obj.pk for hit in claims} == {corpus["quote"].pk, corpus["other"].pk}  # not the rejected one
    american = next(h for h in articles if h.obj.pk == corpus["american"].pk)
    assert "<mark>recognized</mark>" in american.snippet
    headline = next(h for h in articles if h.obj.pk == corpus["headline"].pk)
    assert headline.title == "Countries that <mark>recognize</mark> the state"


def test_every_word_must_match(corpus):
    articles, _ = search("recognize countries")
    assert {h.obj.pk for h in articles} == {corpus["american"].pk, corpus["headline"].pk}
    assert search("recognize harbour") == ([], [])


@pytest.mark.parametrize(
    "filters, articles, claims",
    [
        ({"outlet": "ledger"}, ["american"], ["quote"]),
        ({"date_from": 10}, ["british", "headline"], ["other"]),
        ({"claim_type": "quantity"}, ["american"], ["quote"]),
        ({"status": "rejected"}, ["british"], ["rejected"]),
        ({"status": "any"}, ["american", "british"], ["quote", "other", "rejected"]),
        ({"speaker": "jane"}, ["american"], ["quote"]),
        ({"verdict": "published"}, ["american"], ["quote"]),
        ({"verdict": "none"}, ["british"], ["other"]),
        ({"verdict": "rating"}, ["american"], ["quote"]),
    ],
)
def test_filters(corpus, filters, articles, claims):
    values = {
        "outlet": corpus["ledger"],
        "date_from": (timezone.now() - timezone.timedelta(days=10)).date(),
        "verdict": str(corpus["rating"].pk) if filters.get("verdict") == "rating" else filters.get("verdict"),
    }
    given = {k: values.get(k, v) if k in ("outlet", "date_from", "verdict") else v for k, v in filters.items()}
    found_articles, found_claims = search("recognise", **given)
    assert {h.obj.pk for h in found_articles} == {corpus[n].pk for n in articles}
    assert {h.obj.pk for h in found_claims} == {corpus[n].pk for n in claims}


def test_highlights_are_escaped(db):
    ArticleFactory(headline="<script>x</script> recognised", body="<img src=x onerror=alert(1)> recognised here")
    (hit,), _ = search("recognise")
    assert hit.title == "&lt;script&gt;x&lt;/script&gt; <mark>recognised</mark>"
    assert "onerror=alert(1)&gt; <mark>recognised</mark>" in hit.snippet and "<img" not in hit.snippet


def test_changed_and_deleted_articles_are_searched_as_they_are_now(corpus):
    article = corpus["headline"]
    article.headline = "Governments listed"
    article.save(update_fields=["headline"])
    assert corpus["headline"].pk not in {h.obj.pk for h in search("recognize")[0]}
    corpus["american"].delete()
    assert {h.obj.pk for h in search("recognize")[0]} == {corpus["british"].pk}


def test_the_search_page_with_filters(client, editor, corpus, django_assert_num_queries):
    client.force_login(editor)
    url = reverse("web:search")
    params = {"q": "recognise", "outlet": corpus["post"].pk, "claim_type": "attributed"}
    client.get(url, params)  # warm: connection features, content types
    # session, user, roles, ratings (verdict filter), the outlet filtered on, the ranked article ids,
    # the article hits, the claim hits, the people going by the words (none here, so no alias
    # prefetch), the bell, outlets (the filter's options); SQLite has instead for the article and
    # the claim hits: ranked ids, highlights, rows (FTS5 gives ids and ranks only)
    expected = 11 if connection.vendor == "postgresql" else 14
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    content = response.content.decode()
    assert [h.obj.pk for h in response.context["claims"]] == [corpus["other"].pk]
    assert [h.obj.pk for h in response.context["articles"]] == [corpus["british"].pk]
    assert "<mark>recognised</mark>" in content


def test_the_article_search_uses_its_index(corpus):
    """PostgreSQL: the query's vector is the GIN index's expression. SQLite: the FTS5 tables and
    triggers are put back by fts5_install (run after every migrate) if a table rebuild dropped them."""
    from articles.models import Article
    from web.search import _pg_query, article_vector, fts5_install

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            qs = Article.objects.annotate(search=article_vector()).filter(search=_pg_query(query_words("recognise")))
            sql, params = (
                qs.values("id").order_by().query.sql_with_params()
            )  # no ordering: the plan is about the filter
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "article_search_vector" in plan, plan
        else:
            assert fts5_install() is False  # all there: nothing to do
            cursor.execute("DROP TRIGGER search_article_fts_ai")
            assert fts5_install() is True
            ArticleFactory(headline="Recognised anew", body="Text.")
            assert "Recognised anew" in {h.obj.headline for h in search("recognize")[0]}
