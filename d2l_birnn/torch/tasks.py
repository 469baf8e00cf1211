"""The fill-in task's windows and the seed loop for the PyTorch edition, without Gluon.

:mod:`d2l_birnn.tasks` (the MXNet edition's tasks) imports its Gluon models when it loads.
Two of its files are framework-neutral: ``datasets.py`` (the masked windows around each
blank) and ``seeds.py`` (one run per seed). This module loads those two files as they are,
without the package's ``__init__``, so the PyTorch edition uses the same code and never
imports MXNet; :func:`over_seeds` seeds PyTorch (:func:`d2l_birnn.torch.set_seed`) before
each run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .runtime import set_seed

_TASKS = Path(__file__).resolve().parent.parent / "tasks"


def _load(name: str):
    """``d2l_birnn/tasks/<name>.py`` as a module, without running ``tasks/__init__.py``."""
    spec = importlib.util.spec_from_file_location(f"d2l_birnn.tasks.{name}", _TASKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_datasets, _seeds = _load("datasets"), _load("seeds")
_seeds.set_seed = set_seed          # each run seeds PyTorch, NumPy and Python's random

MASK = _datasets.MASK
masked_windows = _datasets.masked_windows
SEEDS = _seeds.SEEDS
over_seeds = _seeds.over_seeds
per_seed = _seeds.per_seed

__all__ = ["MASK", "SEEDS", "masked_windows", "over_seeds", "per_seed"]
