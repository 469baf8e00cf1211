"""Colab support: the notebooks' setup cell, d2l_birnn.colab, tools/sync_setup_cell.py.

Colab itself is not reachable from here: its side is simulated (a fake
``google.colab`` module, recorded pip calls), and the parts that can run for
real do (the CPU check of MXNet, preloading real shared libraries by path).
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import nbformat
import pytest

from d2l_birnn import colab

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402
import sync_setup_cell  # noqa: E402

SETUP_CELL = setup_cell.setup_cell_source()

# ---------------------------------------------------------------------------
# The setup cell
# ---------------------------------------------------------------------------


def test_setup_cell_does_nothing_outside_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)

    def forbidden(*args, **kwargs):
        raise AssertionError(f"the setup cell ran {args} outside Colab")

    monkeypatch.setattr(subprocess, "run", forbidden)
    monkeypatch.setattr(runpy, "run_path", forbidden)
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    namespace: dict = {}
    exec(compile(SETUP_CELL, "setup_cell.py", "exec"), namespace)
    assert set(namespace) - {"__builtins__"} == {"os", "sys"}
    assert os.environ["D2L_BIRNN_LANG"] == "en"  # the cell sets its edition's language, nothing else


def test_zh_setup_cell_sets_chinese_outside_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    exec(compile(setup_cell.setup_cell_source("zh"), "setup_cell.py", "exec"), {})
    assert os.environ["D2L_BIRNN_LANG"] == "zh"


def run_cell_on_fake_colab(monkeypatch, source: str) -> dict:
    """Run a setup cell with google.colab present, recording pip and colab.setup calls."""
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    calls = {"pip": [], "run_path": [], "setup": [], "lang": []}
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls["pip"].append((args, kw)))

    def run_path(path):
        calls["run_path"].append(path)
        return {"setup": lambda: calls["setup"].append(os.environ[colab.LANG_ENV])}

    monkeypatch.setattr(runpy, "run_path", run_path)
    exec(compile(source, "setup_cell.py", "exec"), {})
    return calls


@pytest.mark.parametrize("language", ["en", "zh"])
def test_setup_cell_on_colab_installs_the_package_then_runs_colab_setup(monkeypatch, language):
    monkeypatch.delenv(colab.SOURCE_ENV, raising=False)
    monkeypatch.setenv(colab.LANG_ENV, "xx")
    calls = run_cell_on_fake_colab(monkeypatch, setup_cell.setup_cell_source(language))
    [(args, kwargs)] = calls["pip"]
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert "--no-deps" in args and "--ignore-requires-python" in args
    assert args[-1] == "git+https://github.com/d2l-birnn/d2l-birnn" and kwargs == {"check": True}
    assert [Path(p).resolve() for p in calls["run_path"]] == [ROOT / "d2l_birnn" / "colab.py"]
    assert calls["setup"] == [language], "colab.setup sees the notebooks' language"


def test_setup_cell_installs_from_the_source_given(monkeypatch, tmp_path):
    """The Colab replica installs the package from a local clone."""
    monkeypatch.setenv(colab.SOURCE_ENV, str(tmp_path))
    calls = run_cell_on_fake_colab(monkeypatch, SETUP_CELL)
    assert calls["pip"][0][0][-1] == str(tmp_path)


def test_setup_cell_is_a_short_collapsed_form_cell():
    lines = [line for line in SETUP_CELL.splitlines() if line.strip()]
    assert len(lines) <= 14, "keep the logic in d2l_birnn/colab.py"
    assert lines[0] == '# @title Setup (runs only on Google Colab) { display-mode: "form" }'
    assert all(len(line) <= 100 for line in lines)
    compile(SETUP_CELL, "setup_cell.py", "exec")


def test_setup_cells_of_two_languages_differ_only_in_words_and_the_language():
    en, zh = setup_cell.setup_cell_source("en"), setup_cell.setup_cell_source("zh")
    compile(zh, "setup_cell.py", "exec")
    differ = [(a, b) for a, b in zip(en.splitlines(), zh.splitlines()) if a != b]
    assert len(en.splitlines()) == len(zh.splitlines())
    assert all(a.startswith("#") and b.startswith("#") or "D2L_BIRNN_LANG" in a
               for a, b in differ), differ
    assert 'os.environ["D2L_BIRNN_LANG"] = "zh"' in zh
    with pytest.raises(ValueError, match="no setup cell text for language 'fr'.*TEXTS"):
        setup_cell.setup_cell_source("fr")


def test_colab_py_runs_as_a_file_with_the_standard_library_only():
    """The setup cell runs colab.py before anything else is installed."""
    code = ("import sys, runpy; sys.modules['numpy'] = None; sys.modules['mxnet'] = None; "
            "sys.modules['d2l_birnn'] = None; "
            "g = runpy.run_path(sys.argv[1]); print(g['setup']())")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "d2l_birnn" / "colab.py")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not colab"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_starts_with_the_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code_cells, f"{path.name} has no code cell"
    assert code_cells[0].metadata.get("cellView") == "form", "run 'make sync-setup-cell'"
    assert code_cells[0].source.rstrip("\n") == SETUP_CELL.rstrip("\n"), (
        f"{path.name}'s first code cell is not tools/setup_cell.py: run 'make sync-setup-cell'")


# ---------------------------------------------------------------------------
# tools/sync_setup_cell.py
# ---------------------------------------------------------------------------


def make_notebook(path: Path, first_code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99: A test"),
                nbformat.v4.new_code_cell(first_code, execution_count=1, outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="old\n")]),
                nbformat.v4.new_code_cell("x = 1\nx", execution_count=2, outputs=[
                    nbformat.v4.new_output("execute_result", data={"text/plain": "1"},
                                           execution_count=2)])]
    nbformat.write(nb, path)


def test_sync_rewrites_only_the_setup_cells_source(tmp_path):
    path = tmp_path / "99_test.ipynb"
    make_notebook(path, "# old setup\nimport sys\nif 'google.colab' in sys.modules:\n    pass")
    before = nbformat.read(path, as_version=4)
    assert sync_setup_cell.main([str(path)]) == 0
    after = nbformat.read(path, as_version=4)
    assert after.cells[1].source == SETUP_CELL.rstrip("\n")
    assert after.cells[1].outputs == before.cells[1].outputs
    assert after.cells[1].id == before.cells[1].id
    assert after.cells[1].metadata == {**before.cells[1].metadata, "cellView": "form"}
    assert after.cells[0] == before.cells[0] and after.cells[2] == before.cells[2]
    text = path.read_text(encoding="utf-8")
    assert sync_setup_cell.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == text, "a second run changes nothing"
    assert sync_setup_cell.main(["--check", str(path)]) == 0


def test_sync_inserts_the_setup_cell_rather_than_overwrite_code(tmp_path):
    path = tmp_path / "99_test.ipynb"
    make_notebook(path, "import d2l_birnn as d2l")
    assert sync_setup_cell.main(["--check", str(path)]) == 1
    assert sync_setup_cell.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert [c.source for c in nb.cells[1:3]] == [SETUP_CELL.rstrip("\n"), "import d2l_birnn as d2l"]


def test_another_edition_syncs_its_own_language(tmp_path):
    path = tmp_path / "99_test.ipynb"
    make_notebook(path, "import d2l_birnn as d2l")
    zh = setup_cell.setup_cell_source("zh")
    assert sync_setup_cell.sync(path, zh) == "inserted the setup cell as cell 1"
    assert sync_setup_cell.sync(path, zh) is None
    assert nbformat.read(path, as_version=4).cells[1].source == zh


# ---------------------------------------------------------------------------
# d2l_birnn.colab
# ---------------------------------------------------------------------------


def test_cuda11_wheels_provide_every_library_mxnet_cu117_needs():
    needed = {"libcudnn.so.8", "libnccl.so.2", "libcudart.so.11.0", "libcublas.so.11",
              "libcufft.so.10", "libcurand.so.10", "libcusolver.so.11", "libcusparse.so.11",
              "libnvrtc.so.11.2", "libnvToolsExt.so.1"}
    paths = colab.cuda11_libraries(Path("/x"))
    assert needed <= {p.name for p in paths}
    assert all(str(p).startswith("/x/nvidia/") for p in paths)
    for wheel, _ in colab.CUDA11_WHEELS:
        name, version = wheel.split("==")
        assert name.startswith("nvidia-") and name.endswith("-cu11") and version, wheel
    names = [p.name for p in paths]
    # dependencies first: cuBLAS before cuDNN's parts, cuDNN's parts before libcudnn.so.8
    assert names.index("libcublasLt.so.11") < names.index("libcublas.so.11") \
        < names.index("libcudnn_ops_infer.so.8") < names.index("libcudnn.so.8")


def test_cuda11_dir_can_be_chosen(monkeypatch, tmp_path):
    monkeypatch.setenv(colab.CUDA11_DIR_ENV, str(tmp_path))
    assert colab.cuda11_dir() == tmp_path
    monkeypatch.delenv(colab.CUDA11_DIR_ENV)
    assert colab.cuda11_dir() == colab.STATE_DIR / "cuda11"


def build_libraries(folder: Path) -> dict[str, Path]:
    """Three real shared libraries: libuser needs libb.so.2, which needs liba.so.1.

    liba and libb lie in a folder the loader does not search, like the CUDA
    wheels' folders on Colab; libuser plays MXNet.
    """
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        if os.environ.get("CI"):
            pytest.fail("a C compiler is needed for this test")
        pytest.skip("no C compiler")
    sources = {"liba.so.1": ("int a(void) { return 40; }", []),
               "libb.so.2": ("int a(void); int b(void) { return a() + 2; }", ["liba.so.1"]),
               "libuser.so": ("int b(void); int user(void) { return b(); }", ["libb.so.2"])}
    paths = {}
    for name, (code, needs) in sources.items():
        c_file = folder / (name.split(".")[0] + ".c")
        c_file.write_text(code)
        links = [f"-l:{need}" for need in needs]
        subprocess.run([cc, "-shared", "-fPIC", f"-Wl,-soname,{name}", "-o", str(folder / name),
                        str(c_file), f"-L{folder}", *links], check=True)
        paths[name] = folder / name
    return paths


PRELOAD_SCRIPT = textwrap.dedent("""
    import ctypes, json, runpy, sys
    colab = runpy.run_path(sys.argv[1])
    libs = json.loads(sys.argv[2])
    report = {}
    try:
        ctypes.CDLL(libs["libuser.so"])
        report["without_preload"] = "loaded"
    except OSError as e:
        report["without_preload"] = str(e)
    report["order"] = colab["preload"]([libs["libb.so.2"], libs["liba.so.1"]])
    report["user"] = ctypes.CDLL(libs["libuser.so"]).user()
    print(json.dumps(report))
""")


def test_preload_loads_dependencies_first_and_makes_them_findable_by_soname(tmp_path):
    libs = build_libraries(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PRELOAD_SCRIPT, str(ROOT / "d2l_birnn" / "colab.py"),
         json.dumps({k: str(v) for k, v in libs.items()})],
        capture_output=True, text=True, check=False, env={**os.environ, "LD_LIBRARY_PATH": ""})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "libb.so.2" in report["without_preload"]  # what MXNet hits on Colab without it
    assert report["order"] == [str(libs["liba.so.1"]), str(libs["libb.so.2"])]
    assert report["user"] == 42


def test_preload_names_the_library_that_cannot_load(tmp_path):
    libs = build_libraries(tmp_path)
    libs["liba.so.1"].unlink()
    with pytest.raises(colab.SetupError, match="missing libraries: .*liba.so.1"):
        colab.preload([libs["libb.so.2"], libs["liba.so.1"]])
    code = ("import runpy, sys; c = runpy.run_path(sys.argv[1])\n"
            "try:\n    c['preload']([sys.argv[2]])\n"
            "except c['SetupError'] as e:\n    print(e)")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "d2l_birnn" / "colab.py"),
                             str(libs["libb.so.2"])], capture_output=True, text=True,
                            check=True, env={**os.environ, "LD_LIBRARY_PATH": ""})
    assert "cannot load libb.so.2" in result.stdout and "liba.so.1" in result.stdout


def test_preload_cuda11_if_installed_does_nothing_without_the_gpu_build(monkeypatch, tmp_path):
    monkeypatch.setenv(colab.CUDA11_DIR_ENV, str(tmp_path))
    assert colab.preload_cuda11_if_installed() == []


def test_check_mxnet_cpu_runs_for_real():
    """The same check Colab runs before using a build: here the CPU build."""
    output = colab.check_mxnet(gpu=False)
    assert output.startswith("ok 1.9.1 cpu(0) True")


class FakeColab:
    """Records what colab.setup would run on a Colab runtime."""

    def __init__(self, monkeypatch, tmp_path, gpu: str | None, failing: tuple[str, ...] = ()):
        self.commands: list[list[str]] = []
        self.installed = {"requests": "2", "d2l": None, colab.MXNET_CPU: None,
                          colab.MXNET_GPU: None}
        self.failing = failing
        self.preloaded = 0
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
        monkeypatch.delitem(sys.modules, "mxnet", raising=False)
        monkeypatch.setattr(colab, "LOG", tmp_path / "setup.log")
        monkeypatch.setattr(colab, "gpu_name", lambda: gpu)
        monkeypatch.setattr(colab, "installed", lambda dist: self.installed.get(dist))
        monkeypatch.setattr(colab, "_run", self.run)
        monkeypatch.setattr(colab, "install_cuda11", lambda: self.commands.append(["cuda11"]))
        monkeypatch.setattr(colab, "preload_cuda11", self.preload)

    def preload(self):
        self.preloaded += 1
        return []

    def run(self, args, what, timeout=0):
        self.commands.append(args)
        if any(word in " ".join(args) for word in self.failing):
            raise colab.SetupError(f"{what} failed:\nTraceback ...\nOSError: libcuda.so.1: nope")
        if "install" in args:
            for arg in args:
                if "==" in arg:
                    name, version = arg.split("==")
                    self.installed[name] = version
        if "uninstall" in args:
            self.installed[args[-3]] = None
        return "ok"

    def pip_args(self) -> list[str]:
        return [" ".join(c[c.index("pip") + 1:]) for c in self.commands if "pip" in c]


def test_setup_outside_colab_does_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(colab, "_run", lambda *a, **k: pytest.fail("ran a command"))
    assert colab.setup() == "not colab"


def test_setup_without_gpu_installs_the_cpu_build_and_d2l_without_deps(monkeypatch, tmp_path,
                                                                         capsys):
    fake = FakeColab(monkeypatch, tmp_path, gpu=None)
    assert colab.setup() == "cpu"
    pips = fake.pip_args()
    assert any(p.startswith("install --no-deps d2l==1.0.3") for p in pips)
    assert any(p.startswith("install --no-deps mxnet==1.9.1") for p in pips)
    assert not any("cu117" in p for p in pips) and fake.preloaded == 0
    assert any(c[-2:] == ["check", "cpu"] for c in fake.commands)
    assert "runs on the CPU (no GPU in this runtime)" in capsys.readouterr().out


def test_setup_with_gpu_installs_cuda11_and_the_gpu_build(monkeypatch, tmp_path, capsys):
    fake = FakeColab(monkeypatch, tmp_path, gpu="Tesla T4")
    assert colab.setup() == "gpu"
    assert ["cuda11"] in fake.commands
    assert any(p.startswith("install --no-deps mxnet-cu117==1.9.1") for p in fake.pip_args())
    assert any(c[-2:] == ["check", "gpu"] for c in fake.commands)
    assert fake.preloaded == 1, "the kernel itself preloads the CUDA 11 libraries"
    assert "runs on the GPU (Tesla T4)" in capsys.readouterr().out


def test_setup_falls_back_to_the_cpu_build_with_one_message(monkeypatch, tmp_path, capsys):
    fake = FakeColab(monkeypatch, tmp_path, gpu="Tesla T4", failing=("check gpu",))
    assert colab.setup() == "cpu"
    pips = fake.pip_args()
    assert "uninstall -y mxnet-cu117 -q --disable-pip-version-check" in pips
    assert any(p.startswith("install --no-deps mxnet==1.9.1") for p in pips)
    out = capsys.readouterr().out
    assert "could not start" in out and "OSError: libcuda.so.1: nope" in out
    assert "Using the CPU build instead" in out and "Traceback" not in out
    assert fake.preloaded == 0


def test_setup_that_cannot_install_anything_stops_with_a_message(monkeypatch, tmp_path):
    FakeColab(monkeypatch, tmp_path, gpu=None, failing=("mxnet==1.9.1",))
    with pytest.raises(SystemExit) as stop:
        colab.setup()
    message = str(stop.value)
    assert "d2l-birnn setup failed" in message and "installing mxnet==1.9.1 failed" in message
    assert "run this cell again" in message


def test_setup_after_mxnet_was_imported_changes_nothing(monkeypatch, tmp_path, capsys):
    fake = FakeColab(monkeypatch, tmp_path, gpu="Tesla T4")
    monkeypatch.setitem(sys.modules, "mxnet", types.ModuleType("mxnet"))
    assert colab.setup() == "cpu"
    assert fake.commands == []
    assert "Restart session" in capsys.readouterr().out


@pytest.mark.parametrize("text, expected", [
    ("installing x failed:\nTraceback\nValueError: bad", "installing x failed: ValueError: bad"),
    ("one line", "one line"),
])
def test_summary_of_a_setup_error(text, expected):
    assert colab._summary(colab.SetupError(text)) == expected


# ---------------------------------------------------------------------------
# tools/readme_badges.py: the repository URL lives in one place, the setup cell
# ---------------------------------------------------------------------------
import readme_badges  # noqa: E402


def test_badges_come_from_the_setup_cells_repository():
    assert readme_badges.repository() == ("d2l-birnn", "d2l-birnn")
    assert readme_badges.colab_url("notebooks/04_x.ipynb") == (
        "https://colab.research.google.com/github/d2l-birnn/d2l-birnn/blob/main/"
        "notebooks/04_x.ipynb")
    assert readme_badges.binder_url().startswith("https://mybinder.org/v2/gh/d2l-birnn/d2l-birnn/")


def test_readme_links_use_the_same_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    owner, name = readme_badges.repository()
    for url in re.findall(r"https://(?:colab\.research\.google\.com/github|mybinder\.org/v2/gh)"
                          r"/([\w.-]+/[\w.-]+)", readme):
        assert url == f"{owner}/{name}", "README and tools/setup_cell.py name different repositories"


# ---------------------------------------------------------------------------
# The Chinese edition's font (Colab has no CJK font)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language, font_installed", [("zh", True), ("en", False)])
def test_setup_installs_a_cjk_font_only_for_the_chinese_edition(monkeypatch, tmp_path, capsys,
                                                                 language, font_installed):
    fake = FakeColab(monkeypatch, tmp_path, gpu=None)
    monkeypatch.setattr(colab, "CJK_FONT_FILE", tmp_path / "wqy-microhei.ttc")
    monkeypatch.setenv(colab.LANG_ENV, language)
    assert colab.setup() == "cpu"
    apt = [c for c in fake.commands if c[0] == "apt-get"]
    out = capsys.readouterr().out
    if font_installed:
        assert apt == [["apt-get", "install", "-y", "-qq", "fonts-wqy-microhei"]]
        assert out.count("Chinese font") == 1 and "installed (fonts-wqy-microhei)" in out
    else:
        assert apt == [] and "font" not in out


def test_cjk_font_install_retries_after_apt_get_update_and_never_raises(monkeypatch, tmp_path):
    fake = FakeColab(monkeypatch, tmp_path, gpu=None, failing=("fonts-wqy-microhei",))
    monkeypatch.setattr(colab, "CJK_FONT_FILE", tmp_path / "wqy-microhei.ttc")
    message = colab.install_cjk_font()
    assert [c[:2] for c in fake.commands] == [["apt-get", "install"], ["apt-get", "update"],
                                              ["apt-get", "install"]]
    assert "could not be installed" in message and "boxes" in message


def test_cjk_font_already_there_is_not_installed_again(monkeypatch, tmp_path):
    fake = FakeColab(monkeypatch, tmp_path, gpu=None)
    font = tmp_path / "wqy-microhei.ttc"
    font.write_bytes(b"")
    monkeypatch.setattr(colab, "CJK_FONT_FILE", font)
    monkeypatch.setattr(colab, "register_font", lambda path: True)
    assert "installed" in colab.install_cjk_font() and fake.commands == []


def test_register_font_adds_a_real_font_to_matplotlib():
    import matplotlib
    from matplotlib import font_manager

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    before = len(font_manager.fontManager.ttflist)
    assert colab.register_font(path) is True
    assert len(font_manager.fontManager.ttflist) == before + 1
    assert colab.register_font(Path("/nonexistent/font.ttc")) is False


def test_setup_can_be_told_to_use_the_cpu(monkeypatch, tmp_path):
    fake = FakeColab(monkeypatch, tmp_path, gpu="Tesla T4")
    assert colab.setup(use_gpu=False) == "cpu"
    assert not any("cu117" in p for p in fake.pip_args())
