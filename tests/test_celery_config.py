"""The Celery configuration every worker and beat runs with."""

from django.conf import settings

from workbench.celery import app


def _tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_has_a_soft_limit_within_its_hard_limit():
    tasks = _tasks()
    assert "factcheck.tasks.claims_extract_task" in tasks
    for name, task in tasks.items():
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert hard and soft and soft < hard, f"{name}: soft {soft} / hard {hard}"


def test_beat_schedule_names_registered_tasks_and_routes_heavy_work_to_its_queue():
    tasks = _tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks
    for name, route in settings.CELERY_TASK_ROUTES.items():
        assert name in tasks, f"route for unknown task {name}"
        assert route["queue"] in ("extraction", "scoring")
    assert settings.CELERY_TASK_ROUTES["factcheck.tasks.text_score_task"] == {"queue": "scoring"}
