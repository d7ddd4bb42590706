"""Independent parts of a query, each solved alone, and what earlier queries found, reused.

A path condition of a flow with 200 yes/no questions has hundreds of conjuncts, but most of them
are about different answers: "not (q3 and f3 == 10)" says nothing about q7. Constraints that share
no variable, directly or through a chain of others, can be solved separately, and the query has a
solution exactly when every part has one: the parts' solutions together are a solution, since no
variable is in two parts (the "constraint independence" of symbolic executors such as KLEE).

So the variables are partitioned once, before the first query, by the constraints that can meet in
one: every conjunct of a path condition, the facts of the universe, the answer ranges and the
calendar definitions (`Partition`). A query is split into *parts*, one per block of variables its
constraints touch (blocks that an item of the query links are one part), and each part is solved in
a small solver of its own with the background constraints of its blocks, then remembered by the
constraints in it. The next point on the same route shares every part but the one its new condition
touches, so a query costs one small solve, however deep the point; a model of the whole background
gives every other variable its value (`Valuation`).

Queries with non-linear atoms are not sliced (`solver.py` asks them whole, as before), so what the
resource limit leaves undecided stays the same.
"""

from __future__ import annotations

from fractions import Fraction

import z3
from z3 import z3core as core

SAT, UNSAT, UNKNOWN = "sat", "unsat", "unknown"
NO_BLOCK = -1  # the "block" of constraints without variables
BIG_BLOCK = 16  # background constraints from which a block has a solver of its own (`_block_solver`)


class Variables:
    """The free variables (uninterpreted constants) of solver terms, remembered per subterm, so a
    subterm shared by a hundred path conditions is looked at once. The walk over the term graph
    uses z3's C API directly: the Python wrappers cost ten times as much per node, and the first
    query of a large flow looks at every node of its path conditions."""

    def __init__(self, ctx):
        self.ctx = ctx
        self._ref = ctx.ref()
        self._memo: dict[int, tuple[int, ...]] = {}
        self.terms: dict[int, object] = {}  # variable id -> the variable, in the order first seen

    def of(self, expr) -> tuple[int, ...]:
        key = expr.get_id()
        found = self._memo.get(key)
        if found is not None:
            return found
        ref, memo = self._ref, self._memo
        ast_id, num_args, arg = core.Z3_get_ast_id, core.Z3_get_app_num_args, core.Z3_get_app_arg
        stack = [(expr.as_ast(), key, False)]
        while stack:  # iterative: conditions of 20,000 operands are deeper than Python's stack
            a, k, done = stack.pop()
            if k in memo:
                continue
            n = num_args(ref, a) if core.Z3_get_ast_kind(ref, a) == z3.Z3_APP_AST else 0
            if n == 0:
                decl = core.Z3_get_app_decl(ref, a) if core.Z3_get_ast_kind(ref, a) == z3.Z3_APP_AST else None
                if decl is not None and core.Z3_get_decl_kind(ref, decl) == z3.Z3_OP_UNINTERPRETED:
                    self.terms.setdefault(k, z3.z3._to_expr_ref(a, self.ctx))
                    memo[k] = (k,)
                else:
                    memo[k] = ()
                continue
            children = [arg(ref, a, i) for i in range(n)]
            ids = [ast_id(ref, c) for c in children]
            if not done:
                pending = [(c, i, False) for c, i in zip(children, ids) if i not in memo]
                if pending:
                    stack.append((a, k, True))
                    stack.extend(pending)
                    continue
            seen: dict[int, None] = {}
            for i in ids:
                for v in memo[i]:
                    seen[v] = None
            memo[k] = tuple(seen)
        return memo[key]


class Partition:
    """Union-find over variable ids; blocks are numbered in the order they were first seen."""

    def __init__(self):
        self._parent: dict[int, int] = {}
        self._order: dict[int, int] = {}

    def add(self, v: int) -> None:
        if v not in self._parent:
            self._parent[v] = v
            self._order[v] = len(self._order)

    def find(self, v: int) -> int:
        self.add(v)
        root = v
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[v] != root:
            self._parent[v], v = root, self._parent[v]
        return root

    def join(self, vs) -> None:
        roots = sorted({self.find(v) for v in vs}, key=self._order.__getitem__)
        for r in roots[1:]:
            self._parent[r] = roots[0]  # the earliest block absorbs the others: deterministic

    def rank(self, root: int) -> int:
        return self._order[root]


class Slicer:
    """Solves queries part by part; see the module docstring."""

    def __init__(self, ctx, background: list, conjuncts, rlimit: int, owners: dict | None = None):
        """`background`: constraints every query includes (z3 Bools); `conjuncts`: every Cond that a
        path condition of a query can contain (for the partition); `owners`: z3 id of a background
        constraint that has a solution whatever the values of the variables it does not own (the
        range of an answer that is never empty) -> the terms it owns (see `_cone`)."""
        self.ctx = ctx
        self.rlimit = rlimit
        self.vars = Variables(ctx)
        self.partition = Partition()
        self.solved = 0  # small solves, for the benchmark's curiosity
        self._roots: dict[int, tuple[int, ...]] = {}  # id(Cond) -> blocks it touches
        self._keep: list = []  # the keyed objects stay alive, so that their ids stay theirs
        for expr in background:
            self.partition.join(self.vars.of(expr))
        for cond in conjuncts:
            self.partition.join(self.vars.of(cond.expr))
        self._background: dict[int, list] = {}
        for expr in background:
            vs = self.vars.of(expr)
            self._background.setdefault(self.partition.find(vs[0]) if vs else NO_BLOCK, []).append(expr)
        self._members: dict[int, list[int]] = {}
        for v in self.vars.terms:
            self._members.setdefault(self.partition.find(v), []).append(v)
        self._root_of = {v: self.partition.find(v) for v in self.vars.terms}
        self._cache: dict[tuple, tuple[str, dict | None]] = {}
        self._ids: dict[int, tuple] = {}  # id(a Python term) -> (the term, its z3 id)
        self._owners = {k: frozenset(v for t in terms for v in self.vars.of(t)) for k, terms in (owners or {}).items()}
        self._index: dict[int, dict] = {}  # block -> variable -> positions of its background constraints
        self._nodes: dict[int, _Node] = {}  # id(a prepared Path) -> its node (the paths outlive the slicer)
        self._models: dict[int, object] = {}  # block -> a z3 model of its background
        self._joined: dict[int, list] = {}  # block -> its background as one conjunction
        self._solvers: dict[int, object] = {}  # block -> a solver with its (large) background
        self._scratch = z3.SimpleSolver(ctx=ctx)
        self._scratch.set("rlimit", rlimit)
        self.background_status = self._bases()

    # ------------------------------------------------------------ path conditions, node by node
    def prepare_paths(self, nodes) -> None:
        """Index every node of the path tree (`paths.Path`, each once, the root included) by the
        block its conjunct is about, and link each node to the nearest ancestor about the same
        block (one walk over the tree, with a stack per block)."""
        children: dict[int, list] = {}
        root = None
        for node in nodes:
            if node.conjunct is None:
                root = node
            else:
                children.setdefault(id(node.parent), []).append(node)
        if root is None:
            return
        last: dict[int, _Node] = {}
        stack = [(child, False) for child in reversed(children.get(id(root), []))]
        while stack:
            node, leaving = stack.pop()
            info = self._nodes.get(id(node))
            if leaving:
                if info.same is not None:
                    last[info.block] = info.same
                else:
                    del last[info.block]
                continue
            cond = node.conjunct.cond
            roots = self.roots(cond)
            block = roots[0] if len(roots) == 1 else NO_BLOCK if not roots else None
            info = _Node(node, cond, block, last.get(block) if block is not None else None)
            self._nodes[id(node)] = info
            if block is not None:
                last[block] = info
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(children.get(id(node), [])))

    def path_status(self, path) -> tuple[str, "Part | None"] | None:
        """Whether the path condition of `path` has a solution, decided node by node: a path is
        satisfiable when its parent is and the conjuncts of its own node's block (its node and the
        nodes above it about the same block) are, with that block's background — the other blocks
        are the parent's, unchanged. Each node costs one evaluation in a model found before (the
        node above it about the same block, or the block's background) and, only when that model
        does not satisfy the new conjunct, one small solve (non-linear conjuncts too: a small part
        is easier for z3 than the whole query; should it run out of its limit, the path is unknown
        and solver.py asks it whole). None: `path` was not prepared."""
        if self.background_status != SAT:
            return None
        if path.conjunct is None:
            return SAT, None
        todo = []
        info = self._nodes.get(id(path))
        while info is not None and info.status is None:
            todo.append(info)
            parent = info.node.parent
            info = self._nodes.get(id(parent)) if parent.conjunct is not None else _ROOT
        if info is None:
            return None
        above = info
        for info in reversed(todo):
            info.hard = above.hard or info.block is None  # a conjunct about two blocks: not prepared
            if info.hard:
                info.status = UNKNOWN
            elif above.status == UNSAT:
                info.status, info.part = UNSAT, above.part
            else:
                own = self._own(info)
                info.status = UNSAT if own == UNSAT else UNKNOWN if UNKNOWN in (own, above.status) else SAT
                info.part = above.part if own != UNSAT else Part((info.block,) if info.block != NO_BLOCK else (),
                                                                  tuple(info.chain()))
            above = info
        found = self._nodes[id(path)]
        return None if found.hard else (found.status, found.part)

    def _own(self, info: "_Node") -> str:
        """Satisfiability of the node's block: its background and the chain of conjuncts about it."""
        same = info.same
        if same is not None:
            model, cover = self._model_of(same), same.cover
        else:
            background = self._models.get(info.block)
            model, cover = (background.model if background is not None else self._empty_model()), None
        if model is not None and (cover is None or set(self.vars.of(info.cond.expr)) <= cover) \
                and z3.is_true(model.eval(info.cond.expr, model_completion=True)):
            info.model, info.cover = model, cover
            return SAT
        status, info.model = self._solve_chain(info, want_model=False)
        return status

    def _model_of(self, info: "_Node"):
        """The model of a satisfiable node's block, found again if it was not kept."""
        if info.model is _LATER:
            _, info.model = self._solve_chain(info, want_model=True)
        return info.model

    def _solve_chain(self, info: "_Node", *, want_model: bool) -> tuple[str, object]:
        """Solve a node's block and chain. The model is taken only when wanted (taking one costs
        as much as the solve): most nodes have no node below them about the same block."""
        chain = [c.expr for c in info.chain()]
        background, info.cover = self._cone((info.block,), chain)
        self.solved += 1
        s = self._scratch
        s.push()
        try:
            s.add(*background, *chain)
            status = s.check()
            if status == z3.sat:
                return SAT, (s.model() if want_model else _LATER)
            return (UNSAT if status == z3.unsat else UNKNOWN), None
        finally:
            s.pop()

    def _cone(self, blocks, exprs: list) -> tuple[list, frozenset]:
        """The background constraints of `blocks` that can matter to `exprs`: those that share a
        variable with them, directly or through other such constraints — except the range of an
        answer that `exprs` do not read (it has a solution whatever the rest is, so leaving it out
        changes no verdict), which would tie every date question to every use of `today`. With the
        variables that this covers: a model of the cone says nothing about the others."""
        seen = {v for e in exprs for v in self.vars.of(e)}
        todo, chosen, out = list(seen), set(), []
        indexes = [self._block_index(b) for b in blocks]
        while todo:
            v = todo.pop()
            for index, background in indexes:
                for i in index.get(v, ()):
                    if (id(background), i) in chosen:
                        continue
                    e = background[i]
                    owner = self._owners.get(e.get_id())
                    if owner is not None and v not in owner:
                        continue
                    chosen.add((id(background), i))
                    out.append(e)
                    for w in self.vars.of(e):
                        if w not in seen:
                            seen.add(w)
                            todo.append(w)
        return out, frozenset(seen)

    def _block_index(self, block: int) -> tuple[dict, list]:
        found = self._index.get(block)
        if found is None:
            background = self._background.get(block, [])
            index: dict[int, list] = {}
            for i, e in enumerate(background):
                for v in self.vars.of(e):
                    index.setdefault(v, []).append(i)
            found = self._index[block] = (index, background)
        return found

    def _background_of(self, block: int) -> list:
        """A block's background as one conjunction (built once: adding a hundred constraints one
        by one through z3's Python API costs more than solving them)."""
        found = self._joined.get(block)
        if found is None:
            exprs = self._background.get(block, [])
            found = self._joined[block] = exprs if len(exprs) < 2 else [z3.And(exprs)]
        return found

    def _block_solver(self, block: int):
        """The solver a node of `block` is solved in: for a block with a large background (the
        facts and every answer that meets them in some condition), a solver of its own that has
        the background already; otherwise the scratch solver."""
        if len(self._background.get(block, ())) < BIG_BLOCK:
            return self._scratch
        s = self._solvers.get(block)
        if s is None:
            s = self._solvers[block] = z3.SimpleSolver(ctx=self.ctx)
            s.set("rlimit", self.rlimit)
            s.add(*self._background_of(block))
        return s

    def _empty_model(self):
        """A model that says nothing: evaluated with completion, every variable takes its default."""
        return z3.ModelRef(core.Z3_mk_model(self.ctx.ref()), self.ctx)

    # ------------------------------------------------------------ the parts of a query
    def roots(self, cond) -> tuple[int, ...]:
        key = id(cond)
        found = self._roots.get(key)
        if found is None:
            found = tuple(dict.fromkeys(self._root(v) for v in self.vars.of(cond.expr)))
            self._roots[key] = found
            self._keep.append(cond)
        return found

    def _root(self, v: int) -> int:
        root = self._root_of.get(v)
        if root is None:  # a variable only an item of some query has: a block of its own
            root = self._root_of[v] = self.partition.find(v)
            self._members.setdefault(root, []).append(v)
        return root

    def check(self, conds, extra: tuple = ()) -> tuple[str, "Valuation | None"]:
        """Satisfiability of the conjunction of `conds` (Conds) and `extra` (z3 Bools) with the
        background, part by part."""
        if self.background_status != SAT:  # UNSAT: no citizen at all; UNKNOWN: ask whole (solver.py)
            return self.background_status, None
        groups: dict[int, list] = {}  # the head block of a part -> the constraints in the part
        head: dict[int, int] = {}  # a block -> the block heading its part (a local union-find)
        for cond in conds:
            roots = self.roots(cond)
            if len(roots) == 1:  # the common case, quickly: a conjunct about one block
                r = roots[0]
                h = head.get(r)
                if h is None:
                    head[r] = r
                    groups[r] = [cond]
                    continue
                if h == r:
                    groups[r].append(cond)
                    continue
            self._place(groups, head, roots, cond)
        for expr in extra:
            self._place(groups, head, tuple(dict.fromkeys(self._root(v) for v in self.vars.of(expr))), expr)
        blocks: dict[int, list[int]] = {h: [] for h in groups}
        for r in head:
            if r != NO_BLOCK:
                blocks[self._head(head, r)].append(r)
        parts: dict[int, dict] = {}
        status = SAT
        for h, members in groups.items():
            mine = blocks[h]
            mine = mine if len(mine) < 2 else sorted(mine, key=self.partition.rank)
            found, values = self._part(mine, members)
            if found == UNSAT:
                return UNSAT, Part(tuple(mine), tuple(members))
            if found == UNKNOWN:
                status = UNKNOWN
                continue
            for r in mine:
                parts[r] = values
        return (SAT, Valuation(self, parts)) if status == SAT else (status, None)

    def _place(self, groups: dict, head: dict, roots: tuple, item) -> None:
        """Put `item` in the part of its blocks, merging the parts it links."""
        roots = roots or (NO_BLOCK,)  # a constraint without variables: a part of its own
        heads = list(dict.fromkeys(self._head(head, r) for r in roots if r in head))
        new = [r for r in roots if r not in head]
        target = heads[0] if heads else new[0]
        for h in heads[1:]:
            head[h] = target
            groups[target].extend(groups.pop(h))
        for r in new:
            head[r] = target
        groups.setdefault(target, []).append(item)

    @staticmethod
    def _head(head: dict, r: int) -> int:
        while head[r] != r:
            r = head[r]
        return r

    def _part(self, blocks: list[int], members: list) -> tuple[str, object]:
        """(status, a z3 model) of one part: its blocks' background and its members."""
        if len(members) == 1 and not isinstance(members[0], z3.ExprRef):
            key = id(members[0])
        else:
            key = tuple(id(m) if not isinstance(m, z3.ExprRef) else ("e", m.get_id()) for m in members)
        found = self._cache.get(key)
        if found is None:
            # the whole background of its blocks, not a cone: a part's model gives a witness its
            # answers, and each of them must be valid (the cone leaves unread answers' ranges out)
            exprs = [m if isinstance(m, z3.ExprRef) else m.expr for m in members]
            solver = self._block_solver(blocks[0]) if len(blocks) == 1 else self._scratch
            if solver is self._scratch:
                exprs = [e for r in blocks for e in self._background_of(r)] + exprs
            found = self._solve(exprs, solver)
            self._cache[key] = found
            self._keep.append(members)
        return found

    def _solve(self, exprs: list, solver=None) -> tuple[str, object]:
        """(status, a z3 model when sat) of `exprs`, in a scope of `solver` (by default the scratch
        solver: a fresh z3 solver costs ten times as much)."""
        self.solved += 1
        s = solver if solver is not None else self._scratch
        s.push()
        try:
            s.add(*exprs)
            status = s.check()
            if status != z3.sat:
                return (UNSAT if status == z3.unsat else UNKNOWN), None
            return SAT, _Values(s.model())
        finally:
            s.pop()

    def _bases(self) -> str:
        """A model of the background alone, block by block (a model of each block's constraints;
        together a model of all of them, as no variable is in two): the values of the variables
        a query does not constrain.

        One solve of the whole background would be one hard problem where there are many easy
        ones, and it can run out of the resource limit (at a few hundred questions, when dozens of
        date ranges meet at `today`). A block without a model in the limit is *unknown*, and so is
        every sliced query then (solver.py asks it whole); only a block shown to have no model at
        all makes every query unsatisfiable."""
        status = SAT
        for root in sorted(self._background, key=self._rank):
            solver = self._block_solver(root) if root != NO_BLOCK else self._scratch
            found, model = self._solve(self._background_of(root) if solver is self._scratch else [], solver)
            if found == UNSAT:
                return UNSAT
            if found == UNKNOWN:
                status = UNKNOWN
                continue
            self._models[root] = model
        return status

    def _rank(self, root: int) -> int:
        return -1 if root == NO_BLOCK else self.partition.rank(root)

    def part_background(self, part: "Part") -> list:
        """The background constraints of an unsatisfiable part's blocks."""
        return [e for r in part.blocks for e in self._background.get(r, ())]

def python_value(value):
    """A value of a model as Python: bool, int or Fraction (None: an irrational number). Read
    through z3's C API: the Python predicates (`is_true`, `is_int_value`) cost ten times as much,
    and a witness of a large flow reads thousands of values."""
    ctx, a = value.ctx_ref(), value.as_ast()
    kind = core.Z3_get_sort_kind(ctx, core.Z3_get_sort(ctx, a))
    if kind == z3.Z3_BOOL_SORT:
        return {z3.Z3_L_TRUE: True, z3.Z3_L_FALSE: False}.get(core.Z3_get_bool_value(ctx, a))
    if core.Z3_get_ast_kind(ctx, a) != z3.Z3_NUMERAL_AST:
        return None
    text = core.Z3_get_numeral_string(ctx, a)
    return int(text) if kind == z3.Z3_INT_SORT else Fraction(text) if kind == z3.Z3_REAL_SORT else None


class _Values:
    """A part's z3 model, with the Python value of each variable read once (a part is cached and
    shared by many queries; reading a value from z3 costs tens of microseconds)."""

    __slots__ = ("model", "read", "cover")

    def __init__(self, model):
        self.model, self.read, self.cover = model, {}, None  # cover: the variables it speaks for (None: all)

    def get(self, k: int, term):
        if self.cover is not None and k not in self.cover:
            return _UNREAD
        found = self.read.get(k, _UNREAD)
        if found is _UNREAD:
            found = self.read[k] = python_value(self.model.eval(term, model_completion=True))
        return found


_UNREAD = object()
_LATER = object()  # a node's model, not taken yet


class _Node:
    """A node of the path tree as `Slicer.path_status` sees it."""

    __slots__ = ("node", "cond", "block", "same", "status", "part", "model", "hard", "cover")

    def __init__(self, node, cond, block, same):
        self.node, self.cond, self.block, self.same = node, cond, block, same  # same: the node above, same block
        self.status, self.part, self.model, self.hard = None, None, None, False
        self.cover = None  # the variables its model speaks for (None: all of its block)

    def chain(self) -> list:
        """The conjuncts about this node's block on its path, from the start of the flow."""
        found, info = [], self
        while info is not None:
            found.append(info.cond)
            info = info.same
        found.reverse()
        return found


_ROOT = _Node(None, None, None, None)
_ROOT.status = SAT


class Part:
    """The unsatisfiable part of a query: the blocks whose background it includes and the
    constraints (Conds, or z3 Bools of `extra`) in it. That part alone is unsatisfiable, so it
    is where an explanation needs to look (`Solver.explain`)."""

    __slots__ = ("blocks", "members")

    def __init__(self, blocks: tuple, members: tuple):
        self.blocks, self.members = blocks, members


class Valuation:
    """The values of a satisfiable sliced query: each part's model for the variables of its
    blocks, the background's model for the rest, read when asked (a witness reads the answers of
    its route only). Read like a model (`witness.py`)."""

    __slots__ = ("slicer", "parts")

    def __init__(self, slicer: Slicer, parts: dict[int, object]):  # block -> a z3 model of its part
        self.slicer, self.parts = slicer, parts

    def value(self, term):
        s = self.slicer
        entry = s._ids.get(id(term))
        if entry is None:  # the terms read are the encoder's own, so their ids are worth keeping
            entry = s._ids[id(term)] = (term, term.get_id())
        k = entry[1]
        root = s._root_of.get(k)
        if root is not None:
            for values in (self.parts.get(root), s._models.get(root)):  # the query's part, or the background's
                found = _UNREAD if values is None else values.get(k, entry[0])
                if found is not _UNREAD:
                    return found
        vs = s.vars.of(term)
        if vs == (k,):  # a variable no constraint mentions: anything will do, as z3 completes a model
            return _default(term)
        pairs = [(s.vars.terms[v], _as_z3(self.value(s.vars.terms[v]), s.vars.terms[v])) for v in vs]
        return python_value(z3.simplify(z3.substitute(term, *pairs) if pairs else term))

    def truth(self, term) -> bool:
        return self.value(term) is True

    def integer(self, term) -> int:
        return int(self.value(term))

    def rational(self, term) -> Fraction | None:
        value = self.value(term)
        return None if value is None else Fraction(value)


def _default(term):
    sort = term.sort()
    if sort.kind() == z3.Z3_BOOL_SORT:
        return False
    return 0 if sort.kind() == z3.Z3_INT_SORT else Fraction(0)


def _as_z3(value, like):
    ctx = like.ctx
    if isinstance(value, bool):
        return z3.BoolVal(value, ctx)
    if like.sort().kind() == z3.Z3_INT_SORT:
        return z3.IntVal(int(value), ctx)
    return z3.RealVal(str(Fraction(value)), ctx)
