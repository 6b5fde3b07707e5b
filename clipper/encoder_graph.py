"""The encoder's layers as an ONNX graph, run by ONNX Runtime.

The same arithmetic as `clipper.encoder.forward_layer` (the numpy reference the
tests compare with), five times faster on the same two cores: ONNX Runtime fuses
the layer norms and GELU and runs every operation on all its threads, where numpy
runs everything but the matrix products on one. The graph is built in memory from
the weights (installed and, for the tone model, fine-tuned); nothing is written
to disk or downloaded.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

import numpy as np

from clipper.encoder import MATRICES, Layer, attention_bias

OPSET = 20  # Gelu with its tanh form
IR_VERSION = 10  # what ONNX Runtime 1.2x reads


class Runner:
    """Layers [start, end) of an encoder, each built when the graph is (`layer_of(n)`),
    so that only one layer's float32 copy exists beside the graph at a time; `add_at` a
    layer whose input gets the `add` array (the tone model's mention marker)."""

    def __init__(self, layer_of: Callable[[int], Layer], heads: int, eps: float, start: int,
                 end: int, add_at: int | None = None, threads: int | None = None):
        import onnxruntime

        self.add_at = add_at if add_at is not None and start <= add_at < end else None
        graph = _Builder(heads, eps).graph(layer_of, start, end, self.add_at).SerializeToString()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        # Batches vary in shape: neither an arena nor a memory plan per shape is kept.
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        self.session = onnxruntime.InferenceSession(graph, options,
                                                    providers=["CPUExecutionProvider"])

    def __call__(self, x: np.ndarray, mask: np.ndarray,
                 add: np.ndarray | None = None) -> np.ndarray:
        feed = {"x": np.ascontiguousarray(x, dtype=np.float32), "bias": attention_bias(mask)}
        if self.add_at is not None:
            feed["add"] = np.ascontiguousarray(add, dtype=np.float32)
        return self.session.run(None, feed)[0]


def default_threads() -> int:
    """One in a worker process (one worker a core), every core in the main one."""
    return 1 if multiprocessing.parent_process() is not None else (
        multiprocessing.cpu_count() or 1)


class _Builder:
    def __init__(self, heads: int, eps: float):
        self.heads, self.eps = heads, eps
        self.nodes: list = []
        self.weights: list = []

    def node(self, op: str, inputs: list[str], output: str, **attributes) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output

    def constant(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def graph(self, layer_of: Callable[[int], Layer], start: int, end: int,
              add_at: int | None):
        from onnx import TensorProto, helper

        first = layer_of(start)
        hidden = first["q.w"].shape[0]
        self.constant("scale", np.array(1 / np.sqrt(hidden // self.heads), np.float32))
        self.constant("heads", np.array([0, 0, self.heads, hidden // self.heads], np.int64))
        self.constant("joined", np.array([0, 0, hidden], np.int64))
        x, outputs = "x", ["y"]
        inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, None, hidden]),
                  helper.make_tensor_value_info("bias", TensorProto.FLOAT, [None, 1, 1, None])]
        for number in range(start, end):
            if number == add_at:
                inputs.append(helper.make_tensor_value_info("add", TensorProto.FLOAT,
                                                            [None, None, hidden]))
                x = self.node("Add", [x, "add"], "marked")
            x = self.layer(first if number == start else layer_of(number), f"l{number}.", x)
        self.node("Identity", [x], "y")
        declared = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, None, hidden])
                    for name in outputs]
        model = helper.make_model(
            helper.make_graph(self.nodes, "encoder", inputs, declared, self.weights),
            opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = IR_VERSION
        return model

    def layer(self, layer: Layer, p: str, x: str) -> str:
        for name in MATRICES:
            self.constant(f"{p}{name}.w", layer[f"{name}.w"].astype(np.float32))
            self.constant(f"{p}{name}.b", layer[f"{name}.b"].astype(np.float32))
        for name in ("aln.w", "aln.b", "oln.w", "oln.b"):
            self.constant(p + name, layer[name].astype(np.float32))
        q, k, v = (self.split(self.linear(x, p, name), p + name, name == "k")
                   for name in ("q", "k", "v"))
        scores = self.node("Add", [self.node("Mul", [self.node("MatMul", [q, k], p + "qk"),
                                                       "scale"], p + "scaled"), "bias"],
                           p + "masked")
        weights = self.node("Softmax", [scores], p + "softmax", axis=-1)
        context = self.node("Transpose", [self.node("MatMul", [weights, v], p + "context")],
                            p + "context.t", perm=[0, 2, 1, 3])
        context = self.node("Reshape", [context, "joined"], p + "context.r")
        x = self.norm(self.node("Add", [x, self.linear(context, p, "ao")], p + "res1"),
                      p + "aln", p + "attended")
        middle = self.node("Gelu", [self.linear(x, p, "fi")], p + "gelu", approximate="tanh")
        return self.norm(self.node("Add", [x, self.linear(middle, p, "fo")], p + "res2"),
                         p + "oln", p + "out")

    def linear(self, x: str, p: str, name: str) -> str:
        product = self.node("MatMul", [x, f"{p}{name}.w"], f"{p}{name}.mm")
        return self.node("Add", [product, f"{p}{name}.b"], f"{p}{name}.y")

    def split(self, y: str, name: str, transposed: bool) -> str:
        """[batch, tokens, hidden] to [batch, heads, tokens, size] (keys: size, tokens)."""
        shaped = self.node("Reshape", [y, "heads"], name + ".r")
        return self.node("Transpose", [shaped], name + ".t",
                         perm=[0, 2, 3, 1] if transposed else [0, 2, 1, 3])

    def norm(self, x: str, weights: str, out: str) -> str:
        return self.node("LayerNormalization", [x, weights + ".w", weights + ".b"], out,
                         axis=-1, epsilon=self.eps)
