"""Bytes to text for feeds and pages whose declared encoding may be missing or wrong.

Order of trust: a byte-order mark; UTF-8 (non-ASCII text that decodes as
UTF-8 practically never is anything else, and a page with a handful of stray
bytes among its UTF-8 letters is UTF-8 with those bytes replaced); the HTTP
header; the document's own declaration (XML prolog or HTML meta); then
detection, among the encodings of this region's web first. A declaration that
fails to decode is skipped, because Kazakhstani sites often serve windows-1251
while declaring UTF-8 or nothing at all.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_.:-]+)["']""")
_META = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# What the pages of Kazakhstan and its neighbours are written in, then western pages:
# a guess among these first, so that a short windows-1251 page is not read as a DOS
# or Mac code page that happens to fit its bytes a little better.
REGION = ("cp1251", "koi8_r", "kz1048", "utf_8", "cp1252")
STRAY = 8  # bytes that are not UTF-8 in a UTF-8 page: a handful, replaced
SAMPLE = 200_000  # bytes the detection reads


def decode_body(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (text, encoding used)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding
    text = _utf8(body)
    if text is not None:
        return text, "utf-8"
    for encoding in _declared(body, content_type):
        try:
            if codecs.lookup(encoding).name != "utf-8":  # not UTF-8, as just seen
                return body.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return _guess(body)


def _utf8(body: bytes) -> str | None:
    """The body as UTF-8, a few stray bytes among many UTF-8 letters replaced; None
    when it is not UTF-8."""
    text = body.decode("utf-8", errors="replace")
    stray = text.count("\ufffd")
    if not stray:
        return text
    letters = len(text) - len(text.encode("ascii", errors="ignore")) - stray
    few = stray <= STRAY or stray * 50 <= letters
    return text if few and letters >= 3 * stray else None


def _guess(body: bytes) -> tuple[str, str]:
    sample = body[:SAMPLE]
    guess = from_bytes(sample, cp_isolation=list(REGION)).best() or from_bytes(sample).best()
    if guess is not None:
        return body.decode(guess.encoding, errors="replace"), guess.encoding
    return body.decode("utf-8", errors="replace"), "utf-8"


def _declared(body: bytes, content_type: str) -> list[str]:
    found = []
    header = _HEADER.search(content_type or "")
    if header:
        found.append(header.group(1))
    head = body[:4096]
    for pattern in (_XML_DECL, _META):
        match = pattern.search(head)
        if match:
            found.append(match.group(1).decode("ascii"))
    return found
