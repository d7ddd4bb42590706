"""Text from flows and answers, made safe to print on a terminal.

A label or a free-text answer is data. Printed raw, an ESC sequence in it could restyle the
screen, move the cursor, set the window title or create a hyperlink (OSC 8), and a bidi override
could reverse what the reader sees. Every such character is shown as a visible `<U+XXXX>` instead.
formflow prints with plain `print`, never through a markup console, so brackets such as
`[bold red]` or `[link=...]` are just brackets.
"""

from __future__ import annotations

import unicodedata

# Joiners that Persian and Indic scripts need inside words; harmless on a terminal.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def safe(text: str, *, keep_newlines: bool = False) -> str:
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append("    ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co") and ch not in _ALLOWED_FORMAT:
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in safe(text, keep_newlines=True).split("\n"))
