"""What the articles app tells the apps above it. articles imports none of them (the layers in
pyproject.toml): factcheck, webhooks... connect receivers in their AppConfig.ready(). Every signal
is sent inside the transaction that wrote the articles, so receivers write in it too and queue
work with transaction.on_commit."""

from django.dispatch import Signal

# Articles were created or their text replaced: their claims are to be extracted (again).
# kwargs: article_ids (list[int]). factcheck queues extraction after commit.
articles_text_changed = Signal()

# One article's text was replaced by a new revision. kwargs: article, old_body (str).
# factcheck re-anchors the claims people decided on (and says which became orphans).
article_text_replaced = Signal()

# New articles exist: one created through the API, or an import batch that finished.
# kwargs: article_ids (list[int]), batch (ImportBatch | None). webhooks sends `article.imported`.
articles_imported = Signal()
