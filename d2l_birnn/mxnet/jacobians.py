"""Which inputs does each output depend on? Jacobian norms of sequence models."""

from __future__ import annotations

from typing import Callable

import numpy as np


def jacobian_norms(f: Callable, X) -> np.ndarray:
    """``J[t, s] = || d o_t / d x_s ||`` (Frobenius norm), a NumPy array (T, T).

    ``f`` maps inputs (T, N, d) to outputs (T, N, q) and must treat the N
    sequences of a batch independently (every RNN does). ``X``: one sequence,
    (T, d). All T * q rows of the Jacobian come from a single backward pass:
    the sequence is repeated T * q times along the batch axis and copy
    ``t * q + k`` back-propagates only output ``o_t[k]``.
    """
    from mxnet import autograd
    from mxnet import np as mnp

    if getattr(X, "ndim", None) != 2:
        raise ValueError(f"X must be one sequence of shape (T, d), got "
                         f"{getattr(X, 'shape', type(X).__name__)}")
    T, d = X.shape
    probe = f(X[:, None, :])
    q = (probe[0] if isinstance(probe, tuple) else probe).shape[-1]
    Xb = mnp.broadcast_to(X[:, None, :], (T, T * q, d)).copy()
    Xb.attach_grad()
    pick = np.zeros((T, T * q, q), dtype="float32")
    for t in range(T):
        pick[t, t * q:(t + 1) * q, :] = np.eye(q)
    pick = mnp.array(pick, ctx=X.ctx)
    with autograd.record():
        out = f(Xb)
        out = out[0] if isinstance(out, tuple) else out
        (out * pick).sum().backward()
    grad = Xb.grad.asnumpy().reshape(T, T, q, d)            # (s, t, k, i)
    return np.sqrt((grad ** 2).sum(axis=(2, 3))).T         # (t, s)


__all__ = ["jacobian_norms"]
