"""Honest two-sided prediction: two separately trained language models, or a masked input.

Notebook 04's BiLSTM was trained to predict ``x_{t+1}`` from an output that had
read ``x_{t+1}``: the answer was in its input. Two ways to use both sides of a
blank without that leak:

* **Two language models** (ELMo-style, Peters et al. 2018): a forward LM
  ``P(x_t | x_<t)`` and a backward LM ``P(x_t | x_>t)``, trained separately
  (:func:`train_language_models`; each is a one-way ``tasks.BlankFiller``, the
  backward one trained on reversed text). Neither ever reads ``x_t`` when it
  predicts it. Their predictions are combined by :func:`combine_predictions`.
* **A masked input** (BERT-style, Devlin et al. 2019): a BiLSTM reads the whole
  window with the blank replaced by a ``<mask>`` token and is trained to
  predict the masked positions only (:func:`mask_tokens`, :func:`fit_masked`).

:func:`substitution_sensitivity` measures, for any predictor, how much its
prediction for the blank moves when one input character is changed: the check
that the blank's own character does not reach the prediction. Windows are id
arrays ``(P, W)``; predictions are probabilities ``(P, V)``.
"""

from __future__ import annotations

import numpy as np
from mxnet import autograd, gluon, init, npx
from mxnet import np as mnp

from .. import blanks
from ..blanks import combine_predictions, mask_tokens, substitution_sensitivity  # noqa: F401 (handed on)
from ..runtime import set_seed
from ..validation import positive_int
from .tasks import BlankFiller, TokenTagger


# ---------------------------------------------------------------------------
# Two language models, trained separately
# ---------------------------------------------------------------------------
def train_language_models(train_seqs, vocab_size: int, num_hiddens: int, num_epochs: int,
                          seed: int = 0, **train_kwargs) -> dict:
    """A forward and a backward character LM, trained separately on rows ``(S, T)`` of ids.

    Returns ``{"forward": net, "backward": net, "losses": {...}}``. Each net is a
    one-way ``tasks.BlankFiller`` (output at t reads the state after t - 1),
    trained on every position (:func:`train_rows`); the backward one on every
    row reversed. ``train_kwargs``: ``batch_size``, ``lr``.
    """
    train_seqs = np.asarray(train_seqs)
    nets, losses = {}, {}
    for name, rows in (("forward", train_seqs), ("backward", train_seqs[:, ::-1].copy())):
        set_seed(seed)
        nets[name] = BlankFiller(vocab_size, vocab_size, num_hiddens, bidirectional=False)
        losses[name] = train_rows(nets[name], rows, blanks.every_position, num_epochs, seed=seed,
                                  **train_kwargs)
    return {**nets, "losses": losses}


def train_rows(net, rows, make_inputs, num_epochs: int, batch_size: int = 64,
               lr: float = 0.01, seed: int = 0) -> list[float]:
    """Train ``net`` ((N, T) ids -> (N, T, V) logits) to predict the tokens of ``rows`` (S, T).

    Every epoch ``make_inputs(rows, rng)`` gives ``(inputs (S, T), weights (S, T))``:
    what the net reads, and where the loss is taken (weight 1) or not (0). Adam,
    every gradient element clipped to [-1, 1] (as ``tasks.fit``), shuffled with ``seed``.
    Returns the mean weighted loss of each epoch (nats per token).
    """
    rows = np.asarray(rows, dtype=np.int64)
    positive_int("num_epochs", num_epochs)
    rng = np.random.default_rng(seed)
    set_seed(seed)
    net.initialize(init.Xavier(), force_reinit=True)
    net.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(net.collect_params(), "adam",
                            {"learning_rate": lr, "clip_gradient": 1.0})
    losses = []
    for _ in range(num_epochs):
        inputs, weights = make_inputs(rows, rng)
        order = rng.permutation(len(rows))
        total, count = 0.0, 0.0
        for start in range(0, len(rows), batch_size):
            idx = order[start:start + batch_size]
            x, y, w = (mnp.array(a[idx]) for a in (inputs, rows, weights))
            with autograd.record():
                per_token = -npx.pick(npx.log_softmax(net(x), axis=-1), y, axis=-1)
                loss = (per_token * w).sum() / w.sum()
            loss.backward()
            trainer.step(1)
            total += float(loss) * float(w.sum())
            count += float(w.sum())
        losses.append(total / count)
    return losses


def _softmax_rows(net, X, position: int, batch_size: int = 1024) -> np.ndarray:
    """``softmax(net(X))[:, position]`` in batches: (P, V) NumPy probabilities."""
    out = []
    for start in range(0, len(X), batch_size):
        logits = net(mnp.array(X[start:start + batch_size]))[:, position]
        out.append(npx.softmax(logits).asnumpy())
    return np.concatenate(out).astype(float)


def language_model_predictions(forward_net, backward_net, windows, centre: int
                               ) -> tuple[np.ndarray, np.ndarray]:
    """``(P(x_c | left), P(x_c | right))`` for the character at ``centre`` of every window
    (:func:`d2l_birnn.blanks.language_model_predictions` with this framework's softmax)."""
    return blanks.language_model_predictions(_softmax_rows, forward_net, backward_net, windows,
                                             centre)


# ---------------------------------------------------------------------------
# A masked input
# ---------------------------------------------------------------------------
def masked_filler(vocab_size: int, num_hiddens: int) -> TokenTagger:
    """The BERT-style filler: embedding, one BiLSTM layer, a dense layer at every position.

    ``net(X)`` (N, T) -> logits (N, T, V); the output at t reads both
    directions' states at t, which have read ``X[:, t]``: so the blank must be
    hidden in the *input*, by a mask token.
    """
    return TokenTagger(vocab_size, vocab_size, num_hiddens, bidirectional=True)


def fit_masked(net, rows, mask_id: int, num_epochs: int, rate: float = 0.15, **train_kwargs
               ) -> list[float]:
    """Train ``net`` to predict the masked tokens of ``rows`` (S, T) from the rest.

    New masks every epoch (:func:`mask_tokens`, drawn with ``seed``); the loss
    is the cross-entropy at masked positions only (:func:`train_rows`, whose
    ``batch_size``, ``lr``, ``seed`` it takes). Returns the mean masked loss of
    each epoch (nats).
    """
    if not 0 < rate <= 1:
        raise ValueError(f"rate must be a fraction in (0, 1], got {rate!r}")
    return train_rows(net, rows, lambda r, rng: mask_tokens(r, rate, mask_id, rng), num_epochs,
                      **train_kwargs)


def masked_predictions(net, windows, centre: int, mask_id: int) -> np.ndarray:
    """``P(x_c | window with x_c masked)``: (P, V) (:func:`d2l_birnn.blanks.masked_predictions`)."""
    return blanks.masked_predictions(_softmax_rows, net, windows, centre, mask_id)


def next_token_predictions(net, windows, centre: int) -> np.ndarray:
    """How notebook 04's kind of model predicts ``x_c``: from its output at ``c - 1``, which has
    read ``x_c`` through its backward direction (:func:`d2l_birnn.blanks.next_token_predictions`)."""
    return blanks.next_token_predictions(_softmax_rows, net, windows, centre)


__all__ = ["combine_predictions", "fit_masked", "language_model_predictions", "mask_tokens",
           "masked_filler", "masked_predictions", "next_token_predictions",
           "substitution_sensitivity", "train_rows",
           "train_language_models"]
