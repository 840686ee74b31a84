"""PostgreSQL only: a stored, generated `search_vector` column on articles (headline weighted A,
byline C, text D, `english` configuration) with a GIN index. The search page (web/search.py) ranks
on the stored vector: computing it from the text of every matching row costs seconds on 100,000
articles. The column is not a model field (Django never writes it; PostgreSQL keeps it current).
On SQLite, FTS5 tables and triggers are installed after every migrate instead (web.search)."""

from django.db import migrations

# `<` and `>` become spaces first: PostgreSQL's text parser takes anything tag-shaped for markup and
# leaves it out, but in our plain text "<img …>" is words a reader sees and may search for.
VECTOR = ("setweight(to_tsvector('english'::regconfig, translate(coalesce(headline, ''), '<>', '  ')), 'A') || "
          "setweight(to_tsvector('english'::regconfig, translate(coalesce(byline, ''), '<>', '  ')), 'C') || "
          "setweight(to_tsvector('english'::regconfig, translate(coalesce(body, ''), '<>', '  ')), 'D')")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE articles_article ADD COLUMN search_vector tsvector "
                              f"GENERATED ALWAYS AS ({VECTOR}) STORED")
        schema_editor.execute("CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_vector")  # drops the index too


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
