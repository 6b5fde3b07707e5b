"""The workspace's words in the digest's language: titles of pages, tables and columns."""

from __future__ import annotations

WORDS = {
    "ru": {
        "title": "Рабочее место аналитика", "review": "Проверка упоминаний",
        "review_about": "Упоминания за период, новые сверху: предложение, тон модели и её "
                        "признаки, исправление аналитика. Исправьте сколько нужно и "
                        "сохраните одним нажатием.",
        "clippings": "Выгрузка публикаций", "clippings_about":
            "Публикации периода: дата, издание, заголовок, ссылка, тон, охват. "
            "CSV и XLSX — ссылками внизу страницы.",
        "storylines": "Сюжеты", "storylines_about":
            "Сюжеты периода: сколько публикаций и изданий, сколько негатива.",
        "attention": "Требует внимания", "attention_about":
            "Негативные сюжеты периода, начиная с самых широких.",
        "digests": "Дайджесты и отчёты", "since": "с", "until": "по",
        "only_negative": "только негатив", "unreviewed": "только непроверенные",
        "entity": "объект", "lang": "язык", "any": "все", "show": "Показать",
        "save": "Сохранить исправления", "note": "примечание", "keep": "—",
        "negative": "негатив", "neutral": "нейтрально", "positive": "позитив",
        "not_about_us": "не о нас", "model": "модель", "cues": "признаки",
        "corrected_by": "исправил", "saved": "Сохранено исправлений: {n}",
        "nothing": "Нечего сохранять: ни одного исправления не выбрано.",
        "no_rows": "За период упоминаний нет.", "kind_digest": "дайджест",
        "kind_report": "отчёт", "date": "дата", "kind": "вид", "file": "файл",
        "size": "размер", "no_files": "В папке выгрузки пока нет PDF.",
        "search": "Поиск по публикациям", "articles": "Публикации", "mentions": "Упоминания",
        "sources": "Источники", "corrections": "Исправления аналитиков", "stories": "Перепечатки",
        "runs": "Запуски", "fetches": "Загрузки", "outlet": "издание", "headline": "заголовок",
        "link": "ссылка", "tone": "тон", "reach": "охват", "storyline": "сюжет",
        "page": "страница", "next": "дальше", "login": "Войти",
        "move_to": "в сюжет № или «новый»", "storyline_page": "Сюжет",
        "storyline_about": "Публикации сюжета, первая сверху. Публикацию другого события "
                           "перенесите в её сюжет или в новый; весь сюжет — в другой, если это "
                           "одно событие.",
        "merge_into": "весь сюжет — в сюжет №", "first_published": "первая публикация",
        "placed_by": "перенёс", "suggestions": "Возможно, один сюжет",
        "suggestions_about": "Сюжеты, которые модель сочла близкими, но не объединила: "
                             "публикация одного подошла к другому почти вплотную. Откройте оба; "
                             "если это одно событие, объедините их на странице сюжета.",
        "no_storyline": "Такого сюжета нет (или он объединён с другим).",
    },
    "kk": {
        "title": "Талдаушының жұмыс орны", "review": "Атауларды тексеру",
        "review_about": "Кезеңдегі атаулар, жаңалары жоғарыда: сөйлем, модельдің реңкі мен "
                        "белгілері, талдаушының түзетуі. Қажеттісін түзетіп, бір рет сақтаңыз.",
        "clippings": "Жарияланымдарды жүктеу", "clippings_about":
            "Кезеңнің жарияланымдары: күні, басылым, тақырып, сілтеме, реңк, қамту. "
            "CSV және XLSX — беттің төменгі жағында.",
        "storylines": "Сюжеттер", "storylines_about":
            "Кезеңнің сюжеттері: жарияланымдар мен басылымдар саны, теріс реңк.",
        "attention": "Назар аударуды қажет етеді", "attention_about":
            "Кезеңнің теріс сюжеттері, ең кеңінен бастап.",
        "digests": "Дайджесттер мен есептер", "since": "бастап", "until": "дейін",
        "only_negative": "тек теріс", "unreviewed": "тек тексерілмегендер",
        "entity": "нысан", "lang": "тіл", "any": "барлығы", "show": "Көрсету",
        "save": "Түзетулерді сақтау", "note": "ескерту", "keep": "—",
        "negative": "теріс", "neutral": "бейтарап", "positive": "оң",
        "not_about_us": "бізге қатысты емес", "model": "модель", "cues": "белгілер",
        "corrected_by": "түзеткен", "saved": "Сақталған түзетулер: {n}",
        "nothing": "Сақтайтын ештеңе жоқ: бірде-бір түзету таңдалмаған.",
        "no_rows": "Кезеңде атаулар жоқ.", "kind_digest": "дайджест",
        "kind_report": "есеп", "date": "күні", "kind": "түрі", "file": "файл",
        "size": "көлемі", "no_files": "Шығару қалтасында әзірге PDF жоқ.",
        "search": "Жарияланымдардан іздеу", "articles": "Жарияланымдар", "mentions": "Атаулар",
        "sources": "Дереккөздер", "corrections": "Талдаушылардың түзетулері",
        "stories": "Қайта басылымдар", "runs": "Іске қосулар", "fetches": "Жүктеулер",
        "outlet": "басылым", "headline": "тақырып", "link": "сілтеме", "tone": "реңк",
        "reach": "қамту", "storyline": "сюжет", "page": "бет", "next": "әрі қарай",
        "login": "Кіру", "move_to": "№ сюжетке немесе «жаңа»", "storyline_page": "Сюжет",
        "storyline_about": "Сюжеттің жарияланымдары, алғашқысы жоғарыда. Басқа оқиға туралы "
                           "жарияланымды өз сюжетіне немесе жаңасына ауыстырыңыз; бір оқиға "
                           "болса, бүкіл сюжетті басқасына қосыңыз.",
        "merge_into": "бүкіл сюжет — № сюжетке", "first_published": "алғашқы жарияланым",
        "placed_by": "ауыстырған", "suggestions": "Бір сюжет болуы мүмкін",
        "suggestions_about": "Модель жақын деп тапқан, бірақ біріктірмеген сюжеттер. Екеуін "
                             "де ашыңыз; бір оқиға болса, сюжет бетінде біріктіріңіз.",
        "no_storyline": "Мұндай сюжет жоқ (немесе басқасымен біріктірілген).",
    },
    "en": {
        "title": "Analysts' workspace", "review": "Review mentions",
        "review_about": "The period's mentions, newest first: the sentence, the model's tone "
                        "and cues, an analyst's correction. Correct as many as needed and "
                        "save them at once.",
        "clippings": "Export clippings", "clippings_about":
            "The period's clippings: date, outlet, headline, link, tone, reach. "
            "CSV and XLSX are linked at the foot of the page.",
        "storylines": "Storylines", "storylines_about":
            "The period's storylines: articles, outlets, how many negative.",
        "attention": "Needs attention", "attention_about":
            "The period's negative storylines, the widest first.",
        "digests": "Digests and reports", "since": "from", "until": "to",
        "only_negative": "only negative", "unreviewed": "only not yet reviewed",
        "entity": "entity", "lang": "language", "any": "any", "show": "Show",
        "save": "Save corrections", "note": "note", "keep": "—",
        "negative": "negative", "neutral": "neutral", "positive": "positive",
        "not_about_us": "not about us", "model": "model", "cues": "cues",
        "corrected_by": "corrected by", "saved": "Corrections saved: {n}",
        "nothing": "Nothing to save: no correction was chosen.",
        "no_rows": "No mentions in the period.", "kind_digest": "digest",
        "kind_report": "report", "date": "date", "kind": "kind", "file": "file",
        "size": "size", "no_files": "No PDF in the output folder yet.",
        "search": "Search articles", "articles": "Articles", "mentions": "Mentions",
        "sources": "Sources", "corrections": "Analysts' corrections", "stories": "Reprints",
        "runs": "Runs", "fetches": "Fetches", "outlet": "outlet", "headline": "headline",
        "link": "link", "tone": "tone", "reach": "reach", "storyline": "storyline",
        "page": "page", "next": "next", "login": "Log in",
        "move_to": "to storyline no. or “new”", "storyline_page": "Storyline",
        "storyline_about": "The storyline's articles, the first on top. Move an article "
                           "about another event to its storyline or a new one; the whole "
                           "storyline into another when they are one event.",
        "merge_into": "whole storyline into no.", "first_published": "first published",
        "placed_by": "moved by", "suggestions": "Perhaps one storyline",
        "suggestions_about": "Storylines the model found close but did not merge: an "
                             "article of one came near the other. Open both; if they tell one "
                             "event, merge them on the storyline's page.",
        "no_storyline": "No such storyline (or it was merged into another).",
    },
}
