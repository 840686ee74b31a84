"""The API has one router: its root lists every resource, the cross-linking ones (matching's
suggestions, previously checked claims) and the endpoints outside viewsets included."""

from django.urls import resolve

from .conftest import token_client


def test_the_api_root_lists_every_endpoint_and_each_link_resolves(integration):
    response = token_client(integration).get("/api/v1/")
    assert response.status_code == 200
    root = response.json()
    for key in ("match-suggestions", "previously-checked", "me", "score", "claims/compare", "claims", "verdicts"):
        assert key in root, key
    assert root["match-suggestions"].endswith("/api/v1/match-suggestions/")
    assert root["previously-checked"].endswith("/api/v1/previously-checked/")
    for url in root.values():
        match = resolve(url.split("testserver", 1)[1])
        assert match.namespace == "api", url  # one namespace: no second router at /api/v1/
