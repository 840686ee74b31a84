"""Comments are Markdown: rendered with Python-Markdown, then sanitised with nh3 (an allow-list of
tags and attributes, http/https/mailto links only, rel=noopener noreferrer nofollow), so what a
comment shows is never script, style or an event handler, whatever was typed."""

import re

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_.+-]*[A-Za-z0-9_+-])")


def mentions_find(text: str) -> list[str]:
    """The @usernames a text names, in order, once each ("@rita." → "rita")."""
    return list(dict.fromkeys(MENTION.findall(text)))


def markdown_render(text: str, *, mentioned: set[str] = frozenset()) -> str:
    """Sanitised HTML for a comment; @names of `mentioned` people are marked (span.at-mention)."""
    html = md.markdown(text, extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    if not mentioned:
        return clean

    # After sanitising, in text between tags only (never inside an attribute, code or a link): the
    # sanitised HTML has < and > in text escaped, and a name is [A-Za-z0-9_.+-] only.
    def mark(match):
        name = match.group(1)
        return f'<span class="at-mention">@{name}</span>' if name in mentioned else match.group(0)

    parts = re.split(r"(<[^>]*>)", clean)
    inside_code = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = part.lstrip("</").split()[0].rstrip(">").lower() if len(part) > 2 else ""
            if tag in ("code", "pre", "a"):
                inside_code += -1 if part.startswith("</") else 1
            continue
        if not inside_code:
            parts[i] = MENTION.sub(mark, part)
    return "".join(parts)
