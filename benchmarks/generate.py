"""Generate flows of any size for benchmarks: questions with branching, follow-ups and derived values."""

from __future__ import annotations


def generate_flow(n_questions: int, flow_id: str = "generated", *, branching: bool = False) -> str:
    """A flow with exactly `n_questions` questions in groups of ten: yes/no with an integer
    follow-up inside an if-block (and a red flag there), single and multiple choices, decimals,
    optional free text, and after each group a derived score that may trigger a visit.

    `branching`: three questions of each group move into an `if / else if / else` on the symptoms
    answer (one of them asked per route, read after it behind `answered()`), as region flows ask
    follow-ups; the walk then takes one of several routes through every group."""
    lines = [f'flow {flow_id} "Genererat formulär" en "Generated form" {{',
             "  languages sv, en",
             '  outcome emergency_care: emergency "Ring 112." en "Call 112."',
             '  outcome visit_care: visit "Boka besök." en "Book a visit." urgency same_day',
             '  outcome advice: self_care "Egenvård." en "Self-care."']
    emitted = 0
    group = 0
    while emitted < n_questions:
        g = f"g{group}"
        block = [
            (f'  question {g}_sick: yes_no "Är du sjuk ({group})?" en "Are you ill ({group})?"', 1),
            (f"  if {g}_sick {{\n"
             f'    question {g}_days: integer "Hur många dagar?" en "How many days?" unit "d" min 0 max 365\n'
             f"    if {g}_days > 300 {{ end emergency_care }}\n  }}", 1),
            (f'  question {g}_pain: single "Hur ont har du?" en "How much pain?" {{\n'
             '    option low "Lite" en "A little"\n    option high "Mycket" en "A lot"\n  }\n'
             f"  if {g}_pain is high {{ trigger visit_care }}", 1),
            (f'  question {g}_weight: decimal "Vikt" en "Weight" unit "kg" min 0 max 500 decimals 1', 1),
            (f'  question {g}_symptoms: multiple "Symtom" en "Symptoms" {{\n'
             '    option cough "Hosta" en "Cough"\n    option fever "Feber" en "Fever"\n'
             '    option none "Inget" en "None" exclusive\n  }', 1),
            (f'  question {g}_note: text "Beskriv" en "Describe" max_length 500 optional', 1),
            (f'  question {g}_smoker: yes_no "Röker du?" en "Do you smoke?"', 1),
            (f'  question {g}_height: integer "Längd" en "Height" unit "cm" min 40 max 250', 1),
            (f'  question {g}_since: date "Sedan när?" en "Since when?" min today - 12 months max today', 1),
            (f'  question {g}_consent: acknowledge "Jag har läst villkoren." en "I have read the terms."', 1),
        ]
        if branching:
            block = _branching(block, g)
        for text, count in block:
            if emitted + count > n_questions:
                continue
            lines.append(text)
            emitted += count
        if emitted % 10 == 0:
            smoker = f"answered({g}_smoker) and {g}_smoker" if branching else f"{g}_smoker"
            lines.append(f"  let {g}_score = count({g}_pain is high, {g}_symptoms has fever, {smoker}, "
                         f"{g}_weight / (({g}_height / 100) * ({g}_height / 100)) > 35, citizen.age >= 65)")
            lines.append(f"  if {g}_score >= 3 {{ trigger visit_care }}")
        group += 1
    lines.append("  end advice")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _branching(block: list, g: str) -> list:
    """The group with note, smoker and since as the three branches of one `if` on the symptoms."""
    note, smoker, since = (block[i][0].replace("\n  ", "\n    ").replace("  question", "    question", 1)
                           for i in (5, 6, 8))
    choice = (f"  if {g}_symptoms has fever {{\n{note}\n  }} else if {g}_symptoms has cough {{\n{smoker}\n"
              f"  }} else {{\n{since}\n  }}")
    return block[:5] + [(choice, 3), block[7], block[9]]
