"""Reading region.yaml strictly into a `Region`, every problem a diagnostic at its place.

The file is read by `formflow.inputs.yamlnode` — no tags, anchors, aliases, duplicate keys or
second documents, and no value guessed from its look (`no` is not False, `010` is not 8) — and
every value is then converted to what its key expects. Problems are collected, not raised: a
region with errors gives None and all its diagnostics, sorted by position, with the same codes,
file:line:column and carets as a flow. The format is documented in dsl/REGION.md.

Decisions:

- Collections (`booking_systems`, `clinics`, `appointment_types`, `terms`, `handoffs`) are mappings
  keyed by id, so a repeated id is a duplicate key (FF507) and the order of the file is kept.
- Ids are lower-case ASCII (`[a-z][a-z0-9_]*`, at most 64 characters) and not a keyword of the
  flow language, because flows name appointment types, terms, handoffs and urgency levels (FF705).
- `protected` is required on every appointment type: whether a type may be booked without a gate
  is a decision the author must write down, never a default (the Halland mistake, seed 003).
- A key written without a value (`handoffs:`) is the same as leaving it out.
- Cross-references are checked after every entry has been read: a clinic's booking system and
  appointment types must exist (FF703, with the nearest id), and no two clinics share an HSA-id
  (FF704).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from formflow.check.suggest import did_you_mean
from formflow.check.types import KEYWORDS
from formflow.diagnostics.model import Diagnostic, Label, make
from formflow.inputs.citizen import as_region_code
from formflow.inputs.yamlnode import (Result, YMap, YNode, YScalar, as_bool, as_date, as_int, as_list, as_map,
                                      as_text, check_keys, head, load, parse, shown_key)
from formflow.region.entitlement_load import read_entitlement
from formflow.region.hsa import as_hsa_id, hsa_problem
from formflow.region.lockout import read_code_lockout
from formflow.region.working_days import read_working_days
from formflow.region.model import (DEFAULT_URGENCY_LEVELS, EARLIEST_BOOKING, HANDOFF_KINDS, AppointmentType,
                                   BookingSystemRules, Clinic, Handoff, Region, Terms, Texts)
from formflow.region.snomed import as_snomed_concept
from formflow.source import Source

FILE_NAME = "region.yaml"
REQUIRED = ("code", "name")
OPTIONAL = ("booking_systems", "clinics", "appointment_types", "terms", "handoffs", "urgency_levels", "code_lockout",
            "working_days")
SYSTEM_KEYS = (("name", "earliest_booking", "cancel_until_hours", "rebook_until_hours", "horizon_days"),
               ("open_invitations", "lead_minutes"))
CLINIC_KEYS = (("name", "hsa_id", "booking_system"), ("appointment_types", "horizon_days", "lead_minutes"))
TYPE_KEYS = (("local_name", "snomed_code", "standard_name", "protected", "duration_minutes", "time_type_id"),
             ("bookable_from", "bookable_until", "entitled"))
TERMS_KEYS = (("title", "text"), ())
HANDOFF_KEYS = (("kind", "target", "label"), ())
ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
LANGUAGE = re.compile(r"[a-z]{2,3}")
MAX_HOURS = 24 * 30
MAX_HORIZON_DAYS = 730
MAX_DURATION_MINUTES = 8 * 60
MAX_LEAD_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class RegionFile:
    """One region.yaml: the region if it is clean, the source (for diagnostics) and every problem."""

    path: Path
    source: Source | None
    region: Region | None
    diagnostics: tuple[Diagnostic, ...]


def region_file(path: str | Path) -> Path:
    """A region folder means its region.yaml; a file is itself."""
    path = Path(path)
    return path / FILE_NAME if path.is_dir() else path


def load_region_file(path: str | Path) -> RegionFile:
    target = region_file(path)
    source, node, diags = load(target)
    if node is None:
        return RegionFile(target, source, None, tuple(diags))
    region, diags = load_region(node, source)
    return RegionFile(target, source, region, tuple(diags))


def load_region_text(name: str, text: str) -> tuple[Region | None, list[Diagnostic]]:
    """Parse and load region.yaml text (used to validate an edit before it is written)."""
    source = Source.from_text(name, text)
    node, diags = parse(source)
    return (None, diags) if node is None else load_region(node, source)


def load_region(node: YNode, source: Source) -> tuple[Region | None, list[Diagnostic]]:
    """A Region from a parsed region.yaml, or None and every problem found."""
    reader = _Reader(source)
    region = reader.region(node)
    if reader.diags:
        return None, sorted(reader.diags, key=Diagnostic.sort_key)
    return region, []


# ---------------------------------------------------------------------------------------- reading

class _Reader:
    """Converts one region.yaml tree, collecting diagnostics instead of stopping at the first."""

    def __init__(self, source: Source):
        self.src = source
        self.diags: list[Diagnostic] = []

    def take(self, result: Result):
        value, d = result
        if d is not None:
            self.diags.append(d)
        return value

    def value(self, ymap: YMap, key: str, convert: Callable[[YNode], Result]):
        """A key's converted value; None when absent (check_keys reports a missing required key)."""
        node = ymap.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null and key not in _NULL_IS_WRONG):
            return None
        return self.take(convert(node))

    def report(self, code: str, message: str, node: YNode, label: str, help: str, secondary=()) -> None:
        span = node.span if isinstance(node, YScalar) else head(node)
        self.diags.append(make(code, message, self.src, span, label, help=help, secondary=secondary))

    # ------------------------------------------------------------------ the file

    def region(self, node: YNode) -> Region | None:
        ymap = self.take(as_map(node, self.src, field="the region"))
        if ymap is None:
            return None
        self.diags += check_keys(ymap, self.src, REQUIRED, OPTIONAL)
        code = self.value(ymap, "code", lambda n: as_region_code(n, self.src, field="'code'"))
        name = self.value(ymap, "name", lambda n: self.text(n, "'name'"))
        systems = self.section(ymap, "booking_systems", SYSTEM_KEYS, self.booking_system)
        types = self.section(ymap, "appointment_types", TYPE_KEYS, self.appointment_type)
        clinics = self.section(ymap, "clinics", CLINIC_KEYS, self.clinic)
        terms = self.section(ymap, "terms", TERMS_KEYS, self.terms)
        handoffs = self.section(ymap, "handoffs", HANDOFF_KEYS, self.handoff)
        levels = self.value(ymap, "urgency_levels", self.urgency_levels) or DEFAULT_URGENCY_LEVELS
        lockout = read_code_lockout(self, ymap.get("code_lockout"))
        working = read_working_days(self, ymap.get("working_days"))
        self.cross_references(ymap)
        return Region(code, name, clinics, systems, types, terms, handoffs, levels, code_lockout=lockout,
                      working_days=working)

    def section(self, ymap: YMap, key: str, keys: tuple, build) -> tuple:
        """A mapping of id → entry mapping; each entry checked for its keys and built by `build`."""
        node = ymap.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return ()
        section = self.take(as_map(node, self.src, field=f"'{key}'"))
        if section is None:
            return ()
        built = []
        for id_node, entry in section.items:
            self.check_id(id_node, key)
            entry_map = self.take(as_map(entry, self.src, field=f"'{id_node.text}' in '{key}'"))
            if entry_map is None:
                continue
            self.diags += check_keys(entry_map, self.src, *keys)
            item = build(id_node, entry_map)
            if item is not None:
                built.append(item)
        return tuple(built)

    def check_id(self, node: YScalar, what: str) -> bool:
        if not ID.fullmatch(node.text):
            self.report("FF705", f"an id in '{what}' must be lower-case ASCII letters, digits and _", node,
                        "not a valid id", "start with a letter a–z, then a–z, 0–9 or _ (at most 64 characters): "
                                          "covid_vaccination, vc_hyltebruk")
            return False
        if node.text in KEYWORDS:
            self.report("FF705", f"'{node.text}' is a keyword of the flow language and cannot be an id", node,
                        "keyword", "flows name these ids; choose another word")
            return False
        return True

    # ------------------------------------------------------------------ values

    def text(self, node: YNode, field: str) -> Result:
        text, d = as_text(node, self.src, field=field)
        if d:
            return None, d
        if not text.strip():
            return None, make("FF707", f"{field} is empty", self.src, node.span, "empty text",
                              help="write the text, or leave the key out if it is optional")
        return text.strip(), None

    def bounded_int(self, node: YNode, field: str, low: int, high: int, unit: str) -> Result:
        value, d = as_int(node, self.src, field=field)
        if d:
            return None, d
        if not low <= value <= high:
            return None, make("FF706", f"{field} must be {low} to {high} {unit}", self.src, node.span,
                              "out of range", help=f"write a whole number of {unit} from {low} to {high}")
        return value, None

    def choice(self, node: YNode, field: str, allowed: tuple[str, ...], code: str) -> Result:
        text, d = as_text(node, self.src, field=field)
        if d:
            return None, d
        if text in allowed:
            return text, None
        hint = did_you_mean(text, allowed) or f"write one of: {', '.join(allowed)}"
        return None, make(code, f"{field} must be one of: {', '.join(allowed)}", self.src, node.span,
                          "not an allowed value", help=hint)

    def texts(self, node: YNode, field: str) -> Result:
        """A mapping language → text, with Swedish (`sv`) required."""
        ymap, d = as_map(node, self.src, field=field)
        if d:
            return None, d
        items = []
        for lang, value in ymap.items:
            if not LANGUAGE.fullmatch(lang.text):
                self.report("FF707", f"{shown_key(lang.text)} is not a language code", lang, "not a language code",
                            "use ISO 639 codes in lower case: sv, en, fi, ar, so, ...")
                continue
            text = self.take(self.text(value, f"the {lang.text} text of {field}"))
            if text is not None:
                items.append((lang.text, text))
        if "sv" not in ymap.keys():
            return None, make("FF707", f"{field} has no Swedish text", self.src, head(ymap), "no `sv` here",
                              help="add `sv: ...`; the Swedish text is shown when a translation is missing")
        return Texts(tuple(items)), None

    def id_list(self, node: YNode, field: str) -> Result:
        """A list of ids (their nodes), each once (FF704) and well formed (FF705); its problems are
        recorded here, so the result is (ids, None), or (None, None) for a value that is not a list."""
        seq = self.take(as_list(node, self.src, field=field))
        if seq is None:
            return None, None
        seen: dict[str, YScalar] = {}
        for item in seq.items:
            if self.take(as_text(item, self.src, field=f"an id in {field}")) is None:
                continue
            if item.text in seen:
                self.report("FF704", f"{shown(item.text)} is listed twice in {field}", item, "listed again",
                            "list each id once", (Label(seen[item.text].span, "first listed here"),))
            elif self.check_id(item, field.strip("'")):
                seen[item.text] = item
        return tuple(seen.values()), None

    # ------------------------------------------------------------------ entries

    def booking_system(self, id_node: YScalar, m: YMap) -> BookingSystemRules | None:
        name = self.value(m, "name", lambda n: self.text(n, "'name'"))
        earliest = self.value(m, "earliest_booking",
                              lambda n: self.choice(n, "'earliest_booking'", EARLIEST_BOOKING, "FF706"))
        cancel = self.value(m, "cancel_until_hours",
                            lambda n: self.bounded_int(n, "'cancel_until_hours'", 0, MAX_HOURS, "hours"))
        rebook = self.value(m, "rebook_until_hours",
                            lambda n: self.bounded_int(n, "'rebook_until_hours'", 0, MAX_HOURS, "hours"))
        horizon = self.value(m, "horizon_days",
                             lambda n: self.bounded_int(n, "'horizon_days'", 1, MAX_HORIZON_DAYS, "days"))
        invitations = self.value(m, "open_invitations", lambda n: as_bool(n, self.src, field="'open_invitations'"))
        lead = self.lead_minutes(m)
        if None in (name, earliest, cancel, rebook, horizon):
            return None
        return BookingSystemRules(id_node.text, name, earliest, cancel, rebook, horizon, bool(invitations),
                                  span=id_node.span, lead_minutes=lead or 0)

    def lead_minutes(self, m: YMap) -> int | None:
        return self.value(m, "lead_minutes", lambda n: self.bounded_int(n, "'lead_minutes'", 0, MAX_LEAD_MINUTES,
                                                                        "minutes"))

    def clinic(self, id_node: YScalar, m: YMap) -> Clinic | None:
        name = self.value(m, "name", lambda n: self.text(n, "'name'"))
        hsa = self.value(m, "hsa_id", lambda n: as_hsa_id(n, self.src, field="'hsa_id'"))
        system = self.value(m, "booking_system", lambda n: self.text(n, "'booking_system'"))
        types = self.value(m, "appointment_types", lambda n: self.id_list(n, "'appointment_types'"))
        horizon = self.value(m, "horizon_days",
                             lambda n: self.bounded_int(n, "'horizon_days'", 1, MAX_HORIZON_DAYS, "days"))
        lead = self.lead_minutes(m)
        if None in (name, hsa, system):
            return None
        return Clinic(id_node.text, name, hsa, system, tuple(t.text for t in types or ()), span=id_node.span,
                      horizon_days=horizon, lead_minutes=lead)

    def appointment_type(self, id_node: YScalar, m: YMap) -> AppointmentType | None:
        local = self.value(m, "local_name", lambda n: self.text(n, "'local_name'"))
        code = self.value(m, "snomed_code", lambda n: as_snomed_concept(n, self.src, field="'snomed_code'"))
        standard = self.value(m, "standard_name", lambda n: self.text(n, "'standard_name'"))
        protected = self.value(m, "protected", lambda n: as_bool(n, self.src, field="'protected'"))
        minutes = self.value(m, "duration_minutes", lambda n: self.bounded_int(
            n, "'duration_minutes'", 1, MAX_DURATION_MINUTES, "minutes"))
        time_type = self.value(m, "time_type_id", lambda n: self.text(n, "'time_type_id'"))
        first = self.value(m, "bookable_from", lambda n: as_date(n, self.src, field="'bookable_from'"))
        last = self.value(m, "bookable_until", lambda n: as_date(n, self.src, field="'bookable_until'"))
        if first and last and last < first:
            self.report("FF706", "'bookable_until' is before 'bookable_from'", m.get("bookable_until"),
                        "before the first day", "the period is inclusive: the last day may equal the first")
            return None
        entitled = self.entitlement(id_node, m, protected)
        if None in (local, code, standard, protected, minutes, time_type):
            return None
        return AppointmentType(id_node.text, local, code, standard, protected, minutes, time_type, first, last,
                               entitled, span=id_node.span)

    def entitlement(self, id_node: YScalar, m: YMap, protected: bool | None):
        """Who is entitled to the type: required on a protected type (FF720), meaningless on another."""
        node = m.get("entitled")
        if node is None or (isinstance(node, YScalar) and node.is_null):
            if protected:
                self.report("FF720", f"the protected appointment type '{id_node.text}' does not say who is entitled "
                            "to it", id_node, "protected, no 'entitled'",
                            "add `entitled:` with who may have it, in verified terms only: "
                            "`- {birth_year: {max: 1956}, from: 2021-03-22}`, `- {invitation: covid-fas1}`, "
                            "`- {allow_list: ...}`, `- {age: {min: 65}}`, `- {county: [\"13\"]}`")
            return None
        if protected is False:
            self.report("FF706", f"'{id_node.text}' is not protected, so 'entitled' would decide nothing",
                        m.key_node("entitled") or node, "not protected",
                        "anyone may book a type that is not protected: remove 'entitled', or write `protected: yes`")
            return None
        return read_entitlement(self, node)

    def terms(self, id_node: YScalar, m: YMap) -> Terms | None:
        title = self.value(m, "title", lambda n: self.texts(n, "'title'"))
        text = self.value(m, "text", lambda n: self.texts(n, "'text'"))
        if None in (title, text):
            return None
        return Terms(id_node.text, title, text, span=id_node.span)

    def handoff(self, id_node: YScalar, m: YMap) -> Handoff | None:
        kind = self.value(m, "kind", lambda n: self.choice(n, "'kind'", HANDOFF_KINDS, "FF708"))
        label = self.value(m, "label", lambda n: self.texts(n, "'label'"))
        target = self.value(m, "target", lambda n: self.target(n, kind)) if kind else None
        if None in (kind, label, target):
            return None
        return Handoff(id_node.text, kind, target, label, span=id_node.span)

    def target(self, node: YNode, kind: str) -> Result:
        text, d = as_text(node, self.src, field="'target'")
        if d:
            return None, d
        if kind == "web" and not _WEB.fullmatch(text):
            return None, make("FF708", "the target of a web handoff must be an https:// address", self.src,
                              node.span, "not an https address",
                              help="write the full address: https://www.1177.se/hitta-vard/")
        if kind == "phone" and not _PHONE.fullmatch(text):
            return None, make("FF708", "the target of a phone handoff must be a phone number", self.src, node.span,
                              "not a phone number", help="digits, spaces and hyphens, optionally a leading +: "
                                                         "1177, 010-476 19 00")
        return text, None

    def urgency_levels(self, node: YNode) -> Result:
        levels, _ = self.id_list(node, "'urgency_levels'")
        if levels is None:
            return None, None
        if len(levels) < 2 and len(node.items) == len(levels):
            return None, make("FF706", "an urgency scale needs at least two levels", self.src, head(node),
                              "too few levels", help="list the levels, most urgent first: [immediate, ..., none]")
        return tuple(level.text for level in levels), None

    # ------------------------------------------------------------------ cross-references

    def cross_references(self, ymap: YMap) -> None:
        """References between entries, checked on every clinic written (also one with other errors)."""
        systems, types = _section_known(ymap, "booking_systems"), _section_known(ymap, "appointment_types")
        seen_hsa: dict[str, YScalar] = {}
        for entry in _entries(ymap, "clinics").values():
            system = entry.get("booking_system")
            if isinstance(system, YScalar) and not system.is_null:
                self.reference(system, system.text, "booking system", systems)
            for item in _list_items(entry.get("appointment_types")):
                self.reference(item, item.text, "appointment type", types)
            hsa = entry.get("hsa_id")
            if isinstance(hsa, YScalar) and hsa_problem(hsa.text) is None:
                self.unique_hsa(hsa, seen_hsa)

    def unique_hsa(self, hsa: YScalar, seen: dict[str, YScalar]) -> None:
        if hsa.text in seen:
            self.report("FF704", "two clinics have the same HSA-id", hsa, "second clinic with this HSA-id",
                        "each care unit has its own HSA-id; check the suffix",
                        (Label(seen[hsa.text].span, "first clinic with it"),))
        seen.setdefault(hsa.text, hsa)

    def reference(self, node: YNode | None, name: str, what: str, all_known: list[str]) -> None:
        if node is None or name in all_known:
            return  # an entry that exists but has its own errors is reported there, not here
        hint = did_you_mean(name, all_known) or (
            f"the {what}s defined are: {', '.join(all_known)}" if all_known else f"define the {what} first")
        self.report("FF703", f"there is no {what} {shown(name)}", node, f"unknown {what}", hint)


_NULL_IS_WRONG = frozenset(REQUIRED + SYSTEM_KEYS[0] + CLINIC_KEYS[0] + TYPE_KEYS[0] + TERMS_KEYS[0]
                           + HANDOFF_KEYS[0])
_WEB = re.compile(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s]*)?")
_PHONE = re.compile(r"\+?[0-9][0-9 -]{1,18}[0-9]")


def shown(name: str) -> str:
    return f"'{name}'" if ID.fullmatch(name) else "this id"


def _entries(ymap: YMap, key: str) -> dict[str, YMap]:
    section = ymap.get(key)
    if not isinstance(section, YMap):
        return {}
    return {k.text: v for k, v in section.items if isinstance(v, YMap)}


def _section_known(ymap: YMap, key: str) -> list[str]:
    """Every id written in a section, valid or not (so a broken entry is not also 'unknown')."""
    section = ymap.get(key)
    return list(section.keys()) if isinstance(section, YMap) else []


def _list_items(node: YNode | None) -> list[YScalar]:
    return [i for i in getattr(node, "items", ()) if isinstance(i, YScalar) and not i.is_null] if node else []
