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
