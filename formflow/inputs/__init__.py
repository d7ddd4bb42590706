"""Input files: answers, citizens, scenarios and region configuration (YAML or JSON).

`yamlnode` reads a file into a small frozen tree of uninterpreted scalars with positions, refusing
everything that makes YAML surprising or unsafe; its typed converters give every value the type the
consumer expects, or a diagnostic at the value. `personnummer` parses Swedish personal identity and
coordination numbers relative to a given date; `citizen` turns a citizen file into the verified
facts that a flow reads as `citizen.*`.
"""
