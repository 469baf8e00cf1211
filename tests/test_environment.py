"""The project's setup: pins agree everywhere, unsupported Pythons get a clear message."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: its backport (pyproject's dev extra installs it)
    import tomli as tomllib
from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import check_python  # noqa: E402


def _pip_lines_of_environment_yml():
    text = (ROOT / "environment.yml").read_text()
    block = text.split("- pip:", 1)[1]
    return [m.group(1).strip() for m in re.finditer(r"^\s+-\s+(.+)$", block, re.M)]


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PYTHONS = [(3, minor) for minor in range(9, 14)]  # the supported range, 3.9 to 3.13


def pins_for(version: tuple) -> dict:
    """{name: specifier} of the package's dependencies on Python ``version`` (markers applied)."""
    env = {**default_environment(), "python_version": f"{version[0]}.{version[1]}",
           "python_full_version": f"{version[0]}.{version[1]}.0"}
    reqs = [Requirement(dep) for dep in PYPROJECT["dependencies"]]
    return {r.name: str(r.specifier) for r in reqs if r.marker is None or r.marker.evaluate(env)}


def test_environment_yml_pins_equal_the_package_on_its_python():
    text = (ROOT / "environment.yml").read_text()
    assert "- python=3.11" in text and "conda-forge" in text
    pip_lines = [line for line in _pip_lines_of_environment_yml() if line != "-e ."]
    assert {Requirement(line).name: str(Requirement(line).specifier) for line in pip_lines} \
        == pins_for((3, 11))
    assert "-e ." in _pip_lines_of_environment_yml()


@pytest.mark.parametrize("version", PYTHONS, ids=lambda v: f"py{v[0]}{v[1]}")
def test_every_supported_python_gets_one_numpy_and_matplotlib(version):
    pins = pins_for(version)
    old = version < (3, 12)
    assert pins["numpy"] == ("==1.23.5" if old else "==2.0.2" if version == (3, 12) else "==2.1.3")
    assert pins["matplotlib"] == ("==3.7.2" if old else "==3.10.0")
    assert pins["ipython"] == "<9"  # matplotlib 3.7.2's pyplot breaks with IPython 9
    # MXNet and d2l pin an older NumPy: from 3.12 on `make setup` adds them without their deps.
    assert ("mxnet" in pins, "d2l" in pins) == (old, old)
    assert ("setuptools" in pins) == (not old), "MXNet imports distutils (gone in 3.12)"


def test_makefile_adds_mxnet_and_d2l_without_their_dependencies():
    makefile = (ROOT / "Makefile").read_text()
    assert "NO_DEPS := $(if $(filter no,$(MXNET_WHEELS)),,mxnet==1.9.1) d2l==1.0.3" in makefile
    assert "--no-deps $(NO_DEPS)" in makefile


@pytest.mark.parametrize("mxnet_wheels, expected", [
    ("yes", "mxnet==1.9.1 d2l==1.0.3"), ("no", "d2l==1.0.3"), ("", "mxnet==1.9.1 d2l==1.0.3")])
def test_makefile_leaves_mxnet_out_where_it_has_no_wheels(mxnet_wheels, expected):
    out = subprocess.run(["make", "-n", "venv", "VENV=/nonexistent-venv",
                          f"MXNET_WHEELS={mxnet_wheels}"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    [line] = [ln for ln in out.splitlines() if "--no-deps" in ln]
    assert line.split("--no-deps", 1)[1].split() == expected.split()


# (sys_platform, platform_machine) as Python reports them on each platform students have.
PLATFORMS = {"linux-x86_64": ("linux", "x86_64", True), "linux-aarch64": ("linux", "aarch64", True),
             "macos-x86_64": ("darwin", "x86_64", True), "macos-arm64": ("darwin", "arm64", False),
             "windows": ("win32", "AMD64", False)}


@pytest.mark.parametrize("name", PLATFORMS)
def test_mxnet_is_a_dependency_only_where_it_has_wheels(name):
    platform, machine, has_wheels = PLATFORMS[name]
    assert check_python.has_mxnet_wheels(platform, machine) == has_wheels
    env = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.0",
           "sys_platform": platform, "platform_machine": machine}
    reqs = [Requirement(dep) for dep in PYPROJECT["dependencies"]]
    names = {r.name for r in reqs if r.marker is None or r.marker.evaluate(env)}
    assert ("mxnet" in names) == has_wheels
    assert {"numpy", "d2l", "jupyterlab"} <= names   # the rest installs everywhere


def test_check_python_says_whether_mxnet_installs_here():
    out = subprocess.run([sys.executable, str(ROOT / "tools/check_python.py"), "--mxnet-wheels"],
                         capture_output=True, text=True, check=True).stdout.strip()
    import platform
    assert out == ("yes" if check_python.has_mxnet_wheels(sys.platform, platform.machine())
                   else "no")
    assert "pip install -e . && pip install --no-deps mxnet==1.9.1 d2l==1.0.3" in \
        (ROOT / "pyproject.toml").read_text(), "pyproject.toml tells pip users the same"


def test_requires_python_agrees_with_check_python():
    low, high = check_python.SUPPORTED
    assert PYPROJECT["requires-python"] == f">={low[0]}.{low[1]},<{high[0]}.{high[1] + 1}"
    assert (low, high) == (PYTHONS[0], PYTHONS[-1])


def test_unsupported_python_gets_a_reason_and_a_fix():
    for version in ((3, 14), (3, 8), (2, 7)):
        msg = check_python.problem(version, "/usr/bin/python")
        assert f"Python {version[0]}.{version[1]} (/usr/bin/python)" in msg
        assert "3.9 to 3.13" in msg and "PYTHON=python3.11" in msg and "Colab" in msg
    assert "no wheels" in check_python.problem((3, 14))
    for version in PYTHONS:
        assert check_python.problem(version) is None


def fake_venv(tmp_path, prints: str) -> Path:
    (tmp_path / "bin").mkdir(parents=True)
    python = tmp_path / "bin" / "python"
    python.write_text(f"#!/bin/sh\necho '{prints}'\n")
    python.chmod(0o755)
    return tmp_path


def test_a_venv_of_another_python_is_refused_with_a_fix(tmp_path):
    venv = fake_venv(tmp_path / "v", "3 9")
    msg = check_python.venv_problem(venv, (3, 13))
    assert "made with Python 3.9" in msg and "this is Python 3.13" in msg
    assert "VENV=.venv-py313" in msg and f"rm -rf {venv}" in msg
    assert check_python.venv_problem(venv, (3, 9)) is None
    assert check_python.venv_problem(tmp_path / "missing", (3, 9)) is None
    broken = fake_venv(tmp_path / "b", "not a version")
    assert "broken" in check_python.venv_problem(broken, (3, 9))


def test_check_python_script_passes_here_and_refuses_another_venv(tmp_path):
    script = str(ROOT / "tools" / "check_python.py")
    out = subprocess.run([sys.executable, script], capture_output=True, text=True, check=True)
    assert ": ok (NumPy " in out.stdout
    other = fake_venv(tmp_path / "v", "3 8")
    refused = subprocess.run([sys.executable, script, "--venv", str(other)], capture_output=True,
                             text=True, check=False)
    assert refused.returncode == 1 and "made with Python 3.8" in refused.stderr
    usage = subprocess.run([sys.executable, script, "--what"], capture_output=True, text=True)
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci
    assert "make test" in readme.split("\n## ", 1)[0]  # among the first commands of the README
