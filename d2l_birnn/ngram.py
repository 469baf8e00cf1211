"""Count models that fill a blank from the tokens around it.

A *blank* is one position ``i`` of a token sequence (characters or words) whose
token is hidden. A *context* ``(a, b)`` is the ``a`` tokens before the blank
and the ``b`` tokens after it. A :class:`CountFiller` counts, on training text
only, which token stood in the middle of each context, and estimates

.. math:: P(x_i \\mid x_{i-a}, \\ldots, x_{i-1}, x_{i+1}, \\ldots, x_{i+b}).

A *left-only* model (``right=0``) sees what a language model sees; a
*two-sided* model also sees the future.

Unseen contexts: backoff to shorter contexts
--------------------------------------------
A model holds a chain of contexts from short to long: ``(0, 0), (1, 0), (2, 0),
...`` for a left-only model and ``(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), ...``
for a two-sided one (the longer side is dropped first, left before right).
Level ``k`` of the chain mixes its counts with the estimate of level ``k - 1``
(interpolated Witten-Bell smoothing)::

    p_k(x | c) = (count(c, x) + T(c) * p_{k-1}(x | shorter c)) / (count(c) + T(c))

where ``count(c)`` is how often context ``c`` occurred in training and ``T(c)``
how many different tokens followed it. A context never seen in training has
``count(c) = T(c) = 0``, so its estimate *is* that of the next shorter context:
the model backs off, down to character (word) frequencies at ``(0, 0)`` and a
uniform distribution below that. Every token thus keeps a probability above
zero, which the cross-entropy on held-out text needs. A context that does not
fit (the blank is too close to either end of the text) counts as unseen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .data import Vocab
from .fill_in import score_fill_in
from .validation import check_int, nonnegative_int


# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------
def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` (letters only; everything else separates)."""
    return re.sub("[^a-z]+", " ", text.lower()).split()


# ---------------------------------------------------------------------------
# Contexts
# ---------------------------------------------------------------------------
def context_chain(left: int, right: int) -> list[tuple[int, int]]:
    """Contexts from ``(0, 0)`` up to ``(left, right)``, one token longer each step.

    The side with more tokens still to add grows first, left before right:
    ``context_chain(2, 2) == [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2)]`` and
    ``context_chain(3, 0) == [(0, 0), (1, 0), (2, 0), (3, 0)]``.
    """
    nonnegative_int("left", left, " (a number of tokens)")
    nonnegative_int("right", right, " (a number of tokens)")
    chain = [(0, 0)]
    a = b = 0
    while (a, b) != (left, right):
        if left - a >= right - b:
            a += 1
        else:
            b += 1
        chain.append((a, b))
    return chain


def _added_offset(chain: list[tuple[int, int]], level: int) -> int:
    """Offset from the blank of the token that level ``level`` adds to the one before."""
    (a0, _), (a, b) = chain[level - 1], chain[level]
    return -a if a > a0 else b


class _ContextCounts:
    """Counts for one context of the chain.

    A context is named by an index into this level's sorted ``keys``, where a
    key is ``index of the shorter context * V + added token``: so contexts of
    any length get small integer names and nothing overflows.
    """

    def __init__(self, keys: np.ndarray, key_of_position: np.ndarray, ids: np.ndarray,
                 positions: np.ndarray, vocab_size: int):
        self.keys, ctx_index = np.unique(key_of_position, return_inverse=True)   # (C,)
        pairs, pair_counts = np.unique(ctx_index * vocab_size + ids[positions],
                                       return_counts=True)                      # (K,)
        self.pair_ctx = pairs // vocab_size
        self.tokens = pairs % vocab_size                                         # (K,)
        self.counts = pair_counts                                                # (K,)
        self.totals = np.bincount(ctx_index, minlength=len(self.keys))           # (C,)
        self.types = np.bincount(self.pair_ctx, minlength=len(self.keys))        # (C,)
        self.starts = np.concatenate([[0], np.cumsum(self.types)])               # (C+1,)
        self.num_positions = len(positions)
        self.index_of_position = ctx_index

    def lookup(self, keys: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Index of each key in ``self.keys``, or -1 where unseen or not ``valid``."""
        rows = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(valid & (self.keys[rows] == keys), rows, -1)

    def conditional_entropy(self) -> float:
        """Plug-in H(X | context) in bits, from the training counts alone."""
        p = self.counts / self.totals[self.pair_ctx]
        return float(-(self.counts * np.log2(p)).sum() / self.num_positions)


class CountFiller:
    """Fill a blank from counts of what stood between the same context in training.

    ``CountFiller(left=n, right=0, vocab_size=V)`` sees the ``n`` tokens before
    the blank (left-only); ``CountFiller(left=n, right=n, ...)`` sees ``n`` on
    each side (two-sided). ``fit(ids)`` counts on a training sequence of ids,
    shape (N,). Unseen contexts back off to shorter ones (see the module doc).
    ``levels`` lists the contexts of the chain; ``level_of(a, b)`` gives the
    index of a context in it, for reading results of a shorter model.
    """

    def __init__(self, left: int, right: int, vocab_size: int):
        check_int("vocab_size", vocab_size, 2, " (len(vocab))")
        self.levels = context_chain(left, right)
        self.left, self.right, self.vocab_size = left, right, vocab_size
        self._tables: list[_ContextCounts] = []

    def __repr__(self) -> str:
        kind = "left-only" if self.right == 0 else "two-sided"
        fitted = f", fitted on {self._tables[0].num_positions} tokens" if self._tables else ""
        return f"CountFiller({kind}, left={self.left}, right={self.right}{fitted})"

    def level_of(self, a: int, b: int) -> int:
        """Index of context ``(a, b)`` in :attr:`levels` (ValueError if absent)."""
        if (a, b) not in self.levels:
            raise ValueError(f"context ({a}, {b}) is not in this model's chain {self.levels}")
        return self.levels.index((a, b))

    def fit(self, ids) -> CountFiller:
        """Count contexts and their middle tokens in ``ids`` (shape (N,)); returns self."""
        ids = self._as_ids(ids)
        if len(ids) <= self.left + self.right:
            raise ValueError(f"{len(ids)} training tokens are too few for contexts of "
                             f"{self.left}+{self.right} tokens")
        V = self.vocab_size
        positions = np.arange(len(ids))
        index = np.zeros(len(ids), dtype=np.int64)  # context of each position at this level
        self._tables = []
        for level, (a, b) in enumerate(self.levels):
            keep = (positions >= a) & (positions < len(ids) - b)
            positions, index = positions[keep], index[keep]
            if level > 0:
                index = index * V + ids[positions + _added_offset(self.levels, level)]
            table = _ContextCounts(np.unique(index), index, ids, positions, V)
            self._tables.append(table)
            index = table.index_of_position
        return self

    def _as_ids(self, ids) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1:
            raise ValueError(f"ids must be one sequence of token ids, shape (N,); got {ids.shape}")
        if len(ids) and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"token ids must lie in [0, {self.vocab_size}); got "
                             f"{ids.min()}..{ids.max()}: use the vocab the model was built for")
        return ids

    def _check_fitted(self) -> None:
        if not self._tables:
            raise RuntimeError("this CountFiller has not been fitted; call fit(train_ids) first")

    def iter_probabilities(self, ids, positions):
        """Yield ``(level, probs)`` for each level of the chain, shortest first.

        ``probs`` has shape (P, V): the estimate of the token at each blank of
        ``ids`` (shape (N,)) at ``positions`` (shape (P,)), from the level's
        context with backoff. ``ids[positions]`` itself is never read.
        """
        self._check_fitted()
        ids = self._as_ids(ids)
        positions = np.asarray(positions, dtype=np.int64)
        if positions.ndim != 1 or (len(positions) and (positions.min() < 0
                                                       or positions.max() >= len(ids))):
            raise ValueError(f"positions must be a 1-D array of indices into ids "
                             f"(0..{len(ids) - 1})")
        V = self.vocab_size
        probs = np.full((len(positions), V), 1.0 / V)
        rows = np.zeros(len(positions), dtype=np.int64)  # context index; -1 = unseen
        for level, table in enumerate(self._tables):
            if level > 0:
                a, b = self.levels[level]
                fits = (positions - a >= 0) & (positions + b < len(ids)) & (rows >= 0)
                added = ids[np.clip(positions + _added_offset(self.levels, level), 0, len(ids) - 1)]
                rows = table.lookup(np.where(fits, rows, 0) * V + added, fits)
            seen = rows >= 0
            if seen.any():
                blank = np.nonzero(seen)[0]
                ctx = rows[blank]
                lens = table.types[ctx]
                first = np.repeat(table.starts[ctx], lens)
                within = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
                counts = np.zeros((len(blank), V))
                counts[np.repeat(np.arange(len(blank)), lens), table.tokens[first + within]] = \
                    table.counts[first + within]
                total = table.totals[ctx][:, None].astype(float)
                types = lens[:, None].astype(float)
                probs = probs.copy()
                probs[blank] = (counts + types * probs[blank]) / (total + types)
            yield level, probs

    def probabilities(self, ids, positions) -> np.ndarray:
        """Estimate at the longest context, shape (P, V) (see :meth:`iter_probabilities`)."""
        *_, (_, probs) = self.iter_probabilities(ids, positions)
        return probs

    def predict(self, ids, positions) -> np.ndarray:
        """Most probable token id at each blank, shape (P,) (ties: the lower id)."""
        return self.probabilities(ids, positions).argmax(axis=1)

    def conditional_entropy(self) -> np.ndarray:
        """Plug-in H(X | context) in bits per level, from the training counts, shape (L,).

        It falls towards 0 as contexts get long and rare: most long contexts
        were seen once, with one follower. Held-out cross-entropy
        (:func:`fill_scores`) is the honest number.
        """
        self._check_fitted()
        return np.array([t.conditional_entropy() for t in self._tables])


def fill_scores(model: CountFiller, ids, positions, batch_size: int = 2000) -> dict[str, np.ndarray]:
    """Accuracy and cross-entropy of filling the blanks at ``positions`` of ``ids``.

    Returns ``{"accuracy": (L,), "cross_entropy": (L,)}`` with one entry per
    level of the model's chain: the fraction of blanks whose most probable
    token is right, and the mean of ``-log2 p(true token)`` in bits (an upper
    bound on the conditional entropy of the blank given that context), both
    from :func:`d2l_birnn.fill_in.score_fill_in`. Blanks are scored
    ``batch_size`` at a time to bound memory for large vocabularies.
    """
    ids = np.asarray(ids, dtype=np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    if len(positions) == 0:
        raise ValueError("no blanks to score: positions is empty")
    L = len(model.levels)
    correct = np.zeros(L)
    bits = np.zeros(L)
    for start in range(0, len(positions), batch_size):
        pos = positions[start: start + batch_size]
        for level, probs in model.iter_probabilities(ids, pos):
            scores = score_fill_in(probs, ids[pos])
            correct[level] += scores["accuracy"] * len(pos)
            bits[level] += scores["cross_entropy"] * len(pos)
    return {"accuracy": correct / len(positions), "cross_entropy": bits / len(positions)}


def blank_positions(length: int, margin: int, num: int | None = None,
                    seed: int = 0) -> np.ndarray:
    """Blank positions in a sequence of ``length`` tokens, ``margin`` from either end.

    Every position with a full context of ``margin`` tokens on both sides, or
    (``num`` given) ``num`` of them drawn without replacement with ``seed``,
    sorted. Shape (P,).
    """
    candidates = np.arange(margin, length - margin)
    if len(candidates) == 0:
        raise ValueError(f"a sequence of {length} tokens has no position {margin} tokens from "
                         f"both ends; use a smaller margin")
    if num is None or num >= len(candidates):
        return candidates
    rng = np.random.RandomState(seed)
    return np.sort(rng.choice(candidates, size=num, replace=False))


# ---------------------------------------------------------------------------
# Filling a typed blank
# ---------------------------------------------------------------------------
def guess_blank(left_tokens: Sequence[str], right_tokens: Sequence[str], model: CountFiller,
                vocab: Vocab, k: int = 3) -> list[tuple[str, float]]:
    """The ``k`` most probable tokens for a blank between two token lists.

    ``left_tokens``/``right_tokens``: tokens (characters or words) before and
    after the blank. Tokens missing from ``vocab`` become ``<unk>``. Returns
    ``[(token, probability), ...]``, most probable first, ``<unk>`` left out.
    """
    ids = vocab[list(left_tokens)] + [0] + vocab[list(right_tokens)]
    probs = model.probabilities(np.array(ids), np.array([len(left_tokens)]))[0]
    order = [i for i in np.argsort(-probs, kind="stable") if i != vocab.unk]
    return [(vocab.to_tokens(int(i)), float(probs[i])) for i in order[:k]]


def split_blank(sentence: str) -> tuple[str, list[str], list[str]]:
    """Find the one ``_`` in ``sentence``: is it a word blank or a character blank?

    Returns ``("word", left_words, right_words)`` when ``_`` stands alone as a
    word (``"i am _ hungry"``) and ``("char", left_chars, right_chars)`` when it
    is inside a word (``"the time trav_ller"``). The text is lower-cased and
    reduced to letters and single spaces, as the book is.
    """
    if not isinstance(sentence, str) or sentence.count("_") != 1:
        raise ValueError(f"write the sentence with exactly one '_' for the blank, got {sentence!r}")
    clean = " ".join(re.sub("[^a-z_]+", " ", sentence.lower()).split())
    left, right = clean.split("_")
    if (left == "" or left.endswith(" ")) and (right == "" or right.startswith(" ")):
        return "word", left.split(), right.split()
    return "char", list(left), list(right)


class BlankGuesser:
    """Guess a typed blank with a left-only and a two-sided count model.

    Counts are taken from ``train_text`` only (letters and spaces, e.g. the
    first 90% of :func:`d2l_birnn.data.time_machine_text`): characters with up to
    ``max_chars`` tokens of context on a side, words with up to ``max_words``.
    Each guess uses as much context as the sentence has on each side, so with
    nothing after the blank both models are the same left-only model. Models
    are fitted on first use and kept.
    """

    def __init__(self, train_text: str, max_chars: int = 6, max_words: int = 2):
        if not isinstance(train_text, str) or not train_text.strip():
            raise ValueError("train_text must be a non-empty string of training text")
        self.max_context = {"char": max_chars, "word": max_words}
        self.vocabs = {"char": Vocab(list(train_text)), "word": Vocab(words_of(train_text))}
        self._ids = {"char": np.array(self.vocabs["char"][list(train_text)]),
                     "word": np.array(self.vocabs["word"][words_of(train_text)])}
        self._models: dict[tuple[str, int, int], CountFiller] = {}

    def model(self, kind: str, left: int, right: int) -> CountFiller:
        """The fitted ``kind`` (``'char'``/``'word'``) model with context (left, right)."""
        key = (kind, left, right)
        if key not in self._models:
            self._models[key] = CountFiller(left, right, len(self.vocabs[kind])).fit(
                self._ids[kind])
        return self._models[key]

    def guess(self, sentence: str, k: int = 3) -> dict[str, object]:
        """Top-``k`` guesses for the ``_`` in ``sentence`` from each model.

        Returns ``{"kind": "char" | "word", "left-only": [(token, p), ...],
        "two-sided": [(token, p), ...]}``.
        """
        kind, left, right = split_blank(sentence)
        n = self.max_context[kind]
        a, b = min(n, len(left)), min(n, len(right))
        vocab = self.vocabs[kind]
        return {"kind": kind,
                "left-only": guess_blank(left, right, self.model(kind, a, 0), vocab, k),
                "two-sided": guess_blank(left, right, self.model(kind, a, b), vocab, k)}


__all__ = ["BlankGuesser", "CountFiller", "blank_positions", "context_chain", "fill_scores",
           "guess_blank", "split_blank", "words_of"]
