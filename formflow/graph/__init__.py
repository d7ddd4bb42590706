"""Flow diagrams for clinicians: the routing of a checked flow as Mermaid or Graphviz DOT.

    IR ──build──▶ RoutingGraph (nodes, edges; plain text labels) ──mermaid | dot──▶ text

`build` walks the routing once (linear in the flow's size) and names nodes by their order, so the
same flow always gives the same text. Labels come from the flow's own texts and are hostile input
as far as the formats are concerned: each renderer escapes every character that could end a label
or start graph syntax, a link or markup (`escape_mermaid`, `escape_dot`).
"""
