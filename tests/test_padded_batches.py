"""Tests for d2l_birnn.padded_batches: padding a batch, reversing within lengths, counting the
positions that read padding (framework-free, shared by both editions)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from d2l_birnn import padded_batches


def test_pad_batch_and_errors():
    ids, lengths = padded_batches.pad_batch([[1, 2, 3], [4], [5, 6]], pad_id=9)
    np.testing.assert_array_equal(ids, [[1, 2, 3], [4, 9, 9], [5, 6, 9]])
    np.testing.assert_array_equal(lengths, [3, 1, 2])
    with pytest.raises(ValueError, match="empty"):
        padded_batches.pad_batch([])
    with pytest.raises(ValueError, match=r"seqs\[1\]"):
        padded_batches.pad_batch([[1], []])


def test_reverse_index_is_an_involution_and_keeps_padding():
    idx = padded_batches.reverse_index([3, 1, 5], 5)
    np.testing.assert_array_equal(idx[:, 0], [2, 1, 0, 3, 4])
    np.testing.assert_array_equal(idx[:, 1], [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(idx[:, 2], [4, 3, 2, 1, 0])
    for n in range(3):
        np.testing.assert_array_equal(idx[idx[:, n], n], np.arange(5))
    with pytest.raises(ValueError, match="1..T = 5"):
        padded_batches.reverse_index([0, 2], 5)
    with pytest.raises(ValueError, match="1..T = 5"):
        padded_batches.reverse_index([6], 5)


def test_positions_reading_padding():
    assert padded_batches.positions_reading_padding([3, 5, 9]) == 8
    assert padded_batches.positions_reading_padding([4, 4]) == 0
    assert padded_batches.positions_reading_padding([2, 4], T=6) == 6


def test_it_imports_without_a_framework():
    """The core module loads with neither MXNet nor PyTorch (both editions import it)."""
    code = ("import sys; import d2l_birnn.padded_batches; "
            "print(sorted(m for m in ('mxnet', 'torch') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.split()[-1] == "[]", done.stdout
