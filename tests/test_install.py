"""The wheel works when installed non-editable, and installs nothing but the `formflow` package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE


def _run(cmd: list, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update({"NO_COLOR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"})
    env.update(kwargs.pop("env", {}))
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # Build from a copy of the sources, so that no build artifacts land in the checkout.
    src = tmp_path_factory.mktemp("src") / "formflow-src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "dist", ".venv", "__pycache__",
                                                             ".pytest_cache", ".hypothesis", "*.egg-info"))
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", dist, src],
                cwd=dist)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (whl,) = dist.glob("formflow-*.whl")
    return whl


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {n.split("/", 1)[0] for n in names}
    assert top_level == {"formflow", next(n for n in top_level if n.endswith(".dist-info"))}, top_level
    for generic in ("cli.py", "dsl", "templates", "tests", "regions", "benchmarks"):
        assert generic not in top_level
    for required in ("formflow/cli.py", "formflow/__main__.py", "formflow/_data/dsl/formflow.lark",
                     "formflow/schemas/form.schema.json"):
        assert required in names, required
    assert any(n.startswith("formflow/_data/templates/") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "formflow = formflow.__main__:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _see_our_dependencies(py: Path) -> None:
    """Let the new venv import formflow's dependencies from the environment running the tests.

    `system_site_packages` reaches only the base interpreter's site-packages; when the tests run in
    a venv (as README's test command does), typer, lark and the rest live in that venv instead. A
    .pth file adds its site-packages *after* the new venv's own, so formflow itself still comes
    from the installed wheel, which is what this test is about.
    """
    import sysconfig

    ours = sysconfig.get_paths()["purelib"]
    theirs = _run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=py.parent)
    Path(theirs.stdout.strip(), "_formflow_test_deps.pth").write_text(ours + "\n", encoding="utf-8")


def test_installed_wheel_checks_and_compiles(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    proc = _run([py, "-m", "pip", "install", "--no-deps", "--no-index", "--no-cache-dir", wheel], cwd=tmp_path)
    if proc.returncode != 0 and "No module named pip" in proc.stderr:  # no pip inside the venv: use ours
        proc = _run([sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "--no-index",
                     "--no-cache-dir", wheel], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _see_our_dependencies(py)  # after the install, or pip would find the outer formflow "already satisfied"

    work = tmp_path / "elsewhere"
    work.mkdir()
    flows = work / "vastra" / "flows"
    flows.mkdir(parents=True)
    shutil.copy(SAMPLE, flows / "sample.flow")
    exe = env_dir / "bin" / "formflow"
    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    where = _run([py, "-c", "import formflow, formflow.cli, formflow.resources as r; "
                  "print(formflow.__file__); print(r.grammar_path()); print(r.schema_path('form'))"], cwd=work)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert Path(line).resolve().is_relative_to(env_dir.resolve()), where.stdout
    no_cli = _run([py, "-c", "import cli"], cwd=work)
    assert no_cli.returncode != 0, "a top-level `cli` module was installed"

    check = _run([exe, "check", "vastra/flows/sample.flow"], cwd=work, env=cache)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "1 file checked" in check.stdout

    broken = work / "broken.flow"
    broken.write_text(SAMPLE.read_text(encoding="utf-8").replace("if fever {", "if fevr {"), encoding="utf-8")
    bad = _run([exe, "check", "--format", "json", broken], cwd=work, env=cache)
    assert bad.returncode == 1
    assert [d["code"] for d in json.loads(bad.stdout)["diagnostics"] if d["severity"] == "error"] == ["FF202"]

    out = tmp_path / "out"
    comp = _run([exe, "compile", "vastra", "--out", out], cwd=work, env=cache)
    assert comp.returncode == 0, comp.stdout + comp.stderr
    doc = json.loads((out / "vastra" / "sample.form.json").read_bytes())
    assert doc["flow"]["id"] == "sample"

    explain = _run([exe, "explain", "FF202"], cwd=work, env=cache)
    assert explain.returncode == 0 and "Bad:" in explain.stdout
    for proc in (check, bad, comp, explain):
        assert "Traceback" not in proc.stdout + proc.stderr
