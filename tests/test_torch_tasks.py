"""d2l_birnn.torch.tasks: the MXNet edition's neutral task code, without Gluon, seeded by PyTorch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from d2l_birnn.torch import tasks  # noqa: E402


def test_masked_windows_hide_the_centre():
    X, y = tasks.masked_windows(np.arange(20), [5, 10], 2, 99)
    assert X.tolist() == [[3, 4, 99, 6, 7], [8, 9, 99, 11, 12]] and y.tolist() == [5, 10]
    with pytest.raises(ValueError, match="2 tokens on both sides"):
        tasks.masked_windows(np.arange(20), [1], 2, 99)


def test_over_seeds_seeds_pytorch_before_each_run():
    draws = tasks.over_seeds(lambda seed: float(torch.rand(1)), seeds=[3, 4])
    again = tasks.over_seeds(lambda seed: float(torch.rand(1)), seeds=[3, 4])
    assert draws == again and draws[0] != draws[1]
    assert tasks.SEEDS == (0, 1, 2) and tasks.MASK == "<mask>"


def test_loading_them_never_imports_mxnet():
    code = "import sys; from d2l_birnn.torch import tasks; print('mxnet' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "False", out.stderr
