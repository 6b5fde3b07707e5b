"""Whatever strangers wrote reaches the digest as text: no markup, no template code, no fetch."""

import pytest
from conftest import make_settings, pdf_text
from test_pipeline import DAY, NOW, serve_outlets

from clipper import pipeline
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
