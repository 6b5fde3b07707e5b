"""The network beside the linear tone model: what it reads, and how it is run."""

import numpy as np

from clipper.tone import network
from clipper.tone.model import load_model
from clipper.tone.network import POSITION_REACH, encode, load_network, stack_filters, unfold
from clipper.tone.syntax import parse

SENTENCE = "Министерство культуры раскритиковало акимат за срыв сроков."


def test_each_token_knows_its_distance_from_the_entity_in_words_and_in_the_tree():
    encoded = encode(parse(SENTENCE, 0, len("Министерство культуры")), {})
    assert encoded.entity.tolist() == [1, 1, 0, 0, 0, 0, 0, 0]
    assert (encoded.positions - POSITION_REACH).tolist() == [0, 0, 1, 2, 3, 4, 5, 6]
    # раскритиковало governs the entity; акимат and срыв hang on the verb; за and сроков
    # on срыв.
    assert encoded.tree.tolist() == [0, 0, 1, 2, 3, 2, 3, 2]
    assert encoded.near.tolist() == [True] * 6 + [False] * 2


def test_a_long_sentence_is_cut_around_the_entity():
    words = ["слово"] * 120
    words[100] = "министерство"
    sentence = " ".join(words)
    start = sentence.index("министерство")
    encoded = encode(parse(sentence, start, start + len("министерство")), {})
    assert len(encoded) == network.MAX_TOKENS
    assert encoded.entity.sum() == 1 and 0 < int(np.argmax(encoded.entity)) < 79


def test_the_convolution_adds_each_window_of_tokens_weighted():
    inputs = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]], dtype=np.float32)
    weights = np.zeros((2, 2, 2), dtype=np.float32)  # filters, input size, width
    weights[0, 0, 0], weights[0, 1, 1] = 1.0, 1.0  # first input of a token + second of the next
    weights[1, 0, 1] = -1.0  # minus the first input of the next token
    out = unfold(inputs, 2) @ stack_filters(weights)
    # The window starting at the last token runs into the zero padding after the sentence.
    assert out[:, 0].tolist() == [2.0, 2.0, 2.0]
    assert out[:, 1].tolist() == [0.0, -2.0, 0.0]


def test_the_shipped_network_is_blended_in_and_its_probabilities_add_up():
    model = load_model()
    assert model.network is not None
    probabilities = model.network.probabilities(parse(SENTENCE, 0, 21))
    assert probabilities.shape == (3,) and abs(probabilities.sum() - 1) < 1e-5
    assert 0 < model.network.weight < 1


def test_without_a_network_file_the_linear_model_works_alone(tmp_path):
    assert load_network(str(tmp_path / "missing.npz")) is None
