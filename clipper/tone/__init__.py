"""Tone towards an entity at a span of a sentence: negative, neutral or positive."""

from clipper.tone.model import LABELS, ToneModel, ToneResult, load_model


def classify(sentence: str, start: int, end: int, lang: str = "ru",
             entity_type: str | None = None) -> ToneResult:
    """Tone towards the entity at sentence[start:end], in Russian, Kazakh or English."""
    return load_model().classify(sentence, start, end, lang, entity_type)


__all__ = ["LABELS", "ToneModel", "ToneResult", "classify", "load_model"]
