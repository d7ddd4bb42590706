"""How the path analysis scales: flows with 50 to 800 independent branches, nested chains, and long sequences.

    python benchmarks/analysis.py                 # sizes 50-800; check and prove; sequential 250-2,000
    python benchmarks/analysis.py --sizes 50,100 --sequential "" --repeat 1

Three shapes of flow, each with `n` branch conditions (`n` independent yes/no follow-ups have 2^n
routes, so nothing here can be enumerated):

* `independent`: n yes/no questions, each with an integer follow-up in its `if` block; a follow-up
  of 10 is a red flag that ends the flow at once, 8 or more triggers a visit; one assert per ten
  questions ("a red flag always ends in call_112"). Every `end` adds to the path condition of
  everything after it.
* `nested`: the same questions as chains of ten nested `if`s (a follow-up is asked only when every
  earlier question of its chain was answered yes), so path conditions grow with depth too.
* `else_if`: n/10 integer answers, each tested by an `if / else if` chain of ten thresholds
  (`score >= 90 ... else if score >= 10`), the shape of a scoring rule; asserts on the chains.
* `sequential` (check only): n yes/no questions, each `if qi { end call_112 }`, so every point's
  path condition holds every earlier answer; target: 2,000 of them analysed in at most 1 s.

For each flow: the analysis as `formflow check` runs it (diagnostics only) and as `formflow prove`
runs it (every property with a scenario-grade witness or counterexample), the fastest of
`--repeat` runs (on a shared machine the minimum is the least noisy), the solver queries, and the
growth from one size to the next ("scaling": time ratio divided by size ratio; 1.0 is linear,
2.0 quadratic). Targets: the 200-branch flows fully analysed
(prove) in at most 2 s; growth polynomial (each doubling at most ~4.5x, i.e. no worse than
quadratic with slack), never exponential. Writes `benchmarks/results/analysis.json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


HEAD = ['  languages sv',
        '  outcome call_112: emergency "Ring 112."',
        '  outcome visit: visit "Boka besök." urgency same_day',
        '  outcome advice: self_care "Egenvård."']
TARGET_SECONDS = 2.0
MAX_DOUBLING = 4.5


def independent(n: int) -> str:
    lines = [f'flow independent_{n} "Oberoende frågor" {{', *HEAD]
    for i in range(n):
        lines += [f'  question q{i}: yes_no "Fråga {i}?"',
                  f'  if q{i} {{',
                  f'    question f{i}: integer "Hur mycket ({i})?" min 0 max 10',
                  f'    if f{i} == 10 {{ end call_112 }}',
                  f'    if f{i} >= 8 {{ trigger visit }}',
                  '  }']
    lines += _asserts(range(0, n, 10))
    lines += ["  end advice", "}"]
    return "\n".join(lines) + "\n"


def nested(n: int) -> str:
    lines = [f'flow nested_{n} "Nästlade frågor" {{', *HEAD]
    for chain in range(0, n, 10):
        depth = 0
        for i in range(chain, min(chain + 10, n)):
            pad = "  " * (depth + 1)
            lines += [f'{pad}question q{i}: yes_no "Fråga {i}?"', f'{pad}if q{i} {{',
                      f'{pad}  question f{i}: integer "Hur mycket ({i})?" min 0 max 10',
                      f'{pad}  if f{i} == 10 {{ end call_112 }}',
                      f'{pad}  if f{i} >= 8 {{ trigger visit }}']
            depth += 1
        for d in range(depth, 0, -1):
            lines.append("  " * d + "}")
    lines += _asserts(range(0, n, 10))
    lines += ["  end advice", "}"]
    return "\n".join(lines) + "\n"


def else_if(n: int) -> str:
    lines = [f'flow else_if_{n} "Poängtrappor" {{', *HEAD]
    chains = max(n // 10, 1)
    for s in range(chains):
        lines.append(f'  question score{s}: integer "Poäng {s}?" min 0 max 100')
        lines.append(f"  if score{s} >= 90 {{ end call_112 }}")
        lines += [f"  else if score{s} >= {t} {{ trigger visit }}" for t in range(80, 0, -10)]
    lines += [f"  assert red{s}: if score{s} >= 90 then outcome is call_112" for s in range(chains)]
    lines += ["  end advice", "}"]
    return "\n".join(lines) + "\n"


def sequential(n: int) -> str:
    """n yes/no questions one after another, each ending the flow when answered yes: every point's
    path condition has all the earlier answers in it (the shape that made the analyser n²)."""
    lines = [f'flow sequential_{n} "Frågor i följd" {{', *HEAD]
    for i in range(n):
        lines += [f'  question q{i}: yes_no "Fråga {i}?"', f"  if q{i} {{ end call_112 }}"]
    lines += ["  end advice", "}"]
    return "\n".join(lines) + "\n"


def _asserts(indices) -> list[str]:
    return [f"  assert red{i}: if answered(f{i}) and f{i} == 10 then outcome is call_112" for i in indices]


SHAPES = {"independent": independent, "nested": nested, "else_if": else_if}
SEQUENTIAL_SIZES = (250, 500, 1000, 2000)
TARGET_SEQUENTIAL = (2000, 1.0)  # 2,000 sequential questions with ends: `check`'s analysis in at most 1 s


def analyse(text: str, name: str, prove: bool) -> tuple[float, object]:
    from formflow.analysis import analyse as run
    from formflow.syntax.parse import parse_bytes
    from formflow.check import check_flow
    from formflow.ir.lower import lower

    parsed = parse_bytes(name, text.encode("utf-8"))
    checked = check_flow(parsed.source, parsed.flow)
    assert checked.ok, [d.message for d in checked.diagnostics]
    flow = lower(checked.context)
    start = time.perf_counter()
    result = run(flow, parsed.source, prove=prove)
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,400,800")
    parser.add_argument("--sequential", default=",".join(map(str, SEQUENTIAL_SIZES)),
                        help="sizes of the sequential flow (check only); empty to skip")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the fastest counts (min of N)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = [(shape, make, mode, sizes) for shape, make in SHAPES.items() for mode in ("check", "prove")]
    if args.sequential:
        cases.append(("sequential", sequential, "check", [int(s) for s in args.sequential.split(",")]))
    rows, ok = [], True
    print(f"{'flow':<18}{'mode':<7}{'seconds':>9}{'queries':>9}{'properties':>12}{'scaling':>9}")
    for shape, make, mode, ns in cases:
        previous = None
        for n in ns:
            text = make(n)
            runs = [analyse(text, f"{shape}_{n}.flow", mode == "prove") for _ in range(args.repeat)]
            seconds = min(r[0] for r in runs)
            result = runs[0][1]
            assert not [d for d in result.diagnostics if d.is_error], [d.message for d in result.diagnostics]
            scaling = "" if previous is None else f"{(seconds / previous[1]) / (n / previous[0]):.2f}"
            if previous is not None and seconds / previous[1] > MAX_DOUBLING * (n / previous[0]) / 2:
                ok = False
            if mode == "prove" and n == 200 and seconds > TARGET_SECONDS:
                ok = False
            if shape == "sequential" and n == TARGET_SEQUENTIAL[0] and seconds > TARGET_SEQUENTIAL[1]:
                ok = False
            undecided = sum(1 for p in result.properties if p.verdict == "undecided")
            print(f"{shape + '_' + str(n):<18}{mode:<7}{seconds:>9.3f}{result.queries:>9}"
                  f"{len(result.properties) or '-':>12}{scaling:>9}" + (f"  ({undecided} undecided)" if undecided else ""),
                  flush=True)
            rows.append({"shape": shape, "n": n, "mode": mode, "seconds": seconds, "queries": result.queries,
                         "properties": len(result.properties), "undecided": undecided})
            previous = (n, seconds)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "analysis.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print("PASS" if ok else "FAIL", f"(200 branches proved in at most {TARGET_SECONDS} s; each doubling at most "
                                   f"{MAX_DOUBLING}x; {TARGET_SEQUENTIAL[0]} sequential questions checked in at most "
                                   f"{TARGET_SEQUENTIAL[1]} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
