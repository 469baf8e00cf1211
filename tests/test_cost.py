"""Tests for d2l_birnn.cost: timing helpers, fresh-process peaks and chain lengths.

No assertion here is about speed (benchmarks print numbers; tests check facts).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from d2l_birnn import cost


# ---------------------------------------------------------------------------
# Chains of sequential steps
# ---------------------------------------------------------------------------
def test_gradient_paths_of_one_unidirectional_layer():
    L = cost.gradient_path_lengths(5)
    for t in range(5):
        for s in range(5):
            assert L[t, s] == (t - s + 1 if s <= t else 0)


def test_gradient_paths_of_one_bidirectional_layer():
    L = cost.gradient_path_lengths(5, bidirectional=True)
    t, s = np.indices((5, 5))
    np.testing.assert_array_equal(L, np.abs(t - s) + 1)


def test_deep_bidirectional_paths_zig_zag():
    T = 6
    L = cost.gradient_path_lengths(T, bidirectional=True, num_layers=2)
    # x_1 -> forward chain to step T -> backward chain of layer 2 back to step 1
    assert L[0, 0] == 2 * T
    uni = cost.gradient_path_lengths(T, bidirectional=False, num_layers=2)
    assert uni[0, 0] == 2 and uni[T - 1, 0] == T + 1
    assert (L > 0).all() and (uni[np.triu_indices(T, 1)] == 0).all()


def test_chain_lengths_numbers_of_the_notes_model():
    T = 35
    uni = cost.chain_lengths(T, bidirectional=False, num_layers=2)
    bi = cost.chain_lengths(T, bidirectional=True, num_layers=2)
    assert uni == {"first_output": 2, "loss_1_to_x_1": 2, "longest": T + 1,
                   "dependent_pairs": T * (T + 1) // 2}
    assert bi == {"first_output": 2 * T, "loss_1_to_x_1": 2 * T, "longest": 2 * T,
                  "dependent_pairs": T * T}
    one = cost.chain_lengths(T, bidirectional=True)
    assert one["first_output"] == T and one["loss_1_to_x_1"] == 1


def test_chain_lengths_rejects_bad_sizes():
    with pytest.raises(ValueError, match="num_steps must be a positive int"):
        cost.chain_lengths(0)
    with pytest.raises(ValueError, match="num_layers must be a positive int"):
        cost.gradient_path_lengths(3, num_layers=0)


# ---------------------------------------------------------------------------
# Layers and timing
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell", cost.RECURRENT_CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_make_recurrent_layer_output_width(cell, bidirectional):
    from mxnet import np as mnp
    from mxnet import npx

    npx.set_np()
    layer = cost.make_recurrent_layer(cell, 8, bidirectional, input_size=5)
    layer.initialize()
    Y = layer(mnp.zeros((4, 3, 5)))
    assert Y.shape == (4, 3, 8 * (2 if bidirectional else 1))


def test_make_recurrent_layer_rejects_unknown_cells():
    with pytest.raises(ValueError, match="unknown cell 'transformer'"):
        cost.make_recurrent_layer("transformer")
    with pytest.raises(ValueError, match="num_hiddens must be a positive int"):
        cost.make_recurrent_layer("lstm", 0)


def test_time_forward_backward_returns_seconds():
    seconds = cost.time_forward_backward("rnn", num_steps=3, num_hiddens=4, bidirectional=True,
                                         batch_size=2, repeats=2)
    assert isinstance(seconds, float) and 0 < seconds < 60
    with pytest.raises(ValueError, match="repeats must be a positive int"):
        cost.time_forward_backward("rnn", 3, 4, repeats=0)


def test_peak_rss_mib_is_this_process():
    """The peak rises when the process touches 128 MiB more than it ever held.

    Run in a fresh interpreter: the pytest process's own peak is whatever an
    earlier test held (1 GiB and more), and a new 128 MiB block need not raise
    it (CI saw 1004 MiB before and 1096 MiB after).
    """
    script = (
        "import numpy as np\n"
        "from d2l_birnn import cost\n"
        "before = cost.peak_rss_mib()\n"
        "block = np.ones(2 ** 24)\n"               # 128 MiB, touched
        "assert block.sum() == 2 ** 24\n"
        "print(before, cost.peak_rss_mib())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    before, after = map(float, done.stdout.split())
    assert 0 < before < after
    assert after >= before + 100


def test_measure_forward_backward_runs_in_a_fresh_process():
    """The fresh process reports its own peak, not the (larger) peak of its parent."""
    block = np.ones(2 ** 27)                   # 1 GiB in this process
    assert block.sum() == 2 ** 27
    parent = cost.peak_rss_mib()
    seconds, peak = cost.measure_forward_backward("lstm", 4, 8, True, batch_size=2, repeats=1)
    baseline = cost.measure_mxnet_baseline()
    del block
    assert seconds > 0
    assert 50 < baseline < parent - 500        # MiB: the interpreter and MXNet, not the parent
    assert baseline - 50 < peak < parent - 500
    with pytest.raises(RuntimeError, match="unknown cell"):
        cost.measure_forward_backward("nope", 4, 8)


def test_flops_of_the_notes_model():
    # layer 1: 2 dirs x 4 gates x 256 x (28 + 256); layer 2: 2 x 4 x 256 x (512 + 256); dense 512 x 28
    macs = 2 * 4 * 256 * (28 + 256) + 2 * 4 * 256 * (512 + 256) + 512 * 28
    assert cost.lstm_flops_per_token(28, 256, 2, True) == 2 * 3 * macs
    assert cost.lstm_flops_per_token(28, 256, 2, True, training=False) == 2 * macs
    uni = cost.lstm_flops_per_token(28, 256, 2, False)
    assert 2.5 < cost.lstm_flops_per_token(28, 256, 2, True) / uni < 2.8  # more than 2x


@pytest.mark.parametrize("layers", [1, 2, 3, 4])
def test_the_critical_path_to_the_first_output_alternates_direction(layers):
    # o_1 of a deep BiRNN waits for L x T cell evaluations (exercise 05.1: 3 x 100 = 300). The path
    # alternates direction: layer l+1's backward chain starts at T, where it needs layer l's FORWARD
    # state at T, which needs layer l's whole forward chain from step 1, which needs layer l-1's
    # backward state at 1... So the longest path into o_1 starts at x_T (top layer backward, the
    # layer below forward, ...) with an odd number of layers, and at x_1 with an even number.
    T = 12
    L = cost.gradient_path_lengths(T, True, layers)
    assert cost.chain_lengths(100, True, layers)["first_output"] == 100 * layers
    assert L[0].max() == layers * T
    assert int(L[0].argmax()) == (T - 1 if layers % 2 else 0)
