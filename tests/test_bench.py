"""d2l_birnn.bench: the FLOP count, and the benchmark's short form runs and prints its table.

The speed targets are judged from the full benchmark's output in the README, never here.
"""

import subprocess
import sys

from d2l_birnn import bench


def test_flops_of_the_notes_model():
    # layer 1: 2 dirs x 4 gates x 256 x (28 + 256); layer 2: 2 x 4 x 256 x (512 + 256); dense 512 x 28
    macs = 2 * 4 * 256 * (28 + 256) + 2 * 4 * 256 * (512 + 256) + 512 * 28
    assert bench.lstm_flops_per_token(28, 256, 2, True) == 2 * 3 * macs
    assert bench.lstm_flops_per_token(28, 256, 2, True, training=False) == 2 * macs
    uni = bench.lstm_flops_per_token(28, 256, 2, False)
    assert 2.5 < bench.lstm_flops_per_token(28, 256, 2, True) / uni < 2.8  # more than 2x


def test_quick_benchmark_runs_and_prints_every_row():
    out = subprocess.run([sys.executable, "-m", "d2l_birnn.bench", "--quick"], capture_output=True,
                         text=True, check=True, timeout=600).stdout
    assert "matrix-product peak" in out
    rows = [line for line in out.splitlines() if line.startswith(("BiLSTM ", "LSTM "))]
    assert len(rows) == 6
    for row in rows:
        tokens_per_sec = float(row.split()[-5].replace(",", ""))
        assert tokens_per_sec > 0


def test_hmm_benchmark_quick_form_runs_and_checks_agreement():
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_hmm.py"
    out = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    assert "ratio ours/hmmlearn" in out
    assert "posteriors agree with hmmlearn's to 1e-6: True" in out
