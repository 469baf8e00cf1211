"""d2l_birnn.evaluation, and the lesson of notebook 04 on a small, fast configuration.

A bidirectional LSTM trained as a language model reads the label x_{t+1} through its backward
direction: with the future in the window it predicts almost perfectly, without it (as in
generation) it is far worse and generates a repeated bigram. A unidirectional model trained the
same way shows no such gap.
"""

import pytest
from mxnet import npx
from mxnet.gluon import rnn

import d2l_birnn as d2l
from d2l_birnn import evaluation

npx.set_np()
DEVICE = d2l.try_gpu()


@pytest.fixture(scope="module")
def trained():
    corpus, vocab = d2l.load_corpus_time_machine()
    models = {}
    for bidirectional in (True, False):
        d2l.set_seed(0)
        loader = d2l.SeqDataLoader(16, 35, corpus=corpus[:3000], vocab=vocab)
        net = d2l.RNNModel(rnn.LSTM(64, 1, bidirectional=bidirectional), len(vocab))
        d2l.train_ch8(net, loader, vocab, 4, 40, DEVICE, plot=False, verbose=False)
        models[bidirectional] = net
    return models, corpus[50000:60000], vocab


def test_bidirectional_model_reads_the_answer(trained):
    models, held_out, vocab = trained
    bi = models[True]
    with_future = evaluation.next_token_accuracy(bi, held_out, DEVICE, future=True, num_windows=64)
    past_only = evaluation.next_token_accuracy(bi, held_out, DEVICE, future=False, num_windows=64)
    assert with_future["accuracy"] > 0.8  # copies x_{t+1} on text it never saw
    assert past_only["accuracy"] < 0.5 * with_future["accuracy"]
    text = d2l.predict_ch8("time traveller", 100, bi, vocab, DEVICE)[len("time traveller"):]
    stats = evaluation.repetition_stats(text)
    assert stats["distinct_bigrams"] < 0.1  # degenerate: a handful of bigrams repeated


def test_unidirectional_model_has_no_gap(trained):
    models, held_out, _ = trained
    uni = models[False]
    with_future = evaluation.next_token_accuracy(uni, held_out, DEVICE, future=True, num_windows=64)
    past_only = evaluation.next_token_accuracy(uni, held_out, DEVICE, future=False, num_windows=64)
    assert abs(with_future["accuracy"] - past_only["accuracy"]) < 0.05
    assert with_future["accuracy"] < 0.6  # no copying: an honest next-character model
    assert with_future["tokens"] == past_only["tokens"] == 64 * 35


def test_next_token_predictions_text(trained):
    models, held_out, vocab = trained
    ids = held_out[:50]
    future = evaluation.next_token_predictions(models[True], ids, vocab, DEVICE, future=True)
    past = evaluation.next_token_predictions(models[True], ids, vocab, DEVICE, future=False)
    assert len(future) == len(past) == 50 - 35
    truth = "".join(vocab.to_tokens(ids[35:]))
    assert sum(a == b for a, b in zip(future, truth)) > sum(a == b for a, b in zip(past, truth))


def test_text_perplexity_prefers_real_text(trained):
    models, held_out, vocab = trained
    real = "".join(vocab.to_tokens(held_out[:200]))
    assert evaluation.text_perplexity(models[False], real, vocab, DEVICE) < \
        evaluation.text_perplexity(models[False], "qz" * 100, vocab, DEVICE)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        evaluation.text_perplexity(models[False], "Hello", vocab, DEVICE)


def test_repetition_stats():
    stats = evaluation.repetition_stats("erererer")
    assert stats["top_bigram"] in ("er", "re") and stats["distinct_bigrams"] == pytest.approx(2 / 7)
    with pytest.raises(ValueError):
        evaluation.repetition_stats("e")


def test_too_short_corpus_is_refused(trained):
    models, held_out, _ = trained
    with pytest.raises(ValueError, match="lower num_windows"):
        evaluation.next_token_accuracy(models[True], held_out[:100], DEVICE, num_windows=10)
