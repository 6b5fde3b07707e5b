"""Mentions of the watched organisations and people in ru, kk and en texts.

    detector = Detector(settings.entities)   # builds every form once
    detector.find_in_article(title, text)    # -> [Mention], headline/lead/body
"""

from clipper.detect.detector import Detector, Mention
from clipper.detect.language import detect_language

__all__ = ["Detector", "Mention", "detect_language"]
