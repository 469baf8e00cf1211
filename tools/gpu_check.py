"""Colab's GPU path on any Linux machine with an NVIDIA GPU, then notebook 04 on that GPU.

    bash tools/gpu_check.sh            # makes .venv-gpu, then runs this file in it

Steps (the same code as on Colab, ``d2l_birnn/colab.py``): NVIDIA's CUDA 11
wheels, ``mxnet-cu117``, preloading, a bidirectional LSTM on the GPU through
cuDNN in a separate process; if any step fails, the CPU build, as on Colab.
Then the training speed of the notes' BiLSTM (2 x 256, batch 32, 35 steps) on
the device in use, in tokens/s, and notebook 04 in quick mode. It ends with a
summary and an exit status:

    0  everything ran on the GPU
    3  no NVIDIA GPU here (nothing was installed)
    4  the GPU build could not start: it fell back to the CPU (the summary says why)
    5  notebook 04 failed
    1  setup failed (e.g. no network)
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04_bilstm_gluon.ipynb"
OUT = ROOT / "build" / "gpu-check"
NO_GPU, FELL_BACK, NOTEBOOK_FAILED, SETUP_FAILED = 3, 4, 5, 1
CELL_TIMEOUT = 1800


def load_colab() -> dict:
    """d2l_birnn/colab.py's functions, without importing d2l_birnn (that would load MXNet)."""
    return runpy.run_path(str(ROOT / "d2l_birnn" / "colab.py"))


def bench(device: str, steps: int = 20) -> dict:
    """Train the notes' BiLSTM for ``steps`` batches on ``device`` ('gpu' or 'cpu').

    Runs in a process of its own (``python gpu_check.py bench gpu``). Returns
    {'device': 'gpu(0)', 'tokens_per_s': float}: tokens are batch x steps.
    """
    # d2l_birnn first: it restores NumPy names and preloads CUDA 11, then MXNet loads.
    importlib.import_module("d2l_birnn")
    import mxnet as mx
    from mxnet import autograd, gluon, npx
    from mxnet.gluon import nn, rnn

    npx.set_np()
    ctx = mx.gpu(0) if device == "gpu" else mx.cpu()
    batch, num_steps, vocab, hidden = 32, 35, 28, 256
    lstm = rnn.LSTM(hidden, num_layers=2, bidirectional=True)  # layout (T, N, C)
    dense = nn.Dense(vocab, flatten=False)
    for block in (lstm, dense):
        block.initialize(ctx=ctx)
    params = {**lstm.collect_params(), **dense.collect_params()}
    trainer = gluon.Trainer(params, "sgd", {"learning_rate": 1.0})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    X = mx.np.random.uniform(size=(num_steps, batch, vocab), ctx=ctx)  # (T, N, V) inputs
    Y = mx.np.random.randint(0, vocab, size=(num_steps, batch), ctx=ctx)  # (T, N) labels
    timed = 0.0
    for step in range(steps + 2):  # two warm-up steps: initialization, cuDNN plans
        start = time.perf_counter()
        state = lstm.begin_state(batch_size=batch, ctx=ctx)
        with autograd.record():
            out, _ = lstm(X, state)  # (T, N, 2h)
            loss = loss_fn(dense(out), Y).mean()
        loss.backward()
        trainer.step(1)
        loss.wait_to_read()
        if step >= 2:
            timed += time.perf_counter() - start
    return {"device": str(ctx), "tokens_per_s": steps * batch * num_steps / timed}


def run_bench(device: str, steps: int = 20) -> dict:
    """:func:`bench` in a fresh process; {'device', 'error'} if it failed."""
    result = subprocess.run([sys.executable, __file__, "bench", device, str(steps)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return {"device": device, "error": (result.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_notebook(notebook: Path = NOTEBOOK) -> dict:
    """Notebook 04 in quick mode (nbconvert); {'ok': bool, 'seconds': float, 'out': path}."""
    OUT.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}", "--ExecutePreprocessor.kernel_name=python3",
         "--output-dir", str(OUT), str(notebook)],
        env={**os.environ, "D2L_BIRNN_QUICK": "1"}, capture_output=True, text=True, check=False)
    return {"ok": result.returncode == 0, "seconds": time.monotonic() - start,
            "out": str(OUT / notebook.name), "error": result.stderr.strip()[-2000:]}


def summary(gpu: str, build: str, speed: dict, notebook: dict) -> tuple[str, int]:
    """The report's lines and the exit status, from what each step returned."""
    lines = [f"GPU: {gpu}",
             f"MXNet build in use: {build}" + ("" if build == "gpu" else
                                               "  (FELL BACK TO THE CPU: see the message above)")]
    if "error" in speed:
        lines.append(f"BiLSTM speed on {speed['device']}: failed ({speed['error']})")
    else:
        lines.append(f"BiLSTM (2 x 256, batch 32 x 35 steps) on {speed['device']}: "
                     f"{speed['tokens_per_s']:,.0f} tokens/s")
    lines.append(f"notebook 04, quick mode: {'ok' if notebook['ok'] else 'FAILED'} in "
                 f"{notebook['seconds']:.0f} s ({notebook['out']})")
    if not notebook["ok"]:
        lines.append(notebook["error"])
    status = NOTEBOOK_FAILED if not notebook["ok"] else FELL_BACK if build != "gpu" else 0
    if "error" in speed and status == 0:
        status = NOTEBOOK_FAILED
    return "\n".join(lines), status


def main(colab: dict | None = None, bench_fn=run_bench, notebook_fn=run_notebook) -> int:
    colab = load_colab() if colab is None else colab
    gpu = colab["gpu_name"]()
    if gpu is None:
        print("gpu_check: no NVIDIA GPU found (nvidia-smi is missing or lists no GPU); nothing "
              "was installed. Run this on a Linux machine with an NVIDIA GPU and its driver.")
        return NO_GPU
    try:
        build = colab["install"](gpu)  # Colab's path: 'gpu', or 'cpu' after a fallback
    except colab["SetupError"] as e:
        print(f"gpu_check: setup failed: {e}")
        return SETUP_FAILED
    text, status = summary(gpu, build, bench_fn(build), notebook_fn())
    print("\n=== GPU check\n" + text + f"\nexit status {status}")
    return status


if __name__ == "__main__":
    if sys.argv[1:2] == ["bench"]:
        print(json.dumps(bench(sys.argv[2], int(sys.argv[3]))))
        sys.exit(0)
    sys.exit(main())
