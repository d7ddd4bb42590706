"""Every diagnostic code formflow can print, with its documented explanation.

Codes are stable: `FF` + three digits, grouped by stage (0xx source text, 1xx syntax, 2xx names,
3xx types, 4xx structure and content, 5xx input files, 6xx simulation and scenarios,
7xx booking and gates, 8xx analysis and proofs, 9xx files and internal). A code is never reused for a
different meaning. `formflow explain CODE` prints the entry; `dsl/ERRORS.md` is generated from it.

The bad and good examples are executable: the test suite checks that every bad example produces
its code and every good example does not. An example that does not start with `flow` is a piece
of a flow body, wrapped by `wrap_example` into a minimal flow.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.diagnostics.severity import Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    bad: str = ""
    good: str = ""
    region: str = ""  # the examples are checked as flows of regions/<region>/flows/ (booking needs its region.yaml)


def wrap_example(snippet: str) -> str:
    """A body snippet becomes a complete flow; a complete flow is returned as it is."""
    if snippet.lstrip().startswith("flow "):
        return snippet
    body = "\n".join("  " + line if line else "" for line in snippet.strip("\n").splitlines())
    return ('flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart."\n'
            f"{body}\n  end done\n}}\n")


_ENTRIES = [
    # ------------------------------------------------------------------ 0xx source text
    CodeInfo("FF001", "invalid-utf8", E, "The file is not valid UTF-8.",
             "Flow files are read as UTF-8 only, so that å, ä and ö mean the same on every machine. "
             "A file saved as Latin-1 or Windows-1252 has bytes that are not UTF-8; formflow names the "
             "first one and stops reading the file. A UTF-8 byte-order mark at the start is fine."),
    CodeInfo("FF002", "control-character", E, "A control character is in the source.",
             "Only tab and newline may appear as control characters (CR is treated as a newline). Other "
             "control characters (NUL, ESC, form feed, C1 controls) are invisible in most editors and can "
             "change what a terminal shows, so they are refused wherever they are, texts included."),
    CodeInfo("FF003", "bidi-control", E, "A bidirectional control character is in the source.",
             "Right-to-left overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) "
             "can make a line display in a different order from how it is read by formflow — the "
             "'Trojan Source' problem. Arabic or Persian translations display correctly without them, "
             "so they are refused everywhere, texts included."),
    CodeInfo("FF004", "invisible-character", E, "An invisible character is in the source.",
             "Zero-width spaces, word joiners, soft hyphens and stray byte-order marks are invisible: an "
             "id containing one looks like another id but is not. They are refused everywhere. The "
             "zero-width joiner and non-joiner are allowed inside texts (Persian and Indic scripts need "
             "them) but not in code."),
    CodeInfo("FF005", "non-ascii-in-code", E, "A non-ASCII character is outside a text.",
             "Ids, keywords and numbers use ASCII: letters a–z and A–Z, digits 0–9 and _. This keeps "
             "answer codes safe for every system that receives them and rules out look-alikes such as "
             "a Cyrillic 'е' in `fеver`. Swedish (and any other) letters belong inside texts in quotes.",
             'question hälsa: yes_no "Hur mår du?"',
             'question halsa: yes_no "Hur mår du?"'),
    CodeInfo("FF006", "file-too-large", E, "The file is larger than formflow reads.",
             "A flow file is limited to 4 MiB, far beyond any real form; a larger file is almost always "
             "the wrong file. Split a very large flow into several flows."),
    CodeInfo("FF007", "nesting-too-deep", E, "Brackets or blocks are nested too deeply.",
             "Parentheses, brackets and braces may be nested 64 levels deep. Deeper nesting is refused "
             "before parsing so that no later stage runs out of stack. Name parts of a long expression "
             "with `let`, and use `else if` instead of nesting if-blocks."),
    CodeInfo("FF008", "limit-exceeded", E, "An id, a text or a count is over formflow's limit.",
             "Ids are at most 64 characters, a text in quotes at most 5,000, a question has at most 200 "
             "options and a flow at most 10,000 questions. The limits are far above any real form; they "
             "are checked before parsing, at the place where the limit is crossed, so that a huge or "
             "generated file is refused at once instead of costing minutes and gigabytes in the later "
             "stages. Ids are short because they become file names, JSON keys and answer codes.",
             'question ' + 'a' * 70 + ': yes_no "Har du feber?"',
             'question fever: yes_no "Har du feber?"'),
    # ------------------------------------------------------------------ 1xx syntax
    CodeInfo("FF101", "syntax-error", E, "The parser expected something else here.",
             "The text does not follow the formflow grammar at this point. The message says what was "
             "found, what could come instead and which block it is in. After a syntax error formflow "
             "skips ahead and keeps reading, so one run reports several syntax errors; names and types "
             "are checked once the syntax is clean.",
             'question fever yes_no "Har du feber?"',
             'question fever: yes_no "Har du feber?"'),
    CodeInfo("FF102", "unterminated-text", E, "A text has no closing quote.",
             "Every text starts and ends with a double quote. A quote inside a text is written \\\".",
             'question fever: yes_no "Har du feber?',
             'question fever: yes_no "Har du feber?"'),
    CodeInfo("FF103", "unexpected-character", E, "A character that cannot start anything here.",
             "The character is not part of any keyword, id, number, text or operator.",
             'question fever: yes_no "Har du feber?" ;',
             'question fever: yes_no "Har du feber?"'),
    CodeInfo("FF104", "unexpected-end", E, "The file ends in the middle of something.",
             "A block opened with `{` was not closed, or a statement is cut off at the end of the file.",
             'flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart."\n  end done\n',
             'flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart."\n  end done\n}\n'),
    CodeInfo("FF105", "invalid-escape", E, "A backslash in a text starts an unknown escape.",
             "Inside a text, \\\" is a quote, \\\\ a backslash and \\n a line break. Any other backslash "
             "sequence is refused so that a pasted Windows path or markup cannot change meaning.",
             'question file: text "Ange sökväg C:\\mapp"',
             'question file: text "Ange sökväg C:\\\\mapp"'),
    # ------------------------------------------------------------------ 2xx names
    CodeInfo("FF201", "duplicate-id", E, "Two things have the same id.",
             "Questions, derived values, outcomes and pages share one namespace in a flow, options share "
             "one namespace within their question. Ids are the answer codes that other systems store, so "
             "each must be unique. Both places are shown.",
             'question fever: yes_no "Har du feber?"\nquestion fever: yes_no "Har du hosta?"',
             'question fever: yes_no "Har du feber?"\nquestion cough: yes_no "Har du hosta?"'),
    CodeInfo("FF202", "undefined-name", E, "A name refers to nothing defined in the flow.",
             "The name is not a question, derived value or outcome of this flow. A close match is "
             "suggested when there is one.",
             'question fever: yes_no "Har du feber?"\nif fevr { end done }',
             'question fever: yes_no "Har du feber?"\nif fever { end done }'),
    CodeInfo("FF203", "used-before-asked", E, "A question's answer is read before the question is asked.",
             "Routing runs top to bottom. A condition or derived value can only read questions asked "
             "above it; move the question up or the condition down.",
             'if fever { end done }\nquestion fever: yes_no "Har du feber?"',
             'question fever: yes_no "Har du feber?"\nif fever { end done }'),
    CodeInfo("FF204", "maybe-unasked", E, "A question is read where some routes have not asked it.",
             "The question is asked inside an if-block, so routes that skipped the block have no answer. "
             "Read it inside the same block, or guard the read with `answered(question)`.",
             'question fever: yes_no "Har du feber?"\nif fever {\n  question temp: decimal "Temperatur?" unit "°C" min 35 max 43\n}\nif temp > 39 { end done }',
             'question fever: yes_no "Har du feber?"\nif fever {\n  question temp: decimal "Temperatur?" unit "°C" min 35 max 43\n  if temp > 39 { end done }\n}'),
    CodeInfo("FF205", "optional-unguarded", E, "An optional question is read without checking that it was answered.",
             "An optional question may be left empty. Guard every read with `answered(question) and ...` "
             "or `if answered(question) { ... }`.",
             'question weight: integer "Vikt?" unit "kg" min 1 max 300 optional\nif weight > 150 { end done }',
             'question weight: integer "Vikt?" unit "kg" min 1 max 300 optional\nif answered(weight) and weight > 150 { end done }'),
    CodeInfo("FF206", "reserved-word", E, "A keyword is used as an id.",
             "Keywords (question, if, end, min, yes, today, ...) cannot be ids: they would make routing "
             "ambiguous to read. Choose another id.",
             'question weeks: integer "Hur många veckor?" min 0 max 52\nlet today = weeks * 7\nif today > 14 { end done }',
             'question weeks: integer "Hur många veckor?" min 0 max 52\nlet day_count = weeks * 7\nif day_count > 14 { end done }'),
    CodeInfo("FF207", "unknown-option", E, "A choice is compared with a code that is not one of its options.",
             "After `is`, `in` and `has`, the codes must be options of the question on the left. A close "
             "match is suggested.",
             'question pain: single "Hur ont har du?" {\n  option mild "Lite"\n  option severe "Mycket"\n}\nif pain is sever { end done }',
             'question pain: single "Hur ont har du?" {\n  option mild "Lite"\n  option severe "Mycket"\n}\nif pain is severe { end done }'),
    CodeInfo("FF208", "unused-value", W, "A derived value is never used.",
             "A `let` that no condition, other value or output reads is dead weight and often a sign of "
             "a typo elsewhere.",
             'question age_years: integer "Ålder?" min 0 max 120\nlet is_senior = age_years >= 65',
             'question age_years: integer "Ålder?" min 0 max 120\nlet is_senior = age_years >= 65\nif is_senior { end done }'),
    CodeInfo("FF209", "unused-outcome", W, "An outcome is declared but no route ends in it.",
             "No `end` or `trigger` names the outcome, so no citizen can reach it.",
             'outcome spare: information "Oanvänd."',
             'outcome spare: information "Används."\nquestion fever: yes_no "Har du feber?"\nif fever { end spare }'),
    CodeInfo("FF210", "unknown-fact", E, "`citizen.` names a fact formflow does not verify.",
             "Verified facts come from the e-ID login: citizen.age (completed years at today's date in "
             "Europe/Stockholm), citizen.birth_date, citizen.birth_year, citizen.is_proxy (a guardian acts "
             "for a child), citizen.region and citizen.has_invitation(\"code\"). Anything else the citizen "
             "says about themselves is a question, not a fact.",
             'if citizen.agee >= 65 { end done }',
             'if citizen.age >= 65 { end done }'),
    CodeInfo("FF211", "unknown-function", E, "A function that formflow does not have.",
             "Functions: round(x, digits) (half up), min(a, b, ...), max(a, b, ...), abs(x), "
             "count(cond, ...) (how many are true), answered(question), "
             "add_months(date, n) (clamped to month end), years_between(from, to).",
             'question temp: decimal "Temperatur?" unit "°C" min 35 max 43\nlet shown = rund(temp, 1)\nif shown >= 38 { end done }',
             'question temp: decimal "Temperatur?" unit "°C" min 35 max 43\nlet shown = round(temp, 1)\nif shown >= 38 { end done }'),
    CodeInfo("FF212", "undeclared-language", E, "A translation is in a language the flow does not declare.",
             "Translations sit beside the text in the languages listed by `languages`; the first language "
             "is the one written without a code.",
             'flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart." fi "Valmis."\n  end done\n}\n',
             'flow example "Exempel" fi "Esimerkki" {\n  languages sv, fi\n  outcome done: information "Klart." fi "Valmis."\n  end done\n}\n'),
    CodeInfo("FF213", "unknown-question-type", E, "The question type is not one formflow knows.",
             "Types: yes_no, single, multiple, integer, decimal, text, date, acknowledge, info, attachment.",
             'question fever: yesno "Har du feber?"',
             'question fever: yes_no "Har du feber?"'),
    CodeInfo("FF214", "unknown-outcome-kind", E, "The outcome kind is not one formflow knows.",
             "Kinds: emergency, self_care, chat, video, visit, booking, not_eligible, information.",
             'outcome go: emergncy "Ring 112."\nquestion pain: yes_no "Bröstsmärta?"\nif pain { end go }',
             'outcome go: emergency "Ring 112."\nquestion pain: yes_no "Bröstsmärta?"\nif pain { end go }'),
    CodeInfo("FF215", "unknown-urgency", E, "The urgency level is not on the flow's scale.",
             "Urgency levels, most urgent first, are `immediate, within_hours, same_day, within_days, "
             "routine, none` unless the flow sets its own with `urgency_levels a, b, c`.",
             'outcome go: visit "Boka besök." urgency soonish\nquestion pain: yes_no "Ont?"\nif pain { end go }',
             'outcome go: visit "Boka besök." urgency same_day\nquestion pain: yes_no "Ont?"\nif pain { end go }'),
    CodeInfo("FF216", "not-an-outcome", E, "`end` or `trigger` names something that is not an outcome.",
             "`end` and `trigger` take the id of an outcome declared with `outcome`.",
             'question fever: yes_no "Har du feber?"\nif fever { end fever }',
             'question fever: yes_no "Har du feber?"\nif fever { end done }'),
    CodeInfo("FF217", "id-case-collision", E, "Two ids differ only in upper and lower case.",
             "`Q1` and `q1` are different ids to formflow but not to a reader, nor to the systems that "
             "receive the form: a database column or a runtime that ignores case, a file system that "
             "does. Questions, derived values, pages and outcomes are compared with each other, option "
             "codes within their question.",
             'question fever: yes_no "Har du feber?"\nquestion Fever: yes_no "Hög feber?"',
             'question fever: yes_no "Har du feber?"\nquestion high_fever: yes_no "Hög feber?"'),
    CodeInfo("FF218", "reserved-id", E, "An id that other systems read as something else.",
             "Ids become JSON keys, answer codes and (the flow id) file names. `__proto__`, "
             "`constructor`, `prototype` and the other members of a JavaScript object, `meta`, and ids "
             "starting with `_` are reserved there; a flow id that is a Windows device name (`CON`, "
             "`NUL`, `COM1`...) cannot be a file name.",
             'question constructor: yes_no "Har du feber?"',
             'question fever: yes_no "Har du feber?"'),
    # ------------------------------------------------------------------ 3xx types
    CodeInfo("FF301", "type-mismatch", E, "An operator is used on values of the wrong types.",
             "Yes/no answers are compared with yes/no, numbers with numbers, dates with dates; choices "
             "are tested with `is`, `in` and `has`. Arithmetic works on numbers, and dates plus or minus "
             "a duration such as `12 months`.",
             'question fever: yes_no "Har du feber?"\nif fever > 3 { end done }',
             'question fever: yes_no "Har du feber?"\nif fever { end done }'),
    CodeInfo("FF302", "condition-not-yes-no", E, "A condition is not a yes/no value.",
             "`if` needs something that is true or false: a yes/no answer, a comparison or a test. "
             "Compare a number with a limit instead of using it alone.",
             'question temp: decimal "Temperatur?" unit "°C" min 35 max 43\nif temp { end done }',
             'question temp: decimal "Temperatur?" unit "°C" min 35 max 43\nif temp >= 38 { end done }'),
    CodeInfo("FF303", "bad-arguments", E, "A function gets the wrong number or types of arguments.",
             "Each function documents its arguments (see FF211); the message says what it expected.",
             'question temp: decimal "Temperatur?" unit "°C" min 35 max 43\nlet shown = round(temp)\nif shown >= 38 { end done }',
             'question temp: decimal "Temperatur?" unit "°C" min 35 max 43\nlet shown = round(temp, 1)\nif shown >= 38 { end done }'),
    CodeInfo("FF304", "attribute-not-allowed", E, "An attribute does not apply to this question type.",
             "unit, min and max apply to integer and decimal (min and max also to date); decimals to "
             "decimal; max_length to text; accept to attachment; terms to acknowledge. Options are "
             "FF406 and `exclusive` is FF407.",
             'question fever: yes_no "Har du feber?" unit "°C"',
             'question fever: yes_no "Har du feber?"'),
    CodeInfo("FF305", "bad-bound", E, "A min or max does not fit the question type.",
             "Numbers bound integer and decimal questions (integers need whole numbers); dates and "
             "`today ± duration` bound date questions.",
             'question born: date "Födelsedatum?" min 1900',
             'question born: date "Födelsedatum?" min 1900-01-01 max today'),
    CodeInfo("FF306", "invalid-literal", E, "A number or date literal is not valid.",
             "Dates are written YYYY-MM-DD and must exist (2021-02-29 does not). Numbers are limited "
             "to 15 significant digits.",
             'question when: date "När?" min 2021-02-29',
             'question when: date "När?" min 2021-02-28'),
    CodeInfo("FF307", "test-needs-question", E, "`is`, `in`, `has` or answered() is used on something that is not a question of the right kind.",
             "`is`/`is not`/`in` test a single-choice or yes/no question, `has` tests a multiple choice, "
             "and answered() takes a question id.",
             'question age_years: integer "Ålder?" min 0 max 120\nif age_years has old { end done }',
             'question age_years: integer "Ålder?" min 0 max 120\nif age_years >= 65 { end done }'),
    # ------------------------------------------------------------------ 4xx structure and content
    CodeInfo("FF401", "impossible-range", E, "A question's min is greater than its max.",
             "No answer could satisfy the range. For dates, `today - 1 year` is before `today`.",
             'question weight: integer "Vikt?" unit "kg" min 300 max 20',
             'question weight: integer "Vikt?" unit "kg" min 20 max 300'),
    CodeInfo("FF402", "empty-block", E, "An if-block or page is empty.",
             "An empty if-block or page does nothing and is usually unfinished work (an empty option list is FF406).",
             'question fever: yes_no "Har du feber?"\nif fever { }',
             'question fever: yes_no "Har du feber?"\nif fever { end done }'),
    CodeInfo("FF403", "missing-translation", W, "A text lacks a translation into a declared language.",
             "Every text needs a translation into every language the flow declares after the first, or a "
             "citizen who chose that language sees Swedish in the middle of the form.",
             'flow example "Exempel" en "Example" {\n  languages sv, en\n  outcome done: information "Klart."\n  end done\n}\n',
             'flow example "Exempel" en "Example" {\n  languages sv, en\n  outcome done: information "Klart." en "Done."\n  end done\n}\n'),
    CodeInfo("FF404", "unreachable-statement", W, "A statement follows an `end` in the same block.",
             "`end` finishes the flow at once, so nothing after it in the same block can run.",
             'question fever: yes_no "Har du feber?"\nif fever {\n  end done\n  question temp: integer "Temperatur?"\n}',
             'question fever: yes_no "Har du feber?"\nif fever {\n  question temp: integer "Temperatur?"\n  end done\n}'),
    CodeInfo("FF405", "missing-outcome", E, "A route can reach the end of the flow without an outcome.",
             "Every route must end in exactly one outcome. Finish the flow with `end outcome` — with "
             "triggers, the most urgent of the triggered outcomes and the one named by `end` wins.",
             'flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart."\n  question fever: yes_no "Har du feber?"\n  if fever { end done }\n}\n',
             'flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart."\n  question fever: yes_no "Har du feber?"\n  if fever { end done }\n  end done\n}\n'),
    CodeInfo("FF406", "missing-options", E, "A choice question has no options, or another question has options.",
             "single and multiple need a `{ option ... }` block with at least two options; other types "
             "take no options.",
             'question pain: single "Hur ont har du?"',
             'question pain: single "Hur ont har du?" {\n  option mild "Lite"\n  option severe "Mycket"\n}'),
    CodeInfo("FF407", "exclusive-misuse", E, "`exclusive` is used where it has no meaning.",
             "`exclusive` marks the option of a multiple choice that cannot be combined with the others "
             "(\"Inget av detta\"). A single choice is exclusive already; a multiple choice has at most "
             "one exclusive option... and needs at least one other option.",
             'question pain: single "Ont?" {\n  option yes_pain "Ja"\n  option no_pain "Nej" exclusive\n}',
             'question where: multiple "Var har du ont?" {\n  option head "Huvud"\n  option back "Rygg"\n  option nowhere "Ingenstans" exclusive\n}'),
    CodeInfo("FF408", "nested-page", E, "A page is inside another page.",
             "A page is one screen of the form; pages can sit inside if-blocks but not inside pages.",
             'page a "A" {\n  page b "B" { question x: yes_no "X?" }\n}',
             'page a "A" { question x: yes_no "X?" }\npage b "B" { question y: yes_no "Y?" }'),
    CodeInfo("FF409", "duplicate-setting", E, "A flow setting is given twice.",
             "version, languages, intro and urgency_levels may each appear once.",
             'flow example "Exempel" {\n  languages sv\n  version "1"\n  version "2"\n  outcome done: information "Klart."\n  end done\n}\n',
             'flow example "Exempel" {\n  languages sv\n  version "2"\n  outcome done: information "Klart."\n  end done\n}\n'),
    CodeInfo("FF410", "flow-id-mismatch", W, "The flow id differs from the file name.",
             "Artifacts are named after the flow id; a file `covid.flow` holding `flow vaccination` makes "
             "the compiled file hard to find. Rename one of them."),
    CodeInfo("FF411", "empty-text", E, "A text is empty or only spaces.",
             "Labels, option texts, outcome messages and translations must say something.",
             'question fever: yes_no ""',
             'question fever: yes_no "Har du feber?"'),
    CodeInfo("FF412", "duplicate-translation", E, "The same language is given twice for one text.",
             "Each text has at most one translation per language.",
             'flow example "Exempel" {\n  languages sv, en\n  outcome done: information "Klart." en "Done." en "Finished."\n  end done\n}\n',
             'flow example "Exempel" en "Example" {\n  languages sv, en\n  outcome done: information "Klart." en "Done."\n  end done\n}\n'),
    CodeInfo("FF413", "bad-languages", E, "The languages setting is malformed.",
             "`languages` lists language codes (ISO 639, lower case, two or three letters), the first one "
             "being the language of the unmarked texts, each at most once.",
             'flow example "Exempel" {\n  languages sv, sv\n  outcome done: information "Klart."\n  end done\n}\n',
             'flow example "Exempel" {\n  languages sv\n  outcome done: information "Klart."\n  end done\n}\n'),
    CodeInfo("FF414", "bad-attribute-value", E, "An attribute value is out of range.",
             "max_length must be between 1 and 100000, decimals between 0 and 6, an attachment's accept "
             "list holds media types such as \"image/jpeg\". An attribute may appear once.",
             'question note: text "Övrigt?" max_length 0',
             'question note: text "Övrigt?" max_length 500'),
    CodeInfo("FF415", "self-care-trigger", W, "A trigger names an outcome that is not more urgent than nothing.",
             "Triggers compete by urgency; a trigger of an outcome with urgency `none` can never win "
             "against the final `end`. Use `end` or give the outcome an urgency.",
             'outcome advice: self_care "Egenvård." urgency none\nquestion cold: yes_no "Förkyld?"\nif cold { trigger advice }',
             'outcome advice: self_care "Egenvård." urgency none\nquestion cold: yes_no "Förkyld?"\nif cold { end advice }'),
    CodeInfo("FF416", "acknowledgement-tested", W, "A condition reads an acknowledgement, which is always yes.",
             "An `acknowledge` question cannot be answered no: the citizen must accept the terms to go on. "
             "A condition that reads it is therefore always true (or, with `not`/`is no`, always false).",
             'question terms_ok: acknowledge "Jag godkänner villkoren."\nif terms_ok is no { end done }',
             'question terms_ok: acknowledge "Jag godkänner villkoren."'),
    CodeInfo("FF417", "unknown-pdf-template", E, "A pdf names a template that is not installed.",
             "`template` names a folder in formflow's templates (templates/<name>/ with its HTML and CSS). "
             "The message lists the installed templates.",
             'question fever: yes_no "Har du feber?"\npdf summary "Sammanfattning" {\n  template health_declartion\n  row fever\n  valid 12 months\n}',
             'question fever: yes_no "Har du feber?"\npdf summary "Sammanfattning" {\n  template health_declaration\n  row fever\n  valid 12 months\n}'),
    CodeInfo("FF418", "pdf-declaration-invalid", E, "A pdf block has a row or setting that cannot print correctly.",
             "Every row names a question with an answer or a derived value (with a `label`), once; a "
             "follow-up (`under`) names a row listed above it; `comment` names a text question; "
             "`template`, `include` and `comment` appear once; `include` is `all` or `flagged`; a validity "
             "is whole months or years, and exactly one `valid` has no `when`: it applies when no `when` "
             "holds, so that every declaration gets a validity.",
             'question bleeding: yes_no "Blöder du lätt?"\nquestion trombyl: yes_no "Tar du Trombyl?"\n'
             'pdf summary "Sammanfattning" {\n  row trombyl under bleeding\n  row bleeding\n  valid 12 months\n}',
             'question bleeding: yes_no "Blöder du lätt?"\nquestion trombyl: yes_no "Tar du Trombyl?"\n'
             'pdf summary "Sammanfattning" {\n  row bleeding\n  row trombyl under bleeding\n  valid 12 months\n}'),
    CodeInfo("FF419", "colour-rule-constant", W, "A row's colour rule can never apply, or always applies.",
             "`red when` is checked over every answer the question allows (its options, or its min and max "
             "and the limits the condition compares with). A rule that never holds prints every answer "
             "green, so the red flag the author meant never reaches the clinician; one that always holds "
             "flags every answer. Conditions that read other values are checked by the analyser.",
             'question temp: decimal "Temperatur" unit "°C" min 35 max 43 decimals 1\n'
             'pdf summary "Sammanfattning" {\n  row temp red when temp > 50\n  valid 12 months\n}',
             'question temp: decimal "Temperatur" unit "°C" min 35 max 43 decimals 1\n'
             'pdf summary "Sammanfattning" {\n  row temp red when temp >= 38\n  valid 12 months\n}'),
    # ------------------------------------------------------------------ 5xx input files (YAML/JSON)
    CodeInfo("FF501", "input-encoding", E, "An input file is not UTF-8, or has a character YAML does not allow.",
             "Answer, citizen, scenario and region files are read as UTF-8 only (a byte-order mark at the "
             "start is fine). Control characters other than tab and newline are not allowed anywhere in "
             "YAML or JSON, not even inside quotes; write them as escapes such as \\t in a double-quoted text."),
    CodeInfo("FF502", "input-too-large", E, "An input file is too large.",
             "An input file is limited to 1 MiB and 100,000 values (every text, number, list and mapping "
             "counts as one). Real answer, citizen and scenario files stay far below this; a larger file is "
             "usually the wrong file. Split a long scenario file into several files."),
    CodeInfo("FF503", "input-too-deep", E, "Lists and mappings in an input file are nested too deeply.",
             "Lists and mappings may be nested 64 levels deep. Deeper nesting is refused while the file is "
             "read, so that no later stage runs out of stack."),
    CodeInfo("FF504", "yaml-syntax", E, "An input file is not valid YAML or JSON.",
             "The YAML reader could not read the file at this point. Common causes: a text containing "
             "': ' or starting with a special character (such as @, `, [, {, *, & or !) without quotes, "
             "indentation with tabs, an unclosed quote or bracket, or a list item at the wrong indentation. "
             "JSON is read by the same reader."),
    CodeInfo("FF505", "yaml-tag", E, "An input file uses an explicit YAML tag.",
             "Tags such as `!!python/object`, `!foo` or even `!!str` are refused: they can make a YAML "
             "reader construct arbitrary objects, and formflow never needs them. The meaning of a value "
             "comes from what is expected where it stands (an answer to a yes/no question is read as yes "
             "or no, an answer to a text question as text), so write the value without a tag, in quotes if "
             "it contains special characters."),
    CodeInfo("FF506", "yaml-alias", E, "An input file uses a YAML anchor or alias.",
             "Anchors (`&name`) and aliases (`*name`) are refused. They let a small file expand into a "
             "huge one (the 'billion laughs' attack), and they make a file harder to review. Write the "
             "value out again where it is needed."),
    CodeInfo("FF507", "duplicate-key", E, "A key appears twice in one mapping.",
             "A YAML or JSON mapping may contain each key only once. Many readers silently keep the last "
             "value, so a scenario could test something other than what its author reads; formflow "
             "refuses the file instead and points at both places."),
    CodeInfo("FF508", "complex-key", E, "A mapping key is a list or a mapping.",
             "Keys of a mapping must be single values such as names, codes or ids. YAML allows a list or "
             "a mapping as a key (with `? `), but no formflow input uses one."),
    CodeInfo("FF509", "multiple-documents", E, "An input file contains more than one YAML document.",
             "A line `---` after the first document starts a second document in the same file. Every "
             "formflow input file holds exactly one document; put each scenario or citizen in a list "
             "or in a file of its own."),
    CodeInfo("FF510", "input-wrong-type", E, "A value in an input file is not of the expected kind.",
             "Each place in an input file expects one kind of value: a text, yes or no (also ja/nej, "
             "true/false), a whole number, a decimal number, a list or a mapping. Values are never "
             "guessed: `010` is not read as 8 or 10, `1,5` is not read as 1.5, and a quoted \"12\" is "
             "the same value as 12. Numbers use ASCII digits, a decimal point and no leading zeros, "
             "exponents or underscores. The message never repeats the value; the line shown does."),
    CodeInfo("FF511", "unknown-key", E, "A mapping in an input file has a key that is not known here.",
             "Unknown keys are refused rather than ignored, so that a misspelt key (`invitation` for "
             "`invitations`) cannot silently drop what it was meant to say. The hint suggests the "
             "closest known key."),
    CodeInfo("FF512", "missing-key", E, "A mapping in an input file lacks a required key.",
             "Some keys must always be given, for example `personnummer` and `now` in a citizen file: "
             "formflow does not fill in a default (such as the machine's clock) that would make a run "
             "impossible to reproduce."),
    CodeInfo("FF513", "invalid-date-time", E, "A date or date-time in an input file is not valid.",
             "Dates are written YYYY-MM-DD and must exist (2024-02-29 exists, 2023-02-29 does not). "
             "Date-times are written YYYY-MM-DDThh:mm or YYYY-MM-DDThh:mm:ss (a space may replace the T) "
             "and are read as Swedish time (Europe/Stockholm). A local time skipped when summer time "
             "starts (02:00–02:59 on the last Sunday in March) does not exist; one that occurs twice "
             "when summer time ends (02:00–02:59 on the last Sunday in October) is ambiguous and needs "
             "an explicit offset: +02:00 for the first, +01:00 for the second. A time with an offset "
             "or Z (UTC) is converted to Swedish time."),
    CodeInfo("FF514", "invalid-personnummer", E, "A personnummer or samordningsnummer is not valid.",
             "The number must be written YYYYMMDD-NNNN (or without the hyphen), or YYMMDD-NNNN, with "
             "YYMMDD+NNNN for someone who turns 100 or more in the year of the reference date. Its date "
             "must exist (a samordningsnummer adds 60 to the day), the birth number may not be 000, the "
             "last digit must match the check digit, and the birth date may not be after the reference "
             "date (`now`). The message never repeats the number. Tests and examples use only "
             "Skatteverket's test personnummer."),
    CodeInfo("FF515", "invalid-proxy", E, "The proxy (ombud) in a citizen file is not possible.",
             "`proxy_for` names the child a guardian acts for. The 1177 ombud function for guardians is "
             "for children under 13, so the child must be younger than 13 on the date of `now`; from 13 "
             "a child logs in with their own e-ID. A person cannot be their own proxy."),
    CodeInfo("FF516", "invalid-region", E, "A region in an input file is not a Swedish county code.",
             "Regions are given by their two-digit county code (länskod), as a text of two digits: "
             "\"01\" Stockholm, \"06\" Jönköping, \"12\" Skåne, \"13\" Halland and so on. Write \"06\", "
             "not 6."),
    # ------------------------------------------------------------------ 6xx simulation and scenarios
    CodeInfo("FF601", "unknown-answered-question", E, "An answer names a question the flow does not have.",
             "Every key in an answers file must be the id of a question in the flow. A misspelt id would "
             "otherwise be ignored silently and the walk would stop at the real question instead. The "
             "message suggests the nearest id."),
    CodeInfo("FF602", "invalid-answer", E, "An answer is not valid for its question.",
             "Answers are checked as the real service checks them: yes/no for yes_no (ja/nej and "
             "true/false work too), an option code for single, a list of option codes for multiple (the "
             "exclusive option alone), a whole number or a number within min and max, at most `decimals` "
             "decimals, a date YYYY-MM-DD within its bounds (bounds such as `today - 12 months` are taken "
             "on the citizen's `now`), text within max_length, yes for acknowledge, a file name with an "
             "accepted type for attachment. Info questions take no answer."),
    CodeInfo("FF603", "answer-not-asked", W, "An answer is given to a question that the route never asks.",
             "The route the citizen took did not reach this question, so its answer is not used — as in "
             "the real service, which discards answers to questions that are no longer on the route. "
             "Often the scenario expected a different route: check the answers that lead here."),
    CodeInfo("FF604", "missing-answer", E, "The route reaches a question the answers do not answer.",
             "A scripted walk stops at the first required question on its route that has no answer. "
             "Add an answer for it. Optional questions left out count as unanswered."),
    CodeInfo("FF605", "runtime-fault", E, "Evaluating the form failed on this route.",
             "Computing a value or a condition failed on this route, for example a division by zero. "
             "The checker rules out reading answers that may be missing; a fault of another kind means "
             "the flow needs a guard (`if height > 0 { ... }`) or, if it cannot be explained, a bug in "
             "formflow."),
    CodeInfo("FF606", "dead-end", E, "The route ended without an outcome.",
             "The routing ran out without reaching an `end`. The checker's FF405 rules this out for "
             "flows it compiled; seeing it means the form file was edited or produced elsewhere."),
    CodeInfo("FF607", "form-invalid", E, "The file is not a formflow form.",
             "The simulator runs compiled forms (`.form.json`) or compiles a `.flow` file first. This "
             "file is neither valid JSON of the form format nor does it match form.schema.json; the "
             "notes list what is wrong. Recompile it from its flow with `formflow compile`."),
    CodeInfo("FF608", "scenario-failed", E, "A scenario's expectation does not hold.",
             "`formflow test` walked the scenario's citizen and answers through the flow, and what happened "
             "differs from what the scenario's `expect` says: another outcome or outcome kind, a question "
             "asked that should not be (or the reverse), a derived value with another value, or other "
             "triggered outcomes. The report shows each difference and the route actually taken. Either "
             "the flow changed its behaviour (fix the flow) or the scenario is out of date (fix the "
             "scenario)."),
    CodeInfo("FF609", "scenario-invalid-expectation", E, "A scenario's expectation cannot be checked.",
             "An expectation names an outcome, question, derived value or outcome kind that the flow does "
             "not have (the hint suggests the nearest name), gives a value that does not fit the derived "
             "value's type (a date for a yes/no value), or contradicts itself (a question both in `asked` "
             "and in `not_asked`, an `outcome` whose kind is not the `outcome_kind`). The scenario is not "
             "run: an expectation that cannot hold would make the test meaningless."),
    CodeInfo("FF610", "coverage-below-minimum", E, "A flow's scenarios cover less of it than the minimum.",
             "With a minimum coverage (`formflow test --min-coverage 90`), every flow that has scenarios "
             "must reach it. A flow's coverage is the lowest of three percentages over all its scenarios: "
             "questions asked of all questions, condition directions taken (each `if` and `else if` "
             "condition both true and false) of all directions, and outcomes reached of all outcomes. The "
             "notes list what no scenario reaches; add scenarios for it."),
    CodeInfo("FF611", "scenario-feature-not-supported", E, "A scenario uses a key reserved for a later version.",
             "No longer reported: the keys once reserved, `pdf` and `booking`, are now expectations "
             "formflow checks (REFERENCE.md section 18). The code keeps its meaning for keys reserved in "
             "later versions: such a key is refused rather than ignored, so that a scenario never seems "
             "to test something it does not."),
    CodeInfo("FF612", "scenario-flow-not-found", E, "A scenario file names a flow that cannot be found.",
             "`flow: covid_vaccination` in `regions/<region>/scenarios/x.yaml` names the file "
             "`regions/<region>/flows/covid_vaccination.flow`. Check the spelling (the hint suggests the "
             "nearest flow of the region) or move the scenario file into the region the flow belongs to."),
    CodeInfo("FF613", "no-scenarios", E, "No scenario files were found.",
             "`formflow test` looks for scenario files (`.yaml`, `.yml` or `.json`) in folders named "
             "`scenarios`, such as `regions/halland/scenarios/`, under the paths it is given; a file given "
             "by name is read whatever its folder."),
    CodeInfo("FF614", "scenario-invalid", E, "A scenario file is not well formed.",
             "Each scenario needs a name that is unique in its file (it names the test in reports and "
             "JUnit XML), exactly one of `citizen` (the facts inline) and `citizen_file` (a citizen file, "
             "relative to the scenario file), and a file needs at least one scenario."),
    # ---- 7xx booking and gates
    CodeInfo("FF620", "no-pdf-for-route", W, "A walk asked none of the questions a pdf prints, so no PDF was made.",
             "A pdf prints the rows the route asked. A walk that ends before them — a citizen of another "
             "region sent to the paper form, a child too young for the e-service — has nothing to declare, "
             "and an empty declaration would read to a clinician as \"nothing to report\". `formflow pdf` "
             "and `formflow simulate --pdf` say so and write nothing for that walk; `build` and "
             "`pdf --scenarios` skip such scenarios quietly."),
    CodeInfo("FF701", "invalid-hsa-id", E, "An HSA-id in a region configuration is not valid.",
             "An HSA-id names a care unit in the national directory (Katalogtjänst HSA) and is where a "
             "booking is sent. It is `SE`, the directory owner's 10-digit organisation number without a "
             "hyphen (its last digit a Luhn check digit: Region Halland is 2321000115), a hyphen and a "
             "suffix of letters A–Z, a–z and digits — `SE2321000115-E10001` — at most 31 characters in "
             "all. å, ä, ö, @, spaces and other signs are not allowed. The older form with the century "
             "prefix 16 (`SE162321000255-O16560`) is accepted too."),
    CodeInfo("FF702", "invalid-snomed-id", E, "A SNOMED CT code in a region configuration is not a valid concept id.",
             "A standardised appointment type is found through its SNOMED CT concept id, so a mistyped "
             "code hides the region's appointments from booking by need. A concept id has 6 to 18 digits "
             "(no leading 0); its last digit is a Verhoeff check digit over the others, which catches "
             "every single wrong digit and every swap of two neighbours; and its second and third last "
             "digits (the partition) are 00 for the international release or 10 for an extension such as "
             "Sweden's (namespace 1000052): \"Vaccination mot covid-19\" is 72791000052103. Ids whose "
             "partition is 01/11 (descriptions) or 02/12 (relationships) are not concepts."),
    CodeInfo("FF703", "unknown-region-reference", E, "A region configuration, slots file or citizen file names something that is not defined.",
             "A clinic's `booking_system` must be one of the region's `booking_systems`, each of its "
             "`appointment_types` one of the region's appointment types, and a slot's `clinic` and "
             "`appointment_type` must exist in the region. The hint suggests the nearest id."),
    CodeInfo("FF704", "duplicate-region-entry", E, "Something that must be unique in a region is given twice.",
             "Two clinics cannot share an HSA-id (each care unit has its own), an id is listed once in a "
             "clinic's `appointment_types` and in `urgency_levels`, slot ids are unique in a slots file, "
             "and `formflow region add-clinic` refuses an id or HSA-id the region already has. Ids of "
             "clinics, booking systems, appointment types, terms and handoffs are keys of their mapping, so "
             "a repeated id is FF507."),
    CodeInfo("FF705", "invalid-region-id", E, "An id in a region configuration is not a valid id.",
             "Ids of booking systems, clinics, appointment types, terms, handoffs and urgency levels are "
             "lower-case ASCII: a letter a–z, then letters, digits 0–9 and `_`, at most 64 characters "
             "(`covid_vaccination`, `vc_hyltebruk`). Flows name appointment types, terms, handoffs and "
             "urgency levels, so an id may not be a keyword of the flow language (`yes`, `terms`, ...)."),
    CodeInfo("FF706", "invalid-region-value", E, "A value in a region configuration is outside what it allows.",
             "`earliest_booking` is `same_day` (a new booking may start later today, as in PMO) or "
             "`next_day` (from the next calendar day, as in PASiS); `cancel_until_hours` and "
             "`rebook_until_hours` are 0 to 720 hours; `horizon_days` is 1 to 730 days; an appointment "
             "type's `duration_minutes` is 1 to 480; `bookable_until` may not be before `bookable_from`; "
             "an urgency scale has at least two levels."),
    CodeInfo("FF707", "invalid-region-text", E, "A text in a region configuration is missing, empty or in an unknown language.",
             "Terms texts (villkorstexter), handoff labels and names are shown to citizens. A text with "
             "translations is a mapping from an ISO 639 language code in lower case (`sv`, `en`, `ar`, "
             "...) to the text; the Swedish text (`sv`) is required, because it is shown when a "
             "translation is missing. No text may be empty."),
    CodeInfo("FF708", "invalid-handoff", E, "A handoff (uthopp) in a region configuration has no usable target.",
             "A handoff sends the citizen outside 1177: `kind: web` with an `https://` address as its "
             "`target`, or `kind: phone` with a phone number (digits, spaces and hyphens, optionally a "
             "leading +), such as 1177. Plain http addresses are refused: a citizen leaving a logged-in "
             "service must not be sent over an unencrypted connection."),
    CodeInfo("FF709", "invalid-slot", E, "A slot in a slots file cannot be offered as written.",
             "Each slot names a clinic and an appointment type that the clinic offers, a `start` in "
             "Swedish time, and either `end` or `duration_minutes` (not both; without either, the "
             "appointment type's duration). The end must be after the start. A start or end that does not "
             "exist in Swedish time, or that occurs twice, is FF513. Durations are real elapsed time, so a "
             "slot across a change of summer time keeps its length."),
    CodeInfo("FF710", "region-edit-refused", E, "formflow region add-clinic refused to change the file.",
             "add-clinic writes region.yaml only when the file is valid before the edit, the new clinic "
             "is valid (its id is new, its HSA-id valid and unused, its booking system and appointment "
             "types exist), and the edit adds the clinic's lines without changing any other line, comment "
             "or the order of keys. Otherwise nothing is written. Fix the problems reported, or, when the "
             "file's layout cannot be kept (for example a `clinics` mapping written in flow style "
             "`{...}`), add the clinic by hand."),
    CodeInfo("FF711", "unknown-appointment-type", E, "A booking names an appointment type the region does not have.",
             "`appointment <id>` names one of the `appointment_types` of the region.yaml above the flow (dsl/REGION.md): its SNOMED CT code, local name, booking-system id and whether it is protected all come from there. A misspelt id would compile into a gate configuration that books nothing. The hint names the nearest id. The examples of the 7xx codes are checked as flows of regions/halland.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vacination through elderly\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80\n  }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through elderly\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80\n  }\n  end book\n}\n", region="halland"),
    CodeInfo("FF712", "unknown-clinic", E, "A booking names a clinic the region does not have, or one that does not offer the type.",
             "`clinics a, b` limits a booking to some of the region's clinics (by their id in region.yaml). Each must exist and offer the booking's appointment type (its `appointment_types` in region.yaml), or no slot of it could ever be offered there.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit clinics vc_laholm, vc_hylte\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit clinics vc_laholm, vc_hyltebruk\n  end book\n}\n", region="halland"),
    CodeInfo("FF713", "unknown-terms", E, "A booking names a terms text the region does not have.",
             "`terms <id>` names one of the region's terms texts (villkorstexter, `terms:` in region.yaml). The citizen reads and accepts it before the booking is made, so it must exist in Swedish (and is shown in Swedish where a translation is missing).",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit terms covid_bookings\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit terms covid_booking\n  end book\n}\n", region="halland"),
    CodeInfo("FF714", "self-declared-gate", E, "A gate lets someone who is not entitled book a protected appointment type.",
             "The Halland rule. In 2021 Region Halland closed covid-19 web booking because its only gate was a self-declared \"Tillhör du någon av dessa grupper? Ja/Nej\": people outside the priority groups answered \"Ja\" and took doses meant for 80-year-olds. A protected appointment type (`protected: yes` in region.yaml) says in region.yaml who is entitled to it, in verified terms only (`entitled:` — birth-year or birth-date cohorts with the dates they open, invitations, allow-lists, age, county; dsl/REGION.md). It must be booked `through` a gate, and `formflow check` proves with the solver, for every route of that gate, that for every citizen, every set of answers, every code typed and every day, if the walk ends in the booking and the route passes — its `from` date, its condition, its evidence — the citizen is entitled. Evidence proves exactly what it is bound to: a right `invitation_code \"X\"` proves the invitation X (a code is registered for this personnummer), `open_invitation \"X\"` the open invitation X, `allow_list` membership of one of its lists; answers may narrow a route (`not ill_today and ...`), never open it, and a verified fact that nearly everyone has (`citizen.age >= 18 and said_yes`) opens it to nearly everyone. When the proof fails, the note shows a counterexample that the gate evaluator allows — the citizen's facts, what the region's systems hold, the answers and the code typed — and `formflow prove --out-dir` writes it as scenario files (`formflow gate evaluate` reproduces it). A route the analyser can decide neither way is FF714 too: a claim it cannot back is not a proof. If the region has decided to take the risk, the gate says so in words: `accept_risk \"why, and who decided\"`; the reason is printed by `formflow build` and written into the gate configuration for review.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through groups\n  gate groups \"Vem får boka\" {\n    route priority \"Prioriterade grupper\" when in_group\n  }\n  question in_group: yes_no \"Tillhör du någon av dessa grupper?\"\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through groups\n  gate groups \"Vem får boka\" {\n    route priority \"Prioriterade grupper\" when in_group and citizen.has_invitation(\"covid-fas1\")\n  }\n  question in_group: yes_no \"Tillhör du någon av dessa grupper?\"\n  end book\n}\n", region="halland"),
    CodeInfo("FF715", "gate-never-passes", E, "No citizen can pass a gate.",
             "Every route of the gate contradicts itself on its face: it is `no`, or it puts bounds on the same verified fact that exclude each other (`citizen.age >= 80 and citizen.age < 65`), or the gate has no route at all. Such a gate books nobody; usually a comparison is the wrong way round.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through middle\n  gate middle \"Vem får boka\" {\n    route age_65_79 \"65–79 år\" when citizen.age >= 80 and citizen.age < 65\n  }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through middle\n  gate middle \"Vem får boka\" {\n    route age_65_79 \"65–79 år\" when citizen.age >= 65 and citizen.age < 80\n  }\n  end book\n}\n", region="halland"),
    CodeInfo("FF716", "unused-gate", W, "No booking outcome books through a gate.",
             "A gate protects an appointment type only when a booking outcome names it: `through <gate>`. An unused gate is usually a misspelt or forgotten `through`, which leaves the appointment type without the protection the author wrote.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80\n  }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit through elderly\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80\n  }\n  end book\n}\n", region="halland"),
    CodeInfo("FF717", "gate-requires-home-region", W, "A gate requires the citizen's home region.",
             "In 2021 the Parliamentary Ombudsman (JO) criticised a region for hard-blocking people registered in other regions from booking vaccination: care is given also to those who are not residents. A gate route that reads `citizen.region` makes residence a condition for booking. Tell non-residents where to book with an outcome in the flow if that is the region's routine, and let the gate decide on priority only.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through elderly\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre i Halland\" when citizen.region == \"13\" and citizen.age >= 80\n  }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through elderly\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80\n  }\n  end book\n}\n", region="halland"),
    CodeInfo("FF718", "no-region-config", E, "A flow books, but its region configuration cannot be read.",
             "Appointment types, clinics, terms texts and handoffs are ids of the region.yaml in the folder above the flow (`regions/<region>/region.yaml` for `regions/<region>/flows/<flow>.flow`). When there is no such file, or it has errors (`formflow region check` lists them), none of a booking's names can be checked and no gate configuration can be written, so the flow is not compiled. A plain `booking` outcome without booking attributes needs no region.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment visit\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\"\n  end book\n}\n"),
    CodeInfo("FF719", "invalid-booking-outcome", E, "A booking outcome's attributes do not fit together.",
             "Booking attributes (`appointment`, `through`, `terms`, `clinics`, `attach`, `flag`, `handoff`) belong to an outcome of kind `booking`; on another kind they would do nothing. `through` names a gate of the flow and needs an `appointment` to protect, `attach pdf` names a pdf of the flow, and `handoff` names a handoff (uthopp) of the region.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: visit \"Boka ett besök.\" appointment visit\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka ett besök.\" appointment visit\n  end book\n}\n", region="halland"),
    CodeInfo("FF720", "no-entitlement", E, "A protected appointment type does not say who is entitled to it.",
             "Every protected appointment type in region.yaml states who may have it under `entitled:`, a list of alternatives in verified terms only: `birth_year: {min, max}` or `born: {min, max}` (a cohort), with `from: YYYY-MM-DD` for the Swedish date it opens; `invitation: <name>` (invited by letter, SMS code or open invitation); `allow_list: <name>`; `age: {min, max}` (completed years, from the personnummer); `county: [\"13\"]`. An alternative is met when all its terms hold; a citizen is entitled when one alternative is met. There is no term for an answer: what a citizen says can never entitle them. `formflow check` proves every gate route of the type against this declaration (FF714); without it there is nothing to prove, so the region does not load."),
    CodeInfo("FF730", "missing-code-texts", E, "A gate takes invitation codes but does not say what the citizen reads about them.",
             "After typing an invitation code the citizen must be told, in the region's words and in every language of the flow, what happened: the code was wrong and how many attempts are left (`message wrong_code`, may show `{attempts_left}`), too many wrong codes and until when they are locked out (`message locked`, `{locked_until}`, Swedish time), the code has already been used for a booking (`message code_used`), or it has expired (`message code_expired`, `{valid_until}`). formflow has no default texts for these: what a region tells its citizens, including where to call instead, is the author's decision. A missing translation of a message is FF403 like any text.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through invited\n  gate invited \"Vem får boka\" {\n    route letter \"Med koden i brevet\" when citizen.has_invitation(\"covid-fas1\") invitation_code \"covid-fas1\"\n  }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through invited\n  gate invited \"Vem får boka\" {\n    route letter \"Med koden i brevet\" when citizen.has_invitation(\"covid-fas1\") invitation_code \"covid-fas1\"\n    message wrong_code \"Fel kod. Du har {attempts_left} försök kvar.\"\n    message locked \"För många felaktiga koder. Försök igen {locked_until} eller ring mottagningen.\"\n    message code_used \"Koden har redan använts för en bokning.\"\n    message code_expired \"Koden gällde till och med {valid_until}.\"\n  }\n  end book\n}\n", region="halland"),
    CodeInfo("FF731", "invalid-code-text", E, "A gate's message to the citizen cannot be shown as written.",
             "A gate gives four messages — `wrong_code`, `locked`, `code_used`, `code_expired` — each once. A message may show only the values of its kind: `{attempts_left}` in `wrong_code`, `{locked_until}` in `locked`, `{valid_until}` in `code_expired`; any other `{...}`, in the text or a translation, would reach the citizen as written.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through invited\n  gate invited \"Vem får boka\" {\n    route letter \"Med koden i brevet\" when citizen.has_invitation(\"covid-fas1\") invitation_code \"covid-fas1\"\n    message wrong_code \"Fel kod. Du har {attempts_left} försök kvar.\"\n    message locked \"För många felaktiga koder. Försök igen {locked_until} eller ring mottagningen.\"\n    message code_used \"Koden har redan använts ({attempts_left} försök kvar).\"\n    message code_expired \"Koden gällde till och med {valid_until}.\"\n  }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through invited\n  gate invited \"Vem får boka\" {\n    route letter \"Med koden i brevet\" when citizen.has_invitation(\"covid-fas1\") invitation_code \"covid-fas1\"\n    message wrong_code \"Fel kod. Du har {attempts_left} försök kvar.\"\n    message locked \"För många felaktiga koder. Försök igen {locked_until} eller ring mottagningen.\"\n    message code_used \"Koden har redan använts för en bokning.\"\n    message code_expired \"Koden gällde till och med {valid_until}.\"\n  }\n  end book\n}\n", region="halland"),
    CodeInfo("FF740", "unknown-holiday-set", E, "region.yaml names a holiday set that does not exist.",
             "`working_days: {holidays: SE, categories: [public, de_facto]}` says which holidays a window of working days skips (dsl/REGION.md): a country code of the maintained `holidays` package and categories it has for that country (Sweden: `public` — Easter, Första maj, Midsommardagen, ... — and `de_facto` — Midsommarafton, Julafton, Nyårsafton). A mistyped code would make every holiday a working day, so it is an error at its place."),
    CodeInfo("FF741", "impossible-booking-window", E, "A booking window is out of range, or no slot could ever fit it.",
             "A booking outcome's `window` rules narrow the slots it offers (REFERENCE 12b): `lead N minutes` (0 to 10080), `within N hours` (1 to 720), `within N working_days` (1 to 60), `today_only`, and date rules (`not_before`, `before`, `not_within N days of`, 1 to 365 days). Rules that exclude each other — a lead time as long as the window in hours, a lead time past midnight with `today_only`, `today_only` where every clinic's booking system books from the next day — would turn the booking into \"no free times\" for every citizen; a window on a booking without an `appointment` narrows nothing.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment follow_up\n     window lead 90 minutes\n     window within 1 hours\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment follow_up\n     window lead 30 minutes\n     window within 24 hours\n  end book\n}\n", region="jonkoping"),
    CodeInfo("FF742", "window-date-not-a-date", E, "A date rule of a booking window does not compute a date.",
             "`window not_before <date>`, `window before <date>` and `window not_within N days of <date>` compare a slot's Swedish date with a date computed from answers and facts when the slots are offered — `previous_dose_date + 42 days`, `operation_date`. A number, a yes/no or a text there has no day to compare with. Reading an answer the route may not have given is FF204/FF205, as for a flag.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment follow_up\n     window not_before doses\n  question doses: integer \"Hur många doser?\" min 0 max 5\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment follow_up\n     window not_before dose_date + 42 days\n  question dose_date: date \"När fick du dosen?\" max today\n  end book\n}\n", region="jonkoping"),
    CodeInfo("FF743", "invalid-fallback", E, "`when_full` names no outcome the citizen could be offered instead.",
             "`when_full <outcome> \"text\"` says what a booking offers when no slot is free: another outcome of the flow (a chat with same-day priority, a call), with the author's text that the citizen reads. It must name an outcome of the flow, and not one that books: that could be just as full.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome chat: chat \"Chatta med oss.\" urgency same_day\n  outcome book: booking \"Boka tid.\" appointment follow_up when_full chatt \"Inga tider är lediga. Chatta med oss i dag.\"\n  question ok: yes_no \"Vill du boka?\"\n  if ok { end book }\n  end chat\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome chat: chat \"Chatta med oss.\" urgency same_day\n  outcome book: booking \"Boka tid.\" appointment follow_up when_full chat \"Inga tider är lediga. Chatta med oss i dag.\"\n  question ok: yes_no \"Vill du boka?\"\n  if ok { end book }\n  end chat\n}\n", region="jonkoping"),
    # ---- 8xx analysis and proofs
    CodeInfo("FF801", "never-reached", W, "A statement can never be reached.",
             "The analyser computes, for every statement, the condition under which a route reaches it, "
             "and no citizen, day or answer set satisfies it here. An unreachable block is usually "
             "reported at the condition that makes it so (FF803, FF804); this code is for the rest, such as "
             "a question after a date question that has no valid answer on any day the route gets there. "
             "The labels show the conditions that exclude every route.",
             'if add_months(today, -1) < today - 30 days {\n  question since: date "Sedan när?" min today - 30 days max today - 1 month\n  question worse: yes_no "Har det blivit värre?"\n  if worse { end done }\n}',
             'question since: date "Sedan när?" min today - 1 month max today\nquestion worse: yes_no "Har det blivit värre?"\nif worse { end done }'),
    CodeInfo("FF802", "outcome-never-reached", W, "No complete route ends in this outcome.",
             "Something names the outcome on a route that citizens do take, but on every such route a more "
             "urgent outcome is triggered first, so this one never wins (the most urgent triggered outcome "
             "and the `end` decide, see REFERENCE.md section 8). The labels show where it is named.",
             'outcome visit_today: visit "Kontakta vårdcentralen i dag." urgency same_day\noutcome advice: self_care "Egenvård." urgency within_days\nquestion fever: yes_no "Har du feber?"\ntrigger visit_today\nif fever { end advice }',
             'outcome visit_today: visit "Kontakta vårdcentralen i dag." urgency same_day\noutcome advice: self_care "Egenvård." urgency within_days\nquestion fever: yes_no "Har du feber?"\nif fever { trigger visit_today }\nquestion cough: yes_no "Hostar du?"\nif cough { end advice }'),
    CodeInfo("FF803", "condition-always-true", W, "A condition is true on every route that tests it.",
             "Given what is known where it is tested — the conditions of the enclosing blocks, the earlier "
             "branches that failed, the `end`s that every other route took, the ranges of the answers and "
             "the verified facts — the condition cannot be false. Its `else` and later branches never run, "
             "or the test is not needed. The labels show the earlier conditions that decide it.",
             'question age_years: integer "Ålder?" min 0 max 120\nif age_years < 65 { end done }\nif age_years >= 65 { end done }',
             'question age_years: integer "Ålder?" min 0 max 120\nif age_years < 65 { end done }\nif age_years >= 90 { end done }'),
    CodeInfo("FF804", "condition-always-false", W, "A condition is false on every route that tests it.",
             "The condition contradicts itself (`age > 80 and age < 18`), or what is known where it is "
             "tested: an earlier branch already took every route it could be true on, or an answer's range "
             "or a verified fact rules it out. Its block never runs; the labels show why.",
             'question age_years: integer "Ålder?" min 0 max 120\nif age_years > 80 and age_years < 18 { end done }',
             'question age_years: integer "Ålder?" min 0 max 120\nif age_years > 80 or age_years < 18 { end done }'),
    CodeInfo("FF805", "assert-violated", E, "An assert does not hold on some route.",
             "An `assert` states a property of every complete route (REFERENCE.md, \"Properties: assert\"). "
             "The analyser found a citizen and answers for which it fails, walked them through the compiled "
             "form to make sure, and shows them in a note. `formflow prove` writes them as a scenario file "
             "that `formflow test` runs.",
             'outcome call_112: emergency "Ring 112."\nquestion chest_pain: yes_no "Har du ont i bröstet?"\nquestion breathless: yes_no "Är du andfådd?"\nif breathless { end call_112 }\nassert chest_pain_is_emergency: if chest_pain then outcome is call_112',
             'outcome call_112: emergency "Ring 112."\nquestion chest_pain: yes_no "Har du ont i bröstet?"\nif chest_pain { end call_112 }\nquestion breathless: yes_no "Är du andfådd?"\nif breathless { end call_112 }\nassert chest_pain_is_emergency: if chest_pain then outcome is call_112'),
    CodeInfo("FF806", "assert-vacuous", W, "An assert holds only because its `if` part is never true.",
             "`assert name: if A then B` says nothing when no complete route satisfies A: it holds, but it "
             "proves nothing. Usually A has a typo, a range the answers cannot reach, or names a question "
             "that is never asked.",
             'outcome call_112: emergency "Ring 112."\nquestion age_years: integer "Ålder?" min 0 max 120\nif age_years >= 100 { end call_112 }\nassert very_old: if age_years > 150 then outcome is call_112',
             'outcome call_112: emergency "Ring 112."\nquestion age_years: integer "Ålder?" min 0 max 120\nif age_years >= 100 { end call_112 }\nassert very_old: if age_years >= 100 then outcome is call_112'),
    CodeInfo("FF807", "analysis-undecided", W, "The analyser cannot decide a property.",
             "The solver ran out of its fixed resource limit, almost always on non-linear arithmetic "
             "(multiplying two answers, dividing by one) over answers without bounds. The analyser says "
             "so rather than guess; the help names the operation. Bounding the answers (`min`, `max`) or "
             "naming a part with `let` and testing it separately usually makes it decidable.",
             'question a: integer "A?"\nquestion b: integer "B?"\nif a * a == 2 * b * b and b > 0 { end done }',
             'question a: integer "A?"\nquestion b: integer "B?"\nif a == 2 * b and b > 0 { end done }'),
    CodeInfo("FF808", "division-by-zero", W, "A division can divide by zero on some route.",
             "The simulator and the real service stop with an error when a divisor is zero. The analyser "
             "found answers that make it zero where the division is computed; the note shows them. Give "
             "the answer a `min` above zero, or compute the value only behind a test.",
             'question meals: integer "Hur många måltider äter du per dag?" min 0 max 10\nquestion snacks: integer "Hur många mellanmål?" min 0 max 10\nlet ratio = snacks / meals\nif ratio > 1 { end done }',
             'question meals: integer "Hur många måltider äter du per dag?" min 1 max 10\nquestion snacks: integer "Hur många mellanmål?" min 0 max 10\nlet ratio = snacks / meals\nif ratio > 1 { end done }'),
    CodeInfo("FF809", "misplaced-outcome", E, "`outcome` is read outside an assert, or not tested with `is` or `in`.",
             "`outcome`, `outcome.kind` and `outcome.urgency` are the result of a complete route, so they "
             "exist only in an assert, and are tested with `is`, `is not` or `in`: `outcome is call_112`, "
             "`outcome.kind in [emergency, visit]`, `outcome.urgency is immediate`.",
             'question fever: yes_no "Har du feber?"\nif outcome is done { end done }',
             'question fever: yes_no "Har du feber?"\nif fever { end done }\nassert fever_ends_done: if fever then outcome is done'),
    CodeInfo("FF810", "no-valid-answer", W, "On some days a question has no valid answer.",
             "The question's `min` is after its `max` on some days — for example `min today - 30 days max "
             "today - 1 month` on the 31st of a month. A citizen who reaches it then can never go on.",
             'question since: date "Sedan när?" min today - 30 days max today - 1 month',
             'question since: date "Sedan när?" min today - 1 month max today'),
    CodeInfo("FF811", "analysis-unavailable", W, "The path analysis could not run.",
             "The analyser needs the z3-solver package, a dependency of formflow. Without it `formflow "
             "check` still checks names, types and structure, but proves nothing about routes. Install "
             "formflow with its dependencies."),
    CodeInfo("FF813", "invalid-booked", E, "`booked(...)` is read outside an assert, or names a type or route the flow does not book.",
             "`booked()`, `booked(<appointment type>)` and `booked(<appointment type>, <route>)` read the gate's decision after a complete route: whether it allowed a booking, of that type, through that route (the first, in order, that passes). The decision exists only when the route has ended, so `booked(...)` is read only in an assert, as a condition of its own (with `and`, `or`, `not`, `implies`); the type must be one this flow books and the route one of the gate that guards it. `formflow prove` proves such an assert for every citizen, answer set, code typed and day, and `formflow explore` checks it on every walk with the gate evaluator's decision.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through elderly\n  gate elderly \"Vem får boka\" {\n    route born_1941 \"Född 1941 eller tidigare\" when citizen.birth_year <= 1941 from 2021-02-01\n  }\n  end book\n  assert elderly_only: booked(covid_vaccination, born_1956) implies citizen.birth_year <= 1941\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment covid_vaccination through elderly\n  gate elderly \"Vem får boka\" {\n    route born_1941 \"Född 1941 eller tidigare\" when citizen.birth_year <= 1941 from 2021-02-01\n  }\n  end book\n  assert elderly_only: booked(covid_vaccination, born_1941) implies citizen.birth_year <= 1941\n}\n", region="halland"),
    CodeInfo("FF814", "date-outside-calendar", W, "Date arithmetic can leave the years 1–9999 on some route.",
             "Dates run from 0001-01-01 to 9999-12-31. Adding days, weeks, months or years beyond them — a "
             "date answer without a `max` plus a day, `today + 9000 years` — stops the simulator and the real "
             "service with an error on that route (FF605 in a walk). The analyser found a citizen, a day and "
             "answers that get there; the note shows them. Bound the date answer (`max today`), or compute the "
             "value only behind a test.",
             'question onset: date "När började besvären?"\nlet check_from = onset + 2 weeks\nif check_from > today { end done }',
             'question onset: date "När började besvären?" max today\nlet check_from = onset + 2 weeks\nif check_from > today { end done }'),
    # ------------------------------------------------------------------ 9xx files, artifacts, internal
    CodeInfo("FF812", "gate-route-never-passes", W, "No citizen who reaches a booking can pass this route of its gate.",
             "A gate is evaluated when a route has ended in the booking outcome that names it, so a gate route "
             "only protects someone if some citizen who reaches that booking meets its condition on a day the "
             "route is open. The analyser found that nobody does: the routing before the booking already sends "
             "everyone the route is for elsewhere, or the `from` date is after every day the flow can be used. "
             "FF715 catches a route that contradicts itself on its face; this is the same mistake spread between "
             "the routing and the gate. The labels show the conditions that exclude it.",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through elderly\n  outcome wait: information \"Vänta på brevet.\"\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80 login e_id\n  }\n  if citizen.age >= 65 { end wait }\n  end book\n}\n",
             "flow example \"Exempel\" {\n  languages sv\n  outcome book: booking \"Boka tid.\" appointment influenza_vaccination through elderly\n  outcome wait: information \"Vänta på brevet.\"\n  gate elderly \"Vem får boka\" {\n    route age_80 \"80 år eller äldre\" when citizen.age >= 80 login e_id\n  }\n  if citizen.age < 65 { end wait }\n  end book\n}\n", region="halland"),
    CodeInfo("FF901", "file-unreadable", E, "A file or folder given on the command line cannot be read.",
             "The path does not exist, is not a file or folder, or cannot be read with the current "
             "permissions."),
    CodeInfo("FF902", "no-flows", E, "No .flow files were found.",
             "The paths given contain no files ending in .flow. Folders are searched recursively."),
    CodeInfo("FF903", "output-unwritable", E, "An artifact could not be written.",
             "The output folder cannot be created or written. Nothing was written for this flow: "
             "artifacts are written to a temporary file and renamed into place only when complete."),
    CodeInfo("FF904", "artifact-invalid", E, "A compiled artifact does not match its published schema.",
             "This is a bug in formflow, not in the flow: the artifact was not written. Please report it "
             "with the flow that caused it."),
    CodeInfo("FF905", "internal-error", E, "formflow failed unexpectedly.",
             "This is a bug in formflow. Run again with --debug to see the traceback, and report it."),
    CodeInfo("FF906", "pdf-render-failed", E, "A PDF could not be rendered.",
             "weasyprint raised an error or the rendering process stopped unexpectedly while laying "
             "out the document. No PDF was written for it; the other documents of a batch are not "
             "affected. The message names only the kind of failure, never the document's contents. "
             "This is usually a bug in the PDF template or in formflow: please report it."),
    CodeInfo("FF907", "pdf-limit-exceeded", E, "A PDF was too large or too slow to render.",
             "Each document is bounded so that one runaway input cannot stall a batch: at most "
             "1,000 rows and 200,000 characters of text (a single answer longer than 10,000 "
             "characters is cut, with a note saying how much), 60 seconds of rendering and 1 GB of "
             "added memory. A real health declaration is a few pages, so a document over these limits "
             "almost always comes from a bug upstream or from hostile input. No PDF was written."),
    CodeInfo("FF908", "file-names-collide", E, "Two files or artifacts have names that differ only in case.",
             "`Vaccin.flow` beside `vaccin.flow`, or two flows whose ids differ only in case, are two "
             "files on Linux but one on Windows and macOS, where one artifact would silently replace "
             "the other (and a git checkout cannot hold both). Neither is compiled; rename one."),
    CodeInfo("FF909", "pdf-dependency-too-old", E, "A library that renders PDFs is older than formflow needs.",
             "PDFs hold a citizen's answers, and formflow relies on security fixes in the libraries "
             "that render them: jinja2 3.1.6 or later (sandbox breakouts closed in 3.1.5 and 3.1.6) and "
             "weasyprint 70 or later (every load through formflow's locked URL fetcher). With an older "
             "version installed, no PDF is rendered; the message names the versions found and needed. "
             "Upgrade them (`pip install -U 'jinja2>=3.1.6' 'weasyprint>=70'`)."),
]

CODES: dict[str, CodeInfo] = {c.code: c for c in _ENTRIES}
BY_NAME: dict[str, CodeInfo] = {c.name: c for c in _ENTRIES}


def lookup(key: str) -> CodeInfo | None:
    """Find an entry by code (`FF201`, `ff201`, `201`) or by name (`duplicate-id`)."""
    key = key.strip()
    if key.upper() in CODES:
        return CODES[key.upper()]
    if key.isdigit() and f"FF{int(key):03d}" in CODES:
        return CODES[f"FF{int(key):03d}"]
    return BY_NAME.get(key.lower())
