"""Walking a compiled form as a citizen would: scripted, interactive, as scenario tests, at random.

The pipeline: `program` loads and validates a form.json and compiles it (`routing`, `expressions`);
`walk` runs one citizen with one set of answers; `answers` parses and checks what a citizen may
answer; `scripted` turns an answers file into a walk plus diagnostics; `transcript` prints it;
`interactive` is the terminal walk-through. Scenario tests: `scenarios` reads scenario files,
`expectations` checks them against a walk, `testrun` runs them, `coverage`, `report` and `junit`
present the results. `explore` walks random citizens and answers; `yamlout` writes the citizen
and answers files that replay a walk.
"""
