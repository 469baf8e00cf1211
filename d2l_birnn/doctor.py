"""``python -m d2l_birnn doctor``: what this environment has, and how to fix what is wrong.

Every label, value and fix-it line goes through the message catalogue (``doctor.*`` keys), so the
Chinese edition (``D2L_BIRNN_LANG=zh``) prints the report in Chinese."""

from __future__ import annotations

import os
import platform
import sys
import unicodedata

from . import i18n


def _t(key: str, **fields) -> str:
    """A catalogue text in the edition's language, without :func:`d2l_birnn.i18n.msg`'s font side
    effect and in English when the language setting is invalid: the report lists a broken font or
    language setting instead of failing on it."""
    try:
        index = i18n.LANGUAGES.index(i18n.language())
    except ValueError:
        index = 0
    template = i18n.CATALOGUE[key][index]
    return template.format(**fields) if fields else template

KERNEL_NAME = "d2l-birnn"


def _kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def collect() -> tuple[list[tuple[str, str]], list[str]]:
    """Return (facts as (name, value) rows, problems as one fix-it line each)."""
    facts: list[tuple[str, str]] = []
    problems: list[str] = []
    facts.append((_t("doctor.python"), f"{platform.python_version()} ({sys.executable})"))
    if not (3, 9) <= sys.version_info[:2] <= (3, 13):  # as tools/check_python.py
        problems.append(_t("doctor.fix.python"))

    import numpy

    import d2l_birnn
    from d2l_birnn import data, runtime

    facts.append((_t("doctor.numpy"), numpy.__version__))
    patched = d2l_birnn.numpy_patched
    facts.append((_t("doctor.compat"), _t("doctor.compat.active", n=len(patched)) if patched
                  else _t("doctor.compat.not_needed")))
    try:
        import mxnet as mx

        facts.append((_t("doctor.mxnet"), _t("doctor.mxnet.build", version=mx.__version__,
                                               build="CUDA" if _has_cuda(mx) else "CPU")))
        gpus = mx.context.num_gpus()
        facts.append((_t("doctor.gpus"), str(gpus)))
    except Exception as e:  # MXNet failing to load is exactly what doctor must report
        facts.append((_t("doctor.mxnet"), _t("doctor.mxnet.fails", error=f"{type(e).__name__}: {e}")))
        problems.append(_t("doctor.fix.mxnet"))
    try:
        import d2l

        facts.append((_t("doctor.d2l"), d2l.__version__))
        if d2l.__version__ != "1.0.3":
            problems.append(_t("doctor.fix.d2l_version", version=d2l.__version__))
    except ImportError:
        problems.append(_t("doctor.fix.d2l_missing"))

    _threads(facts, problems, runtime)
    _time_machine(facts, problems, data)
    in_colab = "google.colab" in sys.modules
    try:
        registered = _kernel_registered()
        facts.append((_t("doctor.kernel"), _t("doctor.kernel.registered" if registered
                                                else "doctor.kernel.not_registered", name=KERNEL_NAME)))
        if not registered and not in_colab:
            problems.append(_t("doctor.fix.kernel", name=KERNEL_NAME))
    except ImportError:
        problems.append(_t("doctor.fix.jupyter"))
    try:
        mode = _t(f"runtime.mode.{runtime.mode_name()}")
        facts.append((_t("doctor.mode"), _t("doctor.mode.value", mode=mode, env=runtime.QUICK_ENV,
                                              value=_env(runtime.QUICK_ENV))))
    except ValueError as e:
        problems.append(str(e))
    _language_and_font(facts, problems)
    return facts, problems


def _env(name: str) -> str:
    return os.environ.get(name, _t("doctor.unset"))


def _threads(facts: list, problems: list, runtime) -> None:
    """CPU cores and the OpenMP settings (a problem if MXNet came first and runs on its default)."""
    facts.append((_t("doctor.cores"), str(runtime.available_cores())))
    names = ("OMP_NUM_THREADS", "GOMP_SPINCOUNT")
    facts.append((_t("doctor.threads"), _t("doctor.list_sep").join(
        f"{k}={_env(k)}" + (_t("doctor.threads.chosen") if k in runtime.APPLIED_THREADS else "")
        for k in names)))
    if runtime.MXNET_LOADED_FIRST and "OMP_NUM_THREADS" not in os.environ:
        problems.append(_t("doctor.fix.threads"))


def _time_machine(facts: list, problems: list, data) -> None:
    """Where The Time Machine is and whether its SHA-1 is right."""
    path = data.data_dir() / "timemachine.txt"
    name = _t("doctor.time_machine")
    if not path.exists():
        facts.append((name, _t("doctor.time_machine.missing", path=path)))
        problems.append(_t("doctor.fix.fetch", folder=path.parent, env=data.DATA_ENV))
    elif data.sha1_of(path) != data.TIME_MACHINE_SHA1:
        facts.append((name, _t("doctor.time_machine.wrong", path=path)))
        problems.append(_t("doctor.fix.sha1", path=path))
    else:
        facts.append((name, _t("doctor.time_machine.ok", path=path)))


def _language_and_font(facts: list, problems: list) -> None:
    """The edition's language and the CJK font its Chinese figures use (a problem only in zh)."""
    from d2l_birnn import fonts

    try:
        lang = i18n.language()
        facts.append((_t("doctor.language"), _t("doctor.language.value", code=lang, env=i18n.LANG_ENV,
                                                   value=_env(i18n.LANG_ENV))))
    except ValueError as e:
        lang = None
        problems.append(str(e))
    font = fonts.describe()
    facts.append((_t("doctor.font"), font))
    if lang == "zh" and (font.startswith("none") or font.startswith("unusable")):
        problems.append(_t("doctor.fix.font", font=font))


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
        print("\n" + _t("doctor.problems", n=len(problems)))
        for line in problems:
            print(f"  - {line}")
        return 1
    print("\n" + _t("doctor.all_good"))
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
