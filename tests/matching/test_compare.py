"""Compare any two claims: the service, `manage.py compare_claims` and POST /api/v1/claims/compare/
(queued to a worker, waited for within a bound, polled after a 202)."""

import io
import json

import pytest
from django.core.management import call_command

from core import inference
from core.errors import InvalidInput
from matching import services
from matching.linking import same_threshold
from matching.models import ClaimComparison

SAME = (
    "The central bank raised its main interest rate by half a percentage point on Thursday.",
    "On Thursday the central bank increased its key interest rate by 0.5 percentage points.",
)
NUMBERS = (
    "The storm left 12,000 homes without power in the county.",
    "The storm left 45,000 homes without power in the county.",
)
ACTORS = (
    "Senator Alvarez voted against the farm bill on Tuesday.",
    "Senator Okafor voted against the farm bill on Tuesday.",
)
YEARS = ("The city last hosted the championship in 1998.", "The city last hosted the championship in 2011.")
UNRELATED = (
    "The museum will reopen its east wing after a two-year renovation.",
    "Vaccination rates among teenagers fell sharply last winter.",
)
HEDGED = (
    "The company will probably close two factories next year, analysts said.",
    "The company will close two factories next year.",
)


@pytest.mark.django_db
def test_same_claim_in_other_words_and_false_friends():
    results = services.claims_compare(pairs=[SAME, NUMBERS, ACTORS, YEARS, UNRELATED])
    same, numbers, actors, years, unrelated = results
    threshold = same_threshold()
    assert same["same"] is True and same["score"] >= threshold and same["veto"] is None
    assert numbers["same"] is False and "12,000" in numbers["veto"] and "45,000" in numbers["veto"]
    assert numbers["differences"]["numbers"] == {"a": ["12,000"], "b": ["45,000"]}
    assert actors["same"] is False and "different actors" in actors["veto"]
    assert years["same"] is False and "different years" in years["veto"]
    assert unrelated["same"] is False and unrelated["score"] < 0.2
    for result in results:
        assert 0.0 <= result["score"] <= 1.0
        assert result["reasons"] and all("~" not in reason for reason in result["reasons"])


@pytest.mark.django_db
def test_the_decision_does_not_depend_on_the_order_and_shows_certainty():
    forward, backward, hedged = services.claims_compare(pairs=[SAME, SAME[::-1], HEDGED])
    assert forward["score"] == pytest.approx(backward["score"], abs=1e-3)
    assert hedged["differences"]["certainty"]["a"]["level"] == "hedged"
    assert hedged["differences"]["certainty"]["b"]["level"] == "asserted"
    assert any("hedged" in reason for reason in hedged["reasons"])


def test_bounds_are_checked_before_any_work():
    with pytest.raises(InvalidInput):
        services.claims_compare(pairs=[("a", "b")] * (services.COMPARE_MAX_PAIRS + 1))
    with pytest.raises(InvalidInput):
        services.claims_compare(pairs=[("x" * (services.COMPARE_MAX_CHARS + 1), "b")])
    with pytest.raises(InvalidInput):
        services.claims_compare(pairs=[("   ", "b")])


@pytest.mark.django_db
def test_command_reads_a_file_or_stdin_and_loads_the_models_once(tmp_path, capsys, monkeypatch):
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps({"a": a, "b": b}) for a, b in (SAME, NUMBERS)) + "\n\n")
    call_command("compare_claims", str(path))
    misses = inference.load.cache_info().misses
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["same"] for line in lines] == [True, False]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"a": UNRELATED[0], "b": UNRELATED[1]}) + "\n"))
    call_command("compare_claims", "-")
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert line["same"] is False and set(line) == {"score", "same", "veto", "reasons", "differences"}
    assert inference.load.cache_info().misses == misses  # no model loaded again
    path.write_text('{"a": "only one side"}\n')
    with pytest.raises(Exception, match="line 1"):
        call_command("compare_claims", str(path))


def _eager(settings):
    from workbench.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True


@pytest.mark.django_db
def test_api_queues_to_a_worker_then_answers_when_polled(
    client, integration, editor, settings, django_capture_on_commit_callbacks
):
    from workbench.celery import app

    url = "/api/v1/claims/compare/"
    body = {"pairs": [{"a": SAME[0], "b": SAME[1]}, {"a": NUMBERS[0], "b": NUMBERS[1]}]}
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)
    client.force_login(integration)  # a read-only role may compare
    settings.WORKBENCH = {**settings.WORKBENCH, "MATCH_COMPARE_WAIT": 0}
    _eager(settings)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # the worker runs after the request
            response = client.post(url, body, content_type="application/json")
        assert response.status_code == 202 and response.json()["results"] is None
    finally:
        app.conf.task_always_eager = False
    poll = response["Location"]
    answer = client.get(poll)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["same"] for r in results] == [True, False] and "numbers" in results[1]["differences"]
    client.force_login(editor)
    assert client.get(poll).status_code == 404  # another user's comparison


@pytest.mark.django_db
def test_api_bounds_the_request_and_reports_a_queue_outage(client, integration, monkeypatch):
    client.force_login(integration)
    url = "/api/v1/claims/compare/"
    too_many = {"pairs": [{"a": "x", "b": "y"}] * (services.COMPARE_MAX_PAIRS + 1)}
    assert client.post(url, too_many, content_type="application/json").status_code == 400
    too_long = {"pairs": [{"a": "x" * (services.COMPARE_MAX_CHARS + 1), "b": "y"}]}
    assert client.post(url, too_long, content_type="application/json").status_code == 400
    assert client.post(url, {"pairs": []}, content_type="application/json").status_code == 400
    assert not ClaimComparison.objects.exists()

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr("matching.tasks.claims_compare_task.apply_async", down)
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, **kw: fn())
    response = client.post(url, {"pairs": [{"a": "x", "b": "y"}]}, content_type="application/json")
    assert response.status_code == 503 and "unavailable" in response.json()["error"]


@pytest.mark.django_db
def test_task_is_idempotent():
    from matching.tasks import claims_compare_task

    comparison = ClaimComparison.objects.create(pairs=[{"a": SAME[0], "b": SAME[1]}])
    assert claims_compare_task.apply(args=[comparison.pk]).get() == "done"
    assert claims_compare_task.apply(args=[comparison.pk]).get() == "skipped"
    comparison.refresh_from_db()
    assert comparison.status == "done" and comparison.results[0]["same"] is True


def test_compare_is_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/claims/compare/"]["post"]
    assert {"200", "202", "503", "400"} <= set(operation["responses"])
