"""Adding a clinic to region.yaml without disturbing anything else in the file.

Region files are written by people: their comments explain why a rule is what it is, and the order
of their keys is how they read. An edit must keep every other byte of the file. Why not simply
load with ruamel.yaml's round-trip mode, add the entry and dump: ruamel keeps comments, but it
attaches the comment lines *between* two sections to the last value before them, so a clinic
appended to `clinics` lands below the heading comment of the next section (and moving those
comments means editing ruamel's internal comment tokens, whose place differs for block values,
flow lists and block texts). So the edit is done in two steps, each checked:

1. ruamel.yaml (round-trip mode, `YAML()`) renders the new clinic in the file's indentation, with
   whatever quoting its values need; the lines are spliced in right after the last clinic and the
   comment lines indented under it. Blank lines and comment lines at the clinic ids' column or
   further left introduce what follows, so they stay after the new clinic.
2. The result is verified: a line diff must show only the inserted lines; ruamel.yaml must read
   the result as the original data plus the new clinic, in the original key order; and the strict
   region loader must read it as a valid region with the clinic. Only then is it written,
   atomically (temporary file + rename), keeping the file's byte-order mark and line endings.

Refusals, each with nothing written: a file that has problems before the edit (its diagnostics),
a clinic that is not valid on its own (id taken or malformed, HSA-id invalid or used, unknown
booking system or appointment type — reported by command-line option), and a `clinics` mapping in
flow style (`{...}`), whose layout cannot be kept (FF710).
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from formflow.check.suggest import did_you_mean
from formflow.check.types import KEYWORDS
from formflow.diagnostics.model import Diagnostic, make
from formflow.fsio import FileProblem, write_atomic
from formflow.inputs.yamlnode import YMap, YScalar, decode, parse
from formflow.region.hsa import hsa_problem
from formflow.region.load import ID, load_region_text, region_file
from formflow.region.model import Region
from formflow.source import Source


@dataclass(frozen=True)
class NewClinic:
    """The clinic to add, as given on the command line."""

    id: str
    name: str
    hsa_id: str
    booking_system: str
    appointment_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditResult:
    path: Path
    written: bool
    diagnostics: tuple[Diagnostic, ...]
    region: Region | None = None


def add_clinic(path: str | Path, clinic: NewClinic) -> EditResult:
    """Add `clinic` at the end of the region's `clinics`, or refuse with diagnostics (nothing written)."""
    target = region_file(path)
    raw, problem = _read(target)
    if problem:
        return EditResult(target, False, (problem,))
    source, diags = decode(str(target), raw)
    if source is None:
        return EditResult(target, False, tuple(diags))
    region, diags = load_region_text(source.name, source.text)
    if region is None:
        return EditResult(target, False, tuple(diags) + (_refused(source.name, "the file has problems; fix them first"),))
    problems = check_new_clinic(region, clinic)
    if problems:
        return EditResult(target, False, tuple(problems))
    return _apply(target, raw, source, clinic)


def _apply(target: Path, raw: bytes, source: Source, clinic: NewClinic) -> EditResult:
    new_text, problem = insert_clinic(source.text, clinic)
    if problem:
        return EditResult(target, False, (_refused(source.name, problem),))
    region, diags = load_region_text(source.name, new_text)
    if region is None or region.clinic(clinic.id) is None:
        return EditResult(target, False, tuple(diags) + (_refused(source.name, "the edited file would not be valid"),))
    try:
        write_atomic(target, _encode(new_text, raw))
    except FileProblem as exc:
        return EditResult(target, False, (make("FF903", f"{target}: {exc}", None, None,
                                               help="check the folder's permissions; the file was not changed"),))
    return EditResult(target, True, (), region)


def _read(target: Path) -> tuple[bytes, Diagnostic | None]:
    try:
        return target.read_bytes(), None
    except IsADirectoryError:
        return b"", make("FF901", f"{target}: it is a folder, not a file", None, None)
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else type(exc).__name__
        return b"", make("FF901", f"{target}: {reason}", None, None,
                         help="give a region folder (with region.yaml) or a region.yaml file")


def _refused(name: str, why: str) -> Diagnostic:
    return make("FF710", f"{name} was not changed: {why}", None, None,
                help="nothing was written; see `formflow explain FF710`")


def _encode(text: str, original: bytes) -> bytes:
    """The file's own conventions: a byte-order mark and CRLF line endings are kept."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if original.startswith(b"\xef\xbb\xbf") else data


# ---------------------------------------------------------------------------------------- the clinic

def check_new_clinic(region: Region, clinic: NewClinic) -> list[Diagnostic]:
    """Problems with the options themselves; diagnostics without a place, named by option."""
    out = []
    if not ID.fullmatch(clinic.id) or clinic.id in KEYWORDS:
        out.append(_option("FF705", "--id", "the clinic id must be lower-case ASCII letters, digits and _, "
                           "and not a keyword", "for example vc_getinge"))
    elif region.clinic(clinic.id):
        out.append(_option("FF704", "--id", f"the region already has a clinic '{clinic.id}'",
                           "choose another id; to change a clinic, edit region.yaml"))
    if not clinic.name.strip():
        out.append(_option("FF707", "--name", "the clinic's name is empty", "give the name citizens see"))
    out += _check_hsa(region, clinic.hsa_id)
    out += _check_refs(region, clinic)
    return out


def _check_hsa(region: Region, hsa_id: str) -> list[Diagnostic]:
    problem = hsa_problem(hsa_id)
    if problem:
        return [_option("FF701", "--hsa-id", problem.message, problem.help)]
    owner = next((c for c in region.clinics if c.hsa_id == hsa_id), None)
    if owner:
        return [_option("FF704", "--hsa-id", f"clinic '{owner.id}' already has this HSA-id",
                        "each care unit has its own HSA-id; check the suffix")]
    return []


def _check_refs(region: Region, clinic: NewClinic) -> list[Diagnostic]:
    out = []
    systems = [b.id for b in region.booking_systems]
    if clinic.booking_system not in systems:
        out.append(_option("FF703", "--booking-system", f"there is no booking system '{clinic.booking_system}'",
                           did_you_mean(clinic.booking_system, systems) or f"the booking systems are: {', '.join(systems)}"))
    types = [t.id for t in region.appointment_types]
    for type_id in clinic.appointment_types:
        if type_id not in types:
            out.append(_option("FF703", "--appointment-type", f"there is no appointment type '{type_id}'",
                               did_you_mean(type_id, types) or f"the appointment types are: {', '.join(types)}"))
    if len(set(clinic.appointment_types)) != len(clinic.appointment_types):
        out.append(_option("FF704", "--appointment-type", "an appointment type is given twice", "give each once"))
    return out


def _option(code: str, option: str, message: str, hint: str) -> Diagnostic:
    return make(code, f"{option}: {message}", None, None, help=hint)


# ---------------------------------------------------------------------------------------- the edit

def insert_clinic(text: str, clinic: NewClinic) -> tuple[str, str | None]:
    """The region text with the clinic's lines spliced in after the last clinic, or why not."""
    source = Source.from_text("region.yaml", text)
    root, _ = parse(source)
    if not isinstance(root, YMap):
        return text, "the file cannot be read"
    place = _placement(source, root)
    if place is None:
        return text, "its `clinics` are not written as an indented block"
    at, header, column, indent = place
    lines = text.split("\n")
    new_text = "\n".join(lines[:at] + header + _render(clinic, column, indent) + lines[at:])
    return new_text, _verify(text, new_text, clinic)


def _placement(source: Source, root: YMap) -> tuple[int, list[str], int, int] | None:
    """(line to insert at, lines before the clinic, column of clinic ids, indentation of their keys)."""
    clinics = root.get("clinics")
    if clinics is None:  # no section yet: a new one at the end of the file
        indent = _file_indent(source, root)
        return _end_of_file(source.text.split("\n")), ["clinics:"], indent, indent
    if isinstance(clinics, YScalar) and clinics.is_null:  # `clinics:` and nothing yet
        indent = _file_indent(source, root)
        return source.line_col(root.key_node("clinics").span.start)[0], [], indent, indent
    if isinstance(clinics, YMap) and clinics.items and not _flow(source.text, clinics):
        return _after_last_clinic(source, clinics), [], _column(source, clinics), _entry_indent(source, clinics)
    return None


def _render(clinic: NewClinic, column: int, indent: int) -> list[str]:
    """The clinic as YAML lines, rendered by ruamel.yaml (quoting as needed), at the file's indentation."""
    yaml = YAML()
    yaml.width = 1 << 16
    yaml.indent(mapping=indent, sequence=indent + 2, offset=indent)
    out = io.StringIO()
    yaml.dump(CommentedMap([(clinic.id, _entry(clinic))]), out)
    return [" " * column + line for line in out.getvalue().rstrip("\n").split("\n")]


def _entry(clinic: NewClinic) -> CommentedMap:
    entry = CommentedMap()
    entry["name"] = clinic.name
    entry["hsa_id"] = clinic.hsa_id
    entry["booking_system"] = clinic.booking_system
    if clinic.appointment_types:
        types = CommentedSeq(clinic.appointment_types)
        types.fa.set_flow_style()
        entry["appointment_types"] = types
    return entry


def _after_last_clinic(source: Source, clinics: YMap) -> int:
    """The 0-based line after the last clinic and the comment lines indented under it.

    Comment lines at or left of the clinic ids' column, and blank lines, introduce what follows
    (the next section's heading); they stay after the new clinic.
    """
    end = clinics.span.end
    while end > clinics.span.start + 1 and source.text[end - 1].isspace():
        end -= 1  # a block text (`>-`) ends after its trailing blank lines
    end_line = source.line_col(end - 1)[0]
    column = _column(source, clinics)
    lines = source.text.split("\n")
    row = end_line  # 0-based index of the line after the last clinic's last value
    while row < len(lines) and lines[row].lstrip(" ").startswith("#") and _indent(lines[row]) > column:
        row += 1
    return row


def _column(source: Source, ymap: YMap) -> int:
    return source.line_col(ymap.items[0][0].span.start)[1] - 1


def _entry_indent(source: Source, clinics: YMap) -> int:
    """How far a clinic's keys are indented under its id, as the first block clinic shows."""
    for key, value in clinics.items:
        if isinstance(value, YMap) and value.items and not _flow(source.text, value):
            return _column(source, value) - _column(source, clinics)
    return 2


def _file_indent(source: Source, root: YMap) -> int:
    """The indentation of the file's first nested block mapping (2 if it has none)."""
    for _, value in root.items:
        if isinstance(value, YMap) and value.items and not _flow(source.text, value):
            return _column(source, value) or 2
    return 2


def _flow(text: str, ymap: YMap) -> bool:
    return text[ymap.span.start] == "{"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _end_of_file(lines: list[str]) -> int:
    return len(lines) - 1 if lines and lines[-1] == "" else len(lines)


def _verify(old: str, new: str, clinic: NewClinic) -> str | None:
    """The splice only added lines, and ruamel.yaml reads the result as the old data plus the clinic."""
    a, b = old.split("\n"), new.split("\n")
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(ops) != 1 or ops[0][0] != "insert":
        return "the edit would also change other lines of the file"
    safe_reader = YAML(typ="safe", pure=True)  # plain data only: no tags constructed (both passed the strict loader)
    before, after = safe_reader.load(old), safe_reader.load(new)
    clinics = after.get("clinics")
    if not isinstance(clinics, dict) or list(clinics)[-1:] != [clinic.id]:
        return "the new clinic would not be the last entry of `clinics`"
    del clinics[clinic.id]
    if not after["clinics"] and before.get("clinics") in (None, {}):
        after["clinics"] = before.get("clinics")
        if "clinics" not in before:
            del after["clinics"]
    if _plain(before) != _plain(after) or list(before) != list(after):
        return "the edit would change what the rest of the file says"
    return None


def _plain(value):
    """Loaded YAML as nested (key, value) lists, so that comparison also sees key order."""
    if isinstance(value, dict):
        return [(k, _plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
