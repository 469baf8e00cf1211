"""Seeds and the run line for MXNet (the core's :mod:`d2l_birnn.runtime` holds the rest:
threads, quick and full mode). MXNet loads when a function here is called, not on import.
"""

from __future__ import annotations

import os
import random

from ..i18n import msg
from ..runtime import available_cores, cpu_model, mode_name


def set_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and MXNet (CPU and, where present, GPU)."""
    import mxnet as mx
    import numpy

    random.seed(seed)
    numpy.random.seed(seed)
    mx.random.seed(seed)
    for i in range(mx.context.num_gpus()):
        mx.random.seed(seed, ctx=mx.gpu(i))


def describe_run(lang: str | None = None) -> str:
    """One line saying where and how this notebook or script runs, in the edition's language
    (``lang``: ``'en'``, ``'zh'``; default :func:`d2l_birnn.i18n.language`).

    For example ``2026-12-06 08:30 UTC | Linux x86_64, AMD EPYC, 2 CPU cores | MXNet 1.9.1
    on cpu(0), OMP_NUM_THREADS=2 | full mode`` (``... | Linux x86_64，AMD EPYC，2 个 CPU 核 |
    MXNet 1.9.1，设备 cpu(0)，OMP_NUM_THREADS=2 | 完整模式``). Notebooks print it next to results
    so that every number says which machine, CPU model (:func:`d2l_birnn.runtime.cpu_model`)
    and mode made it.
    """
    import datetime
    import platform

    import mxnet as mx

    gpus = mx.context.num_gpus()
    device = msg("runtime.gpus", gpus=gpus, lang=lang) if gpus else "cpu(0)"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    threads = os.environ.get("OMP_NUM_THREADS") or msg("runtime.mxnet_default", lang=lang)
    return msg("runtime.describe", now=now, system=platform.system(), machine=platform.machine(),
               cpu=cpu_model(), cores=available_cores(), version=mx.__version__, device=device,
               threads=threads, mode=msg(f"runtime.mode.{mode_name()}", lang=lang), lang=lang)


__all__ = ["describe_run", "set_seed"]
