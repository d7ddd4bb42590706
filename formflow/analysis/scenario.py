"""A witness or counterexample as files a person can run: a scenario, a citizen, an answers file.

`formflow prove --out-dir DIR` writes, for every property whose example is scenario-grade (a
Skatteverket test personnummer, `now` at noon, answers that read back exactly — `witness.py`):

    DIR/<flow>_<property>.yaml            a scenario file `formflow test` runs
    DIR/citizens/<flow>_<property>.yaml   the citizen   } `formflow simulate FLOW --citizen C --answers A`
    DIR/answers/<flow>_<property>.yaml    the answers   }

The scenario names the citizen and answers files (`citizen_file`, `answers_file`), so the test and
the replay read the very same inputs. Its `expect` records what the compiled form did on the
example — the outcome, every question asked, the triggered outcomes — so the scenario passes
while the flow behaves as proved, and for a counterexample it pins the failing route: its
description names the assert that fails, and the expected outcome *is* the failure (say
`self_care_advice` after a red-flag answer). Fixing the flow makes that scenario fail, which is
the point where the author deletes it or turns it into the scenario the fix promises.

`formflow test` finds the flow through the `region.yaml` above the scenario file, so DIR should
lie inside the flow's region (for example `regions/skane/scenarios/`). Files are written
atomically, and only the personnummer of the example — a test number — appears in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from formflow.analysis.witness import Example
from formflow.fsio import write_atomic
from formflow.simulate import yamlout

_UNSAFE = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True)
class ScenarioFiles:
    """The three files of one example, as text, and the names they are written under."""

    stem: str
    scenario: str
    citizen: str
    answers: str

    def paths(self, out_dir: Path) -> tuple[Path, Path, Path]:
        name = f"{self.stem}.yaml"
        return out_dir / name, out_dir / "citizens" / name, out_dir / "answers" / name


def stem_of(flow_id: str, property_name: str) -> str:
    """A file name for a property: `symptom_assessment_assert_red_flags`, lower case, no spaces."""
    return f"{flow_id}_{_UNSAFE.sub('_', property_name.lower()).strip('_')}"


def render(flow_id: str, prop, example: Example) -> ScenarioFiles:
    """The scenario, citizen and answers file of `prop`'s scenario-grade `example`."""
    if example.citizen is None:
        raise ValueError("only a scenario-grade example (with a test personnummer) can be written")
    stem = stem_of(flow_id, prop.name)
    comment = _comment(flow_id, prop, stem)
    if getattr(example, "config", None) is not None:
        code = f" --code {yamlout.text(example.code)}" if example.code else ""
        comment = comment.replace("replay: formflow simulate", "replay: formflow gate evaluate") + code
    citizen = yamlout.citizen(example.citizen, comment) + _booking_section(example.citizen.booking)
    answers = yamlout.mapping(example.answers, comment)
    return ScenarioFiles(stem, _scenario(flow_id, prop, example, stem, comment), citizen, answers)


def write(out_dir: Path, files: ScenarioFiles) -> tuple[Path, Path, Path]:
    """Write the three files atomically (answers and citizen first: the scenario names them)."""
    scenario, citizen, answers = files.paths(out_dir)
    write_atomic(citizen, files.citizen.encode("utf-8"))
    write_atomic(answers, files.answers.encode("utf-8"))
    write_atomic(scenario, files.scenario.encode("utf-8"))
    return scenario, citizen, answers


def _comment(flow_id: str, prop, stem: str) -> str:
    return (f"formflow prove {flow_id}: {prop.role} for '{prop.name}' ({prop.verdict})\n{prop.claim}\n"
            f"replay: formflow simulate FLOW --citizen citizens/{stem}.yaml --answers answers/{stem}.yaml")


def _scenario(flow_id: str, prop, example: Example, stem: str, comment: str) -> str:
    walk = example.walk
    if prop.role == "counterexample":
        description = f"Counterexample: {prop.claim} -- fails on this route, which ends in '{walk.outcome}'."
    else:
        description = f"Witness: {prop.claim}."
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [f"flow: {flow_id}", "scenarios:",
              f"  - name: {yamlout.text(f'{prop.role}: {prop.name}')}",
              f"    description: {yamlout.text(description)}",
              f"    citizen_file: citizens/{stem}.yaml",
              f"    answers_file: answers/{stem}.yaml",
              "    expect:",
              f"      outcome: {yamlout.text(walk.outcome)}",
              f"      asked: {yamlout.value_text(list(walk.asked))}",
              f"      triggered: {yamlout.value_text(sorted(set(walk.triggered)))}"]
    decision = getattr(example, "decision", None)
    if decision is not None:  # a gate example: the code typed and the decision
        if example.code:
            lines[lines.index("    expect:"):lines.index("    expect:")] = \
                ["    gate:", f"      code: {yamlout.text(example.code)}"]
        lines += ["      booking:", f"        allowed: {'yes' if decision.allowed else 'no'}",
                  f"        route: {yamlout.text(decision.route) if decision.route else 'null'}"]
    return "\n".join(lines) + "\n"


def _booking_section(state) -> str:
    """The `booking:` section of a citizen file (inputs.booking_state) for what an example's
    invitation and booking systems hold; empty when they hold nothing."""
    lines = []
    codes = tuple((name, issued.code) for name, issued in state.invitation_codes)  # examples' codes never expire
    for key, pairs in (("invitation_codes", codes), ("open_invitations", state.open_invitations)):
        if pairs:
            lines.append(f"  {key}:")
            lines += [f"    {yamlout.text(name)}: {yamlout.text(value)}" for name, value in pairs]
    if state.allow_lists:
        lines.append(f"  allow_lists: {yamlout.value_text(list(state.allow_lists))}")
    return "booking:\n" + "\n".join(lines) + "\n" if lines else ""


def replay_gate(program, example, citizen_path: Path, answers_path: Path, assert_id: str | None = None) -> bool:
    """A gate example's files read as `formflow gate evaluate` reads them, walked and decided again
    by the gate evaluator: the same decision (allowed, the same route), the same entitlement, and
    for an assert's example whether the assert fails on it, as it did."""
    from formflow import api
    from formflow.booking.gate import evaluate
    from formflow.region.entitlement import entitled
    from formflow.simulate.asserts import compile_asserts, violations

    citizen, problems = api.load_citizen(citizen_path, None, None)
    if citizen is None or problems:
        return False
    result = api.simulate_file(program, citizen.facts(), answers_path)
    if result.walk is None or result.diagnostics or result.walk.outcome != example.walk.outcome:
        return False
    decision = None
    if example.decision is not None:
        decision = evaluate(example.config, program, result.walk, citizen, region=None, code=example.code)
        if decision.allowed != example.decision.allowed or decision.route != example.decision.route:
            return False
    if example.entitlement is not None and entitled(example.entitlement, citizen) != example.is_entitled:
        return False
    if assert_id is None:
        return True
    found = violations(program, compile_asserts(program.doc), result.walk, citizen.facts(), decision)
    return (assert_id in {v.assert_id for v in found}) == example.violated


@dataclass(frozen=True)
class Replay:
    """The written citizen and answers files walked again on the compiled form."""

    outcome: str | None
    violated: tuple[str, ...]  # ids of the asserts the walk breaks
    problems: tuple  # diagnostics of reading the files (none when they round-trip)


def replay(program, citizen_path: Path, answers_path: Path) -> Replay:
    """Read the files as `formflow simulate --citizen C --answers A` does and walk them with the
    asserts checked — the round trip `prove` confirms for every file it writes. (While an assert
    is violated `formflow check` refuses the flow, so `test`/`simulate` refuse it too; this walks
    the form `prove` analysed.)"""
    from formflow import api
    from formflow.simulate.asserts import compile_asserts, violations

    facts, problems = api.load_facts(citizen_path, None, None)
    if facts is None:
        return Replay(None, (), tuple(problems))
    result = api.simulate_file(program, facts, answers_path)
    if result.walk is None or result.diagnostics:
        return Replay(None, (), tuple(result.diagnostics))
    found = violations(program, compile_asserts(program.doc), result.walk, facts)
    return Replay(result.walk.outcome, tuple(v.assert_id for v in found), ())
