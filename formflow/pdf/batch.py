"""Many declarations at once: every core busy, every document bounded and written atomically.

Each document is rendered in its own forked child (`isolate.run_many`), at most `workers` at a
time, and the parent writes each PDF as it arrives. A document that is too big, too slow, too
hungry or broken gets its diagnostic in its result; the others are unaffected. Results come back
in the order of `jobs`; `progress(done, total, result)` is called as each one finishes, in the
order they finish (the CLI will draw a progress bar with it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from formflow.diagnostics.model import Diagnostic
from formflow.pdf import isolate
from formflow.pdf.limits import Limits
from formflow.pdf.model import PdfDocument
from formflow.pdf.render import (Job, PdfError, checked, outcome_diagnostic, pdf_bytes, try_warm_up,
                                 write_file, write_pdf)


@dataclass(frozen=True, slots=True)
class BatchResult:
    path: Path
    diagnostics: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.diagnostics


Progress = Callable[[int, int, BatchResult], None]


def default_workers() -> int:
    """The CPUs this process may run on (cgroup/affinity aware where the OS says so)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def render_batch(jobs: Sequence[tuple[PdfDocument, Path]], workers: int | None = None, *,
                 limits: Limits = Limits(), pdf_ua: bool = True,
                 progress: Progress | None = None) -> list[BatchResult]:
    """Render and write every (document, path) job; one result per job, in the same order."""
    results: list[BatchResult | None] = [None] * len(jobs)
    report = _reporter(results, progress)
    tasks = []
    for index, (doc, path) in enumerate(jobs):
        try:
            tasks.append(isolate.Task(index, pdf_bytes, checked(doc, limits, pdf_ua)))
        except PdfError as exc:
            report(index, BatchResult(Path(path), (exc.diagnostic,)))
    if not isolate.available():
        _sequential(tasks, jobs, report)
        return results
    for template in {jobs[t.key][0].template for t in tasks}:
        try_warm_up(template)
    for index, outcome in isolate.run_many(tasks, workers=workers or default_workers(),
                                           timeout_s=limits.timeout_s, memory_mb=limits.memory_mb):
        report(index, _finish(Path(jobs[index][1]), outcome, limits))
    return results


def _finish(path: Path, outcome: isolate.Outcome, limits: Limits) -> BatchResult:
    if outcome.status != isolate.OK:
        return BatchResult(path, (outcome_diagnostic(outcome, limits),), outcome.seconds)
    try:
        write_file(path, outcome.value)
    except PdfError as exc:
        return BatchResult(path, (exc.diagnostic,), outcome.seconds)
    return BatchResult(path, (), outcome.seconds)


def _sequential(tasks: list[isolate.Task], jobs, report) -> None:
    """Without fork: one document after the other, in this process."""
    for task in tasks:
        job: Job = task.arg
        path = Path(jobs[task.key][1])
        try:
            write_pdf(job.doc, path, limits=job.limits, pdf_ua=job.pdf_ua)
            report(task.key, BatchResult(path))
        except PdfError as exc:
            report(task.key, BatchResult(path, (exc.diagnostic,)))


def _reporter(results: list, progress: Progress | None) -> Callable[[int, BatchResult], None]:
    done = 0

    def report(index: int, result: BatchResult) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress is not None:
            progress(done, len(results), result)

    return report
