"""Measuring what models cost: wall time and peak memory."""

from __future__ import annotations

import multiprocessing
import resource
import sys


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
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
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
    import time

    import mxnet as mx
    from mxnet import autograd, np, npx

    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or num_steps < 1:
        raise ValueError(f"num_steps must be a positive int, got {num_steps!r}")
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive int, got {repeats!r}")
    npx.set_np()
    mx.random.seed(seed)
    layer = make_recurrent_layer(cell, num_hiddens, bidirectional, num_layers, input_size)
    layer.initialize()
    layer.hybridize(static_alloc=True, static_shape=True)
    X = np.random.uniform(size=(num_steps, batch_size, input_size))
    state = layer.begin_state(batch_size=batch_size)

    def step() -> float:
        start = time.perf_counter()
        with autograd.record():
            Y, _ = layer(X, state)
            loss = Y.sum()
        loss.backward()
        mx.nd.waitall()
        return time.perf_counter() - start

    step()  # build the graph and the memory pool
    return min(step() for _ in range(repeats))


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
    from mxnet import np, npx

    npx.set_np()
    np.ones((2, 2)).sum().wait_to_read()


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
    import numpy as onp

    for name, value in (("num_steps", num_steps), ("num_layers", num_layers)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    T = num_steps
    directions = (1, -1) if bidirectional else (1,)
    NONE = -1  # not reachable
    lengths = onp.zeros((T, T), dtype=onp.int64)
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
