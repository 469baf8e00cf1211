"""What MXNet models cost: wall time of a step, peak memory, training speed.

The framework-neutral counts (FLOPs per token, dependency path lengths) and the
fresh-process measurement are the core's :mod:`d2l_birnn.cost`, imported here.
MXNet loads when a job runs, not on import.
"""

from __future__ import annotations

import os

from ..cost import (  # noqa: F401  (this edition's cost API: the core's counts too)
    RECURRENT_CELLS,
    chain_lengths,
    gradient_path_lengths,
    lstm_flops_per_token,
    peak_rss_mib,
    run_with_peak_memory,
)
from ..validation import positive_int


def make_recurrent_layer(cell: str = "lstm", num_hiddens: int = 64, bidirectional: bool = False,
                         num_layers: int = 1, input_size: int = 28):
    """A Gluon recurrent layer: ``cell`` is ``'rnn'`` (tanh), ``'gru'`` or ``'lstm'``.

    It reads time-major input of shape (num_steps, batch_size, input_size) and
    returns (num_steps, batch_size, dirs * num_hiddens).
    """
    from mxnet.gluon import rnn

    layers = {"rnn": rnn.RNN, "gru": rnn.GRU, "lstm": rnn.LSTM}
    if cell not in layers:
        raise ValueError(f"unknown cell {cell!r}: use one of {RECURRENT_CELLS}")
    for name, value in (("num_hiddens", num_hiddens), ("num_layers", num_layers),
                        ("input_size", input_size)):
        positive_int(name, value)
    return layers[cell](num_hiddens, num_layers, bidirectional=bidirectional,
                        input_size=input_size)


def time_forward_backward(cell: str = "lstm", num_steps: int = 35, num_hiddens: int = 64,
                          bidirectional: bool = False, *, batch_size: int = 32,
                          input_size: int = 28, num_layers: int = 1, repeats: int = 5,
                          seed: int = 0) -> float:
    """Best wall-clock seconds of ``repeats`` forward and backward passes of a recurrent layer.

    The layer (:func:`make_recurrent_layer`, hybridized) reads a random batch of
    shape (num_steps, batch_size, input_size) from a zero state; the loss is
    the sum of its outputs. One untimed pass builds the graph first; each
    timed pass waits for MXNet to finish (``waitall``). The best (smallest)
    time is returned: on a shared machine other programs only ever add time.
    Runs in this process; :func:`measure_forward_backward` runs it in a fresh one.
    """
    import timeit

    import mxnet as mx
    from mxnet import autograd, npx
    from mxnet import np as mnp

    positive_int("num_steps", num_steps)
    positive_int("repeats", repeats)
    npx.set_np()
    mx.random.seed(seed)
    layer = make_recurrent_layer(cell, num_hiddens, bidirectional, num_layers, input_size)
    layer.initialize()
    layer.hybridize(static_alloc=True, static_shape=True)
    X = mnp.random.uniform(size=(num_steps, batch_size, input_size))
    state = layer.begin_state(batch_size=batch_size)

    def step() -> None:
        with autograd.record():
            Y, _ = layer(X, state)
            loss = Y.sum()
        loss.backward()
        mx.nd.waitall()

    step()  # build the graph and the memory pool
    return min(timeit.repeat(step, number=1, repeat=repeats))


def measure_forward_backward(cell: str = "lstm", num_steps: int = 35, num_hiddens: int = 64,
                             bidirectional: bool = False, **kwargs) -> tuple[float, float]:
    """One forward and backward pass measured in a fresh process: (seconds, peak RSS in MiB).

    The process runs :func:`time_forward_backward` and reports its own peak
    (:func:`peak_rss_mib`), so nothing of this process counts. The peak
    includes the interpreter and MXNet (:func:`measure_mxnet_baseline` gives
    that part alone); keyword arguments go to :func:`time_forward_backward`.
    """
    return run_with_peak_memory(time_forward_backward, cell, num_steps, num_hiddens,
                                bidirectional, **kwargs)


def mxnet_baseline_job() -> None:
    """Import MXNet and make one small array (what every measured job pays first)."""
    from mxnet import np as mnp
    from mxnet import npx

    npx.set_np()
    mnp.ones((2, 2)).sum().wait_to_read()


def measure_mxnet_baseline() -> float:
    """Peak MiB of a fresh process that only imports MXNet (and d2l_birnn): what
    every job measured by :func:`measure_forward_backward` pays before it computes."""
    return run_with_peak_memory(mxnet_baseline_job)[1]


def training_speed_job(bidirectional: bool, fast: bool = True, num_epochs: int = 3,
              warmup_epochs: int = 1, num_hiddens: int = 256, num_layers: int = 2,
              lr: float = 1.0, max_tokens: int = 10000, batch_size: int = 32,
              num_steps: int = 35) -> dict:
    """Train the notes' language model in this process; return its speed.

    Meant to run in a fresh process: ``run_with_peak_memory(training_speed_job, ...)``.

    The first ``warmup_epochs`` are not timed (graph building, memory pools).
    Returns ``{"tokens_per_sec", "perplexity", "omp_threads"}``.
    """
    from mxnet import npx
    from mxnet.gluon import rnn

    import d2l_birnn as d2l

    npx.set_np()
    d2l.set_seed(0)
    train_iter = d2l.SeqDataLoader(batch_size, num_steps, max_tokens=max_tokens)
    net = d2l.RNNModel(rnn.LSTM(num_hiddens, num_layers, bidirectional=bidirectional),
                       len(train_iter.vocab))
    history = d2l.train_ch8(net, train_iter, train_iter.vocab, lr, warmup_epochs + num_epochs,
                            d2l.try_gpu(), fast=fast, plot=False, verbose=False)
    timed = history.epoch_seconds[warmup_epochs:]
    return {"tokens_per_sec": history.tokens_per_epoch * len(timed) / sum(timed),
            "perplexity": history[-1],
            "omp_threads": os.environ.get("OMP_NUM_THREADS", "MXNet default")}


__all__ = ["RECURRENT_CELLS", "chain_lengths", "gradient_path_lengths", "lstm_flops_per_token",
           "make_recurrent_layer", "measure_forward_backward", "measure_mxnet_baseline",
           "mxnet_baseline_job", "peak_rss_mib", "run_with_peak_memory", "time_forward_backward",
           "training_speed_job"]
