"""Argument checks shared by the whole package: one place that says what a count must be."""

from __future__ import annotations

import numbers


def check_int(name: str, value, minimum: int = 1, hint: str = ""):
    """Return ``value`` if it is an integer (Python or NumPy, not a bool) ``>= minimum``.

    Otherwise raise ``ValueError`` naming the argument, e.g. ``"num_steps must be a
    positive int, got 0"``; ``hint`` (e.g. ``" (characters on each side)"``) is
    added after what is expected.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        wanted = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{name} must be {wanted}{hint}, got {value!r}")
    return value


def positive_int(name: str, value, hint: str = ""):
    """``value`` if it is an int >= 1, else ``ValueError`` (see :func:`check_int`)."""
    return check_int(name, value, 1, hint)


def nonnegative_int(name: str, value, hint: str = ""):
    """``value`` if it is an int >= 0, else ``ValueError`` (see :func:`check_int`)."""
    return check_int(name, value, 0, hint)


__all__ = ["check_int", "nonnegative_int", "positive_int"]
