"""Feeds and pages come out as correct Unicode whatever they declare."""

import pytest

from clipper.decode import decode_body

TEXT = "Министерство культуры и информации: Мәдениет және ақпарат министрлігі"
RUSSIAN = "Министерство культуры и информации сообщило о новых грантах для СМИ"
XML = f'<?xml version="1.0" encoding="windows-1251"?><rss>{RUSSIAN}</rss>'


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (TEXT.encode("utf-8"), "", TEXT),
        (TEXT.encode("utf-8"), "text/html; charset=windows-1251", TEXT),
        ("\ufeff".encode() + TEXT.encode("utf-8"), "", TEXT),
        (RUSSIAN.encode("cp1251"), "text/html; charset=windows-1251", RUSSIAN),
        (RUSSIAN.encode("koi8-r"), "text/html; charset=koi8-r", RUSSIAN),
        (XML.encode("cp1251"), "application/rss+xml", XML),
        (f'<meta charset="windows-1251"><p>{RUSSIAN}</p>'.encode("cp1251"), "",
         f'<meta charset="windows-1251"><p>{RUSSIAN}</p>'),
    ],
    ids=["utf8", "utf8-declared-1251", "bom", "1251-header", "koi8-header", "1251-xml-decl",
         "1251-meta"],
)
def test_declared_or_detected_encoding_gives_the_text(body, content_type, expected):
    text, _ = decode_body(body, content_type)
    assert text == expected


def test_windows_1251_without_any_declaration_is_detected():
    body = (RUSSIAN + ". " + RUSSIAN.replace("новых", "старых")).encode("cp1251") * 3
    text, encoding = decode_body(body, "text/html")
    assert RUSSIAN in text
    assert encoding.lower().replace("_", "-") in ("windows-1251", "cp1251")


def test_wrong_declaration_is_skipped():
    body = f'<meta charset="utf-8"><p>{RUSSIAN} {RUSSIAN}</p>'.encode("cp1251")
    text, _ = decode_body(body, "text/html; charset=utf-8")
    assert RUSSIAN in text


def photo_page(caption: str) -> str:
    """A photo page: a caption and little else, as galleries and news flashes are."""
    return (f'<html><head><meta charset="utf-8"><title>{caption}</title></head><body>'
            f'<div class="photo"><img src="/1.jpg" alt=""></div><p>{caption}</p></body></html>')


@pytest.mark.parametrize("caption", ["Итоги года", "Новости, 22.11.2026", "ЕГЭ и ЕНТ",
                                     "АСТАНА. КАЗИНФОРМ", "Приём граждан"])
def test_a_short_windows_1251_page_declaring_utf8_is_read_as_windows_1251(caption):
    body = photo_page(caption).encode("cp1251")
    text, encoding = decode_body(body, "text/html; charset=utf-8")
    assert caption in text
    assert encoding == "cp1251"


UMLAUTS = ("Die Ministerin für Kultur und Information traf sich am Montag mit Redakteuren. "
           "Über die Förderung der Medien wurde ausführlich gesprochen; größere Zuschüsse "
           "für Zeitungen sind geplant, schließlich steigen die Gebühren für Druckereien.")


def test_utf8_with_three_stray_latin1_bytes_stays_utf8():
    body = f'<meta charset="utf-8"><p>{UMLAUTS}</p>'.encode()
    body = body.replace(b"Montag", b"M\xf6ntag").replace(b"Redakteuren", b"Red\xe4kteuren")
    body = body.replace(b"Medien", b"M\xe9dien")
    text, encoding = decode_body(body, "text/html; charset=utf-8")
    assert encoding == "utf-8"
    assert "Förderung" in text and "größere" in text and "schließlich" in text
    assert text.count("\ufffd") == 3 and "M\ufffdntag" in text


KAZAKH = ("Мәдениет және ақпарат министрлігі өңірлік бұқаралық ақпарат құралдарына арналған "
          "мемлекеттік гранттар конкурсын жариялады. Өтінімдер желтоқсанның соңына дейін "
          "қабылданады, жеңімпаздар ақпанда жарияланады.")


def test_a_kazakh_page_in_kz1048_without_a_declaration_is_detected():
    text, encoding = decode_body(f"<p>{KAZAKH}</p>".encode("kz1048"), "text/html")
    assert KAZAKH in text and encoding == "kz1048"


def test_a_latin1_word_in_an_english_page_is_not_lost():
    body = "<p>The caf\xe9 on Abai avenue reopened after the repairs.</p>".encode("latin-1")
    text, _ = decode_body(body, "text/html; charset=utf-8")
    assert "café" in text
