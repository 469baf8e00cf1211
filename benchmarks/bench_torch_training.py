"""Benchmark: this package's PyTorch ``train_ch8`` loop vs d2l 0.17.6's own, on the notes' BiLSTM.

Run ``.venv-torch/bin/python benchmarks/bench_torch_training.py`` (``--quick`` for a
seconds-long smoke run; ``--device cuda`` on a GPU machine; the default is ``try_gpu()``).

* **Side by side in one process pair.** Two worker processes, one per loop, each build
  the notes' model (``RNNModel(nn.LSTM(vocab, 256, 2, bidirectional=True))``, batch 32,
  35 steps, the first 10,000 characters, lr 1) once; the parent then asks them for
  one epoch each in turn (ABBA order), so the load of a shared machine hits both alike.
  The first round warms up and is not counted. It prints each loop's median tokens/s
  and the median of the per-round speed ratios (ours / d2l's).
* **Where the time goes.** ``torch.profiler`` over a few training steps of each loop:
  the share of step time spent inside PyTorch's LSTM forward (``aten::lstm``) and its
  backward (``MkldnnRnnLayerBackward0`` on a CPU, ``CudnnRnnBackward0`` on a GPU).
* **MXNet vs PyTorch** (``--mxnet``, needs MXNet in the same environment): tokens/s of
  this package's MXNet ``train_ch8`` (fast loop) and its PyTorch one on the same model,
  each in a fresh process, alternated, for the README's speed table.

The baseline is d2l 0.17.6's PyTorch code. ``d2l.torch`` imports torchvision when it
loads, and here torchvision's wheel cannot load against the CPU-only torch wheel, so
the functions the loop runs (``Timer``, ``Accumulator``, ``grad_clipping``,
``train_epoch_ch8``, ``RNNModel``) are copied below verbatim from ``d2l/torch.py`` of
``d2l==0.17.6`` (lines 109-135, 247-260, 732-780 and 807-840 of that file), comments
shortened. Our loop differs in two places only: the loss sum stays on the device (one
read per epoch instead of ``float()`` every batch) and clipping is fused
(``torch._foreach_norm`` + ``torch._foreach_mul_`` by ``min(1, theta / norm)``: d2l's
rule exactly, no epsilon, no branch in Python).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import statistics
import time
import types


# ---------------------------------------------------------------------------
# d2l 0.17.6's PyTorch code, verbatim (see the module docstring)
# ---------------------------------------------------------------------------
def _d2l_0176_helpers():
    """d2l 0.17.6's ``Timer``, ``Accumulator`` and ``grad_clipping``, verbatim."""
    import torch
    from torch import nn

    class Timer:
        """Record multiple running times."""
        def __init__(self):
            self.times = []
            self.start()

        def start(self):
            self.tik = time.time()

        def stop(self):
            self.times.append(time.time() - self.tik)
            return self.times[-1]

    class Accumulator:
        """For accumulating sums over `n` variables."""
        def __init__(self, n):
            self.data = [0.0] * n

        def add(self, *args):
            self.data = [a + float(b) for a, b in zip(self.data, args)]

        def __getitem__(self, idx):
            return self.data[idx]

    def grad_clipping(net, theta):
        """Clip the gradient."""
        if isinstance(net, nn.Module):
            params = [p for p in net.parameters() if p.requires_grad]
        else:
            params = net.params
        norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))  # noqa: UP034
        if norm > theta:
            for param in params:
                param.grad[:] *= theta / norm

    return types.SimpleNamespace(Timer=Timer, Accumulator=Accumulator, size=lambda a: a.numel(),
                                 grad_clipping=grad_clipping)


def _d2l_0176():
    """d2l 0.17.6's ``train_epoch_ch8`` and ``RNNModel``, verbatim, with its helpers."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    d2l = _d2l_0176_helpers()
    grad_clipping = d2l.grad_clipping

    def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter):
        """Train a net within one epoch (defined in Chapter 8)."""
        state, timer = None, d2l.Timer()
        metric = d2l.Accumulator(2)  # Sum of training loss, no. of tokens
        for X, Y in train_iter:
            if state is None or use_random_iter:
                state = net.begin_state(batch_size=X.shape[0], device=device)
            else:
                if isinstance(net, nn.Module) and not isinstance(state, tuple):
                    state.detach_()
                else:
                    for s in state:
                        s.detach_()
            y = Y.T.reshape(-1)
            X, y = X.to(device), y.to(device)
            y_hat, state = net(X, state)
            l = loss(y_hat, y.long()).mean()
            if isinstance(updater, torch.optim.Optimizer):
                updater.zero_grad()
                l.backward()
                grad_clipping(net, 1)
                updater.step()
            else:
                l.backward()
                grad_clipping(net, 1)
                updater(batch_size=1)
            metric.add(l * d2l.size(y), d2l.size(y))
        return math.exp(metric[0] / metric[1]), metric[1] / timer.stop()

    class RNNModel(nn.Module):
        """The RNN model."""
        def __init__(self, rnn_layer, vocab_size, **kwargs):
            super(RNNModel, self).__init__(**kwargs)  # noqa: UP008
            self.rnn = rnn_layer
            self.vocab_size = vocab_size
            self.num_hiddens = self.rnn.hidden_size
            if not self.rnn.bidirectional:
                self.num_directions = 1
                self.linear = nn.Linear(self.num_hiddens, self.vocab_size)
            else:
                self.num_directions = 2
                self.linear = nn.Linear(self.num_hiddens * 2, self.vocab_size)

        def forward(self, inputs, state):
            X = F.one_hot(inputs.T.long(), self.vocab_size)
            X = X.to(torch.float32)
            Y, state = self.rnn(X, state)
            output = self.linear(Y.reshape((-1, Y.shape[-1])))
            return output, state

        def begin_state(self, device, batch_size=1):
            if not isinstance(self.rnn, nn.LSTM):
                return  torch.zeros((self.num_directions * self.rnn.num_layers,  # noqa: E271
                                     batch_size, self.num_hiddens),
                                    device=device)
            else:
                return (torch.zeros((
                    self.num_directions * self.rnn.num_layers,
                    batch_size, self.num_hiddens), device=device),
                        torch.zeros((
                            self.num_directions * self.rnn.num_layers,
                            batch_size, self.num_hiddens), device=device))

    return types.SimpleNamespace(train_epoch_ch8=train_epoch_ch8, RNNModel=RNNModel,
                                 grad_clipping=grad_clipping)


# ---------------------------------------------------------------------------
# One loop in one process
# ---------------------------------------------------------------------------
def _setup(loop: str, config: dict):
    """(run_one_epoch, one_step) for ``loop`` ('d2l' or 'ours') on the notes' model."""
    import warnings

    import torch
    from torch import nn

    from d2l_birnn import torch as d2l

    # d2l 0.17.6's Accumulator calls float() on a tensor that requires grad: newer PyTorch warns
    warnings.filterwarnings("ignore", message="Converting a tensor with requires_grad=True")
    d2l.set_seed(0)
    device = torch.device(config["device"])
    train_iter = d2l.SeqDataLoader(config["batch_size"], config["num_steps"],
                                   max_tokens=config["max_tokens"])
    vocab = train_iter.vocab
    lib = _d2l_0176() if loop == "d2l" else d2l
    layer = nn.LSTM(len(vocab), config["num_hiddens"], config["num_layers"], bidirectional=True)
    net = lib.RNNModel(layer, len(vocab)).to(device)
    loss, updater = nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), config["lr"])
    if loop == "d2l":
        def epoch():
            return lib.train_epoch_ch8(net, train_iter, loss, updater, device, False)
    else:
        def epoch():
            return lib.train_epoch_ch8(net, train_iter, loss, updater, device, False, fast=True)
    return epoch, (net, train_iter, loss, updater, device)


def _worker(conn, loop: str, config: dict) -> None:
    """Answer ``'epoch'`` with (perplexity, tokens/s) until told ``'stop'``."""
    epoch, _ = _setup(loop, config)
    while conn.recv() == "epoch":
        conn.send(epoch())
    conn.close()


def side_by_side(config: dict, rounds: int) -> dict:
    """Alternate epochs of the two loops in a process pair; {loop: [tokens/s]}, ratios."""
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = {}, []
    for loop in ("d2l", "ours"):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, loop, config))
        proc.start()
        pipes[loop], procs = parent, procs + [proc]
    speeds, ppls = {"d2l": [], "ours": []}, {"d2l": [], "ours": []}
    try:
        for r in range(rounds + 1):  # round 0 warms up
            for loop in (("d2l", "ours") if r % 2 else ("ours", "d2l")):
                pipes[loop].send("epoch")
                ppl, speed = pipes[loop].recv()
                if r:
                    speeds[loop].append(speed)
                    ppls[loop].append(ppl)
    finally:
        for loop, proc in zip(pipes, procs):
            pipes[loop].send("stop")
            proc.join()
    ratios = [o / b for o, b in zip(speeds["ours"], speeds["d2l"])]
    return {"speeds": speeds, "perplexities": ppls, "ratios": ratios}


# ---------------------------------------------------------------------------
# Where the time goes: torch.profiler
# ---------------------------------------------------------------------------
RNN_KERNELS = ("aten::lstm", "MkldnnRnnLayerBackward0", "CudnnRnnBackward0", "LstmBackward0")


def lstm_share(events, step_us: float) -> float:
    """Share of ``step_us`` (profiled wall time, µs) spent in the LSTM forward and backward:
    the total time of the events named in :data:`RNN_KERNELS` (device time on a GPU)."""
    inside = 0.0
    for e in events:
        if e.key in RNN_KERNELS:
            device_us = getattr(e, "device_time_total", 0) or getattr(e, "cuda_time_total", 0)
            inside += device_us if device_us else e.cpu_time_total
    return inside / step_us


def profile_job(loop: str, config: dict, steps: int) -> dict:
    """Profile ``steps`` training steps of ``loop`` (after one untimed step); its LSTM share."""
    from torch.profiler import ProfilerActivity, profile

    _, (net, train_iter, loss, updater, device) = _setup(loop, config)
    batches = list(train_iter)[:steps + 1]
    if len(batches) < steps + 1:
        raise ValueError(f"{len(batches)} batches per epoch: too few for {steps} profiled steps")
    clip = _d2l_0176().grad_clipping if loop == "d2l" else None
    from d2l_birnn.torch.training import clip_gradients

    def step(X, Y):
        state = net.begin_state(batch_size=X.shape[0], device=device)
        y_hat, _ = net(X.to(device), state)
        l = loss(y_hat, Y.T.reshape(-1).to(device).long()).mean()
        updater.zero_grad()
        l.backward()
        clip(net, 1) if clip else clip_gradients([p.grad for p in net.parameters()], 1)
        updater.step()
        float(l)  # both loops read the loss at the end of the step here

    step(*batches[0])
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
    with profile(activities=activities) as prof:
        start = time.perf_counter()
        for X, Y in batches[1:]:
            step(X, Y)
        wall_us = (time.perf_counter() - start) * 1e6
    return {"share": lstm_share(prof.key_averages(), wall_us), "step_ms": wall_us / 1e3 / steps}


def interleaved_job(config: dict, steps: int) -> dict:
    """Both loops' per-batch work in one process, alternating batch by batch (finer than
    epochs, so a shared machine's load cancels better): d2l's step reads the loss
    (``float``) and clips with ``grad_clipping``; ours keeps the loss on the device and
    clips with ``clip_gradients``. Returns {loop: [seconds per step]}."""
    import torch

    from d2l_birnn.torch.training import clip_gradients

    parts = {loop: _setup(loop, config)[1] for loop in ("d2l", "ours")}
    d2l_clip = _d2l_0176().grad_clipping
    times = {"d2l": [], "ours": []}
    batches = list(parts["d2l"][1])
    for i in range(steps + 1):
        X, Y = batches[i % len(batches)]
        for loop in (("d2l", "ours") if i % 2 else ("ours", "d2l")):
            net, _, loss, updater, device = parts[loop]
            start = time.perf_counter()
            y_hat, _ = net(X.to(device), net.begin_state(batch_size=X.shape[0], device=device))
            l = loss(y_hat, Y.T.reshape(-1).to(device).long()).mean()
            updater.zero_grad()
            l.backward()
            if loop == "d2l":
                d2l_clip(net, 1)
                float(l)
            else:
                clip_gradients([p.grad for p in net.parameters()], 1)
            updater.step()
            if device.type == "cuda":
                torch.cuda.synchronize()
            if i:  # step 0 warms up
                times[loop].append(time.perf_counter() - start)
    return times


# ---------------------------------------------------------------------------
# MXNet vs PyTorch: this package's train_ch8 in each framework, fresh processes
# ---------------------------------------------------------------------------
def _mxnet_job(config: dict, epochs: int) -> dict:
    from d2l_birnn.cost import training_speed_job

    return training_speed_job(True, True, epochs, 1, config["num_hiddens"], config["num_layers"],
                              config["lr"], config["max_tokens"], config["batch_size"],
                              config["num_steps"])


def _torch_job(config: dict, epochs: int) -> dict:
    from d2l_birnn.torch.cost import training_speed_job

    return training_speed_job(True, True, epochs, 1, config["num_hiddens"], config["num_layers"],
                              config["lr"], config["max_tokens"], config["batch_size"],
                              config["num_steps"], device=config["device"])


def frameworks(config: dict, rounds: int, epochs: int) -> dict:
    """{framework: [tokens/s of each fresh-process run]}, alternating MXNet and PyTorch."""
    from d2l_birnn.cost import run_with_peak_memory

    result = {"MXNet": [], "PyTorch": []}
    for r in range(rounds):
        order = (("MXNet", _mxnet_job), ("PyTorch", _torch_job))
        for name, job in (order if r % 2 == 0 else order[::-1]):
            out, peak = run_with_peak_memory(job, config, epochs)
            result[name].append(out["tokens_per_sec"])
    return result


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------
def _config(args) -> dict:
    from d2l_birnn.torch import try_gpu

    quick = args.quick
    return {"device": args.device or str(try_gpu()), "batch_size": 32, "num_steps": 35,
            "num_hiddens": 32 if quick else 256, "num_layers": 2 if not quick else 1,
            "max_tokens": 4000 if quick else 10000, "lr": 1.0}


def _describe(config: dict) -> str:
    import torch

    from d2l_birnn.runtime import available_cores

    return (f"PyTorch {torch.__version__}, device {config['device']}, {available_cores()} CPU cores, "
            f"{torch.get_num_threads()} threads; model LSTM(vocab, {config['num_hiddens']}, "
            f"{config['num_layers']}, bidirectional=True), batch {config['batch_size']} x "
            f"{config['num_steps']}, {config['max_tokens']} characters")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small model, seconds")
    parser.add_argument("--device", help="cpu or cuda[:i] (default: try_gpu())")
    parser.add_argument("--rounds", type=int, default=None, help="timed epochs per loop")
    parser.add_argument("--profile-steps", type=int, default=None)
    parser.add_argument("--mxnet", action="store_true", help="also MXNet vs PyTorch tokens/s")
    parser.add_argument("--mxnet-rounds", type=int, default=2,
                        help="with --mxnet: fresh-process runs per framework, alternated")
    parser.add_argument("--interleaved", type=int, default=0, metavar="STEPS",
                        help="also time the two loops' steps alternately in one process")
    args = parser.parse_args(argv)
    config = _config(args)
    rounds = args.rounds or (2 if args.quick else 6)
    print(_describe(config))
    pair = side_by_side(config, rounds)
    med = {loop: statistics.median(v) for loop, v in pair["speeds"].items()}
    print(f"d2l 0.17.6 train_epoch_ch8: median {med['d2l']:,.0f} tokens/s over {rounds} epochs "
          f"({', '.join(f'{v:,.0f}' for v in pair['speeds']['d2l'])})")
    print(f"d2l_birnn.torch fast loop:  median {med['ours']:,.0f} tokens/s "
          f"({', '.join(f'{v:,.0f}' for v in pair['speeds']['ours'])})")
    print(f"speed-up, median of per-round ratios: {statistics.median(pair['ratios']):.2f}x "
          f"(min {min(pair['ratios']):.2f}x, max {max(pair['ratios']):.2f}x)")
    steps = args.profile_steps or (2 if args.quick else 5)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        shares = {loop: pool.apply(profile_job, (loop, config, steps)) for loop in ("d2l", "ours")}
    for loop, s in shares.items():
        print(f"{loop}: {s['share']:.0%} of a profiled step ({s['step_ms']:.0f} ms) inside "
              f"PyTorch's LSTM forward+backward")
    result = {"config": config, "pair": pair, "profile": shares}
    if args.interleaved:
        with ctx.Pool(1) as pool:
            t = pool.apply(interleaved_job, (config, args.interleaved))
        ratios = [b / o for b, o in zip(t["d2l"], t["ours"])]
        print(f"batch by batch in one process, {args.interleaved} steps each: d2l "
              f"{statistics.median(t['d2l']) * 1e3:.0f} ms, ours {statistics.median(t['ours']) * 1e3:.0f} "
              f"ms per step (median); speed-up, median of per-step ratios: "
              f"{statistics.median(ratios):.3f}x")
        result["interleaved"] = t
    if args.mxnet:
        fw = frameworks(config, args.mxnet_rounds, 1 if args.quick else 3)
        for name, v in fw.items():
            print(f"{name} (d2l_birnn train_ch8, fast loop): median {statistics.median(v):,.0f} "
                  f"tokens/s ({', '.join(f'{x:,.0f}' for x in v)})")
        result["frameworks"] = fw
    return result


if __name__ == "__main__":
    main()
