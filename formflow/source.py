"""Source text and positions.

A `Source` is the decoded, newline-normalised text of one file. Every span in the pipeline is a pair
of offsets into that text, so any later stage can point back at the author's line. CRLF and lone CR
are normalised to LF before anything else sees the text: line numbers are then the same whichever
editor saved the file, and columns never count a stray CR.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open range [start, end) of character offsets into a Source's text."""

    start: int
    end: int

    def join(self, other: "Span") -> "Span":
        return Span(min(self.start, other.start), max(self.end, other.end))


@dataclass(frozen=True)
class Source:
    """One decoded source file. `name` is what diagnostics print (a path as the user gave it)."""

    name: str
    text: str
    sha256: str = ""
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @staticmethod
    def from_text(name: str, text: str, raw: bytes | None = None) -> "Source":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return Source(name, text, digest, tuple(starts))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self._line_starts)
