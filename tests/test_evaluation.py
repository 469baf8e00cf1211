"""d2l_birnn.evaluation, and the lesson of notebook 04 on a small, fast configuration.

A bidirectional LSTM trained as a language model reads the label x_{t+1} through its backward
direction: with the future in the window it predicts almost perfectly, without it (as in
generation) it is far worse and generates a repeated bigram. A unidirectional model trained the
same way shows no such gap.
"""

import numpy as onp
import pytest
from mxnet import np, npx
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


# ---------------------------------------------------------------------------
# Per-position scores, generation with the backward state carried or reset,
# direction Jacobians, the count-model judge
# ---------------------------------------------------------------------------
def test_per_position_scores_find_the_leak_at_every_position_but_the_last(trained):
    models, _, vocab = trained
    corpus, _ = d2l.load_corpus_time_machine()
    d2l.set_seed(0)
    loader = d2l.SeqDataLoader(16, 35, corpus=corpus[:3000], vocab=vocab)
    bi = evaluation.per_position_scores(models[True], loader, DEVICE, epochs=2)
    uni = evaluation.per_position_scores(models[False], loader, DEVICE)
    fresh = evaluation.per_position_scores(models[True], loader, DEVICE, carry_state=False)
    assert fresh["accuracy"][:34].min() > 0.8 and fresh["windows"] == uni["windows"]
    assert bi["accuracy"].shape == bi["loss"].shape == (35,)
    assert bi["windows"] == 2 * uni["windows"] == 2 * 16 * ((3000 - 36) // 16 // 35)
    assert bi["accuracy"][:34].min() > 0.8          # x_{t+1} is in the window: copied
    assert bi["accuracy"][34] < 0.5 * bi["accuracy"][:34].mean()   # the last label is not
    assert bi["loss"][34] > 5 * bi["loss"][:34].mean()
    assert uni["accuracy"][34] > 0.5 * uni["accuracy"][:34].mean()  # no leak, no cliff


def test_per_position_scores_match_prefix_runs_of_a_one_way_model(trained):
    models, held_out, _ = trained
    uni = models[False]
    X = np.array([held_out[i: i + 35] for i in range(0, 4 * 35, 35)])
    Y = np.array([held_out[i + 1: i + 36] for i in range(0, 4 * 35, 35)])
    scores = evaluation.per_position_scores(uni, [(X, Y)], DEVICE)
    for j in (0, 9, 34):  # a causal model's output at j is that of the prefix ending at j
        logits, _ = uni(X[:, :j + 1], uni.begin_state(batch_size=4, ctx=DEVICE))
        guess = logits[-4:].argmax(axis=1).astype(Y.dtype)
        assert scores["accuracy"][j] == pytest.approx(float((guess == Y[:, j]).mean()))
    with pytest.raises(ValueError, match="epochs"):
        evaluation.per_position_scores(uni, [(X, Y)], DEVICE, epochs=0)


def test_backward_rows_are_where_gluon_keeps_the_backward_states():
    d2l.set_seed(0)
    h = 5
    net = d2l.RNNModel(rnn.LSTM(h, 2, bidirectional=True), 7)
    net.initialize()
    assert evaluation.backward_state_rows(net) == [1, 3]
    X = np.array([[1, 2, 3, 4]])
    Y, (H, _) = net.rnn(npx.one_hot(X.T, 7), net.begin_state(batch_size=1))
    onp.testing.assert_allclose(H[2].asnumpy(), Y[-1, :, :h].asnumpy(), rtol=1e-5)  # layer 2 ->
    onp.testing.assert_allclose(H[3].asnumpy(), Y[0, :, h:].asnumpy(), rtol=1e-5)   # layer 2 <-
    assert evaluation.backward_state_rows(d2l.RNNModel(rnn.LSTM(h, 2), 7)) == []


def test_generation_with_the_backward_state_carried_or_reset(trained):
    models, _, vocab = trained
    bi, uni = models[True], models[False]
    carried = evaluation.generate_greedy("time traveller", 40, bi, vocab, DEVICE, "carried")
    reset = evaluation.generate_greedy("time traveller", 40, bi, vocab, DEVICE, "reset")
    assert carried == d2l.predict_ch8("time traveller", 40, bi, vocab, DEVICE)
    assert len(reset) == len(carried) and reset.startswith("time traveller") and reset != carried
    assert evaluation.generate_greedy("time traveller", 40, uni, vocab, DEVICE, "reset") == \
        d2l.predict_ch8("time traveller", 40, uni, vocab, DEVICE)
    with pytest.raises(ValueError, match="'carried' or 'reset'"):
        evaluation.generate_greedy("time", 5, bi, vocab, DEVICE, "zero")


def test_split_layers_compute_what_the_fused_layer_computes():
    d2l.set_seed(0)
    layer = rnn.LSTM(6, 2, bidirectional=True)
    layer.initialize()
    X = np.random.normal(size=(5, 3, 4))
    Y = layer(X)
    layers = evaluation.split_layers(layer)
    assert len(layers) == 2
    onp.testing.assert_allclose(layers[1](layers[0](X)).asnumpy(), Y.asnumpy(), rtol=1e-5, atol=1e-6)


def test_layer_two_forward_direction_reads_the_next_input():
    d2l.set_seed(0)
    net = d2l.RNNModel(rnn.LSTM(8, 2, bidirectional=True), 7)
    net.initialize()
    net(np.array([[1, 2]]), net.begin_state(batch_size=1))  # Gluon initialises on first use
    J = evaluation.direction_jacobians(net, [1, 2, 3, 4, 5, 6], DEVICE)
    assert set(J) == {(1, "forward"), (1, "backward"), (2, "forward"), (2, "backward")}
    future = onp.triu(onp.ones((6, 6), dtype=bool), k=1)           # s > t
    assert (J[1, "forward"][future] == 0).all()                      # layer 1 ->: past only
    assert (J[1, "forward"][~future] > 0).all()
    assert (J[1, "backward"][future.T] == 0).all()                   # layer 1 <-: s >= t only
    assert (onp.diag(J[2, "forward"], k=1) > 1e-6).all()             # layer 2 ->: reads x_{t+1}


def test_count_model_judge():
    from d2l_birnn import ngram
    from d2l_birnn.data import char_vocab

    text = d2l.time_machine_text()
    train, held_out = d2l.split_train_test(text)
    vocab = char_vocab(text)
    ids = onp.array(vocab[list(train)])
    judge = ngram.CountFiller(4, 0, len(vocab)).fit(ids)
    real = held_out[:500]
    assert evaluation.count_model_perplexity(judge, real, vocab) < 6
    assert evaluation.count_model_perplexity(judge, "er" * 250, vocab) > \
        2 * evaluation.count_model_perplexity(judge, real, vocab)
    unigram = ngram.CountFiller(0, 0, len(vocab)).fit(ids)            # check one by hand
    counts = onp.bincount(ids, minlength=len(vocab)).astype(float)
    seen = (counts > 0).sum()
    p = (counts + seen / len(vocab)) / (counts.sum() + seen)          # Witten-Bell over uniform
    x = onp.array(vocab[list(real)])[1:]
    assert evaluation.count_model_perplexity(unigram, real, vocab) == \
        pytest.approx(2 ** -onp.log2(p[x]).mean(), rel=1e-9)
    with pytest.raises(ValueError, match="left-only"):
        evaluation.count_model_perplexity(ngram.CountFiller(2, 1, len(vocab)).fit(ids), real, vocab)
