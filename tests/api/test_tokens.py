"""The caller's own tokens: created with a password (also from a session), stored hashed, listed without
their secret, revoked, expiring; password guessing is throttled."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient


def test_token_from_password_works_and_is_stored_hashed(editor):
    client = APIClient()
    response = client.post(
        "/api/v1/tokens/", {"username": editor.username, "password": "pass-for-tests"}, format="json"
    )
    assert response.status_code == 201
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=editor)
    assert token not in (stored.digest, stored.token_key) and token.startswith(stored.token_key)
    assert stored.expiry > timezone.now() + timedelta(days=89)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json() == {
        "username": editor.username,
        "roles": ["editor"],
        "capabilities": [
            "article.write",
            "claim.curate",
            "claim.group",
            "comment.write",
            "extraction.run",
            "outlet.manage",
            "read",
            "source.write",
            "verdict.approve",
            "verdict.draft",
            "verdict.publish",
        ],
    }


def test_wrong_password_is_401_and_outsider_is_403(editor, outsider):
    client = APIClient()
    assert (
        client.post("/api/v1/tokens/", {"username": editor.username, "password": "nope"}, format="json").status_code
        == 401
    )
    assert client.post("/api/v1/tokens/", {}, format="json").status_code == 401
    response = client.post(
        "/api/v1/tokens/", {"username": outsider.username, "password": "pass-for-tests"}, format="json"
    )
    assert response.status_code == 403 and not AuthToken.objects.exists()


def test_token_from_a_session_needs_the_password_and_can_expire_sooner(reviewer):
    client = APIClient()
    client.force_login(reviewer)
    refused = client.post("/api/v1/tokens/", {"expiry_days": 7}, format="json")
    assert refused.status_code == 401 and "password" in refused.json()["detail"]
    assert client.post("/api/v1/tokens/", {"password": "wrong"}, format="json").status_code == 401
    assert not AuthToken.objects.exists()
    response = client.post("/api/v1/tokens/", {"expiry_days": 7, "password": "pass-for-tests"}, format="json")
    assert response.status_code == 201
    expiry = AuthToken.objects.get(user=reviewer).expiry
    assert timezone.now() + timedelta(days=6) < expiry < timezone.now() + timedelta(days=8)


def test_list_shows_only_your_tokens_and_no_secret(api, editor, reviewer):
    AuthToken.objects.create(user=reviewer)
    client = api(editor)
    AuthToken.objects.create(user=editor)
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert len(listed) == 2 and set(listed[0]) == {"token_key", "created", "expiry"}
    assert {t["token_key"] for t in listed} == set(
        AuthToken.objects.filter(user=editor).values_list("token_key", flat=True)
    )


def test_revoked_and_expired_tokens_stop_working(editor, reviewer):
    instance, token = AuthToken.objects.create(user=editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/claims/").status_code == 200
    other_key = AuthToken.objects.create(user=reviewer)[0].token_key
    assert client.delete(f"/api/v1/tokens/{other_key}/").status_code == 404  # not yours
    assert client.delete(f"/api/v1/tokens/{instance.token_key}/").status_code == 204
    assert client.get("/api/v1/claims/").status_code == 401
    _, old = AuthToken.objects.create(user=editor, expiry=timedelta(seconds=-1))
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/claims/").status_code == 401


def test_token_creation_is_throttled(editor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    client = APIClient()
    codes = [
        client.post("/api/v1/tokens/", {"username": editor.username, "password": "guess"}, format="json").status_code
        for _ in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_token_create_service_caps_the_expiry_and_needs_a_role(reviewer, outsider, settings):
    from accounts.services import token_create
    from core.errors import PermissionDenied

    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=30)}
    instance, token = token_create(user=reviewer, expiry_days=365)
    assert token and abs(instance.expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    instance, _ = token_create(user=reviewer, expiry_days=2)
    assert abs(instance.expiry - (timezone.now() + timedelta(days=2))) < timedelta(minutes=1)
    with pytest.raises(PermissionDenied):
        token_create(user=outsider)
