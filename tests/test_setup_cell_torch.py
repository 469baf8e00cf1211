"""The PyTorch editions' setup cell (tools/setup_cell.py, framework "torch"): on Colab it installs
only this package (Colab has PyTorch), and for Chinese the CJK font; elsewhere it sets the language."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import setup_cell  # noqa: E402


def run_cell(monkeypatch, source: str, colab: bool) -> dict:
    calls = {"pip": [], "run_path": []}
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls["pip"].append(args))

    def run_path(path):
        calls["run_path"].append(Path(path).name)
        return {"install_cjk_font": lambda: "font installed"}

    monkeypatch.setattr(runpy, "run_path", run_path)
    monkeypatch.delenv("D2L_BIRNN_SOURCE", raising=False)
    monkeypatch.setenv("D2L_BIRNN_LANG", "xx")   # restored after the test (the cell sets it)
    exec(compile(source, "setup_cell.py", "exec"), {})
    return calls


@pytest.mark.parametrize("language", ["en", "zh"])
def test_on_colab_it_installs_only_this_package(monkeypatch, language):
    calls = run_cell(monkeypatch, setup_cell.setup_cell_source(language, "torch"), colab=True)
    [args] = calls["pip"]
    assert args[-1] == "git+" + setup_cell.REPOSITORY and "--no-deps" in args
    assert not any("torch" in a or "mxnet" in a for a in args)     # Colab's torch stays
    assert calls["run_path"] == (["colab.py"] if language == "zh" else [])   # the font, for zh
    assert os.environ["D2L_BIRNN_LANG"] == language


def test_elsewhere_it_only_sets_the_language(monkeypatch):
    calls = run_cell(monkeypatch, setup_cell.setup_cell_source("zh", "torch"), colab=False)
    assert calls == {"pip": [], "run_path": []} and os.environ["D2L_BIRNN_LANG"] == "zh"


def test_the_cell_is_short_and_an_unknown_framework_is_refused():
    lines = [line for line in setup_cell.setup_cell_source("en", "torch").splitlines() if line.strip()]
    assert len(lines) <= 14 and all(len(line) <= 100 for line in lines)
    with pytest.raises(ValueError, match="no setup cell for framework 'jax'"):
        setup_cell.setup_cell_source("en", "jax")
