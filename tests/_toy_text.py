"""A toy text shared by the two-sided tests of both editions and of the core (tests/test_blanks.py)."""

from __future__ import annotations

import numpy as np

V, MASK = 7, 1   # vocabulary size; id 0 is <unk>, id 1 is <mask>


def toy_rows(S=40, T=12, seed=0):
    """A repetitive toy text over ids 2..6 (0: <unk>, 1: <mask>), cut into rows."""
    rng = np.random.default_rng(seed)
    text = np.tile([2, 3, 4, 5, 6, 4, 3], S * T // 7 + 2)[: S * T]
    noise = rng.random(S * T) < 0.05
    text[noise] = rng.integers(2, V, size=noise.sum())
    return text.reshape(S, T)
