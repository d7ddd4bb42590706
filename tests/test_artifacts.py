"""The compiled form: deterministic bytes, valid against the published schema, complete and structured."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest

from conftest import SAMPLE, body, check
from formflow import __version__, api
from formflow.emit import schema as schema_mod
from formflow.emit.form_json import dumps, form_document
from formflow.resources import schema_path


def compile_to(paths: list[Path], out: Path) -> api.RunResult:
    result = api.compile_paths(paths, out)
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    return result


def place_sample(root: Path, region: str = "vastra") -> Path:
    flows = root / region / "flows"
    flows.mkdir(parents=True)
    return Path(shutil.copy(SAMPLE, flows / "sample.flow"))


@pytest.fixture
def artifact(tmp_path) -> tuple[bytes, dict]:
    place_sample(tmp_path / "src")
    compile_to([tmp_path / "src"], tmp_path / "out")
    data = (tmp_path / "out" / "vastra" / "sample.form.json").read_bytes()
    return data, json.loads(data)


@pytest.fixture(scope="module")
def published_schema() -> dict:
    return json.loads(schema_path("form").read_text(encoding="utf-8"))


def walk(node):
    """Every dict and list inside a JSON document."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def compile_text(text: str, name: str = "example.flow") -> dict:
    result = check(text, name)
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    return form_document(result.flow, "testregion", result.line_col)


# ---------------------------------------------------------------- determinism


def test_compiling_twice_gives_identical_bytes(tmp_path):
    place_sample(tmp_path / "src")
    compile_to([tmp_path / "src"], tmp_path / "out1")
    compile_to([tmp_path / "src"], tmp_path / "out2")
    a = (tmp_path / "out1" / "vastra" / "sample.form.json").read_bytes()
    b = (tmp_path / "out2" / "vastra" / "sample.form.json").read_bytes()
    assert a == b


def test_different_absolute_paths_give_identical_bytes(tmp_path):
    place_sample(tmp_path / "checkout-one" / "deep" / "regions")
    place_sample(tmp_path / "elsewhere" / "regions")
    compile_to([tmp_path / "checkout-one" / "deep" / "regions"], tmp_path / "out1")
    compile_to([tmp_path / "elsewhere" / "regions"], tmp_path / "out2")
    a = (tmp_path / "out1" / "vastra" / "sample.form.json").read_bytes()
    b = (tmp_path / "out2" / "vastra" / "sample.form.json").read_bytes()
    assert a == b
    assert b"checkout-one" not in a and str(tmp_path).encode() not in a


def test_relative_and_absolute_invocation_agree(tmp_path, monkeypatch):
    src = place_sample(tmp_path / "src")
    compile_to([src], tmp_path / "abs")
    monkeypatch.chdir(tmp_path)
    compile_to([Path("src/vastra/flows/sample.flow")], Path("rel"))
    assert (tmp_path / "abs" / "vastra" / "sample.form.json").read_bytes() == \
        (tmp_path / "rel" / "vastra" / "sample.form.json").read_bytes()


def test_crlf_source_gives_the_same_form_apart_from_the_hash(tmp_path):
    lf = compile_text(SAMPLE.read_text(encoding="utf-8"), "sample.flow")
    crlf = compile_text(SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n"), "sample.flow")
    assert lf["source"]["sha256"] != crlf["source"]["sha256"]
    lf["source"]["sha256"] = crlf["source"]["sha256"] = ""
    assert lf == crlf


def test_serialisation_is_stable_and_readable(artifact):
    data, doc = artifact
    assert data.endswith(b"}\n")
    assert "vårdcentral".encode() in data  # UTF-8, not \u escapes
    assert data == dumps(doc)
    assert data.startswith(b'{\n  "format": "formflow/form",\n')


def test_no_timestamps(artifact):
    data, _ = artifact
    import re

    assert not re.search(rb"20\d\d-\d\d-\d\dT\d\d:\d\d", data)


# ---------------------------------------------------------------- schema


def test_artifact_validates_with_jsonschema_rs(artifact, published_schema):
    _, doc = artifact
    assert schema_mod.validation_errors("form", doc) == []


def test_artifact_validates_with_pure_python_jsonschema(artifact, published_schema):
    _, doc = artifact
    validator = jsonschema.Draft202012Validator(published_schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


def test_schema_is_valid_draft_2020_12(published_schema):
    assert published_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(published_schema)


def test_schema_refers_only_to_itself(published_schema):
    refs = [n["$ref"] for n in walk(published_schema) if isinstance(n, dict) and "$ref" in n]
    assert refs, "the schema uses $defs"
    assert [r for r in refs if not r.startswith("#")] == []
    assert all(isinstance(n.get("$dynamicRef", "#"), str) and n.get("$dynamicRef", "#").startswith("#")
               for n in walk(published_schema) if isinstance(n, dict))


def test_refusing_retriever_blocks_remote_refs():
    calls = []

    def recording(uri):
        calls.append(uri)
        return schema_mod._refuse(uri)

    remote = {"$ref": "http://127.0.0.1:9/x"}
    with pytest.raises(Exception) as excinfo:
        validator = jsonschema_rs.Draft202012Validator(remote, retriever=recording)
        validator.is_valid({})
    assert calls == ["http://127.0.0.1:9/x"]
    assert "does not fetch" in str(excinfo.value)


def test_refuse_raises():
    with pytest.raises(schema_mod.RemoteRefRefused):
        schema_mod._refuse("https://example.org/schema.json")


def test_production_validator_refuses_remote_refs(monkeypatch):
    # The validator formflow really uses, fed a schema with a remote $ref, must not fetch it.
    monkeypatch.setattr(schema_mod, "load_schema", lambda artifact: {"$ref": "http://127.0.0.1:9/x"})
    schema_mod._validator.cache_clear()
    try:
        with pytest.raises(Exception) as excinfo:
            schema_mod.validation_errors("form", {})
        assert "does not fetch" in str(excinfo.value)
    finally:
        schema_mod._validator.cache_clear()


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("routing"),
    lambda d: d.update(extra=1),
    lambda d: d["source"].update(sha256="not-a-hash"),
    lambda d: d["questions"][0].update(type="slider"),
    lambda d: d["flow"].update(languages=[]),
])
def test_both_validators_reject_broken_forms(artifact, published_schema, mutate):
    _, doc = artifact
    doc = json.loads(json.dumps(doc))
    mutate(doc)
    assert schema_mod.validation_errors("form", doc) != []
    assert not jsonschema.Draft202012Validator(published_schema).is_valid(doc)


def test_every_question_type_compiles_to_a_valid_form(published_schema):
    text = body(
        'page p "Sida" {\n'
        '  question a: yes_no "A?" help "Hjälp"\n'
        '  question b: single "B?" {\n    option x "X" help "Om X"\n    option y "Y"\n  }\n'
        '  question c: multiple "C?" {\n    option x "X"\n    option none_of_them "Inget" exclusive\n  }\n'
        '  question d: integer "D?" unit "st" min -5 max 5\n'
        '  question e: decimal "E?" unit "kg" min 0.5 max 300 decimals 1\n'
        '  question f: text "F?" max_length 200 optional\n'
        '  question g: date "G?" min today - 1 year max today\n'
        '  question h: acknowledge "H?" terms """Villkor\n  på två rader."""\n'
        '  question i: info "Information."\n'
        '  question j: attachment "J?" accept "image/png", "application/pdf" optional\n'
        "}\n"
        "let k = round(e / 2, 1) + abs(d - 1) + count(a, b is x, c has x)\n"
        "let m = add_months(g, 3)\n"
        'if k > 2 and m > today and not answered(f) or citizen.has_invitation("x") { end done }'
    )
    doc = compile_text(text)
    assert schema_mod.validation_errors("form", doc) == []
    assert jsonschema.Draft202012Validator(published_schema).is_valid(doc)
    assert [q["type"] for q in doc["questions"]] == ["yes_no", "single", "multiple", "integer", "decimal",
                                                     "text", "date", "acknowledge", "info", "attachment"]
    assert doc["questions"][7]["terms"] == {"sv": "Villkor på två rader."}
    assert doc["questions"][8]["required"] is False  # information needs no answer


# ---------------------------------------------------------------- content


def test_content_hash_is_sha256_of_the_source_bytes(artifact):
    _, doc = artifact
    assert doc["source"] == {"file": "sample.flow", "sha256": hashlib.sha256(SAMPLE.read_bytes()).hexdigest()}


def test_generator_version(artifact):
    _, doc = artifact
    assert doc["generator"] == {"name": "formflow", "version": __version__}
    assert doc["format"] == "formflow/form" and doc["format_version"] == 1


def test_flow_header(artifact):
    _, doc = artifact
    assert doc["region"] == "vastra"
    assert doc["flow"]["id"] == "sample"
    assert doc["flow"]["version"] == "1.0"
    assert doc["flow"]["languages"] == ["sv", "en"]
    assert doc["flow"]["title"] == {"sv": "Halsont", "en": "Sore throat"}
    assert doc["flow"]["intro"]["en"].startswith("Answer a few")


def test_texts_per_language(artifact):
    _, doc = artifact
    texts = [doc["flow"]["title"]] + [q["label"] for q in doc["questions"]] + \
        [o["message"] for o in doc["outcomes"]] + [opt["label"] for q in doc["questions"] for opt in q.get("options", [])]
    assert len(texts) > 15
    for t in texts:
        assert list(t) == ["sv", "en"] and all(v.strip() for v in t.values()), t
    temp = next(q for q in doc["questions"] if q["id"] == "temperature")
    assert temp["label"] == {"sv": "Hur hög är febern?", "en": "How high is the fever?"}


def test_questions_are_complete(artifact):
    _, doc = artifact
    by_id = {q["id"]: q for q in doc["questions"]}
    assert list(by_id) == ["breathing", "fever", "temperature", "days", "pain", "other", "note", "started"]
    assert by_id["temperature"]["unit"] == "°C"
    assert by_id["temperature"]["min"] == {"number": "35"} and by_id["temperature"]["max"] == {"number": "43"}
    assert by_id["temperature"]["decimals"] == 1
    assert by_id["temperature"]["page"] == "symptoms"
    assert by_id["breathing"]["page"] is None
    assert by_id["note"]["required"] is False and by_id["note"]["max_length"] == 500
    assert by_id["fever"]["required"] is True
    assert [o["code"] for o in by_id["other"]["options"]] == ["rash", "earache", "none_of_these"]
    assert [o["exclusive"] for o in by_id["other"]["options"]] == [False, False, True]
    assert by_id["started"]["min"] == {"today": True, "amount": -2, "unit": "months"}
    assert by_id["breathing"]["at"] == {"line": 13, "column": 3}


def test_outcomes(artifact):
    _, doc = artifact
    assert [(o["id"], o["kind"], o["urgency"]) for o in doc["outcomes"]] == [
        ("call_112", "emergency", "immediate"), ("see_doctor", "visit", "same_day"), ("self_care", "self_care", "none")]


def test_expressions_are_structured_not_source_strings(artifact):
    data, doc = artifact
    for needle in (b"temperature >= 39.5", b"pain is severe", b"days >= 7", b"answered(note)", b">= 39"):
        assert needle not in data
    conditions = [b["when"] for n in walk(doc["routing"]) if isinstance(n, dict) and n.get("do") == "if"
                  for b in n["branches"]]
    assert len(conditions) == 5
    for cond in conditions:
        assert isinstance(cond, dict) and "op" in cond and cond["type"] == "bool"
    temp = next(c for c in conditions if c["op"] == ">=")
    assert temp["args"] == [{"op": "answer", "type": "decimal", "question": "temperature"},
                            {"op": "literal", "type": "decimal", "value": "39.5"}]
    assert doc["derived"][0]["expr"] == {
        "op": ">=", "type": "bool",
        "args": [{"op": "answer", "type": "int", "question": "days"}, {"op": "literal", "type": "int", "value": "7"}]}


def test_tests_keep_their_codes(artifact):
    _, doc = artifact
    tests = [n for n in walk(doc["routing"]) if isinstance(n, dict) and n.get("op") in ("is", "has")]
    assert {(t["op"], t["subject"]["question"], tuple(t["codes"])) for t in tests} == {
        ("is", "pain", ("severe",)), ("has", "other", ("earache",))}


def test_routing_mirrors_the_flow(artifact):
    _, doc = artifact
    top = [s["do"] for s in doc["routing"]]
    assert top == ["ask", "if", "page", "compute", "if", "end"]
    last_if = doc["routing"][4]
    assert len(last_if["branches"]) == 2
    assert last_if["else"] == [{"do": "ask", "question": "started"}]
    assert doc["routing"][-1]["outcome"] == "self_care"


def test_numbers_keep_their_exact_decimal_text():
    doc = compile_text(body('question w: decimal "Vikt?" min 0.1 max 0.30\nlet x = w * 0.1\nif x > 0.030 { end done }'))
    literals = [n["value"] for n in walk(doc) if isinstance(n, dict) and n.get("op") == "literal"]
    assert literals == ["0.1", "0.030"] or sorted(literals) == ["0.030", "0.1"]
    q = doc["questions"][0]
    assert q["min"] == {"number": "0.1"} and q["max"] == {"number": "0.30"}


def test_artifacts_get_the_usual_file_mode_and_edits_keep_theirs(tmp_path, monkeypatch):
    import os

    import formflow.fsio as fsio

    old = os.umask(0o027)
    try:
        assert fsio._file_mode() == 0o640  # what open(path, "w") would give under this umask
    finally:
        os.umask(old)
    monkeypatch.setattr(fsio, "_PUBLIC_MODE", 0o644)
    fresh = tmp_path / "form.json"
    fsio.write_atomic(fresh, b"{}")
    assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600: CI and web servers must read it
    kept = tmp_path / "region.yaml"
    kept.write_bytes(b"a: 1\n")
    kept.chmod(0o600)
    fsio.write_atomic(kept, b"a: 2\n")
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_bytes() == b"a: 2\n"
