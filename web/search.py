"""Ranked full-text search for the search page: PostgreSQL full-text search (the `english`
configuration: stemming, stop words; a stored, GIN-indexed weighted vector per article) or, on SQLite,
FTS5 tables with the Porter stemmer, kept in sync by triggers (`fts5_install`). Word forms match
("recognised" finds "recognize", "recognition" does not): each query word is searched with its
British/American spelling variants, and the stemmer does the rest. Hits come back highlighted:
the database marks them with two private-use characters, this module escapes the text and turns
the marks into <mark>.

Claims are searched within the best-ranked articles (a claim's words are its article's words), so
no index is added to the claim table the extraction workers write to."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from factcheck.models import Claim

START, STOP = "\ue000", "\ue001"
MAX_WORDS = 12
ARTICLE_LIMIT, CLAIM_LIMIT, CLAIM_ARTICLES = 30, 60, 300
# British ↔ American spellings the stemmers do not join (recognise/recognize, colour/color, ...).
_VARIANTS = [
    ("isation", "ization"),
    ("ise", "ize"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("our", "or"),
    ("tre", "ter"),
    ("ogue", "og"),
    ("ence", "ense"),
]


def query_words(q: str) -> list[list[str]]:
    """Each word of the query with its spelling variants: "Recognised colour" →
    [["recognised", "recognized"], ["colour", "color"]]. At most MAX_WORDS words."""
    groups = []
    for word in re.findall(r"\w+", q.lower())[:MAX_WORDS]:
        forms = {word}
        for british, american in _VARIANTS:
            for a, b in ((british, american), (american, british)):
                i = word.rfind(a)
                if i > 0 and (
                    word[i + len(a) :] in ("", "s", "d", "ed", "es", "ing", "ation", "ations", "ly", "r", "rs")
                ):
                    forms.add(word[:i] + b + word[i + len(a) :])
        groups.append(sorted(forms))
    return groups


def marked(text: str) -> SafeString:
    """Database-highlighted text → escaped HTML with <mark> around the hits."""
    return mark_safe(escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>"))


@dataclass
class Hit:
    obj: object
    rank: float
    title: SafeString
    snippet: SafeString


# --- PostgreSQL ----------------------------------------------------------------------------------


def article_vector() -> RawSQL:
    """The articles' stored vector (a generated column with a GIN index, PostgreSQL only:
    articles/migrations/0002_article_search)."""
    return RawSQL('"articles_article"."search_vector"', [], output_field=SearchVectorField())


def _pg_query(groups: list[list[str]]) -> SearchQuery:
    query = None
    for forms in groups:
        alternatives = None
        for form in forms:
            term = SearchQuery(form, config="english", search_type="plain")
            alternatives = term if alternatives is None else alternatives | term
        query = alternatives if query is None else query & alternatives
    return query


def _pg_headline(field: str, query: SearchQuery, **options) -> SearchHeadline:
    return SearchHeadline(field, query, config="english", start_sel=START, stop_sel=STOP, **options)


def _pg_ranked_ids(groups, articles: QuerySet[Article], limit: int) -> list[int]:
    query = _pg_query(groups)
    return list(
        articles.annotate(search=article_vector())
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "-published_at", "-id")
        .values_list("id", flat=True)[:limit]
    )


def _pg_articles(groups, ids: list[int]) -> list[Hit]:
    """The hits for these (best-ranked) article ids: rank and highlights for those rows only."""
    if not ids:
        return []
    query = _pg_query(groups)
    rows = (
        Article.objects.filter(id__in=ids)
        .annotate(rank=SearchRank(article_vector(), query))
        .annotate(
            hl_title=_pg_headline("headline", query, highlight_all=True),
            hl_body=_pg_headline("body", query, max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … "),
        )
        .select_related("outlet")
        .defer("body")
    )
    by_id = {a.pk: a for a in rows}
    return [Hit(a, a.rank, marked(a.hl_title), marked(a.hl_body)) for a in (by_id[i] for i in ids if i in by_id)]


def _plain(field: str) -> Func:
    """The text with `<` and `>` as spaces, as in the articles' stored vector: PostgreSQL's parser
    drops anything tag-shaped, but in plain text it is words (articles/migrations/0002)."""
    return Func(F(field), Value("<>"), Value("  "), function="translate", output_field=TextField())


def _pg_claims(groups, claims: QuerySet[Claim], article_ids: list[int], limit: int) -> list[Hit]:
    if not article_ids:
        return []
    query = _pg_query(groups)
    vector = SearchVector(_plain("exact"), weight="A", config="english") + SearchVector(
        _plain("speaker"), weight="B", config="english"
    )
    ranked = list(
        claims.filter(article_id__in=article_ids)
        .annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query), hl=_pg_headline("exact", query, highlight_all=True))
        .order_by("-rank", "-checkworthiness", "-id")[:limit]
    )
    return [Hit(c, c.rank, marked(c.hl), marked(c.hl)) for c in ranked]


# --- SQLite FTS5 ---------------------------------------------------------------------------------

FTS_TABLES = {
    # FTS5 table: (content table, columns, bm25 weights)
    "search_article_fts": ("articles_article", ("headline", "byline", "body"), (10.0, 2.0, 1.0)),
    "search_claim_fts": ("factcheck_claim", ("exact", "speaker"), (1.0, 0.5)),
}


def fts5_install(*, using: str = "default") -> bool:
    """Create the FTS5 tables and the triggers that keep them in sync, if missing, and (re)index
    what is there when a table or a trigger had to be made. Idempotent; run after every migrate
    (web.apps), since SQLite table rebuilds in later migrations drop triggers."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    rebuilt = False
    with conn.cursor() as cursor:
        for fts, (content, columns, _) in FTS_TABLES.items():
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s", [f"{fts}%"]
            )
            present = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [content])
            if not cursor.fetchone():
                continue
            wanted = {fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"}
            if wanted <= present:
                continue
            cols = ", ".join(columns)
            new = ", ".join(f"new.{c}" for c in columns)
            old = ", ".join(f"old.{c}" for c in columns)
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{content}', "
                f"content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {content} BEGIN "
                f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {content} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
            )
            update_of = ", ".join(columns)
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {update_of} ON {content} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
            )
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            rebuilt = True
    return rebuilt


def _fts_match(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(f'"{form}"' for form in forms) + ")" for forms in groups)


def _fts_ranked(fts: str, groups, qs: QuerySet | None, limit: int) -> list[tuple[int, float]]:
    """(id, bm25) of the best-matching rows (among `qs`, if given), best first. bm25 only: the
    highlights cost more, and are made for the rows shown only (_fts_marks)."""
    _, _, weights = FTS_TABLES[fts]
    where, params = "", []
    if qs is not None:
        try:
            sub_sql, params = qs.order_by().values("id").query.sql_with_params()
        except EmptyResultSet:  # e.g. claims of no article
            return []
        where = f" AND +rowid IN ({sub_sql})"  # "+": filter the matches; not one MATCH per rowid
    sql = (
        f"SELECT rowid, bm25({fts}, {', '.join(map(str, weights))}) AS score FROM {fts} "
        f"WHERE {fts} MATCH %s{where} ORDER BY score LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts_match(groups), *params, limit])
        return cursor.fetchall()


def _fts_marks(fts: str, groups, ids: list[int], *, title_col: int, snippet_col: int) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    sql = (
        f"SELECT rowid, highlight({fts}, {title_col}, %s, %s), snippet({fts}, {snippet_col}, %s, %s, ' … ', 24) "
        f"FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, START, STOP, _fts_match(groups), *ids])
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def _scoped(qs: QuerySet) -> QuerySet | None:
    """None when `qs` is all rows of the table (no IN (...) needed)."""
    return None if not qs.query.where else qs


def _sqlite_articles(groups, rows: list[tuple[int, float]]) -> list[Hit]:
    ids = [r[0] for r in rows]
    marks = _fts_marks("search_article_fts", groups, ids, title_col=0, snippet_col=2)
    by_id = Article.objects.select_related("outlet").defer("body").in_bulk(ids)
    return [Hit(by_id[i], -score, marked(marks[i][0]), marked(marks[i][1])) for i, score in rows if i in by_id]


def _sqlite_claims(groups, claims: QuerySet[Claim], article_ids: list[int], limit: int) -> list[Hit]:
    if not article_ids:
        return []
    claims = claims.filter(article_id__in=article_ids)
    rows = _fts_ranked("search_claim_fts", groups, claims, limit)
    ids = [r[0] for r in rows]
    marks = _fts_marks("search_claim_fts", groups, ids, title_col=0, snippet_col=0)
    by_id = claims.in_bulk(ids)
    return [Hit(by_id[i], -score, marked(marks[i][0]), marked(marks[i][0])) for i, score in rows if i in by_id]


# --- the search ------------------------------------------------------------------------------------


def search_run(*, q: str, articles: QuerySet[Article], claims: QuerySet[Claim]) -> tuple[list[Hit], list[Hit]]:
    """Ranked article hits (among `articles`) and claim hits (among `claims`, within the best
    CLAIM_ARTICLES matching articles). The articles are ranked once: the hits are the first
    ARTICLE_LIMIT of the same ranking. Three queries on PostgreSQL; on SQLite three FTS5 queries
    and two for the rows."""
    groups = query_words(q)
    if not groups:
        return [], []
    if connection.vendor == "postgresql":
        ids = _pg_ranked_ids(groups, articles, CLAIM_ARTICLES)
        return _pg_articles(groups, ids[:ARTICLE_LIMIT]), _pg_claims(groups, claims, ids, CLAIM_LIMIT)
    rows = _fts_ranked("search_article_fts", groups, _scoped(articles), CLAIM_ARTICLES)
    return (
        _sqlite_articles(groups, rows[:ARTICLE_LIMIT]),
        _sqlite_claims(groups, claims, [r[0] for r in rows], CLAIM_LIMIT),
    )
