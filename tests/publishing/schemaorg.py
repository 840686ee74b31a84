"""ClaimReview as consumers read it: every node's properties checked against schema.org's
vocabulary (the classes pydantic2-schemaorg generates from it), the values parsed by them, and the
properties search engines require or recommend for fact-checks present."""

import importlib
import json
from html.parser import HTMLParser


def schema_class(type_name: str):
    return getattr(importlib.import_module(f"pydantic2_schemaorg.{type_name}"), type_name)


def vocabulary_errors(node, path: str = "$") -> list[str]:
    """Properties a node's @type does not have in schema.org, recursively."""
    errors = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            errors += vocabulary_errors(item, f"{path}[{i}]")
    elif isinstance(node, dict):
        type_name = node.get("@type")
        if type_name is None:
            return [f"{path}: no @type"]
        try:
            cls = schema_class(type_name)
        except (ImportError, AttributeError):
            return [f"{path}: {type_name} is not a schema.org type"]
        known = {f.alias for f in cls.__fields__.values()} | set(cls.__fields__)
        for key, value in node.items():
            if key.startswith("@"):
                continue
            if key not in known:
                errors.append(f"{path}: {type_name} has no property {key!r}")
            errors += vocabulary_errors(value, f"{path}.{key}")
        # Scalar values are parsed by the type's class (dates, URLs, numbers); nested nodes are
        # checked on their own above (pydantic2-schemaorg refuses a subtype such as Claim where
        # the vocabulary says Thing).
        scalars = {k: v for k, v in node.items() if k != "@context" and not isinstance(v, (dict, list))}
        try:
            cls.parse_obj(scalars)
        except Exception as exc:  # pydantic's ValidationError, with the offending field
            errors.append(f"{path}: {type_name} does not parse: {exc}")
    return errors


REQUIRED = ["claimReviewed", "url", "reviewRating"]
RECOMMENDED = ["author", "datePublished", "itemReviewed"]
CLAIM_RECOMMENDED = ["author", "appearance", "firstAppearance", "datePublished"]


def claimreview_errors(doc: dict) -> list[str]:
    errors = vocabulary_errors(doc)
    if doc.get("@context") != "https://schema.org" or doc.get("@type") != "ClaimReview":
        errors.append("not a schema.org ClaimReview")
    errors += [f"missing required {k}" for k in REQUIRED if not doc.get(k)]
    if not (doc.get("reviewRating") or {}).get("alternateName"):
        errors.append("reviewRating has no alternateName")
    errors += [f"missing recommended {k}" for k in RECOMMENDED if not doc.get(k)]
    item = doc.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        errors.append("itemReviewed is not a Claim")
    errors += [f"itemReviewed missing recommended {k}" for k in CLAIM_RECOMMENDED if not item.get(k)]
    return errors


class _JsonLd(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._in:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def jsonld_in_page(html: str) -> list[dict]:
    """Every JSON-LD block of a page, parsed as a consumer would."""
    parser = _JsonLd()
    parser.feed(html)
    return [json.loads(b) for b in parser.blocks]
