"""``python -m d2l_birnn doctor``: what this environment has, and how to fix what is wrong.

The parts both editions report, importing no framework: CPU cores and threads, The Time
Machine, the Jupyter kernel, the language and the CJK font, and the printed report. Each
edition's ``collect`` asks its own framework: :mod:`d2l_birnn.mxnet.doctor` (MXNet and d2l
1.0.3; ``python -m d2l_birnn doctor``, and ``collect``/``run_doctor`` here) and
:mod:`d2l_birnn.torch.doctor` (PyTorch).

Every label, value and fix-it line goes through the message catalogue (``doctor.*`` keys), so the
Chinese edition (``D2L_BIRNN_LANG=zh``) prints the report in Chinese."""

from __future__ import annotations

import os
import sys
import unicodedata

from . import i18n
from .forwarding import mxnet_names


def text(key: str, **fields) -> str:
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


def kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def add_kernel_and_mode(facts: list, problems: list) -> None:
    """Whether the Jupyter kernel is registered (not needed on Colab), and quick or full mode."""
    from d2l_birnn import runtime

    try:
        registered = kernel_registered()
        facts.append((text("doctor.kernel"), text("doctor.kernel.registered" if registered
                                                  else "doctor.kernel.not_registered",
                                                  name=KERNEL_NAME)))
        if not registered and "google.colab" not in sys.modules:
            problems.append(text("doctor.fix.kernel", name=KERNEL_NAME))
    except ImportError:
        problems.append(text("doctor.fix.jupyter"))
    try:
        mode = text(f"runtime.mode.{runtime.mode_name()}")
        facts.append((text("doctor.mode"), text("doctor.mode.value", mode=mode, env=runtime.QUICK_ENV,
                                                value=env_value(runtime.QUICK_ENV))))
    except ValueError as e:
        problems.append(str(e))


def env_value(name: str) -> str:
    return os.environ.get(name, text("doctor.unset"))


def add_cores(facts: list) -> None:
    """The CPU cores this process may use, and the CPU model (seeded runs depend on it)."""
    from d2l_birnn import runtime

    facts.append((text("doctor.cores"), f"{runtime.available_cores()} ({runtime.cpu_model()})"))


def add_threads(facts: list, problems: list, runtime) -> None:
    """CPU cores and the OpenMP settings (a problem if MXNet came first and runs on its default)."""
    add_cores(facts)
    names = ("OMP_NUM_THREADS", "GOMP_SPINCOUNT")
    facts.append((text("doctor.threads"), text("doctor.list_sep").join(
        f"{k}={env_value(k)}" + (text("doctor.threads.chosen") if k in runtime.APPLIED_THREADS else "")
        for k in names)))
    if runtime.MXNET_LOADED_FIRST and "OMP_NUM_THREADS" not in os.environ:
        problems.append(text("doctor.fix.threads"))


def add_time_machine(facts: list, problems: list, data) -> None:
    """Where The Time Machine is and whether its SHA-1 is right."""
    path = data.data_dir() / "timemachine.txt"
    name = text("doctor.time_machine")
    if not path.exists():
        facts.append((name, text("doctor.time_machine.missing", path=path)))
        problems.append(text("doctor.fix.fetch", folder=path.parent, env=data.DATA_ENV))
    elif data.sha1_of(path) != data.TIME_MACHINE_SHA1:
        facts.append((name, text("doctor.time_machine.wrong", path=path)))
        problems.append(text("doctor.fix.sha1", path=path))
    else:
        facts.append((name, text("doctor.time_machine.ok", path=path)))


def add_language_and_font(facts: list, problems: list) -> None:
    """The edition's language and the CJK font its Chinese figures use (a problem only in zh)."""
    from d2l_birnn import fonts

    try:
        lang = i18n.language()
        facts.append((text("doctor.language"), text("doctor.language.value", code=lang, env=i18n.LANG_ENV,
                                                   value=env_value(i18n.LANG_ENV))))
    except ValueError as e:
        lang = None
        problems.append(str(e))
    font = fonts.describe()
    facts.append((text("doctor.font"), font))
    if lang == "zh" and (font.startswith("none") or font.startswith("unusable")):
        problems.append(text("doctor.fix.font", font=font))


def report(facts: list[tuple[str, str]], problems: list[str]) -> int:
    """Print an edition's report (facts as aligned rows, then one fix-it line per problem);
    return 0 when nothing is wrong, 1 otherwise."""
    width = max(columns(name) for name, _ in facts)
    for name, value in facts:
        print(f"{name}{' ' * (width - columns(name))}  {value}")
    if problems:
        print("\n" + text("doctor.problems", n=len(problems)))
        for line in problems:
            print(f"  - {line}")
        return 1
    print("\n" + text("doctor.all_good"))
    return 0


def columns(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# The MXNet edition's report (d2l_birnn/mxnet/doctor.py), under its old names.
_MXNET_NAMES = ("collect", "run_doctor")
__getattr__ = mxnet_names(__name__, _MXNET_NAMES)
