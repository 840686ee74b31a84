"""The import service behind its interfaces: the management command and the admin upload."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, ImportBatch, Outlet
from tests.payloads import make_zip

pytestmark = pytest.mark.django_db


def test_command_imports_seeds_then_reports_duplicates(seeds_dir, capsys):
    call_command("import_articles", str(seeds_dir), "--no-progress")
    assert "5 created, 0 updated, 0 duplicates, 0 failed" in capsys.readouterr().out
    call_command("import_articles", str(seeds_dir), "--no-progress")
    assert "0 created, 0 updated, 5 duplicates, 0 failed" in capsys.readouterr().out


def test_command_fails_and_names_the_problem(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Headline\nBody text.")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"headline": "x"}\n')
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_articles", str(good), str(bad), "--no-progress", "--outlet", "Wire")
    captured = capsys.readouterr()
    assert f"{bad}, row 1: body: missing article text" in captured.err
    assert Article.objects.get().outlet.name == "Wire"


def _zip(entries):
    buf = io.BytesIO(make_zip(entries))
    buf.name = "upload.zip"
    return buf


def test_admin_upload_creates_batch_and_processes_it_after_commit(
    client, admin_user, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from workbench.celery import app

    app.conf.task_always_eager = True
    try:
        client.force_login(admin_user)
        upload = _zip({"a.txt": b"Headline A\nBody A.", "../x.txt": b"Evil\nPath."})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:articles_importbatch_add"), {"upload": upload, "format": "auto"})
        assert response.status_code == 302, response.content[:2000]
    finally:
        app.conf.task_always_eager = False
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_count, batch.failed_count, batch.created_by) == ("done", 1, 1, admin_user)
    page = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    assert page.status_code == 200
    assert b"upload.zip:../x.txt" in page.content and b"unsafe path" in page.content


def test_admin_upload_rejects_unknown_format(client, admin_user):
    client.force_login(admin_user)
    upload = io.BytesIO(b"data")
    upload.name = "notes.docx"
    response = client.post(reverse("admin:articles_importbatch_add"), {"upload": upload, "format": "auto"})
    assert response.status_code == 200
    assert b"unknown format" in response.content
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "reviewer", "outsider"])
def test_only_admins_may_upload(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:articles_importbatch_add"))
    assert response.status_code in (302, 403)


def test_admin_lists_articles_with_filters(client, admin_user, seeds_dir):
    call_command("import_articles", str(seeds_dir), "--no-progress")
    client.force_login(admin_user)
    response = client.get(reverse("admin:articles_article_changelist") + "?extraction_status__exact=queued")
    assert response.status_code == 200
    assert response.content.count(b"000_d20f69a71a53ef0e") == 1


def test_admin_reextract_action_queues_articles_and_the_list_shows_progress(client, admin_user, seeds_dir, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "factcheck.services.extraction.claims_extract_enqueue", lambda *, article_ids: queued.extend(article_ids)
    )
    call_command("import_articles", str(seeds_dir), "--no-progress")
    Article.objects.update(extraction_status="done")
    client.force_login(admin_user)
    ids = list(Article.objects.values_list("id", flat=True)[:2])
    response = client.post(
        reverse("admin:articles_article_changelist"), {"action": "reextract", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert sorted(queued) == sorted(ids)
    assert b"2 article(s) queued for extraction" in response.content
    assert b"3 of 5 finished" in response.content


def test_admin_url_typed_without_scheme_becomes_https(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:articles_outlet_add"), {"name": "Harbour Post", "homepage": "harbourpost.example"}
    )
    assert response.status_code == 302, response.content[:2000]
    assert Outlet.objects.get(name="Harbour Post").homepage == "https://harbourpost.example"
