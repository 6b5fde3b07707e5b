"""The two families of clipper errors.

Item errors (a feed, a page, an article) are recorded by the stage runner as
data and never stop a run. Fatal errors (configuration, database, templates)
stop the run with one line that says where and what.
"""

from __future__ import annotations


class ClipperError(Exception):
    """Base of every error clipper raises on purpose."""


class FatalError(ClipperError):
    """The run cannot go on: the CLI prints the message and exits."""

    exit_code = 4


class ConfigError(FatalError):
    """A problem in the configuration file, with the line it is on."""

    exit_code = 2

    def __init__(self, path, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class LockHeld(FatalError):
    """Another clipper run holds the database lock."""

    exit_code = 3


class StageFailed(FatalError):
    """A stage raised what clipper did not expect (a worker killed for memory, a bug):
    the night has no digest, so it must not read as "done" (exit 4, not 1)."""

    def __init__(self, stage: str, exc: BaseException):
        self.stage = stage
        super().__init__(f"the {stage} stage crashed: {type(exc).__name__}: {exc} "
                         "(the log has the details; the next run goes on from there)")


class Stopped(FatalError):
    """The run was asked to stop (SIGTERM, Ctrl-C) and stopped cleanly."""

    def __init__(self, stage: str, why: str):
        self.stage = stage
        super().__init__(f"stopped by {why} during the {stage} stage; "
                         "the next run goes on from there")


class StopRequested(BaseException):  # noqa: N818 - a signal, like KeyboardInterrupt
    """Raised in the main thread by the SIGTERM handler; no `except Exception` in an
    item's error handling can swallow it."""


class ItemError(ClipperError):
    """One item (feed, page, article) failed; the run records it and goes on."""

    reason = "error"


class FetchError(ItemError):
    reason = "fetch"


class TooLarge(FetchError):
    reason = "too_large"


class RefusedAddress(FetchError):
    reason = "refused_address"


class FeedError(ItemError):
    """A document that cannot be read as the feed (sitemap, channel) it should be."""

    reason = "parse"


class NoItems(FeedError):
    """A feed that reads well and lists nothing."""

    reason = "no_items"


class NoLinks(FeedError):
    """A feed whose items have no link to a page: nothing to fetch or cite."""

    reason = "no_links"
