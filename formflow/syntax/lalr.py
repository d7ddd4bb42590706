"""A lean LALR(1) driver over the parse table that lark builds from `dsl/formflow.lark`.

lark stays the grammar's home and its table generator (LALR only). This module replaces lark's
runtime loop, which spends most of its time in generic wrappers (contextual lexer objects,
child filters, token objects with a dozen fields) and made parsing the slowest step of a compile
by far: for a 1,000-question flow it parses about three times faster. Reductions call the
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
    states: dict  # state -> {terminal: (is_shift, target state | rule index)}
    rules: tuple  # (callback name | None, size, origin, splice, expand1, has_splice)
    start: int
    end: int
    keywords: dict  # keyword text -> terminal name


@cache
def table() -> Table:
    from formflow.syntax.grammar import parser

    lark = parser()
    pt = lark.parser.parser.parser.parse_table
    rule_index: dict = {}
    rules: list = []
    states: dict = {}
    for state, actions in pt.states.items():
        row = {}
        for term, (action, arg) in actions.items():
            if action.name == "Shift":
                row[term] = (True, arg)
            else:
                if arg not in rule_index:
                    rule_index[arg] = len(rules)
                    rules.append(_rule_entry(arg))
                row[term] = (False, rule_index[arg])
        states[state] = row
    keywords = {}
    for term in lark.terminals:
        value = getattr(term.pattern, "value", "")
        if term.pattern.type == "str" and value.isidentifier():
            keywords[value] = term.name
    return Table(states, tuple(rules), pt.start_states["start"], pt.end_states["start"], keywords)


def _rule_entry(rule) -> tuple:
    origin = rule.origin.name
    name = rule.alias or origin
    splice = origin.startswith("_")  # lark's helper rules for `*` and `+`: children go to the parent
    has_splice = any(getattr(sym, "name", "").startswith("_") and not sym.is_term for sym in rule.expansion)
    return (None if splice else name, len(rule.expansion), origin, splice,
            bool(rule.options.expand1) and not rule.alias, has_splice)


class _Splice(list):
    """Children of a helper rule, to be spliced into the parent's children."""


class ParseError(Exception):
    pass


def parse(text: str, builder, recover) -> object:
    """Parse `text`, calling builder.<rule>(children) on every reduction.

    `recover(kind, info)` is called on errors: kind "token" with (token, expected terminals,
    tokens shifted so far, state stack) or "char" with (offset, tokens shifted so far). It returns "insert:<TERMINAL>", "skip", "skip-line"
    (for a character) or "stop".
    """
    t = table()
    states, rules, keywords = t.states, t.rules, t.keywords
    callbacks = {name: getattr(builder, name) for (name, *_rest) in rules if name and hasattr(builder, name)}
    stack = [t.start]
    values: list = []
    shifted = 0  # tokens from the text accepted so far; recovery uses it to spot cascades
    pos, n = 0, len(text)
    match = TOKEN_RE.match
    while True:
        if pos < n:
            m = match(text, pos)
            if m is None:
                decision = recover("char", (pos, shifted))
                if decision == "stop":
                    raise ParseError
                if decision == "skip-line":
                    eol = text.find("\n", pos)
                    pos = n if eol == -1 else eol
                else:
                    pos += 1
                continue
            kind = m.lastgroup
            end = m.end()
            if kind == "WS" or kind == "COMMENT":
                pos = end
                continue
            value = m.group()
            if kind == "WORD":
                kind = word_type(value, states[stack[-1]], keywords)
            elif kind == "PUNCT":
                kind = PUNCT_TYPES[value]
            tok = Tok(kind, value, pos, end)
            pos = end
        else:
            tok = Tok("$END", "", n, n)
        while True:
            action = states[stack[-1]].get(tok.type)
            if action is None:
                decision = recover("token", (tok, expected(t, stack), shifted, tuple(stack)))
                if decision.startswith("insert:") and tok.type != "$END":
                    missing = decision[7:]
                    if _accepts_after(t, stack, missing, tok.type):
                        placeholder = "_missing_" if missing == "NAME" else ""
                        _feed(t, stack, values, Tok(missing, placeholder, tok.start_pos, tok.start_pos), callbacks)
                        continue
                if decision == "stop" or tok.type == "$END":
                    raise ParseError
                break  # skip this token
            shift, arg = action
            if shift:
                stack.append(arg)
                values.append(tok)
                shifted += 1
                break
            # reduce (inlined: this is the innermost loop of every compile)
            name, size, origin, splice, expand1, has_splice = rules[arg]
            if size:
                children = values[-size:]
                del stack[-size:]
                del values[-size:]
                if splice and type(children[0]) is _Splice:
                    # `items: item | items item`: grow the list in place, or long bodies go quadratic
                    children[0].extend(_flatten(children[1:]))
                    children = children[0]
                elif has_splice:
                    children = _flatten(children)
            else:
                children = []
            if splice:
                value = children if type(children) is _Splice else _Splice(children)
            elif expand1 and size == 1:
                value = children[0]
            else:
                value = callbacks[name](children)
            stack.append(states[stack[-1]][origin][1])
            values.append(value)
            if tok.type == "$END" and stack[-1] == t.end:
                return values[-1]
        if tok.type == "$END":
            return values[-2] if len(values) > 1 else values[-1]


def _flatten(children: list) -> list:
    flat: list = []
    for c in children:
        if type(c) is _Splice:
            flat.extend(c)
        else:
            flat.append(c)
    return flat


def _reduce(t: Table, stack, values, index, callbacks):
    name, size, origin, splice, expand1, has_splice = t.rules[index]
    if size:
        children = values[-size:]
        del stack[-size:]
        del values[-size:]
        if splice and type(children[0]) is _Splice:
            children[0].extend(_flatten(children[1:]))
            children = children[0]
        elif has_splice:
            children = _flatten(children)
    else:
        children = []
    if splice:
        value = children if type(children) is _Splice else _Splice(children)
    elif expand1 and len(children) == 1:
        value = children[0]
    else:
        value = callbacks[name](children)
    shift, target = t.states[stack[-1]][origin]
    stack.append(target)
    values.append(value)
    return None


def _feed(t: Table, stack, values, tok, callbacks) -> None:
    while True:
        shift, arg = t.states[stack[-1]][tok.type]
        if shift:
            stack.append(arg)
            values.append(tok)
            return
        _reduce(t, stack, values, arg, callbacks)


def expected(t: Table, stack) -> set[str]:
    """The terminals the parser can really shift next. LALR merges lookaheads, so a state may list
    terminals that only fit other contexts; simulating the reductions on a copy filters them out."""
    candidates = [k for k in t.states[stack[-1]] if k.isupper() or k == "$END"]
    return {k for k in candidates if _accepts_after(t, stack, k)}


def _accepts_after(t: Table, stack, *terms: str) -> bool:
    """Would the parser accept `terms` in turn from this state? (simulated on a copy)"""
    sim = list(stack)
    for term in terms:
        while True:
            action = t.states[sim[-1]].get(term)
            if action is None:
                return False
            shift, arg = action
            if shift:
                sim.append(arg)
                break
            name, size, origin, *_ = t.rules[arg]
            if size:
                del sim[-size:]
            sim.append(t.states[sim[-1]][origin][1])
            if term == "$END" and sim[-1] == t.end:
                return True
    return True
