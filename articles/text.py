"""Canonical text: normalized once on the way in, so that offsets into it stay stable.

- Unicode NFC; curly quotes, dashes and other punctuation are kept as they are.
- Non-breaking and other Unicode spaces become a plain space; zero-width characters and a BOM go.
- Line endings become "\\n"; trailing white space on a line goes; paragraphs are separated by
  exactly one blank line.
"""

import hashlib
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING = re.compile(r"[ ]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_MANY_SPACES = re.compile(r" {2,}")
_FOLD = re.compile(r"\s+")

TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid)$", re.IGNORECASE)


def normalize_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _MANY_SPACES.sub(" ", text)
    text = _TRAILING.sub("\n", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def normalize_line(raw: str) -> str:
    """A one-line field (headline, byline): normalized text with every line break folded."""
    return _FOLD.sub(" ", normalize_text(raw)).strip()


def content_hash(body: str) -> str:
    """The same text, whatever its case and white space, hashes the same."""
    folded = _FOLD.sub(" ", unicodedata.normalize("NFC", body).casefold()).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def normalize_url(url: str | None) -> str | None:
    """Scheme-less, lower-cased host without www., no fragment, no tracking parameters, sorted
    query, no trailing slash: http://www.Example.com/a/?utm_source=x#top → example.com/a"""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k))
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, urlencode(query), "")).lstrip("/")


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip_depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skip_depth:
            self.parts.append(_FOLD.sub(" ", data))


def html_to_text(html: str) -> str:
    """For records that carry HTML (a `body_html` field): tags stripped, entities decoded,
    scripts and styles dropped, block elements become paragraphs."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return normalize_text("".join(parser.parts))
