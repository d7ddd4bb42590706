"""Scenario files: the format `formflow test` reads, checked before anything runs.

A scenario file lives beside the flows of its region (`regions/<region>/scenarios/*.yaml`), names
one flow and holds one or more scenarios — a citizen, their answers and what must happen:

    flow: covid_vaccination            # regions/<region>/flows/covid_vaccination.flow
    scenarios:
      - name: an 80-year-old books      # unique in the file: the test's name in reports and JUnit
        description: ...                # optional, for the reader
        citizen: {personnummer: ..., region: "13", now: 2021-04-12T09:00}   # or citizen_file: path
        answers: {priority_groups: [no_priority_group], ...}                # optional when none asked
        expect: {outcome: book_vaccination, asked: [consent], ...}

This module reads the *shape* only (keys, kinds of values, names unique, exactly one citizen
source) and knows nothing of the flow; the expectations are typed against the compiled flow in
`expectations`, and the run is `testrun`. Reading the shape first means one misspelt key in one
scenario is reported at its place while the other scenarios of the file still run.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.inputs.yamlnode import YMap, YScalar, as_list, as_map, as_text, check_keys, head, load
from formflow.simulate.booking_expect import read_gate_input
from formflow.source import Source, Span

FILE_REQUIRED = ("flow", "scenarios")
FILE_OPTIONAL = ("description",)
SCENARIO_REQUIRED = ("name", "expect")
SCENARIO_OPTIONAL = ("description", "citizen", "citizen_file", "answers", "answers_file", "gate")
FLOW_ID = re.compile(r"[a-z][a-z0-9_]*")
SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario as written. `problems` non-empty: it cannot run (it is reported as an error)."""

    index: int
    name: str
    name_span: Span
    citizen: YMap | None  # inline citizen facts
    citizen_file: Path | None  # or a citizen file, resolved against the scenario file's folder
    answers: YMap
    expect: YMap | None
    problems: tuple[Diagnostic, ...] = ()
    answers_file: Path | None = None  # instead of `answers`: an answers file, resolved like citizen_file
    gate: object = None  # a booking_expect.GateInput: what the citizen does at the gate (code, slots)


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    display: str
    source: Source
    flow: str
    flow_span: Span
    flow_path: Path  # where the flow is looked for; may not exist (FF612 is reported by the run)
    scenarios: tuple[ScenarioSpec, ...]


def read_scenario_file(path: Path) -> tuple[ScenarioFile | None, list[Diagnostic]]:
    """A scenario file's shape: None when the file as a whole cannot be used (no flow, no list).

    Diagnostics name the file as `path` is written (give it as the user gave it)."""
    source, node, diags = load(path)
    if node is None:
        return None, diags
    return _file(path, source, node)


def _file(path: Path, source: Source, node) -> tuple[ScenarioFile | None, list[Diagnostic]]:
    top, d = as_map(node, source, field="a scenario file")
    if d:
        return None, [d]
    diags = check_keys(top, source, FILE_REQUIRED, FILE_OPTIONAL)
    if top.get("description") is not None:
        diags += [d for d in [as_text(top.get("description"), source, field="'description'")[1]] if d]
    flow, flow_span = _flow_id(top, source, diags)
    items = _scenario_items(top, source, diags)
    if flow is None or items is None:
        return None, diags
    specs = tuple(_scenario(i, item, source, path) for i, item in enumerate(items))
    specs = _unique_names(specs, source)
    return ScenarioFile(path, source.name, source, flow, flow_span, flow_path(path, flow), specs), diags


def _flow_id(top: YMap, source: Source, diags: list) -> tuple[str | None, Span | None]:
    node = top.get("flow")
    if node is None:
        return None, None
    text, d = as_text(node, source, field="'flow'")
    if d is None and not FLOW_ID.fullmatch(text):
        d = make("FF510", "expected a flow id for 'flow'", source, node.span, "not a flow id",
                 help="write the id of a flow of this region, such as covid_vaccination (the file "
                      "flows/covid_vaccination.flow)")
    if d:
        diags.append(d)
        return None, None
    return text, node.span


def _scenario_items(top: YMap, source: Source, diags: list) -> tuple | None:
    node = top.get("scenarios")
    if node is None:
        return None
    seq, d = as_list(node, source, field="'scenarios'")
    if d:
        diags.append(d)
        return None
    if not seq.items:
        diags.append(make("FF614", "the file has no scenarios", source, head(seq), "empty list",
                          help="add a scenario: `- name: ...` with citizen, answers and expect"))
        return None
    return seq.items


def flow_path(scenario_path: Path, flow: str) -> Path:
    """`flow: x` is `<region>/flows/x.flow`, the region being the folder that holds `scenarios/`."""
    folder = scenario_path.parent
    for parent in [folder, *folder.parents]:
        if (parent / "region.yaml").is_file():
            return parent / "flows" / f"{flow}.flow"
    region = folder.parent if folder.name == "scenarios" else folder
    return region / "flows" / f"{flow}.flow"


def _scenario(index: int, node, source: Source, path: Path) -> ScenarioSpec:
    fallback = ScenarioSpec(index, f"scenario {index + 1}", head(node), None, None, YMap((), head(node)), None)
    ymap, d = as_map(node, source, field="a scenario")
    if d:
        return _with(fallback, [d])
    problems = check_keys(ymap, source, SCENARIO_REQUIRED, SCENARIO_OPTIONAL)
    name, name_span = _name(ymap, source, problems, fallback)
    if ymap.get("description") is not None:
        _, d = as_text(ymap.get("description"), source, field="'description'")
        problems += [d] if d else []
    citizen, citizen_file = _citizen(ymap, source, path, problems)
    answers = _map_or_empty(ymap, "answers", source, problems)
    answers_file = _answers_file(ymap, source, path, problems)
    expect = _map_or_none(ymap, "expect", source, problems)
    gate = read_gate_input(ymap.get("gate"), source, path, problems)
    return ScenarioSpec(index, name, name_span, citizen, citizen_file, answers, expect, tuple(problems), answers_file,
                        gate)


def _with(spec: ScenarioSpec, problems: list[Diagnostic]) -> ScenarioSpec:
    return dataclasses.replace(spec, problems=tuple(spec.problems) + tuple(problems))


def _name(ymap: YMap, source: Source, problems: list, fallback: ScenarioSpec) -> tuple[str, Span]:
    node = ymap.get("name")
    if node is None:
        return fallback.name, fallback.name_span
    text, d = as_text(node, source, field="'name'")
    if d is None and not text.strip():
        d = make("FF510", "a scenario name cannot be empty", source, head(node), "empty",
                 help="name the story the scenario tells, such as 'an 80-year-old books'")
    if d:
        problems.append(d)
        return fallback.name, fallback.name_span
    return text.strip(), node.span


def _citizen(ymap: YMap, source: Source, path: Path, problems: list) -> tuple[YMap | None, Path | None]:
    inline, file_node = ymap.get("citizen"), ymap.get("citizen_file")
    if inline is not None and file_node is not None:
        problems.append(make("FF614", "a scenario has both 'citizen' and 'citizen_file'", source,
                             ymap.key_node("citizen_file").span, "second citizen",
                             secondary=(Label(ymap.key_node("citizen").span, "first citizen"),),
                             help="keep one: the facts inline under `citizen:`, or a file under `citizen_file:`"))
        return None, None
    if inline is None and file_node is None:
        problems.append(make("FF512", "missing key 'citizen'", source, head(ymap), "'citizen' is required here",
                             help="add `citizen:` with personnummer, region and now, or `citizen_file: <path>`"))
        return None, None
    if inline is not None:
        cmap, d = as_map(inline, source, field="'citizen'")
        problems += [d] if d else []
        return cmap, None
    text, d = as_text(file_node, source, field="'citizen_file'")
    if d:
        problems.append(d)
        return None, None
    return None, path.parent / text


def _answers_file(ymap: YMap, source: Source, path: Path, problems: list) -> Path | None:
    node = ymap.get("answers_file")
    if node is None:
        return None
    if ymap.get("answers") is not None:
        problems.append(make("FF614", "a scenario has both 'answers' and 'answers_file'", source,
                             ymap.key_node("answers_file").span, "second set of answers",
                             secondary=(Label(ymap.key_node("answers").span, "first set"),),
                             help="keep one: the answers inline under `answers:`, or a file under `answers_file:`"))
        return None
    text, d = as_text(node, source, field="'answers_file'")
    if d:
        problems.append(d)
        return None
    return path.parent / text


def _map_or_empty(ymap: YMap, key: str, source: Source, problems: list) -> YMap:
    node = ymap.get(key)
    if node is None or (isinstance(node, YScalar) and node.is_null):
        return YMap((), head(node) if node is not None else head(ymap))
    value, d = as_map(node, source, field=f"'{key}'")
    if d:
        problems.append(d)
        return YMap((), head(node))
    return value


def _map_or_none(ymap: YMap, key: str, source: Source, problems: list) -> YMap | None:
    node = ymap.get(key)
    if node is None:
        return None
    value, d = as_map(node, source, field=f"'{key}'")
    if d:
        problems.append(d)
    return value


def _unique_names(specs: tuple[ScenarioSpec, ...], source: Source) -> tuple[ScenarioSpec, ...]:
    """A second scenario with a name already used is an error at the second (JUnit names must differ)."""
    seen: dict[str, ScenarioSpec] = {}
    out = []
    for spec in specs:
        first = seen.get(spec.name)
        if first is not None:
            spec = _with(spec, [make("FF614", f"a second scenario is named '{spec.name}'", source, spec.name_span,
                                     "second time", secondary=(Label(first.name_span, "first time"),),
                                     help="give every scenario of a file its own name")])
        seen.setdefault(spec.name, spec)
        out.append(spec)
    return tuple(out)


def discover(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Scenario files under the paths: in folders named `scenarios`, or given by name. Sorted."""
    found: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    for given in paths:
        if given.is_dir():
            for p in sorted(given.rglob("*")):
                if p.suffix in SUFFIXES and p.parent.name == "scenarios" and p.is_file():
                    found.setdefault(p.resolve(), str(p))
        elif given.is_file():
            found.setdefault(given.resolve(), str(given))
        else:
            problems.append(make("FF901", f"{given}: no such file or folder", None, None,
                                 help="give scenario files, or folders such as regions/ or regions/halland"))
    if not found and not problems:
        shown = ", ".join(str(p) for p in paths) or "."
        problems.append(make("FF613", f"no scenario files in {shown}", None, None,
                             help="scenario files are .yaml files in a folder named scenarios, such as "
                                  "regions/halland/scenarios/covid_vaccination.yaml"))
    return sorted(found.items(), key=lambda x: x[1]), problems

