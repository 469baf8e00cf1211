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
from ..generated_text import count_model_perplexity, repetition_stats  # noqa: F401 (handed on)
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


@torch.no_grad()
def next_token_predictions(net, ids: Sequence[int], vocab: Vocab, device, num_steps: int = 35,
                           future: bool = True) -> str:
    """The model's guess of each next token of ``ids[num_steps - 1:]``, as text.

    ``future=True``: one pass over the whole sequence (1, len(ids)); the output at t
    may read everything, x_{t+1} included. ``future=False``: the output at t comes from
    the window of ``num_steps`` tokens ending at t (past only). Position i of the
    result is the guess for ``ids[num_steps + i]``.
    """
    device = check_device(device)
    if len(ids) <= num_steps:
        raise ValueError(f"need more than num_steps = {num_steps} tokens, got {len(ids)}")
    if future:
        X = torch.tensor([list(ids)], device=device)
        logits, _ = net(X, net.begin_state(batch_size=1, device=device))
        guesses = logits.argmax(dim=1)[num_steps - 1: len(ids) - 1]
    else:
        windows = [list(ids[t - num_steps + 1: t + 1]) for t in range(num_steps - 1, len(ids) - 1)]
        guesses = torch.cat(_logits(net, windows, device, 256, last_only=True)).argmax(dim=1)
    return "".join(vocab.to_tokens([int(i) for i in guesses]))


# ---------------------------------------------------------------------------
# Where in a training window the loss is: position 1..num_steps
# ---------------------------------------------------------------------------
@torch.no_grad()
def per_position_scores(net, batches, device, epochs: int = 1,
                        carry_state: bool | None = None) -> dict:
    """Accuracy and mean loss at each position of the training windows.

    ``batches``: an iterable of ``(X, Y)`` minibatches (batch_size, num_steps), iterated
    afresh ``epochs`` times, e.g. ``train_ch8``'s ``train_iter``. The state is handled
    as ``train_ch8`` handles it: zero at the start of each epoch, then carried from one
    minibatch to the next for sequential windows, zero for every minibatch with
    ``use_random_iter``. ``carry_state=True/False`` overrides that (False: every window
    starts from the zero state). Returns ``{"accuracy": (num_steps,), "loss":
    (num_steps,), "windows": int}`` (NumPy): entry ``j`` scores ``Y[:, j]``, the loss
    in nats, averaged as ``train_ch8`` averages it.
    """
    import numpy as np

    from ..validation import positive_int

    positive_int("epochs", epochs)
    device = check_device(device)
    carry = (not getattr(batches, "use_random_iter", False)) if carry_state is None else carry_state
    correct = loss = 0
    windows = 0
    for _ in range(epochs):
        state = None
        for X, Y in batches:
            if state is None or not carry:
                state = net.begin_state(batch_size=X.shape[0], device=device)
            logits, state = net(X.to(device), state)
            log_probs = F.log_softmax(logits, dim=-1).reshape(Y.shape[1], Y.shape[0], -1)
            labels = Y.T.to(device)                                               # (num_steps, batch)
            loss = loss - log_probs.gather(-1, labels[..., None])[..., 0].sum(dim=1).cpu().numpy()
            correct = correct + (log_probs.argmax(dim=-1) == labels).sum(dim=1).cpu().numpy()
            windows += X.shape[0]
    if not windows:
        raise ValueError("batches gave no minibatch; lower batch_size or num_steps")
    return {"accuracy": np.asarray(correct, dtype=float) / windows,
            "loss": np.asarray(loss, dtype=float) / windows, "windows": windows}


# ---------------------------------------------------------------------------
# Generation, with the backward direction's state carried or reset
# ---------------------------------------------------------------------------
def backward_state_rows(net) -> list:
    """Rows of the backward direction in each state tensor (num_layers * 2, batch, h):
    layer by layer, the forward direction first, so rows 1, 3, ...; [] if one-way."""
    if not net.rnn.bidirectional:
        return []
    return [2 * i + 1 for i in range(net.rnn.num_layers)]


@torch.no_grad()
def generate_greedy(prefix: str, num_preds: int, net, vocab: Vocab, device,
                    backward_state: str = "carried") -> str:
    """Greedy generation as ``predict_ch8``, one character per step.

    ``"carried"``: the whole returned state is fed back, as ``predict_ch8`` does (the
    result is ``predict_ch8``'s): the backward cells run left to right over the prefix.
    ``"reset"``: the backward rows (:func:`backward_state_rows`) are zeroed before every
    step, so the backward direction reads the current character from the zero state.
    Returns the prefix followed by ``num_preds`` characters.
    """
    from .training import predict_ch8

    if backward_state == "carried":
        return predict_ch8(prefix, num_preds, net, vocab, device)
    if backward_state != "reset":
        raise ValueError(f"backward_state must be 'carried' or 'reset', got {backward_state!r}")
    check_prefix(prefix, vocab)
    device = check_device(device)
    rows = backward_state_rows(net)
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]
    for i in range(len(prefix) - 1 + num_preds):
        for s in (state if isinstance(state, tuple) else (state,)):
            s[rows] = 0
        logits, state = net(torch.tensor([[outputs[-1]]], device=device), state)
        outputs.append(vocab[prefix[i + 1]] if i + 1 < len(prefix)
                       else int(logits.argmax(dim=1).reshape(1)))
    return "".join(vocab.idx_to_token[i] for i in outputs)


# ---------------------------------------------------------------------------
# Which inputs each layer and direction reads: the layer-2 path of the leak
# ---------------------------------------------------------------------------
def split_layers(layer) -> list:
    """One single-layer copy of each layer of a fused ``nn.LSTM/GRU/RNN``.

    Copy ``l`` holds layer ``l``'s weights (``*_l{l}`` and ``*_l{l}_reverse``) and reads
    layer ``l - 1``'s output: stacking the copies computes what ``layer`` computes, and
    exposes each layer's output (T, N, num_directions * h).
    """
    kwargs = {"nonlinearity": layer.nonlinearity} if isinstance(layer, torch.nn.RNN) else {}
    copies = []
    for i in range(layer.num_layers):
        weight = getattr(layer, f"weight_ih_l{i}")                  # (gates * h, input size)
        copy = type(layer)(weight.shape[1], layer.hidden_size, 1, bias=layer.bias,
                           bidirectional=layer.bidirectional, **kwargs).to(weight.device)
        with torch.no_grad():
            for name, p in copy.named_parameters():                 # e.g. weight_hh_l0_reverse
                p.copy_(getattr(layer, name.replace("_l0", f"_l{i}")))
        copies.append(copy)
    return copies


def batched_jacobian_norms(f, X):
    """``J[t, s] = || d o_t / d x_s ||`` as :func:`~d2l_birnn.torch.jacobians.jacobian_norms`
    gives it, in one backward pass: ``X`` (T, d) is copied into a batch of T * q
    sequences, copy ``t * q + j`` back-propagates output unit ``j`` at step ``t`` (the
    copies are independent). For recurrent layers whose backward pass PyTorch cannot
    vectorise (``nn.LSTM``: ``vectorize=True`` falls back to a slow loop)."""
    T, d = X.shape
    q = f(X.detach()[:, None, :]).shape[-1]
    copies = X.detach()[:, None, :].expand(T, T * q, d).clone().requires_grad_(True)
    Y = f(copies)                                                       # (T, T * q, q)
    rows = torch.arange(T * q, device=X.device)
    selected = Y[rows // q, rows, rows % q]                             # o_t[j] of copy t*q + j
    (grad,) = torch.autograd.grad(selected.sum(), copies)               # (T_s, T * q, d)
    grad = grad.reshape(T, T, q, d)                                     # (s, t, j, d)
    return grad.pow(2).sum(dim=(2, 3)).sqrt().T.detach().cpu().numpy()  # (t, s)


def direction_jacobians(net, ids: Sequence[int], device) -> dict:
    """``J[t, s] = || d h_t / d x_s ||`` for each layer and direction of ``net``.

    ``ids``: one sequence of T token ids; ``x_s`` its one-hot input. Keys ``(layer,
    direction)``, layer from 1, direction ``"forward"`` or ``"backward"``; values NumPy
    arrays (T, T) from :func:`batched_jacobian_norms`. Layer 1's
    forward map is exactly lower-triangular; in a deeper bidirectional model layer 2's
    forward direction reads x_{t+1}, ... through layer 1's backward states.
    """
    device = check_device(device)
    layers, h = split_layers(net.rnn), net.rnn.hidden_size
    directions = ["forward", "backward"][:net.num_directions]
    X = F.one_hot(torch.tensor(list(ids), device=device), net.vocab_size).to(torch.float32)

    def output_of(depth, half):
        def f(inputs):                                                  # (T, N, V)
            for layer in layers[:depth]:
                inputs, _ = layer(inputs)
            return inputs[:, :, half * h:(half + 1) * h]               # (T, N, h)
        return f

    return {(depth, d): batched_jacobian_norms(output_of(depth, k), X)
            for depth in range(1, len(layers) + 1) for k, d in enumerate(directions)}


__all__ = ["backward_state_rows", "batched_jacobian_norms", "count_model_perplexity", "direction_jacobians",
           "generate_greedy", "next_token_accuracy", "next_token_predictions", "per_position_scores",
           "repetition_stats", "split_layers", "text_perplexity"]
