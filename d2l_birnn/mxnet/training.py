"""Training and prediction for character language models (the notes' ``train_ch8``).

Two loops compute the same thing:

* the *eager* loop is d2l 0.17's, line for line (``fast=False``): every batch
  reads the gradient norm and the loss back to Python;
* the *fast* loop (the default) hybridizes the model, clips gradients on the
  device and reads the loss once per epoch, so MXNet never waits for Python.

``train_ch8(..., checkpoint=PATH)`` saves everything needed to resume exactly
(:mod:`d2l_birnn.checkpoints`); the live plot is :mod:`d2l_birnn.mxnet.progress`.
"""

from __future__ import annotations

import math
import time

import mxnet as mx
from mxnet import autograd, gluon, init
from mxnet import np as mnp

from ..data import Vocab
from ..generated_text import check_prefix  # (handed on: d2l_birnn.training.check_prefix)
from ..i18n import msg
from ..validation import nonnegative_int, positive_int
from .checkpoints import Checkpointer, rng_state
from .models import describe
from .progress import PerplexityPlot


class NonFiniteLossError(RuntimeError):
    """Training produced a loss that is NaN or infinite."""


class TrainingHistory(list):
    """Per-epoch training perplexities (a list), with facts about the run.

    Attributes: ``epoch_seconds`` (wall time of each epoch), ``tokens_per_epoch``,
    ``device``, ``predictions`` ({prefix: generated text}) and ``mode``
    (``'fast'`` or ``'eager'``).
    """

    def __init__(self, perplexities=(), epoch_seconds=(), tokens_per_epoch=0, device="",
                 mode="fast"):
        super().__init__(perplexities)
        self.epoch_seconds = list(epoch_seconds)
        self.tokens_per_epoch = tokens_per_epoch
        self.device = device
        self.mode = mode
        self.predictions: dict[str, str] = {}

    @property
    def tokens_per_sec(self) -> float:
        """Mean training speed over all epochs timed in this history (NaN if none).

        Total tokens / total wall time: ``tokens_per_epoch * E / sum(epoch_seconds)``
        over the ``E = len(epoch_seconds)`` timed epochs, so slow epochs weigh
        by their time. ``train_ch8``'s printed line gives the *last* epoch's
        speed instead (d2l's format); the two differ by epoch-to-epoch noise.
        """
        total = sum(self.epoch_seconds)
        return self.tokens_per_epoch * len(self.epoch_seconds) / total if total else float("nan")

    @property
    def seconds_per_epoch(self) -> float:
        """Mean wall time of one epoch, ``sum(epoch_seconds) / E`` over the timed epochs (NaN if none).

        Each epoch's time covers its batches, clipping and updates, not checkpoint
        saves or the live plot.
        """
        return sum(self.epoch_seconds) / len(self.epoch_seconds) if self.epoch_seconds else float("nan")

    def __repr__(self) -> str:
        if not self:
            return msg("train.history_empty")
        return msg("train.history", epochs=len(self), first=self[0], last=self[-1],
                   speed=self.tokens_per_sec, timed=len(self.epoch_seconds), device=self.device,
                   mode=self.mode)


# ---------------------------------------------------------------------------
# Gradient clipping
# ---------------------------------------------------------------------------
def grad_clipping(net, theta: float) -> None:
    """d2l 0.17's clipping, in ``mxnet.np``: rescale all gradients so their
    global L2 norm is at most ``theta`` (reads the norm back to Python)."""
    params = [p.data() for p in net.collect_params().values()]
    norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


def clip_gradients(grads: list, theta: float) -> None:
    """Same rescaling as :func:`grad_clipping`, computed on the device.

    ``grads``: the gradient arrays, changed in place. Multiplies every gradient
    by ``min(1, theta / ||g||)`` without a round trip to Python. The squared
    norms of all arrays come from one fused ``multi_sum_sq`` call: summing
    ``g ** 2`` array by array costs ten times as long on the CPU (``**``
    calls ``pow`` for every element).
    """
    views = [g.as_nd_ndarray() for g in grads]  # same memory, legacy-ndarray view
    sum_sq = mx.nd.multi_sum_sq(*views, num_arrays=len(views))
    scale = mx.nd.minimum(theta / mx.nd.sqrt(mx.nd.sum(sum_sq)), 1.0)
    for g in views:
        mx.nd.broadcast_mul(g, scale, out=g)


# ---------------------------------------------------------------------------
# One epoch
# ---------------------------------------------------------------------------
def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter: bool,
                    fast: bool = True) -> tuple[float, float]:
    """Train one epoch; return (perplexity, tokens/sec).

    ``fast=False`` is d2l 0.17's loop. ``fast=True`` clips on the device and
    sums the loss on the device, reading it once at the end of the epoch.
    """
    state, start = None, time.perf_counter()
    loss_sum, num_tokens = 0.0, 0
    params = list(net.collect_params().values())
    for X, Y in train_iter:
        if state is None or use_random_iter:
            state = net.begin_state(batch_size=X.shape[0], ctx=device)
        else:
            state = [s.detach() for s in state]  # detach() returns a new array
        y = Y.T.reshape(-1)
        X, y = X.as_in_ctx(device), y.as_in_ctx(device)
        with autograd.record():
            y_hat, state = net(X, state)
            l = loss(y_hat, y).mean()
        l.backward()
        if fast:
            clip_gradients([p.grad(device) for p in params], 1)
            loss_sum = loss_sum + l * y.size  # stays on the device
        else:
            grad_clipping(net, 1)
            loss_sum += float(l) * y.size
        updater(batch_size=1)  # the loss is already a mean
        num_tokens += y.size
    if num_tokens == 0:
        raise ValueError("the training iterator gave no batches; lower batch_size or num_steps")
    mean_loss = float(loss_sum) / num_tokens
    elapsed = time.perf_counter() - start
    ppl = math.exp(mean_loss) if mean_loss < 700 else float("inf")  # NaN stays NaN
    return (mean_loss if math.isnan(mean_loss) else ppl), num_tokens / elapsed


# ---------------------------------------------------------------------------
# The training loop
# ---------------------------------------------------------------------------
def _check_train_args(net, vocab, lr, num_epochs) -> None:
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    positive_int("num_epochs", num_epochs)
    vocab_size = getattr(net, "vocab_size", None)
    if vocab_size is not None and vocab_size != len(vocab):
        raise ValueError(f"the model predicts {vocab_size} tokens but the vocab has {len(vocab)}; "
                         f"build it with d2l.RNNModel(layer, len(vocab))")


def _check_device(device):
    if not isinstance(device, mx.Context):
        raise ValueError(f"device {device!r} is not an MXNet context; the MXNet edition needs one: use "
                         f"d2l.try_gpu() or mx.cpu() (PyTorch: from d2l_birnn import torch as d2l)")
    if device.device_type == "gpu" and device.device_id >= mx.context.num_gpus():
        raise ValueError(f"device {device} is not available: this machine has {mx.context.num_gpus()} "
                         f"GPU(s) MXNet can use; use d2l.try_gpu(), which falls back to the CPU")
    return device


def _hybridize(net, fast: bool) -> None:
    """One cached graph per input shape for the fast loop; eager (d2l's way) otherwise."""
    if isinstance(net, gluon.HybridBlock):
        if fast:
            net.hybridize(static_alloc=True, static_shape=True)
        else:
            net.hybridize(False)


def _check_finite(ppl: float, epoch: int, lr: float, saver: Checkpointer | None) -> None:
    if not math.isfinite(ppl):
        note = saver.last_good() if saver is not None else ""
        raise NonFiniteLossError(
            f"training stopped in epoch {epoch}: the loss became {ppl} (not finite). The "
            f"learning rate lr={lr} is probably too high for this model; try lr={lr / 10:g}.{note}")


def _checkpoint_meta(net, vocab: Vocab, lr: float, history: TrainingHistory) -> dict:
    return {"model": describe(net), "vocab": list(vocab.idx_to_token), "lr": lr,
            "epoch": len(history), "perplexities": list(history),
            "epoch_seconds": list(history.epoch_seconds),
            "tokens_per_epoch": history.tokens_per_epoch, "rng": rng_state()}


def train_ch8(net, train_iter, vocab: Vocab, lr: float, num_epochs: int, device,
              use_random_iter: bool = False, *, fast: bool = True, checkpoint=None,
              overwrite: bool = False, checkpoint_every: int = 10, plot: bool = True,
              verbose: bool = True, callback=None) -> TrainingHistory:
    """Train a character language model as the notes do and return its history.

    Normal(0.01) initialisation, SGD with learning rate ``lr`` through a
    ``gluon.Trainer``, gradients clipped to global norm 1, state carried across
    consecutive batches (detached) or begun afresh for random batches. Prints
    ``perplexity X.X, Y.Y tokens/sec on DEVICE (last epoch)`` (the last epoch's
    speed, d2l's format; the history's repr gives the mean) and the 50-character
    predictions for ``'time traveller'`` and ``'traveller'`` as d2l does.

    Extras (keyword-only):

    * ``fast``: hybridized model, clipping and loss on the device (default).
      ``fast=False`` runs d2l's eager loop.
    * ``checkpoint``: a directory (see :mod:`d2l_birnn.checkpoints`). Saved every
      ``checkpoint_every`` epochs, at the end, and when interrupted
      (KeyboardInterrupt); calling again with the same path resumes where it
      stopped, with the same data order. A checkpoint of another model or vocab
      is refused, a damaged one is reported and left alone; an existing
      checkpoint is only replaced by a fresh run when ``overwrite=True``.
      (MXNet cannot report its random generator's state, so layers that draw
      random numbers while training, such as dropout, resume with a generator
      seeded afresh.)
    * ``plot``: the live perplexity plot (d2l's ``Animator``).
    * ``callback(epoch, perplexity)``: called after every epoch.

    Raises :class:`NonFiniteLossError` when the loss becomes NaN or infinite.
    Returns a :class:`TrainingHistory` (a list of per-epoch perplexities), also
    kept as ``net.training_history`` so the notes' one-line call loses nothing.
    """
    _check_train_args(net, vocab, lr, num_epochs)
    device = _check_device(device)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    net.initialize(ctx=device, force_reinit=True, init=init.Normal(0.01))
    _hybridize(net, fast)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    history = TrainingHistory(device=str(device), mode="fast" if fast else "eager")
    saver = None
    if checkpoint is not None:
        saver = Checkpointer(checkpoint, checkpoint_every, overwrite, verbose)
        saver.resume(net, trainer, vocab, lr, train_iter, device, history)
    animator = PerplexityPlot(num_epochs, history) if plot else None
    ppl, speed = (history[-1] if history else float("nan")), float("nan")
    try:
        for epoch in range(len(history) + 1, num_epochs + 1):
            start = time.perf_counter()
            ppl, speed = train_epoch_ch8(net, train_iter, loss, trainer.step, device,
                                         use_random_iter, fast=fast)
            seconds = time.perf_counter() - start
            _check_finite(ppl, epoch, lr, saver)
            history.append(ppl)
            history.epoch_seconds.append(seconds)
            history.tokens_per_epoch = round(speed * seconds)
            if saver is not None:
                saver.epoch_done(net, trainer, _checkpoint_meta(net, vocab, lr, history),
                                 num_epochs)
            if animator is not None:
                animator.add(epoch, ppl)
            if callback is not None:
                callback(epoch, ppl)
    except KeyboardInterrupt:
        if saver is not None:
            saver.interrupted()
        raise
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
    net.training_history = history
    return history


# ---------------------------------------------------------------------------
# Prediction
# ---------------------------------------------------------------------------
def predict_ch8(prefix: str, num_preds: int, net, vocab: Vocab, device) -> str:
    """Greedy generation: warm up on ``prefix``, then append ``num_preds`` tokens.

    Returns the prefix followed by ``num_preds`` predicted characters.
    """
    check_prefix(prefix, vocab)
    nonnegative_int("num_preds", num_preds)
    state = net.begin_state(batch_size=1, ctx=device)
    outputs = [vocab[prefix[0]]]

    def get_input():
        return mnp.array([outputs[-1]], ctx=device).reshape((1, 1))

    for y in prefix[1:]:  # warm-up
        _, state = net(get_input(), state)
        outputs.append(vocab[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(axis=1).reshape(1)))
    return "".join(vocab.idx_to_token[i] for i in outputs)
