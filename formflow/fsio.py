"""File system access for the API: finding flows, reading them, writing artifacts atomically."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from formflow.diagnostics.model import Diagnostic, make

MAX_READ = 64 * 1024 * 1024  # far above the source limit; preflight reports the exact limit


class FileProblem(Exception):
    """An OSError, in words for a diagnostic."""


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else type(exc).__name__


def read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_READ + 1)
    except IsADirectoryError:
        raise FileProblem("it is a folder") from None
    except OSError as exc:
        raise FileProblem(_reason(exc)) from None


def discover_flows(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Expand files and folders (recursively, `*.flow`) into (path, display name) pairs, sorted."""
    found: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    for given in paths:
        if given.is_dir():
            for p in sorted(given.rglob("*.flow")):
                if p.is_file():
                    found.setdefault(p.resolve(), str(p))
        elif given.is_file():
            found.setdefault(given.resolve(), str(given))
        else:
            problems.append(make("FF901", f"{given}: no such file or folder", None, None,
                                 help="check the path; folders are searched for *.flow files"))
    if not found and not problems:
        shown = ", ".join(str(p) for p in paths) or "."
        problems.append(make("FF902", f"no .flow files in {shown}", None, None,
                             help="flow files end in .flow; give a file or a folder that contains them"))
    return sorted(((p, d) for p, d in found.items()), key=lambda x: x[1]), problems


def _file_mode() -> int:
    """0666 less the process umask: what `open(path, "w")` would have given the file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_PUBLIC_MODE = _file_mode()


def _mode_for(target: Path) -> int:
    """The mode the file has (an edited region.yaml keeps it), or the default for a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return _PUBLIC_MODE


_OWN_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # what write_atomic's mkstemp names look like
STALE_SECONDS = 15 * 60  # no write of formflow's takes this long; a younger temp may be another write's


def remove_stale_temps(folder: Path, now: float | None = None) -> None:
    """Remove temporary files that a write of formflow's left behind when it was killed (a crash
    between mkstemp and rename cannot clean up after itself): only formflow's own names, and only
    when they are older than any write could be, so that a concurrent write is never disturbed."""
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _OWN_TEMP.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
        except OSError:
            pass


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written artifact."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileProblem(_reason(exc)) from None
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes 0600; a rename must not make a file private
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise FileProblem(_reason(exc)) from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
