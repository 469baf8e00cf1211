"""Variable-length batches for a bidirectional layer: pad, reverse within each length, mask.

A minibatch of sequences of different lengths is padded at the end to one length
``T`` (:func:`pad_batch`). The forward direction is unharmed: its state at a real
token has read only real tokens. The backward direction of a fused layer
(``rnn.LSTM(bidirectional=True)``) reads the padded array from ``T`` down, so its
state at the last real token has already read every pad after it, and so has
every backward state before it: the whole backward half of a padded sequence is
wrong.

The fix reverses each sequence *within its own length* before the backward
recursion and back after it (:func:`reverse_within_lengths`, what MXNet's
``SequenceReverse(use_sequence_length=True)`` does, here as a gather that
autograd follows), so the backward direction starts at each sequence's last real
token. :class:`TwoWayLSTM` is a bidirectional LSTM layer built from two
one-way layers that does this; :func:`masked_mean` averages a per-token loss over
real tokens only. Time-major arrays: ``(T, N, ...)``; id arrays: ``(N, T)``.
"""

from __future__ import annotations

import numpy as np
from mxnet import np as mnp
from mxnet import npx
from mxnet.gluon import nn, rnn

from ..padded_batches import check_lengths as _check_lengths
from ..padded_batches import (  # noqa: F401 (handed on: the framework-free half)
    length_mask,
    pad_batch,
    positions_reading_padding,
    reverse_index,
)
from ..validation import positive_int


def reverse_within_lengths(X, lengths):
    """``X`` (T, N, ...) (an ``mxnet.np`` array) with each sequence reversed within its length.

    Equal to ``mx.nd.SequenceReverse(X, lengths, use_sequence_length=True)``;
    written as a gather so that autograd differentiates through it.
    """
    T, N = X.shape[0], X.shape[1]
    if len(np.asarray(lengths)) != N:
        raise ValueError(f"{len(np.asarray(lengths))} lengths for a batch of {N} sequences")
    index = reverse_index(lengths, T)                                # (T, N)
    return X[mnp.array(index), mnp.array(np.tile(np.arange(N), (T, 1)))]


def masked_mean(per_token, lengths):
    """Mean of a per-token loss ``(N, T)`` over the real tokens only (an ``mxnet.np`` scalar).

    Padding counts for nothing: the result equals the mean over the
    concatenation of the sequences, each run alone.
    """
    mask = mnp.array(length_mask(lengths, per_token.shape[1]), dtype=per_token.dtype)
    return (per_token * mask).sum() / mask.sum()


def token_cross_entropy(logits, labels):
    """Per-token cross-entropy in nats: logits (N, T, V), labels (N, T) -> (N, T)."""
    return -npx.pick(npx.log_softmax(logits, axis=-1), labels, axis=-1)


class TwoWayLSTM(nn.Block):
    """A bidirectional LSTM layer as two one-way layers: ``(T, N, e) -> (T, N, 2h)``.

    ``net(X, lengths)`` runs the backward layer over each sequence reversed
    within its own length and zeroes the outputs at padding; ``net(X)``
    reverses the whole padded array, as a fused layer does.
    :meth:`copy_from_fused` takes the weights of an ``rnn.LSTM(h,
    bidirectional=True)``, so both can be compared with the same numbers.
    """

    def __init__(self, num_hiddens: int, input_size: int, **kwargs):
        super().__init__(**kwargs)
        positive_int("num_hiddens", num_hiddens)
        positive_int("input_size", input_size)
        self.num_hiddens = num_hiddens
        self.forward_lstm = rnn.LSTM(num_hiddens, input_size=input_size)
        self.backward_lstm = rnn.LSTM(num_hiddens, input_size=input_size)

    def forward(self, X, lengths=None):
        fwd = self.forward_lstm(X)
        if lengths is None:
            return mnp.concatenate([fwd, self.backward_lstm(X[::-1])[::-1]], axis=2)
        bwd = reverse_within_lengths(self.backward_lstm(reverse_within_lengths(X, lengths)),
                                     lengths)
        mask = mnp.array(length_mask(lengths, X.shape[0]).T[:, :, None], dtype=X.dtype)
        return mnp.concatenate([fwd, bwd], axis=2) * mask

    def copy_from_fused(self, fused) -> None:
        """Copy the weights of a one-layer ``rnn.LSTM(..., bidirectional=True)``."""
        if not (isinstance(fused, rnn.LSTM) and fused._dir == 2 and fused._num_layers == 1):
            raise ValueError(f"pass a one-layer bidirectional rnn.LSTM, got {fused!r}")
        source = fused.collect_params()
        for prefix, layer in (("l0_", self.forward_lstm), ("r0_", self.backward_lstm)):
            for name, p in layer.collect_params().items():
                key = "_" + prefix + name[name.rindex("l0_") + 3:]   # e.g. _r0_i2h_weight
                match = [v for k, v in source.items() if k.endswith(key)]
                if len(match) != 1:
                    raise ValueError(f"the fused layer has no single parameter ending in "
                                     f"{key!r}: pass a one-layer bidirectional rnn.LSTM")
                p.set_data(match[0].data())


def tagger_logits(tagger, ids, lengths=None):
    """Logits ``(N, T, V)`` of a bidirectional ``tasks.TokenTagger`` on a padded batch ``ids`` (N, T).

    Without ``lengths``: the tagger as it is (its fused layer reads the padding).
    With ``lengths``: the same weights in a :class:`TwoWayLSTM` that reverses
    each sequence within its length, so every real position gets what it would
    get alone.
    """
    if not getattr(tagger, "bidirectional", False):
        raise ValueError("tagger must be a bidirectional tasks.TokenTagger")
    if lengths is None:
        return tagger(mnp.array(ids))
    two_way = TwoWayLSTM(tagger.num_hiddens, tagger.embedding.weight.shape[1])
    two_way.initialize()
    two_way.copy_from_fused(tagger.lstm)
    emb = tagger.embedding(mnp.array(ids).T)                         # (T, N, e)
    return mnp.transpose(tagger.dense(two_way(emb, lengths)), (1, 0, 2))


def run_each_alone(net, X, lengths):
    """The reference: ``net`` on every sequence of ``X`` (T, N, e) alone, unpadded, re-padded
    with zeros to (T, N, out): what a batched run must equal."""
    T = X.shape[0]
    lengths = _check_lengths(lengths, T)
    columns = []
    for n, L in enumerate(lengths):
        out = net(X[:int(L), n:n + 1])                               # (L, 1, out)
        pad = mnp.zeros((T - int(L), 1, out.shape[2]), dtype=out.dtype)
        columns.append(mnp.concatenate([out, pad], axis=0))
    return mnp.concatenate(columns, axis=1)


__all__ = ["TwoWayLSTM", "length_mask", "masked_mean", "pad_batch", "positions_reading_padding",
           "reverse_index", "reverse_within_lengths", "run_each_alone", "tagger_logits",
           "token_cross_entropy"]
