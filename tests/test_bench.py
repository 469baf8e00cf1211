"""The benchmarks in benchmarks/: their short forms run and print their tables.

The speed targets are judged from the full benchmark's output in the README, never here.
"""

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_quick_training_benchmark_runs_and_prints_every_row():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "bench_training.py"), "--quick"],
                         capture_output=True, text=True, check=True, timeout=600).stdout
    assert "matrix-product peak" in out
    rows = [line for line in out.splitlines() if line.startswith(("BiLSTM ", "LSTM "))]
    assert len(rows) == 6
    for row in rows:
        tokens_per_sec = float(row.split()[-5].replace(",", ""))
        assert tokens_per_sec > 0


def test_hmm_benchmark_quick_form_runs_and_checks_agreement():
    script = BENCHMARKS / "bench_hmm.py"
    out = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    assert "ratio ours/hmmlearn" in out
    assert "posteriors agree with hmmlearn's to 1e-6: True" in out
