"""The project's setup: pins agree everywhere, unsupported Pythons get a clear message."""

import re
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import check_python  # noqa: E402


def _pip_lines_of_environment_yml():
    text = (ROOT / "environment.yml").read_text()
    block = text.split("- pip:", 1)[1]
    return [m.group(1).strip() for m in re.finditer(r"^\s+-\s+(.+)$", block, re.M)]


def test_environment_yml_pins_equal_the_package():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pip_lines = [line for line in _pip_lines_of_environment_yml() if line != "-e ."]
    assert pip_lines == deps
    assert "-e ." in _pip_lines_of_environment_yml()
    text = (ROOT / "environment.yml").read_text()
    assert "- python=3.11" in text and "conda-forge" in text


def test_key_pins():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for pin in ("mxnet==1.9.1", "numpy==1.23.5", "d2l==1.0.3"):
        assert pin in deps


def test_unsupported_python_gets_a_reason_and_a_fix():
    msg = check_python.problem((3, 12), "/usr/bin/python3.12")
    assert "Python 3.12" in msg and "NumPy < 1.24" in msg and "PYTHON=python3.11" in msg
    assert check_python.problem((3, 11)) is None
    assert check_python.problem((3, 7)) is not None


def test_check_python_script_passes_here():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "check_python.py")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith(": ok")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci
    assert "make test" in readme.split("\n## ", 1)[0]  # among the first commands of the README
