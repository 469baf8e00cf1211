"""The Time Machine's minibatches as PyTorch tensors (d2l 0.17.6's ``d2l.torch`` functions).

Text, vocabulary, corpus and the held-out split are the framework-neutral core's
(:mod:`d2l_birnn.data`); only the arrays differ: ``X`` and ``Y`` are ``torch.int64``
tensors of shape (batch_size, num_steps), as ``d2l.tensor`` makes them. With the
same ``random.seed(s)`` the batches hold the same token ids as the MXNet edition's.
"""

from __future__ import annotations

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
    return _core.sequential_batches(corpus, batch_size, num_steps, torch.tensor)


class SeqDataLoader(_core.SeqDataLoaderBase):
    """The core's loader (same arguments and checks), yielding PyTorch tensors."""

    random_iter = staticmethod(seq_data_iter_random)
    sequential_iter = staticmethod(seq_data_iter_sequential)


def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                           max_tokens: int = 10000) -> tuple[SeqDataLoader, _core.Vocab]:
    """The notes' data: (iterable of (X, Y) int64 tensors (batch_size, num_steps), vocab)."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab


__all__ = ["SeqDataLoader", "load_data_time_machine", "seq_data_iter_random",
           "seq_data_iter_sequential"]
