"""Measuring what models cost: wall time and peak memory."""

from __future__ import annotations

import multiprocessing
import resource
import sys


def _child(conn, fn, args, kwargs):
    try:
        result = fn(*args, **kwargs)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send((True, result, peak_kb / 1024 if sys.platform != "darwin" else peak_kb / 2**20))
    except BaseException as e:  # report any failure to the parent
        conn.send((False, f"{type(e).__name__}: {e}", 0.0))
    finally:
        conn.close()


def run_with_peak_memory(fn, *args, **kwargs):
    """Run ``fn(*args, **kwargs)`` in a fresh process; return (result, peak RSS in MiB).

    A fresh process makes the peak that of this one job: MXNet's memory pool
    never gives memory back, so peaks measured in one process add up. ``fn``
    must be a module-level function and its result picklable. The peak
    includes the interpreter and MXNet itself (about 200 MiB), so compare
    jobs with each other rather than reading one number alone.
    """
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    ok, result, peak_mib = parent.recv()
    proc.join()
    if not ok:
        raise RuntimeError(f"the measured job failed in its own process: {result}")
    return result, peak_mib
