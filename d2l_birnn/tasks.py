"""Where bidirectional RNNs belong: data sets and small Gluon models for three tasks.

* **Filling a blank** (:class:`BlankFiller`, scored on :func:`masked_windows`):
  predict each character from the characters around it.
* **Tagging each token** (:func:`word_end_tags`, :class:`TokenTagger`): with the
  spaces removed, say of every letter whether it ends a word, which the
  letters *after* it decide.
* **Encoding a sequence** (:meth:`final_states`, :func:`encode`,
  :class:`PositionProbe`, :class:`SequenceClassifier`): turn a passage into
  the final states of both directions, and ask what can be read from them
  (every character back, or which half of the book it is from, with
  :func:`half_passages`).

Every data set is built from a training text and a held-out text that the
caller split beforehand (``ngram.split_train_test``), or (in
:func:`half_passages`) from blocks set aside in advance, so nothing held out is
ever trained on. The models are an embedding, one LSTM layer (one or two
directions) and a dense layer; :func:`matching_hidden_size` gives the
unidirectional hidden size with the same number of parameters as a
bidirectional model.
"""

from __future__ import annotations

import numpy as onp
from mxnet import autograd, gluon, init, np
from mxnet.gluon import nn, rnn

from .data import Vocab

MASK = "<mask>"


# ---------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------
def char_vocab(text: str) -> Vocab:
    """Character vocabulary of ``text`` with a ``<mask>`` token (id 1) for blanks."""
    return Vocab(list(text), reserved_tokens=[MASK])


def masked_windows(ids, positions, width: int, mask_id: int) -> tuple[onp.ndarray, onp.ndarray]:
    """Windows of ``2 * width + 1`` tokens whose centre is hidden.

    ``ids``: token ids, shape (N,); ``positions``: centres, shape (P,), each at
    least ``width`` from both ends. Returns ``X`` of shape (P, 2 * width + 1)
    with ``X[:, width] == mask_id``, and the hidden tokens ``y``, shape (P,).
    """
    ids = onp.asarray(ids, dtype=onp.int64)
    positions = onp.asarray(positions, dtype=onp.int64)
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an int >= 1 (characters on each side), got {width!r}")
    if len(positions) == 0:
        raise ValueError("positions is empty: there are no blanks to make windows for")
    if positions.min() < width or positions.max() >= len(ids) - width:
        raise ValueError(f"every position needs {width} tokens on both sides: use positions in "
                         f"[{width}, {len(ids) - width}) (see ngram.blank_positions)")
    X = ids[positions[:, None] + onp.arange(-width, width + 1)]
    y = X[:, width].copy()
    X[:, width] = mask_id
    return X, y


def word_end_tags(text: str) -> tuple[str, onp.ndarray]:
    """Remove the spaces of ``text`` and tag each letter: 1 if it ends a word.

    ``word_end_tags("the time")`` gives ``("thetime", [0, 0, 1, 0, 0, 0, 1])``.
    Returns the letters (a string of length N) and the tags, shape (N,).
    """
    words = text.split()
    if not words:
        raise ValueError("text has no words to tag")
    tags = onp.concatenate([onp.eye(1, len(w), len(w) - 1, dtype=onp.int64)[0] for w in words])
    return "".join(words), tags


def join_words(letters: str, tags) -> str:
    """Undo :func:`word_end_tags`: a space after every letter tagged 1.

    ``join_words("thetime", [0, 0, 1, 0, 0, 0, 1]) == "the time"``.
    """
    tags = onp.asarray(tags)
    if len(letters) != len(tags):
        raise ValueError(f"{len(letters)} letters but {len(tags)} tags: they must match")
    return "".join(ch + (" " if t else "") for ch, t in zip(letters, tags)).rstrip(" ")


def chunk(seqs: tuple, num_steps: int) -> tuple[onp.ndarray, ...]:
    """Cut aligned sequences (each shape (N,)) into rows of ``num_steps``: (N // num_steps, T).

    The last incomplete row is dropped. ``chunk((ids, tags), 32)`` gives inputs
    and labels for :class:`TokenTagger`.
    """
    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or num_steps < 1:
        raise ValueError(f"num_steps must be a positive int, got {num_steps!r}")
    arrays = [onp.asarray(s) for s in seqs]
    if len({len(a) for a in arrays}) != 1:
        raise ValueError(f"the sequences must have equal lengths, got {[len(a) for a in arrays]}")
    rows = len(arrays[0]) // num_steps
    if rows == 0:
        raise ValueError(f"a sequence of {len(arrays[0])} tokens gives no row of {num_steps}")
    return tuple(a[: rows * num_steps].reshape(rows, num_steps) for a in arrays)


def half_passages(seq, length: int, num_blocks: int = 20, test_every: int = 10,
                  train_stride: int | None = None) -> dict[str, tuple]:
    """Passages of ``length`` tokens labelled by the half of ``seq`` they come from.

    ``seq``: a string (passages of characters) or a list (e.g. of words). Each
    half (label 0 and 1) is cut into ``num_blocks`` equal blocks; every
    ``test_every``-th block (the 10th, 20th, ...) is held out, the rest is for
    training, so held-out passages come from all along each half, yet no held-out
    text is ever trained on. Passages never cross a block boundary. Held-out
    passages do not overlap; training passages start every ``train_stride``
    tokens (default ``length``; smaller gives more, overlapping, passages).
    Returns ``{"train": (passages, labels), "test": (passages, labels)}``: lists
    of slices of ``seq`` and int arrays of shape (P,).
    """
    for name, value in (("length", length), ("num_blocks", num_blocks),
                        ("test_every", test_every), ("train_stride", train_stride or length)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if test_every > num_blocks:
        raise ValueError(f"test_every={test_every} > num_blocks={num_blocks} would hold out "
                         f"nothing; use test_every <= num_blocks")
    halves = (seq[: len(seq) // 2], seq[len(seq) // 2:])
    out: dict[str, tuple] = {"train": ([], []), "test": ([], [])}
    for label, half in enumerate(halves):
        size = len(half) // num_blocks
        if size < length:
            raise ValueError(f"blocks of {size} tokens are shorter than length={length}; "
                             f"use shorter passages or fewer blocks")
        for k in range(num_blocks):
            block = half[k * size: (k + 1) * size]
            name = "test" if (k + 1) % test_every == 0 else "train"
            stride = length if name == "test" else (train_stride or length)
            passages = [block[i: i + length] for i in range(0, len(block) - length + 1, stride)]
            out[name][0].extend(passages)
            out[name][1].extend([label] * len(passages))
    return {k: (p, onp.array(y, dtype=onp.int64)) for k, (p, y) in out.items()}


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
def model_parameter_count(vocab_size: int, num_outputs: int, num_hiddens: int,
                          bidirectional: bool, embed_size: int = 32) -> int:
    """Parameters of the models here: embedding, one LSTM layer, dense readout.

    LSTM: per direction ``4h`` gates, each with input and recurrent weights and
    two biases (MXNet keeps both): ``4h (e + h + 2)``. The readout reads
    ``dirs * h`` numbers.
    """
    dirs = 2 if bidirectional else 1
    return (vocab_size * embed_size + dirs * 4 * num_hiddens * (embed_size + num_hiddens + 2)
            + dirs * num_hiddens * num_outputs + num_outputs)


def matching_hidden_size(num_hiddens: int, vocab_size: int, num_outputs: int,
                         embed_size: int = 32) -> int:
    """Hidden size of a unidirectional model with (nearly) as many parameters as a
    bidirectional one with ``num_hiddens`` (about 1.4 times as many units)."""
    target = model_parameter_count(vocab_size, num_outputs, num_hiddens, True, embed_size)
    return min(range(1, 4 * num_hiddens),
               key=lambda h: abs(model_parameter_count(vocab_size, num_outputs, h, False,
                                                       embed_size) - target))


class _Recurrent(nn.HybridBlock):
    """Embedding and one LSTM layer; subclasses choose what the dense layer reads."""

    def __init__(self, vocab_size: int, num_outputs: int, num_hiddens: int,
                 bidirectional: bool, embed_size: int = 32, dropout: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
        for name, value in (("vocab_size", vocab_size), ("num_outputs", num_outputs),
                            ("num_hiddens", num_hiddens), ("embed_size", embed_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self.vocab_size, self.num_outputs = vocab_size, num_outputs
        self.num_hiddens, self.bidirectional = num_hiddens, bool(bidirectional)
        self.num_directions = 2 if bidirectional else 1
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.lstm = rnn.LSTM(num_hiddens, bidirectional=bidirectional, input_size=embed_size)
        self.dropout = nn.Dropout(dropout)  # on what the dense layer reads (training only)
        self.dense = nn.Dense(num_outputs, flatten=False,
                              in_units=self.num_directions * num_hiddens)

    def _run(self, F, X):
        """Outputs (T, N, dirs * h) and final hidden states (dirs, N, h) for ids X (N, T)."""
        emb = self.embedding(F.np.transpose(X))                       # (T, N, e)
        # Zero begin state built from the input (its batch size is not known
        # to a hybridized graph in advance).
        zero = F.np.zeros_like(emb[0:1, :, 0:1])                      # (1, N, 1)
        zero = F.np.repeat(F.np.repeat(zero, self.num_hiddens, axis=2),
                           self.num_directions, axis=0)                # (dirs, N, h)
        outputs, (h_last, _) = self.lstm(emb, [zero, zero])
        return outputs, h_last

    def _final(self, F, X):
        """Final hidden state of each direction, side by side: (N, dirs * h)."""
        _, h_last = self._run(F, X)                                    # (dirs, N, h)
        return F.np.reshape(F.np.transpose(h_last, (1, 0, 2)),
                            (-1, self.num_directions * self.num_hiddens))

    def features(self, X):
        """The LSTM's output at every position, shape (N, T, dirs * h): forward
        half first, then backward. A contextual vector of each token."""
        import mxnet as mx

        outputs, _ = self._run(mx.nd, X)
        return np.transpose(outputs, (1, 0, 2))

    def final_states(self, X):
        """The sequence's encoding, shape (N, dirs * h): the forward state after
        reading x_1..x_T and (bidirectional) the backward state after reading
        x_T..x_1, i.e. what a decoder or classifier would be given."""
        import mxnet as mx

        return self._final(mx.nd, X)

    def __repr__(self) -> str:
        kind = "bidirectional" if self.bidirectional else "unidirectional"
        return (f"{type(self).__name__}({kind} LSTM, {self.num_hiddens} hidden units, "
                f"{self.vocab_size} tokens -> {self.num_outputs} outputs)")


class TokenTagger(_Recurrent):
    """One label per token: ids (N, T) -> logits (N, T, num_outputs)."""

    def hybrid_forward(self, F, X):
        outputs, _ = self._run(F, X)
        return F.np.transpose(self.dense(self.dropout(outputs)), (1, 0, 2))


class BlankFiller(_Recurrent):
    """Fill every position from its neighbours: ids (N, T) -> logits (N, T, num_outputs).

    The output at step t reads the forward state after ``x_{t-1}`` and (if
    bidirectional) the backward state after ``x_{t+1}``, never anything that
    has read ``x_t`` itself: like the HMM's ``pi_t * rho_t``, the blank is
    hidden by construction, so every position of a sequence is a training
    example (no mask needed). At the ends the missing side is the zero begin
    state. A unidirectional BlankFiller is a character language model.
    """

    def hybrid_forward(self, F, X):
        outputs, _ = self._run(F, X)                                   # (T, N, dirs * h)
        h = self.num_hiddens
        fwd = outputs[:, :, :h] if self.bidirectional else outputs
        zero = F.np.zeros_like(fwd[0:1])                               # (1, N, h)
        parts = [F.np.concatenate([zero, fwd[:-1]], axis=0)]           # state after x_{t-1}
        if self.bidirectional:
            parts.append(F.np.concatenate([outputs[1:, :, h:], zero], axis=0))  # after x_{t+1}
        hidden = F.np.concatenate(parts, axis=2) if len(parts) == 2 else parts[0]
        return F.np.transpose(self.dense(self.dropout(hidden)), (1, 0, 2))


class SequenceClassifier(_Recurrent):
    """A label per sequence from the final states: ids (N, T) -> logits (N, num_outputs).

    The dense layer reads the final hidden state of each direction: the
    forward one after reading x_T, the backward one after reading back to x_1.
    """

    def hybrid_forward(self, F, X):
        return self.dense(self.dropout(self._final(F, X)))


class PositionProbe(nn.HybridBlock):
    """Read every token of a passage back from its encoding.

    A linear layer from a fixed vector (N, d) to logits (N, num_positions,
    vocab_size): one softmax classifier per position. Trained on a frozen
    encoder's :meth:`final_states`, its accuracy at position k says how much
    of token k the encoding still holds.
    """

    def __init__(self, num_positions: int, vocab_size: int, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("num_positions", num_positions), ("vocab_size", vocab_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self.num_positions, self.vocab_size = num_positions, vocab_size
        self.dense = nn.Dense(num_positions * vocab_size)

    def hybrid_forward(self, F, Z):
        return F.np.reshape(self.dense(Z), (-1, self.num_positions, self.vocab_size))


def encode(net: _Recurrent, X, batch_size: int = 512) -> onp.ndarray:
    """:meth:`_Recurrent.final_states` of ids ``X`` (S, T) in batches: array (S, dirs * h)."""
    X = onp.asarray(X)
    return onp.concatenate([net.final_states(np.array(X[idx])).asnumpy()
                            for idx in _batches(len(X), batch_size, None)])


# ---------------------------------------------------------------------------
# Training and evaluation
# ---------------------------------------------------------------------------
def _batches(num: int, batch_size: int, rng: onp.random.RandomState | None):
    order = rng.permutation(num) if rng is not None else onp.arange(num)
    for start in range(0, num, batch_size):
        yield order[start: start + batch_size]


def train(net: nn.HybridBlock, X, Y, num_epochs: int, batch_size: int = 128, lr: float = 0.01,
          seed: int = 0) -> list[float]:
    """Train with Adam on inputs ``X`` ((S, T) ids, or (S, d) vectors for a probe)
    and labels ``Y`` ((S,) or (S, T)).

    Initialises the model (Xavier), shuffles with ``seed`` each epoch, clips
    gradients to norm 1. Returns the mean training loss of each epoch.
    """
    X, Y = onp.asarray(X), onp.asarray(Y)
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}: they must match")
    if isinstance(num_epochs, bool) or not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f"num_epochs must be a positive int, got {num_epochs!r}")
    net.initialize(init.Xavier(), force_reinit=True)
    net.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(net.collect_params(), "adam",
                            {"learning_rate": lr, "clip_gradient": 1.0})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    rng = onp.random.RandomState(seed)
    losses = []
    for _ in range(num_epochs):
        total, count = 0.0, 0
        for idx in _batches(len(X), batch_size, rng):
            x, y = np.array(X[idx]), np.array(Y[idx])
            with autograd.record():
                l = loss(net(x), y).mean()
            l.backward()
            trainer.step(1)
            total += float(l) * len(idx)
            count += len(idx)
        losses.append(total / count)
    return losses


def predict(net: nn.HybridBlock, X, batch_size: int = 512) -> onp.ndarray:
    """Most probable label of each row (or token): shape (S,) or (S, T)."""
    X = onp.asarray(X)
    out = [net(np.array(X[idx])).argmax(axis=-1).asnumpy()
           for idx in _batches(len(X), batch_size, None)]
    return onp.concatenate(out).astype(onp.int64)


def accuracy(net: nn.HybridBlock, X, Y, batch_size: int = 512) -> float:
    """Fraction of labels in ``Y`` that the model predicts right."""
    return float((predict(net, X, batch_size) == onp.asarray(Y)).mean())


def cosine_similarity(u, v) -> float:
    """Cosine of the angle between two vectors (any array type, flattened)."""
    u = onp.asarray(u.asnumpy() if hasattr(u, "asnumpy") else u, dtype=float).ravel()
    v = onp.asarray(v.asnumpy() if hasattr(v, "asnumpy") else v, dtype=float).ravel()
    return float(u @ v / (onp.linalg.norm(u) * onp.linalg.norm(v)))


__all__ = ["BlankFiller", "MASK", "PositionProbe", "SequenceClassifier", "TokenTagger",
           "accuracy", "char_vocab", "chunk", "cosine_similarity", "encode", "half_passages", "join_words",
           "masked_windows", "matching_hidden_size", "model_parameter_count", "predict", "train",
           "word_end_tags"]
