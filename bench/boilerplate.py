"""What a real news page carries around its article, for the benchmarks.

A real outlet's article page averages about 147 KB: a head with meta tags, inline
styles and scripts (analytics, ad slots, JSON-LD), a long navigation menu, sidebars
of latest and popular news, related articles, comments, a footer of links and
counters. trafilatura spends most of its time on that markup, not on the article.
`Shells` makes one such frame per outlet (a few frames shared by many outlets, as
sites share engines) from a seeded generator; a page is its outlet's frame with
the article in the middle, put together when it is served, so that thousands of
pages take little memory.
"""

from __future__ import annotations

import random

ARTICLE = "\x00ARTICLE\x00"  # where the article goes in a frame

SECTIONS = ("Политика", "Экономика", "Общество", "Происшествия", "Спорт", "Культура",
            "Мир", "Регионы", "Технологии", "Здоровье", "Образование", "Қоғам", "Саясат",
            "Экономика", "Мәдениет", "Business", "World", "Opinion", "Видео", "Фото")
NAMES = ("Айгерим", "Нурлан", "Дмитрий", "Асель", "Ерлан", "Ольга", "Данияр", "Жанна",
         "Sergey_K", "qazaq_batyr", "гость", "Marat77", "Әлия", "анон")


class Shells:
    """Frames of `kb` kilobytes or so, `count` of them, filled with `words(n)` text."""

    def __init__(self, words, kb: float, count: int = 24, seed: int = 3):
        self.kb, self.words = kb, words
        self.frames = [self._frame(random.Random(seed + n)) for n in range(count)]

    def page(self, outlet: int, article: str) -> bytes:
        before, after = self.frames[outlet % len(self.frames)]
        return before + article.encode() + after

    def _frame(self, rng: random.Random) -> tuple[bytes, bytes]:
        site = f"outlet{rng.randint(1, 999)}.kz"
        target = int(self.kb * 1024)
        head = _head(rng, site, target // 8)
        top = _menu(rng, self.words, site, 40, 120) + _news_list(
            rng, self.words, "Последние новости", 30)
        side = (_news_list(rng, self.words, "Популярное", 20) + _related(rng, self.words, 10)
                + _comments(rng, self.words, 14) + _footer(rng, self.words, site))
        while _size(head, top, side) < target - 6000:  # more widgets, as a portal has
            side += _news_list(rng, self.words, rng.choice(SECTIONS), 12)
        html = (f'<!DOCTYPE html><html lang="ru">{head}<body class="page-article">'
                f'<div id="app"><header class="site-header">{top}</header>'
                f'<div class="layout"><main class="content"><div class="breadcrumbs">'
                f'<a href="/">Главная</a> / <a href="/news">Новости</a></div>'
                f'<div class="share">{_share(rng)}</div>{ARTICLE}'
                f'<div class="tags">{_tags(rng, self.words)}</div></main>'
                f'<aside class="sidebar">{side}</aside></div></div></body></html>')
        before, after = html.split(ARTICLE)
        return before.encode(), after.encode()


def _size(*parts: str) -> int:
    return sum(len(part.encode()) for part in parts)


def _head(rng: random.Random, site: str, size: int) -> str:
    metas = "".join(f'<meta property="og:{k}" content="{site}/{rng.randrange(10**6)}">'
                    for k in ("url", "image", "site_name", "type", "locale"))
    links = "".join(f'<link rel="preload" href="/static/{rng.randrange(10**8):x}.js" as="script">'
                    for _ in range(12))
    return (f'<head><meta charset="utf-8"><title>{site}</title>{metas}{links}'
            f'<style>{_css(rng, size // 3)}</style>'
            f'<script type="application/ld+json">{{"@context":"https://schema.org",'
            f'"@type":"NewsMediaOrganization","name":"{site}","url":"https://{site}"}}</script>'
            f'{_script(rng, size - size // 3)}</head>')


def _css(rng: random.Random, size: int) -> str:
    rules = []
    while sum(map(len, rules)) < size:
        name = f".{rng.choice(('news', 'card', 'menu', 'nav', 'ad', 'btn'))}-{rng.randrange(999)}"
        rules.append(f"{name}{{margin:{rng.randrange(40)}px {rng.randrange(40)}px;"
                     f"color:#{rng.randrange(16**6):06x};font-size:{rng.randrange(10, 30)}px;"
                     f"display:{rng.choice(('flex', 'block', 'none', 'grid'))}}}")
    return "".join(rules)


def _script(rng: random.Random, size: int) -> str:
    parts = []
    while sum(map(len, parts)) < size:
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 3)))
        parts.append(f"function {name}{rng.randrange(999)}(e,t){{var n=e[{rng.randrange(99)}]||"
                     f"t.push({rng.randrange(10**6)});return n&&n.call(t,'{name}')}};"
                     f"window.dataLayer=window.dataLayer||[];dataLayer.push({{'ev':"
                     f"'{name}{rng.randrange(10**4)}'}});")
    return f"<script>{''.join(parts)}</script>"


def _menu(rng: random.Random, words, site: str, top: int, sub: int) -> str:
    items = []
    for n in range(top):
        links = "".join(f'<li><a href="https://{site}/{n}/{k}">{words(rng.randint(1, 3))}</a></li>'
                        for k in range(sub // top))
        items.append(f'<li class="menu-item"><a href="/{SECTIONS[n % len(SECTIONS)].lower()}">'
                     f'{SECTIONS[n % len(SECTIONS)]}</a><ul class="sub">{links}</ul></li>')
    return f'<nav class="main-menu"><ul>{"".join(items)}</ul></nav>'


def _news_list(rng: random.Random, words, title: str, count: int) -> str:
    items = "".join(
        f'<li class="news-item"><div class="item-inner"><div class="thumb"><a href="/news/'
        f'{rng.randrange(10**6)}"><picture><source srcset="/img/{rng.randrange(10**6)}.webp">'
        f'<img src="/img/{rng.randrange(10**6)}.jpg" alt=""></picture></a></div>'
        f'<div class="body"><span class="time">{rng.randrange(24):02d}:{rng.randrange(60):02d}'
        f'</span><a class="title" href="/news/{rng.randrange(10**6)}">{words(rng.randint(6, 12))}'
        f'</a><div class="stats"><span class="views">{_icon()}{rng.randrange(10**4)}</span>'
        f'<span class="comments">{_icon()}{rng.randrange(99)}</span></div></div></div></li>'
        for _ in range(count))
    return f'<section class="widget"><h3>{title}</h3><ul>{items}</ul></section>'


def _related(rng: random.Random, words, count: int) -> str:
    cards = "".join(
        f'<div class="card"><a href="/news/{rng.randrange(10**6)}"><img src="/i/'
        f'{rng.randrange(10**6)}.webp"><div class="card-title">{words(rng.randint(7, 12))}'
        f'</div></a><p class="lead">{words(rng.randint(15, 25))}</p></div>'
        for _ in range(count))
    return f'<section class="related"><h3>Читайте также</h3>{cards}</section>'


def _comments(rng: random.Random, words, count: int) -> str:
    items = "".join(
        f'<div class="comment"><div class="author">{rng.choice(NAMES)}</div><div class="date">'
        f'{rng.randint(1, 28)}.11.2026</div><div class="comment-text">'
        f'{words(rng.randint(5, 30))}</div><a class="reply">Ответить</a></div>'
        for _ in range(count))
    return f'<section id="comments"><h3>Комментарии ({count})</h3>{items}</section>'


def _footer(rng: random.Random, words, site: str) -> str:
    columns = "".join(
        f'<div class="col"><h4>{section}</h4><ul>'
        + "".join(f'<li><a href="/{section}/{k}">{words(rng.randint(1, 3))}</a></li>'
                  for k in range(12)) + "</ul></div>"
        for section in SECTIONS[:8])
    return (f'<footer>{columns}<p>© 2026 {site}. Все права защищены. При использовании '
            f'материалов ссылка обязательна. 18+</p><div class="counters">'
            f'<img src="//counter.yadro.ru/hit?r{rng.randrange(10**6)}"></div></footer>')


def _icon() -> str:
    return ('<svg width="16" height="16" viewBox="0 0 16 16"><path d="M8 3C4 3 1 8 1 8s3 5 7 5 '
            '7-5 7-5-3-5-7-5zm0 8a3 3 0 110-6 3 3 0 010 6z"/></svg>')


def _share(rng: random.Random) -> str:
    return "".join(f'<a class="share-{n}" href="https://{n}.com/share?u={rng.randrange(10**6)}">'
                   f'{n}</a>' for n in ("facebook", "telegram", "whatsapp", "vk", "x"))


def _tags(rng: random.Random, words) -> str:
    return "".join(f'<a href="/tag/{rng.randrange(999)}">#{words(1)}</a>' for _ in range(6))
