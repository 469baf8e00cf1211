"""What the PyTorch training loop records and refuses; no PyTorch here.

These parts do not depend on a framework, but the MXNet edition keeps its own in
modules that import MXNet (:mod:`d2l_birnn.training`, :mod:`d2l_birnn.checkpoints`),
so the PyTorch edition cannot import them from there. They say the same things in
the same words (the catalogue's messages), and the tests run the same error checks on
both editions. (They could move into the core and serve both editions.)
"""

from __future__ import annotations

import math
import random

import numpy as np

from ..data import Vocab
from ..generated_text import check_prefix  # (handed on)
from ..i18n import msg
from ..validation import positive_int


class NonFiniteLossError(RuntimeError):
    """Training produced a loss that is NaN or infinite."""


class TrainingHistory(list):
    """Per-epoch training perplexities (a list), with facts about the run.

    Attributes: ``epoch_seconds`` (wall time of each epoch), ``tokens_per_epoch``,
    ``device``, ``predictions`` ({prefix: generated text}) and ``mode``
    (``'fast'`` or ``'eager'``), as in the MXNet edition.
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
        """Total tokens / total wall time over the timed epochs (NaN if none)."""
        total = sum(self.epoch_seconds)
        return self.tokens_per_epoch * len(self.epoch_seconds) / total if total else float("nan")

    @property
    def seconds_per_epoch(self) -> float:
        """Mean wall time of one epoch (NaN if none)."""
        return sum(self.epoch_seconds) / len(self.epoch_seconds) if self.epoch_seconds else float("nan")

    def __repr__(self) -> str:
        if not self:
            return msg("train.history_empty")
        return msg("train.history", epochs=len(self), first=self[0], last=self[-1],
                   speed=self.tokens_per_sec, timed=len(self.epoch_seconds), device=self.device,
                   mode=self.mode)


def check_train_args(net, vocab: Vocab, lr, num_epochs) -> None:
    """``ValueError`` for a bad ``lr``/``num_epochs`` or a model whose output size is not ``len(vocab)``."""
    if isinstance(lr, bool) or not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    positive_int("num_epochs", num_epochs)
    vocab_size = getattr(net, "vocab_size", None)
    if vocab_size is not None and vocab_size != len(vocab):
        raise ValueError(f"the model predicts {vocab_size} tokens but the vocab has {len(vocab)}; "
                         f"build it with d2l.RNNModel(layer, len(vocab))")


def check_finite(ppl: float, epoch: int, lr: float, last_good: str = "") -> None:
    """:class:`NonFiniteLossError` when the epoch's perplexity is NaN or infinite."""
    if not math.isfinite(ppl):
        raise NonFiniteLossError(
            f"training stopped in epoch {epoch}: the loss became {ppl} (not finite). The "
            f"learning rate lr={lr} is probably too high for this model; try lr={lr / 10:g}.{last_good}")


def perplexity(mean_loss: float) -> float:
    """``exp(mean_loss)``; inf past overflow, NaN stays NaN."""
    if math.isnan(mean_loss):
        return mean_loss
    return math.exp(mean_loss) if mean_loss < 700 else float("inf")


def python_numpy_rng_state() -> dict:
    """The Python and NumPy random generators' states, as JSON-friendly lists."""
    version, internal, gauss = random.getstate()
    name, keys, pos, has_gauss, cached = np.random.get_state()
    return {"python": [version, list(internal), gauss],
            "numpy": [name, keys.tolist(), int(pos), int(has_gauss), float(cached)]}


def set_python_numpy_rng_state(state: dict) -> None:
    """Restore what :func:`python_numpy_rng_state` returned."""
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, np.array(keys, dtype=np.uint32), pos, has_gauss, cached))


__all__ = ["NonFiniteLossError", "TrainingHistory", "check_finite", "check_prefix",
           "check_train_args", "perplexity", "python_numpy_rng_state", "set_python_numpy_rng_state"]
