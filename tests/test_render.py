"""Whatever strangers wrote reaches the digest as text: no markup, no template code, no fetch."""

import dataclasses
import struct
import zlib
from pathlib import Path

import pytest
from conftest import make_settings, pdf_text
from pypdf import PdfReader
from test_pipeline import DAY, NOW, serve_outlets
from weasyprint import HTML

from clipper import pipeline
from clipper.errors import Stopped
from clipper.render import LocalOnlyFetcher, template_dirs


@pytest.fixture
def hostile_night(site, db, tmp_path):
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    pipeline.run(db, settings, DAY, now=NOW, digest=False)
    evil = site.url("/evil")
    title = (f'<script>alert(1)</script>{{{{ 7*7 }}}}<img src="file:///etc/passwd">'
             f'<link rel="stylesheet" href="{evil}.css"><img src="{evil}.png">')
    with db.conn:
        db.execute("update articles set title = ? where title = ?",
                   [title, "Аккредитацию СМИ критикуют"])
        db.execute("update mentions set sentence = ? where id = (select min(id) from mentions)",
                   [f"<style>@import url({evil}-import.css)</style> Министерство {{% raw %}}"])
    return settings, db, title


def test_markup_and_template_code_in_titles_stay_text(hostile_night, site, tmp_path):
    settings, db, title = hostile_night
    html_path, pdf_path = pipeline.run(db, settings, DAY, now=NOW, only=()).outputs
    html = html_path.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    text = pdf_text(pdf_path)
    assert "{{ 7*7 }}" in text and "<script>alert(1)</script>" in text
    assert not [path for path, _ in site.requests if path.startswith("/evil")]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.css",
                                 "https://example.com/logo.png"])
def test_the_pdf_renderer_refuses_anything_outside_the_templates(url, tmp_path):
    fetcher = LocalOnlyFetcher(template_dirs(make_settings(tmp_path, [])))
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)


def test_the_renderer_reads_its_own_stylesheet(tmp_path):
    roots = template_dirs(make_settings(tmp_path, []))
    response = LocalOnlyFetcher(roots).fetch((roots[-1] / "digest.css").resolve().as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x1f\x3a\x5f")) + chunk(b"IEND", b""))


def test_the_configured_logo_is_drawn_and_nothing_else_beside_it(site, db, tmp_path):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(one_pixel_png())
    (tmp_path / "brand" / "secret.txt").write_text("not for the digest")
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    settings = settings.replace(digest=dataclasses.replace(settings.digest,
                                                           logo="brand/logo.png"))
    pdf = pipeline.run(db, settings, DAY, now=NOW).outputs[-1]
    page = PdfReader(pdf).pages[0]
    assert any(name for name in page.images), "the logo is an image on page 1"
    fetcher = LocalOnlyFetcher(template_dirs(settings), [tmp_path / "brand" / "logo.png"])
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch((tmp_path / "brand" / "secret.txt").as_uri())


def test_a_day_without_coverage_renders_without_dangling_contents_links(db, tmp_path, caplog):
    settings = make_settings(tmp_path, [])
    pipeline.run(db, settings, DAY, only=(), now=NOW)
    assert "anchor" not in caplog.text


def test_a_render_killed_midway_leaves_the_previous_pdf_whole(site, db, tmp_path, monkeypatch):
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    html_path, pdf_path = pipeline.run(db, settings, DAY, now=NOW).outputs
    good = pdf_path.read_bytes()
    stale = pdf_path.parent / f".{pdf_path.name}.x1y2.part"  # a SIGKILLed render's
    stale.write_bytes(b"%PDF-1.7 half")

    def killed_while_writing(self, target=None, **options):
        Path(target).write_bytes(good[:1000])
        raise KeyboardInterrupt

    monkeypatch.setattr(HTML, "write_pdf", killed_while_writing)
    with pytest.raises(Stopped, match="during the render stage"):
        pipeline.run(db, settings, DAY, now=NOW, only=())
    assert pdf_path.read_bytes() == good
    assert PdfReader(pdf_path).pages and html_path.read_text(encoding="utf-8")
    assert [p.name for p in pdf_path.parent.iterdir() if p.name.startswith(".")] == []
