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
    "interrupted": "Avbrutet.", "choose_number": "välj en siffra från 1 till {}",
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
    "interrupted": "Interrupted.", "choose_number": "choose a number from 1 to {}",
}

for _t in (_SV, _EN):  # questions without a value have no prompt of their own
    _t["hint_info"] = ""


def ui(lang: str) -> dict:
    return _SV if lang == "sv" else _EN


# The answer checks (`simulate.answers`) speak English, for authors reading diagnostics of answers
# files. A citizen walking the flow in Swedish reads them in Swedish: each message is matched whole
# and rewritten; anything unmatched stays as it is rather than being guessed at.
_SV_ANSWER_ERRORS = (
    (r"expected yes or no", "svara ja eller nej"),
    (r"expected yes \(accept\)", "skriv ja för att godkänna"),
    (r"write yes or no \(ja/nej and true/false work too\)", "skriv ja eller nej"),
    (r"this must be accepted to go on: the only answer is yes", "du måste godkänna för att gå vidare: svara ja"),
    (r"expected a whole number", "ange ett heltal"),
    (r"write digits only, such as 42 \(no leading zeros\)", "skriv bara siffror, till exempel 42"),
    (r"expected a number", "ange ett tal"),
    (r"write it like 37\.5 or 37,5", "skriv till exempel 37,5"),
    (r"at most (\d+) decimals? (?:is|are) allowed", r"högst \1 decimaler"),
    (r"a whole number is expected here", "ange ett heltal"),
    (r"the answer must be between (\S+) and (\S+)(.*)", r"svaret ska vara mellan \1 och \2\3"),
    (r"the answer must be at least (\S+)(.*)", r"svaret ska vara minst \1\2"),
    (r"the answer must be at most (\S+)(.*)", r"svaret ska vara högst \1\2"),
    (r"the text is (\d+) characters; at most (\d+) are allowed", r"texten har \1 tecken, högst \2 får plats"),
    (r"the text is empty", "texten är tom"),
    (r"the text has only invisible characters", "texten innehåller bara osynliga tecken"),
    (r"write something, or leave the question out if it is optional", "skriv något"),
    (r"expected a date written YYYY-MM-DD", "skriv datumet som ÅÅÅÅ-MM-DD"),
    (r"that date does not exist", "det datumet finns inte"),
    (r"the date must be between (\S+) and (\S+)", r"datumet ska vara mellan \1 och \2"),
    (r"the date must be on or after (\S+)", r"datumet ska vara \1 eller senare"),
    (r"the date must be on or before (\S+)", r"datumet ska vara \1 eller tidigare"),
    (r"expected a file name, such as photo\.jpg", "ange ett filnamn, till exempel foto.jpg"),
    (r"this question accepts (.+)", r"frågan tar emot \1"),
    (r"give a file name with a matching extension", "ange ett filnamn med en sådan filändelse"),
    (r"choose at least one option", "välj minst ett alternativ"),
    (r"the option '(\w+)' is chosen twice", r"alternativet '\1' är valt två gånger"),
    (r"the option '(\w+)' cannot be combined with other options", r"alternativet '\1' kan inte kombineras med andra"),
)


def answer_error(message: str, lang: str) -> str:
    """An answer check's message in the walk's language (Swedish, or the English it is written in)."""
    import re

    if lang != "sv":
        return message
    for pattern, swedish in _SV_ANSWER_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            return match.expand(swedish)
    return message
