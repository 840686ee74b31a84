from tests.web.conftest import ratings  # noqa: F401  (the default rating scale)
