"""FF809 `outcome` out of place; FF201/FF202/FF214/FF215 for the names an assert tests the outcome against.

`outcome` (and `outcome.kind`, `outcome.urgency`) is the result of a complete route, so it exists
only in an assert, and only as what `is`, `is not` or `in` tests: `outcome is call_112`,
`outcome.kind in [emergency, visit]`. Everywhere else it is FF809.
"""

from __future__ import annotations

from formflow.check import types as T
from formflow.check.suggest import did_you_mean
from formflow.check.symbols import walk_statements
from formflow.syntax import ast

ATTRS = ("kind", "urgency")
TESTS = ("is", "is not", "in")


def check(ctx):
    yield from _duplicates(ctx)
    for expr in _routing_expressions(ctx.flow):
        for ref in _outcome_refs(expr):
            yield ctx.diag("FF809", "`outcome` can only be read in an assert", ref.span, "not in an assert",
                           help="the outcome is known when the route has ended: state it as "
                                "`assert name: if ... then outcome is ...`")
        for call in _booked_calls(expr):
            yield ctx.diag("FF813", "`booked(...)` can only be read in an assert", call.span, "not in an assert",
                           help="the gate decides after the route has ended: state it as "
                                "`assert name: booked(<type>) implies ...`")
    for gate in ctx.flow.gates:
        for route in gate.routes:
            for call in _booked_calls(route.condition):
                yield ctx.diag("FF813", "`booked(...)` can only be read in an assert", call.span, "in a gate route",
                               help="a gate route decides the booking; it cannot read its own decision")
    for assertion in ctx.flow.asserts:
        for part in (assertion.premise, assertion.conclusion):
            if part is not None:
                yield from _assert_part(ctx, part)
                yield from _booked_part(ctx, part)


def _booked_calls(expr):
    return [n for n in _nodes(expr) if isinstance(n, ast.Call) and n.func.name == "booked"]


def _booked_part(ctx, expr):
    """`booked(type, route)`: the type is one this flow books, the route one of the gate guarding it;
    and `booked(...)` is a condition of its own (under `and`, `or`, `not` only), read from the decision."""
    conditions = _condition_nodes(expr)
    bookings = {}  # appointment type -> gate names guarding it in this flow
    for o in ctx.flow.outcomes:
        appointment = next((a.value.name for a in o.attrs if a.key == "appointment"), None)
        if appointment is not None:
            gate = next((a.value.name for a in o.attrs if a.key == "through"), None)
            bookings.setdefault(appointment, set()).update({gate} if gate else set())
    routes = {g.id.name: [r.id.name for r in g.routes] for g in ctx.flow.gates}
    for call in _booked_calls(expr):
        if id(call) not in conditions:
            yield ctx.diag("FF813", "`booked(...)` is a condition of its own", call.span, "inside a value",
                           help="combine it with `and`, `or`, `not` or `implies`: `booked(covid_vaccination) "
                                "implies citizen.age >= 65`")
            continue
        if not call.args:
            continue
        kind = call.args[0]
        if kind.name not in bookings:
            yield ctx.diag("FF813", f"no outcome of this flow books '{kind.name}'", kind.span, "not booked here",
                           help=did_you_mean(kind.name, list(bookings)) or
                           ("the flow books: " + ", ".join(bookings) if bookings else "this flow books nothing"))
            continue
        if len(call.args) == 2:
            route = call.args[1]
            known = [r for g in sorted(bookings[kind.name]) for r in routes.get(g, [])]
            if route.name not in known:
                yield ctx.diag("FF813", f"no gate route '{route.name}' guards '{kind.name}'", route.span,
                               "unknown route", help=did_you_mean(route.name, known) or
                               ("its routes: " + ", ".join(known) if known else f"'{kind.name}' is booked with no gate"))


def _condition_nodes(expr) -> set:
    """ids of the nodes of `expr` in a condition position: the root and operands of and/or/not."""
    out, stack = set(), [expr]
    while stack:
        node = stack.pop()
        out.add(id(node))
        if isinstance(node, ast.Logical):
            stack += list(node.operands)
        elif isinstance(node, ast.Unary) and node.op == "not":
            stack.append(node.operand)
    return out


def _duplicates(ctx):
    first: dict[str, ast.Assert] = {}
    for assertion in ctx.flow.asserts:
        earlier = first.setdefault(assertion.id.name, assertion)
        if earlier is not assertion:
            yield ctx.diag("FF201", f"there is already an assert named '{assertion.id.name}'", assertion.id.span,
                           "named again here", help="give each assert its own name: it names the property in reports",
                           secondary=((earlier.id.span, "first named here"),))


def _routing_expressions(flow: ast.Flow):
    """Every expression outside the asserts: conditions, derived values, pdf conditions."""
    for stmt in walk_statements(flow.body):
        if isinstance(stmt, ast.Let):
            yield stmt.value
        elif isinstance(stmt, ast.If):
            yield from (b.condition for b in stmt.branches if b.condition is not None)
    for pdf in getattr(flow, "pdfs", ()):
        for row in pdf.rows:
            if row.red_when is not None:
                yield row.red_when
        for item in pdf.items:
            if item.key == "valid" and item.value[2] is not None:
                yield item.value[2]


def _assert_part(ctx, expr):
    tested = set()
    for node in _nodes(expr):
        if isinstance(node, ast.Test) and isinstance(node.subject, ast.OutcomeRef):
            tested.add(id(node.subject))
            yield from _test(ctx, node)
    for ref in _outcome_refs(expr):
        if id(ref) not in tested:
            yield ctx.diag("FF809", "`outcome` is tested with `is`, `is not` or `in`", ref.span, "not tested",
                           help="write e.g. `outcome is call_112` or `outcome.kind in [emergency, visit]`")


def _test(ctx, test: ast.Test):
    ref = test.subject
    if ref.attr is not None and ref.attr.name not in ATTRS:
        yield ctx.diag("FF809", f"an outcome has no '{ref.attr.name}'", ref.attr.span, "unknown",
                       help=did_you_mean(ref.attr.name, ATTRS, prefix="outcome.")
                       or "read `outcome`, `outcome.kind` or `outcome.urgency`")
        return
    if test.op not in TESTS:
        yield ctx.diag("FF809", f"`outcome` is tested with `is`, `is not` or `in`, not `{test.op}`", test.span,
                       f"`{test.op}`", help="write e.g. `outcome in [call_112, emergency_department]`")
        return
    what = ref.attr.name if ref.attr is not None else "outcome"
    known = {"outcome": [o.id.name for o in ctx.flow.outcomes], "kind": list(T.OUTCOME_KINDS),
             "urgency": list(ctx.urgency_levels)}[what]
    for code in test.codes:
        if code.name in known:
            continue
        hint = did_you_mean(code.name, known)
        if what == "outcome":
            yield ctx.diag("FF202", f"there is no outcome '{code.name}'", code.span, "unknown outcome",
                           help=hint or "outcomes: " + ", ".join(known))
        elif what == "kind":
            yield ctx.diag("FF214", f"'{code.name}' is not an outcome kind", code.span, "unknown kind",
                           help=hint or "kinds: " + ", ".join(known))
        else:
            yield ctx.diag("FF215", f"'{code.name}' is not an urgency level", code.span, "unknown level",
                           help=hint or "levels, most urgent first: " + ", ".join(known))


def _outcome_refs(expr):
    return [n for n in _nodes(expr) if isinstance(n, ast.OutcomeRef)]


def _nodes(expr):
    """Every node of an expression, without recursion (expressions may be 100 levels deep)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.Unary):
            stack.append(node.operand)
        elif isinstance(node, ast.Binary):
            stack += [node.left, node.right]
        elif isinstance(node, ast.Logical):
            stack += list(node.operands)
        elif isinstance(node, ast.Test):
            stack.append(node.subject)
        elif isinstance(node, (ast.Call, ast.Fact)):
            stack += list(node.args or ())
