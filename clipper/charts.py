"""Charts as inline SVG, drawn by hand so the PDF needs nothing from outside.

Tones differ in lightness as well as hue, so the charts read in black-and-white print.
"""

from __future__ import annotations

from html import escape

TONE_COLOURS = {"negative": "#b3261e", "neutral": "#c9cfd6", "positive": "#1b5e20"}
STACK_ORDER = ("negative", "neutral", "positive")


def trend_chart(days: list[dict], labels: list[str], width: int = 680, height: int = 170) -> str:
    """Daily stacked bars of articles by tone."""
    left, bottom, top = 28, 22, 10
    plot_h = height - bottom - top
    peak = max([sum(d[t] for t in STACK_ORDER) for d in days] + [1])
    step = (width - left) / max(len(days), 1)
    bar = step * 0.7
    every = 1 if len(days) <= 16 else 2 if len(days) <= 32 else 7  # dates that fit
    parts = [_axis(left, top, plot_h, width, peak)]
    for n, (day, label) in enumerate(zip(days, labels, strict=True)):
        x = left + n * step + (step - bar) / 2
        y = top + plot_h
        for tone in STACK_ORDER:
            h = day[tone] / peak * plot_h
            if h:
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                             f'fill="{TONE_COLOURS[tone]}" stroke="#222" stroke-width="0.3"/>')
        total = sum(day[t] for t in STACK_ORDER)
        if total:
            parts.append(_text(x + bar / 2, y - 2, str(total), 8, "middle"))
        if (len(days) - 1 - n) % every == 0:  # counted from the last day, which always shows
            parts.append(_text(x + bar / 2, height - 8, label, 7.5, "middle"))
    return _svg(width, height, parts)


def share_bars(rows: list[dict], width: int = 680, row_h: int = 18) -> str:
    """Horizontal bars: one row per name, its share as a bar and a percentage."""
    label_w, height = 250, row_h * len(rows) + 4
    parts = []
    for n, row in enumerate(rows):
        y = n * row_h + 2
        length = row["share"] * (width - label_w - 50)
        parts.append(_text(0, y + row_h * 0.65, _shorten(row["name"], 42), 9, "start"))
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 6}" '
                     f'fill="{"#37474f" if n == 0 else "#90a4ae"}"/>')
        parts.append(_text(label_w + length + 4, y + row_h * 0.65,
                           f"{row['share']:.0%} ({row['articles']})", 9, "start"))
    return _svg(width, height, parts)


def _axis(left, top, plot_h, width, peak) -> str:
    base = top + plot_h
    return (f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#444" '
            f'stroke-width="0.6"/>' + _text(left - 4, top + 6, str(peak), 7.5, "end")
            + _text(left - 4, base, "0", 7.5, "end"))


def _text(x, y, content: str, size: float, anchor: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="#222">{escape(content)}</text>')


def _svg(width: int, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" font-family="DejaVu Sans, sans-serif">{"".join(parts)}</svg>')


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
