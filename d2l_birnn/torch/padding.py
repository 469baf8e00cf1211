"""Variable-length batches for ``nn.LSTM(bidirectional=True)``: pad, pack or reverse, mask.

The PyTorch edition of :mod:`d2l_birnn.padding`. A minibatch of sequences of
different lengths is padded at the end to one length ``T`` (:func:`pad_batch`).
The forward direction is unharmed: its state at a real token has read only real
tokens. The backward direction of a fused layer reads the padded tensor from
``T`` down, so its state at the last real token has already read every pad
after it, and so has every backward state before it.

PyTorch's own way to respect the lengths is
``nn.utils.rnn.pack_padded_sequence``: a packed batch holds only the real steps,
and the fused layer starts each sequence's backward recursion at its own last
token (:func:`run_packed`). :class:`TwoWayLSTM` does the same by hand, as the
MXNet edition does: two one-way layers, the backward one run over each sequence
reversed within its own length (:func:`reverse_within_lengths`, a gather that
autograd follows). :func:`masked_mean` averages a per-token loss over real
tokens only. Time-major tensors: ``(T, N, ...)``; id arrays: ``(N, T)``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ..padded_batches import check_lengths as _check_lengths
from ..padded_batches import (  # noqa: F401 (handed on: the framework-free half)
    length_mask,
    pad_batch,
    positions_reading_padding,
    reverse_index,
)
from ..validation import positive_int


# ---------------------------------------------------------------------------
# PyTorch
# ---------------------------------------------------------------------------
def _check_batch(X, lengths) -> np.ndarray:
    """The lengths of a time-major batch ``X`` (T, N, ...), checked against its shape."""
    T, N = X.shape[0], X.shape[1]
    if len(np.asarray(lengths.cpu() if isinstance(lengths, torch.Tensor) else lengths)) != N:
        raise ValueError(f"{len(lengths)} lengths for a batch of {N} sequences")
    return _check_lengths(lengths, T)


def _outputs(layer, X):
    """``layer``'s outputs for a time-major ``X`` (T, N, e), time-major, whatever the layer's
    ``batch_first``; for an ``nn.LSTM`` the output without the final states."""
    batch_first = getattr(layer, "batch_first", False)
    out = layer(X.transpose(0, 1) if batch_first else X)
    out = out[0] if isinstance(out, tuple) else out
    return out.transpose(0, 1) if batch_first else out


def reverse_within_lengths(X, lengths):
    """``X`` (T, N, ...) (a tensor) with each sequence reversed within its length.

    What MXNet's ``SequenceReverse(use_sequence_length=True)`` does, as a gather
    that autograd differentiates through.
    """
    lengths = _check_batch(X, lengths)
    index = torch.as_tensor(reverse_index(lengths, X.shape[0]), device=X.device)   # (T, N)
    return X[index, torch.arange(X.shape[1], device=X.device).expand_as(index)]


def run_packed(layer, X, lengths):
    """PyTorch's way: ``layer`` (an ``nn.RNN``/``GRU``/``LSTM``) on a time-major padded
    batch ``X`` (T, N, e) packed with ``pack_padded_sequence``: outputs (T, N, dirs * h),
    zeros at padding. Each sequence's backward recursion starts at its own last token."""
    lengths = _check_batch(X, lengths)
    batch_first = getattr(layer, "batch_first", False)
    packed = pack_padded_sequence(X.transpose(0, 1) if batch_first else X,
                                  torch.as_tensor(lengths), batch_first=batch_first,
                                  enforce_sorted=False)
    out, _ = pad_packed_sequence(layer(packed)[0], batch_first=batch_first,
                                 total_length=X.shape[0])
    return out.transpose(0, 1) if batch_first else out


def masked_mean(per_token, lengths):
    """Mean of a per-token loss ``(N, T)`` (a tensor) over the real tokens only: a scalar.

    Padding counts for nothing: the result equals the mean over the
    concatenation of the sequences, each run alone.
    """
    mask = torch.as_tensor(length_mask(lengths, per_token.shape[1]), dtype=per_token.dtype,
                           device=per_token.device)
    if mask.shape != per_token.shape:
        raise ValueError(f"{mask.shape[0]} lengths for a per-token loss of shape "
                         f"{tuple(per_token.shape)} (N, T)")
    return (per_token * mask).sum() / mask.sum()


def token_cross_entropy(logits, labels):
    """Per-token cross-entropy in nats: logits (N, T, V), labels (N, T) -> (N, T)."""
    labels = torch.as_tensor(labels, device=logits.device).long()
    return F.cross_entropy(logits.transpose(1, 2), labels, reduction="none")


class TwoWayLSTM(nn.Module):
    """A bidirectional LSTM layer as two one-way layers: ``(T, N, e) -> (T, N, 2h)``.

    ``net(X, lengths)`` runs the backward layer over each sequence reversed
    within its own length and zeroes the outputs at padding; ``net(X)``
    reverses the whole padded tensor, as a fused layer does.
    :meth:`copy_from_fused` takes the weights of an ``nn.LSTM(e, h,
    bidirectional=True)``, so both can be compared with the same numbers.
    """

    def __init__(self, num_hiddens: int, input_size: int):
        super().__init__()
        positive_int("num_hiddens", num_hiddens)
        positive_int("input_size", input_size)
        self.num_hiddens = num_hiddens
        self.forward_lstm = nn.LSTM(input_size, num_hiddens)
        self.backward_lstm = nn.LSTM(input_size, num_hiddens)

    def forward(self, X, lengths=None):
        fwd = self.forward_lstm(X)[0]
        if lengths is None:
            return torch.cat([fwd, self.backward_lstm(X.flip(0))[0].flip(0)], dim=2)
        bwd = reverse_within_lengths(
            self.backward_lstm(reverse_within_lengths(X, lengths))[0], lengths)
        mask = torch.as_tensor(length_mask(lengths, X.shape[0]).T[:, :, None], dtype=X.dtype,
                               device=X.device)
        return torch.cat([fwd, bwd], dim=2) * mask

    def copy_from_fused(self, fused) -> None:
        """Copy the weights of a one-layer ``nn.LSTM(..., bidirectional=True)``."""
        if not (isinstance(fused, nn.LSTM) and fused.bidirectional and fused.num_layers == 1
                and fused.bias and fused.proj_size == 0):
            raise ValueError(f"pass a one-layer bidirectional nn.LSTM (with biases, no "
                             f"projection), got {fused!r}")
        if (fused.input_size, fused.hidden_size) != (self.forward_lstm.input_size,
                                                     self.num_hiddens):
            raise ValueError(f"the fused layer maps {fused.input_size} -> {fused.hidden_size}, "
                             f"this one {self.forward_lstm.input_size} -> {self.num_hiddens}")
        with torch.no_grad():
            for suffix, layer in (("", self.forward_lstm), ("_reverse", self.backward_lstm)):
                for name, p in layer.named_parameters():            # e.g. weight_ih_l0
                    p.copy_(getattr(fused, name + suffix))


def tagger_logits(tagger, ids, lengths=None):
    """Logits ``(N, T, V)`` of a bidirectional ``tasks.TokenTagger`` on a padded batch ``ids`` (N, T).

    Without ``lengths``: the tagger as it is (its fused layer reads the padding).
    With ``lengths``: the same layers, the embedded batch packed
    (:func:`run_packed`), so every real position gets what it would get alone.
    """
    if not getattr(tagger, "bidirectional", False):
        raise ValueError("tagger must be a bidirectional tasks.TokenTagger")
    device = next(tagger.parameters()).device
    ids = torch.as_tensor(np.asarray(ids), dtype=torch.long, device=device)
    if lengths is None:
        return tagger(ids)
    emb = tagger.embedding(ids.T)                                     # (T, N, e)
    hidden = run_packed(tagger.lstm, emb, lengths)                    # (T, N, 2h)
    dropout = getattr(tagger, "dropout", nn.Identity())
    return tagger.dense(dropout(hidden)).transpose(0, 1)


def run_each_alone(net, X, lengths):
    """The reference: ``net`` on every sequence of ``X`` (T, N, e) alone, unpadded, re-padded
    with zeros to (T, N, out): what a batched run must equal. ``net``: a time-major module,
    or an ``nn.RNN``/``GRU``/``LSTM`` (its output without the final state)."""
    lengths = _check_batch(X, lengths)
    T = X.shape[0]
    columns = []
    for n, L in enumerate(lengths):
        out = _outputs(net, X[:int(L), n:n + 1])                     # (L, 1, out)
        columns.append(F.pad(out, (0, 0, 0, 0, 0, T - int(L))))
    return torch.cat(columns, dim=1)


__all__ = ["TwoWayLSTM", "length_mask", "masked_mean", "pad_batch", "positions_reading_padding",
           "reverse_index", "reverse_within_lengths", "run_each_alone", "run_packed",
           "tagger_logits", "token_cross_entropy"]
