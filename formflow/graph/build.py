"""The routing graph of a flow: questions, triggers and outcomes as nodes, branch conditions on edges.

One pass over the routing with a list of "loose ends" (node, edge label) that the next statement
joins: an `ask` becomes a node, an `if` fans a loose end out into one per branch (its condition
on the edge; `otherwise` where no branch matched), an `end` ties loose ends to its outcome, a
`trigger` is a node on the way that also points at the outcome it raises. Where several loose
ends meet an `if`, a small join node keeps edges from multiplying — so the graph stays linear in
the flow's size. Node ids are positional (`q1`, `o2`, …): never taken from flow text.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.graph import expr
from formflow.ir import model as M

SHORT = 48  # characters of a question's text shown in its node

KIND_WORDS = {
    "en": {"emergency": "EMERGENCY", "self_care": "self-care", "chat": "chat", "video": "video", "visit": "visit",
           "booking": "booking", "not_eligible": "not eligible", "information": "information"},
    "sv": {"emergency": "AKUT", "self_care": "egenvård", "chat": "chatt", "video": "videomöte", "visit": "besök",
           "booking": "bokning", "not_eligible": "ej behörig", "information": "information"},
}
WORDS = {"en": {"otherwise": "otherwise", "start": "start", "end": "end of form", "trigger": "flags",
                "urgency": "urgency"},
         "sv": {"otherwise": "annars", "start": "start", "end": "formuläret slut", "trigger": "markerar",
                "urgency": "brådska"}}


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # start | question | join | trigger | outcome | end
    label: str  # plain text, one or more lines joined by "\n"
    page: str | None = None
    tone: int = 0  # outcomes: 0 most urgent … (see `Graph.levels`)
    outcome_kind: str = ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False  # a trigger pointing at the outcome it raises


@dataclass(frozen=True)
class Graph:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    pages: tuple[tuple[str, str], ...]  # (page id, title) of pages that hold nodes, in flow order
    levels: int  # the length of the urgency scale


def build(flow: M.Flow, lang: str | None = None, pages: bool = False) -> Graph:
    """The routing graph of `flow`, labelled in `lang` (default: the flow's first language)."""
    lang = lang or flow.languages[0]
    b = _Builder(flow, lang, pages)
    loose = b.body(flow.body, [(b.add("start", WORDS.get(lang, WORDS["en"])["start"]), "")], None)
    if loose:
        b.join(loose, b.add("end", b.words["end"]))
    used = {n.page for n in b.nodes if n.page}
    titled = tuple((p.id, _pick(p.title, lang) or p.id) for p in flow.pages if p.id in used)
    return Graph(_pick(flow.title, lang) or flow.id, tuple(b.nodes), tuple(b.edges), titled,
                 len(flow.urgency_levels))


def _pick(texts: M.Texts | None, lang: str) -> str:
    if texts is None:
        return ""
    return texts.get(lang) or (texts.values[0][1] if texts.values else "")


def short(text: str, limit: int = SHORT) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit - 1].rsplit(" ", 1)[0] or line[:limit - 1]
    return cut + "…"


class _Builder:
    def __init__(self, flow: M.Flow, lang: str, pages: bool):
        self.flow, self.lang, self.pages = flow, lang, pages
        self.words = WORDS.get(lang, WORDS["en"])
        self.kinds = KIND_WORDS.get(lang, KIND_WORDS["en"])
        self.questions = {q.id: q for q in flow.questions}
        self.outcomes = {o.id: o for o in flow.outcomes}
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.outcome_nodes: dict[str, str] = {}
        for o in flow.outcomes:  # every outcome appears, reached or not, in declaration order
            self.outcome_nodes[o.id] = self._outcome(o)

    def add(self, kind: str, label: str, page: str | None = None, **extra) -> str:
        node_id = f"{kind[0]}{len(self.nodes) + 1}"
        self.nodes.append(Node(node_id, kind, label, page, **extra))
        return node_id

    def _outcome(self, o: M.Outcome) -> str:
        levels = self.flow.urgency_levels
        tone = 0 if o.kind == "emergency" else (levels.index(o.urgency) if o.urgency in levels else len(levels) - 1)
        marker = "⚠ " if o.kind == "emergency" else ""
        label = f"{marker}{self.kinds.get(o.kind, o.kind)}: {o.id}\n{self.words['urgency']}: {o.urgency}\n" \
                f"{short(_pick(o.message, self.lang))}"
        return self.add("outcome", label, tone=tone, outcome_kind=o.kind)

    def join(self, loose, target: str) -> None:
        self.edges.extend(Edge(src, target, label) for src, label in loose)

    def body(self, stmts, loose, page):
        for stmt in stmts:
            if not loose:
                break  # nothing after an `end` is reachable from here
            loose = self.stmt(stmt, loose, page)
        return loose

    def stmt(self, s, loose, page):
        if isinstance(s, M.Ask):
            q = self.questions[s.question]
            node = self.add("question", f"{q.id}\n{short(_pick(q.label, self.lang))}", page)
            self.join(loose, node)
            return [(node, "")]
        if isinstance(s, M.End):
            self.join(loose, self.outcome_nodes[s.outcome])
            return []
        if isinstance(s, M.Trigger):
            node = self.add("trigger", f"{self.words['trigger']} {s.outcome}", page)
            self.join(loose, node)
            self.edges.append(Edge(node, self.outcome_nodes[s.outcome], dashed=True))
            return [(node, "")]
        if isinstance(s, M.If):
            return self.branches(s, loose, page)
        if isinstance(s, M.PageBlock):
            return self.body(s.body, loose, s.page if self.pages else page)
        return loose  # Compute: a derived value is not a step a clinician sees

    def branches(self, s: M.If, loose, page):
        if len(loose) == 1 and not loose[0][1]:
            src = loose[0][0]
        else:
            src = self.add("join", "", page)
            self.join(loose, src)
        out = []
        for br in s.branches:
            label = expr.text(br.condition, self.lang) if br.condition is not None else self.words["otherwise"]
            out += self.body(br.body, [(src, label)], page)
        if s.branches[-1].condition is not None:
            out.append((src, self.words["otherwise"]))
        return out
