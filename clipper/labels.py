"""Digest labels, plural forms and dates in Russian, Kazakh and English."""

from __future__ import annotations

from datetime import date

LABELS = {
    "ru": {
        "speakers": "Спикеры", "alert": "Срочно",
        "kinds": {"online": "онлайн-СМИ", "agency": "агентства", "telegram": "Telegram",
                  "video": "видео", "print": "печать", "tv": "ТВ", "own": "свои каналы"},
        "reach": "охват", "spreading": "распространяется", "unanswered": "ответа нет",
        "answered": "ответ", "officials_named": "Названы", "topics": "Темы",
        "topic": "Тема", "previous": "ранее", "emerging": "Новые темы",
        "own_channels": "Собственные каналы", "posts": "Публикации",
        "picked_up": "подхвачено СМИ", "last_post": "последняя", "silent": "молчит {n} дн.",
        "week_ago": "неделю назад",
        "articles": "Публикации", "mentions": "Упоминания",
        "stories": "Сюжеты", "outlets": "Издания", "negative": "Негатив",
        "tone": "Тональность", "positive_l": "позитив", "neutral_l": "нейтрально",
        "negative_l": "негатив", "trend": "Публикации за {n} дней",
        "attention": "Требует внимания", "no_attention": "Негативных сюжетов нет.",
        "top_stories": "Главные сюжеты", "first": "Первым опубликовал",
        "followed": "Подхватили",
        "units": ("мин", "ч", "дн."), "outlets_table": "Издания", "outlet": "Издание",
        "share_of_voice": "Доля упоминаний среди ведомств",
        "health": "Состояние источников", "all_sources_ok": "Все источники доступны.",
        "failing_since": "не отвечает с", "error": "ошибка",
        "no_source": "Ни один источник не удалось получить: дайджест неполон.",
        "clippings": "Публикации", "summary_only": "полный текст недоступен (платный доступ "
        "или ошибка), показан анонс", "significant": "значимо", "not_significant":
        "в пределах обычных колебаний", "no_change": "без изменений", "cues": "Признаки",
        "quiet_day": "За день публикаций об организации не найдено.", "page": "Стр.",
        "contents": "Содержание", "corrected": "исправлено аналитиком",
        "sources_failed": "Не прочитано: {n} из {total}",
        "before_monitoring": "Мониторинг ведётся с {date}: за этот период данных нет.",
        "reasons": {"timeout": "не ответил вовремя", "network": "недоступен",
                    "http_error": "ошибка сервера", "too_large": "ответ слишком велик",
                    "refused": "адрес во внутренней сети", "parse": "лента не читается",
                    "no_links": "в ленте записи без ссылок", "no_items": "лента пуста",
                    "robots": "robots.txt запрещает чтение", "error": "ошибка",
                    "disabled": "отключён в настройках", "unread": "ещё не читался",
                    "config": "ошибка в настройках"},
        "line": "строка {n}", "since": "с", "time_unknown": "время не указано",
        "day": "день {n}", "days": "{n} дн.",
        "thread": "Тема «{name}»", "since_day": "с {day}",
        "thread_above": "ход темы — выше", "thread_first": "начало: {name}",
        "course": "ход", "answer_l": "ответ", "more": "и ещё {n}",
        "more_negative": "И ещё негативных сюжетов: {n}.",
    },
    "kk": {
        "speakers": "Спикерлер", "alert": "Шұғыл",
        "kinds": {"online": "онлайн БАҚ", "agency": "агенттіктер", "telegram": "Telegram",
                  "video": "бейне", "print": "баспасөз", "tv": "ТВ", "own": "өз арналары"},
        "reach": "қамту", "spreading": "таралуда", "unanswered": "жауап жоқ",
        "answered": "жауап", "officials_named": "Аталғандар", "topics": "Тақырыптар",
        "topic": "Тақырып", "previous": "бұрын", "emerging": "Жаңа тақырыптар",
        "own_channels": "Өз арналары", "posts": "Жарияланымдар",
        "picked_up": "БАҚ қайталады", "last_post": "соңғысы", "silent": "{n} күн үнсіз",
        "week_ago": "бір апта бұрын",
        "articles": "Жарияланымдар",
        "mentions": "Аталымдар", "stories": "Сюжеттер", "outlets": "Басылымдар",
        "negative": "Теріс", "tone": "Тональдық", "positive_l": "оң", "neutral_l": "бейтарап",
        "negative_l": "теріс", "trend": "Соңғы {n} күндегі жарияланымдар",
        "attention": "Назар аударыңыз", "no_attention": "Теріс сюжеттер жоқ.",
        "top_stories": "Басты сюжеттер", "first": "Алғаш жариялаған", "followed": "Қайталағандар",
        "units": ("мин", "сағ", "күн"),
        "outlets_table": "Басылымдар", "outlet": "Басылым",
        "share_of_voice": "Ведомстволар арасындағы аталым үлесі",
        "health": "Дереккөздердің күйі", "all_sources_ok": "Барлық дереккөз қолжетімді.",
        "failing_since": "жауап бермей тұр:", "error": "қате",
        "no_source": "Бірде-бір дереккөз алынбады: дайджест толық емес.",
        "clippings": "Жарияланымдар", "summary_only": "толық мәтін қолжетімсіз, анонс көрсетілді",
        "significant": "елеулі", "not_significant": "қалыпты ауытқу шегінде",
        "no_change": "өзгеріссіз", "cues": "Белгілер",
        "quiet_day": "Бұл күні ұйым туралы жарияланым табылмады.", "page": "Бет",
        "contents": "Мазмұны", "corrected": "талдаушы түзеткен",
        "sources_failed": "Оқылмағаны: {n} / {total}",
        "before_monitoring": "Мониторинг {date} бастап жүргізіледі: бұл кезеңге дерек жоқ.",
        "reasons": {"timeout": "уақытында жауап бермеді", "network": "қолжетімсіз",
                    "http_error": "сервер қатесі", "too_large": "жауап тым үлкен",
                    "refused": "мекенжай ішкі желіде", "parse": "арна оқылмайды",
                    "no_links": "арна жазбаларында сілтеме жоқ", "no_items": "арна бос",
                    "robots": "robots.txt оқуға тыйым салады", "error": "қате",
                    "disabled": "баптауларда өшірілген", "unread": "әлі оқылмаған",
                    "config": "баптауларда қате"},
        "line": "{n}-жол", "since": "бастап", "time_unknown": "уақыты көрсетілмеген",
        "day": "{n}-күн", "days": "{n} күн",
        "thread": "«{name}» тақырыбы", "since_day": "{day} бастап",
        "thread_above": "тақырып барысы — жоғарыда", "thread_first": "бастаған: {name}",
        "course": "барысы", "answer_l": "жауап", "more": "тағы {n}",
        "more_negative": "Тағы {n} теріс сюжет бар.",
    },
    "en": {
        "speakers": "Speakers", "alert": "Alert",
        "kinds": {"online": "online", "agency": "agencies", "telegram": "Telegram",
                  "video": "video", "print": "print", "tv": "TV", "own": "own channels"},
        "reach": "reach", "spreading": "spreading", "unanswered": "no answer yet",
        "answered": "answered", "officials_named": "Named", "topics": "Topics",
        "topic": "Topic", "previous": "before", "emerging": "Emerging terms",
        "own_channels": "Own channels", "posts": "Posts",
        "picked_up": "picked up", "last_post": "last", "silent": "silent for {n} days",
        "week_ago": "a week before",
        "articles": "Articles", "mentions": "Mentions",
        "stories": "Stories", "outlets": "Outlets", "negative": "Negative", "tone": "Tone",
        "positive_l": "positive", "neutral_l": "neutral", "negative_l": "negative",
        "trend": "Articles over {n} days", "attention": "Needs attention",
        "no_attention": "No negative stories.", "top_stories": "Top stories",
        "first": "First published by", "followed": "Followed by",
        "units": ("min", "h", "d"), "outlets_table": "Outlets",
        "outlet": "Outlet", "share_of_voice": "Share of voice among government bodies",
        "health": "Source health", "all_sources_ok": "All sources reachable.",
        "failing_since": "failing since", "error": "error",
        "no_source": "No source could be reached: this digest is incomplete.",
        "clippings": "Clippings", "summary_only": "full text unavailable (paywall or error); "
        "feed summary shown", "significant": "significant", "not_significant":
        "within ordinary variation", "no_change": "no change", "cues": "Cues",
        "quiet_day": "No articles about the organization on this day.", "page": "Page",
        "contents": "Contents", "corrected": "corrected by an analyst",
        "sources_failed": "Not read: {n} of {total}",
        "before_monitoring": "Monitoring began on {date}: there is no data for this period.",
        "reasons": {"timeout": "timed out", "network": "unreachable",
                    "http_error": "server error", "too_large": "response too large",
                    "refused": "address on an internal network", "parse": "feed unreadable",
                    "no_links": "feed items without links", "no_items": "feed empty",
                    "robots": "robots.txt forbids reading", "error": "error",
                    "disabled": "switched off in the configuration", "unread": "not read yet",
                    "config": "configuration error"},
        "line": "line {n}", "since": "since", "time_unknown": "time not given",
        "day": "day {n}", "days": "{n} days",
        "thread": "Topic “{name}”", "since_day": "since {day}",
        "thread_above": "its course above", "thread_first": "started by {name}",
        "course": "course", "answer_l": "answer", "more": "and {n} more",
        "more_negative": "And {n} more negative storylines.",
    },
}

MONTHS = {
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


NOUNS = {
    "outlet": {"ru": ("издание", "издания", "изданий"), "kk": ("басылым",),
               "en": ("outlet", "outlets")},
    "article": {"ru": ("публикация", "публикации", "публикаций"), "kk": ("жарияланым",),
                "en": ("article", "articles")},
    "mention": {"ru": ("упоминание", "упоминания", "упоминаний"), "kk": ("аталым",),
                "en": ("mention", "mentions")},
    "storyline": {"ru": ("сюжет", "сюжета", "сюжетов"), "kk": ("сюжет",),
                  "en": ("storyline", "storylines")},
}


def counted(n: int, noun: str, lang: str) -> str:
    """`3 издания`, `5 outlets`: a number with its noun in the right form."""
    return f"{n} {plural(n, NOUNS[noun][lang], lang)}"


# What changes with the period's kind: the headings, and what "previous" means.
PERIOD_LABELS = {
    "ru": {"day": ("Медиадайджест", "Главное за день", "накануне"),
           "week": ("Обзор за неделю", "Главное за неделю", "неделей ранее"),
           "month": ("Обзор за месяц", "Главное за месяц", "месяцем ранее")},
    "kk": {"day": ("Медиадайджест", "Күннің басты көрсеткіштері", "алдыңғы күні"),
           "week": ("Апталық шолу", "Аптаның басты көрсеткіштері", "алдыңғы апта"),
           "month": ("Айлық шолу", "Айдың басты көрсеткіштері", "алдыңғы ай")},
    "en": {"day": ("Media digest", "The day at a glance", "the day before"),
           "week": ("Weekly review", "The week at a glance", "the week before"),
           "month": ("Monthly review", "The month at a glance", "the month before")},
}


def period_labels(kind: str, lang: str) -> dict:
    heading, summary, previous = PERIOD_LABELS[lang].get(kind, PERIOD_LABELS[lang]["week"])
    return {"heading": heading, "summary": summary, "previous": previous}


def period_span(first: date, last: date, lang: str) -> str:
    """"23 ноября 2026 г." for a day, "16–22 ноября 2026 г." for a week."""
    if first == last:
        return long_date(last, lang)
    if (first.year, first.month) == (last.year, last.month) and lang != "kk":
        return f"{first.day}–{long_date(last, lang)}"
    return f"{long_date(first, lang)} – {long_date(last, lang)}"


def long_date(day: date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    if lang == "en":
        return f"{day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year} г."


def short_date(day: date, lang: str) -> str:
    return f"{day.day:02d}.{day.month:02d}"


def plural(n: int, forms: tuple[str, ...], lang: str) -> str:
    """`forms`: ru (one, few, many); en (one, other); kk takes one form."""
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    if lang == "en":
        return forms[0] if n == 1 else forms[1]
    return forms[0]


def delay(minutes: float, lang: str) -> str:
    """How long after the first publication: "+40 мин", "+3 ч", "+2 дн."."""
    minute, hour, day = LABELS[lang]["units"]
    minutes = max(0, round(minutes))
    if minutes < 60:
        return f"+{minutes} {minute}"
    if minutes < 48 * 60:
        return f"+{round(minutes / 60)} {hour}"
    return f"+{round(minutes / 1440)} {day}"
