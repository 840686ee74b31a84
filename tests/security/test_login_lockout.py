"""Password guessing (issue 15, item 11): django-axes locks out a user name + address after
AXES_FAILURE_LIMIT wrong passwords on the sign-in page, the admin's and the token endpoint, with
a clear 429; forwarded headers count only from WORKBENCH_TRUSTED_PROXIES, so a new
X-Forwarded-For per request neither resets the token throttle nor the lockout, nor fakes HTTPS;
the throttles and the lockout resolve the same address."""

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework import throttling as drf_throttling
from rest_framework.request import Request
from rest_framework.test import APIClient

from api.throttling import AnonRateThrottle

LIMIT = 5  # AXES_FAILURE_LIMIT, the default


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _web_login(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_sign_in_pages_lock_out_a_user_name_from_an_address(path, admin_user, editor):
    attacker = Client(REMOTE_ADDR="192.0.2.10")
    codes = [_web_login(attacker, admin_user.username, f"guess-{i}", path).status_code for i in range(LIMIT)]
    assert codes[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
    locked = _web_login(attacker, admin_user.username, "pass-for-tests", path)  # even the right password
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60
    assert "Too many failed sign-in attempts" in locked.content.decode() and "15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session
    # Not the user alone, not the address alone: the pair.
    assert (
        _web_login(Client(REMOTE_ADDR="198.51.100.7"), admin_user.username, "pass-for-tests", path).status_code == 302
    )
    assert _web_login(attacker, editor.username, "pass-for-tests", path).status_code == 302


def test_the_token_endpoint_shares_the_lockout_and_answers_json(editor):
    client = APIClient(REMOTE_ADDR="192.0.2.20")
    for i in range(LIMIT):
        assert client.post(
            "/api/v1/tokens/", {"username": editor.username, "password": f"g{i}"}, format="json"
        ).status_code in (401, 429)
    locked = client.post("/api/v1/tokens/", {"username": editor.username, "password": "pass-for-tests"}, format="json")
    assert locked.status_code == 429, locked.content
    assert locked.json()["code"] == "locked_out" and "locked out for 15 minutes" in locked.json()["detail"]
    # ... and the sign-in page from the same address too
    assert _web_login(Client(REMOTE_ADDR="192.0.2.20"), editor.username, "pass-for-tests").status_code == 429


def test_a_successful_sign_in_resets_the_count(editor):
    client = Client(REMOTE_ADDR="192.0.2.30")
    for _ in range(2):
        for i in range(LIMIT - 1):
            assert _web_login(client, editor.username, f"typo-{i}").status_code == 200
        assert _web_login(client, editor.username, "pass-for-tests").status_code == 302
        client.logout()


def test_a_new_x_forwarded_for_per_request_does_not_reset_the_token_throttle(editor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/tokens/",
            {"username": "nobody", "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_forwarded_addresses_count_from_a_trusted_proxy(editor, settings):
    settings.WORKBENCH_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "2/min"}}
    proxy = APIClient(REMOTE_ADDR="127.0.0.1")

    def post(xff):
        return proxy.post(
            "/api/v1/tokens/", {"username": "nobody", "password": "x"}, format="json", HTTP_X_FORWARDED_FOR=xff
        ).status_code

    # What a client puts in front is ignored: the right-most address not a proxy is the client.
    assert [post(f"{i}.{i}.{i}.{i}, 203.0.113.5") for i in range(1, 4)] == [401, 401, 429]
    assert post("203.0.113.6, 10.1.2.3") == 401  # another client, behind two of our proxies


def _request(remote, xff=None, proto=None):
    meta = {"REMOTE_ADDR": remote}
    if xff:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    if proto:
        meta["HTTP_X_FORWARDED_PROTO"] = proto
    return RequestFactory().get("/", **meta)


def _through_middleware(request):
    from core.http import TrustedProxyMiddleware

    TrustedProxyMiddleware(lambda r: None)(request)
    return request


@pytest.mark.parametrize("proxies", [[], ["127.0.0.1"]])
@pytest.mark.parametrize(
    "remote, xff",
    [
        ("127.0.0.1", None),
        ("127.0.0.1", "203.0.113.9"),
        ("127.0.0.1", "1.2.3.4, 203.0.113.9"),
        ("192.0.2.44", "203.0.113.9"),
        ("::1", "203.0.113.9"),
    ],
)
def test_throttles_and_lockout_resolve_the_same_address(proxies, remote, xff, settings):
    settings.WORKBENCH_TRUSTED_PROXIES = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1 if proxies else 0}
    request = _through_middleware(_request(remote, xff))
    ours = AnonRateThrottle().get_ident(Request(request))
    stock = drf_throttling.AnonRateThrottle().get_ident(Request(request))  # DRF with NUM_PROXIES
    assert get_client_ip_address(request) == ours == stock
    trusted = remote in proxies
    assert ours == (xff.split(",")[-1].strip() if trusted and xff else remote)


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.WORKBENCH_TRUSTED_PROXIES = ["127.0.0.1"]
    assert _through_middleware(_request("127.0.0.1", proto="https")).is_secure()
    assert not _through_middleware(_request("192.0.2.8", proto="https")).is_secure()


def test_by_default_no_proxy_is_trusted_and_no_ssl_header_is_believed():
    from workbench.settings import base

    assert base.WORKBENCH_TRUSTED_PROXIES == [] and not hasattr(base, "SECURE_PROXY_SSL_HEADER")
    assert base.REST_FRAMEWORK["NUM_PROXIES"] == 0
