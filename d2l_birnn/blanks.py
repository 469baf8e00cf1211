"""A blank's prediction from both sides, without a framework: combine, mask, check for a leak.

The framework-free half of notebook 06's two-sided prediction, shared by the MXNet
edition (:mod:`d2l_birnn.two_sided`) and the PyTorch one (:mod:`d2l_birnn.torch.two_sided`),
which add the models and their training. Windows are id arrays ``(P, W)``;
predictions are NumPy probabilities ``(P, V)``. The functions that run a model take
its framework's ``softmax_rows(net, X (P, W), position) -> (P, V)``.
"""

from __future__ import annotations

import numpy as np

from .validation import positive_int


def every_position(rows, rng):
    """A ``make_inputs`` for training on every position: ``(rows, weights of 1)``."""
    return rows, np.ones(rows.shape, dtype=np.float32)


def language_model_predictions(softmax_rows, forward_net, backward_net, windows, centre: int
                               ) -> tuple[np.ndarray, np.ndarray]:
    """``(P(x_c | left), P(x_c | right))`` for the character at ``centre`` of every window.

    ``windows`` (P, W) ids. The forward LM's output at ``centre`` reads only
    ``windows[:, :centre]``; the backward LM reads the window reversed and its
    output at ``W - 1 - centre`` reads only ``windows[:, centre + 1:]``.
    """
    windows = np.asarray(windows, dtype=np.int64)
    width = windows.shape[1]
    if not 0 <= centre < width:
        raise ValueError(f"centre={centre} is outside windows of width {width}")
    left = softmax_rows(forward_net, windows, centre)
    right = softmax_rows(backward_net, windows[:, ::-1].copy(), width - 1 - centre)
    return left, right


def combine_predictions(p_left, p_right, prior=None) -> np.ndarray:
    """Combine two one-sided predictions of the same blank into one: (P, V), rows sum to 1.

    Without ``prior``: the product ``p_left * p_right``, renormalised (a
    product of experts). With ``prior`` (V,), e.g. the unigram distribution:
    ``p_left * p_right / prior``, renormalised, which is Bayes' rule
    ``P(x | L, R) = P(x | L) P(R | x, L) / P(R | L)`` *if* the right side were
    independent of the left given the blank, ``P(R | x, L) = P(R | x) ∝ P(x | R) / P(x)``.
    In text it is not (a word runs across the blank), so both are approximations;
    the plain product also counts the prior twice.
    """
    p_left, p_right = np.asarray(p_left, dtype=float), np.asarray(p_right, dtype=float)
    if p_left.shape != p_right.shape or p_left.ndim != 2:
        raise ValueError(f"p_left and p_right must both be (P, V), got {p_left.shape} and "
                         f"{p_right.shape}")
    product = p_left * p_right
    if prior is not None:
        prior = np.asarray(prior, dtype=float)
        if prior.shape != p_left.shape[1:] or np.any(prior < 0) or not np.any(prior > 0):
            raise ValueError(f"prior must be a (V,) = {p_left.shape[1:]} vector of "
                             f"probabilities, not all 0, got {prior!r}")
        # a token the prior never gives (e.g. <mask>) cannot be the blank: probability 0
        product = np.where(prior > 0, product / np.where(prior > 0, prior, 1), 0.0)
    return product / product.sum(axis=1, keepdims=True)


def mask_tokens(rows, rate: float, mask_id: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Hide a random ``rate`` of the tokens of ``rows`` (S, T) behind ``mask_id``.

    Every row gets at least one mask. Returns ``(inputs (S, T), weights (S, T))``:
    the inputs with the chosen positions replaced, and 1.0 at exactly those
    positions (where the loss is taken), 0.0 elsewhere.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if not 0 < rate <= 1:
        raise ValueError(f"rate must be a fraction in (0, 1], got {rate!r}")
    chosen = rng.random(rows.shape) < rate
    chosen[np.arange(len(rows)), rng.integers(0, rows.shape[1], size=len(rows))] = True
    return np.where(chosen, mask_id, rows), chosen.astype(np.float32)


def masked_predictions(softmax_rows, net, windows, centre: int, mask_id: int) -> np.ndarray:
    """``P(x_c | window with x_c masked)``: (P, V). The true character is erased first."""
    windows = np.array(windows, dtype=np.int64)
    if not 0 <= centre < windows.shape[1]:
        raise ValueError(f"centre={centre} is outside windows of width {windows.shape[1]}")
    windows[:, centre] = mask_id
    return softmax_rows(net, windows, centre)


def next_token_predictions(softmax_rows, net, windows, centre: int) -> np.ndarray:
    """How notebook 04's kind of model predicts ``x_c``: from its output at ``c - 1``.

    ``net`` (N, T) -> logits (N, T, V) was trained to predict ``x_{t+1}`` at
    t, with a backward direction that reads the whole window, ``x_c``
    included. Returns (P, V).
    """
    if centre < 1:
        raise ValueError(f"centre={centre}: the output at centre - 1 must exist")
    return softmax_rows(net, np.asarray(windows, dtype=np.int64), centre - 1)


def substitution_sensitivity(predict, windows, symbols, num_swaps: int = 4,
                             seed: int = 0) -> np.ndarray:
    """How much the prediction moves when the character at one input position changes.

    ``predict``: windows (P, W) -> probabilities (P, V) for one target
    position. For every input position s, ``num_swaps`` times, the character
    at s of every window is replaced by a random other one of ``symbols`` (ids);
    the result is the mean total-variation distance ``0.5 * |p - p'|_1``
    between the two predictions: (W,), each in [0, 1]. Exactly 0 at s means
    that the prediction does not depend on the character at s.
    """
    windows = np.asarray(windows, dtype=np.int64)
    symbols = np.unique(np.asarray(symbols, dtype=np.int64))         # sorted, for searchsorted
    positive_int("num_swaps", num_swaps)
    if len(symbols) < 2:
        raise ValueError("symbols must hold at least two ids to swap between")
    rng = np.random.default_rng(seed)
    base = predict(windows)
    out = np.zeros(windows.shape[1])
    for s in range(windows.shape[1]):
        for _ in range(num_swaps):
            swapped = windows.copy()
            shift = rng.integers(1, len(symbols), size=len(windows))
            where = np.searchsorted(symbols, windows[:, s]).clip(0, len(symbols) - 1)
            swapped[:, s] = symbols[(where + shift) % len(symbols)]
            out[s] += 0.5 * np.abs(predict(swapped) - base).sum(axis=1).mean() / num_swaps
    return out


__all__ = ["combine_predictions", "every_position", "language_model_predictions", "mask_tokens",
           "masked_predictions", "next_token_predictions", "substitution_sensitivity"]
