"""Time ``HMM.posterior`` against hmmlearn's ``CategoricalHMM.predict_proba``.

    .venv/bin/python benchmarks/bench_hmm.py           # k=10, V=28, T=10,000 and T=100,000
    .venv/bin/python benchmarks/bench_hmm.py --quick   # tiny sizes, a few seconds (CI)

Both compute P(h_t | x) for every t of one sequence under the same random
model. hmmlearn (``pip install hmmlearn==0.3.3``, in the dev extras) runs its
recursions in C++; its default ``implementation="log"`` works in log space,
``"scaling"`` rescales like we do. The script prints best-of-``repeats``
and median times and the ratio ours / hmmlearn; it checks that the posteriors
agree, never the times (they depend on what else the machine is doing).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import timeit

import numpy as np

from d2l_birnn.hmm import HMM


def time_calls(fns: dict, repeats: int) -> dict:
    """{name: (best, median)} wall times in seconds of each ``fn()`` over ``repeats`` rounds.

    The functions take turns within each round, so that a burst of load from
    other jobs on the machine slows all of them rather than only one.
    """
    times: dict = {name: [] for name in fns}
    for _ in range(repeats):   # rounds by hand (not timeit.repeat) so that the calls interleave
        for name, fn in fns.items():
            times[name].append(timeit.timeit(fn, number=1))
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def hmmlearn_model(model: HMM, implementation: str):
    """hmmlearn's ``CategoricalHMM`` with our model's parameters, or None if not installed."""
    try:
        from hmmlearn.hmm import CategoricalHMM
    except ImportError:
        return None
    ref = CategoricalHMM(n_components=model.num_states, n_features=model.num_symbols,
                         implementation=implementation)
    ref.startprob_ = np.array(model.start)
    ref.transmat_ = np.array(model.trans)
    ref.emissionprob_ = np.array(model.emit)
    return ref


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for CI): runs in seconds")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per measurement")
    args = parser.parse_args(argv)
    k, V = (4, 6) if args.quick else (10, 28)
    lengths = [300] if args.quick else [10_000, 100_000]
    repeats = args.repeats or (2 if args.quick else 7)

    try:
        import hmmlearn
        reference = f"hmmlearn {hmmlearn.__version__}"
    except ImportError:
        reference = "hmmlearn not installed"
    print(f"bench_hmm: posterior P(h_t | x), k={k} states, V={V} symbols, best/median of "
          f"{repeats} interleaved calls{' (quick mode)' if args.quick else ''}")
    print(f"machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
          f"NumPy {np.__version__}, {reference}")
    model = HMM.random(k, V, rng=0)
    for T in lengths:
        _, x = model.sample(T, rng=1)
        X = x[:, None]
        ours = model.posterior(x)
        fns = {"ours": lambda x=x: model.posterior(x)}
        refs = {impl: hmmlearn_model(model, impl) for impl in ("log", "scaling")}
        for impl, ref in refs.items():
            if ref is None:
                continue
            diff = float(np.abs(ref.predict_proba(X) - ours).max())
            if not diff < 1e-6:
                print(f"ERROR: posteriors differ from hmmlearn {impl}'s by {diff:.3g}",
                      file=sys.stderr)
                return 1
            fns[impl] = lambda X=X, ref=ref: ref.predict_proba(X)
        timings = time_calls(fns, repeats)
        best, median = timings["ours"]
        print(f"T={T:>7,}  d2l_birnn HMM.posterior               best {best * 1e3:8.2f} ms  "
              f"median {median * 1e3:8.2f} ms")
        if len(fns) == 1:
            print("           hmmlearn not installed: no reference timing "
                  "(pip install hmmlearn==0.3.3)")
        for impl in ("log", "scaling"):
            if impl not in timings:
                continue
            ref_best, ref_median = timings[impl]
            label = "default" if impl == "log" else "       "
            print(f"           hmmlearn {impl:<7} ({label}) predict_proba  best "
                  f"{ref_best * 1e3:8.2f} ms  median {ref_median * 1e3:8.2f} ms  "
                  f"ratio ours/hmmlearn {best / ref_best:5.2f} (best), "
                  f"{median / ref_median:5.2f} (median)")
        loglik = model.log_likelihood(x)
        agree = "" if len(fns) == 1 else ", posteriors agree with hmmlearn's to 1e-6: True"
        print(f"           log P(x) = {loglik:.6g} (finite: {np.isfinite(loglik)}), "
              f"posterior rows sum to 1: {bool(np.allclose(ours.sum(axis=1), 1))}{agree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
