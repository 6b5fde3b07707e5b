"""Training low-rank changes to the encoder's top layers (PyTorch, `.[train]`).

The tone model is trained so (`clipper.tone.train`): each matrix of a top layer
gets a change `down @ up` of low rank beside it, and the layer's biases and norms
are learned outright. `changes` writes what training changed in the
form `clipper.encoder.tuned_layer` merges back, so that clipper runs the result
in numpy and ONNX Runtime, with no PyTorch at night.
"""

from __future__ import annotations

import numpy as np

from clipper.encoder import MATRICES, REPLACED, Encoder, Layer
from clipper.encoder_graph import Runner


def lower_states(encoder: Encoder, sequences: list[list[int]], first: int) -> list[np.ndarray]:
    """Each sequence's states after the installed layers below `first`, float16,
    [tokens, hidden]: computed once, by the code that runs at night."""
    w = encoder.weights
    lower = Runner(w.layer, w.heads, w.eps, 0, first) if first else None
    out: list[np.ndarray] = [None] * len(sequences)  # type: ignore[list-item]
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    for at in range(0, len(order), 64):
        chosen = order[at:at + 64]
        ids, mask = encoder.batch([sequences[i] for i in chosen])
        states = encoder.embed(ids, mask)
        if lower:
            states = lower(states, mask)
        for row, i in enumerate(chosen):
            out[i] = states[row, :mask[row].sum()].astype(np.float16)
    return out


def tuned_layer_module(layer: Layer, heads: int, eps: float, rank: int, alpha: float,
                       dropout: float = 0.1):
    """A torch module computing `clipper.encoder.forward_layer` with low-rank changes."""
    import torch
    from torch import nn

    class Tuned(nn.Module):
        def __init__(self):
            super().__init__()
            for name in MATRICES:
                matrix = torch.from_numpy(np.array(layer[f"{name}.w"]))
                self.register_buffer(f"{name}_w", matrix)
                self.register_parameter(f"{name}_down", nn.Parameter(
                    torch.randn(matrix.shape[0], rank) / rank ** 0.5))
                self.register_parameter(f"{name}_up", nn.Parameter(
                    torch.zeros(rank, matrix.shape[1])))
            for name in REPLACED:
                self.register_parameter(name.replace(".", "_"), nn.Parameter(
                    torch.from_numpy(np.array(layer[name]))))
            self.drop = nn.Dropout(dropout)

        def linear(self, x, name):
            change = (self.drop(x) @ getattr(self, f"{name}_down")) @ getattr(self, f"{name}_up")
            return x @ getattr(self, f"{name}_w") + getattr(self, f"{name}_b") + \
                change * (alpha / rank)

        def forward(self, x, bias):
            b, t, h = x.shape
            size = h // heads

            def split(y):
                return y.view(b, t, heads, size).transpose(1, 2)

            q, k, v = (split(self.linear(x, n)) for n in ("q", "k", "v"))
            scores = (q @ k.transpose(-1, -2)) / size ** 0.5 + bias
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
            x = nn.functional.layer_norm(x + self.linear(context, "ao"), (h,), self.aln_w,
                                         self.aln_b, eps)
            middle = nn.functional.gelu(self.linear(x, "fi"), approximate="tanh")
            return nn.functional.layer_norm(x + self.linear(middle, "fo"), (h,), self.oln_w,
                                            self.oln_b, eps)

    return Tuned()


def changes(layers, first: int, scale: float) -> dict[str, np.ndarray]:
    """What training changed in each tuned layer (numbered from `first`), float16, the
    low-rank scale (alpha / rank) folded into `up`."""
    out = {}
    for offset, layer in enumerate(layers):
        n = first + offset
        for name in MATRICES:
            out[f"l{n}.{name}.down"] = half(getattr(layer, f"{name}_down"))
            out[f"l{n}.{name}.up"] = half(getattr(layer, f"{name}_up") * scale)
        for name in REPLACED:
            out[f"l{n}.{name}"] = half(getattr(layer, name.replace(".", "_")))
    return out


def half(tensor) -> np.ndarray:
    return tensor.detach().numpy().astype(np.float16)
