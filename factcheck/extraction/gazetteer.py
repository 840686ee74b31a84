"""Places as one key per country: each country's common and official names, alternative
spellings, demonym (singular and plural) and capital, for every country the `countryinfo`
package lists (about 250). A general resource, not a list written for one story: "Brazilian",
"Brasília" and "the Federative Republic of Brazil" share a key exactly as "Peruvian", "Lima" and "Peru" do.

Upper-case ISO codes ("US", "UK", "DE") are kept apart and matched case-sensitively, so that the
English words "in", "is" or "no" are never read as India, Iceland or Norway.
"""

from __future__ import annotations

import functools
import re

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower case, no full stops ("U.S." = "US"), no leading "the", no possessive, single spaces."""
    text = re.sub(r"[’']s$", "", text.strip())
    text = _SPACE.sub(" ", text.replace(".", " ").strip().lower())
    text = text.replace(" ", "") if re.fullmatch(r"(?:\w )+\w", text) else text  # "u s" -> "us"
    return re.sub(r"^the ", "", text)


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    import countryinfo

    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    infos = []
    for country in countryinfo.all_countries():
        try:
            infos.append(country.info())
        except Exception:  # an incomplete record in the package: skip that country only
            continue
    # A form shared by several (the demonym "American" of a territory and of the United States)
    # goes to the most populous.
    infos.sort(key=lambda info: -(info.get("population") or 0))
    for info in infos:
        name = (info.get("name") or "").strip()
        if not name:
            continue
        key = normalize(name)
        demonym = (info.get("demonym") or "").strip()
        capital: str | list[str] = info.get("capital") or []
        forms = [name, *([capital] if isinstance(capital, str) else capital), demonym, demonym + "s" if demonym else ""]
        for spelling in info.get("altSpellings") or []:
            spelling = spelling.strip()
            if re.fullmatch(r"[A-Z]{2,3}", spelling):
                codes.setdefault(spelling, key)
            else:
                forms.append(spelling)
        for form in forms:
            form = normalize(str(form))
            if len(form) >= 3:
                names.setdefault(form, key)
    return names, codes


@functools.lru_cache(maxsize=65536)
def country_key(text: str) -> str | None:
    """The country a place name, demonym or capital stands for, or None."""
    names, codes = _tables()
    stripped = text.strip().replace(".", "")
    if stripped in codes:
        return codes[stripped]
    return names.get(normalize(text))
