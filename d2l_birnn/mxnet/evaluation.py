"""Evaluating character language models on text they were not trained on.

The question these functions answer: does a model predict the next character
because it learned the language, or because the answer was in its input? A
bidirectional model trained as a language model sees the target x_{t+1} in its
input (the backward direction reads it), so it can score well with the future
in the window and badly without it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mxnet import np as mnp
from mxnet import npx

from ..data import Vocab, check_batch_shape
from ..generated_text import count_model_perplexity, repetition_stats  # noqa: F401 (handed on)
from ..validation import positive_int
from .conversion import _GLUON_NAME
from .training import check_prefix, predict_ch8


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


# ---------------------------------------------------------------------------
# Where in a training window the loss is: position 1..num_steps
# ---------------------------------------------------------------------------
def per_position_scores(net, batches, device, epochs: int = 1,
                        carry_state: bool | None = None) -> dict:
    """Accuracy and mean loss at each position of the training windows.

    ``batches``: an iterable of ``(X, Y)`` minibatches, each (batch_size,
    num_steps), iterated afresh ``epochs`` times, e.g. the ``train_iter`` of
    ``train_ch8``. The state is handled as ``train_ch8`` handles it: zero at
    the start of each epoch, then carried from one minibatch to the next when
    ``batches.use_random_iter`` is false (sequential windows: row i of batch
    b + 1 continues row i of batch b), zero for every minibatch otherwise.
    ``carry_state=True/False`` overrides that (False: every window starts
    from the zero state, the backward direction's last position included).

    Returns ``{"accuracy": (num_steps,), "loss": (num_steps,), "windows": int}``:
    entry ``j`` scores the prediction of ``Y[:, j]`` (position ``j + 1`` of the
    window); the loss is the mean cross-entropy in nats, as ``train_ch8``
    averages it (``exp`` of the mean over positions is its perplexity).
    """
    import numpy as np

    positive_int("epochs", epochs)
    carry = (not getattr(batches, "use_random_iter", False)) if carry_state is None else carry_state
    correct = loss = None
    windows = 0
    for _ in range(epochs):
        state = None
        for X, Y in batches:
            if state is None or not carry:
                state = net.begin_state(batch_size=X.shape[0], ctx=device)
            logits, state = net(X.as_in_ctx(device), state)
            log_probs = npx.log_softmax(logits, axis=-1).reshape(Y.shape[1], Y.shape[0], -1)
            labels = Y.T.as_in_ctx(device)                             # (num_steps, batch)
            nll = -npx.pick(log_probs, labels, axis=-1).sum(axis=1)    # (num_steps,)
            hits = (log_probs.argmax(axis=-1).astype(labels.dtype) == labels).sum(axis=1)
            correct = hits.asnumpy() if correct is None else correct + hits.asnumpy()
            loss = nll.asnumpy() if loss is None else loss + nll.asnumpy()
            windows += X.shape[0]
    if not windows:
        raise ValueError("batches gave no minibatch; lower batch_size or num_steps")
    return {"accuracy": np.asarray(correct, dtype=float) / windows,
            "loss": np.asarray(loss, dtype=float) / windows, "windows": windows}


# ---------------------------------------------------------------------------
# Generation, with the backward direction's state carried or reset
# ---------------------------------------------------------------------------
def backward_state_rows(net) -> list[int]:
    """Rows of the backward direction in each state array of ``net``.

    A Gluon state array has shape (num_layers * num_directions, batch, h),
    layer by layer, the forward direction first: rows 1, 3, ... are the
    backward direction. [] for a unidirectional model.
    """
    layer = net.rnn
    if getattr(layer, "_dir", 1) != 2:
        return []
    return [2 * i + 1 for i in range(layer._num_layers)]


def generate_greedy(prefix: str, num_preds: int, net, vocab: Vocab, device,
                    backward_state: str = "carried") -> str:
    """Greedy generation as ``predict_ch8``, one character per step.

    ``backward_state="carried"``: the whole state returned by each step is fed
    to the next, as ``predict_ch8`` does: the backward cells then run left to
    right over the prefix, each reading the state left by the previous
    character (the result equals ``predict_ch8``'s). ``"reset"``: the
    backward rows (:func:`backward_state_rows`) are set to zero before every
    step, so the backward direction sees the current character only, from the
    zero state the last position of a fresh window starts from. For a
    unidirectional model both give the same text.
    Returns the prefix followed by ``num_preds`` characters.
    """
    if backward_state == "carried":
        return predict_ch8(prefix, num_preds, net, vocab, device)
    if backward_state != "reset":
        raise ValueError(f"backward_state must be 'carried' or 'reset', got {backward_state!r}")
    check_prefix(prefix, vocab)
    rows = backward_state_rows(net)
    state = net.begin_state(batch_size=1, ctx=device)
    outputs = [vocab[prefix[0]]]
    for i in range(len(prefix) - 1 + num_preds):
        for s in state:
            s[rows] = 0
        logits, state = net(mnp.array([[outputs[-1]]], ctx=device), state)
        outputs.append(vocab[prefix[i + 1]] if i + 1 < len(prefix)
                       else int(logits.argmax(axis=1).reshape(1)))
    return "".join(vocab.idx_to_token[i] for i in outputs)


# ---------------------------------------------------------------------------
# Which inputs each layer and direction reads: the layer-2 path of the leak
# ---------------------------------------------------------------------------
def split_layers(layer) -> list:
    """One single-layer copy of each layer of a fused Gluon ``rnn.LSTM/GRU/RNN``.

    Copy ``l`` has layer ``l``'s weights (``l{l}_*`` and ``r{l}_*``) and reads
    layer ``l - 1``'s output: stacking the copies computes what ``layer``
    computes, and exposes each layer's output (T, N, num_directions * h).
    """
    from mxnet.gluon import rnn

    cell = {"lstm": rnn.LSTM, "gru": rnn.GRU}.get(layer._mode, rnn.RNN)
    kwargs = {"activation": layer._mode.split("_")[1]} if cell is rnn.RNN else {}
    params = {_GLUON_NAME.search(name).groups(): p.data()        # ('l0', 'i2h', 'weight')
              for name, p in layer.collect_params().items()}
    copies = []
    for i in range(layer._num_layers):
        weight = params[f"l{i}", "i2h", "weight"]                 # (gates * h, input size)
        copy = cell(layer._hidden_size, 1, bidirectional=getattr(layer, "_dir", 1) == 2,
                    input_size=weight.shape[1], **kwargs)
        copy.initialize(ctx=weight.ctx)
        for name, p in copy.collect_params().items():
            direction, kind, what = _GLUON_NAME.search(name).groups()   # direction: l0 or r0
            p.set_data(params[f"{direction[0]}{i}", kind, what])
        copies.append(copy)
    return copies


def direction_jacobians(net, ids: Sequence[int], device) -> dict:
    """``J[t, s] = || d h_t / d x_s ||`` for each layer and direction of ``net``.

    ``ids``: one sequence of T token ids; ``x_s`` is its one-hot input. Keys
    ``(layer, direction)``, layer from 1, direction ``"forward"`` or
    ``"backward"``; values NumPy arrays (T, T) from
    :func:`d2l_birnn.jacobians.jacobian_norms`. Layer 1's forward direction
    is exactly lower-triangular (it never reads a later input); in a deeper
    bidirectional model the forward direction of layer 2 reads x_{t+1}, ...
    through layer 1's backward states.
    """
    from .jacobians import jacobian_norms

    layers, h = split_layers(net.rnn), net.rnn._hidden_size
    directions = ["forward", "backward"][:net.num_directions]
    X = npx.one_hot(mnp.array(list(ids), ctx=device), net.vocab_size)   # (T, V)

    def output_of(depth, half):
        def f(inputs):                                                  # (T, N, V)
            for layer in layers[:depth]:
                inputs = layer(inputs)
            return inputs[:, :, half * h:(half + 1) * h]               # (T, N, h)
        return f

    return {(depth, d): jacobian_norms(output_of(depth, k), X)
            for depth in range(1, len(layers) + 1) for k, d in enumerate(directions)}


# ---------------------------------------------------------------------------
# A judge of generated text: a count model fitted on held-in text
# ---------------------------------------------------------------------------
