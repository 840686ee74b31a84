"""Input checks shared by every way in (imports, REST API, web forms, admin): text that the
databases can store and a renderer can encode, and http(s) URLs that are valid URIs.

- `text_problem(value)`: why a string cannot be stored (a NUL character: PostgreSQL refuses it;
  a lone UTF-16 surrogate such as `\\ud800` from a JSON escape: no encoding can write it).
- `shown(value)`: a value safe to echo in an error message (surrogates and NUL escaped).
- `HttpURLValidator`: Django's URLValidator (http/https) that also checks the port (0-65535) and
  refuses characters a URI may not contain unescaped (quotes, `<>`, `{}`, `|`, `\\`, `^`, backtick).
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

_SURROGATE = re.compile("[\ud800-\udfff]")
# RFC 3986 allows neither of these anywhere in a URI (they must be percent-encoded).
_NOT_IN_URI = re.compile(r'["<>\\^`{|}\s]')


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character (\\x00); the text is not valid"
    if _SURROGATE.search(value):
        return "contains a lone surrogate (e.g. \\ud800), which is not a character; the text is not valid"
    return None


def shown(value, limit: int | None = None) -> str:
    """`value` as text that can be stored and rendered anywhere: lone surrogates become `\\udXXX`,
    NUL becomes `\\x00`."""
    text = str(value)
    if limit is not None:
        text = text[:limit]
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


@deconstructible
class HttpURLValidator(URLValidator):
    message = "Enter a valid http(s) URL."

    def __init__(self, **kwargs):
        kwargs.setdefault("schemes", ["http", "https"])
        super().__init__(**kwargs)

    def __call__(self, value):
        if not isinstance(value, str) or (problem := text_problem(value)):
            raise ValidationError(
                f"{self.message} It {problem or 'is not text'}.", code=self.code, params={"value": value}
            )
        if _NOT_IN_URI.search(value):
            raise ValidationError(
                f"{self.message} Spaces, quotes and the characters <>{{}}|\\^` must be percent-encoded.",
                code=self.code,
                params={"value": value},
            )
        try:
            urlsplit(value).port
        except ValueError as exc:
            if "port" in str(exc).lower():
                raise ValidationError(
                    f"{self.message} The port must be a number from 0 to 65535.",
                    code=self.code,
                    params={"value": value},
                ) from None
        super().__call__(value)


def http_url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable http(s) URL, or None."""
    try:
        HttpURLValidator()(url)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def ascii_int(value, max_digits: int = 18) -> int | None:
    """A non-negative integer given as an int or as ASCII digits ("²" and "١" are digits to
    str.isdigit but not numbers anyone typed), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and re.fullmatch(f"[0-9]{{1,{max_digits}}}", value):
        return int(value)
    return None


def json_text_problem(data, path: str = "", skip: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first string (key or value) in parsed JSON that cannot be stored, as (path, problem):
    path like `articles[2].headline`. Top-level keys in `skip` are not looked into (their
    records are validated one by one elsewhere)."""
    stack = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if problem := text_problem(value):
                return where or "(body)", problem
        elif isinstance(value, dict):
            for key, item in value.items():
                key_path = f"{where}.{shown(key)}" if where else shown(key)
                if problem := text_problem(str(key)):
                    return key_path, f"the field name {problem}"
                if not (where == "" and key in skip):
                    stack.append((key_path, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None
