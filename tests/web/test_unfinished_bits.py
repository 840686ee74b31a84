"""Small things that looked unfinished (issue 18, item 7): the admin import form's formats, the
address demo_setup prints, internal version numbers on editors' pages."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.admin import ImportUploadForm
from factcheck.models import Verdict
from web.management.commands.demo_setup import served_url


def test_the_admin_import_form_offers_only_file_formats(db):
    values = [value for value, _ in ImportUploadForm().fields["format"].choices]
    assert "api" not in values and {"auto", "txt", "csv", "jsonl", "zip"} <= set(values)
    form = ImportUploadForm(data={"format": "api"})
    assert not form.is_valid() and "format" in form.errors


@pytest.mark.parametrize(
    "addr, url",
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8001", "http://127.0.0.1:8001/"),
        ("0.0.0.0:9000", "http://0.0.0.0:9000/"),
        ("[::1]:8000", "http://[::1]:8000/"),
    ],
)
def test_served_url_follows_runserver_addrport(addr, url):
    assert served_url(addr) == url


def test_demo_setup_prints_the_address_run_sh_serves(db, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "ADDR": "0.0.0.0:8123"}
    out = StringIO()
    call_command("demo_setup", "--no-articles", stdout=out)
    assert "http://0.0.0.0:8123/" in out.getvalue() and ":8000" not in out.getvalue()


def test_editors_do_not_see_internal_version_numbers(client, editor, reviewer, ratings, two_outlets):
    Verdict.objects.create(group=two_outlets["group"], reviewer=reviewer, rating=ratings[0], version=7)
    client.force_login(editor)
    content = client.get(reverse("web:group-detail", args=[two_outlets["group"].pk])).content.decode()
    assert "by rob-reviewer · changed" in content
    assert "· v7" not in content and "version 7" not in content
    assert 'name="version" value="7"' in content  # still sent back with the forms
