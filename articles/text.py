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

# One translate() pass: Unicode spaces become " ", zero-width and control characters go.
_TRANSLATE: dict[int, str | None] = {
    cp: " " for cp in (0x09, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
}
_TRANSLATE.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD)})
_TRANSLATE.update({cp: None for cp in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)})
_TRANSLATE.update({0x2028: "\n", 0x2029: "\n\n"})
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_MANY_SPACES = re.compile(r" {2,}")
_FOLD = re.compile(r"\s+")

TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid)$", re.IGNORECASE)


def normalize_text(raw: str) -> str:
    text = raw if unicodedata.is_normalized("NFC", raw) else unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    # The `in` tests are fast paths: most texts need none of these substitutions.
    if "  " in text:
        text = _MANY_SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def normalize_line(raw: str) -> str:
    """A one-line field (headline, byline): normalized text with every line break folded."""
    return " ".join(normalize_text(raw).split())


def content_hash(body: str) -> str:
    """The same text, whatever its case and white space, hashes the same."""
    folded = " ".join(unicodedata.normalize("NFC", body).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def normalize_url(url: str | None) -> str | None:
    """Scheme-less, lower-cased host without www., no fragment, no tracking parameters, sorted
    query, no trailing slash: http://www.Example.com/a/?utm_source=x#top → example.com/a
    Raises ValueError for what cannot be parsed (a port above 65535, a broken IPv6 host): callers
    validate first (core.validation.HttpURLValidator) or turn it into a 400."""
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
