"""Candidate claim extraction: queueing (with an outbox sweep), claiming work, and writing the
extractor's candidates so that re-runs are idempotent and human decisions survive."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.roles import require
from articles.models import Article
from core.db import insert_new
from factcheck import signals
from factcheck.models import Claim

from .people import claims_people_attach

if TYPE_CHECKING:  # factcheck.extraction imports spaCy: workers only, never web processes at import time
    from factcheck.extraction.revision import RevisionPlan

logger = logging.getLogger(__name__)
Status = Article.ExtractionStatus
CONTEXT_CHARS = 48
SYNCED_FIELDS = [
    "exact",
    "prefix",
    "suffix",
    "sentence_start",
    "sentence_end",
    "claim_type",
    "checkworthiness",
    "speaker",
    "speaker_role",
    "is_anonymous_source",
    "entities",
    "numbers",
    "extractor_name",
    "extractor_version",
    "article_revision",
]


@dataclass
class ExtractionResult:
    extracted: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # not claimable (already done or taken by another worker)
    failed: dict[int, str] = field(default_factory=dict)


def extractor_version() -> str:
    """The extractor's identity: rule version, spaCy model and check-worthiness model. A change of
    any of them makes the next run update machine candidates."""
    from factcheck import checkworthiness
    from factcheck.extraction import EXTRACTOR_VERSION
    from factcheck.extraction.nlp import get_nlp, model_version

    return f"{EXTRACTOR_VERSION}+{model_version(get_nlp())}+cw-{checkworthiness.model_version()}"


# --- queueing -------------------------------------------------------------------------------


def claims_extract_enqueue(*, article_ids: list[int]) -> int:
    """Send extraction tasks for these articles, in batches. Must run after the articles are
    committed (callers use transaction.on_commit). If the broker is down the articles stay
    `pending` and the periodic sweep queues them later; nothing is lost. Returns how many
    articles were queued."""
    from factcheck.tasks import claims_extract_task

    batch_size = settings.WORKBENCH["EXTRACTION_BATCH_SIZE"]
    sent: list[int] = []
    try:
        with claims_extract_task.app.producer_or_acquire() as producer:  # one broker connection for all
            for i in range(0, len(article_ids), batch_size):
                chunk = article_ids[i : i + batch_size]
                claims_extract_task.apply_async(args=(chunk,), retry=False, producer=producer)
                sent.extend(chunk)
    except Exception as exc:  # the broker is unreachable: what was not sent stays pending for the sweep
        unsent = [pk for pk in article_ids if pk not in set(sent)]
        logger.warning("could not queue extraction of %d articles (%s); the sweep will retry", len(unsent), exc)
        Article.objects.filter(id__in=unsent, extraction_status=Status.QUEUED).update(
            extraction_status=Status.PENDING, extraction_changed_at=timezone.now()
        )
    if not sent:
        return 0
    Article.objects.filter(id__in=sent, extraction_status=Status.PENDING).update(
        extraction_status=Status.QUEUED, extraction_changed_at=timezone.now()
    )
    return len(sent)


def extraction_sweep() -> int:
    """The outbox: queue articles that are pending, or whose queued/running state is older than
    WORKBENCH_EXTRACTION_REQUEUE_AFTER (a lost message, a killed worker)."""
    stale = timezone.now() - timedelta(seconds=settings.WORKBENCH["EXTRACTION_REQUEUE_AFTER"])
    max_attempts = settings.WORKBENCH["EXTRACTION_MAX_ATTEMPTS"]
    ids = list(
        Article.objects.filter(
            Q(extraction_status=Status.PENDING)
            | Q(extraction_status__in=[Status.QUEUED, Status.RUNNING], extraction_changed_at__lt=stale)
        )
        .filter(extraction_attempts__lt=max_attempts)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    if ids:
        Article.objects.filter(id__in=ids).exclude(extraction_status=Status.PENDING).update(
            extraction_status=Status.PENDING, extraction_changed_at=timezone.now()
        )
    return claims_extract_enqueue(article_ids=ids) if ids else 0


def claims_reextract_all(*, by=None, article_ids: list[int] | None = None, sync: bool = False, progress=None) -> int:
    """Re-extract every article (or the given ones): they become pending and are queued, or are
    extracted in this process with `sync`. Returns the number of articles. `by` (None: the
    system, e.g. the command) needs `extraction.run`."""
    if by is not None:
        require(by, "extraction.run", "run extraction")
    qs = Article.objects.all() if article_ids is None else Article.objects.filter(id__in=article_ids)
    ids = list(qs.order_by("id").values_list("id", flat=True))
    qs.update(extraction_status=Status.PENDING, extraction_attempts=0, extraction_changed_at=timezone.now())
    batch_size = settings.WORKBENCH["EXTRACTION_BATCH_SIZE"]
    for i in range(0, len(ids), batch_size):
        chunk = ids[i : i + batch_size]
        if sync:
            claims_extract(article_ids=chunk)
        else:
            claims_extract_enqueue(article_ids=chunk)
        if progress:
            progress(len(chunk))
    return len(ids)


# --- extraction -----------------------------------------------------------------------------


def _claim(article_id: int) -> bool:
    """Take an article for this worker: a conditional UPDATE that only one worker can win."""
    stale = timezone.now() - timedelta(seconds=settings.WORKBENCH["EXTRACTION_REQUEUE_AFTER"])
    changed = (
        Article.objects.filter(id=article_id)
        .filter(
            Q(extraction_status__in=[Status.PENDING, Status.QUEUED])
            | Q(extraction_status=Status.RUNNING, extraction_changed_at__lt=stale)
        )
        .update(extraction_status=Status.RUNNING, extraction_changed_at=timezone.now())
    )
    return changed == 1


def claims_extract(*, article_ids: list[int]) -> ExtractionResult:
    """Extract candidates for these articles: one nlp.pipe over all their texts, then one
    transaction per article. A failing article is marked (and retried by the sweep up to
    WORKBENCH_EXTRACTION_MAX_ATTEMPTS times) without holding up the others."""
    result = ExtractionResult()
    claimed = [pk for pk in article_ids if _claim(pk)]
    result.skipped = [pk for pk in article_ids if pk not in claimed]
    if not claimed:
        return result
    Article.objects.filter(id__in=claimed).update(extraction_attempts=F("extraction_attempts") + 1)
    articles = list(Article.objects.filter(id__in=claimed).order_by("id"))
    version = extractor_version()
    plans = {a.pk: _revision_plan(a, version) for a in articles}
    per_article: list = []  # each article's result, or the exception it raised
    try:
        texts = [_texts_of(a, plans[a.pk]) for a in articles]
        per_text = iter(_candidates_for([t for ts in texts for t in ts]))
        per_article = [_assemble(plans[a.pk], [next(per_text) for _ in ts]) for a, ts in zip(articles, texts)]
    except Exception:  # one text broke the batch: find it by running them one at a time
        logger.exception("batch extraction failed; retrying articles one by one")
        per_article = []
        for article in articles:
            try:
                plan = plans[article.pk]
                per_article.append(_assemble(plan, _candidates_for(_texts_of(article, plan))))
            except Exception as exc:
                per_article.append(exc)
    for article, candidates in zip(articles, per_article):
        if isinstance(candidates, Exception):
            _mark_failed(article, candidates)
            result.failed[article.pk] = str(candidates)
            continue
        try:
            with transaction.atomic():
                plan = plans[article.pk]
                if plan is None:
                    claims_sync(article=article, candidates=candidates, version=version)
                else:
                    claims_sync_revision(article=article, candidates=candidates, version=version, plan=plan)
                claims_people_attach(article_id=article.pk)  # speakers → people, by alias
                Article.objects.filter(id=article.pk, revision=article.revision).update(
                    extraction_status=Status.DONE,
                    extraction_changed_at=timezone.now(),
                    extracted_at=timezone.now(),
                    extracted_revision=article.revision,
                    extractor_version=version,
                    extraction_error="",
                )
            result.extracted.append(article.pk)
        except Exception as exc:
            logger.exception("writing candidates of article %s failed", article.pk)
            _mark_failed(article, exc)
            result.failed[article.pk] = str(exc)
    if result.extracted:  # webhooks send `claims.extracted`, matching queues cross-linking after commit
        signals.claims_extracted.send(sender=Claim, article_ids=list(result.extracted))
    return result


def _mark_failed(article: Article, exc: Exception) -> None:
    attempts = Article.objects.filter(pk=article.pk).values_list("extraction_attempts", flat=True).first() or 0
    retry = attempts < settings.WORKBENCH["EXTRACTION_MAX_ATTEMPTS"]
    Article.objects.filter(pk=article.pk).update(
        extraction_status=Status.PENDING if retry else Status.FAILED,
        extraction_error=f"{type(exc).__name__}: {exc}"[:2000],
        extraction_changed_at=timezone.now(),
    )


def _revision_plan(article: Article, version: str) -> RevisionPlan | None:
    """How to extract a revised article: only its changed paragraphs (with context) when the text
    last extracted is known and the extractor is the same; None for the whole text (first
    extraction, same revision again, a new extractor version, an unknown old text, most of it changed)."""
    if not article.extracted_revision or article.extracted_revision == article.revision:
        return None
    if article.extractor_version != version:
        return None
    old_body = (
        article.history.filter(revision=article.extracted_revision)
        .order_by("-history_date").values_list("body", flat=True).first()
    )  # fmt: skip
    if old_body is None:
        return None
    from factcheck.extraction.revision import revision_plan

    return revision_plan(old_body, article.body)


def _texts_of(article: Article, plan: RevisionPlan | None) -> list[str]:
    """What spaCy reads for this article: the whole text, or the plan's windows."""
    if plan is None:
        return [article.body]
    return [article.body[w.start : w.end] for w in plan.windows]


def _assemble(plan: RevisionPlan | None, per_text: list[list]) -> list:
    """One article's candidates, in whole-text offsets; of a plan's windows, only the candidates
    starting in a changed paragraph (context paragraphs keep the candidates they have)."""
    if plan is None:
        return per_text[0]
    from factcheck.extraction.revision import shift_candidate

    found = []
    for window, candidates in zip(plan.windows, per_text):
        for candidate in candidates:
            shift_candidate(candidate, window.start)
            if plan.in_changed(candidate.start):
                found.append(candidate)
    return found


def _candidates_for(texts: list[str]):
    from factcheck import checkworthiness
    from factcheck.extraction import extract_candidates

    per_text = extract_candidates(texts)
    flat = [c for cands in per_text for c in cands]
    scores = checkworthiness.score_sentences([c.exact for c in flat]) if flat else []
    for candidate, score in zip(flat, scores):
        candidate.score = float(min(1.0, max(0.0, score)))
    return per_text


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def claims_sync(*, article: Article, candidates, version: str) -> None:
    """Write the extractor's candidates for an article.

    - Claims people touched (accepted, edited, created by a person) are never changed.
    - Rejected claims are kept, and the same span (or the same words) is never proposed again.
    - Untouched machine candidates are updated in place, removed when no longer proposed, and
      new ones inserted. Running the same version twice therefore changes nothing.
    """
    from factcheck.extraction import EXTRACTOR_NAME

    claims = list(article.claims.all())
    _reanchor([c for c in claims if not c.is_machine_owned and c.article_revision != article.revision], article)
    existing = {(c.start, c.end): c for c in claims}
    rejected_texts = {c.exact.strip().casefold() for c in existing.values() if c.status == Claim.Status.REJECTED}
    proposed: set[tuple[int, int]] = set()
    to_create, to_update = [], []
    for cand in candidates:
        span = (cand.start, cand.end)
        if span in proposed:
            continue
        proposed.add(span)
        fields = {
            "exact": cand.exact,
            "sentence_start": cand.sentence_start,
            "sentence_end": cand.sentence_end,
            "claim_type": cand.claim_type,
            "checkworthiness": cand.score,
            "speaker": cand.speaker[:300],
            "speaker_role": cand.speaker_role[:300],
            "is_anonymous_source": cand.is_anonymous,
            "entities": cand.entities,
            "numbers": cand.numbers,
            "extractor_name": EXTRACTOR_NAME,
            "extractor_version": version,
            "article_revision": article.revision,
        }
        fields["prefix"], fields["suffix"] = _context(article.body, cand.start, cand.end)
        current = existing.get(span)
        if current is None:
            if cand.exact.strip().casefold() not in rejected_texts:
                to_create.append(
                    Claim(article=article, start=cand.start, end=cand.end, origin=Claim.Origin.MACHINE, **fields)
                )
        elif current.is_machine_owned and current.extractor_version != version:
            for name, value in fields.items():
                setattr(current, name, value)
            to_update.append(current)
    stale_ids = [c.pk for span, c in existing.items() if span not in proposed and c.is_machine_owned]
    if stale_ids:
        Claim.objects.filter(id__in=stale_ids).delete()
    if to_update:
        Claim.objects.bulk_update(to_update, SYNCED_FIELDS)
    insert_new(Claim, to_create)


MOVED_FIELDS = [
    "start",
    "end",
    "sentence_start",
    "sentence_end",
    "prefix",
    "suffix",
    "entities",
    "numbers",
    "article_revision",
]


def claims_sync_revision(*, article: Article, candidates, version: str, plan: RevisionPlan) -> None:
    """Write the candidates of a revised article extracted paragraph by paragraph (``plan`` from
    ``factcheck.extraction.revision``; ``candidates`` lie in its changed paragraphs only).

    The guarantees of ``claims_sync`` hold: claims people touched are re-anchored (never changed by
    the extractor), rejected words are never proposed again. Machine candidates of unchanged
    paragraphs are kept — the same rows, moved to their new offsets. Those of changed or removed
    paragraphs go, except that one whose exact words the extractor proposes again in a changed
    paragraph is moved there (the same row, updated), so an unchanged sentence of an edited
    paragraph keeps its candidate's id."""
    from factcheck.extraction import EXTRACTOR_NAME
    from factcheck.extraction.revision import shift_rows

    body = article.body
    claims = list(article.claims.all())
    _reanchor([c for c in claims if not c.is_machine_owned and c.article_revision != article.revision], article)
    decided_spans = {(c.start, c.end) for c in claims if not c.is_machine_owned}
    rejected_texts = {c.exact.strip().casefold() for c in claims if c.status == Claim.Status.REJECTED}
    moves: list[Claim] = []  # rows whose span changes (written in two steps, see below)
    taken = set(decided_spans)
    stale: dict[str, list[Claim]] = {}
    for claim in sorted((c for c in claims if c.is_machine_owned), key=lambda c: c.start):
        shift = plan.shift_of(claim.start, claim.end)
        if shift is None:
            stale.setdefault(claim.exact, []).append(claim)
            continue
        start, end = claim.start + shift, claim.end + shift
        if body[start:end] != claim.exact or (start, end) in taken:
            stale.setdefault(claim.exact, []).append(claim)
            continue
        claim.start, claim.end = start, end
        if claim.sentence_start is not None:
            claim.sentence_start += shift
        if claim.sentence_end is not None:
            claim.sentence_end += shift
        claim.entities, claim.numbers = shift_rows(claim.entities, shift), shift_rows(claim.numbers, shift)
        claim.prefix, claim.suffix = _context(body, start, end)
        claim.article_revision = article.revision
        taken.add((start, end))
        moves.append(claim)
    to_create, updated = [], []
    for cand in candidates:
        span = (cand.start, cand.end)
        if span in taken or cand.exact.strip().casefold() in rejected_texts:
            continue
        taken.add(span)
        prefix, suffix = _context(body, cand.start, cand.end)
        fields = {
            "start": cand.start, "end": cand.end, "exact": cand.exact, "prefix": prefix, "suffix": suffix,
            "sentence_start": cand.sentence_start, "sentence_end": cand.sentence_end, "claim_type": cand.claim_type,
            "checkworthiness": cand.score, "speaker": cand.speaker[:300], "speaker_role": cand.speaker_role[:300],
            "is_anonymous_source": cand.is_anonymous, "entities": cand.entities, "numbers": cand.numbers,
            "extractor_name": EXTRACTOR_NAME, "extractor_version": version, "article_revision": article.revision,
        }  # fmt: skip
        same_words = stale.get(cand.exact)
        if same_words:
            claim = same_words.pop(0)
            for name, value in fields.items():
                setattr(claim, name, value)
            updated.append(claim)
        else:
            to_create.append(Claim(article=article, origin=Claim.Origin.MACHINE, **fields))
    gone = [c.pk for claims_of in stale.values() for c in claims_of]
    if gone:
        Claim.objects.filter(id__in=gone).delete()
    rows = moves + updated
    if rows:
        # Spans are unique per article and checked row by row: first park every moved row beyond the
        # text (distinct places, no collision with a row still to move), then bring them all back.
        park = len(body) + 1
        for claim in rows:
            claim.start, claim.end = claim.start + park, claim.end + park
        Claim.objects.bulk_update(rows, sorted(set(MOVED_FIELDS) | (set(SYNCED_FIELDS) if updated else set())))
        Claim.objects.filter(id__in=[c.pk for c in rows]).update(start=F("start") - park, end=F("end") - park)
        for claim in rows:
            claim.start, claim.end = claim.start - park, claim.end - park
    insert_new(Claim, to_create)


FUZZY_MIN_RATIO = 85  # rapidfuzz ratio (0–100) between the old quote and the words now at its place


def claims_reanchor(*, article: Article, old_body: str | None = None) -> list[int]:
    """Re-anchor the decided claims of an article whose text changed (articles'
    `article_text_replaced`, sent by article_update_text in its transaction; factcheck/receivers.py).
    Sends `claims_reanchored` and returns the ids of claims that became orphans."""
    claims = [c for c in article.claims.all() if not c.is_machine_owned and c.article_revision != article.revision]
    orphans = _reanchor(claims, article, old_body)
    signals.claims_reanchored.send(sender=Claim, article=article, orphaned_claim_ids=orphans)
    return orphans


def _reanchor(claims: list[Claim], article: Article, old_body: str | None = None) -> list[int]:
    """After the text changed: claims people decided on keep their words. A span still holding its
    exact text stays; otherwise it moves to the occurrence of the same words nearest where the old
    place went (preferring one with the same prefix/suffix context). When the words themselves
    changed slightly ("€7 million" → "€7.2 million") and the old text is known, the span is mapped
    through a diff of the two texts (diff-match-patch) and kept if the words there are still at
    least FUZZY_MIN_RATIO similar — marked *needs review*, so an editor confirms it. Otherwise it
    becomes an orphan (kept, listed for editors, not highlighted). Never moved to different words."""
    from rapidfuzz import fuzz

    body = article.body
    diffs = None
    if old_body is not None and old_body != body:
        import diff_match_patch

        dmp = diff_match_patch.diff_match_patch()
        dmp.Diff_Timeout = 2.0
        diffs = dmp.diff_main(old_body, body)
        dmp.diff_cleanupSemantic(diffs)
    orphans = []
    for claim in claims:
        mapped = dmp.diff_xIndex(diffs, claim.start) if diffs is not None else claim.start
        if body[claim.start : claim.end] == claim.exact and diffs is None:
            claim.anchor_status = Claim.Anchor.OK
        elif starts := list(_occurrences(body, claim.exact)):
            best = _best_occurrence(body, claim, mapped, starts)
            claim.start, claim.end = best, best + len(claim.exact)
            claim.anchor_status = Claim.Anchor.OK
        elif (
            diffs is not None
            and (end := dmp.diff_xIndex(diffs, claim.end)) > mapped
            and fuzz.ratio(body[mapped:end], claim.exact) >= FUZZY_MIN_RATIO
            and body[mapped:end].strip()
        ):
            start, end = mapped, end
            while start > 0 and body[start - 1].isalnum() and body[start].isalnum():
                start -= 1  # whole words
            while end < len(body) and body[end - 1].isalnum() and body[end].isalnum():
                end += 1
            claim.start, claim.end, claim.exact = start, end, body[start:end]
            claim.anchor_status = Claim.Anchor.NEEDS_REVIEW
        else:
            claim.anchor_status = Claim.Anchor.ORPHAN
            orphans.append(claim.pk)
        if claim.anchor_status != Claim.Anchor.ORPHAN:
            claim.prefix, claim.suffix = _context(body, claim.start, claim.end)
        claim.article_revision = article.revision
        claim.save(
            update_fields=[
                "start",
                "end",
                "exact",
                "prefix",
                "suffix",
                "anchor_status",
                "article_revision",
                "updated_at",
            ]
        )
    return orphans


def _best_occurrence(body: str, claim: Claim, mapped: int, starts: list[int]) -> int:
    """The occurrence with the claim's own context around it, else the one nearest its mapped position."""

    def rank(i: int) -> tuple[int, int]:
        context = (
            body[max(0, i - len(claim.prefix)) : i] == claim.prefix
            and body[i + len(claim.exact) : i + len(claim.exact) + len(claim.suffix)] == claim.suffix
        )
        return (0 if context else 1, abs(i - mapped))

    return min(starts, key=rank)


def _occurrences(text: str, needle: str):
    i = text.find(needle)
    while i != -1:
        yield i
        i = text.find(needle, i + 1)
