"""The `clipper` command: parses arguments, loads settings, calls the library.

Exit codes: 0 done; 2 usage or configuration error (a run still goes on with
the sources that are valid); 3 another run holds the lock; 4 fatal error.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import sys
from contextlib import contextmanager, nullcontext
from datetime import date, datetime
from pathlib import Path

import click

from clipper import deliver, pipeline, store
from clipper.config import load_settings
from clipper.corrections import export_corrections
from clipper.errors import ClipperError, ConfigError, FatalError
from clipper.lock import run_lock
from clipper.periods import KINDS, Period

log = logging.getLogger("clipper")


class Failure(click.ClickException):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def clipper_errors(func):
    """Turn clipper's errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except FatalError as exc:
            raise Failure(str(exc), exc.exit_code) from None
        except ClipperError as exc:
            raise Failure(str(exc), 4) from None
        except sqlite3.Error as exc:
            raise Failure(f"database: {exc} (is another program writing to it? "
                          "clipper waits 30 s, then gives up)", 4) from None
        except KeyboardInterrupt:
            raise Failure("stopped by Ctrl-C", 4) from None
        except Exception as exc:
            # not "1: too many sources failed": the night has no digest
            log.exception("clipper crashed")
            raise Failure(f"crashed: {type(exc).__name__}: {exc} (the log has the details)",
                          4) from None

    return wrapper


def config_option(func):
    return click.option(
        "--config", "config_path", type=click.Path(path_type=Path),
        default=lambda: os.environ.get("CLIPPER_CONFIG", "sources.yaml"), show_default=True,
        help="The configuration file (or $CLIPPER_CONFIG).",
    )(func)


def db_option(func):
    return click.option(
        "--db", "db_path", type=click.Path(path_type=Path), default=None,
        help="The SQLite database (default: clipper.db beside the config, or $CLIPPER_DB).",
    )(func)


def date_option(func):
    return click.option(
        "--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
        help="The digest's day, YYYY-MM-DD (default: yesterday in the configured time zone).",
    )(func)


def _open(config_path: Path, db_path: Path | None):
    settings = load_settings(config_path)
    for problem in settings.problems:
        click.echo(f"warning: {problem} (source skipped)", err=True)
    return settings, store.open_db(_db_path(settings, db_path))


def _db_path(settings, db_path: Path | None) -> Path:
    return db_path or Path(os.environ.get("CLIPPER_DB") or settings.base_dir / "clipper.db")


@contextmanager
def _locked(config_path: Path, db_path: Path | None):
    """Settings and database of a run that writes, under the one-run-at-a-time lock."""
    settings = load_settings(config_path)
    with run_lock(_db_path(settings, db_path)):
        yield _open(config_path, db_path)


def _progress():
    """Progress bars in a terminal; under cron (no terminal) the log lines suffice."""
    if sys.stderr.isatty():
        from clipper.terminal import TerminalProgress

        return TerminalProgress()
    return nullcontext()


def _day(settings, day, option: str = "--date") -> date:
    """The day asked for (yesterday by default); a day still to come is refused: its
    digest would be recorded as a finished night and switch off the catch-up."""
    if not day:
        return pipeline.yesterday(settings)
    today = datetime.now(settings.tz).date()
    if day.date() > today:
        raise Failure(f"{option} {day.date()}: that day has not come yet "
                      f"(today is {today} in {settings.timezone})", 2)
    return day.date()


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
@click.option("-q", "--quiet", is_flag=True, help="Log only errors.")
@click.version_option(package_name="clipper")
def main(verbose: bool, quiet: bool) -> None:
    """clipper: nightly media monitoring and an analysed morning digest.

    \b
    Example:
        clipper run --date 2026-11-22
    """
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.INFO
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "trafilatura", "fontTools", "htmldate", "pymorphy3"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    # WeasyPrint warns on every render that HarfBuzz-Subset is missing; the PDF is fine.
    logging.getLogger("weasyprint").setLevel(max(level, logging.ERROR))


@main.command()
@config_option
@db_option
@date_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Catch up: write every digest from this day to yesterday.")
@click.option("--stage", "only", multiple=True, type=click.Choice(pipeline.STAGE_NAMES),
              help="Run only this stage (repeatable); the digest is still written.")
@clipper_errors
def run(config_path, db_path, day, since, only) -> None:
    """Run every stage and write output/digest-DAY.pdf for yesterday, or for --date.

    Without --date, the digests of nights that were missed since the last
    finished run are written too, oldest first (or every day from --since).
    Exit 1 when more sources failed than fetch.failed_share allows.

    \b
    Example:
        clipper run --config sources.yaml --date 2026-11-22
        clipper run --since 2026-11-20
    """
    with _locked(config_path, db_path) as (settings, db), _progress() as progress:
        days = [_day(settings, day)] if day else pipeline.missed_days(
            db, pipeline.yesterday(settings), _day(settings, since, "--since") if since else None)
        results = [pipeline.run(db, settings, days[0], only=only or pipeline.STAGE_NAMES,
                                progress=progress)]
        results += [pipeline.run(db, settings, later, only=()) for later in days[1:]]
    for path in (p for result in results for p in result.outputs):
        click.echo(str(path))
    if settings.problems:
        raise Failure(f"{len(settings.problems)} source(s) skipped for configuration errors", 2)
    if pipeline.too_many_failed(results[0], settings):
        failed = results[0].counts["fetch"]["sources_failed"]
        raise Failure(f"{failed} source(s) failed; the digest lists them", 1)


@main.command()
@config_option
@db_option
@clipper_errors
def watch(config_path, db_path) -> None:
    """Fetch and analyse what is new, and e-mail alerts at once: a negative story
    spreading fast (alerts: outlets, reach, hours), or most sources failing.
    Meant to run every hour; each alert goes out once. No digest is written.

    \b
    Example (crontab):
        15 * * * * cd /opt/clipper && .venv/bin/clipper watch --quiet
    """
    from clipper import alerts

    with _locked(config_path, db_path) as (settings, db):
        now = datetime.now(settings.tz)
        result = pipeline.run(db, settings, now.date(), digest=False, now=now)
        fetched = result.counts.get("fetch", {})
        failed = (fetched.get("sources_failed", 0),
                  fetched.get("sources_ok", 0) + fetched.get("sources_failed", 0))
        found = alerts.story_alerts(db, settings, now)
        new = alerts.queue(db, settings, found,
                           failed if pipeline.too_many_failed(result, settings) else None, now)
        sent = deliver.send_pending(db, settings.delivery)
    click.echo(json.dumps({"alerts": len(found), "new": new, **sent}, ensure_ascii=False))


def _run_stage(name: str, config_path: Path, db_path: Path | None) -> None:
    with _locked(config_path, db_path) as (settings, db):
        result = pipeline.run(db, settings, pipeline.yesterday(settings), only=(name,),
                              digest=False)
    click.echo(json.dumps(result.counts.get(name, {}), ensure_ascii=False))


def _stage_command(name: str):
    @clipper_errors
    def command(config_path, db_path):
        _run_stage(name, config_path, db_path)

    command.__doc__ = f"""Run only the {name} stage over what is pending.

    \b
    Example:
        clipper {name} --config sources.yaml
    """
    return main.command(name=name)(db_option(config_option(command)))


for _name in pipeline.STAGE_NAMES:
    if _name not in ("tone", "storylines"):
        _stage_command(_name)


@main.group(invoke_without_command=True)
@config_option
@db_option
@click.option("--again", is_flag=True,
              help="Judge every mention anew (after the model changed); analysts' "
                   "corrections are kept and still win.")
@click.pass_context
@clipper_errors
def tone(ctx, config_path, db_path, again) -> None:
    """Judge mentions without a tone; `tone set` and `tone export` manage analysts'
    corrections. Detection judges what it finds, so a plain run finds little.

    \b
    Examples:
        clipper tone --again
        clipper tone set 42 negative --note "irony, not praise"
        clipper tone export corrections.tsv
    """
    ctx.obj = (config_path, db_path)
    if ctx.invoked_subcommand is None:
        if again:
            with _locked(config_path, db_path) as (_, db):
                store.clear_model_tones(db)
        _run_stage("tone", config_path, db_path)


def _sub_options(func):
    """--config/--db after a subcommand (`tone set`) too, as every other command takes
    them."""
    func = click.option("--config", "sub_config", type=click.Path(path_type=Path),
                        default=None, help="The configuration file.")(func)
    return click.option("--db", "sub_db", type=click.Path(path_type=Path), default=None,
                        help="The SQLite database.")(func)


def _sub_open(obj, sub_config, sub_db):
    config_path, db_path = obj
    return _open(sub_config or config_path, sub_db or db_path)


@tone.command("set")
@click.argument("target_id", type=int)
@click.argument("label")
@click.option("--article", is_flag=True, help="TARGET_ID is an article, not a mention.")
@click.option("--note", default="", help="Why: shown to the next analyst.")
@click.option("--who", default=lambda: os.environ.get("USER", "analyst"), show_default="$USER")
@_sub_options
@click.pass_obj
@clipper_errors
def tone_set(obj, target_id, label, article, note, who, sub_config, sub_db) -> None:
    """Correct the tone of a mention (or, with --article, of an article).

    LABEL: negative, neutral or positive (also negative's «негатив», «теріс» and
    the like), or "not about us" for a mention that is a false detection: it
    then leaves every figure. The correction wins over the model in every later
    digest, which shows the note instead of the model's cues.

    \b
    Example:
        clipper tone set 42 negative --note "sarcasm"
        clipper tone set 43 "не о нас" --db clipper.db
    """
    from clipper.corrections import NOT_ABOUT_US, parse_label

    try:
        label = parse_label(label)
    except ValueError as exc:
        raise Failure(str(exc), 2) from None
    if article and label == NOT_ABOUT_US:
        raise Failure("not about us is for a mention, not an article", 2)
    _, db = _sub_open(obj, sub_config, sub_db)
    target = "article" if article else "mention"
    try:
        store.add_correction(db, target, target_id, label, note, who)
    except LookupError as exc:
        raise Failure(str(exc), 2) from None
    click.echo(f"{target} {target_id}: {label}")


@tone.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@_sub_options
@click.pass_obj
@clipper_errors
def tone_export(obj, file, sub_config, sub_db) -> None:
    """Write analysts' corrections as training rows (the training set's TSV format).

    \b
    Example:
        clipper tone export corrections.tsv
    """
    settings, db = _sub_open(obj, sub_config, sub_db)
    count = export_corrections(db, settings, file)
    click.echo(f"{file}: {count} rows")


@main.group(invoke_without_command=True)
@config_option
@db_option
@click.pass_context
@clipper_errors
def storylines(ctx, config_path, db_path) -> None:
    """Place new articles in storylines; `storylines move` and `storylines merge` put
    right what the grouping got wrong, and it never moves those articles again.

    \b
    Examples:
        clipper storylines
        clipper storylines move 812 40 --note "the same hospital opening"
        clipper storylines move 815 new --note "another city's fire"
        clipper storylines merge 41 40
        clipper storylines export office-storylines.yaml
    """
    ctx.obj = (config_path, db_path)
    if ctx.invoked_subcommand is None:
        _run_stage("storylines", config_path, db_path)


def _correction_options(func):
    """--note and --who of a press officer's correction, and --config/--db after it."""
    func = _sub_options(func)
    func = click.option("--who", default=lambda: os.environ.get("USER", "analyst"),
                        show_default="$USER")(func)
    return click.option("--note", default="", help="Why: kept with the correction.")(func)


@storylines.command("move")
@click.argument("article_id", type=int)
@click.argument("storyline")
@_correction_options
@click.pass_obj
@clipper_errors
def storylines_move(obj, article_id, storyline, note, who, sub_config, sub_db) -> None:
    """Move an article, with its reprints, to STORYLINE (an id), or with "new" to a
    storyline of its own: another event the grouping took for this one."""
    from clipper.corrections import parse_storyline

    try:
        into = parse_storyline(storyline)
    except ValueError as exc:
        raise Failure(str(exc), 2) from None
    _, db = _sub_open(obj, sub_config, sub_db)
    _correct_storylines(db, [article_id], into, note, who)


@storylines.command("merge")
@click.argument("old", type=int)
@click.argument("into", type=int)
@_correction_options
@click.pass_obj
@clipper_errors
def storylines_merge(obj, old, into, note, who, sub_config, sub_db) -> None:
    """Move every article of storyline OLD to storyline INTO: one event the grouping
    split in two. An alert sent for OLD stands for INTO."""
    if old == into:
        raise Failure(f"storyline {old} cannot be merged into itself", 2)
    _, db = _sub_open(obj, sub_config, sub_db)
    try:
        articles = store.storyline_article_ids(db, old)
    except LookupError as exc:
        raise Failure(str(exc), 2) from None
    _correct_storylines(db, articles, into, note, who)


@storylines.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@_sub_options
@click.pass_obj
@clipper_errors
def storylines_export(obj, file, sub_config, sub_db) -> None:
    """Write the storylines a press officer corrected as a labelled file, to score the
    grouping on (`clipper storylines-eval`) or fit it with.

    \b
    Example:
        clipper storylines export office-storylines.yaml
    """
    from clipper.storylines import evaluation

    _, db = _sub_open(obj, sub_config, sub_db)
    articles, hard = evaluation.write(file, *store.corrected_storylines(db))
    click.echo(f"{file}: {articles} articles, {hard} hard negative pairs")


def _correct_storylines(db, article_ids: list[int], into: int | None, note: str,
                        who: str) -> None:
    try:
        placed = store.correct_storyline(db, article_ids, into, note, who)
    except LookupError as exc:
        raise Failure(str(exc), 2) from None
    row = db["storylines"].get(placed)
    click.echo(f"storyline {placed}: {row['size']} articles, first {row['first_source_id']} "
               f"{row['first_published_at']}")


@main.command()
@config_option
@db_option
@date_option
@clipper_errors
def digest(config_path, db_path, day) -> None:
    """Write the digest of a day from what the database holds.

    \b
    Example:
        clipper digest --date 2026-11-22
    """
    with _locked(config_path, db_path) as (settings, db):
        result = pipeline.run(db, settings, _day(settings, day), only=())
    for path in result.outputs:
        click.echo(str(path))


@main.command()
@config_option
@db_option
@date_option
@click.option("--period", type=click.Choice(("week", "month")), default="week",
              show_default=True)
@clipper_errors
def report(config_path, db_path, day, period) -> None:
    """Write the trend review of the week or month that contains the day.

    Compared with the previous week or month; no clippings appendix. Written as
    output/report-week-YYYY-MM-DD (the Monday) or output/report-month-YYYY-MM.

    \b
    Example:
        clipper report --period week --date 2026-11-22
    """
    with _locked(config_path, db_path) as (settings, db):
        paths = pipeline.report(db, settings, period, _day(settings, day))
    for path in paths:
        click.echo(str(path))


@main.command()
@config_option
@db_option
@date_option
@click.option("--period", type=click.Choice(KINDS), default="day", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The whole analysis as JSON.")
@clipper_errors
def analyse(config_path, db_path, day, period, as_json) -> None:
    """Print the analysis of a period: its figures against the previous period and
    what needs attention; with --json, the whole analysis the documents are made from.

    \b
    Example:
        clipper analyse --period week --date 2026-11-22 --json
    """
    from clipper.analyse import analyse as analyse_period

    settings, db = _open(config_path, db_path)
    result = analyse_period(db, settings, Period.of(period, _day(settings, day)))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    span = result["period"]
    click.echo(f"{result['organization']}: {span['first']} – {span['last']}")
    for key, change in result["changes"].items():
        verdict = {True: "significant", False: "ordinary variation", None: "not tested"}
        click.echo(f"  {key:<9} {change['current']:>6}  ({change['delta']:+g} against "
                   f"{change['previous']}; {verdict[change['significant']]})")
    for story in result["attention"][:5]:
        answer = "answered" if story["answer"] else "unanswered"
        click.echo(f"  ! {story['headline']} — {story['first']['source_name']}, "
                   f"{story['outlets']} outlet(s), {answer}")


@main.group()
def sources() -> None:
    """Check the feeds of the configuration."""


@sources.command("check")
@config_option
@clipper_errors
def sources_check(config_path) -> None:
    """Fetch each feed once and print a table: status, items, newest item, time, error.

    Exits 1 when any feed fails. Nothing is written to the database.

    \b
    Example:
        clipper sources check --config sources.yaml
    """
    from clipper.fetch import check_sources
    from clipper.terminal import source_table

    settings = load_settings(config_path)
    for problem in settings.problems:
        click.echo(f"warning: {problem} (source skipped)", err=True)
    checks = check_sources(settings)
    source_table(checks, settings.tz)
    failed = [c for c in checks if c.outcome != "ok"]
    if failed:
        raise Failure(f"{len(failed)} of {len(checks)} feeds failed", 1)


@main.group()
def config() -> None:
    """Check the configuration file."""


@config.command("check")
@config_option
def config_check(config_path) -> None:
    """Validate the configuration; exit 2 naming the line of the first problem.

    \b
    Example:
        clipper config check --config sources.yaml
    """
    try:
        settings = load_settings(config_path)
    except ConfigError as exc:
        raise Failure(str(exc), 2) from None
    for problem in settings.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{config_path}: {len(settings.sources)} sources, "
               f"{len(settings.entities)} entities")
    if settings.problems:
        raise Failure(f"{len(settings.problems)} source(s) would be skipped", 2)


class _MentionsGroup(click.Group):
    """`clipper mentions FILE...` finds mentions; a subcommand name runs that instead."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["find", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_MentionsGroup)
def mentions() -> None:
    """Mentions in plain text files (`clipper mentions FILE...`), and candidate aliases.

    \b
    Example:
        clipper mentions article.txt --json
        clipper mentions suggest --days 30
    """


@mentions.command("find")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@clipper_errors
def mentions_find(files, config_path, as_json) -> None:
    """Print the mentions of the watched entities found in plain text files.

    \b
    Example:
        clipper mentions article.txt --json
    """
    from clipper.detect import Detector

    settings = load_settings(config_path)
    detector = Detector(settings.entities, settings.country)
    for path in files:
        for m in detector.find(path.read_text(encoding="utf-8", errors="replace")):
            row = {"file": str(path), "entity": m.entity, "start": m.start, "end": m.end,
                   "text": m.text, "sentence": m.sentence, "lang": m.lang}
            click.echo(json.dumps(row, ensure_ascii=False) if as_json
                       else f"{path}:{m.start}-{m.end} {m.entity} [{m.lang}] {m.text!r}")


@mentions.command("suggest")
@config_option
@db_option
@click.option("--days", default=30, show_default=True, help="Articles of this many last days.")
@clipper_errors
def mentions_suggest(config_path, db_path, days) -> None:
    """Candidate aliases the configuration lacks (former and short names, abbreviations
    defined in the text, misspellings), with counts and an example, as YAML to paste.

    \b
    Example:
        clipper mentions suggest --days 30 > aliases.yaml
    """
    from datetime import UTC, timedelta

    from clipper.detect import Detector
    from clipper.detect.suggest import as_yaml, suggest

    settings, db = _open(config_path, db_path)
    since = store.to_iso(datetime.now(UTC) - timedelta(days=days))
    texts = [(f"{a['title'] or ''}\n{a['text'] or ''}", a["lang"] or "ru")
             for a in store.recent_articles(db, since)]
    click.echo(as_yaml(suggest(Detector(settings.entities, settings.country), texts)))


@main.command("mentions-eval")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@config_option
@clipper_errors
def mentions_eval(file, config_path) -> None:
    """Precision and recall of mention detection per language on labelled sentences,
    and every sentence where the mentions found differ from the labels.

    \b
    Example:
        clipper mentions-eval tests/data/mentions.tsv
    """
    from clipper.detect import Detector
    from clipper.detect.evaluation import read_labelled, report, score

    settings = load_settings(config_path)
    detector = Detector(settings.entities, settings.country)
    click.echo(report(score(detector, read_labelled(file)), file))


@main.command("tone-eval")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--lang", type=click.Choice(("ru", "kk", "en")),
              help="Score only the rows in this language (one model reads all three).")
@click.option("--model", "model_path", type=click.Path(exists=True, path_type=Path),
              help="An adapter written by `python -m clipper.tone.train` (default: shipped).")
@click.option("--convention", type=click.Choice(("office", "news")), default="office",
              show_default=True,
              help="Whose reading of tone: a press office's (what clipper reports) or "
                   "RuSentNE's news annotators' (to score on RuSentNE's rows).")
@clipper_errors
def tone_eval(file, lang, model_path, convention) -> None:
    """Score the tone model on a labelled file in the training set's format.

    \b
    Examples:
        clipper tone-eval tests/data/tone_heldout_kk.tsv
        clipper tone-eval held.tsv --model adapter.npz --convention news
    """
    from clipper.tone.model import ADAPTER_PATH, ToneModel
    from clipper.tone.rows import evaluate

    model = None
    if model_path or convention != "office":
        model = ToneModel.load(model_path or ADAPTER_PATH, convention=convention)
    click.echo(evaluate(file, model, lang).format())


@main.command("dedupe-eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option("--sweep", is_flag=True, help="Also try other thresholds and shingle sizes.")
@clipper_errors
def dedupe_eval(files, config_path, sweep) -> None:
    """Precision and recall of story grouping on labelled pairs of articles.

    \b
    Example:
        clipper dedupe-eval tests/data/dedupe_pairs.yaml tests/data/dedupe_hard_pairs.yaml
    """
    from clipper import dedupe_eval as evaluation

    settings = load_settings(config_path).dedupe
    pairs = [pair for path in files for pair in evaluation.load_pairs(path)]
    click.echo(evaluation.evaluate(pairs, settings).format())
    if sweep:
        click.echo(evaluation.sweep(pairs, settings, (0.3, 0.4, 0.5, 0.6, 0.7, 0.8), (3, 4, 5)))


@main.command("storylines-eval")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@config_option
@clipper_errors
def storylines_eval(file, config_path) -> None:
    """Precision and recall of storylines on a labelled file: same-storyline pairs,
    pairs across languages, hard negatives merged and first publishers.

    \b
    Example:
        clipper storylines-eval tests/data/storylines_heldout.yaml
    """
    from clipper.detect import Detector
    from clipper.encoder import load_encoder
    from clipper.storylines import evaluation
    from clipper.storylines.model import PairModel

    settings = load_settings(config_path)
    articles, hard = evaluation.load(file)
    found = evaluation.items(articles, load_encoder(), Detector(settings.entities))
    predicted = evaluation.group(found, PairModel.load(), settings.storylines.active_days)
    click.echo(evaluation.score(articles, predicted, hard).format())


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(("print", "tv")), required=True,
              help="What the files are: newspaper pages or broadcast transcripts.")
@click.option("--outlet", required=True, help="The newspaper or channel (a CSV may name its own).")
@date_option
@config_option
@db_option
@clipper_errors
def import_(files, kind, outlet, day, config_path, db_path) -> None:
    """Import print and TV items from PDF, DOCX, TXT or CSV files and find their mentions.

    The items go through the pipeline like fetched articles; importing a file
    again changes nothing. A file that cannot be read is named on its own line
    (exit 1) and the others are imported.

    \b
    Example:
        clipper import egemen-2026-11-23.pdf --kind print --outlet "Egemen Qazaqstan"
        clipper import khabar-export.csv --kind tv --outlet "Khabar 24"
    """
    from clipper.importer import import_files

    notes: list[str] = []
    with _locked(config_path, db_path) as (settings, db):
        counts, problems = import_files(db, list(files), kind, outlet,
                                        day.date() if day else None, settings.tz, notes,
                                        settings)
        result = pipeline.run(db, settings, pipeline.yesterday(settings),
                              only=("dedupe", "detect", "tone", "storylines"), digest=False)
    click.echo(json.dumps({**counts, "mentions": result.counts.get("detect", {}).get(
        "mentions", 0)}, ensure_ascii=False))
    for note in notes:
        click.echo(f"Warning: {note}", err=True)
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        raise Failure(f"{len(problems)} file(s) not imported", 1)


@main.command()
@click.argument("target", type=click.Path(path_type=Path))
@config_option
@db_option
@clipper_errors
def backup(target, config_path, db_path) -> None:
    """Copy the database to TARGET while runs may go on (SQLite online backup).

    \b
    Example:
        clipper backup /var/backups/clipper-$(date +%F).db
    """
    _, db = _open(config_path, db_path)
    store.backup(db, target)
    click.echo(str(target))


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@config_option
@db_option
@clipper_errors
def restore(source, config_path, db_path) -> None:
    """Replace the database with the backup SOURCE (checked first; refused during a run).

    \b
    Example:
        clipper restore /var/backups/clipper-2026-11-23.db
    """
    settings = load_settings(config_path)
    target = _db_path(settings, db_path)
    with run_lock(target):
        store.restore(source, target)
    click.echo(f"{target} restored from {source}")


@main.command()
@config_option
@db_option
@click.option("--port", default=8001, show_default=True, help="The port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; any but this machine's needs a login "
                   "(CLIPPER_BROWSE_PASSWORD_HASH_<USER> in the environment).")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=None,
              help="The folder of digests to list (default: digest.output_dir).")
@clipper_errors
def browse(config_path, db_path, port, host, output_dir) -> None:
    """Open the analysts' workspace in the browser: search, review and correct
    mentions, storylines, past digests, CSV and XLSX export (Datasette).

    \b
    Example:
        clipper browse --db output/demo.db   # then open http://127.0.0.1:8001/
    """
    from clipper.browse import serve

    settings = load_settings(config_path)
    path = _db_path(settings, db_path)
    click.echo(f"clipper browse: http://{host}:{port}/ over {path} (Ctrl-C stops)", err=True)
    serve(settings, path, host, port, output_dir)


@main.command()
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Where the digest is written.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="The demo database (default: OUTPUT/demo.db, recreated each time).")
@clipper_errors
def demo(output_dir, db_path) -> None:
    """Replay the bundled fortnight of news offline and write its last digest.

    \b
    Example:
        clipper demo --output output
    """
    from clipper.demo import run_demo

    result = run_demo(output_dir, db_path or output_dir / "demo.db")
    for path in result.outputs:
        click.echo(str(path))
