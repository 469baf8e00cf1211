"""Tests for d2l_birnn.blanks: combining one-sided predictions of a blank, masking tokens, and
the substitution check (framework-free, shared by both editions)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from _toy_text import MASK, V, toy_rows

from d2l_birnn import blanks


def test_combine_predictions_is_a_renormalised_product():
    left = np.array([[0.6, 0.3, 0.1]])
    right = np.array([[0.2, 0.2, 0.6]])
    np.testing.assert_allclose(blanks.combine_predictions(left, right), [[0.5, 0.25, 0.25]])
    prior = np.array([0.5, 0.25, 0.25])
    got = blanks.combine_predictions(left, right, prior)
    want = left * right / prior
    np.testing.assert_allclose(got, want / want.sum())
    with pytest.raises(ValueError, match=r"\(P, V\)"):
        blanks.combine_predictions(left, right[0])
    np.testing.assert_allclose(blanks.combine_predictions(left, right, [0.5, 0.0, 0.5]),
                               [[2 / 3, 0, 1 / 3]])
    with pytest.raises(ValueError, match="not all 0"):
        blanks.combine_predictions(left, right, [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"\(V,\)"):
        blanks.combine_predictions(left, right, [1.0, 0.0])


def test_mask_tokens_masks_and_weights_the_same_positions():
    rows = toy_rows()
    inputs, weights = blanks.mask_tokens(rows, 0.2, MASK, np.random.default_rng(0))
    assert np.all((inputs == MASK) == (weights == 1))
    assert np.all(inputs[weights == 0] == rows[weights == 0])
    assert np.all(weights.sum(axis=1) >= 1)                       # every row has a mask
    assert 0.1 < weights.mean() < 0.35
    with pytest.raises(ValueError, match="rate"):
        blanks.mask_tokens(rows, 0, MASK, np.random.default_rng(0))


def test_substitution_sensitivity_is_zero_exactly_where_the_prediction_does_not_look():
    def predict(windows):                  # reads positions 0 and 1, never 2
        p = np.zeros((len(windows), V))
        p[np.arange(len(windows)), windows[:, 0]] += 0.5
        p[np.arange(len(windows)), windows[:, 1]] += 0.5
        return p

    sens = blanks.substitution_sensitivity(predict, toy_rows()[:, :3], symbols=range(2, V))
    assert sens[2] == 0 and sens[0] > 0.2 and sens[1] > 0.2 and np.all(sens <= 1)
    with pytest.raises(ValueError, match="at least two ids"):
        blanks.substitution_sensitivity(predict, toy_rows()[:, :3], symbols=[2])


def test_the_predictions_read_the_right_outputs():
    """With a stand-in softmax that returns its position, each wrapper reads the right one."""
    def softmax_rows(net, X, position):
        return np.full((len(X), 1), float(position)) + net

    windows = toy_rows()[:, :5]
    left, right = blanks.language_model_predictions(softmax_rows, 0.0, 10.0, windows, 1)
    assert np.all(left == 1) and np.all(right == 10 + 3)      # reversed: position 5 - 1 - 1
    assert np.all(blanks.next_token_predictions(softmax_rows, 0.0, windows, 2) == 1)
    assert np.all(blanks.masked_predictions(softmax_rows, 0.0, windows, 2, MASK) == 2)
    with pytest.raises(ValueError, match="outside windows"):
        blanks.masked_predictions(softmax_rows, 0.0, windows, 5, MASK)
    with pytest.raises(ValueError, match="centre - 1"):
        blanks.next_token_predictions(softmax_rows, 0.0, windows, 0)


def test_it_imports_without_a_framework():
    """The core module loads with neither MXNet nor PyTorch (both editions import it)."""
    code = ("import sys; import d2l_birnn.blanks; "
            "print(sorted(m for m in ('mxnet', 'torch') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.split()[-1] == "[]", done.stdout
