from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Public fact-check pages (no sign-in): one page per claim with its published verdict and
    ClaimReview, an index and Atom/RSS feeds. Only published and superseded verdicts are shown."""

    name = "publishing"
    verbose_name = "Public fact-check pages"
