from tests.api.conftest import _fresh_throttles, api  # noqa: F401  (API clients, throttles reset)
