"""`formflow region`: check, show and edit region configuration (mounted by cli.py).

    formflow region check [REGION...]        every problem, as `formflow check` reports a flow's
    formflow region show REGION              clinics, booking rules, appointment types, texts
    formflow region add-clinic REGION --id ID --name NAME --hsa-id HSA --booking-system SYSTEM
                                             [--appointment-type TYPE ...]

REGION is a region folder (holding region.yaml) or a region.yaml file; `check` also takes a folder
of regions (every region.yaml under it) and defaults to `regions/`. Exit codes as everywhere:
0 clean, 1 problems (nothing written), 2 usage error.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from formflow.console import Format
from formflow.console import guard as _guard
from formflow.console import report as _report
from formflow.diagnostics.model import Diagnostic, make
from formflow.simulate.terminal import safe

if TYPE_CHECKING:  # the commands import the loader and model when they run
    from formflow.region.load import RegionFile
    from formflow.region.model import Region, Texts

# The commands import the loader, the editor (ruamel round-trip) and the renderer when they run:
# this module is imported by every `formflow` invocation to mount the sub-app, so it stays light.
FILE_NAME = "region.yaml"

region_app = typer.Typer(
    name="region",
    help="Check, show and edit a region's configuration (regions/<region>/region.yaml).",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


FORMAT = typer.Option(Format.text, "--format", "-f", help="text for people, json for tools, github for Actions annotations.")


# ---------------------------------------------------------------------------------------- check

@region_app.command("check")
@_guard
def check(paths: Optional[List[Path]] = typer.Argument(None, help="Region folders, region.yaml files, or folders "
                                                                   "of regions (default: regions/).", show_default=False),
          format: Format = FORMAT, strict: bool = typer.Option(False, "--strict", help="Fail on warnings too.")):
    """Check region configuration and report every problem with its place, code and a hint."""
    files, problems = discover(paths or [Path("regions") if Path("regions").is_dir() else Path(".")])
    from formflow.region.load import load_region_file

    results = [load_region_file(f) for f in files]
    diagnostics = problems + [d for r in results for d in r.diagnostics]
    _report(diagnostics, format, len(files), {"regions": [_summary(r) for r in results]})
    errors = any(d.is_error for d in diagnostics)
    raise typer.Exit(1 if errors or (strict and diagnostics) else 0)


def discover(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """region.yaml files: a file itself, a region folder's file, or every region.yaml under a folder."""
    found: dict[Path, Path] = {}
    problems = []
    for given in paths:
        if given.is_file():
            found.setdefault(given.resolve(), given)
        elif (given / FILE_NAME).is_file():
            found.setdefault((given / FILE_NAME).resolve(), given / FILE_NAME)
        elif given.is_dir() and (under := sorted(given.rglob(FILE_NAME))):
            for path in under:
                found.setdefault(path.resolve(), path)
        else:
            what = "no such file or folder" if not given.exists() else f"no {FILE_NAME} in it"
            problems.append(make("FF901", f"{given}: {what}", None, None,
                                 help="give a region folder (holding region.yaml), a region.yaml file or regions/"))
    return sorted(found.values(), key=str), problems


def _summary(result: RegionFile) -> dict:
    region = result.region
    return {"file": str(result.path), "valid": region is not None, "code": region.code if region else None,
            "name": region.name if region else None}


# ---------------------------------------------------------------------------------------- show

@region_app.command("show")
@_guard
def show(region: Path = typer.Argument(..., help="A region folder or its region.yaml."),
         format: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text for people, json for tools."),
         lang: str = typer.Option("sv", "--lang", help="Language of the texts shown (Swedish when missing).")):
    """Show a region: booking rules, clinics, appointment types (SNOMED CT, protected), terms, handoffs."""
    from formflow.region.load import load_region_file

    result = load_region_file(region)
    if result.region is None:
        _report(list(result.diagnostics), Format.text, 1)
        raise typer.Exit(1)
    if format is ShowFormat.json:
        typer.echo(json.dumps(region_data(result.region), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_region(result.region, str(result.path), lang))
    raise typer.Exit(0)


def render_region(region: Region, path: str, lang: str = "sv") -> str:
    out = [f"{region.name} (county code {region.code}) — {path}"]
    out += _section("Booking systems", ["id", "name", "new bookings from", "cancel until", "rebook until",
                                        "horizon", "open invitations"],
                    [[b.id, b.name, b.earliest_booking.replace("_", " "), f"{b.cancel_until_hours} h before",
                      f"{b.rebook_until_hours} h before", f"{b.horizon_days} days", _yes(b.open_invitations)]
                     for b in region.booking_systems])
    out += _section("Clinics", ["id", "name", "HSA-id", "booking system", "appointment types"],
                    [[c.id, c.name, c.hsa_id, c.booking_system, ", ".join(c.appointment_types) or "(all)"]
                     for c in region.clinics])
    out += _section("Appointment types", ["id", "local name", "SNOMED CT", "standard name", "protected", "minutes",
                                          "time type id", "bookable"],
                    [[t.id, t.local_name, t.snomed_code, t.standard_name, _yes(t.protected), str(t.duration_minutes),
                      t.time_type_id, _period(t.bookable_from, t.bookable_until)] for t in region.appointment_types])
    out += _section("Terms", ["id", "title", "languages"],
                    [[t.id, t.title.get(lang), ", ".join(t.text.languages)] for t in region.terms])
    out += _section("Handoffs", ["id", "kind", "target", "label"],
                    [[h.id, h.kind, h.target, h.label.get(lang)] for h in region.handoffs])
    out += ["", "Urgency scale (most urgent first): " + ", ".join(region.urgency_levels)]
    lock = region.code_lockout
    out += [f"Invitation codes: {lock.attempts} wrong per {lock.window_hours} h, then locked {lock.locked_hours} h"]
    return "\n".join(out + _windows(region))


def _windows(region: Region) -> list[str]:
    """Lead times, the clinics' own windows and the working days (booking windows, REFERENCE 12b)."""
    w = region.working_days
    out = [f"Working days: {', '.join(w.weekdays)}; not the holidays of {w.country} ({', '.join(w.categories)})"
           + (f"; closed {', '.join(d.isoformat() for d in w.closed)}" if w.closed else "")]
    out += [f"Lead time: {b.id} books from {b.lead_minutes} minutes after now" for b in region.booking_systems
            if b.lead_minutes]
    out += [f"Clinic window: {c.id}" + (f", {c.horizon_days} days ahead" if c.horizon_days is not None else "")
            + (f", from {c.lead_minutes} minutes after now" if c.lead_minutes is not None else "")
            for c in region.clinics if c.horizon_days is not None or c.lead_minutes is not None]
    return out


def _section(title: str, headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["", f"{title}: none"]
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    line = lambda cells: "  " + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    return ["", title, line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _period(first, last) -> str:
    if not first and not last:
        return "always"
    return f"{first.isoformat() if first else '…'} – {last.isoformat() if last else '…'}"


def region_data(region: Region) -> dict:
    """The region as JSON-ready data (the order of region.yaml, dates as YYYY-MM-DD)."""
    def texts(t: Texts) -> dict:
        return dict(t.items)

    return {
        "code": region.code, "name": region.name,
        "booking_systems": [{"id": b.id, "name": b.name, "earliest_booking": b.earliest_booking,
                             "cancel_until_hours": b.cancel_until_hours, "rebook_until_hours": b.rebook_until_hours,
                             "horizon_days": b.horizon_days, "open_invitations": b.open_invitations,
                             "lead_minutes": b.lead_minutes}
                            for b in region.booking_systems],
        "clinics": [{"id": c.id, "name": c.name, "hsa_id": c.hsa_id, "booking_system": c.booking_system,
                     "appointment_types": list(c.appointment_types), "horizon_days": c.horizon_days,
                     "lead_minutes": c.lead_minutes} for c in region.clinics],
        "appointment_types": [{"id": t.id, "local_name": t.local_name, "snomed_code": t.snomed_code,
                               "standard_name": t.standard_name, "protected": t.protected,
                               "duration_minutes": t.duration_minutes, "time_type_id": t.time_type_id,
                               "bookable_from": t.bookable_from.isoformat() if t.bookable_from else None,
                               "bookable_until": t.bookable_until.isoformat() if t.bookable_until else None}
                              for t in region.appointment_types],
        "terms": [{"id": t.id, "title": texts(t.title), "text": texts(t.text)} for t in region.terms],
        "handoffs": [{"id": h.id, "kind": h.kind, "target": h.target, "label": texts(h.label)}
                     for h in region.handoffs],
        "urgency_levels": list(region.urgency_levels),
        "code_lockout": region.code_lockout.as_json(),
        "working_days": region.working_days.as_json(),
    }


# ---------------------------------------------------------------------------------------- add-clinic

@region_app.command("add-clinic")
@_guard
def add_clinic_(region: Path = typer.Argument(..., help="A region folder or its region.yaml."),
                id: str = typer.Option(..., "--id", help="The clinic's id: lower-case, digits and _ (vc_getinge)."),
                name: str = typer.Option(..., "--name", help="The clinic's name as citizens see it."),
                hsa_id: str = typer.Option(..., "--hsa-id", help="The care unit's HSA-id (SE2321000115-E10004)."),
                booking_system: str = typer.Option(..., "--booking-system", help="An id from booking_systems."),
                appointment_type: Optional[List[str]] = typer.Option(
                    None, "--appointment-type", "-t", help="An appointment type the clinic offers (repeatable)."),
                format: Format = FORMAT):
    """Add a clinic to region.yaml, keeping every comment and every other line as it is."""
    from formflow.region.edit import NewClinic, add_clinic

    clinic = NewClinic(id, name, hsa_id, booking_system, tuple(appointment_type or ()))
    result = add_clinic(region, clinic)
    if not result.written:
        _report(list(result.diagnostics), format, 1)
        raise typer.Exit(1)
    if format is Format.json:
        typer.echo(json.dumps({"written": str(result.path), "clinic": id}))
    else:
        typer.echo(f"added clinic '{id}' to {safe(str(result.path))}")
    raise typer.Exit(0)
