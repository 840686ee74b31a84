"""JSON Lines input, read one way everywhere: one JSON object per line, blank lines skipped, and a
bad line named by its 1-based number with what is wrong with it.

``jsonl_object(line)``            one line → its object (``ValueError`` saying what is wrong).
``jsonl_records(lines, source)``  ``(line number, object or JsonlError)`` per non-blank line, for
                                  readers that report bad lines and carry on.
``read_jsonl(lines, source)``     ``(line number, object)``; the first bad line raises ``JsonlError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


class JsonlError(ValueError):
    """A line of JSON Lines input that is not a JSON object; ``line`` is 1-based."""

    def __init__(self, source: str, line: int, problem: str):
        self.source, self.line, self.problem = source, line, problem
        super().__init__(f"{source}: line {line}: {problem}" if source else f"line {line}: {problem}")


def jsonl_object(line: str | bytes) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def jsonl_records(lines: Iterable[str | bytes], *, source: str = "") -> Iterator[tuple[int, dict | JsonlError]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, jsonl_object(line)
        except ValueError as exc:
            yield number, JsonlError(source, number, str(exc))


def read_jsonl(lines: Iterable[str | bytes], *, source: str = "") -> Iterator[tuple[int, dict]]:
    for number, record in jsonl_records(lines, source=source):
        if isinstance(record, JsonlError):
            raise record
        yield number, record
