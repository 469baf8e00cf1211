"""Exercises judged in the PyTorch edition without MXNet give the MXNet edition's answers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("mxnet")

from d2l_birnn import exercises  # noqa: E402

NAMES = ("_birnn_h_shape", "_bigru_parameters", "_layer2_input_weights")


def test_pytorch_and_mxnet_give_the_same_answers():
    code = ("import sys, json; sys.modules['mxnet'] = None; from d2l_birnn import torch; "
            "from d2l_birnn import exercises as e; "
            f"print(json.dumps([getattr(e, n)() for n in {NAMES!r}]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    in_torch = json.loads(out.stdout.strip().splitlines()[-1])
    in_mxnet = [getattr(exercises, n)() for n in NAMES]
    assert [list(a) if isinstance(a, tuple) else a for a in in_mxnet] == in_torch
