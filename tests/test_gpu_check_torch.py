"""tools/gpu_check_torch.py on a machine without a GPU: the runs (on the CPU, small), the
comparisons and the summary's verdicts. The GPU check itself has not run here (no GPU)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import gpu_check_torch as check  # noqa: E402

SMALL = {"num_hiddens": 8, "max_tokens": 2000}


def run(ppls, sha="a", speed=1000.0, device="cuda:0"):
    return {"device": device, "perplexities": ppls, "params_sha256": sha, "tokens_per_sec": speed}


def runs(**changes):
    base = {"cpu": run([20.0, 10.0], "c", device="cpu"), "gpu": run([20.0, 10.1]),
            "gpu_again": run([20.0, 10.1]), "det": run([20.0, 10.1]), "det_again": run([20.0, 10.1])}
    return {**base, **changes}


def test_cpu_runs_in_fresh_processes_repeat_bit_for_bit():
    a = check.run_in_process("cpu", 2, **SMALL)
    b = check.run_in_process("cpu", 2, True, **SMALL)  # deterministic settings work on a CPU too
    assert "error" not in a, a
    assert len(a["perplexities"]) == 2 and a["tokens_per_sec"] > 0 and b["deterministic"]
    assert check.agree(a, b)


def test_a_failed_run_reports_its_error():
    result = check.run_in_process("cuda:7", 1, **SMALL)
    assert "is not available" in result["error"]
    text, status = check.summary(runs(gpu=result), 0.05)
    assert status == check.RUN_FAILED and "gpu: FAILED" in text


def test_summary_when_all_is_as_expected():
    text, status = check.summary(runs(gpu_again=run([20.0, 10.2], "b")), 0.05)
    assert status == 0
    assert "1.00% apart (tolerance 5%)" in text
    assert "PyTorch's defaults: differ" in text and "deterministic settings" in text
    assert ("deterministic settings (:4096:8, use_deterministic_algorithms, cudnn.deterministic): "
            "bitwise equal") in text


@pytest.mark.parametrize("change", [{"gpu": run([20.0, 12.0])}, {"det_again": run([20.0, 10.1], "z")}])
def test_summary_flags_a_gpu_off_the_cpu_or_deterministic_runs_that_differ(change):
    _, status = check.summary(runs(**change), 0.05)
    assert status == check.OFF


def test_summary_reports_the_notebook():
    _, status = check.summary(runs(), 0.05, {"ok": False, "seconds": 3.0})
    assert status == check.NOTEBOOK_FAILED
    text, _ = check.summary(runs(), 0.05, None)
    assert "notebook 04: not run" in text


def test_without_cuda_nothing_runs_and_the_status_says_so():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gpu_check_torch.py")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == check.NO_GPU
    assert "no CUDA GPU here" in result.stderr and "nothing ran" in result.stderr
