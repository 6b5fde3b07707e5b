"""The render stage: an analysis to HTML (Jinja2) and PDF (WeasyPrint).

Templates are searched in the organisation's own folder first, then in the
package's. Text from feeds and pages is escaped; the PDF renderer may read
only the template folders and `data:` URLs, never the network.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from clipper import charts
from clipper.config import Settings
from clipper.errors import FatalError
from clipper.labels import LABELS, counted, delay, long_date, period_labels, period_span, short_date

log = logging.getLogger(__name__)

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
SOURCE_TEMPLATES = Path(__file__).parent.parent / "templates"


def template_dirs(settings: Settings) -> list[Path]:
    dirs = []
    if settings.digest.template_dir:
        dirs.append(settings.base_dir / settings.digest.template_dir)
    dirs.append(PACKAGE_TEMPLATES if PACKAGE_TEMPLATES.is_dir() else SOURCE_TEMPLATES)
    return dirs


def environment(settings: Settings) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(settings)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    lang = settings.digest.language
    env.globals.update(L=LABELS[lang], lang=lang, counted=lambda n, noun: counted(n, noun, lang),
                       workspace=_workspace_links(settings.browse.base_url))
    env.filters.update(
        longdate=lambda iso: long_date(date.fromisoformat(iso[:10]), lang),
        localtime=lambda iso: _local(iso, settings).strftime("%d.%m %H:%M"),
        dayonly=lambda iso: date.fromisoformat(iso[:10]).strftime("%d.%m"),
        after=lambda iso, first: delay(_minutes_between(first, iso), lang) if iso and first else "",
        pct=lambda share: f"{share * 100:.0f}%",
        signed=lambda n: f"{n:+g}" if n else "0",
    )
    return env


def _workspace_links(base_url: str):
    """An item's page in the analysts' workspace (`clipper browse`), or "" when the
    settings name no `browse.base_url`."""
    base = base_url.rstrip("/")
    paths = {"article": "/clipper/articles/{}",
             "storyline": "/clipper/storyline?storyline={}",
             "story": "/clipper/articles?story_id={}&_sort_desc=published_at"}
    return lambda kind, item_id: base + paths[kind].format(item_id) if base and item_id else ""


def _minutes_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


def render_html(analysis: dict, settings: Settings, template: str = "digest.html") -> str:
    lang = settings.digest.language
    span = period_span(date.fromisoformat(analysis["period"]["first"]),
                       date.fromisoformat(analysis["period"]["last"]), lang)
    context = {**analysis, "charts": _charts(analysis, settings), "title": settings.digest.title,
               "P": period_labels(analysis["period"]["kind"], lang), "span": span,
               "logo": logo_path(settings).as_uri() if logo_path(settings) else ""}
    try:
        return environment(settings).get_template(template).render(context)
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'filename', '') or template}:{getattr(exc, 'lineno', '') or ''}"
        raise FatalError(f"template {where}: {exc}") from None


def logo_path(settings: Settings) -> Path | None:
    """The organization's logo from the configuration, if it names one that exists."""
    if not settings.digest.logo:
        return None
    path = (settings.base_dir / settings.digest.logo).resolve()
    if not path.is_file():
        log.warning("digest.logo %s not found; the digest goes without it", path)
        return None
    return path


def render_pdf(html: str, settings: Settings, target: Path) -> Path:
    """Write the PDF under `target`'s name only once it is whole."""
    roots = template_dirs(settings)
    base = roots[-1].resolve().as_uri() + "/"
    fetcher = LocalOnlyFetcher(roots, [p for p in [logo_path(settings)] if p])
    document = HTML(string=html, base_url=base, url_fetcher=fetcher)
    return replace_whole(target, document.write_pdf)


def write_digest(analysis: dict, settings: Settings, name: str) -> tuple[Path, Path]:
    """Write `name`.html and `name`.pdf in the output folder; return both paths."""
    out = settings.base_dir / settings.digest.output_dir
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(analysis, settings)
    html_path = replace_whole(out / f"{name}.html",
                              lambda part: part.write_text(html, encoding="utf-8"))
    return html_path, render_pdf(html, settings, out / f"{name}.pdf")


def replace_whole(target: Path, write) -> Path:
    """Call `write(path)` on a hidden file beside `target`, then rename it to `target`:
    a run killed midway leaves the previous file (or none), never a truncated one,
    and the mail queue never attaches half a PDF."""
    for stale in target.parent.glob(f".{target.name}.*.part"):
        stale.unlink(missing_ok=True)  # left by a run killed with SIGKILL
    handle, part = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                    dir=target.parent)
    os.close(handle)
    part = Path(part)
    try:
        write(part)
        part.chmod(0o644)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read `data:` URLs, files under the template folders and the
    configured logo, and nothing else."""

    def __init__(self, roots: list[Path], files: list[Path] = ()):
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = [r.resolve() for r in roots]
        self.files = {f.resolve() for f in files}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path not in self.files and not any(path.is_relative_to(r) for r in self.roots):
                raise ValueError(f"refused to read {url}: outside the template folders")
        elif parts.scheme != "data":
            raise ValueError(f"refused to fetch {url}: rendering never uses the network")
        return super().fetch(url, headers)


def _charts(analysis: dict, settings: Settings) -> dict:
    lang = settings.digest.language
    labels = [short_date(date.fromisoformat(d["date"]), lang) for d in analysis["trend"]]
    return {
        "trend": Markup(charts.trend_chart(analysis["trend"], labels)),
        "share_of_voice": Markup(charts.share_bars(analysis["share_of_voice"])),
    }


def _local(iso: str, settings: Settings) -> datetime:
    return datetime.fromisoformat(iso).astimezone(settings.tz)
