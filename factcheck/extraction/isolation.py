"""Per-sentence isolation: one sentence the rules cannot handle costs only its own output.

The rules run over whatever text newsrooms import (garbled machine translation, stray
punctuation, unbalanced quotation marks). A rule that raises on one sentence or quote is
logged with the character offset and that sentence's (or quote's) result is dropped; the
other candidates of the article are kept, and the article is not marked failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger("factcheck.extraction")

T = TypeVar("T")


def isolated(what: str, at: int, default: T, fn: Callable[..., T], *args) -> T:
    """``fn(*args)``, or ``default`` (logged with ``what`` and the character offset ``at``) if it raises."""
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001 - any rule failure is confined to its sentence
        logger.exception("claim extraction: %s at character %d failed; skipped", what, at)
        return default
