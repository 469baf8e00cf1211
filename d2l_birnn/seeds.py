"""Repeating a comparison over seeds, so that a difference is shown with its spread.

One training run is one draw: its initial weights and its minibatches come from
a seed. A comparison stated as a fact ("the bidirectional model is better") is
run for each of :data:`SEEDS`, and the notebooks print every seed's result and
the spread (``fill_in.seed_spread``, ``fill_in.accuracy_text``). Framework-free:
each edition's ``tasks.over_seeds`` passes its own ``set_seed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

#: The seeds of every multi-seed comparison in the notebooks (at least three).
SEEDS = (0, 1, 2)

Result = TypeVar("Result")


def over_seeds(run: Callable[[int], Result], seeds: Sequence[int] = SEEDS,
               report: Callable[[int, Result], None] | None = None, *,
               set_seed: Callable[[int], None]) -> list[Result]:
    """``[run(seed) for seed in seeds]``, every run started by ``set_seed(seed)``.

    ``set_seed`` is the edition's (it seeds MXNet or PyTorch, NumPy and Python's
    ``random``): each edition's ``tasks.over_seeds`` passes its own.

    ``run(seed)`` trains and scores once (it should pass ``seed`` on to whatever
    draws minibatches); ``report(seed, result)``, if given, is called after each
    run (to print it while the next one trains). Seeds must be distinct ints.
    """
    seeds = list(seeds)
    if not seeds or not all(isinstance(s, int) and s >= 0 for s in seeds) or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct non-negative ints, at least one; got {seeds!r}")
    results = []
    for seed in seeds:
        set_seed(seed)
        result = run(seed)
        if report is not None:
            report(seed, result)
        results.append(result)
    return results


def per_seed(results: Sequence[dict], key: str) -> list:
    """``[r[key] for r in results]``: one result of every seed's run (a KeyError names the keys)."""
    try:
        return [r[key] for r in results]
    except KeyError:
        raise KeyError(f"{key!r} is not a result of these runs; they have {sorted(results[0])}") from None


__all__ = ["SEEDS", "over_seeds", "per_seed"]
