"""``python -m d2l_birnn doctor``: what this environment has, and how to fix what is wrong."""

from __future__ import annotations

import os
import platform
import sys

KERNEL_NAME = "d2l-birnn"


def _kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def collect() -> tuple[list[tuple[str, str]], list[str]]:
    """Return (facts as (name, value) rows, problems as one fix-it line each)."""
    facts: list[tuple[str, str]] = []
    problems: list[str] = []
    facts.append(("Python", f"{platform.python_version()} ({sys.executable})"))
    if not (3, 9) <= sys.version_info[:2] <= (3, 13):  # as tools/check_python.py
        problems.append("d2l-birnn supports Python 3.9 to 3.13 (NumPy 1.23.5 on 3.9-3.11, NumPy 2 "
                        "with d2l_birnn.compat on 3.12-3.13): run `make setup PYTHON=python3.11`")

    import numpy

    import d2l_birnn
    from d2l_birnn import data, runtime

    facts.append(("NumPy", numpy.__version__))
    patched = d2l_birnn.numpy_patched
    facts.append(("NumPy compatibility layer",
                  f"active ({len(patched)} names restored for MXNet)" if patched
                  else "not needed (NumPy < 1.24)"))
    try:
        import mxnet as mx

        facts.append(("MXNet", f"{mx.__version__} ({'CUDA' if _has_cuda(mx) else 'CPU'} build)"))
        gpus = mx.context.num_gpus()
        facts.append(("GPUs MXNet sees", str(gpus)))
    except Exception as e:  # MXNet failing to load is exactly what doctor must report
        facts.append(("MXNet", f"fails to import: {type(e).__name__}: {e}"))
        problems.append("MXNet does not import: reinstall with `pip install mxnet==1.9.1 "
                        "numpy==1.23.5` (or run `make setup`)")
    try:
        import d2l

        facts.append(("d2l", d2l.__version__))
        if d2l.__version__ != "1.0.3":
            problems.append(f"d2l {d2l.__version__} is installed; this collection is tested with "
                            f"1.0.3: `pip install d2l==1.0.3`")
    except ImportError:
        problems.append("d2l is not installed: `pip install d2l==1.0.3 --no-deps` (or `make setup`)")

    threads = {k: os.environ.get(k, "unset") for k in ("OMP_NUM_THREADS", "GOMP_SPINCOUNT")}
    facts.append(("CPU cores", str(runtime.available_cores())))
    facts.append(("Threads", ", ".join(
        f"{k}={v}" + (" (chosen by d2l_birnn)" if k in runtime.APPLIED_THREADS else "")
        for k, v in threads.items())))
    if runtime.MXNET_LOADED_FIRST and threads["OMP_NUM_THREADS"] == "unset":
        problems.append("MXNet was imported before d2l_birnn, so it runs with its default threads "
                        "(1 on a 2-core machine): put `import d2l_birnn as d2l` first")

    path = data.data_dir() / "timemachine.txt"
    if not path.exists():
        facts.append(("The Time Machine", f"missing ({path})"))
        problems.append(f"The Time Machine text is not downloaded yet: run `python -m d2l_birnn fetch` "
                        f"(it goes to {path.parent}; set {data.DATA_ENV} to change that)")
    elif data.sha1_of(path) != data.TIME_MACHINE_SHA1:
        facts.append(("The Time Machine", f"{path} (WRONG sha1)"))
        problems.append(f"{path} is not the expected file: run `python -m d2l_birnn fetch`, which "
                        f"moves it aside and downloads it again")
    else:
        facts.append(("The Time Machine", f"{path} (sha1 ok)"))

    in_colab = "google.colab" in sys.modules
    try:
        registered = _kernel_registered()
        facts.append(("Jupyter kernel", f"'{KERNEL_NAME}' " + ("registered" if registered
                                                               else "not registered")))
        if not registered and not in_colab:
            problems.append(f"the Jupyter kernel '{KERNEL_NAME}' is not registered: run `make kernel` "
                            f"or `python -m ipykernel install --user --name {KERNEL_NAME}`")
    except ImportError:
        problems.append("Jupyter is not installed: run `make setup` (or pip install jupyterlab)")
    try:
        facts.append(("Mode", runtime.mode_name() + f" ({runtime.QUICK_ENV}="
                      f"{os.environ.get(runtime.QUICK_ENV, 'unset')})"))
    except ValueError as e:
        problems.append(str(e))
    _language_and_font(facts, problems)
    return facts, problems


def _language_and_font(facts: list, problems: list) -> None:
    """The edition's language and the CJK font its Chinese figures use (a problem only in zh)."""
    from d2l_birnn import fonts, i18n

    try:
        lang = i18n.language()
        facts.append(("Language", f"{lang} ({i18n.LANG_ENV}={os.environ.get(i18n.LANG_ENV, 'unset')})"))
    except ValueError as e:
        lang = None
        problems.append(str(e))
    font = fonts.describe()
    facts.append(("CJK font", font))
    if lang == "zh" and (font.startswith("none") or font.startswith("unusable")):
        problems.append(f"the Chinese edition needs a CJK font: {font}")


def _has_cuda(mx) -> bool:
    try:
        return bool(mx.runtime.Features().is_enabled("CUDA"))
    except Exception:
        return False


def run_doctor() -> int:
    """Print the report; return 0 when nothing is wrong, 1 otherwise."""
    facts, problems = collect()
    width = max(len(name) for name, _ in facts)
    for name, value in facts:
        print(f"{name:<{width}}  {value}")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for line in problems:
            print(f"  - {line}")
        return 1
    print("\nAll good.")
    return 0
