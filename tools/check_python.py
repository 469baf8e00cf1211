"""Stop early, with a clear message, on a Python that d2l-birnn cannot support.

    python3 tools/check_python.py [--venv .venv]
    python3 tools/check_python.py --mxnet-wheels   # "yes" or "no": does MXNet 1.9.1 install here?

With ``--venv DIR`` it also refuses to reuse an environment made by another
Python (``make setup`` would otherwise keep using it silently).
Standard library only: it runs before anything is installed.
"""

import subprocess
import sys
from pathlib import Path

SUPPORTED = ((3, 9), (3, 13))
# (sys.platform, machine) pairs with MXNet 1.9.1 wheels on PyPI; pyproject.toml's marker agrees.
MXNET_PLATFORMS = {("linux", "x86_64"), ("linux", "aarch64"), ("darwin", "x86_64")}
# Python 3.12+ runs NumPy 2 with d2l_birnn.compat (pyproject.toml says which versions).
NUMPY_2_FROM = (3, 12)


def problem(version, executable: str = sys.executable):
    """The message for an unsupported ``version`` (major, minor), or None if it is fine."""
    if SUPPORTED[0] <= tuple(version) <= SUPPORTED[1]:
        return None
    why = ("MXNet 1.9.1 has no wheels for it" if tuple(version) > SUPPORTED[1]
           else "Python 3.8 and older are past their end of life and no longer tested")
    return (
        f"d2l-birnn needs Python 3.9 to 3.13 (3.11 recommended); this is Python "
        f"{version[0]}.{version[1]} ({executable}).\n"
        f"Why: {why}; MXNet 1.9.1 is the last MXNet release (2022).\n"
        "Fix: run again with a supported Python, e.g. 'make test PYTHON=python3.11' "
        "(or python3.12, python3.13), or use environment.yml with conda, or Google Colab."
    )


def venv_problem(venv: Path, version) -> "str | None":
    """A message if ``venv`` exists and was made by another Python than ``version``, else None."""
    python = Path(venv) / "bin" / "python"
    if not python.exists():
        return None
    try:
        out = subprocess.run([str(python), "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        theirs = tuple(int(x) for x in out.split())
    except (OSError, ValueError, subprocess.SubprocessError):
        return (f"{venv}/ exists but its Python does not run (a broken environment).\n"
                f"Fix: remove it ('rm -rf {venv}') and run the same command again.")
    if theirs == tuple(version)[:2]:
        return None
    return (f"{venv}/ was made with Python {theirs[0]}.{theirs[1]}, and this is Python "
            f"{version[0]}.{version[1]}.\n"
            f"Fix: keep both, giving the new one its own folder, e.g. "
            f"'make test PYTHON=python{version[0]}.{version[1]} VENV=.venv-py{version[0]}{version[1]}'; "
            f"or remove the old one ('rm -rf {venv}') and run the same command again.")


def has_mxnet_wheels(platform: str, machine: str) -> bool:
    """Whether pip finds MXNet 1.9.1 for ``platform`` (sys.platform) on ``machine``
    (platform.machine(); Windows reports AMD64, Apple Silicon arm64)."""
    return (platform, machine.lower()) in MXNET_PLATFORMS


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--mxnet-wheels"]:
        import platform
        print("yes" if has_mxnet_wheels(sys.platform, platform.machine()) else "no")
        return 0
    if not (argv == [] or (len(argv) == 2 and argv[0] == "--venv")):
        print("usage: python3 tools/check_python.py [--venv DIR | --mxnet-wheels]", file=sys.stderr)
        return 2
    version = sys.version_info[:2]
    message = problem(version)
    if not message and argv:
        message = venv_problem(Path(argv[1]), version)
    if message:
        print(message, file=sys.stderr)
        return 1
    numpy = "NumPy 2 with d2l_birnn.compat" if version >= NUMPY_2_FROM else "NumPy 1.23.5"
    print(f"Python {version[0]}.{version[1]}: ok ({numpy})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
