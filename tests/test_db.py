"""core.db.insert_new: COPY on PostgreSQL, bulk_create elsewhere; the rows come out the
same either way (the suite runs on both in CI)."""

import pytest
from django.db import IntegrityError, connection, transaction

from core.db import insert_new
from factcheck.models import Claim
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def new_claim(article, start, **fields):
    return Claim(article=article, start=start, end=start + 5, exact=article.body[start : start + 5], **fields)


def test_rows_carry_every_field_defaults_and_timestamps():
    article = ArticleFactory(body="Prices rose 5% in May, officials said on Tuesday.")
    entities = [{"text": "May", "label": "DATE", "start": 15, "end": 18}]
    insert_new(Claim, [
        new_claim(article, 0, claim_type="quantity", checkworthiness=0.75, speaker="O'Brien, \"Jr\"\tx",
                  entities=entities, numbers=[{"text": "5%", "value": 5.0}]),
        new_claim(article, 10),
    ])  # fmt: skip
    first, second = Claim.objects.filter(article=article).order_by("start")
    assert (first.exact, first.claim_type, first.checkworthiness) == ("Price", "quantity", 0.75)
    assert first.speaker == 'O\'Brien, "Jr"\tx'  # quoting and tabs survive COPY's text format
    assert first.entities == entities and first.numbers == [{"text": "5%", "value": 5.0}]
    assert second.claim_type == Claim.Type.OTHER and second.entities == [] and second.checkworthiness is None
    assert second.status == Claim.Status.CANDIDATE and second.version == 1
    assert first.created_at is not None and first.updated_at is not None and first.pk and second.pk


def test_a_failing_row_writes_nothing():
    article = ArticleFactory(body="One two three four five six seven.")
    insert_new(Claim, [new_claim(article, 0)])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(Claim, [new_claim(article, 6), new_claim(article, 0)])  # the second repeats a span
    assert list(Claim.objects.filter(article=article).values_list("start", flat=True)) == [0]


def test_nothing_to_insert_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_new(Claim, [])


def test_postgresql_copies_other_databases_insert():
    article = ArticleFactory(body="One two three four five six seven.")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        insert_new(Claim, [new_claim(article, 0), new_claim(article, 6)])
    if connection.vendor == "postgresql":
        assert statements == []  # COPY goes straight to psycopg, not through cursor.execute
    else:
        assert len(statements) == 1 and statements[0].startswith("INSERT INTO")
    assert Claim.objects.filter(article=article).count() == 2
