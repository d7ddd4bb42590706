"""The analyser against exhaustive simulation on thousands of random flows: every disagreement.

The suite's brute-force test (`tests/test_analysis_bruteforce.py`) runs 60 generated flows on every
commit; this runs as many as asked, from a seed, with the same generator and the same comparison
(`compare`: every verdict of `prove` on the solver alone, every example walked again, and `check`'s
diagnostics, against walking every answer set on every day that matters). A disagreement does not
stop the run: each one is counted by its first line, and its flow is written to
`benchmarks/results/differential/` so that `formflow prove` can be run on it by hand.

    python benchmarks/differential.py                  # 2,000 flows, seed 1
    python benchmarks/differential.py --flows 500 --seed 7

Prints the number of flows, walks, properties and disagreements, the time per flow, and how many
flows had each feature (option codes in upper case or Swedish, dates and `today`, divisions that
fault, colour rules, dead code), and writes `benchmarks/results/differential.json`.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

import test_analysis_bruteforce as bf  # noqa: E402

FEATURES = {"upper-case or Swedish codes": ("option JA", "option NEJ", "option Vet_ej", "option ja ",
                                            "option nej "),
            "codes YAML would misread": ("option null", "option No ", "option on ", "option True", "option Off"),
            "date questions": (": date",), "today": ("today",), "division by a value": ("3 / (",),
            "count()": ("count(",), "let": ("let ",), "colour rules": ("red when",),
            "verified facts": ("citizen.",)}


def run(flows: int, start: int) -> dict:
    stats: collections.Counter = collections.Counter()
    problems: dict[str, list[str]] = {}
    out = ROOT / "benchmarks" / "results" / "differential"
    out.mkdir(parents=True, exist_ok=True)

    @seed(start)
    @settings(max_examples=flows, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(bf.flows())
    def one(text):
        stats["flows"] += 1
        for name, needles in FEATURES.items():
            stats[name] += any(n in text for n in needles)
        began = time.process_time()
        try:
            verdicts = bf.compare(text)
        except bf.Rejected as exc:  # a generator mistake, not an analyser finding
            stats["rejected by the checker"] += 1
            problems.setdefault(f"rejected: {exc.args[0][:1]}", []).append(text)
            return
        except Exception as exc:  # noqa: BLE001 - every disagreement is counted, none stops the run
            key = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            problems.setdefault(key, []).append(text)
            stats["disagreeing flows"] += 1
            return
        finally:
            stats["cpu seconds"] += time.process_time() - began
        stats["properties"] += len(verdicts)
        stats["violated properties"] += sum(v == "violated" for v in verdicts.values())

    one()
    for i, (key, texts) in enumerate(sorted(problems.items())):
        for j, text in enumerate(texts):
            (out / f"disagreement_{i + 1}_{j + 1}.flow").write_text(f"# {key}\n" + text, "utf-8")
    return {"seed": start, "stats": dict(stats), "disagreements": {k: len(v) for k, v in sorted(problems.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    wall = time.perf_counter()
    result = run(args.flows, args.seed)
    result["wall seconds"] = round(time.perf_counter() - wall, 1)
    s = result["stats"]
    print(f"{s.get('flows', 0)} flows (seed {args.seed}), {s.get('properties', 0)} properties "
          f"({s.get('violated properties', 0)} violated), {s.get('disagreeing flows', 0)} flows with a disagreement, "
          f"{s.get('rejected by the checker', 0)} rejected by the checker")
    print(f"{s.get('cpu seconds', 0) / max(s.get('flows', 1), 1) * 1000:.0f} ms CPU per flow "
          f"(analysis, brute force and replays), {result['wall seconds']} s wall")
    for name in FEATURES:
        print(f"  {s.get(name, 0):5d} flows with {name}")
    for key, count in result["disagreements"].items():
        print(f"  DISAGREEMENT x{count}: {key}")
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "differential.json").write_text(json.dumps(result, indent=2), "utf-8")
    sys.exit(1 if result["disagreements"] else 0)


if __name__ == "__main__":
    main()
