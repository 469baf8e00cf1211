"""d2l_birnn.torch.padding: a padded batch, packed or reversed within lengths, equals each
sequence alone; the naive padded batch does not, in the backward direction."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from d2l_birnn.torch import padding  # noqa: E402

#: Batched and one-at-a-time runs must agree to this (float32 arithmetic, same operations).
TOLERANCE = 1e-5


def make_layers(h=6, e=5, seed=0):
    torch.manual_seed(seed)
    fused = nn.LSTM(e, h, bidirectional=True)
    for p in fused.parameters():
        nn.init.uniform_(p, -0.5, 0.5)
    two_way = padding.TwoWayLSTM(h, e)
    two_way.copy_from_fused(fused)
    return fused, two_way


def normal(shape, seed):
    return torch.tensor(np.random.default_rng(seed).normal(size=shape), dtype=torch.float32)


def test_reverse_within_lengths_reverses_each_real_part():
    X = normal((6, 3, 2), 0)
    lengths = [6, 2, 4]
    got = padding.reverse_within_lengths(X, torch.tensor(lengths))
    for n, L in enumerate(lengths):
        torch.testing.assert_close(got[:L, n], X[:L, n].flip(0), rtol=0, atol=0)
        torch.testing.assert_close(got[L:, n], X[L:, n], rtol=0, atol=0)
    with pytest.raises(ValueError, match="2 lengths for a batch of 3"):
        padding.reverse_within_lengths(X, [1, 2])


def test_ignoring_lengths_is_what_the_fused_layer_does():
    fused, two_way = make_layers()
    X = normal((7, 4, 5), 1)
    with torch.no_grad():
        torch.testing.assert_close(two_way(X), fused(X)[0], rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_packed_and_reversed_batches_equal_each_sequence_alone(seed):
    rng = np.random.default_rng(seed)
    fused, two_way = make_layers(seed=seed)
    lengths = rng.integers(1, 12, size=6)
    lengths[0] = 12
    X = normal((12, 6, 5), seed)
    with torch.no_grad():
        alone = padding.run_each_alone(fused, X, lengths).numpy()
        packed = padding.run_packed(fused, X, lengths).numpy()
        fixed = two_way(X, lengths).numpy()
        naive = fused(X)[0].numpy()
    assert np.abs(packed - alone).max() < TOLERANCE          # PyTorch's way
    assert np.abs(fixed - alone).max() < TOLERANCE           # the MXNet edition's way, by hand
    # and the naive padded run is wrong in the backward half of every padded sequence
    h = two_way.num_hiddens
    for n, L in enumerate(lengths):
        np.testing.assert_allclose(naive[:L, n, :h], alone[:L, n, :h], atol=TOLERANCE)
        if L < 12:
            assert np.abs(naive[L - 1, n, h:] - alone[L - 1, n, h:]).max() > 1e-3


def test_a_batch_first_layer_is_read_the_same_way():
    fused, _ = make_layers(seed=4)
    first = nn.LSTM(5, 6, bidirectional=True, batch_first=True)
    first.load_state_dict(fused.state_dict())
    X, lengths = normal((8, 3, 5), 4), [8, 3, 5]
    with torch.no_grad():
        torch.testing.assert_close(padding.run_packed(first, X, lengths),
                                   padding.run_packed(fused, X, lengths), rtol=0, atol=0)
        torch.testing.assert_close(padding.run_each_alone(first, X, lengths),
                                   padding.run_each_alone(fused, X, lengths), rtol=0, atol=0)


@pytest.mark.parametrize("how", ["packed", "reversed"])
def test_gradients_through_the_fix_equal_each_sequence_alone(how):
    fused, two_way = make_layers(seed=3)
    lengths = [5, 2, 4]
    X = normal((5, 3, 5), 3).requires_grad_()
    out = padding.run_packed(fused, X, lengths) if how == "packed" else two_way(X, lengths)
    (out ** 2).sum().backward()
    for n, L in enumerate(lengths):
        x = X.detach()[:L, n:n + 1].clone().requires_grad_()
        (fused(x)[0] ** 2).sum().backward()
        torch.testing.assert_close(X.grad[:L, n:n + 1], x.grad, rtol=0, atol=TOLERANCE)
        assert torch.all(X.grad[L:, n] == 0)     # padding gets no gradient


def test_masked_mean_counts_real_tokens_only():
    rng = np.random.default_rng(4)
    logits = normal((3, 5, 4), 4)
    labels = torch.tensor(rng.integers(0, 4, size=(3, 5)))
    lengths = [5, 2, 3]
    per_token = padding.token_cross_entropy(logits, labels)
    assert per_token.shape == (3, 5)
    got = float(padding.masked_mean(per_token, lengths))
    logp = logits.numpy() - np.log(np.exp(logits.numpy()).sum(-1, keepdims=True))
    pieces = [-logp[n, t, int(labels[n, t])] for n, L in enumerate(lengths) for t in range(L)]
    assert got == pytest.approx(np.mean(pieces), rel=1e-5)
    assert float(per_token.mean()) != pytest.approx(got, rel=1e-3)
    np.testing.assert_array_equal(padding.length_mask([2, 1], 3), [[1, 1, 0], [1, 0, 0]])
    with pytest.raises(ValueError, match="2 lengths"):
        padding.masked_mean(per_token, [5, 2])


def test_copy_from_fused_refuses_other_layers():
    two_way = padding.TwoWayLSTM(3, 2)
    for wrong in (nn.GRU(2, 3, bidirectional=True), nn.LSTM(2, 3),
                  nn.LSTM(2, 3, num_layers=2, bidirectional=True)):
        with pytest.raises(ValueError, match="one-layer bidirectional"):
            two_way.copy_from_fused(wrong)
    with pytest.raises(ValueError, match="maps 4 -> 3"):
        two_way.copy_from_fused(nn.LSTM(4, 3, bidirectional=True))


def _tagger(bidirectional=True):
    from d2l_birnn.torch import tasks

    torch.manual_seed(5)
    tagger = tasks.TokenTagger(9, 9, 6, bidirectional=bidirectional)
    for p in tagger.parameters():
        nn.init.uniform_(p, -0.3, 0.3)
    return tagger.eval()


def test_tagger_logits_with_lengths_equal_each_sequence_alone():
    tagger = _tagger()
    ids, lengths = padding.pad_batch([[2, 3, 4, 5, 6], [7, 8], [3, 3, 3]], pad_id=0)
    with torch.no_grad():
        fixed = padding.tagger_logits(tagger, ids, lengths).numpy()
        naive = padding.tagger_logits(tagger, ids).numpy()
        for n, L in enumerate(lengths):
            alone = tagger(torch.tensor(ids[n:n + 1, :L])).numpy()[0]
            np.testing.assert_allclose(fixed[n, :L], alone, atol=TOLERANCE)
            if L < ids.shape[1]:
                assert np.abs(naive[n, :L] - alone).max() > 1e-4
    with pytest.raises(ValueError, match="bidirectional"):
        padding.tagger_logits(_tagger(bidirectional=False), ids, lengths)


