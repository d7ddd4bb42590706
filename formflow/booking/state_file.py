"""The gate state file: the lockout record (`booking.lockout.GateState`) as versioned JSON.

    {
      "format": "formflow/gate-state",
      "format_version": 1,
      "salt": "<32 hex digits>",
      "people": {
        "<HMAC-SHA256 of the personnummer, hex>": {
          "attempts": {
            "covid-fas1": {"failed_at": ["2021-04-12T07:00:00Z"], "locked_until": "2021-04-13T07:00:00Z"}
          },
          "used_codes": ["<HMAC-SHA256 of invitation and code, hex>"]
        }
      }
    }

Times are UTC instants (`Z`). `locked_until` is left out when there is no lock; attempts that no
longer count are not written (a booking system keeps no more than the rule needs). The file is
read like every input — strictly, every problem a diagnostic at its place — and written
atomically (a temporary file beside it, then a rename) with owner-only permissions, because the
keys, though hashed, stand for personnummer (REFERENCE §12b).
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from formflow.booking.lockout import Attempts, GateState
from formflow.booking.timeutil import read_instant
from formflow.diagnostics.model import Diagnostic, make
from formflow.inputs.yamlnode import YNode, as_int, as_list, as_map, as_text, check_keys, head, load
from formflow.source import Source

FORMAT = "formflow/gate-state"
FORMAT_VERSION = 1
_HEX = re.compile(r"[0-9a-f]{32,128}")
PRIVATE = 0o600


def load_state_file(path: str | Path) -> tuple[GateState | None, list[Diagnostic]]:
    """The record in `path`; a file that does not exist yet is a new, empty record."""
    if not Path(path).exists():
        return GateState.new(), []
    source, node, diags = load(path)
    if node is None:
        return None, diags
    return read_state(node, source)


def read_state(node: YNode, source: Source) -> tuple[GateState | None, list[Diagnostic]]:
    reader = _Reader(source)
    state = reader.state(node)
    return (state, []) if not reader.diags else (None, reader.diags)


class _Reader:
    def __init__(self, source: Source):
        self.src, self.diags = source, []

    def take(self, result):
        value, d = result
        if d is not None:
            self.diags.append(d)
        return value

    def bad(self, node, message: str, label: str, help: str) -> None:
        self.diags.append(make("FF510", message, self.src, head(node), label, help=help))

    def state(self, node):
        m = self.take(as_map(node, self.src, field="the gate state"))
        if m is None:
            return None
        self.diags += check_keys(m, self.src, ("format", "format_version", "salt", "people"), ())
        if self.diags:
            return None
        if self.take(as_text(m.get("format"), self.src, field="'format'")) != FORMAT:
            self.bad(m.get("format"), "not a formflow gate state file", "unknown format",
                     f"a gate state file starts with \"format\": \"{FORMAT}\"; give --state a new path to start one")
        version = self.take(as_int(m.get("format_version"), self.src, field="'format_version'"))
        if version is not None and version != FORMAT_VERSION:
            self.bad(m.get("format_version"), f"gate state format version {version} is not supported",
                     "unknown version", f"this formflow reads version {FORMAT_VERSION}")
        salt = self.hex(m.get("salt"), "'salt'")
        people = self.take(as_map(m.get("people"), self.src, field="'people'"))
        attempts, used = {}, set()
        for key_node, entry in people.items if people is not None else ():
            person = self.hex(key_node, "a person key")
            self.person(person, entry, attempts, used)
        if self.diags:
            return None
        return GateState(salt, tuple(sorted(attempts.items(), key=lambda kv: kv[0])), frozenset(used))

    def hex(self, node, field: str) -> str | None:
        text = self.take(as_text(node, self.src, field=field))
        if text is not None and not _HEX.fullmatch(text):
            self.bad(node, f"{field} is not a lower-case hex digest", "not hex",
                     "the file is written by formflow; do not edit keys and digests by hand")
            return None
        return text

    def person(self, person, node, attempts, used) -> None:
        m = self.take(as_map(node, self.src, field="a person's record"))
        if m is None:
            return
        problems = check_keys(m, self.src, (), ("attempts", "used_codes"))
        self.diags += problems
        if problems:
            return
        table = self.take(as_map(m.get("attempts"), self.src, field="'attempts'")) if m.get("attempts") else None
        for inv_node, entry in table.items if table is not None else ():
            record = self.attempts(entry)
            if record is not None and person is not None:
                attempts[(person, inv_node.text.casefold())] = record
        seq = self.take(as_list(m.get("used_codes"), self.src, field="'used_codes'")) if m.get("used_codes") else None
        for item in seq.items if seq is not None else ():
            digest = self.hex(item, "a used code")
            if digest is not None and person is not None:
                used.add((person, digest))

    def attempts(self, node) -> Attempts | None:
        m = self.take(as_map(node, self.src, field="an invitation's attempts"))
        if m is None:
            return None
        problems = check_keys(m, self.src, ("failed_at",), ("locked_until",))
        self.diags += problems
        seq = self.take(as_list(m.get("failed_at"), self.src, field="'failed_at'")) if not problems else None
        if seq is None:
            return None
        times = tuple(self.take(read_instant(t, self.src, field="an attempt's time")) for t in seq.items)
        lock = m.get("locked_until")
        until = self.take(read_instant(lock, self.src, field="'locked_until'")) if lock is not None else None
        return None if None in times else Attempts(tuple(sorted(times)), until)


# ---------------------------------------------------------------------------------------- writing

@contextmanager
def held(path: str | Path):
    """The record's lock (an exclusive `flock` on `.<name>.lock` beside it) while it is read, decided
    on and written back: two evaluations at once must not both count from the same record, or a
    guesser running many in parallel would lose most of their attempts' trace."""
    import fcntl

    target = Path(path)
    fd = os.open(target.with_name(f".{target.name}.lock"), os.O_RDWR | os.O_CREAT, PRIVATE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_json(state: GateState) -> dict:
    """The record as JSON data, deterministic (sorted keys and lists)."""
    people: dict[str, dict] = {}
    for (person, inv), a in state.attempts:
        entry = {"failed_at": [_utc(t) for t in a.failed_at]}
        if a.locked_until is not None:
            entry["locked_until"] = _utc(a.locked_until)
        people.setdefault(person, {}).setdefault("attempts", {})[inv] = entry
    for person, digest in sorted(state.used):
        people.setdefault(person, {}).setdefault("used_codes", []).append(digest)
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "salt": state.salt,
            "people": {k: people[k] for k in sorted(people)}}


def write_state_file(path: str | Path, state: GateState) -> None:
    """Write atomically, readable by the owner only (raises OSError; the CLI reports it)."""
    import tempfile

    target = Path(path)
    data = (json.dumps(as_json(state), indent=2, sort_keys=True) + "\n").encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, PRIVATE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
