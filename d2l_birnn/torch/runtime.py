"""Devices, seeds and the run line for PyTorch (the MXNet edition's are in :mod:`d2l_birnn.mxnet.runtime`;
threads and quick or full mode are the core's :mod:`d2l_birnn.runtime`)."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from ..i18n import msg
from ..runtime import available_cores, cpu_model, mode_name


def try_gpu(i: int = 0) -> torch.device:
    """``cuda:i`` if it exists, otherwise the CPU (d2l 0.17.6)."""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def check_device(device) -> torch.device:
    """``device`` as a ``torch.device``, or ``ValueError`` saying why it cannot be used here.

    Accepts a ``torch.device`` or a string such as ``'cpu'`` or ``'cuda:0'``. Refuses an
    MXNet context (``mx.cpu()``, from the other edition), an unknown name, and a GPU this
    machine does not have.
    """
    if type(device).__module__.split(".")[0] == "mxnet":
        raise ValueError(f"device {device} is an MXNet context; the PyTorch edition needs a "
                         f"torch.device: use d2l.try_gpu() (from d2l_birnn import torch as d2l) "
                         f"or torch.device('cpu')")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as e:
        raise ValueError(f"device {device!r} is not a device PyTorch knows ({e}); use "
                         f"d2l.try_gpu() or torch.device('cpu')") from None
    if dev.type == "cuda":
        count = torch.cuda.device_count()
        index = 0 if dev.index is None else dev.index
        if index >= count:
            raise ValueError(f"device {dev} is not available: this machine has {count} CUDA GPU(s) "
                             f"(torch.cuda.is_available() is {torch.cuda.is_available()}); use "
                             f"d2l.try_gpu(), which falls back to the CPU")
    return dev


def set_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and PyTorch (CPU and every GPU)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # seeds the CUDA generators too


def describe_run(device=None) -> str:
    """One line saying where and how this runs, e.g. ``2026-12-06 08:30 UTC | Linux x86_64,
    AMD EPYC, 2 CPU cores | PyTorch 2.13.0+cpu on cpu, 2 threads | full mode``."""
    import datetime
    import platform

    device = torch.device(device) if device is not None else try_gpu()
    where = str(device)
    if device.type == "cuda":
        where += f" ({torch.cuda.get_device_name(device)})"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return msg("runtime.describe_torch", now=now, system=platform.system(),
               machine=platform.machine(), cpu=cpu_model(), cores=available_cores(),
               version=torch.__version__,
               device=where, threads=torch.get_num_threads(),
               omp=os.environ.get("OMP_NUM_THREADS", "unset"),
               mode=msg(f"runtime.mode.{mode_name()}"))


__all__ = ["check_device", "describe_run", "set_seed", "try_gpu"]
