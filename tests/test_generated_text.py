"""d2l_birnn/generated_text.py: the framework-free checks and measures of generated text."""

import pytest

from d2l_birnn import generated_text
from d2l_birnn.data import Vocab
from d2l_birnn.ngram import CountFiller

TEXT = ("the time traveller for so it will be convenient to speak of him was expounding a "
        "recondite matter to us his grey eyes shone and twinkled ") * 20


def test_a_prefix_the_vocabulary_cannot_encode_is_refused_with_the_fix():
    vocab = Vocab(list(TEXT))
    generated_text.check_prefix("time traveller", vocab)
    with pytest.raises(ValueError, match="not in the vocabulary; use only"):
        generated_text.check_prefix("Time!", vocab)
    with pytest.raises(ValueError, match="non-empty string"):
        generated_text.check_prefix("", vocab)


def test_repetition_stats_tell_erererer_from_text():
    loop = generated_text.repetition_stats("erererererer")
    prose = generated_text.repetition_stats(TEXT[:200])
    assert loop["distinct_bigrams"] == 2 / 11 and loop["top_bigram"] == "er"
    assert prose["distinct_bigrams"] > 2 * loop["distinct_bigrams"]
    with pytest.raises(ValueError, match="at least 2"):
        generated_text.repetition_stats("e")


def test_the_count_judge_scores_its_own_text_below_a_loop():
    vocab = Vocab(list(TEXT))
    judge = CountFiller(4, 0, len(vocab)).fit(vocab[list(TEXT)])
    real = generated_text.count_model_perplexity(judge, TEXT[:300], vocab)
    loop = generated_text.count_model_perplexity(judge, "er" * 150, vocab)
    assert 1 <= real < loop
    with pytest.raises(ValueError, match="left-only"):
        generated_text.count_model_perplexity(
            CountFiller(2, 2, len(vocab)).fit(vocab[list(TEXT)]), TEXT[:50], vocab)
