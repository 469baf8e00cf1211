"""Training and prediction for character language models in PyTorch (d2l 0.17.6's ``train_ch8``).

Where d2l's two editions differ, this follows ``d2l.torch``:

* the model keeps PyTorch's default initialisation (MXNet's ``train_ch8``
  re-initialises with Normal(0.01));
* clipping rescales by ``theta / norm`` when ``norm > theta``, with no epsilon
  (``torch.nn.utils.clip_grad_norm_`` divides by ``norm + 1e-6``);
* SGD through ``torch.optim.SGD``, ``nn.CrossEntropyLoss`` averaged over the batch.

Two loops compute the same thing:

* the *eager* loop is d2l 0.17.6's (``fast=False``): every batch reads the loss
  back to Python (``float(l)`` in its ``Accumulator``) and the clipping norm
  (``if norm > theta``), and clips with one small kernel per parameter;
* the *fast* loop (the default) keeps the loss sum on the device and clips with
  :func:`clip_gradients` (``torch._foreach_norm`` and ``torch._foreach_mul_``, no
  branch in Python), so a GPU never waits for the host inside an epoch.
"""

from __future__ import annotations

import math
import time

import torch
from torch import nn

from ..data import Vocab
from ..i18n import msg
from ..validation import nonnegative_int
from .checkpoints import Checkpointer, rng_state
from .history import (
    NonFiniteLossError,
    TrainingHistory,
    check_finite,
    check_prefix,
    check_train_args,
    perplexity,
)
from .models import describe
from .runtime import check_device


def _parameters(net) -> list:
    params = net.parameters()
    return [p for p in (params.values() if isinstance(params, dict) else params) if p.requires_grad]


def grad_clipping(net, theta: float) -> None:
    """d2l 0.17.6's clipping: if the global L2 norm of all gradients exceeds ``theta``,
    rescale them by ``theta / norm`` (no epsilon). Reads the norm back to Python."""
    params = _parameters(net)
    norm = torch.sqrt(sum(torch.sum(p.grad ** 2) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


def clip_gradients(grads: list, theta: float) -> None:
    """Same rescaling as :func:`grad_clipping`, without leaving the device.

    ``grads``: gradient tensors on one device, changed in place; each is multiplied by
    ``min(1, theta / ||g||)``, where ``||g||`` is the global norm. That is d2l's rule
    exactly: no epsilon (unlike ``clip_grad_norm_``), a factor of 1 when the norm is
    at most ``theta``. The norms come from one fused ``torch._foreach_norm`` and the
    scaling from one ``torch._foreach_mul_``.
    """
    if not grads:
        return
    total = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
    scale = torch.clamp(theta / total, max=1.0)
    torch._foreach_mul_(grads, scale)


def _detach_(state):
    for s in (state if isinstance(state, (tuple, list)) else (state,)):
        if isinstance(s, (tuple, list)):
            _detach_(s)
        else:
            s.detach_()
    return state


def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter: bool,
                    fast: bool = True) -> tuple[float, float]:
    """Train one epoch; return (perplexity, tokens/sec). ``fast=False`` is d2l 0.17.6's loop."""
    state, start = None, time.perf_counter()
    loss_sum = torch.zeros((), device=device) if fast else 0.0
    num_tokens, params = 0, _parameters(net)
    for X, Y in train_iter:
        if state is None or use_random_iter:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        else:
            state = _detach_(state)
        y = Y.T.reshape(-1)
        X, y = X.to(device, non_blocking=True), y.to(device, non_blocking=True)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        updater.zero_grad()
        l.backward()
        if fast:
            clip_gradients([p.grad for p in params if p.grad is not None], 1)
            loss_sum = loss_sum + l.detach() * y.numel()
        else:
            grad_clipping(net, 1)
            loss_sum += float(l.detach()) * y.numel()  # d2l: float() in its Accumulator
        updater.step()
        num_tokens += y.numel()
    if num_tokens == 0:
        raise ValueError("the training iterator gave no batches; lower batch_size or num_steps")
    mean_loss = float(loss_sum) / num_tokens  # the one wait for the device in a fast epoch
    return perplexity(mean_loss), num_tokens / (time.perf_counter() - start)


def _checkpoint_meta(net, vocab: Vocab, lr: float, history: TrainingHistory) -> dict:
    return {"framework": "pytorch", "model": describe(net), "vocab": list(vocab.idx_to_token),
            "lr": lr, "epoch": len(history), "perplexities": list(history),
            "epoch_seconds": list(history.epoch_seconds),
            "tokens_per_epoch": history.tokens_per_epoch, "rng": rng_state()}


def _run_epochs(net, train_iter, vocab, lr, num_epochs, device, use_random_iter, fast, parts):
    loss, updater, history, saver, animator, callback = parts
    ppl, speed = (history[-1] if history else float("nan")), float("nan")
    for epoch in range(len(history) + 1, num_epochs + 1):
        start = time.perf_counter()
        ppl, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, fast)
        seconds = time.perf_counter() - start
        check_finite(ppl, epoch, lr, saver.last_good() if saver is not None else "")
        history.append(ppl)
        history.epoch_seconds.append(seconds)
        history.tokens_per_epoch = round(speed * seconds)
        if saver is not None:
            saver.epoch_done(net, updater, _checkpoint_meta(net, vocab, lr, history), num_epochs)
        if animator is not None:
            animator.add(epoch, ppl)
        if callback is not None:
            callback(epoch, ppl)
    return ppl, speed


def train_ch8(net, train_iter, vocab: Vocab, lr: float, num_epochs: int, device,
              use_random_iter: bool = False, *, fast: bool = True, checkpoint=None,
              overwrite: bool = False, checkpoint_every: int = 10, plot: bool = True,
              verbose: bool = True, callback=None) -> TrainingHistory:
    """Train a character language model as d2l 0.17.6's PyTorch ``train_ch8`` does.

    PyTorch's default initialisation (no re-initialisation), ``torch.optim.SGD`` with
    learning rate ``lr``, gradients clipped to global norm 1 (no epsilon), state
    carried across consecutive batches (detached) or begun afresh for random batches.
    Prints ``perplexity X.X, Y.Y tokens/sec on DEVICE (last epoch)`` and the
    50-character predictions for ``'time traveller'`` and ``'traveller'``.

    Keyword-only extras, as in the MXNet edition: ``fast`` (the loop without host
    syncs; ``fast=False`` runs d2l's), ``checkpoint`` (a folder; saved every
    ``checkpoint_every`` epochs, at the end and on KeyboardInterrupt; calling again
    resumes exactly, Python, NumPy and PyTorch generators included; a checkpoint of
    another model, vocabulary or of the MXNet edition is refused), ``overwrite``,
    ``plot`` (the live plot), ``verbose``, ``callback(epoch, perplexity)``.

    Raises :class:`NonFiniteLossError` when the loss becomes NaN or infinite, and
    ``ValueError`` for a device this machine lacks. Returns a :class:`TrainingHistory`,
    also kept as ``net.training_history``.
    """
    check_train_args(net, vocab, lr, num_epochs)
    device = check_device(device)
    if isinstance(net, nn.Module):
        net.to(device)
    updater = torch.optim.SGD(_parameters(net), lr)
    history = TrainingHistory(device=str(device), mode="fast" if fast else "eager")
    saver = None
    if checkpoint is not None:
        saver = Checkpointer(checkpoint, checkpoint_every, overwrite, verbose)
        saver.resume(net, updater, vocab, lr, device, history)
    animator = None
    if plot:
        from .progress import PerplexityPlot

        animator = PerplexityPlot(num_epochs, history)
    parts = (nn.CrossEntropyLoss(), updater, history, saver, animator, callback)
    try:
        ppl, speed = _run_epochs(net, train_iter, vocab, lr, num_epochs, device, use_random_iter,
                                 fast, parts)
    except KeyboardInterrupt:
        if saver is not None:
            saver.interrupted()
        raise
    _report(net, vocab, device, history, ppl, speed, verbose)
    net.training_history = history
    return history


def _report(net, vocab, device, history, ppl, speed, verbose) -> None:
    if verbose:
        if math.isfinite(speed):
            print(msg("train.result", ppl=ppl, speed=speed, device=str(device)))
        else:  # every epoch was done before (resumed): the mean of the saved run
            print(msg("train.result_mean", ppl=ppl, speed=history.tokens_per_sec,
                      device=str(device), epochs=len(history.epoch_seconds)))
    for prefix in ("time traveller", "traveller"):
        history.predictions[prefix] = predict_ch8(prefix, 50, net, vocab, device)
        if verbose:
            print(history.predictions[prefix])


@torch.no_grad()
def predict_ch8(prefix: str, num_preds: int, net, vocab: Vocab, device) -> str:
    """Greedy generation (d2l 0.17.6): warm up on ``prefix``, then append ``num_preds`` tokens."""
    check_prefix(prefix, vocab)
    nonnegative_int("num_preds", num_preds)
    device = check_device(device)
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]

    def get_input():
        return torch.tensor([outputs[-1]], device=device).reshape((1, 1))

    for y in prefix[1:]:  # warm-up
        _, state = net(get_input(), state)
        outputs.append(vocab[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join(vocab.idx_to_token[i] for i in outputs)


__all__ = ["NonFiniteLossError", "TrainingHistory", "clip_gradients", "grad_clipping",
           "predict_ch8", "train_ch8", "train_epoch_ch8"]
