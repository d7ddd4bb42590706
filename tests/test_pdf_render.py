"""Health-declaration PDFs: what the clinician reads, what hostile text cannot do, and the limits.

PDFs are read back with pypdf. The renders are few and small (a shared two-page sample, a hostile
one, a batch of three) so that the file runs in well under 20 s; the size limits are checked
before rendering, so the huge cases cost nothing.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

from formflow.pdf import (FilledBy, Limits, PdfDocument, PdfError, PdfHeader, PdfRow,  # noqa: E402
                          render_batch, render_pdf, write_pdf)
from formflow.pdf import isolate, render  # noqa: E402
from formflow.pdf.fetcher import RefusedURL, TemplateFetcher  # noqa: E402
from formflow.pdf.html import render_html, template_dir  # noqa: E402
from formflow.pdf.text import clean, direction  # noqa: E402

needs_fork = pytest.mark.skipif(not isolate.available(), reason="time and memory limits need fork and /proc")

PNR = "189001019802"  # Skatteverket's test personnummer
TITLE = "Hälsodeklaration inför operation"
NAME = "Tolvan Tolvansson"
COMMENT = "Jag är rädd för nålar och vill helst ha lugnande före operationen."
ARABIC = "أعاني من حساسية البنسلين"


def header(**more) -> PdfHeader:
    fields = dict(personnummer=PNR, filled_by=FilledBy.GUARDIAN, name=NAME,
                  submitted_at=datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc), valid_until=date(2027, 1, 1))
    return PdfHeader(**(fields | more))


def document(rows, **more) -> PdfDocument:
    fields = dict(title=TITLE, header=header(), rows=tuple(rows), comment=COMMENT,
                  flow_id="skane/health_declaration", flow_version="3")
    return PdfDocument(**(fields | more))


SAMPLE_ROWS = [
    PdfRow("Har du någon allergi?", "Ja", "red"),
    PdfRow("Mot vad?", ARABIC, "red", depth=1),
    PdfRow("Har du haft problem vid narkos?", "Nej", "green"),
    *[PdfRow(f"Fråga {i:02d} om hälsan", f"Svar {i:02d}", None) for i in range(40)],
    PdfRow("BMI", "29,0", "green", derived=True),
]


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def squash(text: str) -> str:
    """Without whitespace: line wrapping in a narrow column must not break a comparison."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample() -> tuple[PdfDocument, bytes, list[str]]:
    doc = document(SAMPLE_ROWS)
    data = render_pdf(doc)
    return doc, data, pdf_text(data)


# --- what the clinician reads ------------------------------------------------------------------

def test_rows_are_printed_in_order_with_words_and_symbols(sample):
    _, _, pages = sample
    text = "\n".join(pages)
    positions = [text.index(row.label) for row in SAMPLE_ROWS]
    assert positions == sorted(positions)
    assert "Har du någon allergi? Ja ⚠ Avvikande" in text
    assert "Har du haft problem vid narkos? Nej ✓ Normalt" in text
    assert "↳ Mot vad?" in text  # the follow-up, under its parent
    assert "BMI (beräknat) 29,0 ✓ Normalt" in text
    assert text.count("⚠ Avvikande") == 2 and text.count("✓ Normalt") == 2
    assert "Fråga 07 om hälsan Svar 07\n" in text  # an unassessed row has no marker


def test_summary_and_header_facts(sample):
    _, _, pages = sample
    first = pages[0]
    assert "Antal avvikande svar: 2" in first
    assert f"Namn {NAME}" in first
    assert "Personnummer 18900101-9802" in first
    assert "Ifylld av Vårdnadshavare" in first
    assert "Inskickad 2026-07-01 12:00 (svensk tid)" in first  # 10:00 UTC is 12:00 in summer
    assert "Giltig till 2027-01-01" in first


def test_every_page_has_the_running_header_and_page_numbers(sample):
    _, _, pages = sample
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert TITLE in page
        assert "Personnummer 18900101-9802" in page
        assert f"Sida {number} av {len(pages)}" in page
        assert "skane/health_declaration version 3" in page


def test_the_comment_comes_last(sample):
    _, _, pages = sample
    assert "Övrig kommentar" in pages[-1] and squash(COMMENT) in squash(pages[-1])
    text = squash("".join(pages))
    assert text.index(squash(COMMENT)) > text.index(squash(SAMPLE_ROWS[-1].label))


def test_metadata_title_author_language_and_tags(sample):
    doc, data, _ = sample
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == "formflow"
    values = " ".join(str(v) for v in reader.metadata.values())
    for private in (NAME, "18900101", "9802", COMMENT[:10]):
        assert private not in values
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # PDF/UA-1: tagged


def test_arabic_is_embedded_in_dejavu_sans(sample):
    _, data, pages = sample
    assert set(ARABIC) - {" "} <= set("".join(pages))
    fonts = _fonts(pypdf.PdfReader(io.BytesIO(data)))
    assert fonts and all("DejaVuSans" in name.replace("-", "") for name in fonts), fonts
    assert all(embedded for embedded, _ in fonts.values()), fonts
    assert any("<0627>" in unicode_map for _, unicode_map in fonts.values())  # alef, mapped back to text


def _fonts(reader) -> dict[str, tuple[bool, str]]:
    """Base font name -> (glyphs embedded as FontFile2/3, its ToUnicode map), over every page."""
    found = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            inner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = inner["/FontDescriptor"].get_object()
            unicode_map = font["/ToUnicode"].get_object().get_data().decode("latin-1") if "/ToUnicode" in font else ""
            found[str(font["/BaseFont"])] = (any(k in descriptor for k in ("/FontFile2", "/FontFile3")), unicode_map)
    return found


def test_arabic_answers_get_a_right_to_left_isolate():
    html = render_html(document([PdfRow("Mot vad?", ARABIC), PdfRow("Vad?", "Penicillin")]))
    assert f'<bdi dir="rtl">{ARABIC}</bdi>' in html
    assert '<bdi dir="ltr">Penicillin</bdi>' in html


# --- hostile free text -------------------------------------------------------------------------

HOSTILE = ['<img src="file:///etc/passwd">', "<script>alert(1)</script>", "{{ 7*7 }}",
           "<style>@import url(http://127.0.0.1:{port}/css)</style>", "x{{background:url(http://127.0.0.1:{port}/x)}}",
           '<link rel="attachment" href="file:///etc/passwd">', "Nej\u202e sJ \u2066ok\u2069"]


@pytest.fixture
def listener():
    """A TCP port that records connection attempts without a thread: any fetch would queue up
    in the accept backlog, and a non-blocking accept finds it afterwards."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    yield sock
    sock.close()


def _connections(sock) -> int:
    count = 0
    while True:
        try:
            sock.accept()[0].close()
            count += 1
        except BlockingIOError:
            return count


def test_hostile_text_is_printed_literally_and_fetches_nothing(listener):
    port = listener.getsockname()[1]
    payloads = [p.replace("{port}", str(port)) for p in HOSTILE]
    rows = [PdfRow(f"Fält {i}", p, "red") for i, p in enumerate(payloads)]
    doc = document(rows, comment=payloads[3], header=header(name=payloads[0]))
    data = render_pdf(doc, limits=Limits(timeout_s=8))
    text = squash("".join(pdf_text(data)))
    for payload in payloads[:-1]:
        assert squash(payload) in text
    assert "NejsJok" in text and "\u202e" not in text and "\u2066" not in text
    assert _connections(listener) == 0
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        assert b"root:" not in data and "root:x" not in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert not reader.attachments
    assert b"/URI" not in data and b"/EmbeddedFile" not in data


def test_hostile_text_is_escaped_in_the_html():
    html = render_html(document([PdfRow("Fält", "<script>x</script> {{ 7*7 }} \u202eabc")]))
    assert "&lt;script&gt;x&lt;/script&gt; {{ 7*7 }} abc" in html
    assert "<script>" not in html and "\u202e" not in html


def test_markup_that_slipped_past_escaping_still_fetches_nothing(listener, tmp_path):
    """Defence in depth: raw hostile HTML, rendered with formflow's fetcher and shared objects."""
    import weasyprint

    port = listener.getsockname()[1]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    folder = template_dir("health_declaration")
    fetcher = TemplateFetcher(folder)
    html = (f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
            f'<style>@import url(http://127.0.0.1:{port}/b.css); p {{ background: url(data:image/png;base64,AAAA) }}</style>'
            f'<img src="http://127.0.0.1:{port}/c.png"><img src="{secret.as_uri()}"><img src="../../../../etc/passwd">'
            f'<img src="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\'><image href=\'{secret.as_uri()}\'/></svg>">'
            f'<link rel="attachment" href="{secret.as_uri()}"><a rel="attachment" href="{secret.as_uri()}">a</a><p>x</p>')
    data = weasyprint.HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        attachments=[secret.as_uri()])
    assert _connections(listener) == 0
    assert fetcher.refused >= 7 and fetcher.served == 0
    assert b"TOPSECRET" not in data and not pypdf.PdfReader(io.BytesIO(data)).attachments


# --- the fetcher -------------------------------------------------------------------------------

def test_fetcher_serves_the_template_stylesheet():
    folder = template_dir("health_declaration")
    response = TemplateFetcher(folder).fetch((folder / "declaration.css").as_uri())
    assert response.content_type == "text/css" and b"@page" in response.read()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:1/x", "https://example.org/x.css", "ftp://example.org/x", "data:text/css,p{}",
    "file:///etc/passwd", "file://otherhost/etc/passwd", "FILE:///etc/passwd",
])
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        TemplateFetcher(template_dir("health_declaration")).fetch(url)


def test_fetcher_refuses_dot_dot_symlinks_and_queries(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    folder = tmp_path / "tpl"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.css").write_text("p {}", encoding="utf-8")
    (folder / "link.css").symlink_to(outside)
    (folder / "dirlink").symlink_to(tmp_path)
    fetcher = TemplateFetcher(folder)
    assert fetcher.fetch((folder / "ok.css").as_uri()).read() == b"p {}"
    for url in [(folder / "link.css").as_uri(), (folder / "dirlink" / "outside.txt").as_uri(),
                folder.as_uri() + "/sub/../../outside.txt", folder.as_uri() + "/%2e%2e/outside.txt",
                (folder / "ok.css").as_uri() + "?x=1", folder.as_uri() + "/sub", folder.as_uri() + "/missing.css"]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


# --- limits and failures -----------------------------------------------------------------------

def test_a_huge_document_is_refused_at_once_with_a_diagnostic():
    doc = document([PdfRow(f"Fråga {i}", "Ja", "red") for i in range(5000)])
    start = time.perf_counter()
    with pytest.raises(PdfError) as caught:
        render_pdf(doc)
    assert time.perf_counter() - start < 1
    assert caught.value.diagnostic.code == "FF907"
    assert "5,000 rows" in caught.value.diagnostic.message


def test_a_megabyte_of_text_is_cut_with_a_visible_note():
    doc = document(SAMPLE_ROWS[:2], comment="lorem ipsum " * 90_000)
    start = time.perf_counter()
    text = squash("".join(pdf_text(render_pdf(doc))))
    assert time.perf_counter() - start < 8
    assert "[…1070000teckentill]" in text


@needs_fork
def test_a_render_over_its_time_is_stopped(tmp_path):
    render.warm_up("health_declaration")
    doc = document([PdfRow(f"Fråga {i}", "Svar " * 20, "red") for i in range(400)])
    target = tmp_path / "slow.pdf"
    start = time.perf_counter()
    with pytest.raises(PdfError) as caught:
        write_pdf(doc, target, limits=Limits(timeout_s=0.2))
    assert time.perf_counter() - start < 3
    assert caught.value.diagnostic.code == "FF907" and "longer than 0.2 s" in caught.value.diagnostic.message
    assert list(tmp_path.iterdir()) == []  # no PDF, no temporary file


@needs_fork
def test_a_render_over_its_memory_is_stopped():
    with pytest.raises(PdfError) as caught:
        render_pdf(document(SAMPLE_ROWS), limits=Limits(memory_mb=1))
    assert caught.value.diagnostic.code == "FF907" and "memory" in caught.value.diagnostic.message


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    big = document([PdfRow("x", "y")] * 20)
    target = tmp_path / "out.pdf"
    with pytest.raises(PdfError) as caught:
        write_pdf(big, target, limits=Limits(max_rows=10))
    assert caught.value.diagnostic.code == "FF907" and list(tmp_path.iterdir()) == []
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(PdfError) as caught:
        write_pdf(document(SAMPLE_ROWS[:2]), blocker / "out.pdf")
    assert caught.value.diagnostic.code == "FF903"


def test_a_weasyprint_exception_becomes_ff906(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("secret")

    monkeypatch.setattr(render, "render_html", broken)
    with pytest.raises(PdfError) as caught:
        render_pdf(document(SAMPLE_ROWS[:2]))
    assert caught.value.diagnostic.code == "FF906"
    assert "KeyError" in caught.value.diagnostic.message and "secret" not in caught.value.diagnostic.message


@needs_fork
def test_a_renderer_that_dies_becomes_ff906(monkeypatch):
    monkeypatch.setattr(render, "render_html", lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL))
    monkeypatch.setattr(render, "try_warm_up", lambda template: None)  # the parent must not die
    with pytest.raises(PdfError) as caught:
        render_pdf(document(SAMPLE_ROWS[:2]))
    assert caught.value.diagnostic.code == "FF906" and "signal 9" in caught.value.diagnostic.message


# --- batch -------------------------------------------------------------------------------------

def test_batch_writes_every_good_document_and_reports_the_bad_one(tmp_path):
    small = document(SAMPLE_ROWS[:3])
    jobs = [(small, tmp_path / "a.pdf"), (document(SAMPLE_ROWS * 40), tmp_path / "b.pdf"), (small, tmp_path / "c.pdf")]
    seen = []
    results = render_batch(jobs, workers=2, limits=Limits(max_rows=100),
                           progress=lambda done, total, r: seen.append((done, total, r.path.name)))
    assert [r.path for r in results] == [p for _, p in jobs]
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].diagnostics[0].code == "FF907"
    assert sorted(done for done, _, _ in seen) == [1, 2, 3] and {t for _, t, _ in seen} == {3}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "c.pdf"]
    a, c = (tmp_path / "a.pdf").read_bytes(), (tmp_path / "c.pdf").read_bytes()
    assert a == c and a.startswith(b"%PDF-")  # deterministic: same document, same bytes


# --- building blocks ---------------------------------------------------------------------------

def test_importing_formflow_does_not_import_weasyprint():
    code = "import sys, formflow, formflow.api, formflow.pdf; sys.exit('weasyprint' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent).returncode == 0


def test_clean_removes_bidi_and_control_characters_only():
    assert clean("a\u202eb\u2066c\u2069d\u200e\u200f\u061ce\x00f\x1bg") == "abcdefg"
    assert clean("rad 1\r\nrad 2\u2028rad 3") == "rad 1\nrad 2\nrad 3"
    assert clean("åäö שלום مرحبا\u200d") == "åäö שלום مرحبا\u200d"
    assert direction("123 مرحبا") == "rtl" and direction("Ja, שלום") == "ltr" and direction("42") == "ltr"


def test_model_checks_what_would_print_wrongly():
    assert header(personnummer="18900101-9802").personnummer == "18900101-9802"
    assert document([PdfRow("a", "b", "red"), PdfRow("c", "d", "green")]).deviating_count == 1
    with pytest.raises(ValueError):
        PdfRow("a", "b", "yellow")
    with pytest.raises(ValueError):
        header(personnummer="1234")
    with pytest.raises(ValueError):
        header(submitted_at=datetime(2026, 1, 1, 12, 0))  # naive: which time zone?
    with pytest.raises(ValueError):
        document([], template="../etc")
