"""Storylines of a month's news, night by night, and how a night grows with the history.

    python bench/bench_storylines.py [--articles 100000] [--days 30] [--profile]

A real SQLite file gets the articles of one day (Asia/Almaty) before each night,
as the earlier stages leave them: in reprint groups (`story_id`), searched for
mentions (`detected_at`, `mention_count`, rows in `mentions`). Volumes follow
the week (weekends lighter) and the hours of a newsroom day; languages are
Russian 65 %, Kazakh 25 %, English 10 %; a reprint (15 %) copies an article of
the last two days from another outlet. One article in twenty names a watched
body: those tell events (grants, a theatre's repair, a media bill, outages,
schools…) in one to eight rewrites over one to four days, in any of the three
languages, each event with its own city, figures, speaker and project name, and
the same kind of event recurs elsewhere with other figures, so the grouping has
look-alikes to tell apart. The rest is weather, prices, sport and accidents.
Each night runs `clipper.storylines.stage.run` in a process of its own, as a
nightly run does, so its peak memory (VmHWM) is the stage's with the encoder;
the encoder's start (weights and graph) is timed apart from the stage, and the
stage's CPU time beside its wall time (the machine may be shared). Printed:
nights 1, 5, 10, 20 and 30, the totals, the floor (the encoder alone over a
sample of the leads the stage embedded), and the storylines against the events.
Targets: 100,000 articles over 30 days in ≤ 3 min, peak memory ≤ 1 GB, and the
cost of a night bounded however long the history grows.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench_dedupe import peak_memory_mb

from clipper import store
from clipper.config import load_settings
from clipper.dedupe import content_hash

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = date(2026, 10, 26)  # a Monday
LANGS, LANG_SHARES = ("ru", "kk", "en"), (0.65, 0.25, 0.10)
MENTIONING, REPRINTS, REPRINT_HOURS = 0.05, 0.15, 48
SIZES = (30, 20, 15, 11, 9, 7, 5, 3)  # weights of an event's 1..8 rewrites
CONTINUE = 0.6  # chance that a mentioning article continues an open event
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 0.95, 0.65, 0.55)
HOURS = (0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.0, 1.6, 2.0, 2.1, 2.0, 1.8, 1.8, 1.9, 1.8, 1.6,
         1.4, 1.2, 1.0, 0.9, 0.8, 0.6, 0.4)  # local hour of publication
SHOWN = (1, 5, 10, 20, 30)  # nights in the growth table

BODIES = {  # nominative, prepositional (ru), short
    "mki": {"ru": ("Министерство культуры и информации", "Министерстве культуры и информации",
                   "Минкультуры"),
            "kk": ("Мәдениет және ақпарат министрлігі", "", "МАМ"),
            "en": ("Ministry of Culture and Information", "", "MCI")},
    "mcri": {"ru": ("МЦРИАП", "МЦРИАП", "МЦРИАП"),
             "kk": ("Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі", "",
                    "Цифрлық даму министрлігі"),
             "en": ("Ministry of Digital Development, Innovations and Aerospace Industry", "",
                    "Digital ministry")},
    "minedu": {"ru": ("Министерство просвещения", "Министерстве просвещения", "Минпросвещения"),
               "kk": ("Оқу-ағарту министрлігі", "", "Оқу-ағарту министрлігі"),
               "en": ("Ministry of Education", "", "Education ministry")},
}
TITLES = {"ru": ("{What} {in_city}: {amount}", "{What}: {count_noun}", "{short}: {what} {in_city}"),
          "kk": ("{In_city} {what}: {amount}", "{What}: {count_noun}", "{short}: {in_city} {what}"),
          "en": ("{What} {in_city}: {amount}", "{What}: {count_noun}", "{short}: {what} {in_city}")}
LEADS = {"ru": ("{body} сообщило, что {clause}.", "{Clause}, сообщили в {body_prep}."),
         "kk": ("{body} хабарлағандай, {clause}.", "{Clause}, деп хабарлады {body}."),
         "en": ("The {body} said {clause}.", "{Clause}, the {body} said.")}
INTROS = {  # an outlet's way into a story: varies between rewrites of one event
    "ru": ("Новость, которую обсуждают с самого утра.", "Редакция получила официальный ответ.",
           "Об этом стало известно из сообщения пресс-службы.", "Рассказываем, что известно.",
           "Наши читатели спрашивают, что происходит.", "Главное к этому часу.",
           "Ситуацию прокомментировали в правительстве.", "Подробности — в нашем материале.",
           "Эту тему мы уже поднимали на прошлой неделе.", "Собрали ключевые факты."),
    "kk": ("Бұл жаңалық таңертеңнен бері талқыланып жатыр.", "Редакция ресми жауап алды.",
           "Бұл туралы баспасөз қызметінің хабарламасынан белгілі болды.",
           "Не белгілі екенін айтып береміз.", "Оқырмандарымыз не болып жатқанын сұрайды.",
           "Осы сағаттағы басты жаңалық.", "Жағдайға үкіметте түсініктеме берді.",
           "Толығырақ — біздің материалда.", "Бұл тақырыпты өткен аптада көтерген едік.",
           "Негізгі деректерді жинадық."),
    "en": ("The news has been discussed since the morning.", "We received an official reply.",
           "This was announced in a press release.", "Here is what we know.",
           "Our readers have been asking what is going on.", "The main story at this hour.",
           "The government has commented on the situation.", "Read the details below.",
           "We raised this topic last week.", "We have gathered the key facts."),
}
QUOTE = {"ru": "«{quote}», — считает {person}, {role}.",
         "kk": "«{quote}», — дейді {role} {person}.",
         "en": '"{quote}," said {person}, {role}.'}
MINISTER = {"ru": "Министр культуры и информации Аида Балаева поручила разобраться в ситуации "
                  "{in_city}.",
            "kk": "Мәдениет және ақпарат министрі Аида Балаева {in_city} жағдайды тексеруді "
                  "тапсырды.",
            "en": "Minister of Culture and Information Aida Balaeva ordered a review of the "
                  "situation {in_city}."}
FOLLOW_UPS = {"ru": ("История получила продолжение.", "Ранее решение вызвало вопросы у жителей."),
              "kk": ("Оқиға жалғасын тапты.", "Бұған дейін шешім тұрғындар арасында сұрақ "
                     "туғызған."),
              "en": ("The story has had a follow-up.", "The decision had earlier raised "
                     "questions among residents.")}
CLOSINGS = {"ru": ("Подробности опубликованы на сайте ведомства.", "Работа продолжится в "
                   "следующем году.", "Тема вызвала широкое обсуждение в соцсетях."),
            "kk": ("Толығырақ ақпарат ведомство сайтында жарияланған.", "Жұмыс келесі жылы "
                   "жалғасады.", "Тақырып әлеуметтік желілерде кең талқыланды."),
            "en": ("Details are published on the ministry's website.", "The work will continue "
                   "next year.", "The news was widely discussed on social media.")}
QUOTES = {"ru": ("Сроки придется пересмотреть", "Это решение давно назрело",
                 "Денег на всех не хватит", "Мы ждем подробного отчета"),
          "kk": ("Мерзімді қайта қарауға тура келеді", "Бұл шешім әлдеқашан пісіп-жетілген",
                 "Қаражат бәріне жетпейді", "Біз толық есеп күтеміз"),
          "en": ("The deadlines will have to be revised", "This decision is long overdue",
                 "There will not be enough money for everyone", "We expect a detailed report")}
ROLES = (("директор областной библиотеки", "облыстық кітапхана директоры",
          "director of the regional library"),
         ("депутат маслихата", "мәслихат депутаты", "a member of the local council"),
         ("главный редактор газеты", "газет бас редакторы", "a newspaper editor"),
         ("эксперт", "сарапшы", "an expert"))
FIRST_NAMES = (("Ерлан", "Yerlan", 0), ("Нурлан", "Nurlan", 0), ("Асхат", "Askhat", 0),
               ("Дамир", "Damir", 0), ("Марат", "Marat", 0), ("Айгуль", "Aigul", 1),
               ("Динара", "Dinara", 1), ("Жанар", "Zhanar", 1), ("Салтанат", "Saltanat", 1),
               ("Асель", "Assel", 1))
SURNAMES = (("Сатыбалдиев", "Satybaldiyev"), ("Жумабеков", "Zhumabekov"),
            ("Нургалиев", "Nurgaliyev"), ("Абенов", "Abenov"), ("Касымов", "Kassymov"),
            ("Омаров", "Omarov"), ("Тулегенов", "Tulegenov"), ("Исаев", "Issayev"),
            ("Мухамедиев", "Mukhamediyev"), ("Ахметов", "Akhmetov"), ("Ибраев", "Ibrayev"),
            ("Кенжебаев", "Kenzhebayev"))
CITIES = (("в Астане", "Астанада", "in Astana"), ("в Алматы", "Алматыда", "in Almaty"),
          ("в Шымкенте", "Шымкентте", "in Shymkent"), ("в Караганде", "Қарағандыда",
                                                       "in Karaganda"),
          ("в Актобе", "Ақтөбеде", "in Aktobe"), ("в Таразе", "Таразда", "in Taraz"),
          ("в Павлодаре", "Павлодарда", "in Pavlodar"), ("в Усть-Каменогорске", "Өскеменде",
                                                         "in Oskemen"),
          ("в Семее", "Семейде", "in Semey"), ("в Атырау", "Атырауда", "in Atyrau"),
          ("в Костанае", "Қостанайда", "in Kostanay"), ("в Кызылорде", "Қызылордада",
                                                         "in Kyzylorda"),
          ("в Уральске", "Оралда", "in Oral"), ("в Актау", "Ақтауда", "in Aktau"),
          ("в Туркестане", "Түркістанда", "in Turkistan"), ("в Петропавловске", "Петропавлда",
                                                            "in Petropavl"))


PROJECTS = (("Шабыт", "Shabyt"), ("Болашақ", "Bolashak"), ("Самұрық", "Samruk"),
            ("Арман", "Arman"), ("Жұлдыз", "Zhuldyz"), ("Мұрагер", "Murager"), ("Тұмар", "Tumar"),
            ("Ақжол", "Akzhol"), ("Жас қанат", "Zhas Kanat"), ("Алтын сақа", "Altyn Saka"),
            ("Керуен", "Keruen"), ("Ұлы дала", "Uly Dala"), ("Көкжиек", "Kokzhiek"),
            ("Дарын", "Daryn"), ("Сарыарқа", "Saryarka"), ("Атамекен", "Atameken"),
            ("Шаңырақ", "Shanyrak"), ("Бәйтерек", "Baiterek"), ("Кемел", "Kemel"),
            ("Таным", "Tanym"), ("Ұрпақ", "Urpak"), ("Мирас", "Miras"), ("Тамыр", "Tamyr"),
            ("Ізгілік", "Izgilik"))
PROJECT = {"ru": "Проект называется «{project}».", "kk": "Жоба «{project}» деп аталады.",
           "en": "The project is called {project}."}
CONTEXTS = (  # what else an event's articles tell: each event has three of these
    ("Жители несколько лет жаловались на состояние здания.",
     "Тұрғындар бірнеше жыл бойы ғимараттың жайына шағымданған.",
     "Residents had complained about the state of the building for years."),
    ("Прокуратура начала проверку расходования средств.",
     "Прокуратура қаражаттың жұмсалуын тексеруді бастады.",
     "Prosecutors have opened an audit of the spending."),
    ("Подрядчик уже дважды срывал сроки.", "Мердігер мерзімді екі рет бұзған.",
     "The contractor has already missed two deadlines."),
    ("Проект обсуждали на общественных слушаниях в прошлом месяце.",
     "Жоба өткен айда қоғамдық тыңдауларда талқыланды.",
     "The project was discussed at public hearings last month."),
    ("Видео с места появилось в соцсетях и набрало тысячи просмотров.",
     "Оқиға орнынан түсірілген видео әлеуметтік желіде мыңдаған қаралым жинады.",
     "A video from the site went viral on social media."),
    ("Депутаты направили запрос с требованием объяснить задержку.",
     "Депутаттар кідірісті түсіндіруді талап етіп сауал жолдады.",
     "Deputies sent an inquiry demanding an explanation for the delay."),
    ("Аким области лично осмотрел объект.", "Облыс әкімі нысанды өзі аралап көрді.",
     "The regional akim inspected the site in person."),
    ("Средства предусмотрены в местном бюджете на следующий год.",
     "Қаражат келесі жылғы жергілікті бюджетте қарастырылған.",
     "The money is set aside in next year's local budget."),
    ("Петицию с требованием пересмотреть решение подписали жители.",
     "Шешімді қайта қарауды талап еткен петицияға тұрғындар қол қойды.",
     "Residents signed a petition asking for the decision to be reviewed."),
    ("Работы начнутся весной после завершения экспертизы.",
     "Жұмыс сараптама аяқталған соң көктемде басталады.",
     "Work will begin in spring once the review is complete."),
    ("Часть денег выделит частный спонсор.", "Қаражаттың бір бөлігін жеке демеуші бөледі.",
     "Part of the money will come from a private sponsor."),
    ("В областном управлении признали, что проект отстает от графика.",
     "Облыстық басқармада жобаның кестеден артта қалып отырғанын мойындады.",
     "The regional department admitted that the project is behind schedule."),
    ("Тендер выиграла компания из соседней области.",
     "Тендерді көрші облыстағы компания ұтты.",
     "A company from a neighbouring region won the tender."),
    ("Общественники просят сделать отчеты открытыми.",
     "Қоғам белсенділері есептерді ашық етуді сұрайды.",
     "Activists are asking for the reports to be made public."),
    ("Похожая программа три года назад завершилась скандалом.",
     "Ұқсас бағдарлама үш жыл бұрын жанжалмен аяқталған.",
     "A similar programme ended in scandal three years ago."),
    ("Ветераны отрасли приветствовали решение.", "Сала ардагерлері шешімді құптады.",
     "Veterans of the sector welcomed the decision."),
    ("Студенты местного колледжа вызвались помочь волонтерами.",
     "Жергілікті колледж студенттері ерікті ретінде көмектесуге ниет білдірді.",
     "Students of a local college volunteered to help."),
    ("Ранее на эти цели уже выделялись деньги, но они не были освоены.",
     "Бұған дейін осы мақсатқа ақша бөлінген, бірақ игерілмеген.",
     "Money had been allocated for this before but was never spent."),
    ("Эксперты сомневаются, что сроки реальны.",
     "Сарапшылар мерзімнің шынайы екеніне күмәнданады.",
     "Experts doubt that the deadlines are realistic."),
    ("Решение принято по итогам выездного совещания.",
     "Шешім көшпелі кеңес қорытындысы бойынша қабылданды.",
     "The decision was taken after an on-site meeting."),
    ("Местные блогеры заметили ошибки в документации.",
     "Жергілікті блогерлер құжаттамадағы қателерді байқады.",
     "Local bloggers spotted errors in the documents."),
    ("Руководителю управления объявлен выговор.", "Басқарма басшысына сөгіс жарияланды.",
     "The head of the department was reprimanded."),
    ("Объект планируют сдать к Дню Независимости.",
     "Нысанды Тәуелсіздік күніне дейін тапсыру жоспарланған.",
     "The site is due to open by Independence Day."),
    ("Жители близлежащих сел просят включить их в программу.",
     "Маңайдағы ауылдардың тұрғындары бағдарламаға енгізуді сұрайды.",
     "Residents of nearby villages are asking to be included in the programme."),
)


@dataclass(frozen=True)
class Topic:
    body: str  # the entity id whose body the articles name
    objects: tuple  # what an event of this kind is about: (ru, kk, en), one an event
    noun: tuple  # what is counted: ((ru one, few, many), kk, en plural)
    what: tuple  # ru, kk, en: a headline's subject, with {obj}
    clauses: dict  # lang: two clauses with {obj}, {in_city}, {amount}, {count_noun}
    detail: tuple  # ru, kk, en


def _topic(body, objects, noun, what, ru, kk, en, detail) -> Topic:
    return Topic(body, objects, noun, what, {"ru": ru, "kk": kk, "en": en}, detail)


TOPICS = (
    _topic("mki", (("региональных СМИ", "өңірлік БАҚ", "regional media"),
                   ("районных газет", "аудандық газеттер", "district newspapers"),
                   ("детских телеканалов", "балалар телеарналары", "children's TV channels"),
                   ("интернет-изданий", "интернет-басылымдар", "online outlets"),
                   ("молодежных медиапроектов", "жастар медиажобалары", "youth media")),
           (("проект", "проекта", "проектов"), "жоба", "projects"),
           ("гранты для {obj}", "{obj} үшін гранттар", "grants for {obj}"),
           ("гранты на {amount} получат {count_noun} {obj} {in_city}",
            "{in_city} {count_noun} {obj} разделят {amount} государственных грантов"),
           ("{in_city} {obj} үшін {count_noun} {amount} грант алады",
            "{amount} мемлекеттік грант {in_city} {obj} арасында бөлінеді, барлығы {count_noun}"),
           ("{count_noun} of {obj} {in_city} will share {amount} in grants",
            "grants worth {amount} will go to {count_noun} of {obj} {in_city}"),
           ("Победителей отобрала независимая комиссия, список опубликуют до конца недели.",
            "Жеңімпаздарды тәуелсіз комиссия іріктеді, тізім апта соңына дейін жарияланады.",
            "An independent commission chose the winners; the list is due by the weekend.")),
    _topic("mki", (("драматического театра", "драма театры", "the drama theatre"),
                   ("театра кукол", "қуыршақ театры", "the puppet theatre"),
                   ("филармонии", "филармония", "the philharmonic"),
                   ("Дома культуры", "мәдениет үйі", "the house of culture"),
                   ("цирка", "цирк", "the circus")),
           (("место", "места", "мест"), "орын", "seats"),
           ("ремонт {obj}", "{obj} ғимаратын жөндеу", "repair of {obj}"),
           ("ремонт {obj} {in_city} обойдется в {amount}, зал рассчитан на {count_noun}",
            "на реконструкцию {obj} {in_city} выделено {amount}, после нее зал вместит "
            "{count_noun}"),
           ("{in_city} {obj} ғимаратын жөндеуге {amount} бөлінді, залда {count_noun} болады",
            "{in_city} {obj} ғимаратын қайта құру {amount} тұрады, зал {count_noun} сыйғызады"),
           ("the repair of {obj} {in_city} will cost {amount}, and the hall will have "
            "{count_noun}", "{amount} has been allocated to rebuild {obj} {in_city}, which "
            "will have {count_noun}"),
           ("Артисты второй сезон подряд выступают в арендованном зале.",
            "Әртістер екінші маусым қатарынан жалға алынған залда өнер көрсетіп жүр.",
            "The performers have used a rented hall for a second season.")),
    _topic("mki", (("закон о масс-медиа", "БАҚ туралы заң", "the media law"),
                   ("закон о рекламе", "жарнама туралы заң", "the advertising law"),
                   ("закон о телерадиовещании", "телерадио хабарларын тарату туралы заң",
                    "the broadcasting law"),
                   ("закон о доступе к информации", "ақпаратқа қол жеткізу туралы заң",
                    "the access to information law")),
           (("поправка", "поправки", "поправок"), "түзету", "amendments"),
           ("поправки в {obj}", "{obj}ға түзетулер", "amendments to {obj}"),
           ("в {obj} предлагают внести {count_noun}, их обсудят с редакторами {in_city}",
            "вынесены на обсуждение поправки в {obj} ({count_noun}), на внедрение новых "
            "правил {in_city} потребуется {amount}"),
           ("{obj}ға {count_noun} енгізу ұсынылады, оларды {in_city} редакторлармен "
            "талқылайды", "{obj}ға түзетулер ({count_noun}) талқылауға шығарылды, {in_city} "
            "жаңа ережелерді енгізуге {amount} қажет"),
           ("{count_noun} to {obj} are proposed and will be discussed with editors {in_city}",
            "{count_noun} to {obj} are out for discussion, and the new rules will cost {amount} "
            "{in_city}"),
           ("Журналисты опасаются, что новые нормы ограничат доступ к информации.",
            "Журналистер жаңа нормалар ақпаратқа қолжетімділікті шектейді деп алаңдайды.",
            "Journalists fear the new rules will limit access to information.")),
    _topic("mki", (("иностранных журналистов", "шетелдік журналистер", "foreign journalists"),
                   ("блогеров", "блогерлер", "bloggers"),
                   ("фотокорреспондентов", "фототілшілер", "photographers"),
                   ("парламентских корреспондентов", "парламент тілшілері",
                    "parliamentary reporters")),
           (("заявка", "заявки", "заявок"), "өтінім", "applications"),
           ("аккредитация {obj}", "{obj} аккредиттеу", "accreditation of {obj}"),
           ("{in_city} на аккредитацию {obj} подано {count_noun}, система обошлась в {amount}",
            "новые правила аккредитации {obj} {in_city} вызвали {count_noun}, на электронную "
            "систему потратят {amount}"),
           ("{in_city} {obj} аккредиттеуге {count_noun} түсті, жүйе {amount} тұрады",
            "{in_city} {obj} аккредиттеудің жаңа ережелері бойынша {count_noun} түсті, "
            "электрондық жүйеге {amount} жұмсалады"),
           ("{count_noun} for the accreditation of {obj} were filed {in_city}, and the system "
            "cost {amount}", "new rules for {obj} {in_city} brought {count_noun}, and the "
            "electronic system will cost {amount}"),
           ("Редакции жалуются, что ответы приходят с опозданием.",
            "Редакциялар жауаптың кешігіп келетініне шағымданады.",
            "Newsrooms complain that answers come late.")),
    _topic("mki", (("народной музыки", "халық музыкасы", "folk music"),
                   ("уличного театра", "көше театры", "street theatre"),
                   ("документального кино", "деректі кино", "documentary film"),
                   ("айтыса", "айтыс", "aitys"),
                   ("современного танца", "заманауи би", "contemporary dance")),
           (("участник", "участника", "участников"), "қатысушы", "participants"),
           ("фестиваль {obj}", "{obj} фестивалі", "{obj} festival"),
           ("{in_city} пройдет фестиваль {obj}, заявки подали {count_noun}, бюджет {amount}",
            "на фестиваль {obj} {in_city} выделено {amount}, ожидается {count_noun}"),
           ("{in_city} {obj} фестивалі өтеді, {count_noun} өтінім берді, бюджеті {amount}",
            "{in_city} {obj} фестиваліне {amount} бөлінді, {count_noun} күтілуде"),
           ("a {obj} festival with {count_noun} and a budget of {amount} will take place "
            "{in_city}", "{amount} has been allocated to the {obj} festival {in_city}, which "
            "expects {count_noun}"),
           ("Вход на все события будет свободным.", "Барлық іс-шараға кіру тегін болады.",
            "Entry to all events will be free.")),
    _topic("mcri", (("мобильным интернетом", "мобильді интернет", "mobile internet"),
                    ("сотовой связью", "ұялы байланыс", "mobile phone service"),
                    ("широкополосным доступом", "кең жолақты интернет", "broadband"),
                    ("спутниковым телевидением", "спутниктік теледидар", "satellite TV")),
           (("село", "села", "сел"), "ауыл", "villages"),
           ("перебои с {obj}", "{obj} іркілістері", "{obj} outages"),
           ("{in_city} и пригородах перебои с {obj} затронули {count_noun}, на ремонт сетей "
            "нужно {amount}", "на модернизацию сетей {in_city} направят {amount}, перебои с "
            "{obj} устранят в {count_noun}"),
           ("{in_city} және маңындағы {count_noun} {obj} іркілістері байқалды, желіні жөндеуге "
            "{amount} қажет", "{in_city} желілерді жаңғыртуға {amount} бағытталады, {obj} "
            "іркілістері {count_noun} жойылады"),
           ("{obj} outages have hit {count_noun} {in_city}, and repairs need {amount}",
            "{amount} will go to upgrading networks {in_city}, ending {obj} outages in "
            "{count_noun}"),
           ("Операторы обещают устранить проблемы до конца квартала.",
            "Операторлар мәселені тоқсан соңына дейін шешуге уәде береді.",
            "Operators promise to fix the problems by the end of the quarter.")),
    _topic("minedu", (("школы", "мектеп", "a school"), ("детского сада", "балабақша",
                                                         "a kindergarten"),
                      ("колледжа", "колледж", "a college"), ("интерната", "интернат",
                                                              "a boarding school")),
           (("место", "места", "мест"), "орын", "places"),
           ("строительство {obj}", "{obj} салу", "construction of {obj}"),
           ("{in_city} начнется строительство {obj} на {count_noun}, проект оценивается в "
            "{amount}", "на строительство {obj} {in_city} выделено {amount}, здание рассчитано "
            "на {count_noun}"),
           ("{in_city} жаңа {obj} салынады: {count_noun}, құны {amount}",
            "{in_city} {obj} салуға {amount} бөлінді, ғимарат {count_noun} есептелген"),
           ("construction of {obj} with {count_noun} will start {in_city} at a cost of {amount}",
            "{amount} has been allocated to build {obj} {in_city} with {count_noun}"),
           ("Родители жалуются на переполненные классы и группы.",
            "Ата-аналар сыныптар мен топтардың толып кеткеніне шағымданады.",
            "Parents complain about overcrowded classes.")),
    _topic("mki", (("краеведческого музея", "өлкетану мұражайы", "the local history museum"),
                   ("художественного музея", "өнер мұражайы", "the art museum"),
                   ("литературного музея", "әдеби мұражай", "the literary museum"),
                   ("музея-заповедника", "мұражай-қорық", "the museum reserve")),
           (("экспонат", "экспоната", "экспонатов"), "жәдігер", "exhibits"),
           ("новая экспозиция {obj}", "{obj}: жаңа экспозиция", "new exhibition at {obj}"),
           ("экспозиция {obj} {in_city} открылась после реставрации, в ней {count_noun}, "
            "работы стоили {amount}", "на реставрацию коллекции {obj} {in_city} потратили "
            "{amount}, показано {count_noun}"),
           ("{in_city} {obj} жаңа экспозиция ашты, онда {count_noun} бар, қалпына келтіру "
            "{amount} тұрды", "{in_city} {obj} қорын қалпына келтіруге {amount} жұмсалды, "
            "{count_noun} көрсетілді"),
           ("{obj} {in_city} has opened an exhibition of {count_noun} restored for {amount}",
            "{amount} was spent restoring the collection of {obj} {in_city}, and {count_noun} "
            "are on show"),
           ("Часть предметов впервые покидает запасники.",
            "Заттардың бір бөлігі қоймадан алғаш рет шығарылды.",
            "Some items are leaving storage for the first time.")),
    _topic("mki", (("казахского языка", "қазақ тілі", "Kazakh language"),
                   ("английского языка", "ағылшын тілі", "English language"),
                   ("языка жестов", "ым тілі", "sign language"),
                   ("делопроизводства на казахском языке", "қазақ тіліндегі іс жүргізу",
                    "Kazakh record-keeping")),
           (("слушатель", "слушателя", "слушателей"), "тыңдаушы", "learners"),
           ("курсы {obj}", "{obj} курстары", "{obj} courses"),
           ("{in_city} бесплатные курсы {obj} прошли {count_noun}, на них потратили {amount}",
            "на курсы {obj} {in_city} направят {amount}, обучение пройдут {count_noun}"),
           ("{in_city} {obj} тегін курстарынан {count_noun} өтті, оларға {amount} жұмсалды",
            "{in_city} {obj} курстарына {amount} бөлінеді, оқудан {count_noun} өтеді"),
           ("{count_noun} have completed free {obj} courses {in_city} that cost {amount}",
            "{amount} will fund {obj} courses {in_city} for {count_noun}"),
           ("Занятия проходят по вечерам и в онлайн-формате.",
            "Сабақтар кешке және онлайн форматта өтеді.",
            "Classes are held in the evenings and online.")),
    _topic("minedu", (("учебников", "оқулықтар", "textbooks"),
                      ("рабочих тетрадей", "жұмыс дәптерлері", "workbooks"),
                      ("школьной мебели", "мектеп жиһазы", "school furniture"),
                      ("компьютеров для школ", "мектептерге компьютерлер", "school computers")),
           (("комплект", "комплекта", "комплектов"), "жинақ", "sets"),
           ("закупка {obj}", "{obj} сатып алу", "purchase of {obj}"),
           ("школы {in_city} получат {count_noun} {obj} на {amount}",
            "на закупку {obj} для школ {in_city} потратят {amount}, это {count_noun}"),
           ("{in_city} мектептері {amount} тұратын {count_noun} {obj} алады",
            "{in_city} мектептері үшін {obj} сатып алуға {amount} жұмсалады, бұл {count_noun}"),
           ("schools {in_city} will receive {count_noun} of {obj} worth {amount}",
            "{amount} will be spent on {obj} for schools {in_city}, or {count_noun}"),
           ("Учителя отмечают, что прошлая поставка задержалась на полгода.",
            "Мұғалімдер өткен жеткізілімнің жарты жылға кешіккенін атап өтеді.",
            "Teachers note that the last delivery was half a year late.")),
)
FILLERS = {  # news that names no watched body: title, sentences with {in_city} and {n}
    "ru": (("Погода {in_city}", "{In_city} ожидается снег, ветер до {n} км/ч.",
            "Синоптики советуют водителям быть осторожнее."),
           ("Курс тенге", "Курс доллара на бирже составил {n} тенге.",
            "Аналитики ждут стабилизации к концу месяца."),
           ("ДТП {in_city}", "{In_city} на трассе столкнулись {n} автомобилей.",
            "На месте работают полицейские и медики."),
           ("Цены на жилье", "{In_city} квадратный метр подорожал до {n} тысяч тенге.",
            "Риелторы говорят о росте спроса."),
           ("Футбол: итоги тура", "Команда из города победила со счетом {n}:1.",
            "Следующий матч пройдет {in_city}.")),
    "kk": (("{In_city} ауа райы", "{In_city} қар жауып, жел {n} км/сағ жетеді.",
            "Синоптиктер жүргізушілерге сақ болуға кеңес береді."),
           ("Теңге бағамы", "Биржада доллар бағамы {n} теңге болды.",
            "Сарапшылар ай соңына қарай тұрақтануды күтеді."),
           ("{In_city} жол апаты", "{In_city} тас жолда {n} көлік соқтығысты.",
            "Оқиға орнында полиция мен дәрігерлер жұмыс істеуде."),
           ("Баспана бағасы", "{In_city} шаршы метр {n} мың теңгеге дейін қымбаттады.",
            "Риелторлар сұраныстың өскенін айтады."),
           ("Футбол: тур қорытындысы", "Қала командасы {n}:1 есебімен жеңді.",
            "Келесі ойын {in_city} өтеді.")),
    "en": (("Weather {in_city}", "Snow and winds of up to {n} km/h are expected {in_city}.",
            "Forecasters advise drivers to take care."),
           ("Tenge exchange rate", "The dollar traded at {n} tenge on the exchange.",
            "Analysts expect the rate to settle by the end of the month."),
           ("Road accident {in_city}", "{n} cars collided on the highway {in_city}.",
            "Police and medics are at the scene."),
           ("Housing prices", "A square metre {in_city} now costs up to {n} thousand tenge.",
            "Realtors report rising demand."),
           ("Football round-up", "The city's team won {n}:1.",
            "The next match will be played {in_city}.")),
}


@dataclass
class Event:
    number: int
    topic: Topic
    obj: tuple  # ru, kk, en
    city: tuple
    amount: tuple  # ru, kk, en
    count: int
    person: tuple  # ru, en
    role: tuple
    quote: int
    project: tuple  # ru and kk, en
    contexts: list
    size: int
    until: datetime
    written: int = 0


@dataclass
class News:
    """The generated articles, mentions and stories, one list of each per local day, and
    the event each mentioning article tells."""

    articles: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    stories: list = field(default_factory=list)
    event_of: dict = field(default_factory=dict)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def ru_plural(count: int, forms: tuple) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return forms[0]
    return forms[1] if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else forms[2]


class Generator:
    """Articles in publication order: reprints, events that name a body, other news."""

    def __init__(self, sources: dict, seed: int = 7):
        self.rng = random.Random(seed)
        self.sources = sources  # lang: source ids
        self.open: list[Event] = []
        self.recent: deque[dict] = deque()  # articles of the last REPRINT_HOURS, to reprint
        self.events = 0

    def article(self, number: int, published: datetime) -> tuple[dict, list[dict], Event | None]:
        rng = self.rng
        while self.recent and self.recent[0]["_at"] < published - timedelta(hours=REPRINT_HOURS):
            self.recent.popleft()
        if self.recent and rng.random() < REPRINTS:
            return self._reprint(number, published, rng.choice(self.recent))
        lang = rng.choices(LANGS, LANG_SHARES)[0]
        event, mentions = None, []
        if rng.random() < MENTIONING:
            event = self._event(published)
            title, text, mentions = self._told(event, lang)
        else:
            title, text = self._filler(lang)
        row = self._row(number, published, lang, title, text, number, len(mentions))
        self.recent.append({**row, "_at": published, "_mentions": mentions, "_event": event})
        return row, [dict(m, article_id=number) for m in mentions], event

    def _reprint(self, number: int, published: datetime, original: dict):
        lang = original["lang"]
        text = original["text"]
        if self.rng.random() < 0.5:
            text += {"ru": "\n\nИсточник: ", "kk": "\n\nДереккөз: ", "en": "\n\nSource: "}[lang] + \
                original["source_id"]
        row = self._row(number, published, lang, original["title"], text,
                        original["story_id"], original["mention_count"])
        return (row, [dict(m, article_id=number) for m in original["_mentions"]],
                original["_event"])

    def _row(self, number, published, lang, title, text, story, mentions) -> dict:
        return {"id": number, "url": f"https://news.kz/{number}",
                "canonical_url": f"https://news.kz/{number}",
                "source_id": self.rng.choice(self.sources[lang]), "title": title, "text": text,
                "lang": lang, "published_at": store.to_iso(published),
                "fetched_at": store.to_iso(published + timedelta(minutes=15)),
                "detected_at": store.to_iso(published + timedelta(minutes=20)),
                "extraction": "page", "content_hash": content_hash(text), "story_id": story,
                "mention_count": mentions}

    def _event(self, published: datetime) -> Event:
        self.open = [e for e in self.open if e.until > published and e.written < e.size]
        if self.open and self.rng.random() < CONTINUE:
            event = max(self.open, key=lambda e: (e.size - e.written) /
                        max((e.until - published).total_seconds(), 1))
        else:
            event = self._new_event(published)
            self.open.append(event)
        event.written += 1
        return event

    def _new_event(self, published: datetime) -> Event:
        rng = self.rng
        self.events += 1
        if rng.random() < 0.25:
            whole, tenth = rng.randint(1, 9), rng.randint(1, 9)
            amount = (f"{whole},{tenth} млрд тенге", f"{whole},{tenth} млрд теңге",
                      f"{whole}.{tenth} billion tenge")
        else:
            millions = rng.randrange(120, 990, 10)
            amount = (f"{millions} млн тенге", f"{millions} млн теңге",
                      f"{millions} million tenge")
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        female = first[2]
        person = (f"{first[0]} {surname[0]}{'а' if female else ''}",
                  f"{first[1]} {surname[1]}{'a' if female else ''}")
        size = rng.choices(range(1, len(SIZES) + 1), SIZES)[0]
        until = published + timedelta(hours=rng.randint(6, 24) * min(size, 4))
        topic = rng.choice(TOPICS)
        return Event(self.events, topic, rng.choice(topic.objects), rng.choice(CITIES), amount,
                     rng.randint(35, 480), person, rng.choice(ROLES),
                     rng.randrange(len(QUOTES["ru"])), rng.choice(PROJECTS),
                     rng.sample(CONTEXTS, 3), size, until)

    def _told(self, event: Event, lang: str) -> tuple[str, str, list[dict]]:
        """A rewrite of the event in `lang`: title, a few sentences, and its mentions."""
        rng, topic, at = self.rng, event.topic, LANGS.index(lang)
        slots = self._slots(event, lang)
        slots["clause"] = rng.choice(topic.clauses[lang]).format(**slots)
        slots["Clause"] = cap(slots["clause"])
        told = [c[at] for c in rng.sample(event.contexts, rng.randint(1, 3))]
        if rng.random() < 0.4:
            told.append(topic.detail[at])
        if rng.random() < 0.7:
            told.append(QUOTE[lang].format(quote=QUOTES[lang][event.quote],
                                           role=event.role[at], **slots))
        if rng.random() < 0.7:
            told.append(PROJECT[lang].format(project=event.project[lang == "en"]))
        rng.shuffle(told)
        sentences = [cap(rng.choice(LEADS[lang]).format(**slots)), *told]
        if rng.random() < 0.7:
            sentences.insert(0, rng.choice(INTROS[lang]))
        mentions = [self._mention(topic.body, BODIES[topic.body][lang][0], lang, "lead")]
        if topic.body == "mki" and rng.random() < 0.3:
            sentences.append(MINISTER[lang].format(**slots))
            mentions.append(self._mention("balaeva", "Аида Балаева" if lang != "en"
                                          else "Aida Balaeva", lang, "body"))
        if event.written > 1 and rng.random() < 0.5:
            sentences.insert(1, rng.choice(FOLLOW_UPS[lang]))
        sentences.append(rng.choice(CLOSINGS[lang]))
        return rng.choice(TITLES[lang]).format(**slots), " ".join(sentences), mentions

    def _slots(self, event: Event, lang: str) -> dict:
        at, topic = LANGS.index(lang), event.topic
        noun = (ru_plural(event.count, topic.noun[0]) if lang == "ru" else topic.noun[at])
        body = BODIES[topic.body][lang]
        what = topic.what[at].format(obj=event.obj[at])
        return {"in_city": event.city[at], "In_city": cap(event.city[at]), "obj": event.obj[at],
                "amount": event.amount[at], "count_noun": f"{event.count} {noun}",
                "what": what, "What": cap(what), "body": body[0],
                "body_prep": body[1], "short": body[2],
                "person": event.person[0 if lang != "en" else 1]}

    @staticmethod
    def _mention(entity: str, text: str, lang: str, position: str) -> dict:
        return {"entity": entity, "text": text, "start": 0, "end": len(text), "sentence": text,
                "sentence_start": 0, "position": position, "lang": lang, "tone": "neutral",
                "tone_source": "model"}

    def _filler(self, lang: str) -> tuple[str, str]:
        rng = self.rng
        title, *sentences = rng.choice(FILLERS[lang])
        city = rng.choice(CITIES)[LANGS.index(lang)]
        slots = {"in_city": city, "In_city": cap(city), "n": rng.randint(2, 900)}
        more = rng.sample(CLOSINGS[lang], rng.randint(1, 2))
        return title.format(**slots), " ".join(s.format(**slots) for s in sentences + more)


def timeline(count: int, days: int, tz, rng: random.Random) -> list[list[datetime]]:
    """Publication times (UTC) of `count` articles, one sorted list per local day."""
    weights = [WEEKDAY[(FIRST_DAY + timedelta(days=d)).weekday()] for d in range(days)]
    per_day = [int(count * w / sum(weights)) for w in weights]
    per_day[-1] += count - sum(per_day)
    out = []
    for day, n in enumerate(per_day):
        midnight = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(), tz)
        hours = rng.choices(range(24), HOURS, k=n)
        out.append(sorted((midnight + timedelta(hours=h, seconds=rng.randrange(3600)))
                          .astimezone(UTC) for h in hours))
    return out


def generate(count: int, days: int, tz, sources: dict) -> list[News]:
    generator, news, number = Generator(sources), [], 0
    for moments in timeline(count, days, tz, random.Random(3)):
        day = News()
        for published in moments:
            number += 1
            row, mentions, event = generator.article(number, published)
            day.articles.append(row)
            day.mentions.extend(mentions)
            if row["story_id"] == number:
                day.stories.append({"id": number, "first_article_id": number,
                                    "first_source_id": row["source_id"],
                                    "first_published_at": row["published_at"],
                                    "headline": row["title"], "size": 1, "outlets": 1})
            if event:
                day.event_of[number] = event.number
        news.append(day)
    return news


def sources_by_lang(settings) -> dict:
    """The shipped outlets, and regional ones, by language."""
    found = defaultdict(list)
    for source in settings.sources:
        found[source.lang].append(source.id)
    for lang, many in (("ru", 12), ("kk", 10), ("en", 3)):
        found[lang] += [f"regional-{lang}-{n}" for n in range(many)]
    return found


def insert_day(db, day: News) -> None:
    db["articles"].insert_all(day.articles, batch_size=2000)
    db["mentions"].insert_all(day.mentions, batch_size=2000)
    db["stories"].insert_all(day.stories, batch_size=2000)
    with db.conn:
        db.execute("update stories set size = (select count(*) from articles a where "
                   "a.story_id = stories.id) where id in (select story_id from articles "
                   "where storylined_at is null)")


def history(db, since: str) -> int:
    """Embedded articles of the storylines active since `since`: what a night compares with."""
    return db.execute("select count(*) from articles a join article_vectors v on "
                      "v.article_id = a.id where a.storyline_id in (select id from storylines "
                      "where last_published_at >= ?)", [since]).fetchone()[0]


def run_night(db_path: Path, now: datetime, profile: bool) -> dict:
    command = [sys.executable, __file__, "--night", str(db_path), now.isoformat()]
    done = subprocess.run(command + (["--profile"] if profile else []), capture_output=True,
                          text=True)
    if done.returncode:
        sys.exit(f"night of {now:%Y-%m-%d} failed:\n{done.stderr}")
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.splitlines()[-1])


def night(db_path: str, now: str, profile: bool) -> None:
    """Child process: one night's stage, timed, with its own peak memory."""
    from clipper.encoder import load_encoder
    from clipper.storylines import stage

    settings = load_settings(ROOT / "sources.yaml")
    db = store.open_db(db_path)
    started = time.perf_counter()
    load_encoder().passages(["прогрев"], limit=16)  # weights and graph, once a night
    loaded = time.perf_counter() - started
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    counts = stage.run(db, settings, 0, datetime.fromisoformat(now))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "load": loaded, "counts": counts,
                      "peak_mb": peak_memory_mb()}))


def encoder_floor(db, sample: int) -> tuple[float, int]:
    """The encoder alone over a sample of the leads the stage embedded: seconds a lead,
    and how many leads were embedded in all."""
    from clipper.encoder import load_encoder
    from clipper.storylines.signals import lead

    rows = list(db.query("select a.title, a.text from articles a join article_vectors v "
                         "on v.article_id = a.id order by a.id"))
    leads = [lead(row["title"], row["text"]) for row in rows[::max(len(rows) // sample, 1)]]
    encoder = load_encoder()
    encoder.passages(leads[:2], limit=128)
    started = time.perf_counter()
    for start in range(0, len(leads), 16):
        encoder.passages(leads[start:start + 16], limit=128)
    return (time.perf_counter() - started) / max(len(leads), 1), len(rows)


def pair_scores(db, event_of: dict) -> tuple[float, float]:
    """Pairwise precision and recall of the storylines against the generated events,
    over the articles that name a body (reprints included)."""
    found = dict(db.execute("select id, storyline_id from articles where mention_count > 0"))
    events = Counter(event_of.values())
    storylines = Counter(found[a] for a in event_of if found.get(a) is not None)
    both = Counter((e, found[a]) for a, e in event_of.items() if found.get(a) is not None)
    same = _pairs(both)
    return same / max(_pairs(storylines), 1), same / max(_pairs(events), 1)


def _pairs(sizes: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def report(nights: list[dict], articles: int, days: int) -> None:
    """Some nights' figures (history: the embedded articles of the storylines still active,
    which the night compares its articles with), then the totals against the targets."""
    print(f"{'night':>5} {'articles':>8} {'embedded':>8} {'followed':>8} {'history':>7} "
          f"{'active':>6} {'load s':>6} {'stage s':>7} {'cpu s':>6} {'ms/embedded':>11} "
          f"{'peak MB':>7}")
    for n, row in enumerate(nights, 1):
        if n in SHOWN or n == len(nights):
            embedded = row["counts"].get("new_storylines", 0) + \
                row["counts"].get("joined_storylines", 0)
            print(f"{n:>5} {row['articles']:>8,} {embedded:>8,} "
                  f"{row['counts'].get('followed_their_reprints', 0):>8,} "
                  f"{row['history']:>7,} {row['active']:>6,} {row['load']:>6.1f} "
                  f"{row['seconds']:>7.1f} {row['cpu']:>6.1f} "
                  f"{row['seconds'] * 1000 / max(embedded, 1):>11.0f} "
                  f"{row['peak_mb']:>7,.0f}")
    stage_total = sum(row["seconds"] for row in nights)
    load_total = sum(row["load"] for row in nights)
    peak = max(row["peak_mb"] for row in nights)
    print(f"{articles:,} articles over {days} nights: stage {stage_total:.1f} s "
          f"(CPU {sum(row['cpu'] for row in nights):.1f} s, both cores counted) "
          f"+ encoder start {load_total:.1f} s = {stage_total + load_total:.1f} s "
          f"(target ≤ 180 s); peak memory {peak:,.0f} MB (target ≤ 1,024 MB)")


def run_nights(db, db_path: Path, news: list[News], settings, profile: bool) -> list[dict]:
    """Each day's articles inserted, then that night's stage in a process of its own."""
    active = timedelta(days=settings.storylines.active_days)
    nights = []
    for number, day in enumerate(news):
        insert_day(db, day)
        earliest = datetime.fromisoformat(day.articles[0]["published_at"])
        seen = history(db, store.to_iso(earliest - active))
        now = datetime.combine(FIRST_DAY + timedelta(days=number + 1), datetime.min.time(),
                               settings.tz) + timedelta(hours=1)  # 01:00 after the day
        row = run_night(db_path, now, profile and number == len(news) - 1)
        row.update(articles=len(day.articles), history=seen, active=db.execute(
            "select count(*) from storylines where last_published_at >= ?",
            [store.to_iso(now - active)]).fetchone()[0])
        nights.append(row)
    return nights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--profile", action="store_true",
                        help="profile the last night's stage and print where its time went")
    parser.add_argument("--night", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.night:
        night(*args.night, args.profile)
        return 0
    settings = load_settings(ROOT / "sources.yaml")
    news = generate(args.articles, args.days, settings.tz, sources_by_lang(settings))
    event_of = {k: v for day in news for k, v in day.event_of.items()}
    print(f"{args.articles:,} articles: {len(event_of):,} name a body, telling "
          f"{len(set(event_of.values())):,} events; languages "
          f"{dict(Counter(a['lang'] for day in news for a in day.articles))}")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = store.open_db(db_path)
        store.sync_sources(db, settings.sources)
        nights = run_nights(db, db_path, news, settings, args.profile)
        report(nights, args.articles, args.days)
        per_lead, embedded = encoder_floor(db, 256)
        stage_total = sum(row["seconds"] for row in nights)
        print(f"floor: the encoder alone, {per_lead * 1000:.0f} ms a lead (a sample of 256) × "
              f"{embedded:,} leads embedded = {per_lead * embedded:.1f} s, "
              f"{per_lead * embedded / stage_total:.0%} of the stage's time")
        precision, recall = pair_scores(db, event_of)
        storylines = db.execute("select count(*) from storylines").fetchone()[0]
        print(f"{storylines:,} storylines for {len(set(event_of.values())):,} generated events; "
              f"pairwise precision {precision:.3f}, recall {recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
