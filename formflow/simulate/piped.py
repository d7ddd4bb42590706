"""Lines for the interactive simulator when stdin is not a terminal.

`formflow simulate FLOW` without --answers is interactive. Fed from a pipe that delivers its
answers and closes (`printf 'ja\n...' | formflow simulate ...`), it works as on a terminal. Fed
from a pipe that never delivers and never closes (a CI step that forgot --answers, `cat |`), a
plain `input()` would wait forever; here the walk gives up after `idle` seconds without a line,
and the command says how to script the walk instead.

The file descriptor is read directly (not through `sys.stdin`'s buffer, which `select` cannot
see into), so every line of a pipe that has already delivered them all is still read at once.
"""

from __future__ import annotations

import codecs
import os
import select
import sys

IDLE_SECONDS = 30.0


class StdinIdle(EOFError):
    """No line arrived on stdin within the idle time."""


class PipedLines:
    def __init__(self, fd: int | None = None, idle: float | None = None):
        self.fd = sys.stdin.fileno() if fd is None else fd
        env = os.environ.get("FORMFLOW_STDIN_IDLE_SECONDS")
        self.idle = idle if idle is not None else float(env) if env else IDLE_SECONDS
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.buffer = ""
        self.closed = False
        self.timed_out = False

    def __call__(self, prompt: str = "") -> str:
        """The next line without its newline, like `input(prompt)`. Raises EOFError at the end of
        the input and StdinIdle when nothing arrives for `idle` seconds."""
        if prompt:
            sys.stdout.write(prompt)
            sys.stdout.flush()
        while "\n" not in self.buffer and not self.closed:
            ready, _, _ = select.select([self.fd], [], [], self.idle)
            if not ready:
                self.timed_out = True
                raise StdinIdle()
            chunk = os.read(self.fd, 65536)
            self.closed = not chunk
            self.buffer += self.decoder.decode(chunk, final=self.closed)
        if not self.buffer:
            raise EOFError()
        line, _, self.buffer = self.buffer.partition("\n")
        return line.rstrip("\r")


def line_reader():
    """`input` on a terminal (line editing, Ctrl-C), a PipedLines otherwise (where select works)."""
    if sys.stdin is None or sys.stdin.isatty() or os.name != "posix":
        return input
    try:
        return PipedLines()
    except (OSError, ValueError):  # no usable file descriptor (an embedded or replaced stdin)
        return input
