"""A replica of Google Colab's runtime: every notebook's own first cell, then the notebook.

    python3 tools/colab_replica.py run --runtime current --python python3.13
    python3 tools/colab_replica.py run --runtime 2026.07 --python python3.12
    python3 tools/colab_replica.py check      # pins agree with ../shared/colab-runtime/
    python3 tools/colab_replica.py pins FREEZE.txt   # print the pins to commit, from a freeze

``run`` builds a virtual environment (``.venv-colab-<runtime>``) with Colab's
versions of what the notebooks and a notebook runner touch (the pins in
``tools/colab-runtime/<runtime>.txt``, taken from Google's published
``pip freeze`` of that runtime) and a stand-in ``google.colab`` module that
every kernel imports at start, as Colab's does. It then runs each notebook in
quick mode in that environment, setup cell included: the cell installs this
package from this clone (``D2L_BIRNN_SOURCE``) instead of GitHub, then
``d2l_birnn/colab.py`` installs MXNet and d2l exactly as on Colab (CPU path).
Executed copies go to ``build/colab-replica/<runtime>/``; notebooks/ is never
written. Exit status 0 means every notebook ran without an error.

``--framework torch`` replicates the PyTorch editions (``notebooks/pytorch/``): Colab
preinstalls PyTorch, so the replica (``.venv-colab-<runtime>-torch``) gets the same pins plus
Colab's torch version (``TORCH_VERSIONS``, checked against Google's freeze), and each
notebook's setup cell installs only this package. Colab's torch is the ``+cpu`` build from
download.pytorch.org, which this machine cannot reach: the replica installs ``--torch-wheel``
(a local CPU wheel for the runtime's Python) when given, else PyPI's ``torch==<version>`` (the
CUDA build, which also runs on a CPU, about 3 GB with its NVIDIA wheels).

What it does not prove: Colab's GPU path, its front end (widgets, forms), its
exact Python patch release, or the packages it has that are not pinned here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS_DIR = ROOT / "tools" / "colab-runtime"
SHARED = ROOT.parent / "shared" / "colab-runtime"
# runtime: (Google's freeze file in ../shared/colab-runtime, Python major.minor)
RUNTIMES = {"current": ("pip-freeze.txt", "3.13"), "2026.07": ("pip-freeze-2026.07.txt", "3.12")}
# runtime: the torch version Colab preinstalls (its freeze's `torch @ ...torch-2.11.0%2Bcpu...` line)
TORCH_VERSIONS = {"current": "2.11.0", "2026.07": "2.11.0"}
# both: Colab's runtime as it is, torch preinstalled: the PyTorch editions run first (torch as
# Colab has it), then the MXNet ones, whose setup cells add MXNet beside it (one build, one torch).
FRAMEWORKS = ("mxnet", "torch", "both")
# What the notebooks import from Colab's own packages, and what runs them (nbclient, a kernel).
PACKAGES = ("numpy", "matplotlib", "matplotlib-inline", "ipython", "ipykernel", "ipywidgets",
            "widgetsnbextension", "jupyterlab_widgets", "pandas", "requests", "setuptools",
            "jupyter_client", "jupyter_core", "pyzmq", "tornado", "traitlets", "nbclient",
            "nbformat")
KERNEL = "colab-replica"
# Seconds per cell: in quick mode the longest, the setup cell installing MXNet, takes about a
# minute here. A client that waits for a reply the kernel never sends (README, "The nbclient
# wait") then fails the run within this bound instead of holding CI.
CELL_TIMEOUT = 300
FAKE_COLAB = '"""Stand-in for Google Colab\'s google.colab (d2l-birnn\'s Colab replica)."""\n'
STARTUP = "import google.colab  # as Colab's kernels do at start (d2l-birnn's Colab replica)\n"


def canonical(name: str) -> str:
    """pip's normalized name: 'Jupyter_Client' -> 'jupyter-client'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_freeze(text: str) -> dict[str, str]:
    """{normalized name: version} of the ``name==version`` lines of a pip freeze."""
    pins = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9][\w.-]*)==([^\s;#]+)", line.strip())
        if m:
            pins[canonical(m.group(1))] = m.group(2)
    return pins


def pins_from_freeze(text: str) -> list[str]:
    """The pins of PACKAGES in a freeze; raises ValueError naming any that is missing."""
    versions = parse_freeze(text)
    missing = [p for p in PACKAGES if canonical(p) not in versions]
    if missing:
        raise ValueError(f"the freeze has no version of {', '.join(missing)}")
    return [f"{p}=={versions[canonical(p)]}" for p in PACKAGES]


def pins_file(runtime: str) -> Path:
    return PINS_DIR / f"{runtime}.txt"


def read_pins(runtime: str) -> tuple[str, list[str]]:
    """(Python major.minor, pins) of a committed runtime file."""
    text = pins_file(runtime).read_text(encoding="utf-8")
    python = re.search(r"^# python: (\d+\.\d+)$", text, re.M)
    if python is None:
        raise ValueError(f"{pins_file(runtime)} has no '# python: X.Y' line")
    pins = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return python.group(1), pins


def torch_in_freeze(text: str) -> str | None:
    """The torch version of a pip freeze (``torch==X`` or ``torch @ .../torch-X%2Bcpu-...``)."""
    m = re.search(r"^torch(?:==([^\s;#+]+)| @ \S*/torch-([0-9][^%+-]*))", text, re.M)
    return (m.group(1) or m.group(2)) if m else None


def check(shared: Path = SHARED) -> list[str]:
    """Disagreements between the committed pins and Google's freezes in ``shared`` (if there)."""
    problems = []
    for runtime, (freeze, python) in RUNTIMES.items():
        have_python, pins = read_pins(runtime)
        if have_python != python:
            problems.append(f"{runtime}: '# python: {have_python}', expected {python}")
        path = shared / freeze
        if path.exists():
            torch = torch_in_freeze(path.read_text(encoding="utf-8"))
            if torch is not None and torch != TORCH_VERSIONS[runtime]:
                problems.append(f"{runtime}: Colab's freeze has torch {torch}, TORCH_VERSIONS says "
                                f"{TORCH_VERSIONS[runtime]}")
            want = pins_from_freeze(path.read_text(encoding="utf-8"))
            if pins != want:
                problems.append(f"{pins_file(runtime).name} differs from {path}: "
                                f"{sorted(set(pins) ^ set(want))}; regenerate it with "
                                f"'python3 tools/colab_replica.py pins {path}'")
    return problems


def python_version(python: str) -> str:
    out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def site_packages(venv: Path) -> Path:
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def install_fakes(venv: Path) -> None:
    """google.colab, a kernel that imports it at start, and that kernel's spec."""
    colab_dir = site_packages(venv) / "google" / "colab"  # google/ stays a namespace package
    colab_dir.mkdir(parents=True, exist_ok=True)
    (colab_dir / "__init__.py").write_text(FAKE_COLAB)
    startup = venv / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-google-colab.py").write_text(STARTUP)
    spec_dir = venv / "share" / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f",
                     "{connection_file}"],
            "display_name": "Python 3 (Colab replica)", "language": "python",
            "env": {"IPYTHONDIR": str(venv / "ipython")}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")


def replica_pins(runtime: str, framework: str = "mxnet", torch_wheel: Path | None = None) -> list[str]:
    """What the replica installs: Colab's pins, and for the PyTorch editions Colab's torch."""
    if framework not in FRAMEWORKS:
        raise SystemExit(f"--framework {framework!r}: choose one of {', '.join(FRAMEWORKS)}")
    pins = read_pins(runtime)[1]
    if framework in ("torch", "both"):
        pins = [*pins, str(torch_wheel) if torch_wheel else f"torch=={TORCH_VERSIONS[runtime]}"]
    return pins


def venv_path(runtime: str, framework: str = "mxnet") -> Path:
    return ROOT / (f".venv-colab-{runtime}" + ("-torch" if framework in ("torch", "both") else ""))


def default_notebooks(framework: str = "mxnet") -> list[Path]:
    """The English edition of the framework: notebooks/ (MXNet) or notebooks/pytorch/; for
    ``both``, notebooks/pytorch/ first, then notebooks/."""
    if framework == "both":
        return default_notebooks("torch") + default_notebooks("mxnet")
    folder = ROOT / "notebooks" / ("pytorch" if framework == "torch" else "")
    return sorted(folder.glob("[0-9]*.ipynb"))


def output_path(out_dir: Path, notebook: Path) -> Path:
    """Where the executed copy of ``notebook`` goes: its path below notebooks/ (pytorch/04_x and
    04_x do not collide), else its name."""
    try:
        return out_dir / notebook.resolve().relative_to(ROOT / "notebooks")
    except ValueError:
        return out_dir / notebook.name


def build(runtime: str, python: str, venv: Path, pins: list[str] | None = None) -> None:
    """Make ``venv`` the replica of ``runtime`` (again only if its pins changed)."""
    want_python, committed = read_pins(runtime)
    pins = committed if pins is None else pins
    have_python = python_version(python)
    if have_python != want_python:
        raise SystemExit(f"Colab's {runtime} runtime runs Python {want_python}; {python} is "
                         f"{have_python}. Give --python a Python {want_python}.")
    stamp = venv / ".colab-pins"
    if stamp.exists() and stamp.read_text() == "\n".join(pins):
        return
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *pins], check=True)
    install_fakes(venv)
    stamp.write_text("\n".join(pins))


def replica_env(venv: Path) -> dict[str, str]:
    """The environment of a replica's notebook run: this clone as the package source, quick."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update({"D2L_BIRNN_SOURCE": str(ROOT), "D2L_BIRNN_QUICK": "1",
                "IPYTHONDIR": str(venv / "ipython"),
                "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"})
    return env


TIMED_OUT = 3  # exit status of `execute` when a cell's reply did not come within the timeout
POLL_SLICE = 1.0  # seconds: the longest a reply already there can go unnoticed (see below)


def poll_in_slices(get_msg, slice_seconds: float = POLL_SLICE):
    """``get_msg(timeout)`` of a kernel client channel, re-polling every ``slice_seconds``.

    The nbclient wait (README): the kernel's reply was there (its timestamp is seconds after the
    cell started) but the client's asyncio ZeroMQ poll noticed it only when its own timeout, the
    whole cell timeout, ran out. A poll that ends every second looks again, so a missed wake-up
    costs at most a second. Raises ``queue.Empty`` when ``timeout`` has passed, as ``get_msg``.
    """
    import queue

    async def sliced(timeout=None, **kwargs):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=slice_seconds if left is None
                                     else min(slice_seconds, left), **kwargs)
            except queue.Empty:
                if left is not None and time.monotonic() >= deadline:
                    raise

    return sliced


def polling_client():
    """nbclient's ``NotebookClient`` class with its shell channel polled in slices
    (:func:`poll_in_slices`), for every notebook run here and in the lecture-deck build."""
    from nbclient import NotebookClient

    class PollingClient(NotebookClient):
        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            kc.shell_channel.get_msg = poll_in_slices(kc.shell_channel.get_msg)
            return kc

    return PollingClient


def execute(notebook: Path, out: Path, timeout: int) -> int:
    """Run one notebook with nbclient in this (the replica's) Python; save the executed copy.

    Returns 0, or TIMED_OUT if a cell's reply did not come in ``timeout`` seconds (an error
    in a cell raises nbclient's CellExecutionError).
    """
    import nbformat
    from nbclient.exceptions import CellTimeoutError

    nb = nbformat.read(notebook, as_version=4)
    client = polling_client()(nb, timeout=timeout, kernel_name=KERNEL,
                    resources={"metadata": {"path": str(notebook.parent)}})
    try:
        client.execute()
    except CellTimeoutError as e:
        print(e, file=sys.stderr)
        return TIMED_OUT
    finally:
        nbformat.write(nb, out)
    return 0


def run_one(venv: Path, notebook: Path, out: Path, timeout: int) -> subprocess.CompletedProcess:
    """One notebook in the replica, in a process (and kernel) of its own."""
    return subprocess.run([str(venv / "bin" / "python"), __file__, "execute", str(notebook),
                           str(out), str(timeout)], env=replica_env(venv), capture_output=True,
                          text=True, check=False)


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def setup_messages(executed: Path) -> list[str]:
    """The 'd2l-birnn: ...' lines the setup cell printed in an executed notebook."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    text = "".join("".join(o.get("text", "")) for o in first.get("outputs", []))
    return [line for line in text.splitlines() if line.startswith("d2l-birnn")]


def run(runtime: str, python: str, notebooks: list[Path], timeout: int, framework: str = "mxnet",
        torch_wheel: Path | None = None) -> int:
    """Build the replica, run every notebook in it; 0 if all ran without an error."""
    venv = venv_path(runtime, framework)
    build(runtime, python, venv, replica_pins(runtime, framework, torch_wheel))
    out_dir = ROOT / "build" / "colab-replica" / (runtime + {"torch": "-torch", "both": "-both"}
                                                  .get(framework, ""))
    failed = 0
    for notebook in notebooks:
        start = time.monotonic()
        out = output_path(out_dir, notebook)
        out.parent.mkdir(parents=True, exist_ok=True)
        result = run_one(venv, notebook, out, timeout)
        if result.returncode == TIMED_OUT:  # README, "The nbclient wait": one more try, said
            print(f"colab replica ({runtime}): {notebook.name}: a cell's reply did not come in "
                  f"{timeout} s (the nbclient wait): {last_line(result.stderr)}; running it again")
            result = run_one(venv, notebook, out, timeout)
        seconds = time.monotonic() - start
        status = "ok" if result.returncode == 0 else "FAILED"
        print(f"colab replica ({runtime}): {out.relative_to(out_dir)}: {status} in {seconds:.0f} s")
        if out.exists():
            print("".join(f"    {line}\n" for line in setup_messages(out)), end="")
        if result.returncode != 0:
            failed += 1
            print(result.stderr[-3000:], file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="build the replica and run the notebooks in it")
    p_run.add_argument("--runtime", choices=sorted(RUNTIMES), default="current")
    p_run.add_argument("--python", required=True, help="a Python of the runtime's version")
    p_run.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    p_run.add_argument("--framework", choices=FRAMEWORKS, default="mxnet",
                       help="torch: the PyTorch editions, with Colab's preinstalled torch; "
                            "both: torch preinstalled, the PyTorch editions, then the MXNet ones")
    p_run.add_argument("--torch-wheel", type=Path, default=None,
                       help="a local torch CPU wheel for the runtime's Python (else PyPI's torch)")
    p_run.add_argument("notebooks", nargs="*", type=Path)
    sub.add_parser("check", help="the pins agree with ../shared/colab-runtime (if there)")
    p_pins = sub.add_parser("pins", help="print the pins of PACKAGES in a pip freeze")
    p_pins.add_argument("freeze", type=Path)
    p_exec = sub.add_parser("execute")  # internal: run in the replica's Python
    p_exec.add_argument("notebook", type=Path)
    p_exec.add_argument("out", type=Path)
    p_exec.add_argument("timeout", type=int)
    args = parser.parse_args(argv)
    if args.command == "run":
        notebooks = args.notebooks or default_notebooks(args.framework)
        return run(args.runtime, args.python, [n.resolve() for n in notebooks], args.timeout,
                   args.framework, args.torch_wheel)
    if args.command == "check":
        problems = check()
        print("\n".join(problems) or "the Colab pins agree with what is there to compare")
        return 1 if problems else 0
    if args.command == "pins":
        print("\n".join(pins_from_freeze(args.freeze.read_text(encoding="utf-8"))))
        return 0
    return execute(args.notebook, args.out, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
