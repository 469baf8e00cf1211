"""tools/gpu_check.sh and tools/gpu_check.py, on a machine without a GPU (fakes stand in for
Colab's setup steps; the CPU benchmark runs for real)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import gpu_check  # noqa: E402

SCRIPT = ROOT / "tools" / "gpu_check.sh"


def run_script(tmp_path, nvidia_smi: str | None):
    """gpu_check.sh with PATH holding only a fake nvidia-smi (or none) and the basic tools."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("grep", "dirname"):
        (bin_dir / tool).symlink_to(subprocess.check_output(["which", tool], text=True).strip())
    if nvidia_smi is not None:
        (bin_dir / "nvidia-smi").write_text(f"#!/bin/sh\n{nvidia_smi}\n")
        (bin_dir / "nvidia-smi").chmod(0o755)
    venv = tmp_path / "venv"
    result = subprocess.run(["/bin/bash", str(SCRIPT)], capture_output=True, text=True,
                            env={"PATH": str(bin_dir), "VENV": str(venv), "HOME": str(tmp_path)})
    return result, venv


@pytest.mark.parametrize("nvidia_smi, reason", [
    (None, "nvidia-smi is not installed"),
    ("echo 'No devices were found'; exit 6", "lists none"),
    ("exit 0", "lists none"),
])
def test_script_without_a_gpu_says_so_and_installs_nothing(tmp_path, nvidia_smi, reason):
    result, venv = run_script(tmp_path, nvidia_smi)
    assert result.returncode == gpu_check.NO_GPU == 3
    assert "no NVIDIA GPU found" in result.stderr and reason in result.stderr
    assert not venv.exists()


class FakeColab(dict):
    def __init__(self, gpu, build="gpu", error=None):
        class SetupError(RuntimeError):
            pass

        def install(name):
            self.installed_for = name
            if error:
                raise SetupError(error)
            return build

        super().__init__(gpu_name=lambda: gpu, install=install, SetupError=SetupError)


NOTEBOOK_OK = {"ok": True, "seconds": 31.0, "out": "build/gpu-check/04_bilstm_gluon.ipynb"}


def test_no_gpu_stops_before_installing(capsys):
    colab = FakeColab(gpu=None)
    assert gpu_check.main(colab, bench_fn=pytest.fail, notebook_fn=pytest.fail) == 3
    assert "no NVIDIA GPU" in capsys.readouterr().out and not hasattr(colab, "installed_for")


def test_the_gpu_path_reports_tokens_per_second(capsys):
    colab = FakeColab(gpu="Tesla T4")
    status = gpu_check.main(colab, bench_fn=lambda build: {"device": "gpu(0)",
                                                           "tokens_per_s": 123456.7},
                            notebook_fn=lambda: NOTEBOOK_OK)
    out = capsys.readouterr().out
    assert status == 0 and colab.installed_for == "Tesla T4"
    assert "on gpu(0): 123,457 tokens/s" in out and "FELL BACK" not in out
    assert "notebook 04, quick mode: ok in 31 s" in out


def test_a_fallback_to_the_cpu_is_said_and_has_its_own_exit_status(capsys):
    benched = []
    status = gpu_check.main(FakeColab(gpu="NVIDIA B200", build="cpu"),
                            bench_fn=lambda build: benched.append(build) or
                            {"device": "cpu(0)", "tokens_per_s": 9000.0},
                            notebook_fn=lambda: NOTEBOOK_OK)
    assert status == gpu_check.FELL_BACK == 4 and benched == ["cpu"]
    assert "FELL BACK TO THE CPU" in capsys.readouterr().out


def test_setup_and_notebook_failures_have_their_own_exit_status(capsys):
    assert gpu_check.main(FakeColab(gpu="Tesla T4", error="no network"), pytest.fail,
                          pytest.fail) == 1
    assert "setup failed: no network" in capsys.readouterr().out
    failed = {**NOTEBOOK_OK, "ok": False, "error": "CellExecutionError: boom"}
    status = gpu_check.main(FakeColab(gpu="Tesla T4"),
                            lambda build: {"device": "gpu(0)", "error": "cuDNN"}, lambda: failed)
    out = capsys.readouterr().out
    assert status == 5 and "FAILED" in out and "boom" in out and "failed (cuDNN)" in out


def test_benchmark_runs_for_real_on_the_cpu():
    result = gpu_check.run_bench("cpu", steps=1)
    assert result.get("device") == "cpu(0)", result
    assert result["tokens_per_s"] > 0


def test_makefile_target_runs_the_script():
    assert "gpu-check: gpu-check-torch\n\tbash tools/gpu_check.sh" in (ROOT / "Makefile").read_text()
    assert os.access(SCRIPT, os.X_OK)
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
