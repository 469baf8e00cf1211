"""Set up Google Colab for the notebooks: MXNet 1.9.1 (GPU build on a GPU runtime) and d2l.

The first code cell of every notebook (``tools/setup_cell.py``) does nothing
outside Colab. On Colab it pip-installs this package without its dependencies
(from GitHub, or from ``$D2L_BIRNN_SOURCE``, e.g. a local clone in the Colab
replica test), runs this file with :func:`runpy.run_path` (importing
``d2l_birnn`` would import MXNet, which is not installed yet) and calls
:func:`setup`. This module therefore uses the standard library only.

Colab (since August 2026: Python 3.13, NumPy 2.1.3, CUDA 12.8, cuDNN 9; its
pinned past runtime "2026.07": Python 3.12, NumPy 2.0.2) differs from what
MXNet 1.9.1 and d2l 1.0.3 were built for; :func:`setup` deals with each
difference:

* ``d2l==1.0.3`` pins ``numpy==1.23.5``, which has no wheel for Python 3.12 or
  3.13: d2l is
  installed with ``--no-deps``; what it imports at run time (requests, pandas,
  matplotlib, matplotlib-inline, IPython) Colab has, and anything missing is
  installed unpinned. MXNet is installed with ``--no-deps`` too (it asks for
  NumPy < 2), so Colab's NumPy stays; ``d2l_birnn.compat`` restores what
  MXNet needs from it when ``d2l_birnn`` is imported.
* MXNet 1.9.1 imports ``distutils``, which Python 3.12 no longer has;
  setuptools provides it (installed if missing).
* ``mxnet-cu117`` needs the CUDA 11 runtime and cuDNN 8, which Colab no longer
  has. They come from NVIDIA's ``nvidia-*-cu11`` pip wheels, installed with
  ``pip --target`` into their own folder (``CUDA11_DIR``) so that they never
  replace the CUDA 12 wheels Colab's PyTorch uses. :func:`preload_cuda11`
  loads them with ``ctypes`` and ``RTLD_GLOBAL`` before MXNet is imported:
  the dynamic loader then finds each library MXNet asks for (by soname)
  already loaded. This works in the running kernel, with no restart; setting
  ``LD_LIBRARY_PATH`` would need one (the loader reads it at process start).
* Colab has no CJK font: for the Chinese edition (``D2L_BIRNN_LANG=zh``, set by
  its setup cell) :func:`install_cjk_font` installs WenQuanYi Micro Hei with
  apt-get and registers it with matplotlib.
* Before the GPU build is used, a separate Python process loads it and runs a
  bidirectional LSTM (cuDNN) on the GPU. If that fails for any reason, the
  CPU build is installed instead and one message says why. A student never
  gets a traceback from this cell; if even the CPU build cannot be installed
  (e.g. no network) the cell stops with one message (``SystemExit``).
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

MXNET_VERSION = "1.9.1"
MXNET_CPU = "mxnet"
MXNET_GPU = "mxnet-cu117"
D2L = "d2l==1.0.3"
# What d2l 1.0.3's mxnet module imports at run time: {module: pip name}.
D2L_RUNTIME = {"requests": "requests", "pandas": "pandas", "matplotlib": "matplotlib",
               "matplotlib_inline": "matplotlib-inline", "IPython": "ipython"}

# NVIDIA's CUDA 11.7 wheels (the set PyTorch 2.0 used with CUDA 11.7) and the
# libraries mxnet-cu117 1.9.1 needs from each, relative to <target>/nvidia/,
# in an order in which every library's own dependencies come before it
# (cuDNN's parts need cuBLAS; libcudnn.so.8 opens its parts by name).
CUDA11_WHEELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nvidia-cuda-runtime-cu11==11.7.99", ("cuda_runtime/lib/libcudart.so.11.0",)),
    ("nvidia-nvtx-cu11==11.7.91", ("nvtx/lib/libnvToolsExt.so.1",)),
    ("nvidia-cuda-nvrtc-cu11==11.7.99", ("cuda_nvrtc/lib/libnvrtc-builtins.so.11.7",
                                         "cuda_nvrtc/lib/libnvrtc.so.11.2")),
    ("nvidia-cublas-cu11==11.10.3.66", ("cublas/lib/libcublasLt.so.11",
                                        "cublas/lib/libcublas.so.11")),
    ("nvidia-cufft-cu11==10.9.0.58", ("cufft/lib/libcufft.so.10",)),
    ("nvidia-curand-cu11==10.2.10.91", ("curand/lib/libcurand.so.10",)),
    ("nvidia-cusparse-cu11==11.7.4.91", ("cusparse/lib/libcusparse.so.11",)),
    ("nvidia-cusolver-cu11==11.4.0.1", ("cusolver/lib/libcusolver.so.11",)),
    ("nvidia-cudnn-cu11==8.5.0.96", tuple(f"cudnn/lib/libcudnn{part}.so.8" for part in (
        "_ops_infer", "_ops_train", "_cnn_infer", "_cnn_train", "_adv_infer", "_adv_train", ""))),
    ("nvidia-nccl-cu11==2.14.3", ("nccl/lib/libnccl.so.2",)),
)
CUDA11_DIR_ENV = "D2L_BIRNN_CUDA11_DIR"
LANG_ENV = "D2L_BIRNN_LANG"  # the notebooks' language, set by the setup cell: "en" or "zh"
SOURCE_ENV = "D2L_BIRNN_SOURCE"  # where the setup cell installs this package from, if set
CJK_FONT_PACKAGE = "fonts-wqy-microhei"  # Debian/Ubuntu's WenQuanYi Micro Hei
CJK_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
STATE_DIR = Path.home() / ".cache" / "d2l-birnn"
LOG = STATE_DIR / "colab-setup.log"

_loaded: list[ctypes.CDLL] = []  # keep the preloaded libraries referenced


class SetupError(RuntimeError):
    """A setup step failed; the message says which and what to do."""


def in_colab() -> bool:
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def cuda11_dir() -> Path:
    """Where the CUDA 11 wheels are installed: ``$D2L_BIRNN_CUDA11_DIR`` or ``~/.cache/...``."""
    return Path(os.environ.get(CUDA11_DIR_ENV) or STATE_DIR / "cuda11").expanduser()


def cuda11_libraries(root: Path | None = None) -> list[Path]:
    """Paths of the CUDA 11 libraries to preload, dependencies first."""
    root = cuda11_dir() if root is None else Path(root)
    return [root / "nvidia" / lib for _, libs in CUDA11_WHEELS for lib in libs]


def gpu_name() -> str | None:
    """The first GPU's name from ``nvidia-smi`` (e.g. 'Tesla T4'), or None without a GPU."""
    if shutil.which("nvidia-smi") is None:
        return None
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = [line.strip() for line in out.stdout.splitlines() if line.strip()]
    return names[0] if out.returncode == 0 and names else None


def _log(text: str) -> None:
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "a", encoding="utf-8") as f:
        f.write(text.rstrip() + "\n")


def _run(args: list[str], what: str, timeout: float = 1800) -> str:
    """Run a command; on failure raise SetupError with the end of its output."""
    _log("$ " + " ".join(args))
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                                check=False)
    except subprocess.TimeoutExpired as e:
        raise SetupError(f"{what} took longer than {timeout:.0f} s") from e
    _log(result.stdout + result.stderr)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise SetupError(f"{what} failed:\n{tail}")
    return result.stdout


def pip(*args: str, what: str) -> None:
    """``python -m pip <args>`` (quiet), raising SetupError on failure."""
    _run([sys.executable, "-m", "pip", *args, "-q", "--disable-pip-version-check"], what)


def installed(distribution: str) -> str | None:
    """Installed version of a distribution (pip name), or None."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def install_d2l() -> None:
    """d2l 1.0.3 without its pins, and whatever it imports that is missing."""
    missing = [pkg for module, pkg in D2L_RUNTIME.items()
               if importlib.util.find_spec(module) is None]
    if importlib.util.find_spec("distutils") is None:  # Python 3.12+: MXNet imports it
        missing.append("setuptools")
    if missing:
        pip("install", *missing, what=f"installing {', '.join(missing)}")
    if installed("d2l") != D2L.split("==")[1]:
        pip("install", "--no-deps", D2L, what=f"installing {D2L}")


def install_mxnet(gpu: bool) -> None:
    """MXNet 1.9.1's GPU (CUDA 11.7) or CPU build, removing the other one first."""
    wanted, other = (MXNET_GPU, MXNET_CPU) if gpu else (MXNET_CPU, MXNET_GPU)
    if installed(other) is not None:
        pip("uninstall", "-y", other, what=f"removing {other}")
    if installed(wanted) != MXNET_VERSION:
        pip("install", "--no-deps", f"{wanted}=={MXNET_VERSION}",
            what=f"installing {wanted}=={MXNET_VERSION}")
        if installed("requests") is None:
            pip("install", "requests", what="installing requests")


def install_cuda11(root: Path | None = None) -> Path:
    """NVIDIA's CUDA 11 wheels into ``root`` (once); returns ``root``."""
    root = cuda11_dir() if root is None else Path(root)
    libraries = cuda11_libraries(root)
    if all(p.exists() for p in libraries):
        return root
    if root.exists():
        shutil.rmtree(root)  # a partial install: start again
    wheels = [wheel for wheel, _ in CUDA11_WHEELS]
    pip("install", "--no-deps", "--target", str(root), *wheels,
        what="installing the CUDA 11 libraries (about 2.5 GB)")
    missing = [str(p) for p in libraries if not p.exists()]
    if missing:
        raise SetupError("the CUDA 11 wheels did not provide " + ", ".join(missing))
    return root


def preload(paths: list[Path]) -> list[str]:
    """Load shared libraries with RTLD_GLOBAL, retrying those whose dependencies load later.

    Returns the paths loaded, in the order they were loaded. Raises SetupError
    naming a library that cannot be loaded and the loader's reason.
    """
    pending = [Path(p) for p in paths]
    missing = [str(p) for p in pending if not p.exists()]
    if missing:
        raise SetupError("missing libraries: " + ", ".join(missing))
    loaded: list[str] = []
    while pending:
        errors: dict[Path, str] = {}
        before = len(pending)
        for path in list(pending):
            try:
                _loaded.append(ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL))
            except OSError as e:
                errors[path] = str(e)
                continue
            pending.remove(path)
            loaded.append(str(path))
        if len(pending) == before:  # no progress in this pass
            first = pending[0]
            raise SetupError(f"cannot load {first.name}: {errors[first]}")
    return loaded


def preload_cuda11(root: Path | None = None) -> list[str]:
    """Preload the CUDA 11 libraries for mxnet-cu117 (call before importing MXNet)."""
    return preload(cuda11_libraries(root))


def preload_cuda11_if_installed() -> list[str]:
    """:func:`preload_cuda11` where ``mxnet-cu117`` and the libraries are installed, else []."""
    libraries = cuda11_libraries()
    if installed(MXNET_GPU) is None or not all(p.exists() for p in libraries):
        return []
    return preload(libraries)


def check_mxnet(gpu: bool) -> str:
    """Load MXNet in a fresh Python and run a bidirectional LSTM; raise SetupError if it fails.

    Returns what the check printed, e.g. ``'ok 1.9.1 gpu(0) True'``.
    """
    return _run([sys.executable, __file__, "check", "gpu" if gpu else "cpu"],
                f"the {'GPU' if gpu else 'CPU'} build of MXNet {MXNET_VERSION}", timeout=900)


def _check_here(device: str) -> None:
    """What ``python colab.py check gpu|cpu`` runs, in a process of its own.

    On the GPU a bidirectional LSTM runs cuDNN's RNN kernels, the part of
    mxnet-cu117 that needs cuDNN 8 and cuBLAS 11.
    """
    if device == "gpu":
        preload_cuda11()
    # d2l_birnn first: it restores what MXNet needs from NumPy, then loads MXNet.
    importlib.import_module("d2l_birnn")
    import mxnet as mx
    from mxnet.gluon import rnn

    ctx = mx.gpu(0) if device == "gpu" else mx.cpu()
    layer = rnn.LSTM(8, bidirectional=True)
    layer.initialize(ctx=ctx)
    out = layer(mx.nd.ones((5, 2, 3), ctx=ctx))  # (steps, batch, features)
    if out.shape != (5, 2, 16):
        raise RuntimeError(f"a bidirectional LSTM gave shape {out.shape}, not (5, 2, 16)")
    print("ok", mx.__version__, ctx, float(out.abs().sum().asscalar()) > 0)


def register_font(path: Path) -> bool:
    """Add a font file to matplotlib's font list if matplotlib is loaded; True if added.

    matplotlib lists the system's fonts once; Colab's kernel has it loaded
    before this cell runs, so a font installed now must be added by hand.
    """
    font_manager = sys.modules.get("matplotlib.font_manager")
    if font_manager is None or not Path(path).exists():
        return False
    font_manager.fontManager.addfont(str(path))
    return True


def install_cjk_font() -> str:
    """WenQuanYi Micro Hei for Chinese text in plots (apt-get; once per runtime).

    Returns the one message to print. Never raises: without the font the
    notebooks still run, their Chinese labels show as boxes.
    """
    if not CJK_FONT_FILE.exists():
        install = ["apt-get", "install", "-y", "-qq", CJK_FONT_PACKAGE]
        try:
            try:
                _run(install, f"apt-get install {CJK_FONT_PACKAGE}", timeout=600)
            except SetupError:  # the runtime's package lists may be stale or missing
                _run(["apt-get", "update", "-qq"], "apt-get update", timeout=600)
                _run(install, f"apt-get install {CJK_FONT_PACKAGE}", timeout=600)
        except SetupError as e:
            return (f"d2l-birnn: the Chinese font ({CJK_FONT_PACKAGE}) could not be installed "
                    f"({_summary(e)}); plots will show Chinese text as boxes. Details: {LOG}")
    register_font(CJK_FONT_FILE)
    return (f"d2l-birnn: Chinese font WenQuanYi Micro Hei installed ({CJK_FONT_PACKAGE}) "
            f"for the plots.")


def _summary(error: Exception) -> str:
    """'<what failed>: <last line of its output>' of a SetupError, on one line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else type(error).__name__
    return f"{lines[0].rstrip(':')}: {lines[-1]}"


def install(gpu: str | None) -> str:
    """Install everything, for the GPU named ``gpu`` or (None) the CPU; returns 'gpu' or 'cpu'.

    Raises SetupError if even the CPU build cannot be installed.
    """
    install_d2l()
    if gpu:
        try:
            install_cuda11()
            install_mxnet(gpu=True)
            check_mxnet(gpu=True)
            preload_cuda11()
            importlib.invalidate_caches()
            print(f"d2l-birnn: MXNet {MXNET_VERSION} runs on the GPU ({gpu}).")
            return "gpu"
        except SetupError as e:
            print(f"d2l-birnn: the GPU build of MXNet {MXNET_VERSION} could not start on this "
                  f"runtime ({_summary(e)}). Using the CPU build instead: the notebooks "
                  f"work the same, only slower. Details: {LOG}")
    install_mxnet(gpu=False)
    check_mxnet(gpu=False)
    importlib.invalidate_caches()  # so that this kernel sees what was just installed
    where = "no GPU in this runtime" if not gpu else "GPU build unavailable"
    print(f"d2l-birnn: MXNet {MXNET_VERSION} runs on the CPU ({where}).")
    return "cpu"


def setup(use_gpu: bool = True) -> str:
    """Make this Colab runtime ready for the notebooks; does nothing elsewhere.

    ``use_gpu=True`` uses the GPU if the runtime has one, ``use_gpu=False``
    installs the CPU build. Returns 'gpu', 'cpu', or 'not colab'. Never leaves a traceback:
    a failure that even the CPU build cannot get round stops the cell with one
    message (``SystemExit``).
    """
    if not in_colab():
        return "not colab"
    if "mxnet" in sys.modules:
        print("d2l-birnn: MXNet is already loaded in this session, so nothing was changed. "
              "To set up again: Runtime > Restart session, then run all cells.")
        return "gpu" if installed(MXNET_GPU) else "cpu"
    name = gpu_name() if use_gpu else None
    try:
        where = install(name)
    except SetupError as e:
        raise SystemExit(f"d2l-birnn setup failed: {e}\nDetails: {LOG}. Check that the runtime "
                         f"has internet access, then run this cell again (Runtime > Restart "
                         f"session first if MXNet was already imported).") from None
    if os.environ.get(LANG_ENV) == "zh":
        print(install_cjk_font())
    return where


if __name__ == "__main__":
    # Run as a file, this folder is sys.path[0]: drop it so that e.g. data.py is not 'data'.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    if len(sys.argv) == 3 and sys.argv[1] == "check" and sys.argv[2] in ("gpu", "cpu"):
        _check_here(sys.argv[2])
    else:
        sys.exit("usage: python colab.py check gpu|cpu")
