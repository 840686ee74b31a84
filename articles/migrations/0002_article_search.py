"""A GIN index on the articles' weighted full-text vector (PostgreSQL only; the search page's query,
web/search.py article_vector(), uses exactly this expression). On SQLite, FTS5 tables and triggers
are installed after every migrate instead (web.search.fts5_install, from web.apps)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = "article_search_vector"


def _index():
    vector = (SearchVector("headline", weight="A", config="english") + SearchVector("byline", weight="C", config="english")
              + SearchVector("body", weight="D", config="english"))
    return GinIndex(vector, name=INDEX)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), _index())


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), _index())


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
