"""Tests for d2l_birnn.two_sided: no prediction of a blank ever reads the blank's character."""

from __future__ import annotations

import numpy as np
import pytest
from _toy_text import MASK, V, toy_rows
from mxnet import npx

from d2l_birnn import tasks, two_sided

npx.set_np()


@pytest.fixture(scope="module")
def trained():
    rows = toy_rows()
    lms = two_sided.train_language_models(rows, V, 8, 2, seed=0, batch_size=16)
    masked = two_sided.masked_filler(V, 8)
    masked_losses = two_sided.fit_masked(masked, rows, MASK, 3, rate=0.3, batch_size=16)
    leaky = tasks.TokenTagger(V, V, 8, bidirectional=True)
    tasks.fit(leaky, rows[:, :-1], rows[:, 1:], 3, batch_size=16)
    return rows, lms, masked, masked_losses, leaky


def test_training_lowers_the_loss(trained):
    _, lms, _, masked_losses, _ = trained
    for losses in (*lms["losses"].values(), masked_losses):
        assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]


def test_no_prediction_reads_the_blank_but_the_next_token_model_does(trained):
    rows, lms, masked, _, leaky = trained
    windows, centre = rows[:, :9], 4
    symbols = np.arange(2, V)

    def elmo(w):
        return two_sided.combine_predictions(*two_sided.language_model_predictions(
            lms["forward"], lms["backward"], w, centre))

    def left(w):
        return two_sided.language_model_predictions(lms["forward"], lms["backward"], w, centre)[0]

    for predict in (elmo, lambda w: two_sided.masked_predictions(masked, w, centre, MASK)):
        s = two_sided.substitution_sensitivity(predict, windows, symbols, num_swaps=2)
        assert s.shape == (9,)
        assert s[centre] == 0.0                    # exactly: the blank's character never enters
        assert s[centre - 1] > 0 and s[centre + 1] > 0
    s_left = two_sided.substitution_sensitivity(left, windows, symbols, num_swaps=2)
    assert np.all(s_left[centre:] == 0.0) and np.all(s_left[:centre] > 0)
    s_leaky = two_sided.substitution_sensitivity(
        lambda w: two_sided.next_token_predictions(leaky, w, centre), windows, symbols, 2)
    assert s_leaky[centre] > 1e-3                  # 04's kind of model reads the answer


def test_predictions_are_distributions_and_errors_are_clear(trained):
    rows, lms, masked, _, _ = trained
    left, right = two_sided.language_model_predictions(lms["forward"], lms["backward"],
                                                       rows[:, :9], 4)
    for p in (left, right, two_sided.masked_predictions(masked, rows[:, :9], 4, MASK)):
        assert p.shape == (len(rows), V)
        np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    with pytest.raises(ValueError, match="outside"):
        two_sided.language_model_predictions(lms["forward"], lms["backward"], rows[:, :9], 9)
    with pytest.raises(ValueError, match="two ids"):
        two_sided.substitution_sensitivity(lambda w: left, rows[:, :9], [2])
    with pytest.raises(ValueError, match="centre - 1"):
        two_sided.next_token_predictions(masked, rows[:, :9], 0)
