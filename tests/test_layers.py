"""The layers of the apps (pyproject.toml, [tool.importlinter]): `lint-imports` keeps them, so
./test.sh fails on an import that goes up a layer (function-level imports included); every app of
the project is in a layer; only matching's services merge and split claim groups."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return {"root_packages": config["root_packages"], "layers": layers["layers"]}


def test_lint_imports_keeps_the_layers():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Contracts: 1 kept, 0 broken." in done.stdout


def test_every_app_of_the_project_is_in_a_layer():
    ours = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0] / "apps.py").exists()}
    in_layers = {name.strip() for layer in _contract()["layers"] for name in layer.split("|")}
    assert ours and ours <= in_layers, f"apps in no layer: {sorted(ours - in_layers)}"
    assert set(_contract()["root_packages"]) == in_layers
    assert _contract()["layers"][-1] == "core" and _contract()["layers"][0] == "workbench"


def test_the_lint_finds_a_function_level_import_that_goes_up(tmp_path):
    """The same contract on a copy of two apps with one upward import inside a function: broken."""
    import shutil

    for app in ("core", "articles"):
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    (tmp_path / "articles" / "late.py").write_text("def f():\n    from articles import models\n")
    (tmp_path / "core" / "late.py").write_text("def f():\n    from articles import models\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_packages = ["core", "articles"]\n\n[[tool.importlinter.contracts]]\n'
        'name = "layers"\ntype = "layers"\nlayers = ["articles", "core"]\n'
    )
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "core.late -> articles" in done.stdout


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    return names


def test_only_matching_services_merge_and_split_claim_groups():
    """`_group_merge`/`_group_split` record no matching decision: API, web UI and admin use
    matching.services.match_groups_merge / match_group_split, the only callers."""
    allowed = {ROOT / "factcheck" / "services" / "groups.py", ROOT / "matching" / "services.py"}
    users = sorted(
        str(path.relative_to(ROOT))
        for app in _contract()["root_packages"]
        for path in (ROOT / app).rglob("*.py")
        if path not in allowed and _names_used(path) & {"_group_merge", "_group_split"}
    )
    assert users == []
    from factcheck.services import groups

    assert not hasattr(groups, "group_merge") and not hasattr(groups, "group_split")
    assert "_group_merge" in _names_used(ROOT / "matching" / "services.py")  # the scan sees real uses
