"""Polite fetching (robots.txt, one request per host at a time with a delay between them, timeouts,
size limits — every request through core/outbound.py and its address checks) and the parsing of
what comes back: feeds with feedparser (given the bytes fetched here, so it never fetches a URL
itself) and article pages with trafilatura (text, headline, byline, date; no page furniture)."""

from __future__ import annotations

import hashlib
import re
import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import outbound

from .models import HostState

ROBOTS_AGENT = "FactcheckWorkbench"
ROBOTS_MAX_AGE = timedelta(hours=24)
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(Exception):
    """A page or feed that could not be used; `reason` is short and safe to show."""

    def __init__(self, reason: str, *, retry: bool = True):
        super().__init__(reason)
        self.reason, self.retry = reason, retry


def _conf(name: str):
    return settings.WORKBENCH[name]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower() + (f":{urlsplit(url).port}" if urlsplit(url).port else "")


def _state(host: str) -> HostState:
    state = HostState.objects.filter(host=host).first()
    if state is None:
        try:
            with transaction.atomic():
                state = HostState.objects.create(host=host)
        except IntegrityError:
            state = HostState.objects.get(host=host)
    return state


def _wait_for_slot(host: str, delay: float) -> None:
    """Claim the host's next request slot (a conditional UPDATE, so workers on several machines
    take turns); wait for it up to FEEDS_HOST_MAX_WAIT seconds, else give up (retried later)."""
    deadline = time.monotonic() + _conf("FEEDS_HOST_MAX_WAIT")
    _state(host)
    while True:
        now = timezone.now()
        claimed = HostState.objects.filter(
            Q(next_request_at__isnull=True) | Q(next_request_at__lte=now), host=host
        ).update(next_request_at=now + timedelta(seconds=delay))
        if claimed == 1:
            return
        due = HostState.objects.filter(host=host).values_list("next_request_at", flat=True).first()
        wait = max(0.05, (due - now).total_seconds()) if due else 0.05
        if time.monotonic() + wait > deadline:
            raise FetchError("host busy (rate limit); will retry")
        time.sleep(min(wait, 1.0))


def _robots(url: str) -> urllib.robotparser.RobotFileParser:
    """robots.txt of the URL's host, fetched (through the same checks) at most once a day."""
    host = _host(url)
    state = _state(host)
    if state.robots_fetched_at is None or timezone.now() - state.robots_fetched_at > ROBOTS_MAX_AGE:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        text, status = "", "none"
        try:
            _wait_for_slot(host, 0)
            response = outbound.request(
                robots_url, timeout=_conf("FEEDS_TIMEOUT"), max_bytes=512 * 1024, max_redirects=3
            )
        except outbound.OutboundError as exc:
            if exc.reason != "too_large":  # RFC 9309: robots.txt unreachable → nothing may be fetched now
                raise FetchError(f"robots.txt unreachable ({exc.message}); will retry") from None
            response = None
        if response is not None and response.status == 200:
            text, status = response.body.decode("utf-8", "replace"), "ok"
        elif response is not None and (response.status >= 500 or response.status == 429):
            raise FetchError(f"robots.txt unreachable (HTTP {response.status}); will retry")
        HostState.objects.filter(host=host).update(
            robots_txt=text, robots_status=status, robots_fetched_at=timezone.now()
        )
        state.robots_txt, state.robots_status = text, status
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(state.robots_txt.splitlines())
    return parser


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict
    body: bytes


def polite_get(url: str, *, max_bytes: int, headers: dict | None = None) -> Fetched:
    """GET `url` if robots.txt allows it, after the host's turn has come; redirects followed (each
    hop checked). Raises FetchError with a reason; HTTP errors are FetchErrors too (304 is not)."""
    try:
        outbound.url_check(url)
        robots = _robots(url)
    except outbound.OutboundError as exc:
        raise FetchError(exc.message, retry=exc.reason not in ("url", "refused")) from None
    if not robots.can_fetch(ROBOTS_AGENT, url):
        raise FetchError("disallowed by the site's robots.txt", retry=False)
    delay = float(_conf("FEEDS_HOST_DELAY"))
    crawl_delay = robots.crawl_delay(ROBOTS_AGENT)
    if crawl_delay:
        delay = max(delay, min(float(crawl_delay), 60.0))
    _wait_for_slot(_host(url), delay)
    try:
        response = outbound.request(
            url,
            headers=headers,
            timeout=_conf("FEEDS_TIMEOUT"),
            max_bytes=max_bytes,
            max_redirects=_conf("FEEDS_MAX_REDIRECTS"),
        )
    except outbound.OutboundError as exc:
        raise FetchError(exc.message, retry=exc.reason not in ("url", "refused", "too_large")) from None
    if response.status == 304:
        return Fetched(response.url, 304, response.headers, b"")
    if response.status in (404, 410):
        raise FetchError(f"HTTP {response.status} (not found)", retry=response.status == 404)
    if response.status == 429 or response.status >= 500:
        raise FetchError(f"HTTP {response.status} (server unavailable)")
    if 300 <= response.status < 400:
        raise FetchError(f"HTTP {response.status} (too many or bad redirects)")
    if response.status != 200:
        raise FetchError(f"HTTP {response.status}", retry=False)
    return Fetched(response.url, response.status, response.headers, response.body)


# --- feeds -----------------------------------------------------------------------------------


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _no_surrogate(match: re.Match) -> bytes:
    value = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else match.group(0)


@dataclass
class Entry:
    guid: str
    url: str
    title: str
    byline: str
    published_at: datetime | None


def feed_parse(body: bytes, content_type: str = "") -> tuple[str, list[Entry]]:
    """(feed title, entries) from a feed's bytes: RSS 0.9x/1.0/2.0 or Atom. feedparser reads the
    bytes only (it is never given a URL). Entries without an http(s) link are skipped."""
    import feedparser

    body = _CHARREF.sub(_no_surrogate, body)  # feedparser's loose parser fails on &#xD800; and the like
    try:
        parsed = feedparser.parse(
            body,
            response_headers={"content-type": content_type or "application/xml"},
            sanitize_html=True,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # noqa: BLE001 — whatever a hostile feed does to the parser
        raise FetchError(f"not a feed (the parser failed: {type(exc).__name__})") from None
    if not parsed.entries and (parsed.bozo and not parsed.feed.get("title")):
        raise FetchError(f"not a feed ({type(parsed.get('bozo_exception')).__name__})", retry=True)
    entries = []
    for item in parsed.entries[: _conf("FEEDS_MAX_ENTRIES")]:
        link = clean(item.get("link")).strip()
        if not link.lower().startswith(("http://", "https://")) or len(link) > 2000:
            continue
        guid = clean(item.get("id") or link).strip()
        if len(guid) > 500:  # keep long ids distinct: their hash, not a cut
            guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
        # dict.get: no feedparser fallback mapping (and its deprecation warning) from updated to published
        when = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
        published = None
        if when:
            try:
                published = datetime(*when[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                published = None
        entries.append(
            Entry(
                guid=guid,
                url=link,
                title=_line(item.get("title"), 1000),
                byline=_line(item.get("author"), 500),
                published_at=published,
            )
        )
    return _line(parsed.feed.get("title"), 500), entries


def clean(value) -> str:
    """Text from outside as a plain str the databases accept: lone surrogates (from character
    references such as &#xD800;) and NULs replaced."""
    return str(value or "").encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")


def _line(value, limit: int) -> str:
    from articles.text import normalize_line

    return normalize_line(clean(value))[:limit]


# --- article pages -----------------------------------------------------------------------------


@dataclass
class Page:
    headline: str
    body: str
    byline: str
    published_at: str  # ISO 8601 date as the page gives it, or ""


def _decode(fetched: Fetched) -> str:
    content_type = fetched.headers.get("content-type", "")
    charset = ""
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip("\"' ").lower()
    if charset:
        try:
            return fetched.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declared charset: let the extractor detect it
    try:
        return fetched.body.decode("utf-8")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file

        return decode_file(fetched.body)


def page_extract(fetched: Fetched) -> Page:
    """The article in an HTML page, without navigation, share widgets, comments and the like."""
    import trafilatura

    content_type = fetched.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        raise FetchError(f"not an HTML page ({content_type[:60]})", retry=False)
    html = _decode(fetched)
    html = clean(html)
    # deduplicate=False: trafilatura's dedup cache is process-wide and would drop a page it saw
    # before (a re-fetch of an unchanged article, the same page in two feeds).
    document = trafilatura.bare_extraction(
        html,
        url=fetched.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    if document is None or not (document.text or "").strip():
        raise FetchError("no article text found in the page", retry=False)
    headline = _line(document.title, 1000)
    lines = [line.strip() for line in clean(document.text).splitlines() if line.strip()]
    if lines and headline and _line(lines[0], 1000) == headline:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    if not lines:
        raise FetchError("no article text found in the page", retry=False)
    return Page(
        headline=headline,
        body="\n\n".join(lines),
        byline=_line(document.author, 500),
        published_at=str(document.date or ""),
    )
