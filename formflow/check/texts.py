"""Every text of a flow, with what it belongs to, for the rules that check texts."""

from __future__ import annotations

from typing import Iterator

from formflow.check.symbols import walk_statements
from formflow.syntax import ast


def iter_texts(flow: ast.Flow) -> Iterator[tuple[ast.Text, str]]:
    yield flow.title, f"the title of flow '{flow.id.name}'"
    for setting in flow.settings:
        if setting.key == "intro":
            yield setting.value, "the intro"
    for decl in flow.outcomes:
        yield decl.message, f"the message of outcome '{decl.id.name}'"
        for attr in decl.attrs:
            if attr.key == "flag":
                yield attr.value[0], f"a flag of outcome '{decl.id.name}'"
            if attr.key == "when_full":
                yield attr.value[1], f"the text of `when_full` of outcome '{decl.id.name}'"
    for gate in flow.gates:
        yield gate.title, f"the title of gate '{gate.id.name}'"
        for route in gate.routes:
            yield route.title, f"the title of route '{route.id.name}' in gate '{gate.id.name}'"
        for attr in gate.settings:
            if attr.key == "message":
                yield attr.value[1], f"the message '{attr.value[0].name}' of gate '{gate.id.name}'"
    for stmt in walk_statements(flow.body):
        if isinstance(stmt, ast.Question):
            yield stmt.label, f"the label of question '{stmt.id.name}'"
            yield from _attr_texts(stmt.attrs, f"question '{stmt.id.name}'")
            for option in stmt.options or ():
                yield option.label, f"option '{option.code.name}' of '{stmt.id.name}'"
                yield from _attr_texts(option.attrs, f"option '{option.code.name}'")
        elif isinstance(stmt, ast.Page):
            yield stmt.title, f"the title of page '{stmt.id.name}'"
    for pdf in flow.pdfs:
        yield pdf.title, f"the title of pdf '{pdf.id.name}'"
        for row in pdf.rows:
            if row.label is not None:
                yield row.label, f"the label of row '{row.ref.name}' in pdf '{pdf.id.name}'"


def _attr_texts(attrs, owner: str):
    for attr in attrs:
        if isinstance(attr.value, ast.Text):
            yield attr.value, f"the {attr.key} text of {owner}"
