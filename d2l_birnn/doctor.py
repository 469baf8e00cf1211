"""``python -m d2l_birnn doctor``: what this environment has, and how to fix what is wrong.

Every label, value and fix-it line goes through the message catalogue (``doctor.*`` keys), so the
Chinese edition (``D2L_BIRNN_LANG=zh``) prints the report in Chinese."""

from __future__ import annotations

import os
import platform
import sys
import unicodedata

from .i18n import msg

KERNEL_NAME = "d2l-birnn"


def _kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def collect() -> tuple[list[tuple[str, str]], list[str]]:
    """Return (facts as (name, value) rows, problems as one fix-it line each)."""
    facts: list[tuple[str, str]] = []
    problems: list[str] = []
    facts.append((msg("doctor.python"), f"{platform.python_version()} ({sys.executable})"))
    if not (3, 9) <= sys.version_info[:2] <= (3, 13):  # as tools/check_python.py
        problems.append(msg("doctor.fix.python"))

    import numpy

    import d2l_birnn
    from d2l_birnn import data, runtime

    facts.append((msg("doctor.numpy"), numpy.__version__))
    patched = d2l_birnn.numpy_patched
    facts.append((msg("doctor.compat"), msg("doctor.compat.active", n=len(patched)) if patched
                  else msg("doctor.compat.not_needed")))
    try:
        import mxnet as mx

        facts.append((msg("doctor.mxnet"), msg("doctor.mxnet.build", version=mx.__version__,
                                               build="CUDA" if _has_cuda(mx) else "CPU")))
        gpus = mx.context.num_gpus()
        facts.append((msg("doctor.gpus"), str(gpus)))
    except Exception as e:  # MXNet failing to load is exactly what doctor must report
        facts.append((msg("doctor.mxnet"), msg("doctor.mxnet.fails", error=f"{type(e).__name__}: {e}")))
        problems.append(msg("doctor.fix.mxnet"))
    try:
        import d2l

        facts.append((msg("doctor.d2l"), d2l.__version__))
        if d2l.__version__ != "1.0.3":
            problems.append(msg("doctor.fix.d2l_version", version=d2l.__version__))
    except ImportError:
        problems.append(msg("doctor.fix.d2l_missing"))

    _threads(facts, problems, runtime)
    _time_machine(facts, problems, data)
    in_colab = "google.colab" in sys.modules
    try:
        registered = _kernel_registered()
        facts.append((msg("doctor.kernel"), msg("doctor.kernel.registered" if registered
                                                else "doctor.kernel.not_registered", name=KERNEL_NAME)))
        if not registered and not in_colab:
            problems.append(msg("doctor.fix.kernel", name=KERNEL_NAME))
    except ImportError:
        problems.append(msg("doctor.fix.jupyter"))
    try:
        mode = msg(f"runtime.mode.{runtime.mode_name()}")
        facts.append((msg("doctor.mode"), msg("doctor.mode.value", mode=mode, env=runtime.QUICK_ENV,
                                              value=_env(runtime.QUICK_ENV))))
    except ValueError as e:
        problems.append(str(e))
    _language_and_font(facts, problems)
    return facts, problems


def _env(name: str) -> str:
    return os.environ.get(name, msg("doctor.unset"))


def _threads(facts: list, problems: list, runtime) -> None:
    """CPU cores and the OpenMP settings (a problem if MXNet came first and runs on its default)."""
    facts.append((msg("doctor.cores"), str(runtime.available_cores())))
    names = ("OMP_NUM_THREADS", "GOMP_SPINCOUNT")
    facts.append((msg("doctor.threads"), msg("doctor.list_sep").join(
        f"{k}={_env(k)}" + (msg("doctor.threads.chosen") if k in runtime.APPLIED_THREADS else "")
        for k in names)))
    if runtime.MXNET_LOADED_FIRST and "OMP_NUM_THREADS" not in os.environ:
        problems.append(msg("doctor.fix.threads"))


def _time_machine(facts: list, problems: list, data) -> None:
    """Where The Time Machine is and whether its SHA-1 is right."""
    path = data.data_dir() / "timemachine.txt"
    name = msg("doctor.time_machine")
    if not path.exists():
        facts.append((name, msg("doctor.time_machine.missing", path=path)))
        problems.append(msg("doctor.fix.fetch", folder=path.parent, env=data.DATA_ENV))
    elif data.sha1_of(path) != data.TIME_MACHINE_SHA1:
        facts.append((name, msg("doctor.time_machine.wrong", path=path)))
        problems.append(msg("doctor.fix.sha1", path=path))
    else:
        facts.append((name, msg("doctor.time_machine.ok", path=path)))


def _language_and_font(facts: list, problems: list) -> None:
    """The edition's language and the CJK font its Chinese figures use (a problem only in zh)."""
    from d2l_birnn import fonts, i18n

    try:
        lang = i18n.language()
        facts.append((msg("doctor.language"), msg("doctor.language.value", code=lang, env=i18n.LANG_ENV,
                                                   value=_env(i18n.LANG_ENV))))
    except ValueError as e:
        lang = None
        problems.append(str(e))
    font = fonts.describe()
    facts.append((msg("doctor.font"), font))
    if lang == "zh" and (font.startswith("none") or font.startswith("unusable")):
        problems.append(msg("doctor.fix.font", font=font))


def _has_cuda(mx) -> bool:
    try:
        return bool(mx.runtime.Features().is_enabled("CUDA"))
    except Exception:
        return False


def run_doctor() -> int:
    """Print the report; return 0 when nothing is wrong, 1 otherwise."""
    facts, problems = collect()
    width = max(_width(name) for name, _ in facts)
    for name, value in facts:
        print(f"{name}{' ' * (width - _width(name))}  {value}")
    if problems:
        print("\n" + msg("doctor.problems", n=len(problems)))
        for line in problems:
            print(f"  - {line}")
        return 1
    print("\n" + msg("doctor.all_good"))
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
