"""benchmarks/bench_torch_training.py: its short form runs and prints its lines; the baseline it
times (d2l 0.17.6's PyTorch loop, verbatim) computes what this package's loops compute.

The speed targets are judged from the full benchmark's output, never here.
"""

import random
import subprocess
import sys
import types
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import bench_torch_training as bench  # noqa: E402

CONFIG = {"device": "cpu", "batch_size": 8, "num_steps": 10, "num_hiddens": 8, "num_layers": 1,
          "max_tokens": 1500, "lr": 1.0}


def test_d2ls_loop_and_ours_give_the_same_perplexities():
    (d2l_epoch, _), (our_epoch, _) = bench._setup("d2l", CONFIG), bench._setup("ours", CONFIG)
    for epoch in range(3):  # the same data order for both: the offset comes from Python's random
        random.seed(epoch)
        ppl_d2l, _ = d2l_epoch()
        random.seed(epoch)
        ppl_ours, _ = our_epoch()
        assert ppl_ours == pytest.approx(ppl_d2l, rel=1e-5)


def test_lstm_share_counts_the_lstm_events_only():
    events = [types.SimpleNamespace(key=k, cpu_time_total=t, device_time_total=0)
              for k, t in (("aten::lstm", 300.0), ("MkldnnRnnLayerBackward0", 500.0),
                           ("autograd::engine::evaluate_function: MkldnnRnnLayerBackward0", 501.0),
                           ("aten::addmm", 100.0))]
    assert bench.lstm_share(events, 1000.0) == pytest.approx(0.8)


def test_quick_benchmark_runs_and_prints_every_line():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "bench_torch_training.py"), "--quick",
                          "--rounds", "1", "--profile-steps", "1"],
                         capture_output=True, text=True, check=True, timeout=600).stdout
    assert "d2l 0.17.6 train_epoch_ch8: median" in out and "d2l_birnn.torch fast loop:" in out
    assert "speed-up, median of per-round ratios:" in out
    shares = [line for line in out.splitlines() if "inside PyTorch's LSTM forward+backward" in line]
    assert len(shares) == 2
