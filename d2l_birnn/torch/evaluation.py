"""Evaluating PyTorch character language models on text they were not trained on.

The same questions and the same numbers as the MXNet edition's :mod:`d2l_birnn.evaluation`:
does a model predict the next character because it learned the language, or because
the answer was in its input (a bidirectional model reads x_{t+1})?
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch.nn import functional as F

from ..data import Vocab, check_batch_shape
from .history import check_prefix
from .runtime import check_device


def _score(logits, labels) -> tuple[float, int]:
    """(summed negative log-likelihood, number correct) of logits (n, V) for labels (n,)."""
    nll = float(F.cross_entropy(logits, labels, reduction="sum"))
    correct = int((logits.argmax(dim=1) == labels).sum())
    return nll, correct


def _logits(net, windows, device, batch_size: int, last_only: bool):
    outs = []
    for i in range(0, len(windows), batch_size):
        xb = torch.tensor(windows[i: i + batch_size], device=device)
        logits, _ = net(xb, net.begin_state(batch_size=xb.shape[0], device=device))
        outs.append(logits[-xb.shape[0]:] if last_only else logits)  # time-major rows
    return outs


@torch.no_grad()
def next_token_accuracy(net, corpus: Sequence[int], device, num_steps: int = 35,
                        future: bool = True, num_windows: int = 256,
                        batch_size: int = 256) -> dict[str, float]:
    """Accuracy and cross-entropy of next-token prediction on ``corpus`` (see the MXNet edition).

    ``future=True``: windows of ``num_steps`` fed whole, as in training (the output at t
    may read x_{t+1}); ``future=False``: x_{t+1} from the window that ends at t (past
    only). Both score the same ``num_windows * num_steps`` positions. Returns
    ``{"accuracy", "cross_entropy", "perplexity", "tokens"}``.
    """
    device = check_device(device)
    check_batch_shape(len(corpus), 1, num_steps)
    n = num_windows * num_steps
    if len(corpus) < n + num_steps + 1:
        raise ValueError(f"corpus of {len(corpus)} tokens is too short for {num_windows} windows "
                         f"of {num_steps}; lower num_windows")
    nll, correct = 0.0, 0
    if future:
        starts = range(0, num_windows * num_steps, num_steps)
        X = [list(corpus[s: s + num_steps]) for s in starts]
        Y = torch.tensor([list(corpus[s + 1: s + 1 + num_steps]) for s in starts], device=device)
        for i, logits in enumerate(_logits(net, X, device, batch_size, last_only=False)):
            b_nll, b_correct = _score(logits, Y[i * batch_size: (i + 1) * batch_size].T.reshape(-1))
            nll, correct = nll + b_nll, correct + b_correct
    else:
        ts = range(num_steps - 1, num_steps - 1 + n)
        windows = [list(corpus[t - num_steps + 1: t + 1]) for t in ts]
        labels = torch.tensor([corpus[t + 1] for t in ts], device=device)
        nll, correct = _score(torch.cat(_logits(net, windows, device, batch_size, True)), labels)
    ce = nll / n
    return {"accuracy": correct / n, "cross_entropy": ce, "perplexity": math.exp(ce), "tokens": n}


@torch.no_grad()
def text_perplexity(net, text: str, vocab: Vocab, device) -> float:
    """Perplexity of ``text`` under a (unidirectional) language model ``net``, fed as one
    sequence (1, len(text) - 1); low means the model finds the text plausible."""
    check_prefix(text, vocab)
    if len(text) < 2:
        raise ValueError("text must have at least 2 characters")
    device = check_device(device)
    ids = vocab[list(text)]
    X = torch.tensor([ids[:-1]], device=device)
    logits, _ = net(X, net.begin_state(batch_size=1, device=device))
    return math.exp(float(F.cross_entropy(logits, torch.tensor(ids[1:], device=device))))


__all__ = ["next_token_accuracy", "text_perplexity"]
