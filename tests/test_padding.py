"""Tests for d2l_birnn.padding: a padded batch through the fixed layer equals each sequence alone."""

from __future__ import annotations

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, npx
from mxnet import np as mnp
from mxnet.gluon import rnn

from d2l_birnn import padding

npx.set_np()
#: Batched and one-at-a-time runs must agree to this (float32 arithmetic, same operations).
TOLERANCE = 1e-5


def make_layers(h=6, e=5, seed=0):
    mx.random.seed(seed)
    fused = rnn.LSTM(h, bidirectional=True, input_size=e)
    fused.initialize(mx.init.Uniform(0.5))
    two_way = padding.TwoWayLSTM(h, e)
    two_way.initialize()
    two_way.copy_from_fused(fused)
    return fused, two_way


def test_reverse_within_lengths_equals_sequence_reverse():
    X = mnp.array(np.random.default_rng(0).normal(size=(6, 3, 2)), dtype="float32")
    lengths = [6, 2, 4]
    want = mx.nd.SequenceReverse(X.as_nd_ndarray(), sequence_length=mx.nd.array(lengths),
                                 use_sequence_length=True).asnumpy()
    np.testing.assert_array_equal(padding.reverse_within_lengths(X, lengths).asnumpy(), want)
    with pytest.raises(ValueError, match="2 lengths for a batch of 3"):
        padding.reverse_within_lengths(X, [1, 2])


def test_ignoring_lengths_is_what_the_fused_layer_does():
    fused, two_way = make_layers()
    X = mnp.array(np.random.default_rng(1).normal(size=(7, 4, 5)), dtype="float32")
    np.testing.assert_allclose(two_way(X).asnumpy(),
                               fused(X).asnumpy(), atol=TOLERANCE)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_padded_batch_equals_each_sequence_alone(seed):
    rng = np.random.default_rng(seed)
    fused, two_way = make_layers(seed=seed)
    lengths = rng.integers(1, 12, size=6)
    lengths[0] = 12
    X = mnp.array(rng.normal(size=(12, 6, 5)), dtype="float32")
    alone = padding.run_each_alone(fused, X, lengths).asnumpy()
    fixed = two_way(X, lengths).asnumpy()
    assert np.abs(fixed - alone).max() < TOLERANCE
    # and the naive padded run is wrong in the backward half of every padded sequence
    naive = fused(X).asnumpy()
    h = two_way.num_hiddens
    for n, L in enumerate(lengths):
        np.testing.assert_allclose(naive[:L, n, :h], alone[:L, n, :h], atol=TOLERANCE)
        if L < 12:
            assert np.abs(naive[L - 1, n, h:] - alone[L - 1, n, h:]).max() > 1e-3


def test_gradients_through_the_fix_equal_each_sequence_alone():
    _, two_way = make_layers(seed=3)
    lengths = [5, 2, 4]
    X = mnp.array(np.random.default_rng(3).normal(size=(5, 3, 5)), dtype="float32")
    X.attach_grad()
    with autograd.record():
        loss = (two_way(X, lengths) ** 2).sum()
    loss.backward()
    batched = X.grad.asnumpy()
    for n, L in enumerate(lengths):
        x = X[:L, n:n + 1].copy()
        x.attach_grad()
        with autograd.record():
            alone = (two_way(x) ** 2).sum()
        alone.backward()
        np.testing.assert_allclose(batched[:L, n:n + 1], x.grad.asnumpy(), atol=TOLERANCE)
        assert np.all(batched[L:, n] == 0)     # padding gets no gradient


def test_masked_mean_counts_real_tokens_only():
    rng = np.random.default_rng(4)
    logits = mnp.array(rng.normal(size=(3, 5, 4)), dtype="float32")
    labels = mnp.array(rng.integers(0, 4, size=(3, 5)))
    lengths = [5, 2, 3]
    per_token = padding.token_cross_entropy(logits, labels)
    got = float(padding.masked_mean(per_token, lengths))
    logp = logits.asnumpy() - np.log(np.exp(logits.asnumpy()).sum(-1, keepdims=True))
    pieces = [-logp[n, t, int(labels[n, t])] for n, L in enumerate(lengths) for t in range(L)]
    assert got == pytest.approx(np.mean(pieces), rel=1e-5)
    assert float(per_token.mean()) != pytest.approx(got, rel=1e-3)
    np.testing.assert_array_equal(padding.length_mask([2, 1], 3), [[1, 1, 0], [1, 0, 0]])


def test_copy_from_fused_refuses_other_layers():
    two_way = padding.TwoWayLSTM(3, 2)
    two_way.initialize()
    gru = rnn.GRU(3, input_size=2)
    gru.initialize()
    with pytest.raises(ValueError, match="one-layer bidirectional"):
        two_way.copy_from_fused(gru)


def test_tagger_logits_with_lengths_equal_each_sequence_alone():
    from d2l_birnn import tasks

    mx.random.seed(5)
    tagger = tasks.TokenTagger(9, 9, 6, bidirectional=True)
    tagger.initialize(mx.init.Uniform(0.3))
    ids, lengths = padding.pad_batch([[2, 3, 4, 5, 6], [7, 8], [3, 3, 3]], pad_id=0)
    fixed = padding.tagger_logits(tagger, ids, lengths).asnumpy()
    naive = padding.tagger_logits(tagger, ids).asnumpy()
    for n, L in enumerate(lengths):
        alone = tagger(mnp.array(ids[n:n + 1, :L])).asnumpy()[0]
        np.testing.assert_allclose(fixed[n, :L], alone, atol=TOLERANCE)
        if L < ids.shape[1]:
            assert np.abs(naive[n, :L] - alone).max() > 1e-4
    with pytest.raises(ValueError, match="bidirectional"):
        padding.tagger_logits(tasks.TokenTagger(9, 9, 6, bidirectional=False), ids, lengths)


