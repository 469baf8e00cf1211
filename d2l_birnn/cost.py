"""Measuring what models cost: wall time and peak memory."""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys

from .validation import positive_int


def _child(conn, fn, args, kwargs):
    try:
        result = fn(*args, **kwargs)
        conn.send((True, result, peak_rss_mib()))
    except BaseException as e:  # report any failure to the parent
        conn.send((False, f"{type(e).__name__}: {e}", 0.0))
    finally:
        conn.close()


def run_with_peak_memory(fn, *args, **kwargs):
    """Run ``fn(*args, **kwargs)`` in a fresh process; return (result, peak RSS in MiB).

    A fresh process makes the peak that of this one job: MXNet's memory pool
    never gives memory back, so peaks measured in one process add up. The
    peak is the child's own (:func:`peak_rss_mib`), whatever the size of this
    process. ``fn`` must be a module-level function and its result picklable.
    The peak includes the interpreter and MXNet itself (about 300 MiB, see
    :func:`measure_mxnet_baseline`), so compare jobs with each other rather
    than reading one number alone.
    """
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    try:
        ok, result, peak_mib = parent.recv()
    except EOFError:
        proc.join()
        raise RuntimeError(f"the measured job {fn.__name__} died in its own process "
                           f"(exit code {proc.exitcode}) before reporting a result") from None
    proc.join()
    if not ok:
        raise RuntimeError(f"the measured job failed in its own process: {result}")
    return result, peak_mib


# ---------------------------------------------------------------------------
# Wall time of one training step of a recurrent layer
# ---------------------------------------------------------------------------
RECURRENT_CELLS = ("rnn", "gru", "lstm")


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


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    On Linux this is ``VmHWM`` from ``/proc/self/status``, which starts afresh
    when a process starts a new program. (``getrusage``'s ``ru_maxrss`` does
    not: a process started by ``multiprocessing``'s ``spawn`` inherits the
    peak of the process that forked it, e.g. a large notebook kernel.)
    Elsewhere it falls back to ``ru_maxrss``.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


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


# ---------------------------------------------------------------------------
# Chains of sequential steps in an unrolled (bidirectional) RNN
# ---------------------------------------------------------------------------
def gradient_path_lengths(num_steps: int, bidirectional: bool = False,
                          num_layers: int = 1):
    """Longest dependency path from each input to each output of an unrolled RNN.

    Returns an int array ``L`` of shape (T, T): ``L[t, s]`` is the number of
    cell evaluations on the longest path from input ``x_s`` to output
    ``o_t`` (0-based steps), i.e. the longest chain of Jacobians that the
    gradient of the loss at step ``t`` multiplies on its way back to ``x_s``;
    0 where ``o_t`` does not depend on ``x_s`` at all. A forward cell at
    (layer l, step t) reads the cell at (l, t-1) and every direction of layer
    l-1 at step t; a backward cell reads (l, t+1) instead. For one
    unidirectional layer ``L[t, s] = t - s + 1`` for ``s <= t``.
    """
    import numpy as np

    positive_int("num_steps", num_steps)
    positive_int("num_layers", num_layers)
    T = num_steps
    directions = (1, -1) if bidirectional else (1,)
    NONE = -1  # not reachable
    lengths = np.zeros((T, T), dtype=np.int64)
    for s in range(T):
        below = [0 if t == s else NONE for t in range(T)]  # paths into layer 0: x_s itself
        for _ in range(num_layers):
            layer_out = [NONE] * T
            for d in directions:
                steps = range(T) if d == 1 else range(T - 1, -1, -1)
                prev = NONE
                for t in steps:
                    best_in = max(prev, below[t])
                    prev = best_in + 1 if best_in != NONE else NONE
                    layer_out[t] = max(layer_out[t], prev)
            below = layer_out
        for t in range(T):
            lengths[t, s] = max(below[t], 0)
    return lengths


def chain_lengths(num_steps: int, bidirectional: bool = False, num_layers: int = 1) -> dict:
    """The notes' "long dependency chain", counted in cell evaluations.

    From :func:`gradient_path_lengths` ``L`` (T, T):

    * ``first_output``: sequential steps before ``o_1`` can exist (the longest
      path into it). Unidirectional: ``num_layers``; bidirectional: the
      backward chain must first run over the whole sequence, ``num_layers * T``.
    * ``loss_1_to_x_1``: longest path from the loss at step 1 back to ``x_1``;
      in a deep bidirectional net it zig-zags to the end and back.
    * ``longest``: longest path from any input to any output (the critical
      path of the forward pass, and of the backward pass, in cell evaluations,
      with both directions of a layer running side by side).
    * ``dependent_pairs``: (output, input) pairs joined by a path: T(T+1)/2
      for a unidirectional net, all T^2 for a bidirectional one.
    """
    L = gradient_path_lengths(num_steps, bidirectional, num_layers)
    return {"first_output": int(L[0].max()), "loss_1_to_x_1": int(L[0, 0]),
            "longest": int(L.max()), "dependent_pairs": int((L > 0).sum())}


# ---------------------------------------------------------------------------
# The notes' language model: FLOPs per token and a training job to time
# ---------------------------------------------------------------------------
def lstm_flops_per_token(vocab_size: int, num_hiddens: int, num_layers: int,
                         bidirectional: bool, training: bool = True) -> float:
    """FLOPs to process one token with ``RNNModel(rnn.LSTM(...), vocab_size)``.

    Per direction, layer l does 4 gates of ``(in_l + h) x h`` multiply-adds
    (in_1 = vocab_size for the one-hot input, in_l = dirs * h above); the
    output layer does ``dirs * h x vocab_size``. One multiply-add is 2 FLOPs;
    training (forward + backward) costs about 3x the forward pass. Element-wise
    work (gates, softmax) is ignored: it is small next to the products.
    """
    dirs = 2 if bidirectional else 1
    macs = 0
    for layer in range(num_layers):
        in_size = vocab_size if layer == 0 else dirs * num_hiddens
        macs += dirs * 4 * num_hiddens * (in_size + num_hiddens)
    macs += dirs * num_hiddens * vocab_size
    return 2 * macs * (3 if training else 1)


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
