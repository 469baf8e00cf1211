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
#: The start of every English result line; the rest is ``<model>: both sides X%, left only Y%``
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


def fill_in_line(model: str, both: float, left: float) -> str:
    """``'fill-in, held-out text: <model>: both sides 84.5%, left only 59.6%'`` (catalogue ``fill_in.line``).

    ``both``/``left``: accuracies (fractions) with context on both sides and
    on the left only. ``model`` must not contain ``':'`` (the line is parsed).
    """
    if ":" in model or "：" in model:
        raise ValueError(f"model name {model!r} must not contain ':' (the line is parsed)")
    return msg("fill_in.line", model=model, both=100 * both, left=100 * left)


__all__ = ["FILL_IN_MARGIN", "FILL_IN_PREFIX", "QUICK_BLANKS", "FillInTask", "fill_in_line", "fill_in_task",
           "score_fill_in"]
