"""A newspaper page as PDF, split into its articles.

The page's words come with their positions and font sizes (pdfplumber). Reading
order is found by cutting the page along its white space (recursive XY-cut):
first between columns, where a gutter runs the height of a region, otherwise
across it at its widest horizontal gap, so a headline over two columns is read
before the two columns under it. A line set much larger than the body text is
a headline and starts an article; smaller print (page numbers, running heads,
the issue line) is left out, and so is a headline with almost nothing under
it (the masthead, a rubric). Lines broken by the layout are joined again,
hyphenation undone; a paragraph ends where a sentence ends on a short line or
the next line is indented.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import pdfplumber

HEADLINE = 1.25  # a line this many times the body size or more is a headline
SMALL = 0.85  # a line under this share of the body size is left out
MIN_WORDS = 8  # an article has at least this many words under its headline
HYPHENS = ("-", "\u2010", "\u2011", "\u00ad")
SENTENCE_END = re.compile(r"[.!?…:»\"”)]$")


@dataclass(frozen=True)
class Article:
    title: str
    text: str


@dataclass
class Line:
    words: list[dict]
    left: float  # the column's left and right edges, for indents and short lines
    right: float

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def size(self) -> float:
        return median(w["size"] for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        return self.words[-1]["x1"]


@dataclass
class _Draft:
    title: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


def read_articles(path: Path, ocr=None) -> list[Article]:
    """The articles of every page in reading order. A page without a text layer (a
    scan) is read by `ocr(page) -> words`, when given."""
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_words(extra_attrs=["size"]) for page in pdf.pages]
        if ocr is not None:
            pages = [words or ocr(page) for words, page in zip(pages, pdf.pages, strict=True)]
    words = [w for page in pages for w in page]
    if not words:
        return []
    body = _body_size(words)
    drafts: list[_Draft] = []
    for page in pages:
        _add_page(drafts, page, body)
    return [a for a in (_article(d) for d in drafts) if a is not None]


def _body_size(words: list[dict]) -> float:
    sizes = Counter()
    for word in words:
        sizes[round(word["size"] * 2) / 2] += len(word["text"])
    return sizes.most_common(1)[0][0]


def _add_page(drafts: list[_Draft], words: list[dict], body: float) -> None:
    lines = [line for block in _xy_cut(words, body) for line in _lines(*block)]
    for line in lines:
        if line.size < SMALL * body:
            continue
        if line.size >= HEADLINE * body:
            if not drafts or drafts[-1].body or not _same_size(drafts[-1].title[-1], line):
                drafts.append(_Draft())
            drafts[-1].title.append(line)
        else:
            if not drafts:
                drafts.append(_Draft())
            drafts[-1].body.append(line)


def _same_size(one: Line, other: Line) -> bool:
    """Lines of one headline; the masthead over the first headline is another. Some
    slack: OCR estimates the size of a line without tall letters smaller."""
    return abs(one.size - other.size) < 0.25 * max(one.size, other.size)


def _article(draft: _Draft) -> Article | None:
    text = join_lines(draft.body)
    if len(text.split()) < MIN_WORDS:
        return None
    title = join_lines(draft.title).replace("\n", " ") if draft.title else text.split("\n")[0]
    return Article(title=title[:300], text=text)


# ---- reading order -----------------------------------------------------------


def _xy_cut(words: list[dict], body: float, frame: tuple | None = None) -> list[tuple]:
    """Blocks of words in reading order, each with the edges of the column it stands in."""
    frame = frame or (min(w["x0"] for w in words), max(w["x1"] for w in words))
    if len(words) > 1 and not _one_line(words):
        columns = _split(words, "x0", "x1", body)
        if len(columns) > 1 and all(_column(words, body) for words in columns):
            return [block for column in columns
                    for block in _xy_cut(column, body, _extent(column))]
    rows = _split(words, "top", "bottom", 0.2 * body, widest_only=True)
    if len(rows) > 1:
        return [block for row in rows for block in _xy_cut(row, body, frame)]
    return [(words, frame)]


def _split(words: list[dict], start: str, end: str, min_gap: float,
           widest_only: bool = False) -> list[list[dict]]:
    """Words in groups along one axis, parted where nothing covers a gap of `min_gap`."""
    ordered = sorted(words, key=lambda w: w[start])
    cuts, reach = [], ordered[0][end]
    for index, word in enumerate(ordered[1:], 1):
        if word[start] - reach >= min_gap:
            cuts.append((word[start] - reach, index))
        reach = max(reach, word[end])
    if widest_only and cuts:
        cuts = [max(cuts)]
    bounds = [0, *sorted(index for _, index in cuts), len(ordered)]
    return [ordered[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _column(words: list[dict], body: float) -> bool:
    """Words that make a column: they run down several lines, and their lines start
    at one left edge (give or take an indent). The gaps a loosely justified text
    leaves between its words can line up down a few lines; they start nowhere."""
    if max(w["bottom"] for w in words) - min(w["top"] for w in words) < 3 * body:
        return False
    starts = [line[0]["x0"] for line in _rows(words)]
    edge = min(starts)
    return sum(start - edge < 1.2 * body for start in starts) >= 0.8 * len(starts)


def _one_line(words: list[dict]) -> bool:
    return max(w["top"] for w in words) < min(w["bottom"] for w in words)


def _extent(words: list[dict]) -> tuple[float, float]:
    return min(w["x0"] for w in words), max(w["x1"] for w in words)


def _lines(words: list[dict], frame: tuple[float, float]) -> list[Line]:
    return [Line(row, *frame) for row in _rows(words)]


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words in lines, top to bottom, each line left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) < 0.5 * word["size"]:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


# ---- lines into paragraphs ----------------------------------------------------


def join_lines(lines: list[Line]) -> str:
    """Lines as the layout broke them, back into paragraphs (one a line)."""
    paragraphs: list[str] = []
    previous: Line | None = None
    for line in lines:
        text = line.text.strip()
        if previous is None or _new_paragraph(previous, line, paragraphs[-1]):
            paragraphs.append(text)
        else:
            paragraphs[-1] = _glue(paragraphs[-1], text)
        previous = line
    return "\n".join(p for p in paragraphs if p)


def _new_paragraph(previous: Line, line: Line, so_far: str) -> bool:
    if not SENTENCE_END.search(so_far):
        return False
    short = previous.right - previous.x1 > 1.5 * previous.size
    indented = line.x0 - line.left > 0.5 * line.size
    return short or indented


def _glue(head: str, tail: str) -> str:
    """One line after another: a word hyphenated at the line's end is whole again
    ("здраво-" + "охранения"); a compound broken at its hyphen keeps it ("Алма-" + "Ата")."""
    if head.endswith(HYPHENS) and tail[:1].isalpha():
        if tail[0].islower():
            return head[:-1] + tail
        return head[:-1] + "-" + tail
    return f"{head} {tail}"
