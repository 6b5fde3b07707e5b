"""Datasette's metadata, built from the settings: titles in the digest's language,
internal tables hidden, facets and sorts, the canned queries, and who may do what."""

from __future__ import annotations

import os
import re

from clipper.browse import queries
from clipper.browse.words import WORDS
from clipper.config import Settings

DATABASE = "clipper"
HIDDEN = ("pages", "article_vectors", "deliveries", "_sqlite_migrations",
          "articles_fts", "articles_fts_config", "articles_fts_data", "articles_fts_docsize",
          "articles_fts_idx", "story_spread")
# the articles' columns an analyst reads; the body and hashes stay one click away
ARTICLE_COLUMNS = ("published_at", "source_id", "title", "url", "lang", "media_kind",
                   "storyline_id", "story_id")
PASSWORD_ENV = re.compile(r"^CLIPPER_BROWSE_PASSWORD_HASH_([A-Za-z0-9_]+)$")


def build(settings: Settings, require_login: bool, who: str, output_dir: str) -> dict:
    """The whole metadata dictionary Datasette is started with."""
    words = WORDS[settings.digest.language]
    metadata = {
        "title": f"{words['title']} · {_organization(settings)}",
        "allow_sql": False,  # no arbitrary SQL, for anyone
        "extra_css_urls": ["/clipper-static/browse.css"],
        "databases": {DATABASE: {
            "title": settings.digest.title, "allow_sql": False,
            "tables": _tables(words), "queries": _queries(settings, words),
        }},
        "plugins": {"clipper-browse": {
            "lang": settings.digest.language, "require_login": require_login, "who": who,
            "output_dir": output_dir, "entities": [[e.id, e.name] for e in settings.entities],
        }},
    }
    if require_login:
        metadata["allow"] = {"id": "*"}  # nothing for anyone not logged in
        metadata["plugins"]["datasette-auth-passwords"] = password_hashes()
    return metadata


def _organization(settings: Settings) -> str:
    own = [e.name for e in settings.entities if e.role == "self"]
    return own[0] if own else settings.organization


def password_hashes(environ=os.environ) -> dict:
    """Accounts from the environment: CLIPPER_BROWSE_PASSWORD_HASH_AIGERIM=<hash> lets
    `aigerim` log in; the hash never sits in the YAML."""
    return {f"{m.group(1).lower()}_password_hash": {"$env": name}
            for name in sorted(environ) if (m := PASSWORD_ENV.match(name))}


def _tables(words: dict) -> dict:
    tables = {name: {"hidden": True} for name in HIDDEN}
    tables.update({
        "articles": {
            "title": words["articles"], "sort_desc": "published_at", "label_column": "title",
            "facets": ["source_id", "media_kind", "lang", "storyline_id"],
            "fts_table": "articles_fts", "fts_pk": "id", "searchmode": "raw",
        },
        "mentions": {
            "title": words["mentions"], "sort_desc": "id", "label_column": "text",
            "facets": ["entity", "tone", "lang", "position", "tone_source"],
        },
        "storylines": {"title": words["storylines"], "sort_desc": "last_published_at",
                       "label_column": "headline", "facets": ["first_source_id"]},
        "stories": {"title": words["stories"], "sort_desc": "first_published_at",
                    "label_column": "headline"},
        "sources": {"title": words["sources"], "label_column": "name",
                    "facets": ["kind", "lang", "last_outcome"]},
        "corrections": {"title": words["corrections"], "sort_desc": "id",
                        "facets": ["label", "who", "target"]},
        "runs": {"title": words["runs"], "sort_desc": "id", "facets": ["outcome", "period"]},
        "fetches": {"title": words["fetches"], "sort_desc": "id",
                    "facets": ["outcome", "source_id", "what"]},
    })
    return tables


def _queries(settings: Settings, words: dict) -> dict:
    return {
        "review": {"title": words["review"], "description": words["review_about"],
                   "sql": queries.review(settings), "hide_sql": True},
        "clippings": {"title": words["clippings"], "description": words["clippings_about"],
                      "sql": queries.clippings(settings), "hide_sql": True},
        "storylines": {"title": words["storylines"], "description": words["storylines_about"],
                       "sql": queries.storylines(settings), "hide_sql": True},
        "attention": {"title": words["attention"], "description": words["attention_about"],
                      "sql": queries.storylines(settings, only_negative=True),
                      "hide_sql": True},
        "storyline": {"title": words["storyline_page"], "description": words["storyline_about"],
                      "sql": queries.storyline(settings), "hide_sql": True},
        "suggestions": {"title": words["suggestions"], "description": words["suggestions_about"],
                        "sql": queries.suggestions(settings), "hide_sql": True},
    }
