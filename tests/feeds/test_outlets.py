"""Outlets managed by editors (web UI, API, admin) through one service; an imported article with a
URL gets its outlet from the domain; files without one take the outlet given for them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles.formats import read_stream
from articles.models import Article, ImportBatch, Outlet
from articles.outlets import domain_normalize, outlet_create, outlet_for_url, outlet_get_or_create, outlet_update
from articles.services import article_upsert, articles_import, import_batch_create
from core.errors import InvalidInput, PermissionDenied
from tests.api.conftest import token_client
from tests.payloads import make_zip

pytestmark = pytest.mark.django_db


def test_outlet_service_rules(editor, reviewer):
    herald = outlet_create(
        by=editor,
        name="  Harbour   Herald ",
        homepage="https://harbourherald.example/",
        domains=["https://www.HarbourHerald.example/news", "herald.example."],
    )
    assert herald.name == "Harbour Herald"
    assert sorted(herald.domains.values_list("domain", flat=True)) == ["harbourherald.example", "herald.example"]
    with pytest.raises(PermissionDenied):
        outlet_create(by=reviewer, name="Other")
    with pytest.raises(InvalidInput, match="already belongs to Harbour Herald"):
        outlet_create(by=editor, name="Copycat", domains=["herald.example"])
    assert not Outlet.objects.filter(name="Copycat").exists()  # atomic: nothing half-made
    for bad in ("not a domain", "localhost", "-x.example", "a..b"):
        with pytest.raises(InvalidInput):
            domain_normalize(bad)
    outlet_update(outlet=herald, by=editor, domains=["herald.example"])
    assert list(herald.domains.values_list("domain", flat=True)) == ["herald.example"]
    assert outlet_get_or_create(name="Harbour Herald") == herald and Outlet.objects.count() == 1
    # the longest domain wins; subdomains belong to their parent's outlet
    sport = outlet_create(by=editor, name="Herald Sport", domains=["sport.herald.example"])
    assert outlet_for_url(url="https://live.sport.herald.example/x") == sport
    assert outlet_for_url(url="https://www.herald.example/news/1") == herald
    assert outlet_for_url(url="https://unknown.example/") is None
    assert outlet_for_url(url="http://[bad") is None


def test_imports_take_the_outlet_from_the_domain_else_the_files_outlet(editor):
    herald = outlet_create(by=editor, name="Harbour Herald", domains=["herald.example"])
    wire = outlet_get_or_create(name="Wire service")
    csv = (
        b"headline,body,url,outlet\n"
        b"On the domain,Text one about the port.,https://www.herald.example/a,\n"
        b"Named outlet wins,Text two about the port.,https://herald.example/b,Other Paper\n"
        b"Elsewhere,Text three about the port.,https://elsewhere.example/c,\n"
        b"No URL,Text four about the port.,,\n"
    )
    batch = import_batch_create(source_name="feed.csv", default_outlet=wire)
    articles_import(batch=batch, records=read_stream("feed.csv", io.BytesIO(csv)))
    outlets = dict(Article.objects.values_list("headline", "outlet__name"))
    assert outlets == {
        "On the domain": "Harbour Herald",
        "Named outlet wins": "Other Paper",
        "Elsewhere": "Wire service",
        "No URL": "Wire service",
    }
    article, _ = article_upsert(
        data={"headline": "By API", "body": "Text five about the port.", "url": "https://herald.example/e"}, by=editor
    )
    assert article.outlet == herald


def test_import_command_outlet_and_zip_txt_stems(tmp_path):
    archive = tmp_path / "batch.zip"
    archive.write_bytes(
        make_zip(
            {
                "top-story.txt": "Headline one\nBody one about the harbour.",
                "folder/second.txt": "Headline two\nBody two about the harbour.",
            }
        )
    )
    plain = tmp_path / "plain-story.txt"
    plain.write_text("Headline three\nBody three about the harbour.")
    call_command("import_articles", str(archive), str(plain), "--outlet", "Quay Weekly", "--no-progress")
    got = dict(Article.objects.values_list("external_id", "outlet__name"))
    assert got == {"top-story": "Quay Weekly", "second": "Quay Weekly", "plain-story": "Quay Weekly"}


def test_admin_upload_offers_outlets_and_creates_one(client, admin_user, django_capture_on_commit_callbacks):
    Outlet.objects.create(name="Existing Outlet")
    client.force_login(admin_user)
    form = client.get("/admin/articles/importbatch/add/").content.decode()
    assert "Existing Outlet" in form and 'name="new_outlet"' in form
    upload = SimpleUploadedFile("story.txt", b"A headline\nThe body of the story about the quay.")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/admin/articles/importbatch/add/", {"upload": upload, "format": "auto", "new_outlet": "Brand New Outlet"}
        )
    assert response.status_code == 302, response.content[:500]
    assert ImportBatch.objects.get().default_outlet.name == "Brand New Outlet"


def test_editors_manage_outlets_in_the_web_ui_and_api(client, editor, reviewer):
    client.force_login(editor)
    response = client.post(
        "/outlets/new/",
        {
            "name": "Harbour Herald",
            "homepage": "harbourherald.example",
            "domains": "harbourherald.example, herald.example",
        },
    )
    herald = Outlet.objects.get(name="Harbour Herald")
    assert response.status_code == 302 and herald.homepage == "https://harbourherald.example"
    page = client.get(f"/outlets/{herald.pk}/").content.decode()
    assert "harbourherald.example, herald.example" in page and "Follow a feed of Harbour Herald" in page
    response = client.post(f"/outlets/{herald.pk}/update/", {"name": "Harbour Herald", "domains": "herald.example"})
    assert list(herald.domains.values_list("domain", flat=True)) == ["herald.example"]
    # the same rule, the same message, through the API
    api = token_client(editor)
    clash = api.post("/api/v1/outlets/", {"name": "Copy", "domains": ["herald.example"]}, format="json")
    assert clash.status_code == 400 and "already belongs to Harbour Herald" in clash.json()["detail"]
    assert api.patch(
        f"/api/v1/outlets/{herald.pk}/", {"domains": ["herald.example", "hh.example"]}, format="json"
    ).json()["domains"] == ["herald.example", "hh.example"]
    assert token_client(reviewer).post("/api/v1/outlets/", {"name": "X"}, format="json").status_code == 403
    client.force_login(reviewer)
    assert "New outlet" not in client.get("/outlets/").content.decode()


def test_admin_outlet_change_goes_through_the_service(client, editor):
    client.force_login(editor)  # editors manage outlets in the admin too
    response = client.post(
        "/admin/articles/outlet/add/", {"name": "Admin Outlet", "homepage": "", "domains_text": "a.example, b.example"}
    )
    assert response.status_code == 302
    outlet = Outlet.objects.get(name="Admin Outlet")
    assert sorted(outlet.domains.values_list("domain", flat=True)) == ["a.example", "b.example"]
    client.post("/admin/articles/outlet/add/", {"name": "Clash", "domains_text": "a.example"})
    assert not Outlet.objects.filter(name="Clash").exists()
