"""The routing graph as Graphviz DOT (`dot -Tsvg`), for print and for tools that read DOT.

Labels are plain quoted strings escaped by `escape.dot_label` — never HTML-like `<...>` labels, so
markup in a flow text is shown as text. Outcomes are filled with their urgency colour; emergencies
are octagons with a double border, other outcomes rounded boxes, questions boxes, triggers notes.
"""

from __future__ import annotations

from formflow.graph.build import Graph, Node
from formflow.graph.escape import dot_label
from formflow.graph.style import colour

_SHAPES = {"start": "shape=oval", "end": "shape=oval", "question": "shape=box", "join": "shape=point",
           "trigger": "shape=note"}


def render(graph: Graph) -> str:
    lines = ["digraph flow {", f'  label="{dot_label(graph.title)}";', '  labelloc="t";', "  rankdir=TB;",
             '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    placed = {p: [] for p, _ in graph.pages}
    for n in graph.nodes:
        (placed[n.page] if n.page in placed else lines).append(f"  {_node(n, graph.levels)}")
    for i, (page, title) in enumerate(graph.pages, 1):
        lines.append(f'  subgraph cluster_page_{i} {{ label="{dot_label(title)}";')
        lines += ["  " + line for line in placed[page]]
        lines.append("  }")
    for e in graph.edges:
        attrs = [f'label="{dot_label(e.label)}"'] if e.label else []
        if e.dashed:
            attrs.append("style=dashed")
        lines.append(f"  {e.source} -> {e.target}" + (f" [{', '.join(attrs)}];" if attrs else ";"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(n: Node, levels: int) -> str:
    label = f'label="{dot_label(n.label)}"' if n.label else 'label=""'
    if n.kind != "outcome":
        return f"{n.id} [{_SHAPES[n.kind]}, {label}];"
    fill, ink = colour(n.tone, levels)
    shape = "shape=doubleoctagon" if n.outcome_kind == "emergency" else 'shape=box, style="rounded,filled,bold"'
    if n.outcome_kind == "emergency":
        shape += ', style="filled,bold"'
    return f'{n.id} [{shape}, fillcolor="{fill}", fontcolor="{ink}", {label}];'
