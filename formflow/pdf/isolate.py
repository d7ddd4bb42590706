"""Run each render in a child process of its own, with a wall-time and a memory limit.

Why a process per document, forked from a warm parent, rather than a thread, a signal alarm or a
long-lived pool:

* weasyprint's layout is C (Pango, HarfBuzz) and Python in one call; a thread cannot be stopped
  and `signal.alarm` does not interrupt C code. Killing a process always works.
* a fork of a parent that already imported weasyprint, parsed the stylesheet and loaded the fonts
  starts rendering at once (a few ms, against 100+ ms for the render), so isolation costs
  little; a fresh child per document also means one document's render cannot leave anything
  behind (a leak, a grown cache, a limit's state) for the next.
* a pool worker that hit a limit would have to be replaced anyway, and `concurrent.futures`
  cannot kill one task without breaking the whole pool.
* forking is safe here because the parent is single-threaded when it forks: Pango's helper
  threads end when a render ends, and formflow starts none.

The memory limit counts resident memory (RSS) the child adds to what it had when it started,
watched by the parent every 50 ms: address space is the wrong measure here, because Pango starts
threads that each reserve an 8 MB stack they never touch, and a process with Pango and
fontconfig loaded already maps a few hundred MB of shared libraries and arenas. A child over
its budget is killed and reported as such. `RLIMIT_AS`, set in the child to what it had mapped
plus the budget plus `AS_SLACK`, is only a backstop against an allocation too fast for the
50 ms poll; hitting it usually shows as a MemoryError, sometimes as a crash (GLib aborts when it
cannot start a thread).

Isolation needs `fork` and `/proc` (Linux). Elsewhere `available()` is False and callers render
in-process, still bounded by the size limits but without time and memory limits.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

OK, TIMEOUT, MEMORY, ERROR, CRASH = "ok", "timeout", "memory", "error", "crash"
POLL_S = 0.05
AS_SLACK = 512 * 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one child produced: `value` when `status` is OK; otherwise a status and a detail
    without personal data (an exception's type name, an exit code)."""

    status: str
    value: bytes | None = None
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Task:
    key: object
    func: Callable[[object], bytes]
    arg: object


def available() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def run_one(func: Callable[[object], bytes], arg: object, *, timeout_s: float, memory_mb: int | None) -> Outcome:
    outcomes = run_many([Task(None, func, arg)], workers=1, timeout_s=timeout_s, memory_mb=memory_mb)
    try:
        return next(outcomes)[1]
    finally:
        outcomes.close()


def run_many(tasks: Iterable[Task], *, workers: int, timeout_s: float,
             memory_mb: int | None) -> Iterator[tuple[object, Outcome]]:
    """(key, outcome) for every task, in the order they finish, with at most `workers` children
    alive at once. Closing the iterator early kills whatever is still running."""
    pending, running, workers = deque(tasks), [], max(1, workers)
    try:
        while pending or running:
            while pending and len(running) < workers:
                task = pending.popleft()
                try:
                    running.append(_Child(task, timeout_s, memory_mb))
                except OSError as exc:  # fork failed: no memory or too many processes
                    yield task.key, Outcome(ERROR, detail=f"no process could be started: {exc.strerror}")
            if not running:
                continue
            _wait_for_any(running)
            for child in list(running):
                outcome = child.poll()
                if outcome is not None:
                    running.remove(child)
                    yield child.task.key, outcome
    finally:
        for child in running:
            child.kill()


def _wait_for_any(running: list[_Child]) -> None:
    """Until a child answers or exits, its deadline passes, or it is time to check memory."""
    deadline = min(c.deadline for c in running)
    handles = [c.conn for c in running] + [c.process.sentinel for c in running]
    wait(handles, timeout=min(POLL_S, max(0.0, deadline - time.monotonic())))


class _Child:
    """One forked process rendering one task, and the parent's end of its pipe."""

    def __init__(self, task: Task, timeout_s: float, memory_mb: int | None) -> None:
        ctx = multiprocessing.get_context("fork")
        self.task = task
        self.conn, child_end = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_child_main, args=(child_end, task, memory_mb), daemon=True)
        self.started = time.monotonic()
        self.deadline = self.started + timeout_s
        self.budget = None if memory_mb is None else memory_mb * 1024 * 1024
        self.process.start()
        child_end.close()
        self.baseline = _resident_bytes(self.process.pid)

    def poll(self) -> Outcome | None:
        """The outcome once the child answered, died or ran out of time; None while it works."""
        if self.conn.poll():
            return self._receive()
        if not self.process.is_alive():
            return self._receive() if self.conn.poll() else self._died()
        if time.monotonic() >= self.deadline:
            self.kill()
            return Outcome(TIMEOUT, detail=f"{self.deadline - self.started:g} s", seconds=self._elapsed())
        if self._over_budget():
            self.kill()
            return Outcome(MEMORY, detail="resident memory", seconds=self._elapsed())
        return None

    def _over_budget(self) -> bool:
        if self.budget is None or self.baseline is None:
            return False
        now = _resident_bytes(self.process.pid)
        return now is not None and now - self.baseline > self.budget

    def _receive(self) -> Outcome:
        try:
            status, value, detail = self.conn.recv()
        except (EOFError, OSError):
            return self._died()
        self._reap()
        return Outcome(status, value, detail, self._elapsed())

    def _died(self) -> Outcome:
        self._reap()
        code = self.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return Outcome(CRASH, detail=f"the renderer stopped with {how}", seconds=self._elapsed())

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self._reap()

    def _reap(self) -> None:
        self.process.join()
        self.conn.close()

    def _elapsed(self) -> float:
        return time.monotonic() - self.started


def _child_main(conn, task: Task, memory_mb: int | None) -> None:
    """In the child: limit memory, run, send (status, bytes, detail), exit."""
    gc.freeze()  # the inherited heap is never collected here: no copy-on-write from GC passes
    try:
        _limit_memory(memory_mb)
        message = (OK, task.func(task.arg), "")
    except MemoryError:
        message = (MEMORY, None, "MemoryError")
    except BaseException as exc:  # noqa: BLE001 - anything a render raises becomes a status
        message = (ERROR, None, type(exc).__name__)
    try:
        conn.send(message)
    except (MemoryError, OSError):
        pass  # the parent sees a child that died without an answer
    finally:
        conn.close()


def _limit_memory(memory_mb: int | None) -> None:
    if memory_mb is None:
        return
    import resource

    soft = _mapped_bytes() + memory_mb * 1024 * 1024 + AS_SLACK
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mapped_bytes() -> int:
    """This process's address-space size (first field of /proc/self/statm, in pages)."""
    return _statm("self")[0] * PAGE


def _resident_bytes(pid: int) -> int | None:
    """A process's resident set size (second field of statm); None once it is gone."""
    try:
        return _statm(str(pid))[1] * PAGE
    except (OSError, ValueError, IndexError):
        return None


def _statm(pid: str) -> list[int]:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        return [int(field) for field in handle.read().split()]
