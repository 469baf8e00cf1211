"""The MXNet edition's environment report: ``python -m d2l_birnn doctor``.

It asks MXNet (its version, build and the GPUs it sees), d2l 1.0.3 and the NumPy
compatibility layer, and shares the rest with the PyTorch edition's report
(:mod:`d2l_birnn.doctor`): CPU cores and threads, The Time Machine, the Jupyter kernel,
the mode, the language and the CJK font. Every line goes through the message catalogue.
"""

from __future__ import annotations

import platform
import sys

from .. import doctor as _core
from ..doctor import text


def collect() -> tuple[list[tuple[str, str]], list[str]]:
    """Return (facts as (name, value) rows, problems as one fix-it line each)."""
    import numpy

    import d2l_birnn
    from d2l_birnn import data, runtime

    facts = [(text("doctor.python"), f"{platform.python_version()} ({sys.executable})"),
             (text("doctor.numpy"), numpy.__version__)]
    problems: list[str] = []
    if not (3, 9) <= sys.version_info[:2] <= (3, 13):  # as tools/check_python.py
        problems.append(text("doctor.fix.python"))
    patched = d2l_birnn.numpy_patched
    facts.append((text("doctor.compat"), text("doctor.compat.active", n=len(patched)) if patched
                  else text("doctor.compat.not_needed")))
    _add_mxnet(facts, problems)
    _add_d2l(facts, problems)
    _core.add_threads(facts, problems, runtime)
    _core.add_time_machine(facts, problems, data)
    _core.add_kernel_and_mode(facts, problems)
    _core.add_language_and_font(facts, problems)
    return facts, problems


def _add_mxnet(facts: list, problems: list) -> None:
    """MXNet's version, whether it is the CUDA build, and the GPUs it sees."""
    try:
        import mxnet as mx

        facts.append((text("doctor.mxnet"), text("doctor.mxnet.build", version=mx.__version__,
                                                 build="CUDA" if _has_cuda(mx) else "CPU")))
        facts.append((text("doctor.gpus"), str(mx.context.num_gpus())))
    except Exception as e:  # MXNet failing to load is exactly what doctor must report
        facts.append((text("doctor.mxnet"), text("doctor.mxnet.fails",
                                                 error=f"{type(e).__name__}: {e}")))
        problems.append(text("doctor.fix.mxnet"))


def _add_d2l(facts: list, problems: list) -> None:
    """The d2l package this edition builds on (1.0.3, installed without its dependencies)."""
    try:
        import d2l

        facts.append((text("doctor.d2l"), d2l.__version__))
        if d2l.__version__ != "1.0.3":
            problems.append(text("doctor.fix.d2l_version", version=d2l.__version__))
    except ImportError:
        problems.append(text("doctor.fix.d2l_missing"))


def _has_cuda(mx) -> bool:
    try:
        return bool(mx.runtime.Features().is_enabled("CUDA"))
    except Exception:
        return False


def run_doctor() -> int:
    """Print the report; return 0 when nothing is wrong, 1 otherwise."""
    return _core.report(*collect())
