"""The nightly run: the stages in order over one database, then the digest.

Every stage takes only the rows it has not processed, so a run (or one
stage) can be repeated safely; each run is recorded in `runs`.
"""

from __future__ import annotations

import functools
import importlib
import logging
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from clipper import deliver, store, workers
from clipper.config import Settings
from clipper.errors import ClipperError, ConfigError, StageFailed, Stopped, StopRequested
from clipper.lock import stop_requested
from clipper.periods import Period

log = logging.getLogger(__name__)

# Each stage's module is imported when a run reaches it: a command loads only the
# libraries and models it uses (`clipper --help` none of them).
STAGES = (
    ("fetch", "clipper.fetch:run"),
    ("extract", "clipper.extract:run"),
    ("dedupe", "clipper.stages:run_dedupe"),
    ("detect", "clipper.stages:run_detect"),
    ("tone", "clipper.stages:run_tone"),
    ("storylines", "clipper.storylines.stage:run"),
)
STAGE_NAMES = tuple(name for name, _ in STAGES)


def _load(where: str):
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


CATCH_UP_DAYS = 31  # missed nights written automatically, at most


@dataclass
class RunResult:
    run_id: int
    day: date
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    stage: str = "start"  # the stage under way, named when the run stops or crashes


def yesterday(settings: Settings, now: datetime | None = None) -> date:
    now = now or datetime.now(settings.tz)
    return now.astimezone(settings.tz).date() - timedelta(days=1)


def run(db, settings: Settings, day: date, *, only: tuple[str, ...] = STAGE_NAMES,
        digest: bool = True, now: datetime | None = None, progress=None,
        executor: Executor | None = None) -> RunResult:
    """Run the selected stages, then (optionally) the digest of `day`.

    The extraction and detection run on `executor` when one is given (any
    `concurrent.futures.Executor`), on the cluster of `fetch.cluster` when that is
    set, else on this machine's processes. The `runs` row always gets an outcome:
    done, stopped (SIGTERM, Ctrl-C) or crashed; anything clipper did not expect
    becomes one line naming the stage."""
    now = now or datetime.now(settings.tz)
    result = RunResult(store.start_run(db, day.isoformat(), "day"), day)
    outcome = "crashed"
    try:
        with _executor(settings, executor) as chosen, workers.using(chosen):
            _stages(db, settings, result, only, now, progress)
        if digest:
            _timed(result, "render", lambda: _digest(db, settings, day, result))
        # also retries what an earlier run could not send
        _timed(result, "deliver", lambda: deliver.send_pending(db, settings.delivery))
        _timed(result, "prune", lambda: prune(db, settings, now))
        outcome = "done"
    except ClipperError:
        raise
    except (KeyboardInterrupt, StopRequested) as exc:
        outcome = "stopped"
        raise Stopped(result.stage, "SIGTERM" if isinstance(exc, StopRequested)
                      else "Ctrl-C") from None
    except Exception as exc:
        if stop_requested():  # the workers got the signal first and died
            outcome = "stopped"
            raise Stopped(result.stage, "SIGTERM") from None
        log.exception("the %s stage crashed", result.stage)
        raise StageFailed(result.stage, exc) from exc
    finally:
        store.finish_run(db, result.run_id, outcome, result.timings, result.counts)
    return result


@contextmanager
def _executor(settings: Settings, given: Executor | None):
    if given is not None or not settings.fetch.cluster:
        yield given
        return
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError(settings.path, None, f"fetch.cluster is {settings.fetch.cluster}, "
                          "but Dask is not installed: pip install 'clipper[dask]'") from None
    with Client(settings.fetch.cluster) as client:
        yield client.get_executor()


def _stages(db, settings: Settings, result: RunResult, only: tuple[str, ...],
            now: datetime, progress) -> None:
    from clipper import extract, stages

    alongside = None
    for name, stage in STAGES:
        if name not in only:
            continue
        work = functools.partial(_load(stage), db, settings, result.run_id, now)
        if name == "fetch" and progress is not None:
            work = functools.partial(work, progress=progress)
        if name == "fetch" and "extract" in only:
            with extract.Alongside(store.path_of(db), settings, result.run_id, now,
                                   detect="detect" in only,
                                   tone_later="tone" in only) as alongside:
                _timed(result, name, work)
                # the pages still unread when the fetch ends, on the same workers
                _timed(result, "extract", alongside.finish)
            continue
        if name == "detect" and "dedupe" in only:
            continue  # ran beside the dedupe
        if name == "tone" and {"dedupe", "detect"} <= set(only):
            continue  # ran beside the dedupe, after the detection
        if name == "dedupe" and "detect" in only:
            judge = alongside.judge if alongside else stages.Judge(later="tone" in only)
            _dedupe_beside_detect(db, settings, result, now, judge, tone="tone" in only)
            if alongside:
                _add_counts(result.counts["detect"], alongside.detected)
                alongside = None  # its tone model is not held through the storylines
            workers.give_back_memory()
            continue
        _timed(result, name, work)
        if name == "tone":
            workers.give_back_memory()  # its model is not held through the storylines
        if name == "extract" and alongside:
            _add_counts(result.counts[name], alongside.counts)


def _add_counts(counts: dict, more: dict) -> None:
    for key, value in more.items():
        counts[key] = counts.get(key, 0) + value


def prune(db, settings: Settings, now: datetime) -> dict:
    """Apply the retention settings: old raw pages, article bodies, HTML outputs."""
    keep = settings.retention
    counts = store.prune(db, store.to_iso(now - timedelta(days=keep.pages_days)),
                         store.to_iso(now - timedelta(days=keep.text_days)))
    oldest = (now - timedelta(days=keep.html_days)).timestamp()
    counts["html"] = 0
    for html in (settings.base_dir / settings.digest.output_dir).glob("*.html"):
        if html.stat().st_mtime < oldest and html.with_suffix(".pdf").exists():
            html.unlink()
            counts["html"] += 1
    return counts


def missed_days(db, last_day: date, since: date | None = None) -> list[date]:
    """The days whose digest is due: from `since` (or the day after the last day a
    run finished) to `last_day`, oldest first; at least `last_day`."""
    if since is None:
        done = store.last_finished_day(db)
        since = date.fromisoformat(done) + timedelta(days=1) if done else last_day
        # feeds hold a few weeks at most: older nights cannot be rebuilt from them
        since = max(since, last_day - timedelta(days=CATCH_UP_DAYS - 1))
    since = min(since, last_day)
    return [since + timedelta(days=n) for n in range((last_day - since).days + 1)]


def too_many_failed(result: RunResult, settings: Settings) -> bool:
    fetched = result.counts.get("fetch", {})
    total = fetched.get("sources_ok", 0) + fetched.get("sources_failed", 0)
    return bool(total) and fetched.get("sources_failed", 0) / total > settings.fetch.failed_share


def _dedupe_beside_detect(db, settings: Settings, result: RunResult, now: datetime,
                          judge=None, tone: bool = False) -> None:
    """Stories and mentions do not depend on each other: the dedupe, one core's work in
    this process, runs in a thread on its own connection while the detection's workers
    use the other cores (SQLite lets one writer at a time; each waits its turn). With
    `tone`, the tone stage follows the detection there, its workers gone, while the
    dedupe still runs (the encoder runs in ONNX Runtime, outside Python's lock)."""
    from clipper import stages

    path = store.path_of(db)

    def dedupe() -> None:
        own = store.open_db(path)
        try:
            _timed(result, "dedupe", lambda: stages.run_dedupe(own, settings, result.run_id, now))
        finally:
            own.close()

    with ThreadPoolExecutor(max_workers=1) as beside:
        deduped = beside.submit(dedupe)
        _timed(result, "detect", lambda: stages.run_detect(db, settings, result.run_id, now,
                                                           judge=judge))
        workers.give_back_memory()  # the workers' fork server goes before the tone model
        if tone:
            _timed(result, "tone", lambda: stages.run_tone(db, settings, result.run_id, now))
            workers.give_back_memory()
        deduped.result()


def _timed(result: RunResult, name: str, work) -> None:
    result.stage = name
    started = time.monotonic()
    counts = work()
    seconds = time.monotonic() - started
    result.timings[name] = round(result.timings.get(name, 0) + seconds, 3)  # in two parts
    if counts:
        result.counts[name] = counts
    log.info("%s: %s in %.1f s", name, counts or "done", seconds)


def _digest(db, settings: Settings, day: date, result: RunResult) -> dict:
    from clipper.analyse import analyse

    analysis = analyse(db, settings, Period.of("day", day))
    result.outputs.extend(_publish(db, settings, analysis, f"digest-{day.isoformat()}"))
    return {"articles": analysis["figures"]["articles"]}


def _publish(db, settings: Settings, analysis: dict, name: str) -> tuple[Path, Path]:
    """Write the HTML and PDF and queue the PDF for e-mail."""
    from clipper import render

    html, pdf = render.write_digest(analysis, settings, name)
    subject, body = deliver.summary(analysis, settings.digest.language)
    deliver.queue(db, settings.delivery, name, [pdf], subject, body)
    return html, pdf


def report(db, settings: Settings, kind: str, day: date) -> tuple[Path, Path]:
    """The week's or month's review for leadership, against the previous one,
    written and mailed (a failed mail waits for the next run)."""
    from clipper.analyse import analyse

    period = Period.of(kind, day)
    name = f"report-{kind}-{period.first.isoformat()[:7] if kind == 'month' else period.first}"
    paths = _publish(db, settings, analyse(db, settings, period), name)
    deliver.send_pending(db, settings.delivery)
    return paths
