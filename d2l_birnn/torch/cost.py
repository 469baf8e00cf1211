"""What PyTorch models cost: wall time of a step, peak memory, training speed.

The framework-neutral counts (FLOPs per token, dependency path lengths) and the
fresh-process measurement are the core's :mod:`d2l_birnn.cost`, imported here.
"""

from __future__ import annotations

import os

from ..cost import (
    RECURRENT_CELLS,
    chain_lengths,
    gradient_path_lengths,
    lstm_flops_per_token,
    peak_rss_mib,
    run_with_peak_memory,
)
from ..validation import positive_int


def make_recurrent_layer(cell: str = "lstm", num_hiddens: int = 64, bidirectional: bool = False,
                         num_layers: int = 1, input_size: int = 28):
    """``nn.RNN`` (tanh), ``nn.GRU`` or ``nn.LSTM`` reading (num_steps, batch_size, input_size)."""
    from torch import nn

    layers = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
    if cell not in layers:
        raise ValueError(f"unknown cell {cell!r}: use one of {RECURRENT_CELLS}")
    for name, value in (("num_hiddens", num_hiddens), ("num_layers", num_layers),
                        ("input_size", input_size)):
        positive_int(name, value)
    return layers[cell](input_size, num_hiddens, num_layers, bidirectional=bidirectional)


def time_forward_backward(cell: str = "lstm", num_steps: int = 35, num_hiddens: int = 64,
                          bidirectional: bool = False, *, batch_size: int = 32,
                          input_size: int = 28, num_layers: int = 1, repeats: int = 5,
                          seed: int = 0, device: str = "cpu") -> float:
    """Best wall-clock seconds of ``repeats`` forward and backward passes of a recurrent layer
    (one untimed pass first; each timed pass waits for the device)."""
    import timeit

    import torch

    positive_int("num_steps", num_steps)
    positive_int("repeats", repeats)
    torch.manual_seed(seed)
    layer = make_recurrent_layer(cell, num_hiddens, bidirectional, num_layers, input_size).to(device)
    X = torch.rand((num_steps, batch_size, input_size), device=device)

    def step() -> None:
        Y, _ = layer(X)
        Y.sum().backward()
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize()

    step()
    return min(timeit.repeat(step, number=1, repeat=repeats))


def measure_forward_backward(cell: str = "lstm", num_steps: int = 35, num_hiddens: int = 64,
                             bidirectional: bool = False, **kwargs) -> tuple[float, float]:
    """:func:`time_forward_backward` in a fresh process: (seconds, peak RSS in MiB)."""
    return run_with_peak_memory(time_forward_backward, cell, num_steps, num_hiddens,
                                bidirectional, **kwargs)


def torch_baseline_job() -> None:
    """Import PyTorch and compute one small sum (what every measured job pays first)."""
    import torch

    float(torch.ones((2, 2)).sum())


def measure_torch_baseline() -> float:
    """Peak MiB of a fresh process that only imports PyTorch (and d2l_birnn): what every
    job measured by :func:`run_with_peak_memory` pays before it computes."""
    return run_with_peak_memory(torch_baseline_job)[1]


def training_speed_job(bidirectional: bool, fast: bool = True, num_epochs: int = 3,
                       warmup_epochs: int = 1, num_hiddens: int = 256, num_layers: int = 2,
                       lr: float = 1.0, max_tokens: int = 10000, batch_size: int = 32,
                       num_steps: int = 35, device=None) -> dict:
    """Train the notes' language model with the PyTorch ``train_ch8`` in this process.

    The first ``warmup_epochs`` are not timed. Returns ``{"tokens_per_sec",
    "perplexity", "threads"}``.
    """
    from torch import nn

    from .. import torch as d2l

    d2l.set_seed(0)
    train_iter = d2l.SeqDataLoader(batch_size, num_steps, max_tokens=max_tokens)
    vocab = train_iter.vocab
    net = d2l.RNNModel(nn.LSTM(len(vocab), num_hiddens, num_layers, bidirectional=bidirectional),
                       len(vocab))
    history = d2l.train_ch8(net, train_iter, vocab, lr, warmup_epochs + num_epochs,
                            device if device is not None else d2l.try_gpu(), fast=fast, plot=False,
                            verbose=False)
    timed = history.epoch_seconds[warmup_epochs:]
    return {"tokens_per_sec": history.tokens_per_epoch * len(timed) / sum(timed),
            "perplexity": history[-1], "threads": os.environ.get("OMP_NUM_THREADS", "default")}


__all__ = ["chain_lengths", "gradient_path_lengths", "lstm_flops_per_token", "make_recurrent_layer",
           "measure_forward_backward", "measure_torch_baseline", "peak_rss_mib", "run_with_peak_memory",
           "time_forward_backward", "torch_baseline_job", "training_speed_job"]
