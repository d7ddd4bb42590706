"""`formflow graph`: the routing as Mermaid/DOT, every outcome coloured, hostile flow texts escaped."""

import re
import time

from typer.testing import CliRunner

from cli import app
from formflow import api
from formflow.graph.command import render

SMALL = ('flow small "Liten" {\n  outcome sick: emergency "Ring 112."\n  outcome fine: self_care "Vila."\n'
         '  outcome doc: visit "Boka besök."\n'
         '  question pain: yes_no "Ont i bröstet?"\n  if pain { end sick }\n'
         '  question days: integer "Hur många dagar?" min 0 max 30\n'
         '  if days > 7 and not pain { end doc }\n  end fine\n}\n')
HOSTILE_TEXT = 'a"] --> x\\n%% click q1 "javascript:alert(1)" <b>|x|</b> [[y]] {z} ;#'
HOSTILE = SMALL.replace("Ont i bröstet?", HOSTILE_TEXT.replace('"', "'") + ' \\" end')


def _flow(text, analyse=True):
    with api.gc_paused():
        result = api._check_source("t.flow", text.encode(), None, time.perf_counter(), analyse=analyse)
    assert result.ok, result.diagnostics
    return result.flow


def test_mermaid_structure_and_outcome_colours():
    out = render(_flow(SMALL), "mermaid")
    lines = out.splitlines()
    assert lines[1] == "flowchart TD"
    assert '  o1{{"⚠ AKUT: sick<br>brådska: immediate<br>Ring 112."}}' in lines  # emergency: hexagon + marker
    assert "  class o1 urgency0" in lines and "  classDef urgency0 fill:#d62728,color:#ffffff,stroke:#000000,stroke-width:2px" in lines
    assert "  class o2 urgency5" in lines  # self-care, urgency none: grey
    assert any(re.fullmatch(r'  q\d+ -->\|"days #62; 7 och inte pain"\| o3', l) for l in lines)
    assert any(re.fullmatch(r'  q\d+ -->\|"pain"\| o1', l) for l in lines)


def test_dot_structure_and_colours():
    out = render(_flow(SMALL), "dot")
    assert out.startswith("digraph flow {") and out.endswith("}\n")
    assert 'o1 [shape=doubleoctagon, style="filled,bold", fillcolor="#d62728"' in out
    assert re.search(r'o3 \[shape=box, style="rounded,filled,bold", fillcolor="#[0-9a-f]{6}"', out)
    assert 'label="otherwise"' in render(_flow(SMALL), "dot", "en")


def test_output_is_deterministic():
    assert render(_flow(SMALL)) == render(_flow(SMALL))


def test_hostile_labels_cannot_inject_mermaid():
    out = render(_flow(HOSTILE), "mermaid")
    label_line = next(l for l in out.splitlines() if l.startswith("  q") and "pain<br>" in l)
    inside = re.fullmatch(r'  q\d+\["(.*)"\]', label_line).group(1)
    assert not re.search(r'["<>|\[\]{}%;]', re.sub(r"#\d+;", "", inside.replace("<br>", "")))
    assert not any(l.lstrip().startswith(("click", "%% click")) for l in out.splitlines())
    assert len(out.splitlines()) == len(render(_flow(SMALL), "mermaid").splitlines())


def test_hostile_labels_cannot_inject_dot():
    out = render(_flow(HOSTILE), "dot")
    for line in out.splitlines():
        for value in re.findall(r'label="((?:[^"\\]|\\.)*)"', line):
            assert "\n" not in value
        stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)  # outside the quoted strings only syntax remains
        assert "<" not in stripped and "click" not in stripped
    assert len(out.splitlines()) == len(render(_flow(SMALL), "dot").splitlines())


def test_large_flow_graph_stays_linear():
    """1,000 questions give 1,000 question nodes and no edge blow-up (no timing here: speed belongs in benchmarks)."""
    body = "".join(f'  question q{i}: yes_no "Fråga {i}?"\n  if q{i} {{ end sick }}\n' for i in range(1000))
    flow = _flow('flow big "Stor" {\n  outcome sick: emergency "Ring 112."\n  outcome fine: self_care "Vila."\n'
                 + body + "  end fine\n}\n", analyse=False)
    out = render(flow, "mermaid")
    assert out.count("Fråga") == 1000
    assert sum(1 for line in out.splitlines() if "-->" in line) <= 2 * 1000 + 2


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    good = tmp_path / "small.flow"
    good.write_text(SMALL, encoding="utf-8")
    res = runner.invoke(app, ["graph", str(good), "--format", "dot", "--out", str(tmp_path / "g.dot")])
    assert res.exit_code == 0 and (tmp_path / "g.dot").read_text(encoding="utf-8").startswith("digraph")
    assert runner.invoke(app, ["graph", str(tmp_path / "none.flow")]).exit_code == 2
    assert runner.invoke(app, ["graph", str(good), "--lang", "fi"]).exit_code == 2
    assert runner.invoke(app, ["graph", str(good), "--format", "png"]).exit_code == 2
    bad = tmp_path / "bad.flow"
    bad.write_text(SMALL.replace("end doc", "end nowhere"), encoding="utf-8")
    res = runner.invoke(app, ["graph", str(bad)])
    assert res.exit_code == 1 and "Traceback" not in res.output
