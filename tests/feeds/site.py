"""A news site on 127.0.0.1 for the feed tests and the feed drill (bench/drill_feeds.py): feeds in
RSS 0.91, RSS 1.0, RSS 2.0 and Atom, article pages with page furniture, a redirect, a slow page, a
huge page, a 404, a PDF, pages in Latin-1 (declared and undeclared), robots.txt with a disallowed
path, ETag / Last-Modified (304 when unchanged), and a way to publish a revised article. Written
for this project; nothing here reaches the internet."""

from __future__ import annotations

import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FURNITURE_TOP = """<header class="site"><a href="/">Harbour Herald</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="share">Share on Facebook · Share on X · Email this story</div></header>"""
FURNITURE_BOTTOM = """<aside class="related"><h3>Read More</h3><ul><li><a href="/x">Ferry timetable changes</a></li>
<li><a href="/y">Council votes on parking</a></li></ul></aside>
<div class="newsletter">Sign up for our morning newsletter. Subscribe now!</div>
<section class="comments"><h3>Comments</h3><p>Comments are closed.</p></section>
<footer>© 2026 Harbour Herald. All rights reserved. Privacy policy · Cookie settings · Contact us</footer>"""

HARBOUR = [
    "The mayor unveiled the harbour redevelopment plan on Tuesday, promising a new ferry terminal and 400 homes on the old docks.",
    "The project will cost €7 million over three years, city officials said, with half of the money coming from the regional government.",
    "Opposition councillors said the budget was unrealistic and that similar projects in the region had run over by a third.",
    "\u201cWe have waited twenty years for this,\u201d said Maria Lopes, who runs a café on the quay.",
    "Work on the first phase is due to start in the spring, once the port authority approves the designs.",
]
BRIDGE = [
    "The old swing bridge over the canal will close for repairs for six weeks from Monday, the port authority announced.",
    "Engineers found corrosion in two of the bridge's main supports during an inspection in October.",
    "Cyclists will be diverted over the railway crossing, which adds about ten minutes to the journey into town.",
]
SCHOOL = [
    "Enrolment at the harbour primary school rose by 12 percent this year, the education office said on Wednesday.",
    "The school will add two classrooms in temporary buildings until the new wing opens in 2028.",
]
CAFE = [
    "La propriétaire du café Zoë a dit que la saison touristique était excellente cette année à Óbidos.",
    "Les recettes ont augmenté de 15 % par rapport à l'année dernière, selon la chambre de commerce.",
]


def article_html(
    headline: str,
    paragraphs: list[str],
    *,
    author: str = "Jane Doe",
    date: str = "2026-11-20T09:30:00Z",
    charset: str | None = "utf-8",
) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head>{meta}<title>{headline} | Harbour Herald</title>
<meta name="author" content="{author}"><meta property="article:published_time" content="{date}">
<meta property="og:title" content="{headline}"></head><body>{FURNITURE_TOP}
<main><article><h1>{headline}</h1><p class="byline">By {author}</p>{body}</article></main>
{FURNITURE_BOTTOM}</body></html>"""


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that hung up (size limit, timeout)
        pass


class Route:
    def __init__(
        self,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
        delay: float = 0.0,
        etag: str | None = None,
        repeat: int = 1,
    ):
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status, self.content_type, self.headers = status, content_type, dict(headers or {})
        self.delay, self.etag, self.repeat = delay, etag, repeat
        self.last_modified = formatdate(time.time() - 3600, usegmt=True)


class NewsSite:
    """`site.routes[path] = Route(...)`; `site.log` lists (path, headers, time) of every request."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict, float]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                site.log.append((self.path, dict(self.headers), time.monotonic()))
                route = site.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    return self._send(404, b"<html><body>Not found</body></html>", "text/html")
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self._send(304, b"", None, {"ETag": route.etag})
                extra = dict(route.headers)
                if route.etag:
                    extra["ETag"] = route.etag
                    extra["Last-Modified"] = route.last_modified
                self._send(route.status, route.body * route.repeat, route.content_type, extra)

            def _send(self, status, body, content_type, headers=None):
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.publish_defaults()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict]:
        return [headers for p, headers, _ in self.log if p == path]

    # --- content ---------------------------------------------------------------------------

    def publish_defaults(self) -> None:
        r = self.routes
        r["/robots.txt"] = Route("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        r["/news/harbour-plan"] = Route(article_html("Mayor unveils harbour plan", HARBOUR))
        r["/news/bridge-closure"] = Route(
            article_html("Swing bridge to close for six weeks", BRIDGE, author="Tom Berg")
        )
        r["/news/old-url"] = Route(status=301, headers={"Location": "/news/school-enrolment"})
        r["/news/school-enrolment"] = Route(
            article_html("School enrolment rises 12 percent", SCHOOL, author="Ana Silva")
        )
        r["/news/slow"] = Route(article_html("Slow page", BRIDGE), delay=3.0)
        r["/news/huge"] = Route(article_html("Huge page", HARBOUR * 40) + "<!--" + "x" * 300_000 + "-->")
        r["/news/report.pdf"] = Route(b"%PDF-1.4 not really", content_type="application/pdf")
        r["/private/secret"] = Route(article_html("Private", BRIDGE))
        latin1 = article_html("Café owners report record season", CAFE, author="Zoë Martins", charset=None)
        r["/news/cafe-latin1"] = Route(latin1.encode("latin-1"), content_type="text/html; charset=iso-8859-1")
        r["/news/cafe-undeclared"] = Route(
            latin1.replace("record season", "a record season").replace("excellente", "très bonne").encode("cp1252"),
            content_type="text/html",
        )
        r["/rss.xml"] = Route(
            self.rss2(
                [
                    "/news/harbour-plan",
                    "/news/bridge-closure",
                    "/news/old-url",
                    "/news/slow",
                    "/news/huge",
                    "/news/missing",
                    "/news/report.pdf",
                    "/private/secret",
                    "/news/cafe-latin1",
                    "/news/cafe-undeclared",
                ]
            ),
            content_type="application/rss+xml",
            etag='"rss-v1"',
        )
        r["/atom.xml"] = Route(self.atom(["harbour-plan", "bridge-closure"]), content_type="application/atom+xml")
        r["/rss1.xml"] = Route(self.rss1(["bridge-closure"]), content_type="application/rdf+xml")
        r["/rss091.xml"] = Route(self.rss091(["school-enrolment"]), content_type="text/xml")
        r["/not-a-feed"] = Route("<html><body>Hello</body></html>")

    def revise_harbour(self) -> None:
        """A correction: the cost changes slightly, one paragraph is removed, an editor's note added."""
        revised = [HARBOUR[0], HARBOUR[1].replace("€7 million", "€7.2 million"), HARBOUR[3], HARBOUR[4]]
        note = "Correction: an earlier version of this story gave the wrong cost of the project."
        self.routes["/news/harbour-plan"] = Route(
            article_html("Mayor unveils harbour plan", [note, *revised]), etag='"harbour-v2"'
        )

    def _item_date(self, i: int) -> str:
        return formatdate(1795000000 + i * 3600, usegmt=True)  # November 2026

    def rss2(self, paths: list[str]) -> str:
        items = "".join(
            f"<item><title>Story {i} &amp; more</title><link>{self.base}{path}</link>"
            f'<guid isPermaLink="false">hh-{path}</guid><pubDate>{self._item_date(i)}</pubDate>'
            f"<author>desk@harbourherald.example (News desk)</author>"
            f"<description>&lt;p&gt;Summary {i}&lt;/p&gt;</description></item>"
            for i, path in enumerate(paths)
        )
        items += "<item><title>No link</title><description>An entry without a link is skipped.</description></item>"
        items += "<item><title>Bad link</title><link>javascript:alert(1)</link></item>"
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Herald</title>'
            f"<link>{self.base}/</link><description>News</description>{items}</channel></rss>"
        )

    def atom(self, slugs: list[str]) -> str:
        entries = "".join(
            f'<entry><title>Atom {slug}</title><link rel="alternate" href="{self.base}/news/{slug}"/>'
            f"<id>urn:hh:atom:{slug}</id><updated>2026-11-2{i}T10:00:00Z</updated>"
            f"<author><name>Atom Author</name></author></entry>"
            for i, slug in enumerate(slugs)
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Harbour Herald (Atom)</title><id>urn:hh</id><updated>2026-11-21T10:00:00Z</updated>{entries}</feed>"
        )

    def rss1(self, slugs: list[str]) -> str:
        items = "".join(
            f'<item rdf:about="{self.base}/news/{slug}"><title>RDF {slug}</title><link>{self.base}/news/{slug}</link>'
            f"<dc:date>2026-11-19T08:00:00Z</dc:date><dc:creator>RDF Writer</dc:creator></item>"
            for slug in slugs
        )
        return (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{self.base}/rss1.xml"><title>Harbour Herald (RSS 1.0)</title>'
            f"<link>{self.base}/</link><description>News</description></channel>{items}</rdf:RDF>"
        )

    def rss091(self, slugs: list[str]) -> str:
        items = "".join(f"<item><title>Old {slug}</title><link>{self.base}/news/{slug}</link></item>" for slug in slugs)
        return (
            f'<?xml version="1.0"?><rss version="0.91"><channel><title>Harbour Herald (0.91)</title>'
            f"<link>{self.base}/</link><description>News</description><language>en</language>{items}</channel></rss>"
        )
