"""`formflow gate evaluate`: may this citizen book, after these answers? (mounted by cli.py)

    formflow gate evaluate FLOW --citizen FILE --answers FILE [--slots FILE [--clinic ID] [--slot ID|TIME]]
                                [--code CODE] [--state FILE [--update-state]] [--lang sv] [--format text|json]

The flow is compiled as `formflow compile` would compile it; the walk runs on the form and the
decision is made on the gate configuration (`formflow.booking.gate`). Exit codes: 0 allowed,
3 denied (a decision, not an error: scripts can tell the two apart), 1 the flow or an input file
has problems (nothing decided), 2 usage. Output never shows a personnummer: the MakeBooking
request is printed with the subject of care masked.

`--state FILE` is the booking system's record of wrong codes, locks and used codes
(`booking.state_file`; a file that does not exist yet is an empty record); with `--update-state`
the record after this evaluation is written back atomically, owner-only, so that a stateless
command can be chained attempt after attempt as the booking system would run it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from formflow.console import Format
from formflow.console import guard as _guard
from formflow.console import report as _report
from formflow.console import OutFormat
from formflow.console import usage as _usage
from formflow.simulate.terminal import safe

DENIED = 3
MASK = "************"

gate_app = typer.Typer(name="gate", help="Evaluate a flow's booking gate for a citizen (who may book, and which times).",
                       no_args_is_help=True, add_completion=False,
                       context_settings={"help_option_names": ["-h", "--help"]})


@gate_app.command("evaluate")
@_guard
def evaluate(flow: Path = typer.Argument(..., help="A .flow file that books (its region.yaml above it is read)."),
             citizen: Path = typer.Option(..., "--citizen", help="Citizen file (with its optional `booking:` state)."),
             answers: Path = typer.Option(..., "--answers", help="Answers file for the walk."),
             slots: Optional[Path] = typer.Option(None, "--slots", help="Slots fixture: which free times are offered."),
             clinic: Optional[str] = typer.Option(None, "--clinic", help="The clinic the citizen chooses (with --slots)."),
             slot: Optional[str] = typer.Option(None, "--slot", help="The slot the citizen chooses: its id or its "
                                                "Swedish start time YYYY-MM-DDTHH:MM (with --slots; default: the first)."),
             code: Optional[str] = typer.Option(None, "--code", help="The invitation code the citizen enters."),
             state: Optional[Path] = typer.Option(None, "--state", help="Gate state file: wrong codes, locks, "
                                                  "used codes (a missing file is an empty record)."),
             update_state: bool = typer.Option(False, "--update-state", help="Write the record after this "
                                               "evaluation back to --state (atomically, owner-only)."),
             lang: Optional[str] = typer.Option(None, "--lang", help="Language of texts (default: the flow's first)."),
             format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="text or json.")):
    """Allow or deny booking after a walk, with the reasons, the route taken and the slots offered."""
    from formflow.booking.gate import evaluate as decide

    for option, path in (("FLOW", flow), ("--citizen", citizen), ("--answers", answers), ("--slots", slots)):
        if path is not None and not path.is_file():
            _usage(f"{option}: no such file: {path}")
    _check_state_options(state, update_state)
    if (clinic is not None or slot is not None) and slots is None:
        _usage("--clinic and --slot choose among the slots offered: give --slots FILE too")
    setup, person, offered, scripted, problems = _inputs(flow, citizen, answers, slots, lang)
    if person is not None and state is not None and person.booking.failed_code_attempts:
        _usage("give earlier wrong codes either in the citizen file (failed_code_attempts) or in --state, not both")
    with _held(state if update_state and person is not None else None):  # read, decide, write: one step
        record, more = _state(state) if person is not None else (None, [])
        problems += more
        if (setup is None or person is None or scripted is None or not scripted.ok or (slots and offered is None)
                or (state is not None and record is None)):
            _report(problems, Format.json if format is OutFormat.json else Format.text, 1, redact=True)
            raise typer.Exit(1)
        from formflow.booking.gate import Choice

        decision = decide(setup.config, setup.program, scripted.walk, person, code=code, slots=offered,
                          region=setup.region, lang=lang, state=record, choice=Choice(clinic, slot))
        if update_state:
            _write_state(state, decision.state)
    typer.echo(json.dumps(as_json(decision), ensure_ascii=False, indent=2) if format is OutFormat.json
               else safe(as_text(decision, setup.config), keep_newlines=True))
    raise typer.Exit(0 if decision.allowed else DENIED)


def _inputs(flow: Path, citizen: Path, answers: Path, slots: Path | None, lang: str | None):
    """(gate setup, citizen, slots, the scripted walk, problems): None where a file has errors."""
    from formflow import api
    from formflow.inputs.booking_state import region_problems
    from formflow.inputs.citizen import load_citizen_file

    setup, problems = api.load_gate(flow)
    if setup is not None and setup.config is None:
        _usage(f"{flow} books no appointment type, so it has no gate configuration")
    if setup is not None and lang is not None and lang not in setup.program.languages:
        _usage(f"the flow has no language '{lang}'; it has {', '.join(setup.program.languages)}")
    person, more = load_citizen_file(citizen) if setup is not None else (None, [])
    problems += more + (region_problems(person.booking, setup.region) if person is not None else [])
    if any(d.is_error for d in problems):
        person = None
    offered, more = _slots(slots, setup.region) if setup is not None and person is not None else (None, [])
    problems += more
    scripted = api.simulate_file(setup.program, person.facts(), answers) if person is not None else None
    if scripted is not None:
        problems += list(scripted.diagnostics)
    return setup, person, offered, scripted, problems


def _check_state_options(state: Path | None, update: bool) -> None:
    if update and state is None:
        _usage("--update-state needs --state FILE: the record to read and write")
    if state is not None and state.exists() and not state.is_file():
        _usage(f"--state: not a file: {state}")
    if state is not None and update and not state.parent.is_dir():
        _usage(f"--state: no such folder: {state.parent}")


def _held(path: Path | None):
    from contextlib import nullcontext

    from formflow.booking.state_file import held

    return nullcontext() if path is None else held(path)


def _state(path: Path | None):
    if path is None:
        return None, []
    from formflow.booking.state_file import load_state_file

    return load_state_file(path)


def _write_state(path: Path, record) -> None:
    from formflow.booking.state_file import write_state_file

    try:
        write_state_file(path, record)
    except OSError as exc:
        typer.echo(safe(f"error: cannot write the gate state {path}: {exc.strerror or exc}"), err=True)
        raise typer.Exit(1)


def _slots(path: Path | None, region):
    if path is None:
        return None, []
    from formflow.booking.slots import load_slots_file

    loaded = load_slots_file(path, region)
    return loaded.slots, list(loaded.diagnostics)


# ---------------------------------------------------------------------------------------- output

def _local(moment) -> str:
    from formflow.booking.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _masked(payload: dict | None) -> dict | None:
    if payload is None:
        return None
    slot = dict(payload["requestedTimeslot"], subject_of_care=MASK)
    return dict(payload, requestedTimeslot=slot)


def as_json(d) -> dict:
    """The decision as JSON data (deterministic; times as Swedish time with offset and in UTC)."""
    from formflow.booking.timeutil import to_local

    def instant(m):
        return {"local": to_local(m).isoformat(), "utc": m.strftime("%Y-%m-%dT%H:%M:%SZ")}

    out = {"allowed": d.allowed, "outcome": d.outcome, "appointment_type": d.appointment_type, "gate": d.gate,
           "route": d.route, "reasons": list(d.reasons),
           "routes": [{"id": r.id, "title": r.title, "passed": r.passed, "reasons": list(r.reasons),
                       **({"attempts_left": r.attempts_left} if r.attempts_left is not None else {}),
                       **({"locked_until": instant(r.locked_until)} if r.locked_until is not None else {})}
                      for r in d.routes],
           "flags": list(d.flags), "citizen_message": d.citizen_message,
           "active_bookings": [{"clinic": a.clinic, "start": instant(a.start), "may_cancel": a.may_cancel,
                                "cancel_until": instant(a.cancel_deadline)} for a in d.active]}
    if d.slots is not None:
        slot = lambda s: {"id": s.id, "clinic": s.clinic, "start": instant(s.start), "end": instant(s.end)}  # noqa: E731
        out["slots"] = {"offered": [slot(s) for s in d.slots.offered],
                        "refused": dict(d.slots.refused), "elsewhere": d.slots.elsewhere,
                        "gate_horizon_days": d.slots.horizon_days,
                        "refused_slots": [dict(slot(s), reason=why.reason, why=why.detail)
                                          for s, why in d.slots.refused_slots],
                        "clinic": d.slots.clinic, "chosen": slot(d.slots.chosen) if d.slots.chosen else None,
                        "no_free_times": d.slots.no_free_times, "fallback": d.slots.fallback}
        out["make_booking"] = _masked(d.make_booking)
        out["make_booking_problems"] = list(d.booking_problems)
    return out


def as_text(d, config: dict) -> str:
    lines = [f"decision  {'ALLOWED' if d.allowed else 'DENIED'}"
             + (f" through route '{d.route}' of gate '{d.gate}'" if d.allowed and d.route else "")
             + (" (open booking, no gate)" if d.allowed and d.gate is None else ""),
             f"walk      ended in '{d.outcome}'" + (f", books '{d.appointment_type}'" if d.appointment_type else "")]
    lines += [f"reason    {r}" for r in d.reasons]
    for r in d.routes:
        mark = "→" if r.id == d.route else ("✓" if r.passed else "✗")
        lines.append(f"  {mark} {r.id} — {r.title}" + ("" if r.passed else ": " + "; ".join(r.reasons)))
    lines += [f"flag      {f}" for f in d.flags]
    lines += [f"citizen   {d.citizen_message}"] if d.citizen_message else []
    for a in d.active:
        lines.append(f"active    booking at {a.clinic} on {_local(a.start)}: "
                     + (f"may be cancelled until {_local(a.cancel_deadline)}" if a.may_cancel
                        else f"can no longer be cancelled on the web (deadline was {_local(a.cancel_deadline)})"))
    if d.slots is not None:
        refused = ", ".join(f"{n} {why.replace('_', ' ')}" for why, n in d.slots.refused)
        lines.append(f"slots     {len(d.slots.offered)} offered" + (f"; not offered: {refused}" if refused else "")
                     + (f"; {d.slots.elsewhere} for another type or clinic" if d.slots.elsewhere else ""))
        lines += [f"  {'→' if s == d.slots.chosen else ' '} {_local(s.start)}–{_local(s.end)[-5:]}  {s.clinic}"
                  + (f"  [{s.id}]" if s.id else "") for s in d.slots.offered]
        lines += [f"  ✗ {_local(s.start)}  {s.clinic}" + (f"  [{s.id}]" if s.id else "") + f": {why.detail}"
                  for s, why in d.slots.refused_slots]
        if d.slots.no_free_times is not None:
            lines.append(f"citizen   {d.slots.no_free_times}")
        if d.slots.fallback is not None:
            f = d.slots.fallback
            lines.append(f"fallback  '{f['outcome']}' ({f['kind']}, {f['urgency']}): {f['message']}")
        if d.make_booking is not None:
            slot = d.make_booking["requestedTimeslot"]
            lines.append(f"booking   MakeBooking {slot['startTimeInclusive']}–{slot['endTimeExclusive']} at "
                         f"{slot['healthcare_facility']} ({slot['timeTypeID']}), subject of care {MASK}")
        lines += [f"booking   cannot be made: {p}" for p in d.booking_problems]
    return "\n".join(lines)
