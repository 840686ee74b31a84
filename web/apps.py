from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_search(sender, using="default", **kwargs):
    # Sent once per app with models (this app has none); only the claims' app ends the work.
    if sender.label != "factcheck":
        return
    from .search import fts5_install

    fts5_install(using=using)


class WebConfig(AppConfig):
    """The editors' web UI: Django templates plus two small scripts, no build step."""

    name = "web"
    verbose_name = "Editor web UI"

    def ready(self):
        # SQLite: the search page's FTS5 tables and triggers (idempotent; later migrations that
        # rebuild a table drop its triggers, so this runs after every migrate).
        post_migrate.connect(_install_search, dispatch_uid="web.search.fts5_install")
