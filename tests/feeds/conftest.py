import pytest

from tests.feeds.site import NewsSite


@pytest.fixture
def site():
    with NewsSite() as running:
        yield running


@pytest.fixture
def feed_settings(settings, allow_loopback):
    """Loopback allow-listed (the site runs on 127.0.0.1), short timeouts and limits, no host delay."""
    settings.WORKBENCH = {
        **settings.WORKBENCH,
        "FEEDS_TIMEOUT": 1.0,
        "FEEDS_HOST_DELAY": 0.0,
        "FEEDS_MAX_PAGE_BYTES": 200_000,
        "FEEDS_HOST_MAX_WAIT": 5.0,
    }
    return settings
