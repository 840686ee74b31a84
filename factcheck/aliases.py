"""How a speaker's name is compared: `alias_normalize` folds case, accents, punctuation and
spacing, so that the spellings an article may use of one name meet in one key (PersonAlias.normalized)."""

import unicodedata

import regex

_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")


def alias_normalize(text: str) -> str:
    """'  Dr. José  O’Neil ' → 'dr jose o neil'. Empty for text without letters or digits."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", stripped.casefold()).split())[:300]
