"""The PyTorch edition's environment report: ``from d2l_birnn.torch.doctor import run_doctor``.

The MXNet report (:mod:`d2l_birnn.doctor`) asks MXNet and d2l 1.0.3; this one asks PyTorch (its
version, build and the GPUs it sees) and its threads, and shares the rest: Python, NumPy, CPU
cores, The Time Machine, the Jupyter kernel, the mode, the language and the CJK font. Every label,
value and fix-it line goes through the message catalogue (``doctor.*``). It never imports MXNet.
"""

from __future__ import annotations

import os
import platform
import sys

from .. import doctor as _core
from ..i18n import msg


def collect() -> tuple[list[tuple[str, str]], list[str]]:
    """Return (facts as (name, value) rows, problems as one fix-it line each)."""
    import numpy

    from .. import data

    facts: list[tuple[str, str]] = [
        (msg("doctor.python"), f"{platform.python_version()} ({sys.executable})"),
        (msg("doctor.numpy"), numpy.__version__)]
    problems: list[str] = []
    if not (3, 10) <= sys.version_info[:2] <= (3, 13):   # the PyTorch edition's range
        problems.append(msg("doctor.fix.python"))
    try:
        import torch

        build = "CUDA" if torch.version.cuda else "CPU"
        facts.append((msg("doctor.torch"), msg("doctor.mxnet.build", version=torch.__version__,
                                               build=build)))
        facts.append((msg("doctor.torch.gpus"), str(torch.cuda.device_count())))
        _core.add_cores(facts)
        facts.append((msg("doctor.threads"), msg("doctor.torch.threads",
                                                 threads=torch.get_num_threads(),
                                                 omp=os.environ.get("OMP_NUM_THREADS",
                                                                    msg("doctor.unset")))))
    except Exception as e:  # PyTorch failing to load is exactly what doctor must report
        facts.append((msg("doctor.torch"), msg("doctor.mxnet.fails",
                                               error=f"{type(e).__name__}: {e}")))
        problems.append(msg("doctor.fix.torch"))
    _core.add_time_machine(facts, problems, data)
    _core.add_kernel_and_mode(facts, problems)
    _core.add_language_and_font(facts, problems)
    return facts, problems


def run_doctor() -> int:
    """Print the report; return 0 when nothing is wrong, 1 otherwise."""
    return _core.report(*collect())
