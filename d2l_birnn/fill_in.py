"""The one fill-in task on which every model family of the notebooks is compared.

Held-out text: the last 10% of :func:`d2l_birnn.data.time_machine_text`
(:func:`d2l_birnn.data.split_train_test`). Blanks: positions of that text with
``FILL_IN_MARGIN`` characters on both sides, all of them (full mode) or a
seeded sample of ``QUICK_BLANKS`` (quick mode). Each blank is hidden on its own and filled
from the characters around it (both sides) or before it (left only).

Count models (01), the HMM (02), the scratch BiRNN (03) and the LSTMs (05)
are scored with :func:`score_fill_in` on these blanks and report with
:func:`fill_in_line`, one line in one format, so that a table can be
collected from the notebooks' outputs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .data import Vocab, char_vocab, split_train_test, time_machine_text
from .i18n import msg

#: Characters of context on each side of every blank.
FILL_IN_MARGIN = 10
#: Blanks scored in quick mode (a seeded sample); full mode scores every one.
QUICK_BLANKS = 1000
#: The start of every English result line; the rest is ``<model>: both sides X%, left only Y%;
#: context ...; size ...``
#: (catalogue key ``fill_in.line``; ``D2L_BIRNN_LANG=zh`` prints its Chinese form).
FILL_IN_PREFIX = msg("fill_in.line", lang="en").split("{model}")[0]


class FillInTask(NamedTuple):
    """The training text and the blanks of the held-out text, as text and as ids."""

    train_text: str
    test_text: str
    vocab: Vocab            #: characters of the training text, ``<unk>`` (0) and ``<mask>`` (1)
    train_ids: np.ndarray   #: (N_train,)
    test_ids: np.ndarray    #: (N_test,)
    positions: np.ndarray   #: (P,) sorted blank positions in ``test_ids``


def fill_in_task(num_blanks: int | None | str = "default", seed: int = 0) -> FillInTask:
    """The task: every held-out position ``FILL_IN_MARGIN`` from both ends (full
    mode), or ``QUICK_BLANKS`` of them drawn with ``seed`` (quick mode; see
    :func:`d2l_birnn.ngram.blank_positions`). ``num_blanks`` (an int, or None for
    all) overrides the default."""
    from .ngram import blank_positions
    from .runtime import budget

    if num_blanks == "default":
        num_blanks = budget(full=None, quick=QUICK_BLANKS)

    train_text, test_text = split_train_test(time_machine_text())
    vocab = char_vocab(train_text)
    train_ids = np.array(vocab[list(train_text)])
    test_ids = np.array(vocab[list(test_text)])
    positions = blank_positions(len(test_ids), FILL_IN_MARGIN, num_blanks, seed=seed)
    return FillInTask(train_text, test_text, vocab, train_ids, test_ids, positions)


def score_fill_in(probs, truth) -> dict[str, float]:
    """Accuracy and cross-entropy of predicted distributions for the hidden tokens.

    ``probs``: (P, V) probabilities (rows sum to 1), ``truth``: (P,) token ids.
    Returns ``{"accuracy": fraction whose most probable token is right,
    "cross_entropy": mean -log2 p(true token) in bits}``.
    """
    probs = np.asarray(probs, dtype=float)
    truth = np.asarray(truth, dtype=np.int64)
    if probs.ndim != 2 or probs.shape[0] != len(truth) or len(truth) == 0:
        raise ValueError(f"probs must have shape (P, V) with P = len(truth) = {len(truth)} > 0, "
                         f"got {probs.shape}")
    p_true = probs[np.arange(len(truth)), truth]
    with np.errstate(divide="ignore"):
        bits = float(-np.log2(p_true).mean())
    return {"accuracy": float((probs.argmax(axis=1) == truth).mean()), "cross_entropy": bits}


class Spread(NamedTuple):
    """Mean, lowest and highest of one result over ``runs`` runs (seeds)."""

    mean: float
    low: float
    high: float
    runs: int


def seed_spread(values) -> Spread:
    """The :class:`Spread` of ``values`` (one result per seed, shape (S,), S >= 1)."""
    values = np.asarray(values, dtype=float).ravel()
    if len(values) == 0 or not np.isfinite(values).all():
        raise ValueError(f"need one finite result per run (seed), got {values.tolist()!r}")
    return Spread(float(values.mean()), float(values.min()), float(values.max()), len(values))


def accuracy_text(accuracy) -> str:
    """An accuracy (fraction) as the result line shows it, with its spread over runs.

    A number: a deterministic result, ``'84.5%'``. A sequence of one result per
    seed: one seed gives ``'53.1% (one run)'``; several give the mean and the
    range, ``'61.4% (3 seeds: 60.8-62.0%)'``.
    """
    if np.ndim(accuracy) == 0:
        return msg("fill_in.acc", acc=100 * float(accuracy))
    spread = seed_spread(accuracy)
    if spread.runs == 1:
        return msg("fill_in.acc_one_run", acc=100 * spread.mean)
    return msg("fill_in.acc_seeds", acc=100 * spread.mean, n=spread.runs, low=100 * spread.low,
               high=100 * spread.high)


def context_text(both: int | None, left: int | None) -> str:
    """What each model reads around a blank: ``'8+8 characters vs 8 characters'``.

    ``both``: characters on each side for the two-sided model, ``left``: characters
    before the blank for the left-only model; ``None`` means all of the held-out
    text (both sides) or all of it before the blank (left only), as in the HMM.
    """
    for name, n in (("both", both), ("left", left)):
        if n is not None and (not isinstance(n, (int, np.integer)) or n < 1):
            raise ValueError(f"{name} must be a positive number of characters or None (all), got {n!r}")
    return msg("fill_in.context",
               both=msg("fill_in.context.all_both") if both is None else msg("fill_in.context.both", n=both),
               left=msg("fill_in.context.all_left") if left is None else msg("fill_in.context.left", n=left))


def size_text(both: int, left: int, unit: str = "parameters") -> str:
    """The size of the two-sided and the left-only model: ``'15,901 vs 16,029 parameters'``.

    ``unit``: ``'parameters'`` (numbers the model learns) or ``'counts'`` (the
    nonzero counts a count model stores, :func:`count_model_size`).
    """
    if unit not in ("parameters", "counts"):
        raise ValueError(f"unit must be 'parameters' or 'counts', got {unit!r}")
    return msg(f"fill_in.size.{unit}", both=int(both), left=int(left))


def count_model_size(filler) -> int:
    """Nonzero (context, character) counts an ``ngram.CountFiller`` stores, over all
    the levels of its backoff chain: the count model's size."""
    tables = getattr(filler, "_tables", None)
    if not tables:
        raise ValueError("count_model_size needs a fitted ngram.CountFiller (call fit(train_ids))")
    return int(sum(len(table.counts) for table in tables))


def fill_in_line(model: str, both, left, *, context: tuple, size: tuple, unit: str = "parameters") -> str:
    """The one result line every notebook prints (catalogue ``fill_in.line``), e.g.

    ``'fill-in, held-out text: HMM, k=30 states: both sides 53.1% (one run), left only
    35.8% (one run); context the whole text vs all text before; size 1,800 vs 1,800 parameters'``.

    ``both``/``left``: accuracies (fractions) with context on both sides and on the
    left only; a number, or one per seed (see :func:`accuracy_text`).
    ``context``: ``(both, left)`` for :func:`context_text`; ``size``: ``(both, left)``
    model sizes for :func:`size_text` in ``unit``. ``model`` must not contain
    ``':'`` (the line is parsed by ``tools/fill_in_table.py``).
    """
    if ":" in model or "：" in model:
        raise ValueError(f"model name {model!r} must not contain ':' (the line is parsed)")
    return msg("fill_in.line", model=model, both=accuracy_text(both), left=accuracy_text(left),
               context=context_text(*context), size=size_text(*size, unit=unit))


__all__ = ["FILL_IN_MARGIN", "FILL_IN_PREFIX", "QUICK_BLANKS", "FillInTask", "Spread", "accuracy_text",
           "context_text", "count_model_size", "fill_in_line", "fill_in_task", "score_fill_in", "seed_spread",
           "size_text"]
