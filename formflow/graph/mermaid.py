"""The routing graph as a Mermaid flowchart (renders in GitLab, GitHub and most wikis).

Every label is a quoted string escaped by `escape.mermaid_label`; node ids are positional. Outcome
nodes get a `classDef` per urgency colour; emergencies are hexagons, other outcomes stadiums,
triggers flags (asymmetric), questions rectangles.
"""

from __future__ import annotations

from formflow.graph.build import Graph, Node
from formflow.graph.escape import mermaid_label
from formflow.graph.style import PALETTE, colour

_SHAPES = {"start": ('(["', '"])'), "end": ('(["', '"])'), "question": ('["', '"]'), "join": ('(("', '"))'),
           "trigger": ('>"', '"]'), "outcome": ('(["', '"])'), "emergency": ('{{"', '"}}')}


def render(graph: Graph) -> str:
    lines = [f"%% {mermaid_label(graph.title)}", "flowchart TD"]
    by_page: dict[str | None, list[Node]] = {}
    for node in graph.nodes:
        by_page.setdefault(node.page, []).append(node)
    lines += [f"  {_node(n)}" for n in by_page.get(None, [])]
    for page, title in graph.pages:
        lines.append(f'  subgraph page_{_index(graph, page)}["{mermaid_label(title)}"]')
        lines += [f"    {_node(n)}" for n in by_page.get(page, [])]
        lines.append("  end")
    for e in graph.edges:
        arrow = "-.->" if e.dashed else "-->"
        label = f'|"{mermaid_label(e.label)}"|' if e.label else ""
        lines.append(f"  {e.source} {arrow}{label} {e.target}")
    for i, (fill, ink) in enumerate(PALETTE):
        lines.append(f"  classDef urgency{i} fill:{fill},color:{ink},stroke:#000000,stroke-width:2px")
    for n in graph.nodes:
        if n.kind == "outcome":
            lines.append(f"  class {n.id} urgency{PALETTE.index(colour(n.tone, graph.levels))}")
    return "\n".join(lines) + "\n"


def _index(graph: Graph, page: str) -> int:
    return [p for p, _ in graph.pages].index(page) + 1


def _node(n: Node) -> str:
    shape = "emergency" if n.outcome_kind == "emergency" else n.kind
    opening, closing = _SHAPES[shape]
    return f"{n.id}{opening}{mermaid_label(n.label) if n.label else ' '}{closing}"
