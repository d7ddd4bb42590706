"""The `formflow` command: exit codes, output formats, compile's artifacts, errors without tracebacks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import ROOT, SAMPLE
from formflow import __version__

BROKEN = 'flow broken "Trasig" {\n  outcome done: information "Klart."\n  question fever: yes_no "Feber?"\n  if fevr { end done }\n  end done\n}\n'
WARNS = 'flow warns "Varnar" {\n  outcome done: information "Klart."\n  outcome spare: information "Oanvänd."\n  end done\n}\n'


def run(*args: str, env: dict | None = None):
    """Invoke the CLI in-process; every invocation is checked for tracebacks."""
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def region(tmp_path: Path) -> Path:
    """A region folder as authors lay it out: REGION/flows/*.flow."""
    flows = tmp_path / "src" / "vastra" / "flows"
    flows.mkdir(parents=True)
    shutil.copy(SAMPLE, flows / "sample.flow")
    return tmp_path / "src" / "vastra"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "src" / "norra" / "flows" / "broken.flow"
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN, encoding="utf-8")
    return path


@pytest.fixture
def warns(tmp_path: Path) -> Path:
    path = tmp_path / "warns" / "warns.flow"
    path.parent.mkdir(parents=True)
    path.write_text(WARNS, encoding="utf-8")
    return path


# ---------------------------------------------------------------- check and exit codes


def test_check_clean_exits_0(region):
    r = run("check", region)
    assert r.exit_code == 0
    assert r.stdout.strip().splitlines()[-1] == "1 file checked: no problems"


def test_check_errors_exit_1(broken):
    r = run("check", broken)
    assert r.exit_code == 1
    assert "error[FF202]: 'fevr' is not defined" in r.stdout
    assert f"--> {broken}:4:6" in r.stdout
    assert "did you mean 'fever'?" in r.stdout
    assert r.stdout.strip().endswith("1 error, 0 warnings in 1 file")


def test_warnings_exit_0(warns):
    r = run("check", warns)
    assert r.exit_code == 0
    assert "warning[FF209]" in r.stdout


def test_warnings_with_strict_exit_1(warns, region):
    assert run("check", "--strict", warns).exit_code == 1
    assert run("check", "--strict", region).exit_code == 0


def test_check_several_paths(region, broken, warns):
    r = run("check", region, broken, warns)
    assert r.exit_code == 1
    assert "1 error, 1 warning in 3 files" in r.stdout


def test_check_defaults_to_current_folder(region, monkeypatch):
    monkeypatch.chdir(region)
    r = run("check")
    assert r.exit_code == 0
    assert "1 file checked" in r.stdout


def test_usage_errors_exit_2(region):
    assert run("check", "--no-such-option", region).exit_code == 2
    assert run("--no-such-option").exit_code == 2
    assert run("check", "--format", "xml", region).exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_nonexistent_path_is_ff901(tmp_path):
    missing = tmp_path / "nowhere.flow"
    r = run("check", missing)
    assert r.exit_code == 1
    assert "error[FF901]" in r.stdout
    assert str(missing) in r.stdout


def test_folder_without_flows_is_ff902(tmp_path):
    (tmp_path / "readme.txt").write_text("no flows here")
    r = run("check", tmp_path)
    assert r.exit_code == 1
    assert "error[FF902]" in r.stdout


def test_a_bad_path_does_not_hide_good_ones(region, tmp_path):
    r = run("check", "--format", "json", region, tmp_path / "missing")
    doc = json.loads(r.stdout)
    assert [d["code"] for d in doc["diagnostics"]] == ["FF901"]
    assert len(doc["files"]) == 1


def test_invalid_utf8_file_via_cli(tmp_path):
    path = tmp_path / "latin.flow"
    path.write_bytes(BROKEN.replace("Trasig", "Tr\u00e5sig").encode("latin-1"))
    r = run("check", path)
    assert r.exit_code == 1
    assert "error[FF001]" in r.stdout


def test_no_colour_when_not_a_terminal(broken):
    assert "\x1b[" not in run("check", broken).stdout


def test_colour_always(broken):
    r = run("--color", "always", "check", broken)
    assert "\x1b[1;31merror[FF202]" in r.stdout


def test_no_color_env_is_respected(broken):
    r = run("check", broken, env={"NO_COLOR": "1"})
    assert "\x1b[" not in r.stdout


# ---------------------------------------------------------------- formats


def test_json_format(broken, region):
    r = run("check", "--format", "json", broken, region)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["summary"] == {"errors": 1, "warnings": 0}
    (d,) = doc["diagnostics"]
    assert d["code"] == "FF202" and d["file"] == str(broken)
    assert d["span"]["line"] == 4 and d["span"]["column"] == 6
    assert sorted(doc["files"]) == sorted([str(broken), str(region / "flows" / "sample.flow")])


def test_json_format_clean(region):
    r = run("check", "-f", "json", region)
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["diagnostics"] == [] and doc["summary"] == {"errors": 0, "warnings": 0}


def test_json_format_for_path_problems(tmp_path):
    r = run("check", "--format", "json", tmp_path)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["diagnostics"][0]["code"] == "FF902"


def test_github_format(broken, warns):
    r = run("check", "--format", "github", broken, warns)
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(re.match(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,", line) for line in lines), lines
    assert any(line.startswith("::error ") and ",line=4,col=6," in line and "FF202" in line for line in lines)
    assert any(line.startswith("::warning ") and "FF209" in line for line in lines)


def test_github_format_clean_prints_nothing(region):
    r = run("check", "--format", "github", region)
    assert r.exit_code == 0
    assert r.stdout.strip() == ""


# ---------------------------------------------------------------- compile


def test_compile_writes_region_and_flow(region, tmp_path):
    out = tmp_path / "build"
    r = run("compile", region, "--out", out)
    assert r.exit_code == 0, r.stdout
    target = out / "vastra" / "sample.form.json"
    assert target.is_file()
    assert f"wrote {target}" in r.stdout
    doc = json.loads(target.read_bytes())
    assert doc["flow"]["id"] == "sample" and doc["region"] == "vastra"
    assert sorted(p.name for p in out.rglob("*")) == ["sample.form.json", "vastra"]


def test_region_comes_from_region_yaml(tmp_path):
    root = tmp_path / "regions" / "halland"
    (root / "flows" / "covid").mkdir(parents=True)
    (root / "region.yaml").write_text("name: Halland\n")
    shutil.copy(SAMPLE, root / "flows" / "covid" / "sample.flow")
    out = tmp_path / "build"
    assert run("compile", tmp_path / "regions", "-o", out).exit_code == 0
    assert (out / "halland" / "sample.form.json").is_file()


def test_compile_writes_nothing_for_a_flow_with_errors(region, broken, tmp_path):
    out = tmp_path / "build"
    r = run("compile", region, broken, "--out", out)
    assert r.exit_code == 1
    assert (out / "vastra" / "sample.form.json").is_file()
    assert not (out / "norra").exists()
    assert [p.name for p in out.rglob("*.json")] == ["sample.form.json"]


def test_compile_only_broken_creates_no_output(broken, tmp_path):
    out = tmp_path / "build"
    assert run("compile", broken, "--out", out).exit_code == 1
    assert not out.exists() or list(out.rglob("*")) == []


def test_compile_with_warnings(warns, tmp_path):
    out = tmp_path / "build"
    assert run("compile", warns, "--out", out).exit_code == 0
    assert (out / "warns" / "warns.form.json").is_file()
    assert run("compile", "--strict", warns, "--out", tmp_path / "b2").exit_code == 1


def test_compile_json_format_lists_written_files(region, tmp_path):
    out = tmp_path / "build"
    r = run("compile", "--format", "json", region, "--out", out)
    doc = json.loads(r.stdout)
    assert doc["written"] == [str(out / "vastra" / "sample.form.json")]
    assert doc["summary"]["errors"] == 0


def test_compile_to_a_path_under_a_regular_file(region, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file")
    r = run("compile", region, "--out", blocker / "build")
    assert r.exit_code == 1
    assert "error[FF903]" in r.stdout
    assert str(blocker) in r.stdout
    assert blocker.read_text() == "I am a file"
    assert "wrote" not in r.stdout


def test_compile_target_blocked_by_a_folder_leaves_no_temp_files(region, tmp_path):
    out = tmp_path / "build"
    (out / "vastra" / "sample.form.json").mkdir(parents=True)  # a folder where the artifact goes
    r = run("compile", region, "--out", out)
    assert r.exit_code == 1
    assert "error[FF903]" in r.stdout
    leftovers = [p.name for p in (out / "vastra").iterdir()]
    assert leftovers == ["sample.form.json"], leftovers
    assert (out / "vastra" / "sample.form.json").is_dir()


def test_compile_replaces_an_existing_artifact(region, tmp_path):
    out = tmp_path / "build"
    target = out / "vastra" / "sample.form.json"
    target.parent.mkdir(parents=True)
    target.write_text("old")
    assert run("compile", region, "--out", out).exit_code == 0
    assert json.loads(target.read_bytes())["format"] == "formflow/form"
    assert [p.name for p in target.parent.iterdir()] == ["sample.form.json"]


def test_two_flows_with_the_same_target(tmp_path):
    for sub in ("a", "b"):
        d = tmp_path / "vastra" / "flows" / sub
        d.mkdir(parents=True)
        shutil.copy(SAMPLE, d / "sample.flow")
    (tmp_path / "vastra" / "region.yaml").write_text("name: x\n")
    r = run("compile", tmp_path / "vastra", "--out", tmp_path / "build")
    assert r.exit_code == 1
    assert "error[FF903]" in r.stdout and "both compile to" in r.stdout


def test_build_summary_table(region, broken, tmp_path):
    r = run("build", region.parent, "--out", tmp_path / "build")
    assert r.exit_code == 1
    assert re.search(r"^region\s+flow\s+questions\s+outcomes\s+status", r.stdout, re.M)
    assert re.search(r"^vastra\s+sample\s+8\s+3\s+ok", r.stdout, re.M)
    assert re.search(r"^norra\s+\S+\s+-\s+-\s+1 errors", r.stdout, re.M)


# ---------------------------------------------------------------- explain, version


def test_explain_prints_bad_and_good_examples():
    r = run("explain", "FF201")
    assert r.exit_code == 0
    out = r.stdout
    assert out.startswith("FF201 duplicate-id (error)")
    assert "Bad:\n    question fever" in out
    assert "Good:\n    question fever" in out and "question cough" in out


@pytest.mark.parametrize("key", ["ff202", "202", "undefined-name"])
def test_explain_by_name_or_number(key):
    r = run("explain", key)
    assert r.exit_code == 0
    assert r.stdout.startswith("FF202 undefined-name")


def test_explain_without_examples():
    r = run("explain", "FF006")
    assert r.exit_code == 0
    assert "4 MiB" in r.stdout and "Bad:" not in r.stdout


def test_explain_unknown_code_is_a_usage_error():
    r = run("explain", "FF999")
    assert r.exit_code == 2
    assert "FF999" in r.stderr
    assert "--list" in r.stderr


def test_explain_list():
    from formflow.diagnostics.catalog import CODES

    r = run("explain", "--list")
    assert r.exit_code == 0
    lines = r.stdout.strip().splitlines()
    assert len(lines) == len(CODES)
    assert re.match(r"^FF201\s+error\s+duplicate-id\s+Two things have the same id\.$", next(l for l in lines if l.startswith("FF201")))
    assert re.match(r"^FF208\s+warning\s+unused-value", next(l for l in lines if l.startswith("FF208")))


def test_version():
    r = run("--version")
    assert r.exit_code == 0
    assert r.stdout.strip() == f"formflow {__version__}"


def test_help():
    r = run("--help")
    assert r.exit_code == 0
    for command in ("check", "compile", "build", "explain"):
        assert command in r.stdout


# ---------------------------------------------------------------- crashes are contained


def test_internal_error_is_ff905_without_traceback(region, monkeypatch):
    from formflow import api

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(api, "check_paths", boom)
    r = run("check", region)
    assert r.exit_code == 1
    assert "error[FF905]" in r.stderr
    assert "--debug" in r.stderr


# ---------------------------------------------------------------- the real command


def _python_m(*args, cwd: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(extra_env or {})}
    proc = subprocess.run([sys.executable, "-m", "formflow", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


def test_python_m_formflow(region, broken, tmp_path):
    ok = _python_m("check", region, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "1 file checked: no problems" in ok.stdout

    bad = _python_m("check", "--format", "json", broken, cwd=tmp_path)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["diagnostics"][0]["code"] == "FF202"

    usage = _python_m("check", "--bogus", cwd=tmp_path)
    assert usage.returncode == 2

    out = tmp_path / "build"
    comp = _python_m("compile", region, "--out", out, cwd=tmp_path)
    assert comp.returncode == 0
    assert (out / "vastra" / "sample.form.json").is_file()

    version = _python_m("--version", cwd=tmp_path)
    assert version.stdout.strip() == f"formflow {__version__}"


def test_python_m_formflow_unwritable_output(region, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = _python_m("compile", region, "--out", blocker / "out", cwd=tmp_path)
    assert proc.returncode == 1
    assert "FF903" in proc.stdout


def test_colour_always_through_a_pipe(broken, tmp_path):
    proc = _python_m("--color", "always", "check", broken, cwd=tmp_path, extra_env={"NO_COLOR": ""})
    assert "\x1b[" in proc.stdout


def test_text_output_is_capped_per_file_but_json_lists_all(tmp_path):
    from typer.testing import CliRunner

    from cli import MAX_SHOWN_PER_FILE, app

    flow = tmp_path / "many.flow"
    flow.write_text('flow many "M" {\n languages sv\n outcome done: information "K"\n'
                    + "".join(f' question q{i}: yes_no "Q?" unit "kg"\n' for i in range(80)) + " end done\n}\n",
                    encoding="utf-8")
    text = CliRunner().invoke(app, ["check", str(flow)])
    assert text.exit_code == 1
    assert text.output.count("error[FF304]") == MAX_SHOWN_PER_FILE
    assert f"... and {80 - MAX_SHOWN_PER_FILE} more in {flow}" in text.output
    assert "80 errors" in text.output
    as_json = CliRunner().invoke(app, ["check", str(flow), "--format", "json"])
    assert len(json.loads(as_json.output)["diagnostics"]) == 80


def test_simulate_option_mistakes_are_usage_errors(tmp_path):
    flow = str(ROOT / "regions/jonkoping/flows/symptom_assessment.flow")
    who = tmp_path / "citizen.yaml"
    who.write_text('personnummer: 19780901-2383\nregion: "06"\nnow: 2024-01-15T10:00\n', encoding="utf-8")
    both = run("simulate", flow, "--citizen", str(who), "--personnummer", "19780901-2383")
    assert both.exit_code == 2 and "not both" in both.output
    quiet_json = run("simulate", flow, "--format", "json")
    assert quiet_json.exit_code == 2 and "add --answers" in quiet_json.output
    typo = run("simulate", flow, "--personnummer", "19780901-2384")  # a test number with a wrong check digit
    assert typo.exit_code == 2 and "FF514" in typo.output and "2384" not in typo.output  # no snippet echoes it


def test_simulate_accepts_only_skatteverkets_test_numbers(monkeypatch):
    from formflow import testdata

    # a valid number off the test list would be a real person's: none is written here, the list is emptied
    monkeypatch.setattr(testdata, "is_test_number", lambda digits: False)
    real = run("simulate", str(ROOT / "regions/jonkoping/flows/symptom_assessment.flow"), "-p", "19780901-2383")
    assert real.exit_code == 2 and "error[FF514]: --personnummer accepts only Skatteverket's test" in real.output
    assert "2383" not in real.output


def test_build_of_a_missing_folder_says_so_and_nothing_else(tmp_path):
    r = run("build", str(tmp_path / "regions"), "--out", str(tmp_path / "build"))
    assert r.exit_code == 1 and "error[FF901]" in r.output
    assert "artifacts in" not in r.output and "region  flow" not in r.output and not (tmp_path / "build").exists()
