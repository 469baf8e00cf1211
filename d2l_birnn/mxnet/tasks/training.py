"""Training the task models and applying them: Adam with clipping, labels, encodings."""

from __future__ import annotations

import numpy as np
from mxnet import autograd, gluon, init
from mxnet.gluon import nn

from ...validation import positive_int


def encode_passages(net, X, batch_size: int = 512) -> np.ndarray:
    """The final states (``net.final_states``) of passages ``X`` ((S, T) ids), in
    batches: a NumPy array (S, dirs * h)."""
    return np.concatenate([net.final_states(x).asnumpy() for x in _in_order(X, batch_size)])


def _in_order(X, batch_size: int) -> gluon.data.DataLoader:
    """Batches of the rows of ``X`` in order (as ``mxnet.np`` arrays)."""
    return gluon.data.DataLoader(gluon.data.ArrayDataset(np.asarray(X)), batch_size=batch_size)


def fit(net: nn.HybridBlock, X, Y, num_epochs: int, batch_size: int = 128, lr: float = 0.01,
        seed: int = 0) -> list[float]:
    """Train with Adam on inputs ``X`` ((S, T) ids, or (S, d) vectors for a probe)
    and labels ``Y`` ((S,) or (S, T)).

    Initialises the model (Xavier), shuffles with ``seed`` each epoch, clips
    every gradient element to [-1, 1] (Gluon's ``clip_gradient=1.0``, not a norm).
    Returns the mean training loss of each epoch.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}: they must match")
    positive_int("num_epochs", num_epochs)
    net.initialize(init.Xavier(), force_reinit=True)
    net.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(net.collect_params(), "adam",
                            {"learning_rate": lr, "clip_gradient": 1.0})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    rng = np.random.RandomState(seed)  # the shuffling's own generator: same batches for a seed
    dataset = gluon.data.ArrayDataset(X, Y)
    losses = []
    for _ in range(num_epochs):
        total, count = 0.0, 0
        order = rng.permutation(len(X)).tolist()
        for x, y in gluon.data.DataLoader(dataset, batch_size=batch_size, sampler=order):
            with autograd.record():
                l = loss(net(x), y).mean()
            l.backward()
            trainer.step(1)
            total += float(l) * len(x)
            count += len(x)
        losses.append(total / count)
    return losses


def predict_labels(net: nn.HybridBlock, X, batch_size: int = 512) -> np.ndarray:
    """Most probable label of each row (or token): shape (S,) or (S, T)."""
    out = [net(x).argmax(axis=-1).asnumpy() for x in _in_order(X, batch_size)]
    return np.concatenate(out).astype(np.int64)


def label_accuracy(net: nn.HybridBlock, X, Y, batch_size: int = 512) -> float:
    """Fraction of labels in ``Y`` that the model predicts right."""
    return float((predict_labels(net, X, batch_size) == np.asarray(Y)).mean())


def cosine_similarity(u, v) -> float:
    """Cosine of the angle between two vectors (any array type, flattened)."""
    u = np.asarray(u.asnumpy() if hasattr(u, "asnumpy") else u, dtype=float).ravel()
    v = np.asarray(v.asnumpy() if hasattr(v, "asnumpy") else v, dtype=float).ravel()
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


__all__ = ["cosine_similarity", "encode_passages", "fit", "label_accuracy", "predict_labels"]
