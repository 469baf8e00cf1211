"""d2l_birnn.runtime: quick/full mode, seeds, threads chosen before MXNet loads."""

import os
import random
import subprocess
import sys

import numpy
import pytest
from mxnet import np

import d2l_birnn as d2l
from d2l_birnn import runtime


@pytest.mark.parametrize("value,quick", [("1", True), ("true", True), ("0", False), ("", False)])
def test_budget_follows_the_switch(monkeypatch, value, quick):
    monkeypatch.setenv(runtime.QUICK_ENV, value)
    assert d2l.is_quick() is quick
    assert d2l.budget(full=500, quick=3) == (3 if quick else 500)
    assert d2l.mode_name() == ("quick" if quick else "full")


def test_unknown_mode_value_is_refused(monkeypatch):
    monkeypatch.setenv(runtime.QUICK_ENV, "maybe")
    with pytest.raises(ValueError, match="set it to 1 for quick mode"):
        d2l.budget(full=1, quick=2)


def test_set_seed_repeats_python_numpy_and_mxnet():
    def draw():
        return random.random(), numpy.random.rand(), float(np.random.uniform())

    d2l.set_seed(11)
    first = draw()
    d2l.set_seed(11)
    assert draw() == first


def _env_in_child(env):
    code = ("import os, d2l_birnn, mxnet; from d2l_birnn import runtime; "
            "print(os.environ.get('OMP_NUM_THREADS'), os.environ.get('GOMP_SPINCOUNT'), "
            "runtime.APPLIED_THREADS)")
    clean = {k: v for k, v in os.environ.items()
             if k not in ("OMP_NUM_THREADS", "GOMP_SPINCOUNT", runtime.THREADS_ENV)}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, check=True,
                         capture_output=True, text=True).stdout.split(None, 2)
    return out


def test_threads_are_chosen_for_the_machine():
    omp, spin, applied = _env_in_child({})
    assert omp == str(runtime.available_cores()) and spin == "10000"
    assert "OMP_NUM_THREADS" in applied


def test_users_thread_setting_is_respected():
    omp, spin, applied = _env_in_child({"OMP_NUM_THREADS": "1", "GOMP_SPINCOUNT": "5"})
    assert (omp, spin) == ("1", "5") and applied.strip() == "{}"


def test_mxnet_default_threads_on_request():
    omp, spin, _ = _env_in_child({runtime.THREADS_ENV: "mxnet-default"})
    assert (omp, spin) == ("None", "None")


def test_describe_run_says_machine_and_mode(monkeypatch):
    monkeypatch.setenv(runtime.QUICK_ENV, "1")
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    line = d2l.describe_run()
    assert "CPU cores" in line and "MXNet 1.9.1" in line and line.endswith("quick mode")
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")          # the Chinese edition's line
    line = d2l.describe_run()
    assert "个 CPU 核" in line and "MXNet 1.9.1" in line and line.endswith("| 快速模式")
    assert d2l.describe_run(lang="en").endswith("quick mode")


def test_the_run_line_names_the_cpu_model(tmp_path, monkeypatch):
    """Seeded runs can differ between CPU models, so the run line says which one ran."""
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: GenuineIntel\n"
                       "model name\t: Intel(R) Xeon(R)   CPU @ 2.20GHz\n\n"
                       "processor\t: 1\nmodel name\t: Intel(R) Xeon(R)   CPU @ 2.20GHz\n")
    assert runtime.cpu_model(str(cpuinfo)) == "Intel(R) Xeon(R) CPU @ 2.20GHz"
    monkeypatch.setattr("platform.processor", lambda: "arm")
    assert runtime.cpu_model(str(tmp_path / "absent")) == "arm"     # macOS, Windows
    (tmp_path / "empty").write_text("processor\t: 0\n")
    monkeypatch.setattr("platform.processor", lambda: "")
    assert runtime.cpu_model(str(tmp_path / "empty")) == "unknown CPU"
    monkeypatch.undo()
    for lang in ("en", "zh"):
        assert f" {runtime.cpu_model()}" in d2l.describe_run(lang=lang).replace("，", " ")


def test_quick_mode_says_its_numbers_differ_from_the_text(monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    monkeypatch.setenv(runtime.QUICK_ENV, "1")
    notice = d2l.quick_mode_notice()
    assert notice.startswith("quick mode") and "full-mode run" in notice
    monkeypatch.setenv(runtime.QUICK_ENV, "0")
    assert d2l.quick_mode_notice() == ""


def test_full_mode_value_is_shown_in_quick_mode_only(monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    monkeypatch.setenv(runtime.QUICK_ENV, "1")
    assert d2l.full_mode_value(1.16) == " (full mode: 1.16)"
    assert d2l.full_mode_value(1.16, "perplexity") == " (full mode: perplexity 1.16)"
    assert d2l.full_mode_value(0.976, fmt=".1%") == " (full mode: 97.6%)"
    assert f"perplexity {3.914:.2f}{d2l.full_mode_value(1.16)}" == "perplexity 3.91 (full mode: 1.16)"
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert d2l.full_mode_value(1.16, "perplexity") == "（完整模式：perplexity 1.16）"
    assert d2l.quick_mode_notice().startswith("快速模式")
    assert runtime.QUICK_MODE_NOTICE.startswith("quick mode"), "the constant stays English"
    monkeypatch.setenv(runtime.QUICK_ENV, "")
    assert d2l.full_mode_value(1.16, "perplexity", ".2f") == ""
