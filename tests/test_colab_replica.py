"""tools/colab_replica.py: the Colab replica's pins and parts (the replica itself runs in CI:
`make colab-replica`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import colab_replica  # noqa: E402

SHARED = ROOT.parent / "shared" / "colab-runtime"

FREEZE = """# Do not modify this file directly
absl-py==1.4.0
jupyter_kernel_gateway @ git+https://github.com/googlecolab/kernel_gateway@b134e99
Jupyter_Client==7.4.9
numpy==2.1.3
"""


def test_parse_freeze_reads_pins_and_skips_urls_and_comments():
    assert colab_replica.parse_freeze(FREEZE) == {
        "absl-py": "1.4.0", "jupyter-client": "7.4.9", "numpy": "2.1.3"}


def test_pins_from_freeze_names_what_is_missing():
    with pytest.raises(ValueError, match="no version of .*matplotlib"):
        colab_replica.pins_from_freeze(FREEZE)
    full = FREEZE + "".join(f"{p}==1.0\n" for p in colab_replica.PACKAGES if p not in
                            ("numpy", "jupyter_client"))
    pins = colab_replica.pins_from_freeze(full)
    assert pins[0] == "numpy==2.1.3" and "jupyter_client==7.4.9" in pins
    assert len(pins) == len(colab_replica.PACKAGES)


@pytest.mark.parametrize("runtime, python, numpy", [("current", "3.13", "2.1.3"),
                                                    ("2026.07", "3.12", "2.0.2")])
def test_committed_pins_are_colabs_versions(runtime, python, numpy):
    have_python, pins = colab_replica.read_pins(runtime)
    assert have_python == python and f"numpy=={numpy}" in pins
    # the facts Google publishes for both runtimes (../shared/colab-runtime/README.md)
    for pin in ("ipython==7.34.0", "matplotlib==3.10.0", "ipykernel==6.17.1",
                "ipywidgets==7.7.1"):
        assert pin in pins
    assert [p.split("==")[0] for p in pins] == list(colab_replica.PACKAGES)


def test_committed_pins_agree_with_googles_freezes():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not beside this clone")
    assert colab_replica.check(SHARED) == []


def test_check_reports_a_stale_pin(tmp_path):
    (tmp_path / "pip-freeze.txt").write_text(
        "\n".join(f"{p}==9.9" for p in colab_replica.PACKAGES) + "\n")
    [problem] = colab_replica.check(tmp_path)
    assert "current.txt differs" in problem and "colab_replica.py pins" in problem


def test_fakes_make_google_colab_importable_in_a_kernel_that_imports_it(tmp_path, monkeypatch):
    venv = tmp_path / "venv"
    monkeypatch.setattr(colab_replica, "site_packages", lambda v: tmp_path / "site")
    colab_replica.install_fakes(venv)
    assert not (tmp_path / "site" / "google" / "__init__.py").exists(), "namespace package"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import google.colab; "
            "print(google.colab.__doc__)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "site")],
                         capture_output=True, text=True, check=True).stdout
    assert "Colab replica" in out
    startup = venv / "ipython" / "profile_default" / "startup" / "00-google-colab.py"
    assert startup.read_text().startswith("import google.colab")
    spec = json.loads((venv / "share" / "jupyter" / "kernels" / "colab-replica" /
                       "kernel.json").read_text())
    assert spec["argv"][0] == str(venv / "bin" / "python")
    assert spec["env"]["IPYTHONDIR"] == str(venv / "ipython")


def test_replica_runs_this_clone_in_quick_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    env = colab_replica.replica_env(tmp_path)
    assert env["D2L_BIRNN_SOURCE"] == str(ROOT) and env["D2L_BIRNN_QUICK"] == "1"
    assert env["PATH"].startswith(str(tmp_path / "bin")) and "PYTHONPATH" not in env


def test_build_refuses_a_python_of_another_version(tmp_path, monkeypatch):
    monkeypatch.setattr(colab_replica, "python_version", lambda python: "3.11")
    with pytest.raises(SystemExit, match="runs Python 3.13.*Python 3.13"):
        colab_replica.build("current", "python3.11", tmp_path / "v")
    assert not (tmp_path / "v").exists()


def test_setup_messages_of_an_executed_notebook(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": "# x"},
                    {"cell_type": "code", "outputs": [{"output_type": "stream", "text": [
                        "noise\n", "d2l-birnn: MXNet 1.9.1 runs on the CPU (no GPU).\n"]}]}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert colab_replica.setup_messages(path) == ["d2l-birnn: MXNet 1.9.1 runs on the CPU (no GPU)."]


def test_makefile_and_ci_run_the_replica():
    makefile = (ROOT / "Makefile").read_text()
    assert "colab-replica:" in makefile and "tools/colab_replica.py run" in makefile
    assert "make colab-replica" in (ROOT / ".ci" / "run").read_text()


def test_the_pytorch_replica_adds_colabs_torch_to_the_pins_and_runs_the_pytorch_edition(tmp_path):
    pins = colab_replica.read_pins("current")[1]
    torch_pins = colab_replica.replica_pins("current", "torch")
    assert torch_pins == [*pins, "torch==2.11.0"]
    wheel = tmp_path / "torch-2.11.0+cpu-cp313-cp313-linux_x86_64.whl"
    assert colab_replica.replica_pins("current", "torch", wheel)[-1] == str(wheel)
    assert colab_replica.replica_pins("current") == pins
    assert colab_replica.venv_path("current", "torch").name == ".venv-colab-current-torch"
    assert colab_replica.venv_path("current").name == ".venv-colab-current"
    written = sorted((ROOT / "notebooks" / "pytorch").glob("[0-9]*.ipynb"))
    assert colab_replica.default_notebooks("torch") == written
    assert all(p.parent.name == "notebooks" for p in colab_replica.default_notebooks())
    with pytest.raises(SystemExit, match="--framework 'jax'"):
        colab_replica.replica_pins("current", "jax")


def test_colabs_torch_version_is_read_from_googles_freeze(tmp_path):
    url = "torch @ https://download.pytorch.org/whl/cpu/torch-2.11.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl"
    assert colab_replica.torch_in_freeze(f"numpy==2.1.3\n{url}\ntorchao==0.10.0\n") == "2.11.0"
    assert colab_replica.torch_in_freeze("torch==2.9.1\n") == "2.9.1"
    assert colab_replica.torch_in_freeze("torchvision==0.26.0\n") is None
    shared = tmp_path / "shared"
    shared.mkdir()
    freeze = (colab_replica.SHARED / "pip-freeze.txt")
    if not freeze.exists():
        pytest.skip("Google's freeze is not beside this clone (../shared/colab-runtime)")
    text = freeze.read_text(encoding="utf-8").replace("torch-2.11.0%2Bcpu", "torch-2.12.0%2Bcpu")
    (shared / "pip-freeze.txt").write_text(text, encoding="utf-8")
    assert any("torch 2.12.0, TORCH_VERSIONS says 2.11.0" in p for p in colab_replica.check(shared))


def test_makefile_and_ci_run_the_pytorch_replica():
    makefile = (ROOT / "Makefile").read_text()
    assert "colab-replica-torch:" in makefile and "--framework torch" in makefile
    assert "colab-replica-both:" in makefile and "--framework both" in makefile
    assert "make colab-replica-both" in (ROOT / ".ci" / "run").read_text()


def test_both_runs_the_pytorch_editions_first_in_colabs_runtime_with_torch(tmp_path):
    """Colab as it is: torch preinstalled; the PyTorch notebooks see no MXNet (they run first),
    the MXNet notebooks' setup cells add it beside torch. One environment, one torch install."""
    assert colab_replica.replica_pins("current", "both") == colab_replica.replica_pins("current", "torch")
    assert colab_replica.venv_path("current", "both") == colab_replica.venv_path("current", "torch")
    both = colab_replica.default_notebooks("both")
    assert both == colab_replica.default_notebooks("torch") + colab_replica.default_notebooks()
    out = tmp_path / "out"
    paths = {colab_replica.output_path(out, nb) for nb in both}
    assert len(paths) == len(both), "pytorch/04_x and 04_x must not overwrite each other"
    assert colab_replica.output_path(out, ROOT / "notebooks" / "pytorch" / "00_x.ipynb") \
        == out / "pytorch" / "00_x.ipynb"
    assert colab_replica.output_path(out, tmp_path / "y.ipynb") == out / "y.ipynb"


def test_a_timed_out_notebook_runs_once_more_and_says_so(tmp_path, monkeypatch, capsys):
    """The nbclient wait (README): a reply that never comes gets one more try, never more."""
    monkeypatch.setattr(colab_replica, "build", lambda *a: None)
    monkeypatch.setattr(colab_replica, "ROOT", tmp_path)
    codes = {"a.ipynb": [colab_replica.TIMED_OUT, 0], "b.ipynb": [colab_replica.TIMED_OUT] * 3,
             "c.ipynb": [1]}
    calls = []

    def run_one(venv, notebook, out, timeout):
        calls.append(notebook.name)
        return subprocess.CompletedProcess([], codes[notebook.name].pop(0), "",
                                           "CellTimeoutError\nwidgets.interact(show)\n")

    monkeypatch.setattr(colab_replica, "run_one", run_one)
    assert colab_replica.run("current", "py", [Path("a.ipynb")], 300) == 0
    assert colab_replica.run("current", "py", [Path("b.ipynb")], 300) == 1
    assert colab_replica.run("current", "py", [Path("c.ipynb")], 300) == 1
    assert calls == ["a.ipynb", "a.ipynb", "b.ipynb", "b.ipynb", "c.ipynb"]
    out = capsys.readouterr().out
    assert out.count("running it again") == 2 and "widgets.interact(show)" in out
    assert "a.ipynb: ok" in out and "b.ipynb: FAILED" in out and "c.ipynb: FAILED" in out


def test_poll_in_slices_looks_again_every_slice_and_keeps_the_deadline():
    """The nbclient wait's remedy: a reply that a poll missed is seen at the next slice."""
    import asyncio
    import queue
    import time

    waits = []

    def fake_get_msg(polls_before_reply):
        async def get_msg(timeout=None):
            waits.append(timeout)
            if len(waits) <= polls_before_reply:
                await asyncio.sleep(timeout)
                raise queue.Empty
            return {"msg_type": "execute_reply"}
        return get_msg

    sliced = colab_replica.poll_in_slices(fake_get_msg(3), slice_seconds=0.01)
    assert asyncio.run(sliced(timeout=300)) == {"msg_type": "execute_reply"}
    assert waits == [0.01] * 4, "never one long poll of the whole timeout"
    waits.clear()
    sliced = colab_replica.poll_in_slices(fake_get_msg(10 ** 6), slice_seconds=0.01)
    start = time.monotonic()
    with pytest.raises(queue.Empty):
        asyncio.run(sliced(timeout=0.05))
    assert 0.05 <= time.monotonic() - start < 1 and max(waits) <= 0.01
    waits.clear()
    assert asyncio.run(colab_replica.poll_in_slices(fake_get_msg(2), 0.01)(timeout=None)) \
        and waits == [0.01] * 3, "no timeout: slices for ever, until the reply"
