"""Checks and measures of text a language model reads or writes; no framework (both editions).

:func:`check_prefix` refuses a prompt the vocabulary cannot encode; :func:`repetition_stats` and
:func:`count_model_perplexity` judge generated text (notebook 04: ``erererer`` against a line of
*The Time Machine*). ``d2l_birnn.training`` and ``d2l_birnn.evaluation`` (MXNet) and
``d2l_birnn.torch`` hand on these same functions.
"""

from __future__ import annotations

import collections

from .data import Vocab


def check_prefix(prefix: str, vocab: Vocab) -> None:
    """Raise ``ValueError`` if ``prefix`` is empty or has tokens the vocab lacks."""
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, got {prefix!r}")
    unknown = sorted({ch for ch in prefix if ch not in vocab.token_to_idx})
    if unknown:
        known = "".join(t for t in vocab.idx_to_token if len(t) == 1)
        raise ValueError(f"prefix {prefix!r} has characters {unknown} that are not in the "
                         f"vocabulary; use only {known!r} (the text is lower-cased letters "
                         f"and spaces)")


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


def count_model_perplexity(model, text: str, vocab: Vocab) -> float:
    """Perplexity of ``text`` under a fitted left-only ``ngram.CountFiller``.

    Every character after the first is predicted from the ones before it (up
    to ``model.left`` of them, backing off where the context was never seen).
    Low means the text looks like the text the counts came from.
    """
    import numpy as np

    from .ngram import fill_scores

    if model.right != 0:
        raise ValueError(f"the judge must be left-only (a language model), got right={model.right}")
    check_prefix(text, vocab)
    if len(text) < 2:
        raise ValueError("text must have at least 2 characters")
    ids = np.array(vocab[list(text)])
    bits = fill_scores(model, ids, np.arange(1, len(ids)))["cross_entropy"][-1]
    return float(2 ** bits)


__all__ = ["check_prefix", "count_model_perplexity", "repetition_stats"]
