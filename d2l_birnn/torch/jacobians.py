"""Which inputs does each output depend on? Jacobian norms from PyTorch's autograd, and their heatmaps."""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch


def jacobian_norms(f: Callable, X) -> np.ndarray:
    """``J[t, s] = || d o_t / d x_s ||`` (Frobenius norm), a NumPy array (T, T).

    ``f`` maps inputs (T, N, d) to outputs (T, N, q) (or a tuple whose first entry is
    that, as a :class:`~d2l_birnn.torch.scratch.BiRNNScratch` returns); ``X``: one
    sequence (T, d). The full Jacobian (T, q, T, d) comes from
    ``torch.autograd.functional.jacobian`` (reverse mode, vectorised).
    """
    if getattr(X, "ndim", None) != 2:
        raise ValueError(f"X must be one sequence of shape (T, d), got "
                         f"{tuple(getattr(X, 'shape', ())) or type(X).__name__}")

    def outputs(x):
        out = f(x[:, None, :])
        return (out[0] if isinstance(out, tuple) else out)[:, 0, :]  # (T, q)

    J = torch.autograd.functional.jacobian(outputs, X.detach(), vectorize=True)  # (T, q, T, d)
    return J.pow(2).sum(dim=(1, 3)).sqrt().cpu().numpy()                           # (t, s)


def dependency_maps(models: dict, X) -> dict:
    """{title: :func:`jacobian_norms` of that model on ``X``} for ``models`` {title: f}."""
    return {title: jacobian_norms(f, X) for title, f in models.items()}


def plot_dependency_heatmaps(models: dict, X, **kwargs):
    """Heatmaps of the dependency maps of ``models`` on ``X``, drawn by the core's
    :func:`d2l_birnn.plotting.plot_dependency_maps` (keyword arguments go to it).
    Returns the list of ``Axes``."""
    from ..plotting import plot_dependency_maps

    return plot_dependency_maps(dependency_maps(models, X), **kwargs)


__all__ = ["dependency_maps", "jacobian_norms", "plot_dependency_heatmaps"]
