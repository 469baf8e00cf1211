"""Repeating a comparison over seeds, MXNet seeded: :func:`d2l_birnn.seeds.over_seeds` with
this edition's ``set_seed`` (MXNet, NumPy and Python's ``random``)."""

from __future__ import annotations

from ...runtime import set_seed
from ...seeds import SEEDS, per_seed
from ...seeds import over_seeds as _over_seeds


def over_seeds(run, seeds=SEEDS, report=None) -> list:
    """``[run(seed) for seed in seeds]``, every run started by MXNet's ``set_seed(seed)``
    (:func:`d2l_birnn.seeds.over_seeds`)."""
    return _over_seeds(run, seeds, report, set_seed=set_seed)


__all__ = ["SEEDS", "over_seeds", "per_seed"]
