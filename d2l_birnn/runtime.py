"""Process-wide settings: thread counts, quick/full mode.

This module imports no framework: :func:`configure_threads` has to run *before*
MXNet is loaded, because MXNet reads its OpenMP thread count once, when its
library starts. Seeds and the run line need a framework; they are each edition's
(``d2l_birnn.mxnet.runtime``, ``d2l_birnn.torch.runtime``). The MXNet edition's
``set_seed`` and ``describe_run`` are also reachable here, as the notes' ``d2l``
API has them.
"""

from __future__ import annotations

import os
import sys

from .forwarding import mxnet_names
from .i18n import msg

# What configure_threads did when d2l_birnn was imported (doctor reports it).
APPLIED_THREADS: dict[str, str] = {}
MXNET_LOADED_FIRST = False

QUICK_ENV = "D2L_BIRNN_QUICK"
THREADS_ENV = "D2L_BIRNN_THREADS"  # "mxnet-default": leave MXNet's own choice (benchmarks)


def available_cores() -> int:
    """Number of CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def cpu_model(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The CPU's model name, e.g. ``'AMD EPYC 7B13'``: on Linux the first ``model name`` line of
    ``cpuinfo``, elsewhere :func:`platform.processor`; ``'unknown CPU'`` when neither says.

    The run line names it because seeded runs can differ between CPU models: MKL and oneDNN
    choose their kernels by CPU, and their different roundings grow over many SGD steps.
    """
    import platform

    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and value.strip():
                    return " ".join(value.split())
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def configure_threads() -> dict[str, str]:
    """Choose OpenMP thread counts for this machine before MXNet is imported.

    MXNet 1.9.1 on x86 uses half of the cores for OpenMP unless
    ``OMP_NUM_THREADS`` is set (it assumes hyper-threading), which on a 2-core
    machine is a single thread. We set ``OMP_NUM_THREADS`` to the number of
    cores this process may use.

    GNU OpenMP threads spin a long time (300,000 rounds) before they sleep. When
    another busy process shares the cores (a second notebook, a test run),
    spinning threads wait for descheduled ones and MXNet slows down tenfold or
    more (measured here: 1,600 instead of 10,000 tokens/s). ``GOMP_SPINCOUNT=10000``
    keeps the speed of an idle machine and avoids that collapse.

    A value the user set is never changed, and ``D2L_BIRNN_THREADS=mxnet-default``
    keeps MXNet's own choices.

    Returns the settings that were applied, e.g. ``{"OMP_NUM_THREADS": "2"}``
    (empty when the user's own settings were kept or MXNet was already loaded).
    """
    global MXNET_LOADED_FIRST
    applied: dict[str, str] = {}
    if "mxnet" in sys.modules:
        MXNET_LOADED_FIRST = True
        return applied  # too late: MXNet has read its settings already
    if os.environ.get(THREADS_ENV) == "mxnet-default":
        return applied
    if "OMP_NUM_THREADS" not in os.environ and "MXNET_OMP_MAX_THREADS" not in os.environ:
        applied["OMP_NUM_THREADS"] = str(available_cores())
    if "GOMP_SPINCOUNT" not in os.environ and "OMP_WAIT_POLICY" not in os.environ:
        applied["GOMP_SPINCOUNT"] = "10000"
    os.environ.update(applied)
    APPLIED_THREADS.update(applied)
    return applied


def is_quick() -> bool:
    """True when quick mode is on (``D2L_BIRNN_QUICK`` set to 1/true/yes)."""
    value = os.environ.get(QUICK_ENV, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ValueError(
        f"{QUICK_ENV}={os.environ[QUICK_ENV]!r} is not understood; "
        f"set it to 1 for quick mode or unset it (or 0) for full mode"
    )


def budget(full, quick):
    """Return ``quick`` in quick mode and ``full`` otherwise.

    Every place in a notebook whose size depends on the mode calls this, so the
    full-mode value (the one that reproduces the notes) is visible in the code:
    ``num_epochs = d2l.budget(full=500, quick=3)``.
    """
    return quick if is_quick() else full


def mode_name() -> str:
    """``'quick'`` or ``'full'``."""
    return "quick" if is_quick() else "full"


QUICK_MODE_NOTICE = msg("runtime.quick_notice", lang="en")  # in English; the notice is localized


def quick_mode_notice() -> str:
    """In quick mode, the line a notebook prints near its top; ``''`` in full mode.

    The prose of every notebook quotes the committed full-mode outputs, so in quick mode the
    reader is told that the numbers will not match: ``print(d2l.quick_mode_notice())``
    prints nothing visible in full mode and this notice in quick mode.
    """
    return msg("runtime.quick_notice") if is_quick() else ""


def full_mode_value(value, label: str = "", fmt: str = "") -> str:
    """What the full-mode run gives, for a result line printed in quick mode.

    ``f'perplexity {ppl:.2f}{d2l.full_mode_value(1.16)}'`` prints ``perplexity 3.91 (full mode:
    1.16)`` in quick mode and ``perplexity 1.16`` in full mode (the suffix is ``''``).
    ``label`` goes before the value (``full_mode_value(1.16, 'perplexity')`` gives
    `` (full mode: perplexity 1.16)``), ``fmt`` formats it (``fmt='.1%'``). Quote the value
    as the committed full-mode output prints it: tools/check_prose_numbers.py checks it
    against that output.
    """
    if not is_quick():
        return ""
    text = format(value, fmt) if fmt else str(value)
    return msg("runtime.full_mode_value", value=f"{label + ' ' if label else ''}{text}")


# The MXNet edition's seeds and run line (d2l_birnn/mxnet/runtime.py), under their old names.
_MXNET_NAMES = ("describe_run", "set_seed")
__getattr__ = mxnet_names(__name__, _MXNET_NAMES)
