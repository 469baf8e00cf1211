"""d2l_birnn.torch.evaluation: notebook 04's measurements in PyTorch, on a small, fast model.

The same lesson and the same checks as tests/test_evaluation.py (the MXNet edition): a
bidirectional LSTM trained as a language model copies x_{t+1} with the future in the window,
fails without it, loses at the last position of each training window, and writes a repeated
bigram; the layer-2 forward direction reads x_{t+1}; generation with the backward state reset
differs from predict_ch8's.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from d2l_birnn import torch as d2l  # noqa: E402
from d2l_birnn.torch import evaluation  # noqa: E402
from d2l_birnn.torch.jacobians import jacobian_norms  # noqa: E402

DEVICE = torch.device("cpu")


@pytest.fixture(scope="module")
def trained():
    corpus, vocab = d2l.load_corpus_time_machine()
    models = {}
    for bidirectional in (True, False):
        d2l.set_seed(0)
        loader = d2l.SeqDataLoader(16, 35, corpus=corpus[:3000], vocab=vocab)
        net = d2l.RNNModel(nn.LSTM(len(vocab), 64, 1, bidirectional=bidirectional), len(vocab))
        d2l.train_ch8(net, loader, vocab, 4, 40, DEVICE, plot=False, verbose=False)
        models[bidirectional] = net
    return models, corpus[50000:60000], vocab


def test_bidirectional_model_reads_the_answer(trained):
    models, held_out, vocab = trained
    bi = models[True]
    with_future = evaluation.next_token_accuracy(bi, held_out, DEVICE, future=True, num_windows=64)
    past_only = evaluation.next_token_accuracy(bi, held_out, DEVICE, future=False, num_windows=64)
    assert with_future["accuracy"] > 0.8
    assert past_only["accuracy"] < 0.5 * with_future["accuracy"]
    future = evaluation.next_token_predictions(bi, held_out[:50], vocab, DEVICE, future=True)
    past = evaluation.next_token_predictions(bi, held_out[:50], vocab, DEVICE, future=False)
    truth = "".join(vocab.to_tokens(held_out[35:50]))
    assert len(future) == len(past) == 15
    assert sum(a == b for a, b in zip(future, truth)) > sum(a == b for a, b in zip(past, truth))


def test_unidirectional_predictions_need_no_future(trained):
    models, held_out, vocab = trained
    uni = models[False]
    ids = held_out[:80]
    # a causal model's guess at t is the same with the future in view or cut off
    assert evaluation.next_token_predictions(uni, ids, vocab, DEVICE, future=True) == \
        evaluation.next_token_predictions(uni, ids, vocab, DEVICE, future=False)
    with pytest.raises(ValueError, match="more than num_steps"):
        evaluation.next_token_predictions(uni, ids[:35], vocab, DEVICE)


def test_repetition_stats():
    stats = evaluation.repetition_stats("erererer")
    assert stats["top_bigram"] in ("er", "re") and stats["distinct_bigrams"] == pytest.approx(2 / 7)
    with pytest.raises(ValueError):
        evaluation.repetition_stats("e")


def test_per_position_scores_find_the_leak_at_every_position_but_the_last(trained):
    models, _, vocab = trained
    corpus, _ = d2l.load_corpus_time_machine()
    d2l.set_seed(0)
    loader = d2l.SeqDataLoader(16, 35, corpus=corpus[:3000], vocab=vocab)
    bi = evaluation.per_position_scores(models[True], loader, DEVICE, epochs=2)
    uni = evaluation.per_position_scores(models[False], loader, DEVICE)
    fresh = evaluation.per_position_scores(models[True], loader, DEVICE, carry_state=False)
    assert bi["accuracy"].shape == bi["loss"].shape == (35,)
    assert bi["windows"] == 2 * uni["windows"] == 2 * 16 * ((3000 - 36) // 16 // 35)
    assert fresh["accuracy"][:34].min() > 0.8 and bi["accuracy"][:34].min() > 0.8
    assert bi["accuracy"][34] < 0.5 * bi["accuracy"][:34].mean()
    assert bi["loss"][34] > 5 * bi["loss"][:34].mean()
    assert uni["accuracy"][34] > 0.5 * uni["accuracy"][:34].mean()
    with pytest.raises(ValueError, match="epochs"):
        evaluation.per_position_scores(models[False], loader, DEVICE, epochs=0)


def test_per_position_scores_match_prefix_runs_of_a_one_way_model(trained):
    models, held_out, _ = trained
    uni = models[False]
    X = torch.tensor([held_out[i: i + 35] for i in range(0, 4 * 35, 35)])
    Y = torch.tensor([held_out[i + 1: i + 36] for i in range(0, 4 * 35, 35)])
    scores = evaluation.per_position_scores(uni, [(X, Y)], DEVICE)
    with torch.no_grad():
        for j in (0, 9, 34):
            logits, _ = uni(X[:, :j + 1], uni.begin_state(batch_size=4, device=DEVICE))
            guess = logits[-4:].argmax(dim=1)
            assert scores["accuracy"][j] == pytest.approx(float((guess == Y[:, j]).float().mean()))


def test_backward_rows_are_where_pytorch_keeps_the_backward_states():
    d2l.set_seed(0)
    h = 5
    net = d2l.RNNModel(nn.LSTM(7, h, 2, bidirectional=True), 7)
    assert evaluation.backward_state_rows(net) == [1, 3]
    X = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad():
        Y, (H, _) = net.rnn(nn.functional.one_hot(X.T, 7).float(), net.begin_state(DEVICE))
    torch.testing.assert_close(H[2], Y[-1, :, :h])   # layer 2, forward: ends at the last step
    torch.testing.assert_close(H[3], Y[0, :, h:])    # layer 2, backward: ends at the first
    assert evaluation.backward_state_rows(d2l.RNNModel(nn.LSTM(7, h, 2), 7)) == []


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


@pytest.mark.parametrize("cell", [nn.LSTM, nn.GRU, nn.RNN])
def test_split_layers_compute_what_the_fused_layer_computes(cell):
    d2l.set_seed(0)
    layer = cell(4, 6, 3, bidirectional=True)
    X = torch.randn(5, 3, 4)
    with torch.no_grad():
        Y, _ = layer(X)
        layers = evaluation.split_layers(layer)
        Z = X
        for part in layers:
            Z, _ = part(Z)
    assert len(layers) == 3
    torch.testing.assert_close(Z, Y, rtol=1e-5, atol=1e-6)


def test_batched_jacobian_equals_autograd_jacobian():
    d2l.set_seed(0)
    layer = nn.LSTM(5, 4, 2, bidirectional=True)
    X = torch.randn(6, 5)

    def f(inputs):
        return layer(inputs)[0][:, :, :4]                      # layer 2, forward half

    np.testing.assert_allclose(evaluation.batched_jacobian_norms(f, X), jacobian_norms(f, X),
                               rtol=1e-4, atol=1e-7)


def test_layer_two_forward_direction_reads_the_next_input():
    d2l.set_seed(0)
    net = d2l.RNNModel(nn.LSTM(7, 8, 2, bidirectional=True), 7)
    J = evaluation.direction_jacobians(net, [1, 2, 3, 4, 5, 6], DEVICE)
    assert set(J) == {(1, "forward"), (1, "backward"), (2, "forward"), (2, "backward")}
    future = np.triu(np.ones((6, 6), dtype=bool), k=1)           # s > t
    assert (J[1, "forward"][future] == 0).all()
    assert (J[1, "forward"][~future] > 0).all()
    assert (J[1, "backward"][future.T] == 0).all()
    assert (np.diag(J[2, "forward"], k=1) > 1e-6).all()          # layer 2 ->: reads x_{t+1}


def test_count_model_judge():
    from d2l_birnn import ngram
    from d2l_birnn.data import char_vocab

    text = d2l.time_machine_text()
    train, held_out = d2l.split_train_test(text)
    vocab = char_vocab(text)
    judge = ngram.CountFiller(4, 0, len(vocab)).fit(np.array(vocab[list(train)]))
    real = held_out[:500]
    assert evaluation.count_model_perplexity(judge, real, vocab) < 6
    assert evaluation.count_model_perplexity(judge, "er" * 250, vocab) > \
        2 * evaluation.count_model_perplexity(judge, real, vocab)
    with pytest.raises(ValueError, match="left-only"):
        both = ngram.CountFiller(2, 1, len(vocab)).fit(np.array(vocab[list(train)]))
        evaluation.count_model_perplexity(both, real, vocab)
