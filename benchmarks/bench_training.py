"""Benchmark: the d2l-style eager loop vs this package's loop on the notes' model.

Run ``.venv/bin/python benchmarks/bench_training.py`` (add ``--quick`` for a
seconds-long smoke run). Every measurement runs in a fresh process, so thread settings and peak
memory belong to that measurement alone. It prints, for the notes' BiLSTM and
its unidirectional twin:

* training tokens/s of d2l's eager loop with MXNet's default threads (the
  baseline), of the same loop with the threads d2l_birnn chooses, and of the
  package's loop (hybridized, clipping on the device, one loss read per epoch);
* the speed-up over the baseline;
* achieved GFLOP/s (tokens/s x FLOPs per training token) against a measured
  peak of MXNet's own matrix product on this machine;
* peak memory (RSS) of the process.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import timeit

from d2l_birnn.cost import lstm_flops_per_token, run_with_peak_memory, training_speed_job
from d2l_birnn.i18n import msg
from d2l_birnn.runtime import THREADS_ENV, available_cores


def matmul_peak_job(n: int = 2048, repeats: int = 5) -> dict[str, float]:
    """Best GFLOP/s of an ``n x n`` float32 matrix product in this process, two ways.

    ``"fully_connected"``: ``npx.fully_connected``, the oneDNN kernel behind
    Gluon's ``Dense`` (and the fastest product MXNet has on a CPU);
    ``"np.dot"``: ``mxnet.np.dot``, which goes to MXNet's BLAS (OpenBLAS in the
    pip wheel). The LSTM layers use oneDNN, so the first is the fair peak.
    """
    import mxnet as mx
    from mxnet import np, npx

    npx.set_np()
    a, b = np.random.uniform(size=(n, n)), np.random.uniform(size=(n, n))
    products = {
        "fully_connected": lambda: npx.fully_connected(a, b, no_bias=True, num_hidden=n),
        "np.dot": lambda: np.dot(a, b),
    }
    result = {}
    for name, product in products.items():
        product().wait_to_read()  # warm up
        best = min(timeit.repeat(lambda f=product: f().wait_to_read(), number=1, repeat=repeats))
        result[name] = 2 * n ** 3 / best / 1e9
    mx.nd.waitall()
    return result


def cpu_name() -> str:
    """The CPU's model name (Linux), or what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _in_fresh_process(fn, mxnet_default_threads: bool = False, **kwargs):
    """Run ``fn`` in a fresh process; with MXNet's own thread choice if asked."""
    saved = dict(os.environ)
    try:
        if mxnet_default_threads:
            os.environ.pop("OMP_NUM_THREADS", None)
            os.environ[THREADS_ENV] = "mxnet-default"
        return run_with_peak_memory(fn, **kwargs)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def measure_all(quick: bool = False) -> list[dict]:
    """Measure every row of the table; returns them as dicts (and prints them)."""
    epochs = dict(num_epochs=1, warmup_epochs=1, max_tokens=3000) if quick else {}
    n = 512 if quick else 2048
    peaks, _ = _in_fresh_process(matmul_peak_job, n=n)
    peak = max(peaks.values())
    print(f"{time.strftime('%Y-%m-%d')} | {platform.system()} {platform.machine()}, "
          f"{available_cores()} CPU cores ({cpu_name()}) | "
          f"{'quick smoke run' if quick else 'full run'}")
    print(f"MXNet matrix-product peak ({n}x{n} float32, threads chosen by d2l_birnn): "
          + ", ".join(f"{name} {gflops:.1f} GFLOP/s" for name, gflops in peaks.items())
          + f"; '% peak' below is against the larger, {peak:.1f}")
    loops = [("d2l eager loop, MXNet default threads", False, True),
             ("d2l eager loop, d2l_birnn threads", False, False),
             ("d2l_birnn loop (hybridized, no host sync)", True, False)]
    rows = []
    header = (f"{msg('bench.model'):<8} {msg('bench.loop'):<44} {msg('bench.threads'):>8} "
              f"{msg('bench.tokens_per_sec'):>9} {msg('bench.speedup'):>8} {'GFLOP/s':>8} "
              f"{msg('bench.peak_fraction'):>7} {msg('bench.peak_mib'):>9}")
    print(header)
    print("-" * len(header))
    for bidirectional in (True, False):
        flops = lstm_flops_per_token(28, 256, 2, bidirectional)
        baseline = None
        for name, fast, default_threads in loops:
            result, mib = _in_fresh_process(training_speed_job, mxnet_default_threads=default_threads,
                                            bidirectional=bidirectional, fast=fast, **epochs)
            speed = result["tokens_per_sec"]
            baseline = baseline or speed
            gflops = speed * flops / 1e9
            row = {"model": "BiLSTM" if bidirectional else "LSTM", "loop": name,
                   "threads": result["omp_threads"], "tokens_per_sec": speed,
                   "speedup": speed / baseline, "gflops": gflops, "peak_fraction": gflops / peak,
                   "peak_mib": mib}
            rows.append(row)
            threads = "default" if default_threads else row["threads"]
            print(f"{row['model']:<8} {name:<44} {threads:>8} {speed:>9,.0f} "
                  f"{row['speedup']:>7.2f}x {gflops:>8.1f} {100 * row['peak_fraction']:>6.0f}% "
                  f"{mib:>9.0f}")
    print(f"FLOPs per training token: BiLSTM {lstm_flops_per_token(28, 256, 2, True) / 1e6:.1f} M, "
          f"LSTM {lstm_flops_per_token(28, 256, 2, False) / 1e6:.1f} M (2 x 256 hidden, vocab 28)")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_training.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a seconds-long smoke run on a short corpus (for CI)")
    measure_all(quick=parser.parse_args(argv).quick)


if __name__ == "__main__":
    main()
