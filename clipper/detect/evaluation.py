"""Precision and recall of mention detection on labelled sentences.

A labelled file has one sentence per line: `lang<TAB>sentence<TAB>forms`, the
forms being the exact substrings that are mentions, separated by `|` (empty
when the sentence mentions no watched entity). Lines starting with # are notes.

    clipper mentions-eval tests/data/mentions.tsv
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from clipper.detect.detector import Detector


@dataclass(frozen=True)
class Labelled:
    lang: str
    sentence: str
    forms: tuple[str, ...]
    line: int


@dataclass
class Tally:
    found: int = 0
    expected: int = 0
    right: int = 0
    sentences: int = 0
    wrong: list = field(default_factory=list)  # (line, got, expected)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def read_labelled(path: str | Path) -> list[Labelled]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            lang, sentence, forms = (line.split("\t") + [""])[:3]
            rows.append(Labelled(lang, sentence, tuple(f for f in forms.split("|") if f), number))
    return rows


def score(detector: Detector, rows: list[Labelled]) -> dict[str, Tally]:
    """Per language; a found form counts as right as often as it is expected."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        got = [m.text for m in detector.find(row.sentence, row.lang)]
        tally = tallies[row.lang]
        tally.sentences += 1
        tally.found += len(got)
        tally.expected += len(row.forms)
        tally.right += sum(min(got.count(f), row.forms.count(f)) for f in set(row.forms))
        if sorted(got) != sorted(row.forms):
            tally.wrong.append((row.line, got, list(row.forms)))
    return dict(tallies)


def report(tallies: dict[str, Tally], path: str | Path) -> str:
    lines = []
    for lang, tally in sorted(tallies.items()):
        lines.append(f"{lang}: {tally.sentences} sentences, {tally.expected} mentions: "
                     f"precision {tally.precision:.3f}, recall {tally.recall:.3f}")
    for lang, tally in sorted(tallies.items()):
        for line, got, expected in tally.wrong:
            lines.append(f"  {path}:{line} [{lang}] found {got}, expected {expected}")
    return "\n".join(lines)
