"""core/outbound.py: the one door for outbound HTTP (webhooks, feeds, pages). Internal and metadata
targets refused (after DNS resolution, and again when connecting), the allow-list, no redirects
unless asked, size and time limits, and errors that never quote the other side."""

import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import outbound
from webhooks import services
from webhooks.models import Webhook

REFUSED_URLS = [
    "http://127.0.0.1/",
    "http://127.1.2.3:8080/x",
    "http://localhost/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://10.1.2.3/",
    "http://172.16.0.9/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata/",
    "http://100.100.100.200/",
    "http://224.0.0.1/",
    "http://2130706433/",
    "http://0x7f.1/",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_internal_and_metadata_targets_are_refused(url):
    with pytest.raises(outbound.OutboundError) as err:
        outbound.url_check(url)
    assert err.value.reason in ("refused", "dns", "url")
    if "2130706433" not in url and "0x7f" not in url:  # decimal / hex forms: refused or unresolvable
        assert err.value.reason == "refused"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
        "http://user:pw@example.org/",
        "http:///nohost",
        "http://example.org:99999/",
        "",
        "http://exa mple.org/",
        "http://example.org/\r\nX-Injected: 1",
    ],
)
def test_only_plain_http_and_https_urls(url):
    with pytest.raises(outbound.OutboundError) as err:
        outbound.url_check(url)
    assert err.value.reason == "url"


def _resolve_to(monkeypatch, *answers):
    """Make every name resolve to the next list of addresses in `answers` (the last one repeats)."""
    calls, real = [], socket.getaddrinfo
    queue = list(answers)

    def fake(host, port, *args, **kwargs):
        try:
            import ipaddress

            ipaddress.ip_address(host)
            return real(host, port, *args, **kwargs)  # literal addresses: the library connecting
        except ValueError:
            pass
        calls.append(host)
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return calls


def test_a_name_is_refused_when_any_of_its_addresses_is_internal(monkeypatch):
    _resolve_to(monkeypatch, ["93.184.215.14", "10.0.0.5"])
    with pytest.raises(outbound.OutboundError, match="private"):
        outbound.url_check("https://receiver.test/hook")
    _resolve_to(monkeypatch, ["2606:4700::1", "fd00::5"])
    with pytest.raises(outbound.OutboundError, match="unique-local"):
        outbound.url_check("https://receiver.test/hook")
    _resolve_to(monkeypatch, ["93.184.215.14"])
    assert outbound.url_check("https://receiver.test/hook").address == "93.184.215.14"


def test_allow_list_takes_hosts_and_cidrs_and_never_metadata(settings, monkeypatch):
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": ["hooks.intranet", "10.20.0.0/16", "::1"]}
    _resolve_to(monkeypatch, ["10.9.9.9"])
    assert outbound.url_check("http://hooks.intranet/x").address == "10.9.9.9"  # by name
    with pytest.raises(outbound.OutboundError):
        outbound.url_check("http://other.intranet/x")  # same kind of address, name not listed
    assert outbound.url_check("http://10.20.3.4/").address == "10.20.3.4"  # by CIDR
    assert outbound.url_check("http://[::1]:8000/").address == "::1"
    with pytest.raises(outbound.OutboundError):
        outbound.url_check("http://10.21.0.1/")
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": ["169.254.0.0/16", "metadata.google.internal"]}
    for url in ("http://169.254.169.254/", "http://metadata.google.internal/"):
        with pytest.raises(outbound.OutboundError, match="metadata"):
            outbound.url_check(url)


class _Server:
    def __init__(self, handler_class):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_server():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append((self.path, self.headers.get("Host")))
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/final")
                self.end_headers()
            elif self.path == "/huge":
                self.send_response(200)
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"x" * 65536)
            elif self.path == "/slow":
                time.sleep(3)
                self.send_response(200)
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"secret internal banner")

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = _Server(Handler)
    server.hits = hits
    yield server
    server.close()


def test_loopback_needs_the_allow_list(http_server, settings):
    with pytest.raises(outbound.OutboundError, match="loopback"):
        outbound.request(f"http://127.0.0.1:{http_server.port}/")
    assert http_server.hits == []  # refused before connecting
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": ["127.0.0.0/8"]}
    assert outbound.request(f"http://127.0.0.1:{http_server.port}/").body == b"secret internal banner"


def test_connects_to_the_address_it_checked_not_a_second_lookup(http_server, settings, monkeypatch):
    """DNS rebinding: the name answers an allowed address for the check and another one afterwards.
    The request goes to the checked address, with the name in the Host header."""
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": ["127.0.0.1/32"]}
    calls = _resolve_to(monkeypatch, ["127.0.0.1"], ["10.66.66.66"])
    response = outbound.request(f"http://rebind.test:{http_server.port}/page")
    assert response.status == 200 and calls == ["rebind.test"]
    assert http_server.hits == [("/page", f"rebind.test:{http_server.port}")]
    # the next request resolves again and gets the rebound, refused address
    with pytest.raises(outbound.OutboundError, match="private"):
        outbound.request(f"http://rebind.test:{http_server.port}/page")


def test_redirects_only_when_asked_and_each_hop_checked(http_server, allow_loopback, settings):
    base = f"http://127.0.0.1:{http_server.port}"
    assert outbound.request(base + "/redirect").status == 302
    followed = outbound.request(base + "/redirect", max_redirects=3)
    assert (followed.status, followed.url, followed.redirects) == (200, base + "/final", [base + "/redirect"])


def test_size_and_time_limits(http_server, allow_loopback):
    base = f"http://127.0.0.1:{http_server.port}"
    with pytest.raises(outbound.OutboundError) as err:
        outbound.request(base + "/huge", max_bytes=100_000)
    assert err.value.reason == "too_large"
    started = time.monotonic()
    with pytest.raises(outbound.OutboundError) as err:
        outbound.request(base + "/slow", timeout=0.5)
    assert err.value.reason == "timeout" and time.monotonic() - started < 2.5


def test_errors_do_not_quote_the_other_side(allow_loopback):
    """A non-HTTP service (an SSH or SMTP banner) gives a generic 'invalid HTTP response'."""

    class Banner(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.sendall(b"SSH-2.0-OpenSSH_9.6 secret-host-build\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Banner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(outbound.OutboundError) as err:
            outbound.request(f"http://127.0.0.1:{server.server_address[1]}/", timeout=3)
    finally:
        server.shutdown()
        server.server_close()
    assert err.value.reason == "protocol" and "SSH" not in err.value.message and "secret" not in err.value.message


# --- webhooks use it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/",
        "http://metadata.google.internal/",
        "http://192.168.0.10/hook",
        "ftp://cms.example/",
    ],
)
def test_webhook_registration_refuses_internal_targets(integration, url):
    from tests.api.conftest import token_client

    response = token_client(integration).post(
        "/api/v1/webhooks/", {"url": url, "events": ["verdict.published"]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert Webhook.objects.count() == 0


def test_webhook_registration_accepts_an_allow_listed_receiver(integration, allow_loopback):
    hook = services.webhook_create(url="http://127.0.0.1:8000/hook", events=["verdict.published"], by=integration)
    assert hook.pk


def test_admin_form_refuses_internal_and_non_http_targets(client, admin_user):
    client.force_login(admin_user)
    for url in ("http://10.0.0.1/hook", "ftp://cms.example/hook", "http://metadata.google.internal/"):
        response = client.post(
            "/admin/webhooks/webhook/add/",
            {
                "url": url,
                "events": '["verdict.published"]',
                "secret": "s" * 64,
                "is_active": "on",
                "owner": admin_user.pk,
                "name": "",
            },
        )
        assert response.status_code == 200 and b"errornote" in response.content, url
    assert Webhook.objects.count() == 0
    response = client.post(
        "/admin/webhooks/webhook/add/",
        {
            "url": "https://cms.example/hook",
            "events": '["verdict.published"]',
            "secret": "s" * 64,
            "is_active": "on",
            "owner": admin_user.pk,
            "name": "",
        },
    )
    assert response.status_code == 302 and Webhook.objects.count() == 1


def test_delivery_checks_the_address_again_and_does_not_follow_redirects(
    integration, http_server, settings, monkeypatch
):
    # registered while the name pointed at a public address; now it resolves to a private one
    _resolve_to(monkeypatch, ["93.184.215.14"])
    hook = services.webhook_create(
        url=f"http://cms.test:{http_server.port}/hook", events=["claims.extracted"], by=integration
    )
    _resolve_to(monkeypatch, ["127.0.0.1"])
    (delivery,) = services.webhook_event_emit(event="claims.extracted", payload={"article_ids": [1]})
    attempt = services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert attempt.status == "pending" and attempt.response_status is None
    assert attempt.error.startswith("address not allowed: cms.test is a loopback address")
    assert http_server.hits == []
    # an allow-listed receiver that redirects: the redirect is not followed, the delivery failed
    settings.WORKBENCH = {**settings.WORKBENCH, "OUTBOUND_ALLOW": ["127.0.0.1"]}
    hook.url = f"http://127.0.0.1:{http_server.port}/redirect"
    hook.save()
    (delivery,) = services.webhook_event_emit(event="claims.extracted", payload={"article_ids": [2]})
    attempt = services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert (attempt.status, attempt.response_status, attempt.error) == ("pending", 302, "HTTP 302")
    assert [path for path, _ in http_server.hits] == ["/redirect"]
