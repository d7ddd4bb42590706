"""The interactive simulator's own words, in Swedish and English (other languages get English).

The flow's texts come from the flow in the chosen language; these are only the simulator's frame
around them: prompts, hints and messages.
"""

from __future__ import annotations

_SV = {
    "howto": "\n(Svara på frågorna. ? visar hjälptext, < går tillbaka till föregående fråga, q avslutar.)",
    "hint_yes_no": "ja/nej ", "hint_acknowledge": "skriv ja för att godkänna ", "hint_single": "välj en siffra ",
    "hint_multiple": "välj en eller flera siffror, t.ex. 1,3 ", "hint_integer": "heltal ", "hint_decimal": "tal ",
    "hint_text": "text ", "hint_date": "datum ÅÅÅÅ-MM-DD ", "hint_attachment": "filnamn ",
    "keep": "[Enter behåller: {}] ", "optional": "(frivillig, Enter hoppar över)", "has_help": "  (? visar hjälptext)",
    "no_help": "  Det finns ingen hjälptext till den här frågan.", "first": "  Det här är den första frågan.",
    "required": "ett svar krävs", "one_option": "välj ett alternativ", "skipped": "(inget svar)", "yes": "Ja",
    "no": "Nej", "summary": "Sammanfattning av dina svar", "outcome": "Resultat",
    "fault": "Formuläret kunde inte fullföras (ett fel i formuläret, se diagnosen nedan).",
    "quit": "Avslutat. Inget skickades.", "eof": "Inmatningen tog slut innan formuläret var klart.",
    "interrupted": "Avbrutet.",
}

_EN = {
    "howto": "\n(Answer the questions. ? shows help, < goes back to the previous question, q quits.)",
    "hint_yes_no": "yes/no ", "hint_acknowledge": "type yes to accept ", "hint_single": "choose a number ",
    "hint_multiple": "choose one or more numbers, e.g. 1,3 ", "hint_integer": "whole number ",
    "hint_decimal": "number ", "hint_text": "text ", "hint_date": "date YYYY-MM-DD ", "hint_attachment": "file name ",
    "keep": "[Enter keeps: {}] ", "optional": "(optional, Enter skips)", "has_help": "  (? shows help)",
    "no_help": "  There is no help text for this question.", "first": "  This is the first question.",
    "required": "an answer is required", "one_option": "choose one option", "skipped": "(no answer)", "yes": "Yes",
    "no": "No", "summary": "Summary of your answers", "outcome": "Result",
    "fault": "The form could not be completed (an error in the form, see the diagnostic below).",
    "quit": "Quit. Nothing was sent.", "eof": "The input ended before the form was complete.",
    "interrupted": "Interrupted.",
}

for _t in (_SV, _EN):  # questions without a value have no prompt of their own
    _t["hint_info"] = ""


def ui(lang: str) -> dict:
    return _SV if lang == "sv" else _EN
