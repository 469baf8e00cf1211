"""The PyTorch edition on a CUDA GPU: the notes' BiLSTM through ``d2l_birnn.torch``.

    python tools/gpu_check_torch.py [--epochs N]     # in an environment with CUDA PyTorch

What it runs and reports, each training run in a fresh process:

1. the notes' model, ``RNNModel(nn.LSTM(vocab, 256, 2, bidirectional=True))``, batch 32,
   35 steps, lr 1, through ``d2l.train_ch8`` (the fast loop), for N epochs on the CPU
   and on the GPU: tokens/s on each, and the GPU's perplexity after N epochs against
   the CPU's (they differ by float rounding and cuDNN's kernels, not by more than
   ``--tolerance``);
2. the GPU run twice with PyTorch's defaults, and twice with deterministic settings
   (``CUBLAS_WORKSPACE_CONFIG=:4096:8`` set before CUDA starts,
   ``torch.use_deterministic_algorithms(True)``, ``cudnn.deterministic = True``,
   ``cudnn.benchmark = False``): whether each pair agrees bit for bit (all per-epoch
   perplexities and a SHA-256 of all parameters);
3. the PyTorch notebook 04 in quick mode on the GPU, when it exists.

Exit status: 0 all as expected; 3 no CUDA GPU (nothing ran); 6 the GPU's perplexity
is off the CPU's, or the deterministic runs differ; 5 the notebook failed; 1 a run failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "pytorch" / "04_bilstm_gluon.ipynb"
NO_GPU, OFF, NOTEBOOK_FAILED, RUN_FAILED = 3, 6, 5, 1
DETERMINISTIC_ENV = {"CUBLAS_WORKSPACE_CONFIG": ":4096:8"}


def make_deterministic() -> None:
    """PyTorch's settings for repeatable GPU runs (the environment variable is set by the caller,
    before CUDA starts)."""
    import torch

    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def train_run(device: str, epochs: int, deterministic: bool = False, num_hiddens: int = 256,
              max_tokens: int = 10000, seed: int = 0) -> dict:
    """Train the notes' BiLSTM with ``d2l_birnn.torch`` in this process; what it did."""
    import torch
    from torch import nn

    from d2l_birnn import torch as d2l

    if deterministic:
        make_deterministic()
    d2l.set_seed(seed)
    train_iter, vocab = d2l.load_data_time_machine(32, 35, max_tokens=max_tokens)
    net = d2l.RNNModel(nn.LSTM(len(vocab), num_hiddens, 2, bidirectional=True), len(vocab))
    history = d2l.train_ch8(net, train_iter, vocab, 1, epochs, torch.device(device), plot=False,
                            verbose=False)
    digest = hashlib.sha256()
    for name, value in sorted(net.state_dict().items()):
        digest.update(name.encode() + value.detach().cpu().contiguous().numpy().tobytes())
    timed = history.epoch_seconds[1:] or history.epoch_seconds  # the first epoch warms up
    return {"device": str(device), "deterministic": deterministic, "perplexities": list(history),
            "tokens_per_sec": history.tokens_per_epoch * len(timed) / sum(timed),
            "params_sha256": digest.hexdigest(), "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else ""}


def run_in_process(device: str, epochs: int, deterministic: bool = False, **sizes) -> dict:
    """:func:`train_run` in a fresh process (``python gpu_check_torch.py run ...``);
    ``{'device', 'error'}`` if it failed."""
    args = [sys.executable, __file__, "run", device, str(epochs)]
    args += ["--deterministic"] if deterministic else []
    args += [f"--{k.replace('_', '-')}={v}" for k, v in sizes.items()]
    env = {**os.environ, **(DETERMINISTIC_ENV if deterministic else {})}
    result = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        return {"device": device, "error": (result.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def agree(a: dict, b: dict) -> bool:
    """Two runs agree bit for bit: the same per-epoch perplexities and parameters."""
    return a["perplexities"] == b["perplexities"] and a["params_sha256"] == b["params_sha256"]


def relative_gap(cpu: dict, gpu: dict) -> float:
    """|GPU - CPU| / CPU of the perplexity after the last epoch."""
    return abs(gpu["perplexities"][-1] - cpu["perplexities"][-1]) / cpu["perplexities"][-1]


def _run_line(label: str, run: dict) -> str:
    if "error" in run:
        return f"{label}: FAILED ({run['error']})"
    return (f"{label}: {run['tokens_per_sec']:,.0f} tokens/s, perplexity after "
            f"{len(run['perplexities'])} epochs {run['perplexities'][-1]:.4f}")


def summary(runs: dict, tolerance: float, notebook: dict | None = None) -> tuple[str, int]:
    """The report's lines and the exit status from ``runs`` {'cpu', 'gpu', 'gpu_again',
    'det', 'det_again'} (each a :func:`train_run` result) and the notebook's result."""
    lines = [_run_line(k, runs[k]) for k in ("cpu", "gpu", "gpu_again", "det", "det_again")]
    if any("error" in r for r in runs.values()):
        return "\n".join(lines), RUN_FAILED
    gap = relative_gap(runs["cpu"], runs["gpu"])
    lines.append(f"GPU vs CPU perplexity after {len(runs['cpu']['perplexities'])} epochs: "
                 f"{gap:.2%} apart (tolerance {tolerance:.0%})")
    same_default = agree(runs["gpu"], runs["gpu_again"])
    same_det = agree(runs["det"], runs["det_again"])
    lines.append(f"two GPU runs with PyTorch's defaults: {'bitwise equal' if same_default else 'differ'}")
    lines.append(f"two GPU runs with deterministic settings ({DETERMINISTIC_ENV['CUBLAS_WORKSPACE_CONFIG']}"
                 f", use_deterministic_algorithms, cudnn.deterministic): "
                 f"{'bitwise equal' if same_det else 'DIFFER'}")
    status = OFF if gap > tolerance or not same_det else 0
    if notebook is not None:
        lines.append(f"PyTorch notebook 04, quick mode: {'ok' if notebook['ok'] else 'FAILED'} in "
                     f"{notebook['seconds']:.0f} s")
        status = status or (0 if notebook["ok"] else NOTEBOOK_FAILED)
    else:
        lines.append(f"PyTorch notebook 04: not run ({NOTEBOOK.relative_to(ROOT)} does not exist yet)")
    return "\n".join(lines), status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="check", choices=["check", "run"])
    parser.add_argument("device", nargs="?", default="cuda")
    parser.add_argument("epochs", nargs="?", type=int, default=None)
    parser.add_argument("--epochs", dest="epochs_opt", type=int, default=20)
    parser.add_argument("--deterministic", action="store_true")
    parser.add_argument("--num-hiddens", type=int, default=256)
    parser.add_argument("--max-tokens", type=int, default=10000)
    parser.add_argument("--tolerance", type=float, default=0.05)
    args = parser.parse_args(argv)
    epochs = args.epochs or args.epochs_opt
    sizes = {"num_hiddens": args.num_hiddens, "max_tokens": args.max_tokens}
    if args.command == "run":
        print(json.dumps(train_run(args.device, epochs, args.deterministic, **sizes)))
        return 0
    return check(epochs, sizes, args.tolerance)


def check(epochs: int, sizes: dict, tolerance: float) -> int:
    """The whole check; prints the summary and returns the exit status."""
    import torch

    if not torch.cuda.is_available():
        print(f"gpu_check_torch: no CUDA GPU here (PyTorch {torch.__version__}, "
              f"torch.cuda.is_available() is False); nothing ran.", file=sys.stderr)
        return NO_GPU
    print(f"GPU: {torch.cuda.get_device_name(0)}, PyTorch {torch.__version__}")
    runs = {"cpu": run_in_process("cpu", epochs, **sizes),
            "gpu": run_in_process("cuda", epochs, **sizes),
            "gpu_again": run_in_process("cuda", epochs, **sizes),
            "det": run_in_process("cuda", epochs, True, **sizes),
            "det_again": run_in_process("cuda", epochs, True, **sizes)}
    notebook = None
    if NOTEBOOK.exists():
        sys.path.insert(0, str(ROOT / "tools"))
        from gpu_check import run_notebook

        notebook = run_notebook(NOTEBOOK)
    text, status = summary(runs, tolerance, notebook)
    print(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
