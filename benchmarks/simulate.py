"""How fast formflow walks a compiled form, side by side with a bare interpreter of the same routing.

What it measures, in one run:

* formflow: scripted walk-throughs per second in-process — `formflow.simulate.walk.walk(program,
  facts, answers)` with pre-typed answers (what an answers file holds after parsing: only the
  answers on the route), on generated flows of 100 and 1,000 questions with branching
  (`generate_flow(n, branching=True)`: a follow-up and a red flag per group of ten, an
  `if / else if / else` with a question in each branch, triggers, a derived score per group).
  Every walk records its full trace, checks every answer against the route and catches faults.
* the baseline: `Baseline` below, a plain interpreter written for this benchmark that walks the
  form.json dicts directly on every run — no compilation, no trace, no validation, no fault
  handling, a dict dispatch per expression node. It is the least work a walk-through of the
  artifact can do in Python; formflow must stay within 2x of it while doing more.
* explore: `formflow.simulate.explore.explore` on the same flows and on the region flows,
  walks per second including making up the random citizens and answers.

The answers: a deterministic typical citizen per walk (`typical_answers`) — yes/no at even odds,
day counts mostly small (a red flag in about one group in a hundred), weights and heights in
human ranges — walked once, and only the answers the route used kept, like an answers file.
Both interpreters walk the same answer sets with the same facts, and must give the same outcome
and stop at the same question for every set (checked before timing).

Timing: formflow and the baseline take turns over REPEATS rounds of walking every answer set, so
that a busy machine slows both alike. It prints the median and the best round, and PASS/FAIL
against the targets: formflow at least 0.5x the baseline's throughput (ratio of the medians), and
at least 10,000 walks/s on the 100-question flow (the best round: what the machine does when no
other process interferes, as `timeit` advises; the median is shown beside it). Results go to
benchmarks/results/simulate.json (git-ignored). Run from the repository root:

    python benchmarks/simulate.py [--sizes 100,1000] [--walks 200]

A benchmark script, not a timed test: it always exits 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

import orjson  # noqa: E402
from generate import generate_flow  # noqa: E402

import formflow  # noqa: E402
from formflow import api  # noqa: E402
from formflow.inputs.citizen import Facts  # noqa: E402
from formflow.simulate.explore import explore  # noqa: E402
from formflow.simulate.program import Program, load_program  # noqa: E402
from formflow.simulate.values import DECIMAL  # noqa: E402
from formflow.simulate.walk import walk  # noqa: E402

DEFAULT_SIZES = (100, 1000)
DEFAULT_WALKS = 200  # answer sets per size; each timing walks all of them
REPEATS = 9
EXPLORE_WALKS = {100: 3000, 1000: 500}
EXPLORE_ROUNDS = 3
TARGET_RATIO = 0.5  # formflow throughput / baseline throughput
TARGET_WALKS_100 = 10_000
RESULTS = HERE / "results" / "simulate.json"
TODAY = dt.date(2024, 3, 1)


class BenchmarkError(RuntimeError):
    pass


# --- the baseline ------------------------------------------------------------------------------

MISSING = object()


class Baseline:
    """A plain interpreter of a form.json's routing (reference section 8) over the dicts themselves.

    `walk` returns (outcome, pending): the outcome when an `end` was reached (the most urgent of it
    and the triggered ones, a tie to the `end`), or the first question on the route without an
    answer. No trace, no checks, no fault handling: the least work a walk-through can do.
    """

    def __init__(self, doc: dict):
        self.routing = doc["routing"]
        self.lets = {d["id"]: d["expr"] for d in doc["derived"]}
        self.questions = {q["id"]: q for q in doc["questions"]}
        levels = doc["urgency_levels"]
        self.rank = {o["id"]: levels.index(o["urgency"]) for o in doc["outcomes"]}

    def walk(self, facts, answers: dict):
        run = _Run(self, facts, answers)
        run.block(self.routing)
        if run.end is None:
            return None, run.pending
        best = run.end
        for outcome in run.triggered:
            if self.rank[outcome] < self.rank[best]:
                best = outcome
        return best, None


class _Run:
    def __init__(self, form: Baseline, facts, given: dict):
        self.form, self.facts, self.given = form, facts, given
        self.answers, self.values, self.triggered = {}, {}, []
        self.end = self.pending = None

    def block(self, statements) -> bool:
        for s in statements:
            do = s["do"]
            if do == "ask":
                if self.ask(s["question"]):
                    return True
            elif do == "if":
                if self.branch(s):
                    return True
            elif do == "compute":
                self.values[s["value"]] = ev(self.form.lets[s["value"]], self)
            elif do == "page":
                if self.block(s["body"]):
                    return True
            elif do == "trigger":
                self.triggered.append(s["outcome"])
            elif do == "end":
                self.end = s["outcome"]
                return True
        return False

    def ask(self, qid: str) -> bool:
        q = self.form.questions[qid]
        if q["type"] == "info":
            return False
        value = self.given.get(qid, MISSING)
        if value is MISSING:
            if q["required"]:
                self.pending = qid
                return True
            return False
        self.answers[qid] = value
        return False

    def branch(self, s) -> bool:
        for b in s["branches"]:
            if ev(b["when"], self):
                return self.block(b["then"])
        return self.block(s["else"]) if "else" in s else False


def ev(node, run: _Run):
    return _OPS[node["op"]](node, run)


def _literal(node, run):
    kind = node["type"]
    if kind == "int":
        return int(node["value"])
    if kind == "decimal":
        return Decimal(node["value"])
    if kind == "date":
        return dt.date.fromisoformat(node["value"])
    return node["value"]


def _fact(node, run):
    name = node["name"]
    if name == "has_invitation":
        return run.facts.has_invitation(ev(node["args"][0], run))
    return getattr(run.facts, name)


def _call(node, run):
    name, args = node["function"], node["args"]
    if name == "answered":
        return args[0]["question"] in run.answers
    if name == "count":
        return sum(1 for a in args if ev(a, run))
    values = [ev(a, run) for a in args]
    if name in ("min", "max"):
        return min(values) if name == "min" else max(values)
    if name == "abs":
        return abs(values[0])
    raise NotImplementedError(f"the baseline does not evaluate {name}()")  # not in the generated flows


def _divide(node, run):
    a, b = (ev(x, run) for x in node["args"])
    return DECIMAL.divide(Decimal(a), Decimal(b))


def _binary(fn):
    return lambda node, run: fn(ev(node["args"][0], run), ev(node["args"][1], run))


def _test(node, run):
    value, codes, op = ev(node["subject"], run), node["codes"], node["op"]
    if node["subject"]["type"] == "bool":
        codes = [c == "yes" for c in codes]
    if op == "is":
        return value == codes[0]
    if op == "is_not":
        return value != codes[0]
    if op == "in":
        return value in codes
    if op == "has":
        return codes[0] in value
    if op == "has_any":
        return any(c in value for c in codes)
    return all(c in value for c in codes)


_OPS = {
    "literal": _literal, "today": lambda node, run: run.facts.today,
    "answer": lambda node, run: run.answers[node["question"]],
    "value": lambda node, run: run.values[node["name"]], "fact": _fact, "call": _call,
    "and": lambda node, run: all(ev(a, run) for a in node["args"]),
    "or": lambda node, run: any(ev(a, run) for a in node["args"]),
    "not": lambda node, run: not ev(node["args"][0], run),
    "neg": lambda node, run: -ev(node["args"][0], run), "pos": lambda node, run: ev(node["args"][0], run),
    "==": _binary(lambda a, b: a == b), "!=": _binary(lambda a, b: a != b), "<": _binary(lambda a, b: a < b),
    "<=": _binary(lambda a, b: a <= b), ">": _binary(lambda a, b: a > b), ">=": _binary(lambda a, b: a >= b),
    "+": _binary(lambda a, b: a + b), "-": _binary(lambda a, b: a - b), "*": _binary(lambda a, b: a * b),
    "/": _divide, **{op: _test for op in ("is", "is_not", "in", "has", "has_any", "has_all")},
}


# --- flows, facts, answers ---------------------------------------------------------------------

def compile_program(name: str, text: str) -> Program:
    result = api.compile_result(api.check_source(f"{name}.flow", text.encode("utf-8")))
    if not result.ok:
        problems = "; ".join(f"{d.code} {d.message}" for d in result.diagnostics[:5])
        raise BenchmarkError(f"{name} did not compile: {problems}")
    return load_program(orjson.loads(result.artifacts[0].data))


def typical_facts(rng: random.Random) -> Facts:
    born = TODAY - dt.timedelta(days=rng.randint(18 * 365, 90 * 365))
    return Facts(born, "13", False, frozenset(), TODAY)


def typical_answer(q: dict, rng: random.Random):
    """What a typical citizen answers (generated flows only: the question ids say what is asked)."""
    kind, qid = q["type"], q["id"]
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind == "acknowledge":
        return True
    if kind == "single":
        return rng.choice(q["options"])["code"]
    if kind == "multiple":
        if rng.random() < 0.2:
            return frozenset(["none"])
        return frozenset(rng.sample(["cough", "fever"], rng.randint(1, 2)))
    if kind == "integer":
        if qid.endswith("_days"):
            return rng.randint(301, 365) if rng.random() < 0.01 else rng.randint(0, 30)
        return rng.randint(150, 200)  # height, cm
    if kind == "decimal":
        return Decimal(rng.randint(450, 1200)).scaleb(-1)  # weight, kg
    if kind == "date":
        return TODAY - dt.timedelta(days=rng.randint(0, 365))
    if kind == "text":
        return "Ont i halsen sedan i går."
    raise BenchmarkError(f"no typical answer for a {kind} question")


def answer_sets(program: Program, walks: int, seed: int) -> list[tuple[Facts, dict]]:
    """(facts, answers) per walk: answers to every question, walked once, then only those used."""
    rng = random.Random(seed)
    sets = []
    for _ in range(walks):
        facts = typical_facts(rng)
        given = {qid: typical_answer(q, rng) for qid, q in program.questions.items() if q["type"] != "info"}
        used = walk(program, facts, given).answers
        sets.append((facts, dict(used)))
    return sets


def check_agreement(program: Program, baseline: Baseline, sets) -> dict:
    """Both interpreters must agree on every set; returns the outcome counts and the mean route length."""
    outcomes: dict[str, int] = {}
    asked = 0
    for facts, answers in sets:
        mine = walk(program, facts, answers)
        theirs = baseline.walk(facts, answers)
        if (mine.outcome, mine.pending) != theirs or mine.fault is not None:
            raise BenchmarkError(f"formflow and the baseline disagree: {(mine.outcome, mine.pending)} != {theirs}")
        outcomes[mine.outcome] = outcomes.get(mine.outcome, 0) + 1
        asked += len(mine.asked)
    return {"outcomes": outcomes, "mean_questions_asked": asked / len(sets)}


# --- timing ------------------------------------------------------------------------------------

def walks_per_second(runs: dict, walks: int) -> dict:
    """Throughput of each `runs` entry (name -> walk all sets): (median, best) over REPEATS after a
    warm-up. The entries take turns, so that a busy machine slows them alike and their ratio stays
    meaningful; the best run is what the machine does without interference (as `timeit` advises)."""
    times: dict = {name: [] for name in runs}
    for run_all in runs.values():
        run_all()
    for _ in range(REPEATS):
        for name, run_all in runs.items():
            gc.collect()
            start = time.perf_counter()
            run_all()
            times[name].append(time.perf_counter() - start)
    return {name: (walks / statistics.median(t), walks / min(t)) for name, t in times.items()}


@dataclass
class Row:
    label: str
    questions: int
    walks: int
    mean_asked: float | None = None
    formflow_walks_s: float | None = None  # median
    baseline_walks_s: float | None = None
    formflow_best_s: float | None = None  # the best of REPEATS
    baseline_best_s: float | None = None
    explore_walks_s: float | None = None
    explore_walks: int | None = None
    explore_problems: int | None = None
    outcomes: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.formflow_walks_s and self.baseline_walks_s:
            return self.formflow_walks_s / self.baseline_walks_s
        return None


def measure_generated(n: int, walks: int) -> Row:
    program = compile_program(f"generated_{n}", generate_flow(n, f"generated_{n}", branching=True))
    baseline = Baseline(program.doc)
    sets = answer_sets(program, walks, seed=n)
    agreement = check_agreement(program, baseline, sets)
    row = Row(f"generated, {n:,} questions", n, walks, agreement["mean_questions_asked"],
              outcomes=agreement["outcomes"])
    speed = walks_per_second({"formflow": lambda: [walk(program, f, a) for f, a in sets],
                              "baseline": lambda: [baseline.walk(f, a) for f, a in sets]}, walks)
    (row.formflow_walks_s, row.formflow_best_s), (row.baseline_walks_s, row.baseline_best_s) = (
        speed["formflow"], speed["baseline"])
    measure_explore(row, program, EXPLORE_WALKS.get(n, 500))
    return row


def measure_explore(row: Row, program: Program, walks: int, region: str | None = None) -> None:
    """explore's own walks/s (generation included), the best of EXPLORE_ROUNDS runs of the same seed."""
    explore(program, min(walks, 100), seed=0, region=region)  # warm-up
    runs = [explore(program, walks, seed=1, region=region) for _ in range(EXPLORE_ROUNDS)]
    result = max(runs, key=lambda r: r.walks_per_second)
    row.explore_walks_s, row.explore_walks, row.explore_problems = result.walks_per_second, walks, len(result.problems)
    if not row.outcomes:
        row.outcomes = result.outcomes


def measure_regions() -> list[Row]:
    rows = []
    for path in sorted(REPO.glob("regions/*/flows/*.flow")):
        program, _ = api.load_program(path)
        if program is None:
            raise BenchmarkError(f"{path} does not compile")
        code = _region_code(path)
        row = Row(f"region {path.parent.parent.name}/{path.name}", len(program.questions), 0)
        measure_explore(row, program, 3000, code)
        rows.append(row)
    return rows


def _region_code(path: Path) -> str | None:
    config = path.parent.parent / "region.yaml"
    for line in config.read_text(encoding="utf-8").splitlines() if config.is_file() else ():
        if line.startswith("code:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    return None


# --- report ------------------------------------------------------------------------------------

def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def evaluate_targets(rows: list[Row]) -> list[dict]:
    generated = [r for r in rows if r.baseline_walks_s]
    worst = min(generated, key=lambda r: r.ratio, default=None)
    targets = [{"target": f"formflow at least {TARGET_RATIO}x the baseline's walks/s on every generated flow",
                "value": worst.ratio if worst else None,
                "detail": ", ".join(f"{r.questions:,}: {r.ratio:.2f}x" for r in generated) or "not measured",
                "pass": None if worst is None else all(r.ratio >= TARGET_RATIO for r in generated)}]
    hundred = next((r for r in generated if r.questions == 100), None)
    targets.append({"target": f"at least {TARGET_WALKS_100:,} scripted walks/s on the 100-question flow (best run)",
                    "value": hundred.formflow_best_s if hundred else None,
                    "detail": (f"best {hundred.formflow_best_s:,.0f}, median {hundred.formflow_walks_s:,.0f} walks/s"
                               if hundred else "not measured"),
                    "pass": None if hundred is None else hundred.formflow_best_s >= TARGET_WALKS_100})
    return targets


def render(rows: list[Row], targets: list[dict]) -> str:
    head = (f"{'flow':<44} | {'asked':>6} | {'formflow walks/s':>17} | {'baseline walks/s':>17} | "
            f"{'ratio':>5} | {'explore walks/s':>15} | {'problems':>8}")
    lines = [f"formflow {formflow.__version__} simulation speed on Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs", "", head, "-" * len(head)]
    for r in rows:
        mine, theirs = _pair(r.formflow_walks_s, r.formflow_best_s), _pair(r.baseline_walks_s, r.baseline_best_s)
        lines.append(f"{r.label:<44} | {fmt(r.mean_asked, '.1f'):>6} | {mine:>17} | {theirs:>17} | "
                     f"{fmt(r.ratio, '.2f'):>5} | "
                     f"{fmt(r.explore_walks_s, ',.0f'):>15} | {fmt(r.explore_problems, 'd'):>8}")
    lines += ["", "walks/s: median (best) of the repeats; ratio: of the medians, formflow / baseline.",
              "asked: mean questions asked per scripted walk.",
              f"explore: best of {EXPLORE_ROUNDS} runs, making up citizens and answers included (its walks are",
              "shorter on the generated flows: answers on the bounds trigger the red flag `days > 300` often).",
              "", "Targets"]
    for t in targets:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        lines.append(f"  {verdict}  {t['target']}: {t['detail']}")
    return "\n".join(lines)


def _pair(median, best) -> str:
    return "-" if median is None else f"{median:,.0f} ({best:,.0f})"


def write_json(rows: list[Row], targets: list[dict]) -> Path:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "environment": {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count(), "formflow": formflow.__version__},
            "rows": [{**asdict(r), "ratio": r.ratio} for r in rows], "targets": targets}
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return RESULTS


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated question counts (default: %(default)s)")
    parser.add_argument("--walks", type=int, default=DEFAULT_WALKS, help="answer sets per size (default: %(default)s)")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not args.sizes or min(args.sizes) < 1 or args.walks < 1:
        parser.error("--sizes and --walks need positive numbers")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    rows = []
    for n in args.sizes:
        print(f"{n:,} questions ...", file=sys.stderr, flush=True)
        rows.append(measure_generated(n, args.walks))
    print("region flows (explore) ...", file=sys.stderr, flush=True)
    rows += measure_regions()
    targets = evaluate_targets(rows)
    print(render(rows, targets))
    print(f"\nresults written to {write_json(rows, targets).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
