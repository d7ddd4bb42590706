"""Region configuration: `regions/<region>/region.yaml` read strictly into frozen data.

`model` holds the data (Region, Clinic, BookingSystemRules, AppointmentType, Terms, Handoff);
`load` reads and checks a file, every problem a diagnostic with its place; `hsa` and `snomed`
check HSA-ids and SNOMED CT concept ids; `edit` adds a clinic without touching the rest of the
file; `command` is the `formflow region` command. The format is documented in dsl/REGION.md.
"""
