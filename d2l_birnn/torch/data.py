"""The Time Machine's minibatches as PyTorch tensors (d2l 0.17.6's ``d2l.torch`` functions).

Text, vocabulary, corpus and the held-out split are the framework-neutral core's
(:mod:`d2l_birnn.data`); only the arrays differ: ``X`` and ``Y`` are ``torch.int64``
tensors of shape (batch_size, num_steps), as ``d2l.tensor`` makes them. With the
same ``random.seed(s)`` the batches hold the same token ids as the MXNet edition's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

import torch

from .. import data as _core


def seq_data_iter_random(corpus: Sequence[int], batch_size: int, num_steps: int) -> Iterator:
    """Minibatches of random subsequences (d2l 0.17.6): yields (X, Y), each (batch_size, num_steps)."""
    return _core.random_subsequence_batches(corpus, batch_size, num_steps, torch.tensor)


def seq_data_iter_sequential(corpus: Sequence[int], batch_size: int, num_steps: int) -> Iterator:
    """Minibatches where row i of batch b+1 continues row i of batch b (d2l 0.17.6).

    Yields (X, Y), each an int64 tensor of shape (batch_size, num_steps), ``Y`` = ``X``
    shifted by one token.
    """
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset: offset + num_tokens]).reshape(batch_size, -1)
    Ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens]).reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i: i + num_steps], Ys[:, i: i + num_steps]


class SeqDataLoader(_core.SeqDataLoader):
    """The core's loader (same arguments and checks), yielding PyTorch tensors."""

    def __init__(self, batch_size: int, num_steps: int, use_random_iter: bool = False,
                 max_tokens: int = 10000, corpus=None, vocab=None):
        super().__init__(batch_size, num_steps, use_random_iter, max_tokens, corpus, vocab)
        self.data_iter_fn = seq_data_iter_random if use_random_iter else seq_data_iter_sequential


def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                           max_tokens: int = 10000) -> tuple[SeqDataLoader, _core.Vocab]:
    """The notes' data: (iterable of (X, Y) int64 tensors (batch_size, num_steps), vocab)."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab


__all__ = ["SeqDataLoader", "load_data_time_machine", "seq_data_iter_random",
           "seq_data_iter_sequential"]
