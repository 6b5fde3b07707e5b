"""clipper's Datasette plugin: the correction endpoint, the index of digests, the XLSX
export, links between rows, and the words of the workspace's own templates."""

from __future__ import annotations

import json
import re
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup, escape

from clipper.browse import correct, files, xlsx
from clipper.browse.metadata import ARTICLE_COLUMNS, DATABASE
from clipper.browse.words import WORDS

REVIEW = f"/{DATABASE}/review"
STORYLINE = f"/{DATABASE}/storyline?storyline="  # one storyline's articles, to put right
ARTICLES = f"/{DATABASE}/articles?" + "&".join(f"_col={c}" for c in ARTICLE_COLUMNS)


def _config(datasette) -> dict:
    return datasette.plugin_config("clipper-browse") or {}


def _who(datasette, request) -> str:
    """The logged-in analyst; on a workspace open only to this machine, whoever started
    it. Refused for anyone else."""
    if request.actor and request.actor.get("id"):
        return str(request.actor["id"])
    config = _config(datasette)
    if config.get("require_login"):
        raise Forbidden("log in to correct")
    return config.get("who") or "analyst"


def _back(value: str | None) -> str:
    """Where to return after saving: a path of this workspace, never another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return REVIEW


def _same_site(request) -> None:
    """A correction comes from the workspace's own pages: a form another site makes the
    analyst's browser send (with no cookie to carry a CSRF token) is refused."""
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site") == "cross-site" or (
            origin and origin != "null" and origin.split("://", 1)[-1] != request.host):
        raise Forbidden("a correction from another site")


async def post_correct(request, datasette):
    if request.method != "POST":
        return Response.redirect(REVIEW)
    _same_site(request)
    who = _who(datasette, request)
    form = await request.post_vars()
    words = WORDS[_config(datasette).get("lang", "ru")]
    try:
        rows = correct.parse_form(form)
        if rows:
            await datasette.get_database(DATABASE).execute_write_fn(
                lambda conn: correct.write(conn, rows, who), block=True)
    except correct.BadCorrection as exc:
        return Response.text(f"400 nothing saved: {exc}\n", status=400)
    message = words["saved"].format(n=len(rows)) if rows else words["nothing"]
    datasette.add_message(request, message, datasette.INFO if rows else datasette.WARNING)
    merged = [into for target, _, into, _ in rows if target == "merge"]
    return Response.redirect(STORYLINE + str(merged[-1]) if merged else _back(form.get("back")))


async def digests_page(request, datasette):
    config = _config(datasette)
    words = WORDS[config.get("lang", "ru")]
    return Response.html(await datasette.render_template(
        "clipper_digests.html",
        {"files": files.listing(Path(config["output_dir"])), "W": words},
        request=request))


async def digest_file(request, datasette):
    path = files.find(Path(_config(datasette)["output_dir"]), request.url_vars["name"])
    if path is None:
        raise NotFound("no such digest")
    return Response(path.read_bytes(), content_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{path.name}"'})


@hookimpl
def register_routes():
    return [
        (r"^/-/clipper/correct$", post_correct),
        (r"^/-/clipper/digests$", digests_page),
        (r"^/-/clipper/digests/(?P<name>[^/]+\.pdf)$", digest_file),
    ]


@hookimpl
def register_output_renderer(datasette):
    return {"extension": "xlsx", "render": xlsx.render,
            "can_render": lambda columns: bool(columns)}


@hookimpl
def extra_template_vars(datasette):
    config = _config(datasette)
    lang = config.get("lang", "ru")
    return {"W": WORDS[lang], "clipper_entities": config.get("entities", []),
            "clipper_lang": lang, "cues_of": _cues, "articles_url": ARTICLES,
            "storyline_url": STORYLINE,
            "article_columns": ARTICLE_COLUMNS}


def _cues(value) -> str:
    try:
        return ", ".join(json.loads(value or "[]"))
    except (TypeError, ValueError):
        return ""


_LINKS = {"storyline_id": STORYLINE + "{}", "suggested_id": STORYLINE + "{}",
          "story_id": ARTICLES + "&story_id={}&_sort_desc=published_at",
          "article_id": "/clipper/articles/{}", "mention_id": "/clipper/mentions/{}"}


@hookimpl
def render_cell(value, column, table, database):
    """Ids lead to their rows: a storyline to its articles, an article to its page."""
    if database != DATABASE or value in (None, "") or not re.fullmatch(r"\d+", str(value)):
        return None
    if column in _LINKS and not (table and column == "id"):
        return Markup(f'<a href="{escape(_LINKS[column].format(value))}">{escape(value)}</a>')
    return None


@hookimpl
def menu_links(datasette):
    words = WORDS[_config(datasette).get("lang", "ru")]
    return [{"href": REVIEW, "label": words["review"]},
            {"href": f"/{DATABASE}/storylines", "label": words["storylines"]},
            {"href": f"/{DATABASE}/attention", "label": words["attention"]},
            {"href": f"/{DATABASE}/suggestions", "label": words["suggestions"]},
            {"href": f"/{DATABASE}/clippings", "label": words["clippings"]},
            {"href": "/-/clipper/digests", "label": words["digests"]},
            {"href": ARTICLES, "label": words["search"]}]
