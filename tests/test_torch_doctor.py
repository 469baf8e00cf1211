"""d2l_birnn.torch.doctor: the PyTorch edition's environment report."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("torch")

from d2l_birnn.i18n import msg  # noqa: E402
from d2l_birnn.torch import doctor  # noqa: E402


def test_the_report_names_pytorch_its_gpus_and_threads():
    import torch

    facts, _ = doctor.collect()
    rows = dict(facts)
    assert rows[msg("doctor.torch")].startswith(torch.__version__)
    assert rows[msg("doctor.torch.gpus")] == str(torch.cuda.device_count())
    assert rows[msg("doctor.threads")].startswith(f"{torch.get_num_threads()} (")
    assert msg("doctor.mxnet") not in rows and msg("doctor.d2l") not in rows


def test_a_pytorch_that_does_not_import_is_a_problem_with_its_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    facts, problems = doctor.collect()
    assert dict(facts)[msg("doctor.torch")].startswith(msg("doctor.mxnet.fails", error="")[:5])
    assert msg("doctor.fix.torch") in problems


def test_the_report_never_imports_mxnet():
    code = ("import sys; from d2l_birnn.torch.doctor import run_doctor; run_doctor(); "
            "print('mxnet' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr
