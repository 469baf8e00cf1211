"""Evaluating character language models on text they were not trained on.

The question these functions answer: does a model predict the next character
because it learned the language, or because the answer was in its input? A
bidirectional model trained as a language model sees the target x_{t+1} in its
input (the backward direction reads it), so it can score well with the future
in the window and badly without it.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Sequence

from mxnet import np as mnp
from mxnet import npx

from .data import Vocab, check_batch_shape
from .training import check_prefix


def _windows(corpus: Sequence[int], num_steps: int, num_windows: int, stride: int):
    """(X, Y) int lists: ``num_windows`` windows of ``num_steps`` tokens, Y shifted by one."""
    if len(corpus) < num_steps + 1:
        raise ValueError(f"need at least num_steps + 1 = {num_steps + 1} tokens, got {len(corpus)}")
    starts = list(range(0, len(corpus) - num_steps, stride))[:num_windows]
    X = [corpus[s: s + num_steps] for s in starts]
    Y = [corpus[s + 1: s + 1 + num_steps] for s in starts]
    return X, Y


def _score(logits, labels) -> tuple[float, int]:
    """(summed negative log-likelihood, number correct) of logits (n, V) for labels (n,)."""
    log_probs = npx.log_softmax(logits, axis=-1)
    nll = float(-npx.pick(log_probs, labels, axis=-1).sum())
    correct = int((logits.argmax(axis=1).astype(labels.dtype) == labels).sum())
    return nll, correct


def _last_outputs(net, windows, device, batch_size: int):
    """Logits of the last step of each window: (len(windows), V).

    Every window has the same length, so the model runs on one input shape.
    """
    outs = []
    for i in range(0, len(windows), batch_size):
        xb = mnp.array(windows[i: i + batch_size], ctx=device)
        logits, _ = net(xb, net.begin_state(batch_size=xb.shape[0], ctx=device))
        outs.append(logits[-xb.shape[0]:])  # time-major: the last step's rows come last
    return mnp.concatenate(outs, axis=0)


def next_token_accuracy(net, corpus: Sequence[int], device, num_steps: int = 35,
                        future: bool = True, num_windows: int = 256,
                        batch_size: int = 256) -> dict[str, float]:
    """Accuracy and cross-entropy of next-token prediction on ``corpus``.

    Both settings score the same ``num_windows * num_steps`` positions.

    ``future=True``: windows of ``num_steps`` tokens are fed whole, as in
    training; the prediction for x_{t+1} at position t may use the whole
    window, including x_{t+1} itself (a bidirectional model can read it).

    ``future=False``: every prediction uses only the past, as in generation:
    x_{t+1} is predicted from the last output of the window x_{t-num_steps+1..t}
    that ends at t, so no input lies after t.

    Returns ``{"accuracy", "cross_entropy", "perplexity", "tokens"}``.
    """
    check_batch_shape(len(corpus), 1, num_steps)
    n = num_windows * num_steps
    if len(corpus) < n + num_steps + 1:
        raise ValueError(f"corpus of {len(corpus)} tokens is too short for {num_windows} windows "
                         f"of {num_steps}; lower num_windows")
    nll, correct = 0.0, 0
    if future:
        X, Y = _windows(corpus, num_steps, num_windows, stride=num_steps)
        for i in range(0, len(X), batch_size):
            xb = mnp.array(X[i: i + batch_size], ctx=device)
            labels = mnp.array(Y[i: i + batch_size]).T.reshape(-1).as_in_ctx(device)
            logits, _ = net(xb, net.begin_state(batch_size=xb.shape[0], ctx=device))
            b_nll, b_correct = _score(logits, labels)
            nll, correct = nll + b_nll, correct + b_correct
    else:
        # Windows ending at t = num_steps - 1, ..., predicting x_{t+1}: the same
        # targets as above, shifted past the first window.
        windows = [corpus[t - num_steps + 1: t + 1] for t in range(num_steps - 1, num_steps - 1 + n)]
        labels = mnp.array([corpus[t + 1] for t in range(num_steps - 1, num_steps - 1 + n)],
                          ctx=device)
        nll, correct = _score(_last_outputs(net, windows, device, batch_size), labels)
    ce = nll / n
    return {"accuracy": correct / n, "cross_entropy": ce, "perplexity": math.exp(ce), "tokens": n}


def next_token_predictions(net, ids: Sequence[int], vocab: Vocab, device, num_steps: int = 35,
                           future: bool = True) -> str:
    """The model's guess of each next token of ``ids[num_steps - 1:]``, as text.

    ``future=True``: one pass over the whole sequence (1, len(ids)); the output
    at t may read everything, x_{t+1} included. ``future=False``: the output at
    t comes from the window of ``num_steps`` tokens ending at t (past only).
    Position i of the result is the guess for ``ids[num_steps + i]``.
    """
    if len(ids) <= num_steps:
        raise ValueError(f"need more than num_steps = {num_steps} tokens, got {len(ids)}")
    if future:
        logits, _ = net(mnp.array([list(ids)], ctx=device), net.begin_state(batch_size=1, ctx=device))
        guesses = logits.argmax(axis=1)[num_steps - 1: len(ids) - 1]
    else:
        windows = [list(ids[t - num_steps + 1: t + 1]) for t in range(num_steps - 1, len(ids) - 1)]
        guesses = _last_outputs(net, windows, device, batch_size=256).argmax(axis=1)
    return "".join(vocab.to_tokens([int(i) for i in guesses]))


def text_perplexity(net, text: str, vocab: Vocab, device) -> float:
    """Perplexity of ``text`` under a (unidirectional) language model ``net``.

    The text is fed in one sequence of shape (1, len(text) - 1); each output
    scores the next character. Low means the model finds the text plausible.
    """
    check_prefix(text, vocab)
    if len(text) < 2:
        raise ValueError("text must have at least 2 characters")
    ids = vocab[list(text)]
    X = mnp.array([ids[:-1]], ctx=device)
    labels = mnp.array(ids[1:], ctx=device)
    logits, _ = net(X, net.begin_state(batch_size=1, ctx=device))
    log_probs = npx.log_softmax(logits, axis=-1)
    return math.exp(float(-npx.pick(log_probs, labels, axis=-1).mean()))


def repetition_stats(text: str) -> dict[str, float]:
    """How repetitive a generated text is.

    ``distinct_bigrams``: number of different character bigrams / number of
    bigrams (low = repetitive); ``top_bigram_share``: share of the most
    frequent bigram; ``top_bigram``: that bigram.
    """
    bigrams = [text[i: i + 2] for i in range(len(text) - 1)]
    if not bigrams:
        raise ValueError("text must have at least 2 characters")
    counts = collections.Counter(bigrams)
    top, n = counts.most_common(1)[0]
    return {"distinct_bigrams": len(counts) / len(bigrams), "top_bigram_share": n / len(bigrams),
            "top_bigram": top}
