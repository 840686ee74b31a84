"""RSS and Atom feeds of published fact-checks (Django's syndication framework)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from factcheck.claimreview import verdict_public_url

from .selectors import factcheck_feed_items


class FactCheckFeed(Feed):
    description = "Claims checked and the verdicts on them, newest first."

    def title(self):
        return f"{settings.WORKBENCH['PUBLISHER_NAME']}: fact-checks"

    def link(self):
        return reverse("public:factcheck-list")

    def items(self):
        return factcheck_feed_items()

    def item_title(self, verdict):
        return f"{verdict.rating.label}: {verdict.group.label}"

    def item_description(self, verdict):
        note = f" (Correction: {verdict.correction_note})" if verdict.corrects_id else ""
        return f"{verdict.rationale}{note}"

    def item_link(self, verdict):
        return verdict_public_url(verdict)

    def item_guid(self, verdict):
        return f"{verdict_public_url(verdict)}#verdict-{verdict.pk}"

    def item_pubdate(self, verdict):
        return (
            verdict.corrects.published_at
            if verdict.corrects_id and verdict.corrects.published_at
            else verdict.published_at
        )

    def item_updateddate(self, verdict):
        return verdict.published_at

    def item_categories(self, verdict):
        return [verdict.rating.label]


class FactCheckAtomFeed(FactCheckFeed):
    feed_type = Atom1Feed
    subtitle = FactCheckFeed.description
