"""`formflow simulate FLOW`: click through a flow in the terminal, one question at a time.

It behaves like the real service: the intro, each question with its numbered alternatives, help
on request (`?`), every answer checked with a clear message and a new try, `<` to go back and
change the previous answer, and at the end a summary and the outcome. Each step re-walks the
compiled form from the start with the answers so far (see `walk`), so an answer to a question
that is no longer on the route after going back is simply not used — and not shown in the summary.

All text from the flow and from the citizen goes through `terminal.safe`: a label or an answer
can neither restyle the screen nor create a link.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.simulate.answers import AnswerError, parse_choices, parse_scalar
from formflow.simulate.interactive_text import answer_error, ui
from formflow.simulate.program import Program
from formflow.simulate.routing import SKIPPED
from formflow.simulate.terminal import indent, safe
from formflow.simulate.values import show
from formflow.simulate.walk import Walk, walk

BACK, HELP, QUIT = {"<", "back", "tillbaka"}, {"?", "help", "hjälp"}, {"q", "quit", "avsluta"}


@dataclass(frozen=True)
class Session:
    status: str  # finished | quit | interrupted | eof | fault
    walk: Walk | None


class _Quit(Exception):
    def __init__(self, status: str):
        self.status = status


class Simulator:
    def __init__(self, program: Program, facts, lang: str, read, write):
        self.program, self.facts, self.lang = program, facts, lang
        self.read, self.write = read, write
        self.t = ui(lang)
        self.answers: dict = {}
        self.history: list[str] = []  # questions answered, in order (for going back)
        self.remembered: dict = {}  # answers taken back, offered again as the default
        self.shown_info: set[str] = set()
        self.page: str | None = None

    def text(self, texts) -> str:
        return safe(self.program.text(texts, self.lang))

    def run(self) -> Session:
        self.intro()
        while True:
            current = walk(self.program, self.facts, self.answers, complete=False)
            self.show_infos(current)
            if current.pending is None:
                return self.finish(current)
            try:
                self.ask(current.pending)
            except _Quit as stop:
                self.write("\n" + self.t[stop.status])
                return Session(stop.status, None)

    # ---------------------------------------------------------------- screens
    def intro(self):
        doc = self.program.doc["flow"]
        self.write(f"\n{self.text(doc['title'])}\n" + "=" * min(72, len(self.text(doc["title"]))))
        if doc.get("intro"):
            self.write(indent(self.program.text(doc["intro"], self.lang), ""))
        self.write(self.t["howto"])

    def show_infos(self, current: Walk):
        for step in current.trace:
            if step[0] == "ask" and self.program.questions[step[1]]["type"] == "info" and step[1] not in self.shown_info:
                self.shown_info.add(step[1])
                q = self.program.questions[step[1]]
                self.page_title(q)
                self.write(f"\nℹ {self.text(q['label'])}")

    def page_title(self, q: dict):
        if q.get("page") and q["page"] != self.page:
            self.page = q["page"]
            page = next(p for p in self.program.doc["pages"] if p["id"] == q["page"])
            self.write(f"\n── {self.text(page['title'])} ──")

    def ask(self, qid: str):
        q = self.program.questions[qid]
        self.page_title(q)
        self.write("\n" + self.question_text(q))
        while True:
            line = self.prompt(q)
            word = line.strip().casefold()
            if word in QUIT:
                raise _Quit("quit")
            if word in HELP:
                self.write(indent(self.program.text(q["help"], self.lang), "  ") if q.get("help") else self.t["no_help"])
                continue
            if word in BACK:
                if self.go_back():
                    return
                self.write(self.t["first"])
                continue
            try:
                self.answers[qid] = self.value(q, line)
            except AnswerError as exc:
                hint = answer_error(exc.help, self.lang) if exc.help else ""
                self.write(f"  ✗ {answer_error(exc.message, self.lang)}" + (f" ({hint})" if hint else ""))
                continue
            self.remembered.pop(qid, None)
            self.history.append(qid)
            return

    def prompt(self, q: dict) -> str:
        default = self.remembered.get(q["id"])
        hint = self.t["keep"].format(safe(self.shown(q, default))) if default is not None else ""
        try:
            return self.read(f"{self.t['hint_' + q['type']]}{hint}> ")
        except EOFError:
            raise _Quit("eof") from None
        except KeyboardInterrupt:
            raise _Quit("interrupted") from None

    def question_text(self, q: dict) -> str:
        lines = [f"{self.text(q['label'])}" + ("" if q["required"] else f" {self.t['optional']}")]
        if q.get("unit"):
            lines[0] += f" [{safe(q['unit'])}]"
        if q.get("terms"):
            lines.append(indent(self.program.text(q["terms"], self.lang), "  │ "))
        for i, option in enumerate(q.get("options", ()), 1):
            lines.append(f"  {i}) {self.text(option['label'])}")
        if q.get("help"):
            lines.append(self.t["has_help"])
        return "\n".join(lines)

    # ---------------------------------------------------------------- answers
    def value(self, q: dict, line: str):
        text = line.strip()
        if not text:
            if q["id"] in self.remembered:
                return self.remembered[q["id"]]
            if not q["required"]:
                return SKIPPED
            raise AnswerError(self.t["required"])
        if q["type"] in ("single", "multiple"):
            codes = [self.option_code(q, part) for part in text.replace(",", " ").split()]
            if q["type"] == "single":
                if len(codes) != 1:
                    raise AnswerError(self.t["one_option"])
                return parse_scalar(q, codes[0], self.facts.today)
            return parse_choices(q, codes)
        return parse_scalar(q, text, self.facts.today)

    def option_code(self, q: dict, part: str) -> str:
        """The option a typed number (or option code) stands for; anything else is "choose 1 to N"."""
        options = q["options"]
        if part.isdigit() and 1 <= int(part) <= len(options):
            return options[int(part) - 1]["code"]
        if any(o["code"] == part for o in options):
            return part
        raise AnswerError(self.t["choose_number"].format(len(options)))

    def go_back(self) -> bool:
        if not self.history:
            return False
        qid = self.history.pop()
        self.remembered[qid] = self.answers.pop(qid)
        return True

    def shown(self, q: dict, value) -> str:
        if value is SKIPPED:
            return self.t["skipped"]
        if value is True or value is False:
            return self.t["yes"] if value else self.t["no"]
        if q["type"] in ("single", "multiple"):
            chosen = value if isinstance(value, frozenset) else {value}
            return ", ".join(self.program.text(o["label"], self.lang) for o in q["options"] if o["code"] in chosen)
        return show(value)

    # ---------------------------------------------------------------- the end
    def write_problems(self, current: Walk) -> None:
        """The diagnostic the fault message promises (FF605/FF606): where in the flow, and what."""
        from formflow.diagnostics.render import render_text
        from formflow.simulate.scripted import walk_problems

        for problem in walk_problems(self.program, current, None):
            self.write(safe(render_text(problem), keep_newlines=True))

    def finish(self, current: Walk) -> Session:
        if current.fault is not None or current.outcome is None:
            self.write("\n" + self.t["fault"])
            self.write_problems(current)
            return Session("fault", current)
        self.write(f"\n{self.t['summary']}")
        for qid in current.asked:
            q = self.program.questions[qid]
            if q["type"] != "info":
                value = current.answers.get(qid, SKIPPED)
                self.write(f"  • {self.text(q['label'])}\n      {safe(self.shown(q, value))}")
        for name, value in current.values.items():
            self.write(f"  = {name}: {safe(show(value))}")
        outcome = self.program.outcomes[current.outcome]
        self.write(f"\n{self.t['outcome']}: {current.outcome} ({outcome['kind']}, {outcome['urgency']})")
        self.write(indent(self.program.text(outcome["message"], self.lang), "  "))
        return Session("finished", current)


def run_interactive(program: Program, facts, *, lang: str = "sv", read=input, write=print) -> Session:
    simulator = Simulator(program, facts, lang, read, write)
    try:
        return simulator.run()
    except KeyboardInterrupt:  # Ctrl-C while printing, not only at the prompt
        write("\n" + simulator.t["interrupted"])
        return Session("interrupted", None)
