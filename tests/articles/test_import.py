"""The import service through its readers: formats, duplicates, bad input, atomicity."""

import io
from pathlib import Path

import pytest
from django.db import DatabaseError

from articles.formats import read_stream
from articles.models import Article, ImportBatch
from articles.services import articles_import, articles_import_paths, import_batch_create
from tests.payloads import jsonl, make_zip

pytestmark = pytest.mark.django_db


def run(name: str, data: bytes, **kwargs) -> ImportBatch:
    batch = import_batch_create(source_name=name)
    return articles_import(batch=batch, records=read_stream(name, io.BytesIO(data)), **kwargs)


ARTICLE = {
    "headline": "Council backs barrier",
    "body": "The council voted 31 to 17 on Tuesday.",
    "url": "https://a.example/1",
}


# --- the seeds (../shared/seeds) -------------------------------------------------------------


def test_seeds_import_once_then_only_duplicates(seeds_dir):
    first = articles_import_paths(paths=[str(seeds_dir)])
    assert (first.created_count, first.duplicate_count, first.failed_count) == (5, 0, 0)
    second = articles_import_paths(paths=[str(seeds_dir)])
    assert (second.created_count, second.duplicate_count, second.failed_count) == (0, 5, 0)
    assert Article.objects.count() == 5
    article = Article.objects.get(external_id="000_d20f69a71a53ef0e")
    first_line = (seeds_dir / "000_d20f69a71a53ef0e.txt").read_text().splitlines()[0]
    assert article.headline == first_line.strip()
    assert "\u00a0" not in article.body and "“" in article.body  # spaces folded, curly quotes kept
    assert article.extraction_status == Article.ExtractionStatus.QUEUED


def test_seeds_in_a_zip_are_duplicates_of_the_folder(seeds_dir):
    articles_import_paths(paths=[str(seeds_dir)])
    data = make_zip({f"seeds/{p.name}": p.read_bytes() for p in sorted(seeds_dir.iterdir())})
    batch = run("seeds.zip", data)
    assert (batch.created_count, batch.duplicate_count) == (0, 5)


# --- formats ---------------------------------------------------------------------------------


def test_csv_import_with_aliases_and_outlet():
    data = (
        b"title,text,link,source,date\n"
        b'Barrier approved,"The council voted, 31 to 17.",https://a.example/x,Harbour Courier,2026-04-12\n'
    )
    batch = run("feed.csv", data)
    assert batch.created_count == 1, batch.errors
    article = Article.objects.get()
    assert article.outlet.name == "Harbour Courier"
    assert article.body == "The council voted, 31 to 17."
    assert article.published_at.date().isoformat() == "2026-04-12"


def test_jsonl_import_and_reimport_is_idempotent():
    data = jsonl(ARTICLE, {**ARTICLE, "url": "https://a.example/2", "body": "Other text entirely."})
    assert run("a.jsonl", data).created_count == 2
    again = run("a.jsonl", data)
    assert (again.created_count, again.duplicate_count) == (0, 2)
    assert Article.objects.count() == 2


def test_duplicate_by_normalized_url_with_different_text():
    run("a.jsonl", jsonl(ARTICLE))
    batch = run("b.jsonl", jsonl({**ARTICLE, "url": "http://www.a.example/1/?utm_source=x", "body": "Changed text."}))
    assert (batch.created_count, batch.duplicate_count) == (0, 1)


def test_update_existing_replaces_text_and_bumps_revision():
    run("a.jsonl", jsonl({**ARTICLE, "external_id": "e1"}))
    batch = run(
        "a.jsonl",
        jsonl({**ARTICLE, "external_id": "e1", "body": "Corrected: the vote was 30 to 18."}),
        update_existing=True,
    )
    assert batch.updated_count == 1
    article = Article.objects.get(external_id="e1")
    assert (article.revision, article.body) == (2, "Corrected: the vote was 30 to 18.")


def test_duplicate_by_content_hash_ignores_case_and_spacing():
    run("a.jsonl", jsonl(ARTICLE))
    batch = run("b.jsonl", jsonl({"headline": "Other", "body": "the council  voted 31 to 17\non Tuesday."}))
    assert batch.duplicate_count == 1


def test_body_html_is_converted_to_text():
    batch = run("h.jsonl", jsonl({"headline": "H", "body_html": "<p>One &lt;two&gt;</p><script>x()</script>"}))
    assert batch.created_count == 1
    assert Article.objects.get().body == "One <two>"


# --- bad input: a clear error naming file, row and field; valid rows still imported ----------


def error_fields(batch):
    return [(e["file"], e["row"], e["field"]) for e in batch.errors]


def test_unknown_format():
    batch = run("notes.docx", b"whatever")
    assert error_fields(batch) == [("notes.docx", None, "file")]
    assert "unknown format" in batch.errors[0]["message"]


def test_undecodable_bytes_in_txt():
    batch = run("latin.txt", "Headline\nCaf\u00e9 society".encode("latin-1"))
    assert error_fields(batch) == [("latin.txt", None, "encoding")]
    assert "UTF-8" in batch.errors[0]["message"]


def test_empty_file_and_headline_only():
    assert error_fields(run("empty.txt", b"   \n\n")) == [("empty.txt", None, "file")]
    assert error_fields(run("title-only.txt", b"Just a headline\n\n")) == [("title-only.txt", None, "body")]


def test_jsonl_rows_with_errors_do_not_stop_valid_rows():
    data = jsonl(
        ARTICLE,
        "{not json",
        {"body": "No headline here."},
        {"headline": "No body"},
        {"headline": 42, "body": "wrong type"},
        {"headline": "x", "body": "y", "colour": "red"},
        {"headline": "Bad date", "body": "Text.", "published_at": "yesterday"},
        {"headline": "Bad url", "body": "Text two.", "url": "javascript:alert(1)"},
        [1, 2],
        {"headline": "Fine", "body": "A second valid article."},
    )
    batch = run("mixed.jsonl", data)
    assert batch.created_count == 2
    assert error_fields(batch) == [
        ("mixed.jsonl", 2, "json"),
        ("mixed.jsonl", 3, "headline"),
        ("mixed.jsonl", 4, "body"),
        ("mixed.jsonl", 5, "headline"),
        ("mixed.jsonl", 6, "colour"),
        ("mixed.jsonl", 7, "published_at"),
        ("mixed.jsonl", 8, "url"),
        ("mixed.jsonl", 9, "json"),
    ]
    assert batch.failed_count == 8


def test_csv_missing_columns():
    batch = run("feed.csv", b"title,author\nA,B\n")
    assert error_fields(batch) == [("feed.csv", 1, "body")]
    assert "missing column" in batch.errors[0]["message"] and "title, author" in batch.errors[0]["message"]


def test_csv_bad_row_names_its_line():
    data = b"headline,body\nGood,Fine text.\nToo,many,values\nAlso good,More text.\n"
    batch = run("feed.csv", data)
    assert batch.created_count == 2
    assert error_fields(batch) == [("feed.csv", 3, "file")]


def test_duplicate_ids_inside_one_file():
    data = jsonl({**ARTICLE, "external_id": "x1"}, {"headline": "B", "body": "Different text.", "external_id": "x1"})
    batch = run("dups.jsonl", data)
    assert batch.created_count == 1
    assert error_fields(batch) == [("dups.jsonl", 2, "external_id")]
    assert "first at row 1" in batch.errors[0]["message"]


def test_oversized_file(settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "IMPORT_MAX_FILE_BYTES": 100}
    batch = run("big.txt", b"Headline\n" + b"word " * 100)
    assert error_fields(batch) == [("big.txt", None, "file")]
    assert "larger than the limit" in batch.errors[0]["message"]
    assert Article.objects.count() == 0


def test_oversized_article_text(settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "IMPORT_MAX_ARTICLE_CHARS": 20}
    batch = run("a.jsonl", jsonl({"headline": "H", "body": "x" * 21}))
    assert error_fields(batch) == [("a.jsonl", 1, "body")]


def test_corrupt_zip():
    batch = run("broken.zip", b"PK\x03\x04 this is not really a zip")
    assert error_fields(batch) == [("broken.zip", None, "file")]
    assert "not a valid ZIP" in batch.errors[0]["message"]


def test_zip_with_unsafe_paths_nested_zip_and_good_entries():
    data = make_zip(
        {
            "../evil.txt": b"Evil\nText outside.",
            "/abs.txt": b"Abs\nAbsolute path.",
            "inner.zip": make_zip({"a.txt": b"A\nB"}),
            "ok/story-1.txt": b"A fine headline\nA fine body.",
            "feed.jsonl": jsonl(ARTICLE),
        }
    )
    batch = run("upload.zip", data)
    assert batch.created_count == 2
    assert Article.objects.filter(external_id="story-1").exists()
    problems = {e["file"]: e["field"] for e in batch.errors}
    assert problems == {"upload.zip:../evil.txt": "path", "upload.zip:/abs.txt": "path", "upload.zip:inner.zip": "file"}


def test_zip_bomb_is_stopped(settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "IMPORT_MAX_FILE_BYTES": 1_000_000}
    bomb = make_zip({"bomb.txt": b"Headline\n" + b"0" * 5_000_000})
    assert len(bomb) < 20_000  # it really is a bomb
    batch = run("bomb.zip", bomb)
    assert batch.created_count == 0
    assert error_fields(batch) == [("bomb.zip:bomb.txt", None, "file")]


def test_a_database_error_costs_only_the_article_concerned(monkeypatch):
    """The chunk's bulk insert fails; the service retries one by one and only the bad one fails."""
    original_save = Article.save

    def flaky_save(self, *args, **kwargs):
        if self.headline == "Poison":
            raise DatabaseError("simulated failure")
        return original_save(self, *args, **kwargs)

    def failing_bulk(*args, **kwargs):
        raise DatabaseError("simulated bulk failure")

    monkeypatch.setattr(Article, "save", flaky_save)
    monkeypatch.setattr(Article.objects, "bulk_create", failing_bulk)
    data = jsonl(ARTICLE, {"headline": "Poison", "body": "Bad one."}, {"headline": "Fine", "body": "Good one."})
    batch = run("a.jsonl", data)
    assert batch.created_count == 2
    assert error_fields(batch) == [("a.jsonl", 2, "database")]
    assert set(Article.objects.values_list("headline", flat=True)) == {"Council backs barrier", "Fine"}


def test_new_articles_are_queued_for_extraction_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "factcheck.services.extraction.claims_extract_enqueue", lambda *, article_ids: queued.extend(article_ids)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("a.jsonl", jsonl(ARTICLE, {"headline": "B", "body": "Second."}))
    assert sorted(queued) == sorted(Article.objects.values_list("id", flat=True))


def test_folder_skips_hidden_files(tmp_path: Path):
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "a.txt").write_text("Headline A\nBody A.")
    batch = articles_import_paths(paths=[str(tmp_path)])
    assert (batch.created_count, batch.failed_count) == (1, 0)


def test_missing_path_is_reported(tmp_path):
    batch = articles_import_paths(paths=[str(tmp_path / "nope.csv")])
    assert error_fields(batch) == [(str(tmp_path / "nope.csv"), None, "file")]
