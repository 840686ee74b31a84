"""Page furniture that is never a claim: widgets, captions and credits, bios, labels.

Three levels, all pure functions on strings:

- ``paragraph_kind(paragraphs, index)`` classifies a whole paragraph (one line of the text) as
  "furniture", "caption", "bio", "label" or "" (normal text). Nothing in a classified
  paragraph becomes a candidate.
- ``is_boilerplate_sentence(text)`` for a single sentence inside normal text.
- ``trim_furniture(text, start, end)`` shrinks a span so that trailing or leading widget text
  glued to a real sentence ("... as “hysteria.” Read More") is left out.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Whole-line (or whole-sentence) widgets and navigation.
FURNITURE_RE = re.compile(
    r"""^(?:
        comments?\ (?:are|is)\ (?:closed|disabled|off)
      | (?:read|see|view)\ (?:more|the\ rest(?:\ here)?|full\ (?:story|article)|all)(?:\ (?:here|»|>))?
      | continue\ reading
      | leave\ a\ (?:reply|comment)(?:\ cancel\ reply)?
      | (?:post\ a\ |add\ a\ |\d+\ )?comments?
      | share(?:\ this(?:\ article|\ story|\ post)?)?(?:\ (?:on|via)\ \w+)?
      | (?:share|tweet|email|print|like)(?:\ (?:on\ )?(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|email))?
      | like\ this
      | related(?:\ (?:articles?|posts?|stories|news|content|topics|coverage))?
      | (?:you\ (?:may|might)\ also\ like|more\ from\ .*|recommended(?:\ for\ you)?|trending(?:\ now)?|most\ (?:read|popular))
      | (?:advertisement|sponsored(?:\ content)?|ad)
      | (?:sign\ up|subscribe)\b.*(?:newsletter|updates|inbox|channel).*
      | subscribe(?:\ now|\ to\ .*)?
      | follow\ us\b.*
      | (?:categori[sz]ed|posted|filed)\ (?:in|under)\s*:.*
      | (?:categori[sz]ed|filed)\ (?:in|under)(?:\ [\w&-]+){0,4}
      | tags?\s*:.*
      | topics?\s*:.*
      | (?:.{0,60}\ )?powered\ by\s*:.*
      | .*\bpowered\ by\ (?:wordpress|wp|jetpack|disqus|xyzscripts)\b.*
      | .*\bpowered\ by\ \S+\.(?:com|net|org|io)\b.*
      | (?:©|\(c\)|copyright\s+(?:©|\(c\)|\d{4})).*
      | all\ rights\ reserved.*
      | skip\ to\ (?:main\ )?content
      | (?:previous|next)\ (?:post|article|story)\b.*
      | loading(?:\.\.\.|…)?
      | click\ (?:here|to)\b.*
      | (?:published|updated|last\ updated)\s*:?\s*\d.*
      | (?:by|written\ by|author)\s*:?\s*[A-Z][\w.'’-]+(?:\ [A-Z][\w.'’-]+){0,3}
    )[\s.!:…»>|]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Photo/video captions and credits, anywhere in a paragraph.
CREDIT_RE = re.compile(
    r"""©
      | \bcredits?\s*:
      | ^(?:photo|image|picture|video|illustration|graphic|pictured|above|top|main\ image)s?\s*(?:credit)?\s*:
      | \b(?:photo|image|picture|video|illustration)s?\s*(?:credit|courtesy)?\s*:\s*\S
      | \b(?:photo|image|picture|illustration)s?\ (?:by|courtesy\ of)\b
      | \((?:AP|AFP|Reuters|EPA|Getty|Bloomberg|Sputnik|TASS)(?:\ (?:Photo|Images|Pool))?\s*/[^)]*\)
      | \b(?:AP|AFP|Reuters|EPA|Getty\ Images|Sputnik|TASS|Bloomberg)\ /\ [A-Z]
      | \bAP\ Photo\s*/
      | \bvia\ Getty\ Images\b
      | \bGetty\ Images\s*$
      | \bfile\ photo\b
      | \|\s*(?:YouTube|Twitter|Facebook|Instagram|TikTok|Telegram|Shutterstock|Alamy)\s*$
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)

# Every CREDIT_RE alternative contains one of these (lower case): a cheap test first.
_CREDIT_WORDS = (
    "©",
    "credit",
    "photo",
    "image",
    "picture",
    "video",
    "illustration",
    "graphic",
    "above",
    "top",
    "/",
    "getty",
    "|",
)

# Author bios.
BIO_RE = re.compile(
    r"""\bin\ (?:his|her|their)\ (?:spare|free)\ time\b
      | \b(?:degree|background|masters?|ma|ba)\ in\ journalism\b
      | \bhas\ (?:also\ )?(?:written|reported)\ for\b
      | \bwrites\ (?:about|on)\ .*\ for\b
      | \bcan\ be\ reached\ at\b
      | \bfollow\ (?:him|her|them)\ on\b
      | \bhighlights\ include\ writing\b
      | ^(?:an?\ )(?:longtime|long-time|former|veteran|freelance|award-winning|staff|senior)\ (?:expat|writer|reporter|journalist|correspondent|editor|contributor)\b
      | ^[A-Z][\w'’-]+(?:\ [A-Z][\w'’-]+){0,2}\ is\ an?\ (?:[\w-]+\ ){0,3}(?:writer|reporter|journalist|correspondent|editor|contributor|columnist|freelancer)\b(?!.*\bsaid\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Every BIO_RE alternative contains one of these (lower case).
_BIO_WORDS = (
    "time",
    "journalis",
    "written for",
    "reported for",
    "writes",
    "reached",
    "follow",
    "highlights",
    "writer",
    "reporter",
    "correspondent",
    "editor",
    "contributor",
    "columnist",
    "freelancer",
    "expat",
)

# Trailing/leading widget text glued to a sentence.
TRAILING_FURNITURE_RE = re.compile(
    r"(?:\s*(?:Read More|Read more|READ MORE|Continue reading|Read the rest here|Leave a Reply|Click here to .*?))+[\s.:»>…]*$"
)
LEADING_FURNITURE_RE = re.compile(
    r"^(?:(?:READ MORE|Read More|Related|Categori[sz]ed in|Posted in|Filed under|Tags?)\s*:)\s*"
)
BULLET_RE = re.compile(r"^[\s\u00a0]*(?:[-–—•*·▪►>]|\d{1,2}[.)])[\s\u00a0]+")
JUNK_TAIL_RE = re.compile(r"(?:\s+[»«|]+)+[\s.]*$")
_WORD_RE = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]\s*$")

MIN_WORDS = 5


def words(text: str) -> list[str]:
    """Word tokens (letters/digits, with inner apostrophes and hyphens)."""
    return _WORD_RE.findall(text)


def is_furniture(text: str) -> bool:
    """A widget/navigation line such as "Comments are closed", "Read More", "Share this:"."""
    return bool(FURNITURE_RE.match(text.strip()))


def is_credit(text: str) -> bool:
    """Contains a photo credit/caption marker: "©", "Credit:", "Photo: ...", "(AP Photo/...)"."""
    lowered = text.lower()
    return any(word in lowered for word in _CREDIT_WORDS) and bool(CREDIT_RE.search(text.strip()))


def is_bio(text: str) -> bool:
    """Looks like an author biography."""
    lowered = text.lower()
    return any(word in lowered for word in _BIO_WORDS) and bool(BIO_RE.search(text.strip()))


def is_label(text: str) -> bool:
    """A category label, byline or section heading: at most four capitalised words, no full stop."""
    stripped = text.strip()
    tokens = words(stripped)
    if not tokens or len(tokens) > 4 or _SENTENCE_END.search(stripped) and not stripped.endswith(":"):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in {"and", "of", "the", "in", "&"} for w in tokens)


TITLE_SMALL_WORDS = frozenset({"of", "the", "and", "in", "on", "a", "an", "for", "to", "at", "by", "with", "or", "&"})


def is_title(text: str) -> bool:
    """Title Case words without sentence punctuation: a name or a title (“Morning Joe”)."""
    tokens = words(text)
    if not tokens or len(tokens) > 8 or re.search(r"[.!?,;:]\s*\S", text.strip()):
        return False
    return (
        all(w[0].isupper() or w[0].isdigit() or w.lower() in TITLE_SMALL_WORDS for w in tokens)
        and tokens[0][0].isupper()
    )


def is_too_short(text: str) -> bool:
    return len(words(text)) < MIN_WORDS


def is_question(text: str) -> bool:
    """Ends with a question mark (closing quotes/brackets ignored)."""
    return text.rstrip().rstrip("\"”’')]»").rstrip().endswith("?")


def paragraph_kind(paragraphs: list[str], index: int) -> str:
    """Classify paragraph ``index``: "furniture", "caption", "bio", "label" or ""."""
    text = paragraphs[index].strip()
    if not text:
        return ""
    if is_furniture(text):
        return "furniture"
    if is_credit(text) and len(words(text)) <= 120:
        return "caption"
    if is_bio(text) or _follows_byline(paragraphs, index):
        return "bio"
    if is_label(text):
        return "label"
    return ""


def _follows_byline(paragraphs: list[str], index: int) -> bool:
    """A paragraph after a lone name line near the end of the page, mentioning writing work."""
    if index < 1 or index < len(paragraphs) * 0.6:
        return False
    previous = next((p.strip() for p in reversed(paragraphs[:index]) if p.strip()), "")
    if not previous or not is_label(previous) or not 2 <= len(words(previous)) <= 3:
        return False
    return bool(
        re.search(r"\b(?:journalis[mt]|writ(?:er|ing)|report(?:er|ing)|editor|correspondent)\b", paragraphs[index], _I)
    )


def is_boilerplate_sentence(text: str) -> bool:
    """A sentence that must never be a candidate on its own (furniture, credit, short, question)."""
    stripped = text.strip()
    return (
        not stripped or is_furniture(stripped) or is_credit(stripped) or is_too_short(stripped) or is_question(stripped)
    )


def trim_furniture(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``text[start:end]``: drop bullets, leading labels, trailing widget text and blanks."""
    start, end = _strip_blanks(text, start, end)
    while True:
        segment = text[start:end]
        match = BULLET_RE.match(segment) or LEADING_FURNITURE_RE.match(segment)
        if match and match.end() < len(segment):
            start += match.end()
            continue
        tail = TRAILING_FURNITURE_RE.search(segment) or JUNK_TAIL_RE.search(segment)
        if tail and tail.start() > 0:
            end = start + tail.start()
            start, end = _strip_blanks(text, start, end)
            continue
        return _strip_blanks(text, start, end)


_BLANK = " \t\n\r\u00a0\u2009\u200a\u202f\u3000»«|"


def _strip_blanks(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _BLANK:
        start += 1
    while end > start and text[end - 1] in _BLANK:
        end -= 1
    return start, end
