"""Measuring what models cost, for any framework: peak memory of a job in a fresh process,
FLOPs per token, and the dependency chains of an unrolled (bidirectional) RNN.

No framework is imported here. Each edition's timings (``d2l_birnn.mxnet.cost``,
``d2l_birnn.torch.cost``) run their jobs through :func:`run_with_peak_memory`; the
MXNet edition's names (``time_forward_backward``, ``measure_mxnet_baseline``, ...) are
also reachable here, as notebook 05 of the MXNet edition calls them.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys

from .forwarding import mxnet_names
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
    The peak includes the interpreter and the framework itself (about 300 MiB for
    MXNet, see ``d2l_birnn.mxnet.cost.measure_mxnet_baseline``), so compare jobs
    with each other rather than reading one number alone.
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


RECURRENT_CELLS = ("rnn", "gru", "lstm")   # what each edition's make_recurrent_layer builds


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
# The notes' language model: FLOPs per token
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


# The MXNet edition's timings (d2l_birnn/mxnet/cost.py), under the names notebook 05 uses.
_MXNET_NAMES = ("make_recurrent_layer", "measure_forward_backward", "measure_mxnet_baseline",
                "mxnet_baseline_job", "time_forward_backward", "training_speed_job")
__getattr__ = mxnet_names(__name__, _MXNET_NAMES)
