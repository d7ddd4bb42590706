"""How formflow's check + compile time grows with flow size, side by side with pyxform.

What it measures, in one run:

* formflow in-process: `api.check_source` + `api.compile_result` (parse, check, lower, the path
  analysis that `check` runs, emit, JSON Schema validation, serialisation) on generated flows of
  10, 100, 1,000 and 10,000 questions (`benchmarks/generate.py`), the fastest of several runs
  after a warm-up (9 runs up to 100 questions, 3 up to 1,000, 1 above: a full run takes minutes);
  and the same work split into phases through the public modules (parse, check, lower, analyse,
  emit, validate, serialise) to show where the time goes — the phases add up to the total.
* the whole CLI, start-up included: `python -m formflow check FILE` and
  `python -m formflow compile FILE --out DIR` as subprocesses, fastest of 5 (1 above 1,000
  questions), for every size and for every region flow (`regions/*/flows/*.flow`; the median-sized
  one is the "typical" one). Bytecode is cached (in the temp dir) as for an installed formflow,
  even when PYTHONDONTWRITEBYTECODE is set; `python -c pass` and `formflow --version` show the
  floor. Peak memory (max RSS) of `formflow compile` at the largest size.
* pyxform, the reference XLSForm compiler: an equivalent XLSForm (same number of questions, one
  row per question with the XLSForm type closest to formflow's: select_one yes_no, integer and
  decimal with min/max constraints, select_one / select_multiple with per-question choice lists
  and an exclusivity constraint, text with a length constraint, date, acknowledge; the if-block
  follow-up as `relevant`, every `trigger`/`end` as a note with `relevant`, the derived score as
  `calculate`; Swedish and English labels), converted in-process with
  `pyxform.xls2xform.convert` from .xlsx (built with openpyxl) and from .csv (pyxform's CSV
  layout), fastest of the same number of runs; the faster of the two input paths is the
  reference. The same rows given to `convert` as a dict (no file reading) are timed too, as a
  lower bound; all three must give the same XForm.
  Outcome semantics are not mirrored: after an `end`, formflow skips the rest of the flow, while
  the XLSForm only shows a note, and pyxform proves nothing about the form, so pyxform does less
  work than formflow here.

It prints a table (size, formflow ms, µs per question, scaling, pyxform ms, ratio, CLI wall
times), checks the targets (1,000 questions at least 2x faster than pyxform; each 10x size step
at most ~12x time up to 10,000; `formflow check` of a typical region flow, and of every one,
under 0.3 s wall; peak memory at the largest size under 1 GiB) and writes everything to
benchmarks/results/compile_scaling.json (git-ignored).

Run from the repository root:

    python benchmarks/compile_scaling.py [--install-pyxform] [--sizes 10,100,1000]

pyxform is not a dependency of formflow: without it the pyxform columns are skipped, and
`--install-pyxform` pip-installs it into the running interpreter first.

This is a benchmark script, not a timed test: it reports PASS/FAIL against the targets but always
exits 0 unless something crashes, and CI does not run it. Timings depend on the machine.
"""

from __future__ import annotations

import argparse
import copy
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from generate import generate_flow  # noqa: E402

import formflow  # noqa: E402
from formflow import api  # noqa: E402
from formflow.check import check_flow  # noqa: E402
from formflow.emit.form_json import dumps, form_document  # noqa: E402
from formflow.emit.schema import validation_errors  # noqa: E402
from formflow.ir.lower import lower  # noqa: E402
from formflow.syntax.parse import parse_bytes  # noqa: E402

DEFAULT_SIZES = (10, 100, 1000, 10000)
RESULTS = HERE / "results" / "compile_scaling.json"
CLI_REPEATS = 5
TARGET_RATIO_SIZE, TARGET_RATIO = 1000, 2.0  # pyxform / formflow at 1,000 questions
TARGET_STEP = 1.2  # time ratio / size ratio per step: 10x the size may cost at most ~12x the time
TARGET_CLI_SECONDS = 0.3
PHASES = ("parse", "check", "lower", "analyse", "emit", "validate", "serialise")
TARGET_PEAK_MB = 1024  # peak memory of `formflow compile` at the largest size


class BenchmarkError(RuntimeError):
    pass


@dataclass
class SizeResult:
    size: int
    repeats: int
    formflow_s: float
    phases_s: dict[str, float]
    form_json_bytes: int
    pyxform_s: float | None = None
    pyxform_dict_s: float | None = None
    xform_bytes: int | None = None
    pyxform_warnings: int | None = None
    cli_check_s: float | None = None
    cli_compile_s: float | None = None
    pyxform_xlsx_s: float | None = None
    pyxform_csv_s: float | None = None


@dataclass
class CliRow:
    label: str
    questions: int | None
    check_s: float | None
    compile_s: float | None = None
    in_process_s: float | None = None  # check + compile without start-up, for comparison


@dataclass
class Report:
    sizes: list[SizeResult] = field(default_factory=list)
    cli: list[CliRow] = field(default_factory=list)
    pyxform_version: str | None = None
    pyxform_skipped: str | None = None
    peak_mb: float | None = None  # peak RSS of `formflow compile` of the largest size
    peak_size: int | None = None


# --- timing ------------------------------------------------------------------------------------

def repeats_for(size: int) -> int:
    """More repeats where one run is short; one run of the largest size (so a full run takes
    minutes): the fastest run counts, the least disturbed by other work on a shared machine."""
    if size <= 100:
        return 9
    if size <= 1000:
        return 3
    return 1


def best_seconds(fn, repeats: int, setup=lambda: None, warmup: int = 1) -> float:
    """Fastest wall time of `fn(setup())` over `repeats` runs after `warmup` runs; setup untimed."""
    for _ in range(warmup):
        fn(setup())
    times = []
    for _ in range(repeats):
        arg = setup()
        gc.collect()
        start = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - start)
    return min(times)


def warmups_for(size: int) -> int:
    return 1 if size <= 1000 else 0


# --- formflow ----------------------------------------------------------------------------------

def write_flows(sizes, folder: Path) -> dict[int, Path]:
    paths = {}
    for n in sizes:
        path = folder / f"generated_{n}.flow"
        path.write_text(generate_flow(n, flow_id=f"generated_{n}"), encoding="utf-8")
        paths[n] = path
    return paths


def formflow_compile(path: Path, raw: bytes) -> api.CompileResult:
    result = api.compile_result(api.check_source(path.name, raw, path))
    if not result.ok or not result.artifacts:
        problems = "; ".join(f"{d.code} {d.message}" for d in result.diagnostics[:5])
        raise BenchmarkError(f"formflow did not compile {path.name}: {problems}")
    return result


def phase_times(path: Path, raw: bytes) -> dict[str, float]:
    """One check + compile split at the public module boundaries, the collector paused and
    resumed where the API does it; seconds per phase. `analyse` is the path analysis that
    `check_source` runs (`formflow.analysis.analyse`, diagnostics only, as `formflow check`)."""
    from formflow.analysis import analyse

    marks = [time.perf_counter()]
    with api.gc_paused():  # check_source
        parsed = parse_bytes(path.name, raw)
        marks.append(time.perf_counter())
        checked = check_flow(parsed.source, parsed.flow)
        marks.append(time.perf_counter())
        flow = lower(checked.context)
        ok, line_col = parsed.ok and checked.ok, parsed.source.line_col
        marks.append(time.perf_counter())
        analysis = analyse(flow, parsed.source)
        ok = ok and not [d for d in analysis.diagnostics if d.code == "FF905"]
        del parsed, checked, analysis  # as after check_source: the syntax tree is garbage, the IR lives on
        marks.append(time.perf_counter())
    with api.gc_paused():  # compile_result
        doc = form_document(flow, "benchmark", line_col)
        marks.append(time.perf_counter())
        problems = validation_errors("form", doc)
        marks.append(time.perf_counter())
        dumps(doc)
        marks.append(time.perf_counter())
    if not ok or problems:
        raise BenchmarkError(f"phase run of {path.name} failed: {problems or 'parse/check errors'}")
    return {name: b - a for name, a, b in zip(PHASES, marks, marks[1:])}


def best_phases(path: Path, raw: bytes, repeats: int, warmup: int) -> dict[str, float]:
    """Each phase's fastest time over `repeats` runs."""
    for _ in range(warmup):
        phase_times(path, raw)
    runs = []
    for _ in range(repeats):
        gc.collect()
        runs.append(phase_times(path, raw))
    return {name: min(r[name] for r in runs) for name in PHASES}


def measure_formflow(size: int, path: Path) -> SizeResult:
    raw = path.read_bytes()
    repeats = repeats_for(size)
    artifact = formflow_compile(path, raw).artifacts[0]  # also the warm-up
    seconds = best_seconds(lambda _: formflow_compile(path, raw), repeats, warmup=0)
    phases = best_phases(path, raw, repeats, warmups_for(size) - 1 if size <= 1000 else 0)
    return SizeResult(size, repeats, seconds, phases, len(artifact.data))


# --- the whole CLI -----------------------------------------------------------------------------

def cli_env(cache_dir: Path) -> dict[str, str]:
    """The caller's environment, but with bytecode cached (in `cache_dir`, not in the checkout),
    as for an installed formflow, whose .pyc files pip writes at install time."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir)
    return env


def run_seconds(cmd: list[str], env: dict[str, str], repeats: int = CLI_REPEATS) -> float:
    """Fastest wall time of a subprocess run from the repository root, start-up included."""

    def run(_):
        done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchmarkError(f"{' '.join(cmd)} exited {done.returncode}: {done.stdout[-500:]}{done.stderr[-500:]}")

    return best_seconds(run, repeats, warmup=1 if repeats > 1 else 0)


def cli_seconds(args: list[str], env: dict[str, str], repeats: int = CLI_REPEATS) -> float:
    return run_seconds([sys.executable, "-m", "formflow", *args], env, repeats)


def cli_pair(path: Path, out_dir: Path, env: dict[str, str], repeats: int = CLI_REPEATS) -> tuple[float, float]:
    return (cli_seconds(["check", str(path)], env, repeats),
            cli_seconds(["compile", str(path), "--out", str(out_dir)], env, repeats))


def peak_mb(path: Path, out_dir: Path, env: dict[str, str]) -> float:
    """Peak resident memory of one `formflow compile` (analysis included), in MiB: the largest
    RSS of a child process, read by a parent that runs nothing else."""
    code = ("import resource, subprocess, sys; "
            "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "formflow", "compile", str(path),
                           "--out", str(out_dir)], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024  # Linux reports KiB


def typical_region_flows() -> list[Path]:
    """Every region flow, the median-sized one first (the "typical" one of the first target)."""
    flows = sorted(REPO.glob("regions/*/flows/*.flow"), key=lambda p: p.stat().st_size)
    if not flows:
        return []
    typical = flows[len(flows) // 2]
    return [typical] + [f for f in flows if f != typical]


def measure_cli(report: Report, paths: dict[int, Path], folder: Path) -> None:
    env, out_dir = cli_env(folder / "pycache"), folder / "out"
    bare = run_seconds([sys.executable, "-c", "pass"], env)
    report.cli.append(CliRow("interpreter only (python -c pass)", None, bare))
    report.cli.append(CliRow("formflow --version", None, cli_seconds(["--version"], env)))
    for path in typical_region_flows():
        raw = path.read_bytes()
        questions = len(formflow_compile(path, raw).file.flow.questions)
        in_process = best_seconds(lambda _: formflow_compile(path, raw), repeats_for(questions))
        label = f"region {path.parent.parent.name}/{path.name}"
        report.cli.append(CliRow(label, questions, *cli_pair(path, out_dir, env), in_process))
    for row in report.sizes:
        repeats = CLI_REPEATS if row.size <= 1000 else 1
        row.cli_check_s, row.cli_compile_s = cli_pair(paths[row.size], out_dir, env, repeats)
        report.cli.append(CliRow(paths[row.size].name, row.size, row.cli_check_s, row.cli_compile_s, row.formflow_s))
    if report.sizes:
        largest = report.sizes[-1].size
        report.peak_mb, report.peak_size = peak_mb(paths[largest], out_dir, env), largest


# --- the equivalent XLSForm and pyxform --------------------------------------------------------

SV, EN = "label::Svenska (sv)", "label::English (en)"
SURVEY_COLUMNS = ("type", "name", SV, EN, "required", "relevant", "constraint", "calculation")
CHOICE_COLUMNS = ("list_name", "name", SV, EN)
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language")
YES = "${%s} = 'yes'"


def q(type_, name, sv, en, **more) -> dict:
    """One survey row; questions are required unless told otherwise, as in formflow."""
    row = {"type": type_, "name": name, SV: sv, EN: en, "required": "yes"}
    row.update({k: v for k, v in more.items() if v is not None})
    return row


def note(name, sv, en, relevant) -> dict:
    return {"type": "note", "name": name, SV: sv, EN: en, "relevant": relevant}


def group_blocks(g: str, group: int) -> list[list[dict]]:
    """generate.py's ten blocks for group `g`: each one question plus its routing notes."""
    score = (f"if(${{{g}_pain}} = 'high', 1, 0) + if(selected(${{{g}_symptoms}}, 'fever'), 1, 0)"
             f" + if(${{{g}_smoker}} = 'yes', 1, 0)"
             f" + if(${{{g}_weight}} div ((${{{g}_height}} div 100) * (${{{g}_height}} div 100)) > 35, 1, 0)"
             f" + if(${{citizen_age}} >= 65, 1, 0)")
    return [
        [q("select_one yes_no", f"{g}_sick", f"Är du sjuk ({group})?", f"Are you ill ({group})?")],
        [q("integer", f"{g}_days", "Hur många dagar?", "How many days?", relevant=YES % f"{g}_sick",
           constraint=". >= 0 and . <= 365"),
         note(f"{g}_days_emergency", "Ring 112.", "Call 112.", f"{YES % f'{g}_sick'} and ${{{g}_days}} > 300")],
        [q(f"select_one {g}_pain", f"{g}_pain", "Hur ont har du?", "How much pain?"),
         note(f"{g}_pain_visit", "Boka besök.", "Book a visit.", f"${{{g}_pain}} = 'high'")],
        [q("decimal", f"{g}_weight", "Vikt", "Weight", constraint=". >= 0 and . <= 500")],
        [q(f"select_multiple {g}_symptoms", f"{g}_symptoms", "Symtom", "Symptoms",
           constraint="not(selected(., 'none') and count-selected(.) > 1)")],
        [q("text", f"{g}_note", "Beskriv", "Describe", required="no", constraint="string-length(.) <= 500")],
        [q("select_one yes_no", f"{g}_smoker", "Röker du?", "Do you smoke?")],
        [q("integer", f"{g}_height", "Längd", "Height", constraint=". >= 40 and . <= 250")],
        [q("date", f"{g}_since", "Sedan när?", "Since when?",
           constraint=". >= date(decimal-date-time(today()) - 365) and . <= today()")],
        [q("acknowledge", f"{g}_consent", "Jag har läst villkoren.", "I have read the terms.")],
        [{"type": "calculate", "name": f"{g}_score", "calculation": score},
         note(f"{g}_score_visit", "Boka besök.", "Book a visit.", f"${{{g}_score}} >= 3")],
    ]


def group_choices(g: str) -> list[dict]:
    rows = [("pain", "low", "Lite", "A little"), ("pain", "high", "Mycket", "A lot"),
            ("symptoms", "cough", "Hosta", "Cough"), ("symptoms", "fever", "Feber", "Fever"),
            ("symptoms", "none", "Inget", "None")]
    return [{"list_name": f"{g}_{lst}", "name": n, SV: sv, EN: en} for lst, n, sv, en in rows]


def xlsform_sheets(n_questions: int, form_id: str) -> dict[str, list[dict]]:
    """The XLSForm equivalent of `generate_flow(n_questions)`: sheet name -> rows."""
    survey = [{"type": "calculate", "name": "citizen_age", "calculation": "0"}]
    choices = [{"list_name": "yes_no", "name": "yes", SV: "Ja", EN: "Yes"},
               {"list_name": "yes_no", "name": "no", SV: "Nej", EN: "No"}]
    emitted, group = 0, 0
    while emitted < n_questions:
        g = f"g{group}"
        blocks = group_blocks(g, group)
        for rows in blocks[:10][: n_questions - emitted]:
            survey.extend(rows)
            emitted += 1
        if emitted % 10 == 0:
            survey.extend(blocks[10])
        choices.extend(group_choices(g))
        group += 1
    survey.append({"type": "note", "name": "end_advice", SV: "Egenvård.", EN: "Self-care."})
    settings = [{"form_title": "Genererat formulär", "form_id": form_id, "version": "1",
                 "default_language": "Svenska (sv)"}]
    return {"survey": survey, "choices": choices, "settings": settings}


COLUMNS = {"survey": SURVEY_COLUMNS, "choices": CHOICE_COLUMNS, "settings": SETTINGS_COLUMNS}


def write_xlsx(sheets: dict[str, list[dict]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(COLUMNS[name]))
        for row in rows:
            sheet.append([row.get(c) for c in COLUMNS[name]])
    book.save(path)


def write_csv(sheets: dict[str, list[dict]], path: Path) -> None:
    """The same sheets as one XLSForm CSV: a row naming each sheet, then its header and rows, one
    column to the right (pyxform's CSV format; often faster for it than .xlsx)."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for name, rows in sheets.items():
            columns = COLUMNS[name]
            writer.writerow([name] + [""] * len(columns))
            writer.writerow([""] + list(columns))
            for row in rows:
                writer.writerow([""] + ["" if row.get(c) is None else str(row.get(c)) for c in columns])


def as_pyxform_dict(sheets: dict[str, list[dict]], form_name: str) -> dict:
    """The rows as pyxform's `convert` accepts them without a spreadsheet (what it reads from one)."""
    out: dict = {"sheet_names": list(sheets), "fallback_form_name": form_name}
    for name, rows in sheets.items():
        out[name] = rows
        out[f"{name}_header"] = [{c: None for c in COLUMNS[name]}]
    return out


def load_pyxform(install: bool, report: Report):
    try:
        from pyxform.xls2xform import convert
    except ImportError:
        if not install:
            report.pyxform_skipped = "pyxform is not installed; run with --install-pyxform to compare"
            print(report.pyxform_skipped)
            return None
        print("installing pyxform into", sys.executable, flush=True)
        lark_before = importlib.metadata.version("lark")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pyxform"], check=True)
        importlib.invalidate_caches()
        if importlib.metadata.version("lark") != lark_before:  # pyxform pins lark exactly
            print(f"warning: installing pyxform changed lark {lark_before} -> {importlib.metadata.version('lark')};"
                  " formflow's CLI now runs on that version", file=sys.stderr)
        from pyxform.xls2xform import convert
    report.pyxform_version = importlib.metadata.version("pyxform")
    return convert


def measure_pyxform(convert, row: SizeResult, folder: Path) -> None:
    name = f"generated_{row.size}"
    sheets = xlsform_sheets(row.size, name)
    path, csv_path = folder / f"{name}.xlsx", folder / f"{name}.csv"
    write_xlsx(sheets, path)
    write_csv(sheets, csv_path)
    data, csv_data = path.read_bytes(), csv_path.read_bytes()
    as_dict = as_pyxform_dict(sheets, name)
    from_xlsx = convert(data, file_type=".xlsx", form_name=name)
    from_csv = convert(csv_data, file_type=".csv", form_name=name)
    from_dict = convert(copy.deepcopy(as_dict), form_name=name)
    if not from_xlsx.xform == from_dict.xform == from_csv.xform:
        raise BenchmarkError(f"pyxform gave different XForms for the .xlsx, .csv and dict of size {row.size}")
    row.xform_bytes, row.pyxform_warnings = len(from_xlsx.xform.encode()), len(from_xlsx.warnings)
    warmup = warmups_for(row.size)
    row.pyxform_xlsx_s = best_seconds(lambda _: convert(data, file_type=".xlsx", form_name=name), row.repeats, warmup=warmup)
    row.pyxform_csv_s = best_seconds(lambda _: convert(csv_data, file_type=".csv", form_name=name), row.repeats,
                                     warmup=warmup)
    row.pyxform_s = min(row.pyxform_xlsx_s, row.pyxform_csv_s)  # pyxform's faster input path is the reference
    row.pyxform_dict_s = best_seconds(lambda d: convert(d, form_name=name), row.repeats,
                                      setup=lambda: copy.deepcopy(as_dict), warmup=warmup)


# --- report ------------------------------------------------------------------------------------

def scaling(prev_n: int, prev_s: float | None, n: int, s: float | None) -> float | None:
    """Time ratio over size ratio between two sizes: 1.0 is linear, above it is worse."""
    if not prev_s or not s:
        return None
    return (s / prev_s) / (n / prev_n)


def steps(report: Report, attr: str) -> list[tuple[int, int, float | None]]:
    rows = report.sizes
    return [(a.size, b.size, scaling(a.size, getattr(a, attr), b.size, getattr(b, attr)))
            for a, b in zip(rows, rows[1:])]


def evaluate_targets(report: Report) -> list[dict]:
    by_size = {r.size: r for r in report.sizes}
    targets = []
    row = by_size.get(TARGET_RATIO_SIZE)
    ratio = row.pyxform_s / row.formflow_s if row and row.pyxform_s else None
    targets.append({"target": f"{TARGET_RATIO_SIZE:,} questions at least {TARGET_RATIO:.0f}x faster than pyxform",
                    "value": ratio, "detail": f"pyxform/formflow = {ratio:.1f}x" if ratio else "not measured",
                    "pass": None if ratio is None else ratio >= TARGET_RATIO})
    growth = [(a, b, f) for a, b, f in steps(report, "formflow_s") if f is not None]
    targets.append({"target": f"linear growth: each step costs at most {TARGET_STEP:.1f}x the size ratio in time",
                    "value": max((f for _, _, f in growth), default=None),
                    "detail": ", ".join(f"{a}->{b}: {f:.2f}" for a, b, f in growth) or "not measured",
                    "pass": None if not growth else all(f <= TARGET_STEP for _, _, f in growth)})
    region = next((c for c in report.cli if c.label.startswith("region ")), None)  # the median-sized one
    targets.append({"target": f"`formflow check` of a typical region flow under {TARGET_CLI_SECONDS} s wall",
                    "value": region.check_s if region else None,
                    "detail": f"{region.label[7:]}: {region.check_s:.3f} s" if region else "no region flow found",
                    "pass": None if region is None else region.check_s < TARGET_CLI_SECONDS})
    regions = [c for c in report.cli if c.label.startswith("region ")]
    slowest = max(regions, key=lambda c: c.check_s, default=None)
    targets.append({"target": f"`formflow check` of every measured region flow under {TARGET_CLI_SECONDS} s wall",
                    "value": slowest.check_s if slowest else None,
                    "detail": ", ".join(f"{c.label[7:]}: {c.check_s:.3f} s" for c in regions) or "no region flow found",
                    "pass": None if slowest is None else slowest.check_s < TARGET_CLI_SECONDS})
    targets.append({"target": f"peak memory of `formflow compile` under {TARGET_PEAK_MB} MiB at the largest size",
                    "value": report.peak_mb,
                    "detail": f"{report.peak_size:,} questions: {report.peak_mb:.0f} MiB" if report.peak_mb else "not measured",
                    "pass": None if report.peak_mb is None else report.peak_mb < TARGET_PEAK_MB})
    return targets


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def render_sizes(report: Report) -> list[str]:
    head = (f"{'questions':>9} | {'formflow ms':>11} | {'us/question':>11} | {'scaling':>7} | "
            f"{'pyxform ms':>10} | {'pyxform/formflow':>16} | {'pyxform scaling':>15} | {'pyxform dict ms':>15} | "
            f"{'xlsx ms':>9} | {'csv ms':>9}")
    lines = [head, "-" * len(head)]
    ff = [None] + [f for _, _, f in steps(report, "formflow_s")]
    px = [None] + [f for _, _, f in steps(report, "pyxform_s")]
    for row, f_scale, p_scale in zip(report.sizes, ff, px):
        ratio = row.pyxform_s / row.formflow_s if row.pyxform_s else None
        ms = lambda s: None if s is None else s * 1000  # noqa: E731
        lines.append(f"{row.size:>9,} | {row.formflow_s * 1000:>11.1f} | {row.formflow_s / row.size * 1e6:>11.1f} | "
                     f"{fmt(f_scale, '.2f'):>7} | {fmt(ms(row.pyxform_s), '.1f'):>10} | {fmt(ratio, '.1f'):>16} | "
                     f"{fmt(p_scale, '.2f'):>15} | {fmt(ms(row.pyxform_dict_s), '.1f'):>15} | "
                     f"{fmt(ms(row.pyxform_xlsx_s), '.1f'):>9} | {fmt(ms(row.pyxform_csv_s), '.1f'):>9}")
    return lines


def render_phases(report: Report) -> list[str]:
    head = f"{'questions':>9} | " + " | ".join(f"{p:>15}" for p in PHASES) + f" | {'sum':>15}"
    lines = ["formflow phases, ms (and scaling from the size above)", head, "-" * len(head)]
    prev = None
    for row in report.sizes:
        cells = []
        for name in (*PHASES, "sum"):
            s = sum(row.phases_s.values()) if name == "sum" else row.phases_s[name]
            p = None if prev is None else (sum(prev.phases_s.values()) if name == "sum" else prev.phases_s[name])
            f = scaling(prev.size, p, row.size, s) if prev else None
            cells.append(f"{s * 1000:9.1f} " + (f"x{f:4.2f}" if f is not None else "     "))
        lines.append(f"{row.size:>9,} | " + " | ".join(cells))
        prev = row
    return lines


def render_cli(report: Report) -> list[str]:
    head = (f"{'CLI wall time, fastest of ' + str(CLI_REPEATS) + ' (1 above 1,000 q.)':<44} | {'questions':>9} | {'check s':>7} | "
            f"{'compile s':>9} | {'in-process s':>12}")
    lines = [head, "-" * len(head)]
    for c in report.cli:
        lines.append(f"{c.label:<44} | {fmt(c.questions, ','):>9} | {fmt(c.check_s, '.3f'):>7} | "
                     f"{fmt(c.compile_s, '.3f'):>9} | {fmt(c.in_process_s, '.3f'):>12}")
    return lines


def render(report: Report, targets: list[dict]) -> str:
    px = f"pyxform {report.pyxform_version}" if report.pyxform_version else "pyxform skipped"
    lines = [f"formflow {formflow.__version__} compile scaling on Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs; {px}", ""]
    lines += render_sizes(report) + [""] + render_phases(report) + [""] + render_cli(report) + ["", "Targets"]
    for t in targets:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        lines.append(f"  {verdict}  {t['target']}: {t['detail']}")
    return "\n".join(lines)


def write_json(report: Report, targets: list[dict]) -> Path:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "environment": {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count(), "formflow": formflow.__version__,
                            "pyxform": report.pyxform_version},
            **asdict(report), "targets": targets}
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return RESULTS


# --- main --------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated question counts (default: %(default)s)")
    parser.add_argument("--install-pyxform", action="store_true",
                        help="pip-install pyxform into this interpreter if it is missing")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs positive question counts")
    return args


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    report = Report()
    convert = load_pyxform(args.install_pyxform, report)
    with tempfile.TemporaryDirectory(prefix="formflow-bench-") as tmp:
        folder = Path(tmp)
        paths = write_flows(args.sizes, folder)
        for n in args.sizes:
            progress(f"in-process, {n:,} questions ...")
            row = measure_formflow(n, paths[n])
            if convert is not None:
                measure_pyxform(convert, row, folder)
            report.sizes.append(row)
        progress("CLI wall times ...")
        measure_cli(report, paths, folder)
    targets = evaluate_targets(report)
    print(render(report, targets))
    print(f"\nresults written to {write_json(report, targets).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
