"""Compatibility of MXNet 1.9.1 with NumPy >= 1.24 (placeholder: see issue 8)."""

from __future__ import annotations


def patch_numpy() -> list[str]:
    """Restore what MXNet 1.9.1 needs from NumPy; a no-op on NumPy < 1.24."""
    return []
