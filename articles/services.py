"""Writes for articles: the one import service every interface (command, admin, API, worker) calls."""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import require
from core.dates import is_bare_day, iso_datetime
from core.errors import ConflictError, InvalidInput
from core.queueing import tasks_send
from core.validation import http_url_problem, shown, text_problem

from . import signals
from .formats import ImportRecord, RecordError, canonical_fields, read_paths, read_stream
from .models import Article, ImportBatch, Outlet, published_at_normalize, published_at_problem
from .text import content_hash, html_to_text, normalize_line, normalize_text, normalize_url

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 1000
IMPORT_SYNC_MAX = 100  # import_batch_submit: more articles than this are imported by a worker
IMPORT_TASK_TIME_LIMIT = 3600  # seconds: the worker's hard limit for one import batch
CHUNK_SIZE = 500
FIELD_MAX_LENGTHS = {"headline": 1000, "byline": 500, "external_id": 255, "outlet": 200, "language": 12, "url": 2000}


@dataclass
class PreparedArticle:
    record: ImportRecord
    fields: dict
    content_hash: str
    normalized_url: str | None

    @property
    def keys(self) -> list[tuple[str, str]]:
        keys = [("content_hash", self.content_hash)]
        if self.normalized_url:
            keys.append(("normalized_url", self.normalized_url))
        if self.fields.get("external_id"):
            keys.append(("external_id", self.fields["external_id"]))
        return keys


ProgressCallback = Callable[[ImportBatch], None]


# --- validation -------------------------------------------------------------------------------


def article_prepare(record: ImportRecord) -> PreparedArticle | RecordError:
    """Validate and normalize one record. Pure: no database access."""
    data = record.data

    def error(field: str, message: str) -> RecordError:
        return RecordError(record.file, record.row, field, message)

    for name, value in data.items():
        if value is not None and not isinstance(value, str):
            return error(name, f"must be a string, got {type(value).__name__}")
        if value and (problem := text_problem(value)):
            return error(name, problem)
    for name, limit in FIELD_MAX_LENGTHS.items():
        if len(data.get(name) or "") > limit:
            return error(name, f"longer than {limit} characters")

    headline = normalize_line(data.get("headline") or "")
    if not headline:
        return error("headline", "missing headline")
    if data.get("body"):
        body = normalize_text(data["body"])
    elif data.get("body_html"):
        body = html_to_text(data["body_html"])
    else:
        body = ""
    if not body:
        return error("body", "missing article text")
    max_chars = settings.WORKBENCH["IMPORT_MAX_ARTICLE_CHARS"]
    if len(body) > max_chars:
        return error("body", f"article text is longer than {max_chars} characters")

    url = (data.get("url") or "").strip()
    if url and (problem := http_url_problem(url)):
        return error("url", f"not a valid http(s) URL: {url[:100]!r}. {problem}")

    published_at = None
    if data.get("published_at"):
        raw = data["published_at"].strip()
        published_at = iso_datetime(raw)
        if published_at is not None and is_bare_day(raw):
            published_at = published_at.replace(hour=12)
        if published_at is None:
            return error(
                "published_at", f"not a date (use ISO 8601, e.g. 2022-02-21 or 2022-02-21T18:00:00Z): {raw[:40]!r}"
            )
        if problem := published_at_problem(published_at):
            return error("published_at", f"{problem}: {raw[:40]!r}")
        published_at = published_at_normalize(published_at)

    fields = {
        "headline": headline,
        "body": body,
        "url": url,
        "external_id": (data.get("external_id") or "").strip() or None,
        "byline": normalize_line(data.get("byline") or ""),
        "published_at": published_at,
        "language": (data.get("language") or "").strip().lower() or "en",
        "outlet": normalize_line(data.get("outlet") or ""),
    }
    return PreparedArticle(record, fields, content_hash(body), normalize_url(url))


# --- import -----------------------------------------------------------------------------------


class _BatchState:
    """Counts, errors and per-file duplicate detection for one import run."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self._seen_in_file: dict[str, dict[tuple[str, str], int | None]] = {}
        self.seen_in_batch: set[tuple[str, str]] = set()

    def fail(self, err: RecordError) -> None:
        self.batch.failed_count += 1
        if len(self.batch.errors) < MAX_STORED_ERRORS:
            self.batch.errors.append(err.as_dict())

    def duplicate_in_file(self, prepared: PreparedArticle) -> RecordError | None:
        record = prepared.record
        file_key = record.file
        seen = self._seen_in_file.setdefault(file_key, {})
        for kind, value in prepared.keys:
            if (kind, value) in seen:
                first = seen[(kind, value)]
                where = f"row {first}" if first is not None else "earlier"
                label = {"content_hash": "text", "normalized_url": "url", "external_id": "external_id"}[kind]
                shown = "" if kind == "content_hash" else f" {value!r}"
                return RecordError(
                    file_key, record.row, label, f"duplicate {label}{shown} in this file (first at {where})"
                )
        for key in prepared.keys:
            seen[key] = record.row
        return None


def import_batch_create(
    *,
    by=None,
    source_name: str,
    format: str = ImportBatch.Format.AUTO,
    upload=None,
    default_outlet=None,
    capability: str = "article.import",
) -> ImportBatch:
    """A new batch created by `by` (None: the system — commands and workers), who needs
    `capability`: importing files, or `article.write` for an article fetched from a URL."""
    if by is not None:
        require(by, capability, "import articles")
    batch = ImportBatch(created_by=by, source_name=source_name[:500], format=format, default_outlet=default_outlet)
    if upload is not None:
        batch.upload = upload
    batch.full_clean(exclude=["upload"])
    batch.save()
    return batch


def articles_import(
    *,
    batch: ImportBatch,
    records: Iterable[ImportRecord | RecordError],
    by=None,
    update_existing: bool = False,
    progress: ProgressCallback | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportBatch:
    """Import a stream of records into `batch`.

    Records are validated one by one; bad ones are reported in `batch.errors` (file, row, field,
    message) and the rest are imported. Articles are written in chunks (one bulk insert each);
    if a chunk fails, its articles are retried one by one so that an error costs only the
    article concerned. Existing articles (same normalized URL, external id or text) are counted as
    duplicates, or updated with `update_existing`. New articles are queued for extraction after
    their chunk commits. `by` (None: the system) needs `article.import`.
    """
    if by is not None:
        require(by, "article.import", "import articles")
    state = _BatchState(batch)
    batch.status, batch.started_at = ImportBatch.Status.RUNNING, timezone.now()
    batch.save(update_fields=["status", "started_at"])
    outlets = _OutletCache(default=batch.default_outlet)
    chunk: list[PreparedArticle] = []
    try:
        for item in records:
            batch.total += 1
            if isinstance(item, RecordError):
                state.fail(item)
                continue
            prepared = _prepare_safely(item)
            if isinstance(prepared, RecordError):
                state.fail(prepared)
                continue
            if err := state.duplicate_in_file(prepared):
                state.fail(err)
                continue
            chunk.append(prepared)
            if len(chunk) >= chunk_size:
                _import_chunk(chunk, state, outlets, update_existing)
                chunk = []
                _save_progress(batch, progress)
        if chunk:
            _import_chunk(chunk, state, outlets, update_existing)
    except Exception as exc:  # an unexpected failure: keep what was imported, say what happened
        logger.exception("import batch %s failed", batch.pk)
        batch.status, batch.message = ImportBatch.Status.FAILED, f"{type(exc).__name__}: {shown(exc, 2000)}"
    else:
        batch.status = ImportBatch.Status.DONE
    batch.finished_at = timezone.now()
    _save_progress(batch, progress, final=True)
    if batch.created_count or batch.updated_count:
        signals.articles_imported.send(
            sender=ImportBatch, article_ids=list(batch.articles.values_list("id", flat=True)), batch=batch
        )
    return batch


def _prepare_safely(record: ImportRecord) -> PreparedArticle | RecordError:
    """article_prepare, with any unexpected error reported as this record's (never the batch's)."""
    try:
        return article_prepare(record)
    except Exception as exc:
        logger.exception("validating %s row %s failed", shown(record.file), record.row)
        return RecordError(
            record.file, record.row, "record", f"could not be read: {type(exc).__name__}: {shown(exc, 200)}"
        )


def articles_import_paths(
    *,
    paths: list[str],
    by=None,
    fmt: str | None = None,
    outlet: Outlet | None = None,
    update_existing: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportBatch:
    batch = import_batch_create(
        by=by, source_name=", ".join(map(str, paths)), format=fmt or "auto", default_outlet=outlet
    )
    return articles_import(
        batch=batch, records=read_paths(paths, fmt), by=by, update_existing=update_existing, progress=progress
    )


def import_batch_process(*, batch_id: int, progress: ProgressCallback | None = None) -> ImportBatch | None:
    """Process an uploaded file (admin). Claims the batch first so that a redelivered task does nothing."""
    claimed = ImportBatch.objects.filter(id=batch_id, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.RUNNING
    )
    if claimed != 1:
        return None
    batch = ImportBatch.objects.get(id=batch_id)
    try:
        with batch.upload.open("rb") as stream:
            name = (batch.upload.name or "").rsplit("/", 1)[-1]  # open() above raised if there is no file
            display = batch.source_name or name
            records = read_stream(display, stream, batch.format)
            return articles_import(batch=batch, records=records, progress=progress)
    except OSError as exc:
        batch.status, batch.message, batch.finished_at = (
            ImportBatch.Status.FAILED,
            f"cannot read the upload: {exc}",
            timezone.now(),
        )
        batch.save(update_fields=["status", "message", "finished_at"])
        return batch


def import_batch_enqueue(*, batch: ImportBatch) -> None:
    """Process the batch in a worker once the caller's transaction commits. The batch row is the
    outbox: if the broker is down it stays pending without `queued_at`, and the sweep sends it."""
    transaction.on_commit(lambda: import_batch_send(batch_ids=[batch.pk]))


def import_batch_send(*, batch_ids: list[int]) -> int:
    """Hand these batches' tasks to the broker (after commit). Never raises: what could not be sent
    stays pending for the sweep. Returns how many were sent."""
    from .tasks import import_batch_process_task

    sent = tasks_send(task=import_batch_process_task, ids=batch_ids)
    if sent:
        ImportBatch.objects.filter(id__in=sent, status=ImportBatch.Status.PENDING).update(queued_at=timezone.now())
    return len(sent)


def import_batch_sweep() -> int:
    """The outbox sweep (celery beat): send pending batches that were never sent, or whose message
    is older than WORKBENCH_OUTBOX_REQUEUE_AFTER (lost). A batch sent twice is processed once (the
    service claims it). A worker's batch still `running` after the task's hard time limit lost its
    worker (killed): it is marked failed, saying so (what it imported is kept; importing the file
    again adds the rest, duplicates are recognised). Returns how many batches were sent."""
    now = timezone.now()
    dead = now - timedelta(seconds=IMPORT_TASK_TIME_LIMIT + 60)
    for batch in (
        ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING)
        .exclude(upload="")
        .filter(Q(started_at__lt=dead) | Q(started_at__isnull=True, created_at__lt=dead))
    ):
        message = (
            f"The worker stopped (killed or over the {IMPORT_TASK_TIME_LIMIT} s limit) after {batch.processed} "
            "records; what was imported is kept. Import the file again to add the rest (duplicates are "
            "recognised)."
        )
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.FAILED, message=message, finished_at=now
        )
    stale = now - timedelta(seconds=settings.WORKBENCH["OUTBOX_REQUEUE_AFTER"])
    ids = list(
        ImportBatch.objects.filter(status=ImportBatch.Status.PENDING)
        .exclude(upload="")
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    return import_batch_send(batch_ids=ids) if ids else 0


def import_batch_submit(
    *, by, articles: list[dict], outlet_name: str = "", source_name: str = "", update_existing: bool = False
) -> ImportBatch:
    """Import article objects (the REST API's bulk import). Up to IMPORT_SYNC_MAX are imported at
    once (the batch is returned done); more are written as a JSON Lines upload and imported by a
    worker (returned pending: poll it). Each object is validated on its own."""
    require(by, "article.import", "import articles")  # before anything is read or written
    from .outlets import outlet_get_or_create

    outlet = outlet_get_or_create(name=outlet_name) if (outlet_name or "").strip() else None
    name = source_name or f"api:{by.username}"
    if len(articles) > IMPORT_SYNC_MAX:
        if update_existing:
            raise InvalidInput(
                f"update_existing is only for up to {IMPORT_SYNC_MAX} articles per request.", field="update_existing"
            )
        # ASCII escapes: a lone surrogate in one article stays that row's error for the reader.
        payload = "".join(json.dumps(a) + "\n" for a in articles).encode()
        with transaction.atomic():
            batch = import_batch_create(
                by=by,
                source_name=name,
                format=ImportBatch.Format.JSONL,
                default_outlet=outlet,
                upload=ContentFile(payload, name="api-import.jsonl"),
            )
            import_batch_enqueue(batch=batch)
        return batch
    batch = import_batch_create(by=by, source_name=name, format=ImportBatch.Format.API, default_outlet=outlet)
    records: list[ImportRecord | RecordError] = []
    for row, raw in enumerate(articles, start=1):
        fields, unknown = canonical_fields(raw)
        if unknown:
            records.append(RecordError("api", row, unknown[0], f"unknown field {unknown[0]!r}"))
        else:
            records.append(ImportRecord(file="api", row=row, data=fields))
    return articles_import(batch=batch, records=records, by=by, update_existing=update_existing)


def _save_progress(batch: ImportBatch, progress: ProgressCallback | None, final: bool = False) -> None:
    fields = ["total", "created_count", "updated_count", "duplicate_count", "failed_count", "errors", "status"]
    if final:
        fields += ["finished_at", "message"]
    batch.save(update_fields=fields)
    if progress:
        progress(batch)


class _OutletCache:
    """The outlet of a record: the one it names, else the one owning its URL's domain, else the
    batch's default (the outlet given for files that carry none)."""

    def __init__(self, default: Outlet | None):
        self.default = default
        self._by_name: dict[str, Outlet] = {}

    def get(self, name: str, url: str = "") -> Outlet | None:
        from .outlets import outlet_for_url, outlet_get_or_create

        if not name:
            return (outlet_for_url(url=url) if url else None) or self.default
        if name not in self._by_name:
            self._by_name[name] = outlet_get_or_create(name=name)
        return self._by_name[name]


def _find_existing(chunk: list[PreparedArticle]) -> dict[tuple[str, str], Article]:
    hashes = [p.content_hash for p in chunk]
    urls = [p.normalized_url for p in chunk if p.normalized_url]
    ids = [p.fields["external_id"] for p in chunk if p.fields["external_id"]]
    query = Q(content_hash__in=hashes)
    if urls:
        query |= Q(normalized_url__in=urls)
    if ids:
        query |= Q(external_id__in=ids)
    found: dict[tuple[str, str], Article] = {}
    for article in Article.objects.filter(query).only(
        "id", "content_hash", "normalized_url", "external_id", "revision"
    ):
        found[("content_hash", article.content_hash)] = article
        if article.normalized_url:
            found[("normalized_url", article.normalized_url)] = article
        if article.external_id:
            found[("external_id", article.external_id)] = article
    return found


def _build(prepared: PreparedArticle, state: _BatchState, outlets: _OutletCache) -> Article:
    fields = dict(prepared.fields)
    outlet = outlets.get(fields.pop("outlet"), fields["url"])
    # Written as `queued`: the extraction message is sent right after commit. If sending fails the
    # articles are set back to `pending`, and the sweep re-queues `queued` ones whose message was lost.
    return Article(
        **fields,
        outlet=outlet,
        content_hash=prepared.content_hash,
        normalized_url=prepared.normalized_url,
        import_batch=state.batch,
        created_by=state.batch.created_by,
        extraction_status=Article.ExtractionStatus.QUEUED,
        extraction_changed_at=timezone.now(),
    )


def _import_chunk(
    chunk: list[PreparedArticle], state: _BatchState, outlets: _OutletCache, update_existing: bool
) -> None:
    batch = state.batch
    existing = _find_existing(chunk)
    new: list[PreparedArticle] = []
    for prepared in chunk:
        match = next((existing[k] for k in prepared.keys if k in existing), None)
        if match is None and any(k in state.seen_in_batch for k in prepared.keys):
            batch.duplicate_count += 1  # the same article twice in one batch (e.g. two files)
        elif match is None:
            new.append(prepared)
        elif update_existing and match.content_hash != prepared.content_hash:
            _update_one(match, prepared, state, outlets)
        else:
            batch.duplicate_count += 1
        state.seen_in_batch.update(prepared.keys)
    if not new:
        return
    articles = [_build(p, state, outlets) for p in new]
    try:
        with transaction.atomic():
            # No history rows for imported articles: the import batch records who and when; history
            # starts with the first change of an article's text (article_update_text).
            created = Article.objects.bulk_create(articles)
            _enqueue_extraction([a.pk for a in created])
        batch.created_count += len(created)
    except Exception:
        # Someone imported the same article meanwhile, or one row upsets the database (or the
        # driver): go one by one, so that the error costs only the article concerned.
        for prepared in new:
            _create_one(prepared, state, outlets)


def _create_one(prepared: PreparedArticle, state: _BatchState, outlets: _OutletCache) -> None:
    batch = state.batch
    article = _build(prepared, state, outlets)
    try:
        with transaction.atomic():
            article.save()
            _enqueue_extraction([article.pk])
        batch.created_count += 1
    except IntegrityError as exc:
        if Article.objects.filter(_key_query(prepared)).exists():
            batch.duplicate_count += 1  # created concurrently by another import
        else:
            record = prepared.record
            state.fail(RecordError(record.file, record.row, "database", f"could not be stored: {shown(exc, 500)}"))
    except Exception as exc:
        record = prepared.record
        state.fail(RecordError(record.file, record.row, "database", f"could not be stored: {shown(exc, 500)}"))


def _key_query(prepared: PreparedArticle) -> Q:
    query = Q(content_hash=prepared.content_hash)
    if prepared.normalized_url:
        query |= Q(normalized_url=prepared.normalized_url)
    if prepared.fields.get("external_id"):
        query |= Q(external_id=prepared.fields["external_id"])
    return query


def _update_one(article: Article, prepared: PreparedArticle, state: _BatchState, outlets: _OutletCache) -> None:
    article = Article.objects.get(pk=article.pk)
    fields = dict(prepared.fields)
    outlet = outlets.get(fields.pop("outlet"), fields["url"])
    try:
        with transaction.atomic():
            article_update_text(
                article=article, headline=fields["headline"], body=fields["body"], by=state.batch.created_by
            )
            extra = {k: v for k, v in fields.items() if k not in ("headline", "body") and v}
            if outlet:
                extra["outlet"] = outlet
            if extra:
                Article.objects.filter(pk=article.pk).update(**extra)
        state.batch.updated_count += 1
    except (IntegrityError, DatabaseError) as exc:
        record = prepared.record
        state.fail(RecordError(record.file, record.row, "database", f"could not update article {article.pk}: {exc}"))


def article_update_text(*, article: Article, headline: str, body: str, by=None) -> Article:
    """Replace an article's text (an edit, an `--update` import, a re-fetched page): the revision
    goes up, the claims people decided on are re-anchored at once and extraction is queued again
    after commit (factcheck listens to articles/signals.py), and `article.revised` is sent."""
    body = normalize_text(body)
    headline = normalize_line(headline)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        new_hash = content_hash(body)
        if new_hash == article.content_hash and headline == article.headline:
            return article
        old_body = article.body
        if not article.history.filter(revision=article.revision).exists():
            # Imports write no history rows: keep the text being replaced (the article view diffs it).
            Article.history.bulk_history_create([article], default_user=by)
        article.headline, article.body, article.content_hash = headline, body, new_hash
        article.revision += 1
        article.extraction_status = Article.ExtractionStatus.PENDING
        article.extraction_attempts = 0
        article._history_user = by
        article.save(
            update_fields=[
                "headline",
                "body",
                "content_hash",
                "revision",
                "extraction_status",
                "extraction_attempts",
                "updated_at",
            ]
        )
        signals.article_text_replaced.send(sender=Article, article=article, old_body=old_body)
        _enqueue_extraction([article.pk])
    return article


def _enqueue_extraction(article_ids: list[int]) -> None:
    """Extraction is queued after commit by factcheck, which listens (articles/signals.py)."""
    if article_ids:
        signals.articles_text_changed.send(sender=Article, article_ids=list(article_ids))


def article_upsert(*, data: dict, by, create_only: bool = False) -> tuple[Article, str]:
    """Create an article, or (unless `create_only`) update the one with the same external id, else
    the same URL. `data` uses the import field names (articles.formats.FIELD_ALIASES canonical
    names). Returns (article, "created" | "updated" | "unchanged"). Used by the REST API."""
    require(by, "article.write", "create or change articles")
    prepared = article_prepare(ImportRecord(file="api", row=None, data=dict(data)))
    if isinstance(prepared, RecordError):
        raise InvalidInput(prepared.message, field=prepared.field)
    fields = dict(prepared.fields)
    outlet_name = fields.pop("outlet")
    outlet = _OutletCache(default=None).get(outlet_name, fields["url"])
    match = None
    if fields["external_id"]:
        match = Article.objects.filter(external_id=fields["external_id"]).first()
    if match is None and prepared.normalized_url:
        match = Article.objects.filter(normalized_url=prepared.normalized_url).first()
    if match is not None and create_only:
        raise ConflictError(f"This article already exists (id {match.pk}); update it instead.", field="external_id")
    if match is None:
        same_text = Article.objects.filter(content_hash=prepared.content_hash).values_list("id", flat=True).first()
        if same_text:
            raise ConflictError(f"The same text is already article {same_text}.", field="body")
        article = Article(
            **fields,
            outlet=outlet,
            content_hash=prepared.content_hash,
            normalized_url=prepared.normalized_url,
            created_by=by,
        )
        article._history_user = by
        try:
            with transaction.atomic():
                article.save()
                _enqueue_extraction([article.pk])
                signals.articles_imported.send(sender=Article, article_ids=[article.pk], batch=None)
        except IntegrityError:
            raise ConflictError("The same article was created meanwhile.", field="external_id") from None
        return article, "created"
    with transaction.atomic():
        before = (match.headline, match.content_hash)
        try:
            article = article_update_text(article=match, headline=fields["headline"], body=fields["body"], by=by)
        except IntegrityError:
            raise ConflictError("Another article already has this text.", field="body") from None
        extra = {k: v for k, v in fields.items() if k not in ("headline", "body") and v not in (None, "")}
        extra["normalized_url"] = prepared.normalized_url or article.normalized_url
        if outlet:
            extra["outlet"] = outlet
        changed = [k for k, v in extra.items() if getattr(article, k) != v]
        for name in changed:
            setattr(article, name, extra[name])
        if changed:
            article._history_user = by
            try:
                with transaction.atomic():
                    article.save(update_fields=[*changed, "updated_at"])
            except IntegrityError:
                raise ConflictError("Another article already has this URL or external id.", field="url") from None
    status = "updated" if changed or before != (article.headline, article.content_hash) else "unchanged"
    return article, status
