"""Tone towards an entity at a span of a sentence: negative, neutral or positive."""

from clipper.tone.model import LABELS, LinearModel, ToneResult, load_model


def classify(sentence: str, start: int, end: int, lang: str = "ru") -> ToneResult:
    return load_model().classify(sentence, start, end, lang)


__all__ = ["LABELS", "LinearModel", "ToneResult", "classify", "load_model"]
