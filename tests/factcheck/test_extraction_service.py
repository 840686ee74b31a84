"""Extraction on the Django side: candidates written from the seeds, idempotency, human decisions
surviving a new extractor version, failures that do not block the queue, the commands."""

import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.services import articles_import_paths
from factcheck.models import Claim
from factcheck.services import extraction
from factcheck.services.extraction import claims_extract, claims_sync, extraction_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_articles(seeds_dir):
    articles_import_paths(paths=[str(seeds_dir)])
    return {a.external_id: a for a in Article.objects.all()}


@pytest.fixture
def extracted(seed_articles):
    result = claims_extract(article_ids=[a.pk for a in seed_articles.values()])
    assert not result.failed, result.failed
    return seed_articles


def test_seed_candidates_have_spans_types_scores_and_speakers(extracted):
    claims = list(Claim.objects.select_related("article"))
    assert len(claims) > 50
    for claim in claims:
        assert claim.article.body[claim.start : claim.end] == claim.exact
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert claim.origin == "machine" and claim.status == "candidate" and claim.extractor_version
    psaki = Claim.objects.get(exact__startswith="We have anticipated such a move")
    assert (psaki.claim_type, psaki.speaker) == ("quote", "Jen Psaki")
    assert Claim.objects.filter(claim_type="quantity").exists()
    anonymous = Claim.objects.filter(is_anonymous_source=True)
    assert anonymous.filter(speaker__icontains="senior administration official").exists()
    assert not Claim.objects.filter(exact__in=["Read More", "Leave a Reply"]).exists()
    assert all(a.extraction_status == "done" for a in Article.objects.all())


def test_same_version_again_changes_nothing(extracted):
    before = {c.pk: (c.start, c.end, c.updated_at, c.version) for c in Claim.objects.all()}
    Article.objects.update(extraction_status="pending")
    claims_extract(article_ids=list(Article.objects.values_list("id", flat=True)))
    after = {c.pk: (c.start, c.end, c.updated_at, c.version) for c in Claim.objects.all()}
    assert after == before


def test_new_version_keeps_human_decisions_and_never_reproposes_rejected(extracted, editor, monkeypatch):
    article = extracted["000_d20f69a71a53ef0e"]
    candidates = list(article.claims.order_by("start"))
    accepted, rejected, edited = candidates[0], candidates[1], candidates[2]
    Claim.objects.filter(pk=accepted.pk).update(status="accepted", decided_by=editor, decided_at=timezone.now())
    Claim.objects.filter(pk=rejected.pk).update(status="rejected", decided_by=editor, decided_at=timezone.now())
    Claim.objects.filter(pk=edited.pk).update(edited=True, claim_type="opinion")
    human = Claim.objects.create(
        article=article, start=0, end=5, exact=article.body[:5], origin="human", status="accepted"
    )
    untouched_before = article.claims.filter(status="candidate", edited=False).count()

    monkeypatch.setattr(extraction, "extractor_version", lambda: "test-version-2")
    Article.objects.filter(pk=article.pk).update(extraction_status="pending")
    claims_extract(article_ids=[article.pk])

    for claim, fields in [
        (accepted, {"status": "accepted"}),
        (rejected, {"status": "rejected"}),
        (edited, {"claim_type": "opinion", "edited": True}),
    ]:
        fresh = Claim.objects.get(pk=claim.pk)
        assert fresh.extractor_version == claim.extractor_version  # not rewritten
        for name, value in fields.items():
            assert getattr(fresh, name) == value
    assert Claim.objects.filter(pk=human.pk, origin="human").exists()
    # the rejected words are not proposed again, under any span
    assert article.claims.filter(exact=rejected.exact).count() == 1
    machine = article.claims.filter(status="candidate", edited=False)
    assert machine.count() == untouched_before
    assert set(machine.values_list("extractor_version", flat=True)) == {"test-version-2"}


def test_claims_sync_removes_stale_machine_candidates_only(seed_articles):
    from factcheck.extraction import Candidate

    article = seed_articles["000_d20f69a71a53ef0e"]
    body = article.body

    def cand(start, end):
        return Candidate(
            start=start,
            end=end,
            exact=body[start:end],
            sentence_start=start,
            sentence_end=end,
            claim_type="other",
            speaker="",
            speaker_role="",
            is_anonymous=False,
            entities=[],
            numbers=[],
            features={},
            score=0.5,
        )

    claims_sync(article=article, candidates=[cand(0, 10), cand(20, 30)], version="v1")
    Claim.objects.filter(article=article, start=20).update(status="accepted")
    claims_sync(article=article, candidates=[cand(40, 50)], version="v2")
    assert sorted(article.claims.values_list("start", "status")) == [(20, "accepted"), (40, "candidate")]


def test_a_failing_article_is_retried_a_bounded_number_of_times_and_does_not_block_others(
    seed_articles, monkeypatch, settings
):
    settings.WORKBENCH = {**settings.WORKBENCH, "EXTRACTION_MAX_ATTEMPTS": 2, "EXTRACTION_REQUEUE_AFTER": 0}
    bad = seed_articles["003_e1f9391fcbfd10ba"]
    real = extraction._candidates_for

    def flaky(texts):
        if any(t == bad.body for t in texts):
            raise RuntimeError("extractor crashed on this text")
        return real(texts)

    monkeypatch.setattr(extraction, "_candidates_for", flaky)
    monkeypatch.setattr(extraction, "claims_extract_enqueue", lambda *, article_ids: len(article_ids))
    ids = [a.pk for a in seed_articles.values()]
    first = claims_extract(article_ids=ids)
    assert list(first.failed) == [bad.pk] and len(first.extracted) == 4
    bad.refresh_from_db()
    assert (bad.extraction_status, bad.extraction_attempts) == ("pending", 1)
    assert "extractor crashed" in bad.extraction_error
    extraction_sweep()  # the outbox sweep puts it back in the queue
    claims_extract(article_ids=[bad.pk])
    bad.refresh_from_db()
    assert (bad.extraction_status, bad.extraction_attempts) == ("failed", 2)
    assert extraction_sweep() == 0  # no more retries


def test_redelivered_task_for_a_running_article_does_nothing(seed_articles):
    article = seed_articles["001_cca49c2fcdb13049"]
    Article.objects.filter(pk=article.pk).update(extraction_status="running", extraction_changed_at=timezone.now())
    result = claims_extract(article_ids=[article.pk])
    assert result.skipped == [article.pk]
    assert not article.claims.exists()


def test_extract_claims_command_sync_and_export(seed_articles, tmp_path, capsys):
    call_command("extract_claims", "--sync", "--no-progress")
    assert "5 articles: 5 extracted, 0 failed" in capsys.readouterr().out
    out = tmp_path / "claims.jsonl"
    call_command("export_claims", "--output", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == Claim.objects.count()
    row = next(r for r in rows if r["exact"].startswith("We have anticipated such a move"))
    assert row["article_external_id"] == "000_d20f69a71a53ef0e"
    assert row["speaker"] == "Jen Psaki" and row["type"] == "quote" and row["status"] == "candidate"
    body = Article.objects.get(external_id=row["article_external_id"]).body
    assert body[row["start"] : row["end"]] == row["exact"]
    assert row["extractor_version"] and 0 <= row["checkworthiness"] <= 1


def test_revised_text_reanchors_decided_claims_and_orphans_vanished_ones(seed_articles, editor):
    from articles.services import article_update_text

    article = seed_articles["000_d20f69a71a53ef0e"]
    body = article.body
    quote = "We have anticipated such a move from Russia"
    start = body.index(quote)
    kept = Claim.objects.create(
        article=article,
        start=start,
        end=start + len(quote),
        exact=quote,
        origin="human",
        status="accepted",
        prefix=body[start - 10 : start],
        suffix=body[start + len(quote) :][:10],
    )
    gone_text = "President Vladimir Putin on Monday recognized two occupied regions"
    g = body.index(gone_text)
    gone = Claim.objects.create(
        article=article, start=g, end=g + len(gone_text), exact=gone_text, origin="human", status="accepted"
    )

    new_body = "Editor's note: this story was updated.\n\n" + body.replace(gone_text, "Putin recognized two regions")
    article_update_text(article=article, headline=article.headline, body=new_body, by=editor)
    article.refresh_from_db()
    claims_sync(article=article, candidates=[], version="v1")

    kept.refresh_from_db()
    assert article.body[kept.start : kept.end] == quote and kept.start > start
    assert (kept.anchor_status, kept.article_revision) == ("ok", 2)
    gone.refresh_from_db()
    assert gone.anchor_status == "orphan" and gone.status == "accepted"
