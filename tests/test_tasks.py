"""Tests for d2l_birnn.tasks: data sets (and their held-out parts) and the small models."""

from __future__ import annotations

import numpy as onp
import pytest
from mxnet import np, npx

import d2l_birnn as d2l
from d2l_birnn import models, ngram, tasks

npx.set_np()


# ---------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------
def test_masked_windows_hide_the_centre():
    ids = onp.arange(10, 30)
    X, y = tasks.masked_windows(ids, [3, 10, 16], width=3, mask_id=1)
    assert X.shape == (3, 7) and y.tolist() == [13, 20, 26]
    assert (X[:, 3] == 1).all()
    assert X[1].tolist() == [17, 18, 19, 1, 21, 22, 23]
    assert ids[10] == 20                               # the input array is not changed
    with pytest.raises(ValueError, match=r"positions in \[3, 17\)"):
        tasks.masked_windows(ids, [2], 3, 1)
    with pytest.raises(ValueError, match="width must be a positive int"):
        tasks.masked_windows(ids, [5], 0, 1)
    with pytest.raises(ValueError, match="positions is empty"):
        tasks.masked_windows(ids, [], 2, 1)


def test_char_vocab_has_a_mask():
    vocab = tasks.char_vocab("abca b")
    assert vocab[tasks.MASK] == 1 and vocab.unk == 0
    assert set(vocab.idx_to_token[2:]) == set("abc ")


def test_word_end_tags():
    letters, tags = tasks.word_end_tags("the time  machine")
    assert letters == "thetimemachine"
    assert tags.tolist() == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    _, tags = tasks.word_end_tags("a b c")
    assert tags.tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="no words"):
        tasks.word_end_tags("   ")


def test_chunk():
    X, Y = tasks.cut_rows((onp.arange(10), onp.arange(10) * 2), 3)
    assert X.shape == Y.shape == (3, 3)
    assert X[2].tolist() == [6, 7, 8] and Y[0].tolist() == [0, 2, 4]
    with pytest.raises(ValueError, match="equal lengths"):
        tasks.cut_rows((onp.arange(4), onp.arange(5)), 2)
    with pytest.raises(ValueError, match="gives no row"):
        tasks.cut_rows((onp.arange(4),), 5)


def test_half_passages_hold_out_whole_blocks_of_each_half():
    words = ngram.words_of(d2l.time_machine_text())
    data = tasks.half_passages(words, 20, num_blocks=20, test_every=10, train_stride=5)
    half = len(words) // 2
    size = half // 20
    # which block (and half) every token belongs to; held-out blocks are 9 and 19 of each half
    held_out_tokens, trained_tokens = set(), set()
    for label in (0, 1):
        for k in range(20):
            span = range(label * half + k * size, label * half + (k + 1) * size)
            (held_out_tokens if k in (9, 19) else trained_tokens).update(span)
    starts = {}
    for i in range(len(words) - 19):
        starts.setdefault(tuple(words[i:i + 20]), []).append(i)
    for name, tokens in (("test", held_out_tokens), ("train", trained_tokens)):
        passages, labels = data[name]
        for passage, label in zip(passages, labels):
            assert len(passage) == 20
            # some occurrence of the passage lies wholly in its own kind of block and half
            assert any(set(range(i, i + 20)) <= tokens and (i >= half) == bool(label)
                       for i in starts[tuple(passage)])
    assert len(data["test"][0]) == 2 * 2 * (size // 20)       # 2 blocks per half, no overlap
    assert set(data["train"][1].tolist()) == {0, 1} == set(data["test"][1].tolist())
    text_data = tasks.half_passages("abcdefghij" * 100, 10)
    assert all(isinstance(p, str) and len(p) == 10 for p in text_data["train"][0])
    with pytest.raises(ValueError, match="shorter than length"):
        tasks.half_passages("abcdefghij" * 10, 60)
    with pytest.raises(ValueError, match="would hold out nothing"):
        tasks.half_passages(words, 20, num_blocks=5, test_every=10)


def test_join_words_undoes_word_end_tags():
    text = "the time traveller for so it will be convenient"
    assert tasks.join_words(*tasks.word_end_tags(text)) == text
    assert tasks.join_words("abc", [0, 0, 0]) == "abc"
    with pytest.raises(ValueError, match="3 letters but 2 tags"):
        tasks.join_words("abc", [0, 1])


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("bidirectional", [False, True])
def test_parameter_count_formula_matches_the_models(bidirectional):
    d2l.set_seed(0)
    X = np.zeros((2, 5))
    for net in (tasks.TokenTagger(30, 7, 12, bidirectional, embed_size=8),
                tasks.BlankFiller(30, 7, 12, bidirectional, embed_size=8),
                tasks.SequenceClassifier(30, 7, 12, bidirectional, embed_size=8)):
        net.initialize()
        net(X)
        assert models.count_parameters(net) == tasks.model_parameter_count(
            30, 7, 12, bidirectional, embed_size=8)


def test_matching_hidden_size_has_about_as_many_parameters():
    V = 29
    h = tasks.matching_hidden_size(64, V, V)
    bi = tasks.model_parameter_count(V, V, 64, True)
    uni = tasks.model_parameter_count(V, V, h, False)
    assert 80 < h < 100 and abs(uni - bi) / bi < 0.01
    assert abs(tasks.model_parameter_count(V, V, h + 1, False) - bi) > abs(uni - bi) - 1


def test_output_shapes():
    d2l.set_seed(0)
    X = np.array(onp.random.RandomState(0).randint(0, 10, (4, 7)))
    tagger = tasks.TokenTagger(10, 3, 6, True)
    tagger.initialize()
    assert tagger(X).shape == (4, 7, 3)
    assert tagger.features(X).shape == (4, 7, 12)
    filler = tasks.BlankFiller(10, 10, 6, False)
    filler.initialize()
    assert filler(X).shape == (4, 7, 10)
    classifier = tasks.SequenceClassifier(10, 2, 6, True)
    classifier.initialize()
    assert classifier(X).shape == (4, 2)
    assert classifier.final_states(X).shape == (4, 12)
    assert tasks.encode_passages(classifier, X.asnumpy(), batch_size=3).shape == (4, 12)
    with pytest.raises(ValueError, match="num_hiddens must be a positive int"):
        tasks.TokenTagger(10, 2, 0, True)
    assert "bidirectional LSTM, 6 hidden units" in repr(classifier)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_only_the_bidirectional_models_see_the_future(bidirectional):
    d2l.set_seed(0)
    rng = onp.random.RandomState(1)
    X = rng.randint(0, 10, (3, 9))
    changed = X.copy()
    changed[:, 5:] = (changed[:, 5:] + 1) % 10          # change everything from step 5 on
    tagger = tasks.TokenTagger(10, 2, 8, bidirectional)
    tagger.initialize()
    a, b = tagger(np.array(X)).asnumpy(), tagger(np.array(changed)).asnumpy()
    assert onp.allclose(a[:, :5], b[:, :5]) == (not bidirectional)
    assert not onp.allclose(a[:, 5:], b[:, 5:])        # the changed steps themselves


@pytest.mark.parametrize("bidirectional", [False, True])
def test_blank_filler_never_reads_the_blank(bidirectional):
    """Output t of a BlankFiller depends on x_{t-1} (and, bidirectional, x_{t+1}), never x_t."""
    d2l.set_seed(0)
    filler = tasks.BlankFiller(10, 10, 8, bidirectional)
    filler.initialize()
    X = onp.random.RandomState(3).randint(0, 10, (2, 7))
    changed = X.copy()
    changed[:, 3] = (changed[:, 3] + 1) % 10            # change x_3 only
    a, b = filler(np.array(X)).asnumpy(), filler(np.array(changed)).asnumpy()
    onp.testing.assert_allclose(a[:, 3], b[:, 3], rtol=1e-6)   # its own output: unchanged
    assert not onp.allclose(a[:, 4], b[:, 4])                   # the next one reads it
    assert onp.allclose(a[:, 2], b[:, 2]) == (not bidirectional)  # the one before: only bi
    filler.hybridize()
    onp.testing.assert_allclose(filler(np.array(X)).asnumpy(), a, rtol=1e-5, atol=1e-6)


def test_training_a_future_task_bi_learns_it_uni_cannot():
    """Label at step t = the token at t + 1: only a model that sees the future can know it."""
    rng = onp.random.RandomState(0)
    X, X_test = rng.randint(0, 4, (256, 8)), rng.randint(0, 4, (128, 8))
    Y = onp.concatenate([X[:, 1:], onp.zeros((256, 1), dtype=X.dtype)], axis=1)
    scores = {}
    for bidirectional in (False, True):
        d2l.set_seed(0)
        net = tasks.TokenTagger(4, 4, 16, bidirectional, embed_size=8)
        losses = tasks.fit(net, X, Y, num_epochs=60, batch_size=64, lr=0.02)
        assert losses[-1] < losses[0]
        predicted = tasks.predict_labels(net, X_test)[:, :7]   # the last step has no future
        scores[bidirectional] = (predicted == X_test[:, 1:]).mean()
    assert scores[True] > 0.95
    assert scores[False] < 0.4                           # chance is 0.25
    with pytest.raises(ValueError, match="X has 3 rows but Y has 2"):
        tasks.fit(net, X[:3], Y[:2], 1)


def test_predict_and_cosine():
    assert tasks.cosine_similarity([1, 0], [2, 0]) == pytest.approx(1.0)
    assert tasks.cosine_similarity(np.array([1.0, 0]), onp.array([0, 3.0])) == pytest.approx(0.0)
    d2l.set_seed(0)
    net = tasks.SequenceClassifier(5, 3, 4, False)
    net.initialize()
    pred = tasks.predict_labels(net, onp.zeros((7, 4), dtype=int), batch_size=3)
    assert pred.shape == (7,) and pred.dtype == onp.int64 and ((pred >= 0) & (pred < 3)).all()


def test_final_states_are_the_ends_of_the_two_directions():
    d2l.set_seed(0)
    net = tasks.TokenTagger(10, 2, 5, True)
    net.initialize()
    X = np.array(onp.random.RandomState(2).randint(0, 10, (3, 6)))
    outputs = net.features(X).asnumpy()                 # (N, T, 2h)
    final = net.final_states(X).asnumpy()               # (N, 2h)
    onp.testing.assert_allclose(final[:, :5], outputs[:, -1, :5], rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(final[:, 5:], outputs[:, 0, 5:], rtol=1e-5, atol=1e-6)


def test_position_probe_reads_back_a_perfect_encoding():
    """A one-hot encoding of every position holds everything: the probe learns to read it."""
    rng = onp.random.RandomState(0)
    P = rng.randint(0, 3, (400, 4))
    Z = onp.eye(3)[P].reshape(400, 12).astype("float32")   # (N, 4 positions * 3 symbols)
    d2l.set_seed(0)
    probe = tasks.PositionProbe(4, 3)
    tasks.fit(probe, Z, P, num_epochs=30, batch_size=50, lr=0.05)
    assert probe(np.array(Z[:2])).shape == (2, 4, 3)
    assert tasks.label_accuracy(probe, Z, P) > 0.99
    with pytest.raises(ValueError, match="num_positions must be a positive int"):
        tasks.PositionProbe(0, 3)


# ---------------------------------------------------------------------------
# Sizes and seeds of a fair comparison
# ---------------------------------------------------------------------------
def test_closest_hidden_size_matches_a_scratch_birnn():
    bi = d2l.BiRNNScratch(29, 64, 29).num_parameters()
    def uni(h):
        return d2l.BiRNNScratch(29, h, 29, bidirectional=False).num_parameters()

    h = tasks.closest_hidden_size(uni, bi)
    counts = {g: uni(g) for g in (h - 1, h, h + 1)}
    assert abs(counts[h] - bi) <= min(abs(counts[h - 1] - bi), abs(counts[h + 1] - bi))
    assert tasks.closest_hidden_size(lambda h: 10 * h, 25) == 2, "a tie goes to the smaller size"
    assert tasks.closest_hidden_size(lambda h: 10 * h, 3) == 1
    with pytest.raises(ValueError, match="raise limit"):
        tasks.closest_hidden_size(lambda h: h, 100, limit=10)


def test_over_seeds_seeds_every_run_and_reports_it():
    seen = []
    results = tasks.over_seeds(lambda seed: {"seed": seed, "draw": float(onp.random.rand())},
                               seeds=(0, 1, 0 + 2), report=lambda seed, r: seen.append(seed))
    assert seen == [0, 1, 2] and tasks.per_seed(results, "seed") == [0, 1, 2]
    again = tasks.over_seeds(lambda seed: {"draw": float(onp.random.rand())}, seeds=(1,))
    assert again[0]["draw"] == results[1]["draw"], "set_seed(seed) before each run: reproducible"
    assert len(set(tasks.per_seed(results, "draw"))) == 3
    assert len(tasks.SEEDS) >= 3
    with pytest.raises(ValueError, match="distinct non-negative ints"):
        tasks.over_seeds(lambda seed: seed, seeds=(0, 0))
    with pytest.raises(KeyError, match="'accuracy' is not a result"):
        tasks.per_seed(results, "accuracy")
