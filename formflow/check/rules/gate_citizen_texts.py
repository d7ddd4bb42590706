"""FF730 a gate that takes invitation codes without the citizen's texts; FF731 a text that cannot be shown.

What a citizen reads after typing a code — wrong with attempts left, locked until when, already
used, expired — is said in the region's name, so it is the author's text in every language of the
flow, not formflow's (REFERENCE §12b, "What the citizen is told"). A gate with an
`invitation_code` route must therefore give all four; there is no built-in default. A text may
fill in only the values its kind has (`{attempts_left}`, `{locked_until}`, `{valid_until}`), in
every translation; any other `{...}` would reach the citizen as written.
"""

from __future__ import annotations

import re

from formflow.check.suggest import did_you_mean

PLACEHOLDERS = {"wrong_code": ("attempts_left",), "locked": ("locked_until",), "code_used": (),
                "code_expired": ("valid_until",)}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
EXAMPLE = ('message wrong_code "Fel kod. Du har {attempts_left} försök kvar."\n'
           '    message locked "För många felaktiga koder. Försök igen {locked_until} eller ring mottagningen."\n'
           '    message code_used "Koden har redan använts för en bokning."\n'
           '    message code_expired "Koden gällde till och med {valid_until}."')


def check(ctx):
    for gate in ctx.flow.gates:
        messages = [a for a in gate.settings if a.key == "message"]
        yield from _each(ctx, gate, messages)
        takes_codes = any(a.key == "invitation_code" for r in gate.routes for a in r.attrs)
        given = {a.value[0].name for a in messages}
        missing = [k for k in PLACEHOLDERS if k not in given]
        if takes_codes and missing:
            yield ctx.diag("FF730", f"gate '{gate.id.name}' takes invitation codes but does not say what the citizen "
                           f"reads when {_when(missing)}", gate.id.span, "no " + ", ".join(missing) + " message",
                           help="add to the gate, with a translation for every language of the flow:\n    "
                                + "\n    ".join(line for line in EXAMPLE.split("\n    ")
                                               if line.split()[1] in missing))


def _when(missing: list[str]) -> str:
    words = {"wrong_code": "a code is wrong", "locked": "they are locked out", "code_used": "a code is used",
             "code_expired": "a code has expired"}
    said = [words[k] for k in missing]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]


def _each(ctx, gate, messages):
    seen: dict[str, object] = {}
    for attr in messages:
        kind, text = attr.value
        if kind.name not in PLACEHOLDERS:
            yield ctx.diag("FF731", f"'{kind.name}' is not a message a gate gives", kind.span, "unknown message",
                           help=did_you_mean(kind.name, list(PLACEHOLDERS))
                           or f"a gate's messages are: {', '.join(PLACEHOLDERS)}")
            continue
        if kind.name in seen:
            yield ctx.diag("FF731", f"gate '{gate.id.name}' gives the message '{kind.name}' twice", kind.span,
                           "given again", help="keep one (translations go beside it: \"...\" en \"...\")",
                           secondary=((seen[kind.name], "first given here"),))
            continue
        seen[kind.name] = kind.span
        for value, span in [(text.value, text.span)] + [(t.value, t.span) for t in text.translations]:
            yield from _placeholders(ctx, kind.name, value, span)


def _placeholders(ctx, kind: str, value: str, span):
    allowed = PLACEHOLDERS[kind]
    for name in _PLACEHOLDER.findall(value):
        if name not in allowed:
            offer = (f"this message can show {', '.join('{' + a + '}' for a in allowed)}" if allowed
                     else "this message shows no values")
            yield ctx.diag("FF731", f"'{{{name}}}' is not a value the '{kind}' message can show", span,
                           "unknown value", help=offer)
