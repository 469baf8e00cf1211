"""The Time Machine's minibatches as ``mxnet.np`` arrays (d2l 0.17's MXNet functions).

Text, vocabulary, corpus and the held-out split are the framework-neutral core's
(:mod:`d2l_birnn.data`); only the arrays are MXNet's: ``X`` and ``Y`` are float32
``mxnet.np`` arrays of shape (batch_size, num_steps), as d2l 0.17 makes them. MXNet
itself loads on the first batch, not on import.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .. import data as _core


def _mxnet_array(ids):
    from mxnet import np as mnp

    return mnp.array(ids)


def seq_data_iter_random(corpus: Sequence[int], batch_size: int, num_steps: int) -> Iterator:
    """Minibatches of random subsequences (d2l 0.17): yields (X, Y), each (batch_size, num_steps)."""
    return _core.random_subsequence_batches(corpus, batch_size, num_steps, _mxnet_array)


def seq_data_iter_sequential(corpus: Sequence[int], batch_size: int, num_steps: int) -> Iterator:
    """Minibatches where row i of batch b+1 continues row i of batch b (d2l 0.17).

    Yields (X, Y), each a float32 ``mxnet.np`` array of shape (batch_size, num_steps),
    with ``Y`` = ``X`` shifted by one token.
    """
    return _core.sequential_batches(corpus, batch_size, num_steps, _mxnet_array)


class SeqDataLoader(_core.SeqDataLoaderBase):
    """Iterable over minibatches of a token corpus (d2l 0.17), yielding ``mxnet.np`` arrays.

    Arguments and checks are the core's :class:`~d2l_birnn.data.SeqDataLoaderBase`:
    ``SeqDataLoader(batch_size, num_steps, use_random_iter=False, max_tokens=10000,
    corpus=None, vocab=None)``.
    """

    random_iter = staticmethod(seq_data_iter_random)
    sequential_iter = staticmethod(seq_data_iter_sequential)


def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                           max_tokens: int = 10000) -> tuple[SeqDataLoader, _core.Vocab]:
    """The notes' data: (iterable of (X, Y) batches of shape (batch_size, num_steps), vocab)."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab


__all__ = ["SeqDataLoader", "load_data_time_machine", "seq_data_iter_random",
           "seq_data_iter_sequential"]
