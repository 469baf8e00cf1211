"""Padded batches of sequences of different lengths, without a framework: pad, reverse, mask.

The framework-free half of variable-length batching, shared by the MXNet edition
(:mod:`d2l_birnn.padding`) and the PyTorch one (:mod:`d2l_birnn.torch.padding`), which add
the layers. A minibatch is padded at the end to one length ``T`` (:func:`pad_batch`); a
fused bidirectional layer's backward direction then reads the padding first, so each
sequence must be reversed within its own length (:func:`reverse_index`) and a per-token
loss averaged over real tokens only (:func:`length_mask`). Id arrays: ``(N, T)``;
lengths: ``(N,)`` whole numbers in ``1..T`` (a NumPy array, a list, an ``mxnet.np`` array
or a ``torch`` tensor).
"""

from __future__ import annotations

import numpy as np

from .validation import positive_int


def pad_batch(seqs, pad_id: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pad sequences of ids at the end: ``(ids (N, T_max) int64, lengths (N,) int64)``."""
    seqs = [np.asarray(s, dtype=np.int64) for s in seqs]
    if not seqs:
        raise ValueError("seqs is empty: give at least one sequence")
    for i, s in enumerate(seqs):
        if s.ndim != 1 or s.size == 0:
            raise ValueError(f"seqs[{i}] must be a non-empty 1-D sequence of ids, got shape "
                             f"{s.shape}")
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    ids = np.full((len(seqs), lengths.max()), pad_id, dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
    return ids, lengths


def as_numpy_lengths(lengths) -> np.ndarray:
    """``lengths`` as a NumPy array, from NumPy, a list, ``mxnet.np`` or ``torch``."""
    if hasattr(lengths, "asnumpy"):                   # mxnet.np / mx.nd
        return np.asarray(lengths.asnumpy())
    if hasattr(lengths, "detach"):                    # torch.Tensor
        return lengths.detach().cpu().numpy()
    return np.asarray(lengths)


def check_lengths(lengths, T: int) -> np.ndarray:
    """``lengths`` as an int64 NumPy array after checking each is a whole number in 1..T."""
    lengths = as_numpy_lengths(lengths)
    if lengths.ndim != 1 or not np.issubdtype(lengths.dtype, np.integer) and not np.all(
            lengths == np.round(lengths)):
        raise ValueError(f"lengths must be a 1-D array of whole numbers, got {lengths!r}")
    lengths = lengths.astype(np.int64)
    if np.any(lengths < 1) or np.any(lengths > T):
        raise ValueError(f"every length must be in 1..T = {T} (the padded length), got "
                         f"{lengths.tolist()}")
    return lengths


def reverse_index(lengths, T: int) -> np.ndarray:
    """Time indices ``(T, N)`` that reverse each sequence within its length.

    Column n is ``L_n - 1, ..., 1, 0, L_n, ..., T - 1``: the real steps
    reversed, the padding left where it is. Applying it twice gives back the
    identity.
    """
    positive_int("T", T)
    lengths = check_lengths(lengths, T)
    t = np.arange(T)[:, None]                                        # (T, 1)
    return np.where(t < lengths, lengths - 1 - t, t).astype(np.int64)


def length_mask(lengths, T: int) -> np.ndarray:
    """``(N, T)`` float mask: 1 at real tokens, 0 at padding."""
    lengths = check_lengths(lengths, T)
    return (np.arange(T)[None, :] < lengths[:, None]).astype(np.float32)


def positions_reading_padding(lengths, T: int | None = None) -> int:
    """How many real positions of a batch padded to ``T`` (default: the longest) get a
    backward state that has read padding in a fused layer: every position of every
    sequence shorter than ``T``."""
    lengths = np.asarray(as_numpy_lengths(lengths), dtype=np.int64)
    T = int(lengths.max()) if T is None else T
    lengths = check_lengths(lengths, T)
    return int(lengths[lengths < T].sum())


__all__ = ["as_numpy_lengths", "check_lengths", "length_mask", "pad_batch",
           "positions_reading_padding", "reverse_index"]
