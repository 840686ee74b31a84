"""The claim table carries no index another one already covers: the extraction worker inserts ~30
candidate rows per article, and each index costs on every insert. Runs on SQLite and PostgreSQL
(where Django would otherwise add LIKE indexes beside plain ones)."""

from django.db import connection

from factcheck.models import Claim


def claim_indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Claim._meta.db_table)
    return {name: info for name, info in constraints.items() if info["index"] and not info["primary_key"]}


def test_no_index_is_a_prefix_of_another(db):
    indexes = claim_indexes()
    for name, info in indexes.items():
        if info["unique"]:
            continue
        covering = [
            other
            for other, o in indexes.items()
            if other != name and o["columns"][: len(info["columns"])] == info["columns"]
        ]
        assert not covering, f"{name} {info['columns']} is covered by {covering}"


def test_the_lookups_people_use_still_have_an_index(db):
    leading = {tuple(info["columns"][:1]) for info in claim_indexes().values()}
    for column in ("article_id", "status", "claim_type", "speaker", "checkworthiness", "group_id"):
        assert (column,) in leading, f"no index starts with {column}"
