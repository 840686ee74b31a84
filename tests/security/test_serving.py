"""Serving limits we control (issue 15, item 13): an anonymous request with a large body is refused
with 413 from its Content-Length, before Django reads a byte of it (so nothing is spooled to a
temporary file); signed-in users and API tokens keep their endpoints' limits; the shipped gunicorn
configuration loads with the intended values; the nginx configuration has the limits the README
promises (and `nginx -t` accepts it: bench/drill_slow_clients.py runs it for real)."""

import io
import os
import re
import runpy
import tempfile
from pathlib import Path

import pytest
from django.test import Client

REPO = Path(__file__).resolve().parent.parent.parent
HUGE = 300 * 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """wsgi.input that fails the test if anything reads it."""

    def __init__(self):
        self.reads = 0

    def readable(self):
        return True

    def read(self, size=-1):
        self.reads += 1
        raise AssertionError("the request body was read")

    readinto = read
    readline = read


def _huge_post(client, path, **extra):
    body = UnreadableBody()
    response = client.generic(
        "POST",
        path,
        b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(HUGE),
        **{"wsgi.input": body},
        **extra,
    )
    return response, body


@pytest.fixture
def no_temp_files(monkeypatch):
    made = []
    real = tempfile.NamedTemporaryFile

    def spy(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", spy)
    from django.core.files import uploadedfile

    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", spy)
    yield made
    assert made == [], "a temporary upload file was written"


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/admin/login/", "/api/v1/tokens/", "/accounts/password_reset/", "/api/v1/claims/"]
)
def test_an_anonymous_300_mb_post_is_413_before_it_is_read(path, db, no_temp_files):
    response, body = _huge_post(Client(), path)
    assert response.status_code == 413, response.content[:300]
    assert "Request body too large" in response.content.decode() and body.reads == 0


def test_a_made_up_authorization_header_is_still_anonymous(db, no_temp_files):
    response, body = _huge_post(Client(), "/api/v1/tokens/", HTTP_AUTHORIZATION="Basic YTpi")
    assert response.status_code == 413 and body.reads == 0
    # A token header: DRF checks the token before it reads the body, and a wrong one is 401.
    response, body = _huge_post(Client(), "/api/v1/tokens/", HTTP_AUTHORIZATION="Token " + "a" * 64)
    assert response.status_code == 401 and body.reads == 0


def test_signed_in_requests_keep_their_endpoints_limits(editor, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "ANONYMOUS_MAX_BODY_BYTES": 1024}
    client = Client()
    client.force_login(editor)
    big_form = {"q": "x" * 4096}
    assert client.post("/accounts/logout/", big_form).status_code == 302  # read and answered, not 413
    assert Client().post("/accounts/login/", big_form).status_code == 413


def test_small_anonymous_posts_are_untouched(editor):
    assert (
        Client().post("/accounts/login/", {"username": editor.username, "password": "pass-for-tests"}).status_code
        == 302
    )


def test_django_upload_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.WORKBENCH["ANONYMOUS_MAX_BODY_BYTES"] == 64 * 1024


@pytest.mark.parametrize("proxies, expected", [("", []), ("127.0.0.1", ["127.0.0.1"])])
def test_the_gunicorn_configuration_loads(proxies, expected, monkeypatch):
    from gunicorn.config import Config

    monkeypatch.setenv("WORKBENCH_TRUSTED_PROXIES", proxies)
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    config = Config()
    for key, value in runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py")).items():
        if key in config.settings:
            config.set(key, value)
    assert config.worker_class_str == "gthread" and config.threads == 4 and config.workers == os.cpu_count() * 2
    assert config.bind == ["127.0.0.1:8000"]  # behind the proxy only
    assert config.timeout == 30 and config.graceful_timeout == 30 and config.keepalive == 5
    assert (config.limit_request_line, config.limit_request_fields, config.limit_request_field_size) == (
        4094,
        100,
        8190,
    )
    assert config.forwarded_allow_ips == expected  # gunicorn believes X-Forwarded-Proto from the same proxies only


def test_the_nginx_configuration_has_the_documented_limits():
    conf = (REPO / "deploy" / "nginx.conf").read_text()
    assert re.search(r"client_header_timeout 10s;", conf) and re.search(r"client_body_timeout 10s;", conf)
    assert "proxy_request_buffering on;" in conf and "client_max_body_size 12m;" in conf
    for location in ("= /accounts/login/", "= /admin/login/", "= /api/v1/tokens/"):
        block = conf.split(f"location {location} {{", 1)[1].split("}", 1)[0]
        assert "client_max_body_size 64k;" in block and "limit_req zone=workbench_login" in block
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf  # replaced, never appended to
