"""Bytes to text for feeds and pages whose declared encoding may be missing or wrong.

Order of trust: a byte-order mark; strict UTF-8 (non-ASCII text that decodes
as UTF-8 practically never is anything else); the HTTP header; the document's
own declaration (XML prolog or HTML meta); then detection. A declaration
that fails to decode is skipped, because Kazakhstani sites often serve
windows-1251 while declaring UTF-8 or nothing at all.
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


def decode_body(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (text, encoding used)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding
    for encoding in _declared(body, content_type):
        try:
            return body.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    guess = from_bytes(body[:200_000]).best()
    if guess is not None:
        return body.decode(guess.encoding, errors="replace"), guess.encoding
    return body.decode("utf-8", errors="replace"), "utf-8"


def _declared(body: bytes, content_type: str) -> list[str]:
    found = ["utf-8"]
    header = _HEADER.search(content_type or "")
    if header:
        found.append(header.group(1))
    head = body[:4096]
    for pattern in (_XML_DECL, _META):
        match = pattern.search(head)
        if match:
            found.append(match.group(1).decode("ascii"))
    return found
