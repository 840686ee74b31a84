"""Deployment hygiene: production settings pass `check --deploy` and take secrets only from the environment;
collectstatic keeps the article view's ES modules importable."""

import json
import os
import re
import subprocess
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import REPO

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "workbench.settings.production",
    "DJANGO_SECRET_KEY": "k8Jq2mV9xR4tL7wN1pZ6cH3sB0yF5gD8eA2uK9oI4rT7vW1qX6zM3nP0lJ5hG8fY",
    "DJANGO_ALLOWED_HOSTS": "workbench.example.org",
    "DATABASE_URL": "postgres://workbench@db.internal:5432/workbench",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_requires_a_database_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


# Relative imports of the article view's modules (static/web/article/*.js), as ./name.js or ./name.<hash>.js
MODULE_IMPORT = re.compile(r'^(?:import|export) [^;]*? from "\./([\w.-]+\.js)";', re.M | re.S)


def _collect(static_root, backend):
    """collectstatic into static_root with the given static files storage; returns the article modules' folder."""
    with override_settings(
        STATIC_ROOT=static_root, STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root / "web" / "article"


def test_collectstatic_with_the_production_storage_keeps_every_module_import_resolvable(tmp_path):
    from workbench.settings.base import STORAGES as production_storages

    folder = _collect(tmp_path, production_storages["staticfiles"]["BACKEND"])
    assert {"state.js", "sidebar.js", "actions.js"} <= set(MODULE_IMPORT.findall((folder / "main.js").read_text()))
    for module in folder.glob("*.js"):
        for name in MODULE_IMPORT.findall(module.read_text()):
            assert (folder / name).is_file(), f"{module.name} imports {name}, which collectstatic did not write"


class ModuleManifestStorage(ManifestStaticFilesStorage):
    """What a switch to hashed file names would need: Django rewrites JS module imports only with this on
    (and gives up with "Max post-process passes exceeded" on modules that import each other in a cycle)."""

    support_js_module_import_aggregation = True


def test_a_manifest_storage_rewrites_every_module_import_to_its_hashed_name(tmp_path):
    folder = _collect(tmp_path, "tests.test_deploy.ModuleManifestStorage")
    manifest = {
        key: path
        for key, path in json.loads((tmp_path / "staticfiles.json").read_text())["paths"].items()
        if key.startswith("web/article/")
    }
    assert manifest["web/article/main.js"] != "web/article/main.js"
    hashed_names = {path.rsplit("/", 1)[-1] for path in manifest.values()}
    rewritten = 0
    for path in manifest.values():
        for name in MODULE_IMPORT.findall((tmp_path / path).read_text()):
            assert name in hashed_names, f"{path} still imports the unhashed {name}"
            assert (folder / name).is_file()
            rewritten += 1
    assert rewritten >= 10
