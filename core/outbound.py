"""Every HTTP request the workbench makes to the outside (webhook deliveries, feeds, robots.txt,
article pages) goes through this module, so that one set of rules protects all of them (SSRF):

- only ``http`` and ``https``; no user info in the URL; cloud metadata names and addresses never;
- the host is resolved here and every address it resolves to must be public: loopback, private,
  link-local, unique-local (fc00::/7), unspecified, multicast, reserved and shared (100.64/10)
  addresses are refused, for IPv4 and IPv6 (IPv4-mapped IPv6 addresses are judged as IPv4);
- the connection goes to the address that was checked (the name is not resolved a second time by
  the HTTP library, so DNS rebinding between check and connect does not help); TLS still checks
  the certificate against the host name (SNI + hostname verification);
- redirects are not followed unless the caller asks (then at most ``max_redirects`` hops, each
  checked again like the first URL);
- timeouts (connect, each read, and the whole response) and a size cap on the body;
- errors are reported as a few generic reasons (``OutboundError.reason``) with messages that never
  contain what the other side said, so a log of them is not a port scanner.

``WORKBENCH_OUTBOUND_ALLOW`` (settings ``WORKBENCH["OUTBOUND_ALLOW"]``): comma-separated host
names and CIDRs that are allowed although internal (a receiver on the intranet; a test's own
loopback server). Empty by default. Depends on no app: settings only.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "FactcheckWorkbench/1 (+https://github.com/fact-check-workbench)"

# Cloud instance metadata services: never reachable, whatever the allow-list says.
METADATA_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.com",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.packet.net",
        "metadata.platformequinix.com",
    }
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "169.254.169.123",
        "100.100.100.200",
        "192.0.0.192",
        "fd00:ec2::254",
    )
)


class OutboundError(Exception):
    """A request that was refused or failed. `reason` is one of REASONS; `message` is safe to store
    and show (it never quotes the remote side)."""

    REASONS = {
        "url": "not an http(s) URL",
        "refused": "address not allowed",
        "dns": "host name does not resolve",
        "connect": "connection failed",
        "timeout": "timed out",
        "tls": "TLS handshake or certificate failed",
        "too_large": "response too large",
        "redirect": "too many redirects",
        "protocol": "invalid HTTP response",
    }

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.message = self.REASONS[reason] + (f": {detail}" if detail else "")
        super().__init__(self.message)


@dataclass
class Target:
    """A checked URL: where to connect (`address`) and what to call the host (`host`)."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass
class Response:
    url: str  # the final URL (after redirects the caller allowed)
    status: int
    headers: dict[str, str]
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


def _allow_list() -> tuple[set[str], list]:
    hosts, networks = set(), []
    for item in settings.WORKBENCH.get("OUTBOUND_ALLOW", []) or []:
        item = item.strip().lower()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.strip("[]"))
    return hosts, networks


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address may not be contacted (None if it is a public unicast address)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = [
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unique-local", isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("fc00::/7")),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    ]
    return next((f"a {name} address" for name, hit in checks if hit), None)


def _split(url: str) -> tuple[str, str, int, str]:
    if not isinstance(url, str) or len(url) > 2000 or any(c in url for c in "\x00\r\n\t "):
        raise OutboundError("url")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise OutboundError("url", "bad host or port") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("url", "only http and https URLs with a host")
    if parts.username is not None or parts.password is not None:
        raise OutboundError("url", "credentials in the URL are not allowed")
    host = parts.hostname.lower().rstrip(".")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def url_check(url: str, *, resolve: bool = True) -> Target | None:
    """Check `url` and pick the address to connect to. Raises OutboundError ('url', 'refused',
    'dns'). With `resolve=False` (registration of a hook whose host may not resolve yet) a name
    that does not resolve passes (None); literal addresses and names that do resolve are checked."""
    scheme, host, port, path = _split(url)
    if host in METADATA_HOSTS or host.endswith(".metadata.google.internal"):
        raise OutboundError("refused", "a cloud metadata host")
    allowed_hosts, allowed_networks = _allow_list()
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            if not resolve:
                return None
            raise OutboundError("dns") from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
        if not addresses:
            raise OutboundError("dns")
    host_allowed = host.strip("[]") in allowed_hosts
    for ip in addresses:  # every address the name has must pass: the resolver may return any of them
        if ip in METADATA_ADDRESSES or (isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped in METADATA_ADDRESSES):
            raise OutboundError("refused", "a cloud metadata address")
        problem = address_problem(ip)
        if problem and not (host_allowed or any(ip in net for net in allowed_networks)):
            raise OutboundError("refused", f"{host} is {problem} (allow it in WORKBENCH_OUTBOUND_ALLOW if intended)")
    return Target(url=url, scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


def _pool(target: Target, timeout: urllib3.Timeout):
    common = {"timeout": timeout, "retries": False, "maxsize": 1}
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **common,
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, **common)


def request(
    url: str,
    *,
    method: str = "GET",
    headers: dict | None = None,
    body: bytes | None = None,
    timeout: float = 10.0,
    max_bytes: int = 5 * 1024 * 1024,
    max_redirects: int = 0,
    read_body: bool = True,
) -> Response:
    """Send one request (following at most `max_redirects` redirects, each checked) and read at
    most `max_bytes` of the (decoded) body within `timeout` seconds in all. Any status is returned
    as a Response; refusals and network failures raise OutboundError. With `read_body=False` the
    body is not read at all (webhook deliveries need the status only)."""
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    while True:
        target = url_check(url)
        host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
        if ":" in target.host:
            host_header = f"[{target.host}]" + ("" if target.port in (80, 443) else f":{target.port}")
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **(headers or {}), "Host": host_header}
        remaining = max(0.1, deadline - time.monotonic())
        pool = _pool(target, urllib3.Timeout(connect=min(remaining, 5.0), read=remaining))
        try:
            raw = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=sent,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            response_headers = {k.lower(): v for k, v in raw.headers.items()}
            status = raw.status
            location = response_headers.get("location")
            if 300 <= status < 400 and location and max_redirects and method in ("GET", "HEAD"):
                raw.release_conn()
                if len(redirects) >= max_redirects:
                    raise OutboundError("redirect", f"more than {max_redirects}")
                redirects.append(url)
                url = urljoin(url, location)
                continue
            if not read_body:
                return Response(url=url, status=status, headers=response_headers, redirects=redirects)
            declared = response_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raw.release_conn()
                raise OutboundError("too_large", f"over {max_bytes} bytes")
            chunks, size = [], 0
            for chunk in raw.stream(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > max_bytes:
                    raise OutboundError("too_large", f"over {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise OutboundError("timeout", f"the response took longer than {timeout:g} s")
                chunks.append(chunk)
            raw.release_conn()
            return Response(
                url=url, status=status, headers=response_headers, body=b"".join(chunks), redirects=redirects
            )
        except OutboundError:
            raise
        except (urllib3.exceptions.NewConnectionError, ConnectionError):  # (a ConnectTimeoutError subclass)
            raise OutboundError("connect") from None
        except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise OutboundError("timeout", f"after {timeout:g} s") from None
        except urllib3.exceptions.SSLError:
            raise OutboundError("tls") from None
        except (
            urllib3.exceptions.ProtocolError,
            urllib3.exceptions.DecodeError,
            urllib3.exceptions.HTTPError,
            OSError,
            ValueError,
        ):
            raise OutboundError("protocol") from None
        finally:
            pool.close()
