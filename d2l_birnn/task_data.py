"""Data sets for the three tasks: blanks to fill, word ends to tag, passages to encode.

Framework-free: both editions' ``tasks`` (:mod:`d2l_birnn.mxnet.tasks`, :mod:`d2l_birnn.torch.tasks`)
hand these functions on.

Every data set is built from a training text and a held-out text that the
caller split beforehand (:func:`d2l_birnn.data.split_train_test`), or (in
:func:`half_passages`) from blocks set aside in advance, so nothing held out is
ever trained on.
"""

from __future__ import annotations

import numpy as np

from .data import MASK, char_vocab
from .validation import positive_int


def masked_windows(ids, positions, width: int, mask_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows of ``2 * width + 1`` tokens whose centre is hidden.

    ``ids``: token ids, shape (N,); ``positions``: centres, shape (P,), each at
    least ``width`` from both ends. Returns ``X`` of shape (P, 2 * width + 1)
    with ``X[:, width] == mask_id``, and the hidden tokens ``y``, shape (P,).
    """
    ids = np.asarray(ids, dtype=np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    positive_int("width", width, " (characters on each side)")
    if len(positions) == 0:
        raise ValueError("positions is empty: there are no blanks to make windows for")
    if positions.min() < width or positions.max() >= len(ids) - width:
        raise ValueError(f"every position needs {width} tokens on both sides: use positions in "
                         f"[{width}, {len(ids) - width}) (see ngram.blank_positions)")
    X = ids[positions[:, None] + np.arange(-width, width + 1)]
    y = X[:, width].copy()
    X[:, width] = mask_id
    return X, y


def word_end_tags(text: str) -> tuple[str, np.ndarray]:
    """Remove the spaces of ``text`` and tag each letter: 1 if it ends a word.

    ``word_end_tags("the time")`` gives ``("thetime", [0, 0, 1, 0, 0, 0, 1])``.
    Returns the letters (a string of length N) and the tags, shape (N,).
    """
    words = text.split()
    if not words:
        raise ValueError("text has no words to tag")
    tags = np.concatenate([np.eye(1, len(w), len(w) - 1, dtype=np.int64)[0] for w in words])
    return "".join(words), tags


def join_words(letters: str, tags) -> str:
    """Undo :func:`word_end_tags`: a space after every letter tagged 1.

    ``join_words("thetime", [0, 0, 1, 0, 0, 0, 1]) == "the time"``.
    """
    tags = np.asarray(tags)
    if len(letters) != len(tags):
        raise ValueError(f"{len(letters)} letters but {len(tags)} tags: they must match")
    return "".join(ch + (" " if t else "") for ch, t in zip(letters, tags)).rstrip(" ")


def cut_rows(seqs: tuple, num_steps: int) -> tuple[np.ndarray, ...]:
    """Cut aligned sequences (each shape (N,)) into rows of ``num_steps``: (N // num_steps, T).

    The last incomplete row is dropped. ``cut_rows((ids, tags), 32)`` gives inputs
    and labels for :class:`TokenTagger`.
    """
    positive_int("num_steps", num_steps)
    arrays = [np.asarray(s) for s in seqs]
    if len({len(a) for a in arrays}) != 1:
        raise ValueError(f"the sequences must have equal lengths, got {[len(a) for a in arrays]}")
    rows = len(arrays[0]) // num_steps
    if rows == 0:
        raise ValueError(f"a sequence of {len(arrays[0])} tokens gives no row of {num_steps}")
    return tuple(a[: rows * num_steps].reshape(rows, num_steps) for a in arrays)


def half_passages(seq, length: int, num_blocks: int = 20, test_every: int = 10,
                  train_stride: int | None = None) -> dict[str, tuple]:
    """Passages of ``length`` tokens labelled by the half of ``seq`` they come from.

    ``seq``: a string (passages of characters) or a list (e.g. of words). Each
    half (label 0 and 1) is cut into ``num_blocks`` equal blocks; every
    ``test_every``-th block (the 10th, 20th, ...) is held out, the rest is for
    training, so held-out passages come from all along each half, yet no held-out
    text is ever trained on. Passages never cross a block boundary. Held-out
    passages do not overlap; training passages start every ``train_stride``
    tokens (default ``length``; smaller gives more, overlapping, passages).
    Returns ``{"train": (passages, labels), "test": (passages, labels)}``: lists
    of slices of ``seq`` and int arrays of shape (P,).
    """
    for name, value in (("length", length), ("num_blocks", num_blocks),
                        ("test_every", test_every), ("train_stride", train_stride or length)):
        positive_int(name, value)
    if test_every > num_blocks:
        raise ValueError(f"test_every={test_every} > num_blocks={num_blocks} would hold out "
                         f"nothing; use test_every <= num_blocks")
    halves = (seq[: len(seq) // 2], seq[len(seq) // 2:])
    out: dict[str, tuple] = {"train": ([], []), "test": ([], [])}
    for label, half in enumerate(halves):
        size = len(half) // num_blocks
        if size < length:
            raise ValueError(f"blocks of {size} tokens are shorter than length={length}; "
                             f"use shorter passages or fewer blocks")
        for k in range(num_blocks):
            block = half[k * size: (k + 1) * size]
            name = "test" if (k + 1) % test_every == 0 else "train"
            stride = length if name == "test" else (train_stride or length)
            passages = [block[i: i + length] for i in range(0, len(block) - length + 1, stride)]
            out[name][0].extend(passages)
            out[name][1].extend([label] * len(passages))
    return {k: (p, np.array(y, dtype=np.int64)) for k, (p, y) in out.items()}


__all__ = ["MASK", "char_vocab", "cut_rows", "half_passages", "join_words", "masked_windows",
           "word_end_tags"]
