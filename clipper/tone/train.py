"""Fine-tune the tone model on the encoder; write what training changed.

    python -m clipper.tone.train \\
        --rusentne ../shared/data/rusentne2023-train/train_data.csv --holdout held.tsv \\
        --data clipper/tone/data/train_ru_a.tsv --data ... \\
        --eval tests/data/tone_heldout_ru.tsv --eval held.tsv --out clipper/tone/adapter.npz

Needs PyTorch (`pip install -e '.[train]'`); clipper itself runs the result in numpy.
The encoder's lower layers stay as installed: their output is computed once per row,
in numpy, by the same code that runs at night; the top layers are trained as low-rank
changes beside their biases and norms, with the mention marker and the head. The
figures printed at the end come from the numpy model, as clipper will run it.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time

import numpy as np

from clipper.encoder import Encoder, load_encoder
from clipper.lowrank import changes, half, lower_states, tuned_layer_module
from clipper.tone.model import CONVENTIONS, LABELS, ToneModel, entity_mask
from clipper.tone.rows import Row, evaluate, holdout_split, read_rows, write_rows
from clipper.tone.window import Window, windows


def build_network(encoder: Encoder, first: int, rank: int, alpha: float, seed: int):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    weights = encoder.weights

    class Network(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(
                tuned_layer_module(layer, weights.heads, weights.eps, rank, alpha)
                for layer in encoder.layers()[first:])
            self.marker = nn.Parameter(torch.zeros(len(CONVENTIONS), weights.hidden))
            self.head = nn.Linear(3 * weights.hidden, len(LABELS))
            self.drop = nn.Dropout(0.1)

        def forward(self, x, mask, entity, convention):
            x = x + entity[..., None] * self.marker[convention][:, None, :]
            bias = (~mask)[:, None, None, :] * -1e9
            for layer in self.layers:
                x = layer(x, bias)

            def mean(where):
                w = where[..., None].float()
                return (x * w).sum(1) / w.sum(1).clamp(min=1)

            features = torch.cat([mean(entity), x[:, 0], mean(mask)], dim=1)
            return self.head(self.drop(features))

    return Network()


def batches(states, batch: list[Window], rows: list[Row], size: int, rng: random.Random):
    """Padded tensors of similar-length rows, in a shuffled order of batches."""
    import torch

    order = sorted(range(len(batch)), key=lambda i: (len(batch[i].ids), rng.random()))
    groups = [order[at:at + size] for at in range(0, len(order), size)]
    rng.shuffle(groups)
    for chosen in groups:
        yield (*padded(states, batch, chosen),
               torch.tensor([CONVENTIONS.index(rows[i].convention) for i in chosen]),
               torch.tensor([LABELS.index(rows[i].label) for i in chosen]))


def padded(states, batch: list[Window], chosen: list[int]):
    """The chosen rows' lower-layer states, padded; their mask and their mention's tokens."""
    import torch

    longest = max(len(states[i]) for i in chosen)
    x = torch.zeros(len(chosen), longest, states[chosen[0]].shape[1])
    mask = torch.zeros(len(chosen), longest, dtype=torch.bool)
    for row, i in enumerate(chosen):
        n = len(states[i])
        x[row, :n] = torch.from_numpy(states[i].astype(np.float32))
        mask[row, :n] = True
    entity = entity_mask([batch[i] for i in chosen], (len(chosen), longest))
    return x, mask, torch.from_numpy(entity)


def train(rows: list[Row], args) -> dict[str, np.ndarray]:
    import torch

    torch.set_num_threads(args.threads)
    encoder = load_encoder()
    first = encoder.weights.depth - args.layers
    mention_windows = windows(encoder.tokenizer, [(r.sentence, r.start, r.end) for r in rows])
    began = time.monotonic()
    states = lower_states(encoder, [w.ids for w in mention_windows], first)
    print(f"lower {first} layers over {len(rows)} rows: {time.monotonic() - began:.0f} s",
          flush=True)
    labels = [LABELS.index(r.label) for r in rows]
    counts = np.bincount(labels, minlength=len(LABELS))
    class_weights = torch.tensor((len(labels) / (len(LABELS) * counts)) ** args.balance,
                                 dtype=torch.float32)
    network = build_network(encoder, first, args.rank, args.alpha, args.seed)
    optimizer = torch.optim.AdamW([p for p in network.parameters() if p.requires_grad],
                                  lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(rows) // args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    loss_of = torch.nn.CrossEntropyLoss(weight=class_weights)
    rng = random.Random(args.seed)
    for epoch in range(args.epochs):
        network.train()
        total, seen = 0.0, 0
        for x, mask, entity, convention, y in batches(states, mention_windows, rows, args.batch,
                                                      rng):
            loss = loss_of(network(x, mask, entity, convention), y)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total, seen = total + loss.item() * len(y), seen + len(y)
        print(f"epoch {epoch + 1}: loss {total / seen:.4f} ({time.monotonic() - began:.0f} s)",
              flush=True)
    adapter = adapter_of(network, first, args)
    check_agreement(network, ToneModel(encoder, adapter), states, mention_windows)
    return adapter


def check_agreement(network, model: ToneModel, states, mention_windows) -> None:
    """The numpy model clipper runs gives what the trained network gives."""
    import torch

    network.eval()
    sample = list(range(min(16, len(states))))
    office = torch.full((len(sample),), CONVENTIONS.index("office"))
    with torch.no_grad():
        trained = network(*padded(states, mention_windows, sample), office).softmax(-1).numpy()
    here = model.probabilities([mention_windows[i] for i in sample])
    print(f"numpy against torch: largest difference {np.abs(trained - here).max():.4f} "
          "(float16 weights)", flush=True)


def adapter_of(network, first: int, args) -> dict[str, np.ndarray]:
    """What training changed, float16; the low-rank scale folded into `up`."""
    adapter = {"first": np.array(first),
               **{f"marker.{c}": half(network.marker[i]) for i, c in enumerate(CONVENTIONS)},
               "head.w": half(network.head.weight.T), "head.b": half(network.head.bias),
               **changes(network.layers, first, args.alpha / args.rank)}
    for key in ("layers", "rank", "alpha", "epochs", "lr", "seed", "balance"):
        adapter[f"meta.{key}"] = np.array(getattr(args, key))
    return adapter


def training_rows(args) -> list[Row]:
    rows = []
    if args.rusentne:
        news = [dataclasses.replace(r, convention="news") for r in read_rows(args.rusentne)]
        rows, held = holdout_split(news)
        if args.holdout:
            write_rows(held, args.holdout)
            print(f"{len(held)} RuSentNE rows set aside in {args.holdout}")
    for path in args.data:
        rows += read_rows(path)
    return rows


def dev_split(rows: list[Row], fraction: float) -> tuple[list[Row], list[Row]]:
    """A part of the training sentences to choose settings on, never the held-out sets."""
    if not fraction:
        return rows, []
    return holdout_split(rows, fraction, seed=11)


def report_dev(dev: list[Row], models: list[ToneModel], args) -> None:
    """Figures on the dev part: RuSentNE's rows apart (by its own convention), the
    domain rows by language."""
    parts = {"RuSentNE": [r for r in dev if r.convention == "news"]}
    for lang in ("ru", "kk", "en"):
        parts[f"domain {lang}"] = [r for r in dev if r.convention == "office" and r.lang == lang]
    for name, part in parts.items():
        if part:
            write_rows(part, args.out + ".dev.tsv")
            judge = models[name == "RuSentNE"]
            print(f"== dev, {name}\n{evaluate(args.out + '.dev.tsv', judge).format()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rusentne", help="RuSentNE's train file; a fifth of its sentences "
                                           "is held out (seed 7, as every figure before)")
    parser.add_argument("--holdout", metavar="FILE", help="where to write that fifth")
    parser.add_argument("--data", action="append", default=[],
                        help="more labelled rows (the domain sets, analysts' corrections)")
    parser.add_argument("--eval", action="append", default=[], help="files scored at the end")
    parser.add_argument("--out", default="clipper/tone/adapter.npz")
    parser.add_argument("--layers", type=int, default=4, help="top layers tuned")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--alpha", type=float, default=32.0)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--balance", type=float, default=0.5,
                        help="class weights: (share of the class) to the power of minus this")
    parser.add_argument("--dev", type=float, default=0.0,
                        help="share of the training sentences set aside to compare settings")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    rows, dev = dev_split(training_rows(args), args.dev)
    print(f"{len(rows)} training rows, {len(dev)} to choose settings on", flush=True)
    adapter = train(rows, args)
    np.savez(args.out, **adapter)
    print(f"written to {args.out}")
    models = [ToneModel(load_encoder(), adapter, c) for c in ("office", "news")]
    if dev:
        report_dev(dev, models, args)
    for path in args.eval:
        for model in models:
            print(f"== {path}, {model.convention}\n{evaluate(path, model).format()}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
