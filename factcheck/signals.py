"""What the factcheck app tells the apps above it (matching, webhooks, discussion), which connect
receivers in their AppConfig.ready(); factcheck imports none of them (the layers in
pyproject.toml). Sent where the old direct calls were, so receivers run in the same transaction."""

from django.dispatch import Signal

# An extraction run wrote the candidates of these articles. kwargs: article_ids (list[int]).
# webhooks sends `claims.extracted`; matching queues cross-linking after commit.
claims_extracted = Signal()

# The decided claims of an article whose text changed were re-anchored. kwargs: article,
# orphaned_claim_ids (list[int]). webhooks sends `article.revised`.
claims_reanchored = Signal()

# A verdict moved on (published, corrected, agreed, escalated). kwargs: event (a webhook event
# name), payload (dict of ids). webhooks records the deliveries.
verdict_event = Signal()

# A claim was assigned to someone. kwargs: claim, by. discussion notifies the assignee.
claim_assigned = Signal()

# A verdict (or a pair of reviews) now waits for an editor's approval. kwargs: verdict, by.
# discussion notifies the editors.
verdict_awaiting_approval = Signal()
