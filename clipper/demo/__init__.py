"""The demo: a fictional fortnight of Kazakhstani news, replayed night by night.

`run_demo()` serves the corpus on 127.0.0.1, runs the real pipeline once per
night of the fortnight (real HTTP fetches, ETags, 304s), and renders the
digest of the last day.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path

from clipper import pipeline, store
from clipper.config import Settings, Source, load_settings
from clipper.demo.server import CORPUS, Corpus, DemoSite, load_corpus
from clipper.importer import import_files

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).parent.parent
NIGHTLY_RUN = time(23, 30)  # the demo's nightly run, local time


def default_config_path() -> Path:
    """The shipped sources.yaml (inside the wheel, or at the top of a checkout)."""
    packaged = PACKAGE_DIR / "sources.yaml"
    return packaged if packaged.exists() else PACKAGE_DIR.parent / "sources.yaml"


def demo_settings(base: Settings, site: DemoSite, output_dir: Path) -> Settings:
    """The default settings with the demo outlets as sources, on loopback."""
    sources = tuple(
        Source(id=o["id"], name=o["name"], url=site.feed_url(o["id"]), lang=o["lang"],
               kind=o.get("kind", "online"), weight=float(o.get("weight", 1)),
               format="telegram" if o.get("feed") == "telegram" else "rss")
        for o in site.corpus.outlets.values()
    )
    return base.replace(
        sources=sources,
        fetch=dataclasses.replace(base.fetch, allow_private=True, retries=0),
        digest=dataclasses.replace(base.digest, output_dir=str(output_dir.resolve())),
    )


def _import_print(db, settings: Settings, corpus: Corpus, day: date) -> None:
    """The files the press office received that day, as `clipper import` takes them."""
    for entry in corpus.imports:
        if date.fromisoformat(str(entry["date"])) == day:
            import_files(db, [CORPUS.parent / entry["file"]], entry["kind"], entry["outlet"],
                         day, settings.tz, settings=settings)


def run_demo(output_dir: Path, db_path: Path, config_path: Path | None = None,
             corpus: Corpus | None = None) -> pipeline.RunResult:
    """Replay the corpus night by night into a fresh database; return the last run."""
    if db_path.exists():
        db_path.unlink()
    base = load_settings(config_path or default_config_path())
    corpus = corpus or load_corpus()
    db = store.open_db(db_path)
    first, last = date.fromisoformat(corpus.first), date.fromisoformat(corpus.last)
    with DemoSite(corpus) as site:
        settings = demo_settings(base, site, output_dir)
        day = first
        while day <= last:
            night = datetime.combine(day, NIGHTLY_RUN, settings.tz)
            site.as_of = night
            _import_print(db, settings, corpus, day)
            result = pipeline.run(db, settings, day, digest=day == last, now=night)
            log.info("demo night %s: %s", day, result.counts.get("fetch", {}))
            day += timedelta(days=1)
    return result
