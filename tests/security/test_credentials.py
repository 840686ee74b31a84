"""Credentials (issue 15, item 12): API tokens die with the password and with the account; a
token always needs the password; a Content-Security-Policy on every page; the admin role cannot
see webhook secrets or make superusers; demo_setup refuses production settings; password reset is
offered only where e-mail is set up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from webhooks.models import Webhook

REPO = Path(__file__).resolve().parent.parent.parent


def _token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


# --- Tokens ----------------------------------------------------------------------------------


def test_changing_the_password_on_the_page_revokes_every_token(editor):
    api = _token_client(editor)
    AuthToken.objects.create(user=editor)
    assert api.get("/api/v1/me/").status_code == 200
    web = Client()
    web.force_login(editor)
    response = web.post(
        "/accounts/password_change/",
        {
            "old_password": "pass-for-tests",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=editor).exists()
    assert api.get("/api/v1/me/").status_code == 401
    assert web.get("/").status_code == 200  # the session that changed it stays signed in


@pytest.mark.parametrize("how", ["set_password", "deactivate", "changepassword-admin-form"])
def test_every_way_of_changing_the_password_or_deactivating_revokes_tokens(how, editor, admin_user, reviewer):
    other = _token_client(reviewer)  # someone else's token is untouched
    api = _token_client(editor)
    if how == "set_password":
        editor.set_password("another-long-passphrase")
        editor.save()
    elif how == "deactivate":
        editor.is_active = False
        editor.save(update_fields=["is_active"])
    else:  # an admin sets a new password in the admin
        admin = Client()
        admin.force_login(admin_user)
        response = admin.post(
            f"/admin/auth/user/{editor.pk}/password/",
            {"password1": "admin-chosen-passphrase", "password2": "admin-chosen-passphrase", "usable_password": "true"},
        )
        assert response.status_code == 302, response.content[:400]
    assert not AuthToken.objects.filter(user=editor).exists()
    assert api.get("/api/v1/me/").status_code == 401
    assert other.get("/api/v1/me/").status_code == 200


def test_a_password_hash_upgraded_at_sign_in_keeps_tokens(editor, settings):
    """Django re-hashes a correct password with a newer hasher at sign-in: not a password change."""
    AuthToken.objects.create(user=editor)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = editor.password
    assert (
        Client().post("/accounts/login/", {"username": editor.username, "password": "pass-for-tests"}).status_code
        == 302
    )
    editor.refresh_from_db()
    assert editor.password != old_hash and editor.password.startswith("pbkdf2_")
    assert AuthToken.objects.filter(user=editor).count() == 1


def test_other_saves_keep_tokens(editor, django_assert_max_num_queries):
    AuthToken.objects.create(user=editor)
    editor.first_name = "Erin"
    editor.save()
    editor.save(update_fields=["last_login"])  # every sign-in: no extra query
    assert AuthToken.objects.filter(user=editor).count() == 1
    with django_assert_max_num_queries(1):
        editor.save(update_fields=["last_login"])


# --- Content-Security-Policy -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/admin/login/", "/api/v1/me/", "/api/docs/", "/api/redoc/"])
def test_every_response_carries_a_policy_without_inline_scripts(path, editor):
    client = Client()
    client.force_login(editor)
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    if not path.startswith("/api/docs") and not path.startswith("/api/redoc"):  # they style with <style>
        assert "unsafe-inline" not in directives["style-src"]


# --- Admin -----------------------------------------------------------------------------------


def test_the_admin_never_shows_a_webhook_secret(admin_user, integration):
    hook = Webhook.objects.create(owner=integration, url="https://hooks.example.org/in", events=["verdict.published"])
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/admin/webhooks/webhook/{hook.pk}/change/")
    assert page.status_code == 200 and hook.secret not in page.content.decode()
    assert 'name="secret"' not in page.content.decode()


def test_an_admin_who_is_not_a_superuser_cannot_make_or_touch_superusers(admin_user, editor):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "root-pass-long-enough")
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    form = {
        "username": editor.username,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "groups": [g.pk for g in editor.groups.all()],
    }
    assert client.post(f"/admin/auth/user/{editor.pk}/change/", form).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert client.get(f"/admin/auth/user/{root.pk}/change/").status_code in (200, 403)
    assert (
        client.post(
            f"/admin/auth/user/{root.pk}/password/",
            {"password1": "taken-over-passphrase", "password2": "taken-over-passphrase"},
        ).status_code
        == 403
    )
    assert client.post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.check_password("root-pass-long-enough")
    superuser = Client()
    superuser.force_login(root)
    assert 'name="is_superuser"' in superuser.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()


# --- demo_setup --------------------------------------------------------------------------------


def test_demo_setup_refuses_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "workbench.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "WORKBENCH_VAR_DIR": str(tmp_path),
        "CACHE_URL": "locmemcache://",
    }
    env.pop("WORKBENCH_DEMO_SETUP", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_setup", "--no-articles"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "demo_setup creates accounts with published passwords: refused" in result.stderr
    assert not (tmp_path / "prod.sqlite3").exists() or "admin-demo-pass" not in result.stdout


def test_demo_setup_runs_where_allowed(db):
    call_command("demo_setup", "--no-articles")
    assert get_user_model().objects.filter(username="editor").exists()


# --- Password reset ----------------------------------------------------------------------------


def test_password_reset_is_not_offered_without_mail(settings, editor, mailoutbox):
    settings.WORKBENCH = {**settings.WORKBENCH, "PASSWORD_RESET": False}
    client = Client()
    assert "Forgot your password" not in client.get("/accounts/login/").content.decode()
    for path in (
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/x/",
        "/accounts/reset/done/",
    ):
        response = client.get(path)
        assert response.status_code == 404 and "does not send e-mail" in response.content.decode()
    assert client.post("/accounts/password_reset/", {"email": editor.email or "x@example.org"}).status_code == 404
    assert mailoutbox == []


def test_password_reset_is_offered_with_mail(settings, editor, mailoutbox):
    settings.WORKBENCH = {**settings.WORKBENCH, "PASSWORD_RESET": True}
    editor.email = "erin@example.org"
    editor.save()
    client = Client()
    assert "Forgot your password" in client.get("/accounts/login/").content.decode()
    assert client.post("/accounts/password_reset/", {"email": "erin@example.org"}).status_code == 302
    assert len(mailoutbox) == 1
