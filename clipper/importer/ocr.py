"""Scanned pages: the words Tesseract reads off a page image, placed as a PDF's are.

A page with no text layer is rendered at `DPI` and read with Tesseract's Kazakh,
Russian and English models. Each word comes back with its box, converted to
PDF points; its size is the size Tesseract estimates for its line's letters,
so headlines still stand out and the page goes through the same article
splitting as a digital one.
"""

from __future__ import annotations

import shutil

import pytesseract
from lxml import etree

DPI = 300
LANGUAGES = {"kaz": "tesseract-ocr-kaz", "rus": "tesseract-ocr-rus", "eng": "tesseract-ocr-eng"}
SCALE = 72 / DPI  # image pixels to PDF points
_XHTML = "{http://www.w3.org/1999/xhtml}"
MIN_CONFIDENCE = 30  # words read with less confidence are noise (specks, rules)


class OcrMissing(Exception):
    """Tesseract or one of its language models is not installed; the message says which."""


def check_installed() -> None:
    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        raise OcrMissing("a scanned page needs OCR: install Tesseract with its Kazakh and "
                         "Russian models (Debian: apt-get install tesseract-ocr "
                         "tesseract-ocr-kaz tesseract-ocr-rus)")
    missing = [package for lang, package in LANGUAGES.items()
               if lang not in pytesseract.get_languages()]
    if missing:
        raise OcrMissing(f"a scanned page needs Tesseract's models that are not installed "
                         f"(Debian: apt-get install {' '.join(missing)})")


def page_words(page) -> list[dict]:
    """A pdfplumber page's words as OCR reads them off its image."""
    image = page.to_image(resolution=DPI).original
    hocr = pytesseract.image_to_pdf_or_hocr(image, lang="+".join(LANGUAGES), extension="hocr")
    root = etree.fromstring(hocr, etree.XMLParser(recover=True))
    return [word for line in root.iter(f"{_XHTML}span") if _is_line(line)
            for word in _line_words(line)]


def _is_line(span) -> bool:
    return span.get("class") in ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat")


def _line_words(line) -> list[dict]:
    """A line's words in PDF points, read with enough confidence; Tesseract's estimate
    of the line's letter size (x_size) stands for their font size."""
    size = float(_props(line).get("x_size", [0])[0]) * SCALE
    words = []
    for span in line.iter(f"{_XHTML}span"):
        word = _props(span)
        text = "".join(span.itertext()).strip()
        if span.get("class") != "ocrx_word" or not text or \
                float(word.get("x_wconf", [0])[0]) < MIN_CONFIDENCE:
            continue
        x0, top, x1, bottom = (float(v) * SCALE for v in word["bbox"])
        words.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                      "size": size or bottom - top})
    return words


def _props(span) -> dict[str, list[str]]:
    """hOCR's title attribute: "bbox 10 20 30 40; x_wconf 96" -> {"bbox": [...], ...}."""
    parts = (part.strip().split() for part in (span.get("title") or "").split(";"))
    return {part[0]: part[1:] for part in parts if part}
