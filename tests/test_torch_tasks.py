"""d2l_birnn.torch.tasks: the MXNet edition's neutral task code (without Gluon, seeded by
PyTorch) and its models and training in torch.nn; mirrors tests/test_tasks.py."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from d2l_birnn.torch import set_seed, tasks  # noqa: E402


# ---------------------------------------------------------------------------
# The data sets and seeds (the MXNet edition's files)
# ---------------------------------------------------------------------------
def test_masked_windows_hide_the_centre():
    X, y = tasks.masked_windows(np.arange(20), [5, 10], 2, 99)
    assert X.tolist() == [[3, 4, 99, 6, 7], [8, 9, 99, 11, 12]] and y.tolist() == [5, 10]
    with pytest.raises(ValueError, match="2 tokens on both sides"):
        tasks.masked_windows(np.arange(20), [1], 2, 99)


def test_the_data_set_builders_are_the_mxnet_editions():
    letters, tags = tasks.word_end_tags("the time  machine")
    assert letters == "thetimemachine" and tasks.join_words(letters, tags) == "the time machine"
    X, Y = tasks.cut_rows((np.arange(10), np.arange(10) * 2), 3)
    assert X.shape == Y.shape == (3, 3) and Y[0].tolist() == [0, 2, 4]
    halves = tasks.half_passages("abcdefghij" * 100, 10)
    assert set(halves["test"][1].tolist()) == {0, 1}
    assert tasks.char_vocab("abc")[tasks.MASK] == 1


def test_over_seeds_seeds_pytorch_before_each_run():
    draws = tasks.over_seeds(lambda seed: float(torch.rand(1)), seeds=[3, 4])
    again = tasks.over_seeds(lambda seed: float(torch.rand(1)), seeds=[3, 4])
    assert draws == again and draws[0] != draws[1]
    assert tasks.SEEDS == (0, 1, 2) and tasks.MASK == "<mask>"


def test_loading_them_never_imports_mxnet():
    code = ("import sys; from d2l_birnn.torch import tasks; "
            "tasks.fit(tasks.TokenTagger(5, 2, 3, True), [[1, 2]], [[0, 1]], 1); "
            "print('mxnet' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "False", out.stderr


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("bidirectional", [False, True])
def test_parameter_count_formula_matches_the_models(bidirectional):
    for net in (tasks.TokenTagger(30, 7, 12, bidirectional, embed_size=8),
                tasks.BlankFiller(30, 7, 12, bidirectional, embed_size=8),
                tasks.SequenceClassifier(30, 7, 12, bidirectional, embed_size=8)):
        assert sum(p.numel() for p in net.parameters()) == tasks.model_parameter_count(
            30, 7, 12, bidirectional, embed_size=8)


def test_matching_hidden_size_has_about_as_many_parameters():
    V = 29
    h = tasks.matching_hidden_size(64, V, V)
    bi = tasks.model_parameter_count(V, V, 64, True)
    uni = tasks.model_parameter_count(V, V, h, False)
    assert 80 < h < 100 and abs(uni - bi) / bi < 0.01
    assert abs(tasks.model_parameter_count(V, V, h + 1, False) - bi) > abs(uni - bi) - 1
    real = sum(p.numel() for p in tasks.BlankFiller(V, V, h, False).parameters())
    assert real == uni


def test_output_shapes():
    set_seed(0)
    X = np.random.RandomState(0).randint(0, 10, (4, 7))
    tagger = tasks.TokenTagger(10, 3, 6, True)
    assert tagger(X).shape == (4, 7, 3)
    assert tagger.features(torch.tensor(X)).shape == (4, 7, 12)
    assert tagger.embedding(torch.tensor(X)).shape == (4, 7, 32)
    assert tasks.BlankFiller(10, 10, 6, False)(X).shape == (4, 7, 10)
    classifier = tasks.SequenceClassifier(10, 2, 6, True)
    assert classifier(X).shape == (4, 2)
    assert classifier.final_states(X).shape == (4, 12)
    encoded = tasks.encode_passages(classifier, X, batch_size=3)
    assert isinstance(encoded, np.ndarray) and encoded.shape == (4, 12)
    np.testing.assert_allclose(encoded, classifier.final_states(X).detach().numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="num_hiddens must be a positive int"):
        tasks.TokenTagger(10, 2, 0, True)
    with pytest.raises(ValueError, match="dropout must be a probability"):
        tasks.TokenTagger(10, 2, 3, True, dropout=1.0)
    assert "bidirectional LSTM, 6 hidden units" in repr(classifier)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_only_the_bidirectional_models_see_the_future(bidirectional):
    set_seed(0)
    X = np.random.RandomState(1).randint(0, 10, (3, 9))
    changed = X.copy()
    changed[:, 5:] = (changed[:, 5:] + 1) % 10          # change everything from step 5 on
    tagger = tasks.TokenTagger(10, 2, 8, bidirectional)
    with torch.no_grad():
        a, b = tagger(X).numpy(), tagger(changed).numpy()
    assert np.allclose(a[:, :5], b[:, :5]) == (not bidirectional)
    assert not np.allclose(a[:, 5:], b[:, 5:])          # the changed steps themselves


@pytest.mark.parametrize("bidirectional", [False, True])
def test_blank_filler_never_reads_the_blank(bidirectional):
    """Output t of a BlankFiller depends on x_{t-1} (and, bidirectional, x_{t+1}), never x_t."""
    set_seed(0)
    filler = tasks.BlankFiller(10, 10, 8, bidirectional)
    X = np.random.RandomState(3).randint(0, 10, (2, 7))
    changed = X.copy()
    changed[:, 3] = (changed[:, 3] + 1) % 10            # change x_3 only
    with torch.no_grad():
        a, b = filler(X).numpy(), filler(changed).numpy()
    np.testing.assert_allclose(a[:, 3], b[:, 3], rtol=1e-6)     # its own output: unchanged
    assert not np.allclose(a[:, 4], b[:, 4])                     # the next one reads it
    assert np.allclose(a[:, 2], b[:, 2]) == (not bidirectional)  # the one before: only bi


def test_training_a_future_task_bi_learns_it_uni_cannot():
    """Label at step t = the token at t + 1: only a model that sees the future can know it."""
    rng = np.random.RandomState(0)
    X, X_test = rng.randint(0, 4, (256, 8)), rng.randint(0, 4, (128, 8))
    Y = np.concatenate([X[:, 1:], np.zeros((256, 1), dtype=X.dtype)], axis=1)
    scores = {}
    for bidirectional in (False, True):
        set_seed(0)
        net = tasks.TokenTagger(4, 4, 16, bidirectional, embed_size=8)
        losses = tasks.fit(net, X, Y, num_epochs=60, batch_size=64, lr=0.02)
        assert len(losses) == 60 and losses[-1] < losses[0]
        predicted = tasks.predict_labels(net, X_test)[:, :7]   # the last step has no future
        scores[bidirectional] = (predicted == X_test[:, 1:]).mean()
    assert scores[True] > 0.95
    assert scores[False] < 0.4                           # chance is 0.25
    with pytest.raises(ValueError, match="X has 3 rows but Y has 2"):
        tasks.fit(net, X[:3], Y[:2], 1)
    with pytest.raises(ValueError, match="num_epochs must be a positive int"):
        tasks.fit(net, X, Y, 0)


def test_fit_is_seeded_and_starts_from_xavier_weights():
    X = np.random.RandomState(0).randint(0, 5, (40, 6))
    runs = []
    for _ in range(2):
        set_seed(0)
        net = tasks.TokenTagger(5, 5, 4, True, embed_size=3)
        runs.append((tasks.fit(net, X, X, 2, batch_size=16, seed=3), net))
    assert runs[0][0] == runs[1][0], "same seeds: the same losses"
    set_seed(0)
    other = tasks.fit(tasks.TokenTagger(5, 5, 4, True, embed_size=3), X, X, 2, batch_size=16, seed=4)
    assert other != runs[0][0], "another shuffling seed: other batches"
    net = tasks.TokenTagger(5, 5, 4, True, embed_size=3)
    tasks.xavier_init(net)
    assert all(float(p.detach().abs().max()) == 0 for n, p in net.named_parameters() if "bias" in n)
    w = net.lstm.weight_ih_l0.detach()                   # (4h, e): Xavier bound sqrt(6 / (e + 4h))
    assert float(w.abs().max()) <= (6 / (3 + 16)) ** 0.5 and float(w.std()) > 0.1
    assert not runs[0][1].training, "fit leaves the model in eval mode"


def test_predict_and_cosine():
    assert tasks.cosine_similarity([1, 0], [2, 0]) == pytest.approx(1.0)
    assert tasks.cosine_similarity(torch.tensor([1.0, 0]), np.array([0, 3.0])) == pytest.approx(0.0)
    assert tasks.cosine_similarity(torch.ones(3, requires_grad=True), [1, 1, 1]) == pytest.approx(1.0)
    set_seed(0)
    net = tasks.SequenceClassifier(5, 3, 4, False)
    pred = tasks.predict_labels(net, np.zeros((7, 4), dtype=int), batch_size=3)
    assert pred.shape == (7,) and pred.dtype == np.int64 and ((pred >= 0) & (pred < 3)).all()
    assert tasks.label_accuracy(net, np.zeros((7, 4), dtype=int), pred) == 1.0


def test_final_states_are_the_ends_of_the_two_directions():
    set_seed(0)
    net = tasks.TokenTagger(10, 2, 5, True)
    X = np.random.RandomState(2).randint(0, 10, (3, 6))
    with torch.no_grad():
        outputs = net.features(X).numpy()               # (N, T, 2h)
        final = net.final_states(X).numpy()             # (N, 2h)
    np.testing.assert_allclose(final[:, :5], outputs[:, -1, :5], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(final[:, 5:], outputs[:, 0, 5:], rtol=1e-5, atol=1e-6)


def test_position_probe_reads_back_a_perfect_encoding():
    """A one-hot encoding of every position holds everything: the probe learns to read it."""
    rng = np.random.RandomState(0)
    P = rng.randint(0, 3, (400, 4))
    Z = np.eye(3)[P].reshape(400, 12).astype("float32")   # (N, 4 positions * 3 symbols)
    set_seed(0)
    probe = tasks.PositionProbe(4, 3)                      # its input size comes from Z
    tasks.fit(probe, Z, P, num_epochs=30, batch_size=50, lr=0.05)
    assert probe(Z[:2]).shape == (2, 4, 3)
    assert tasks.label_accuracy(probe, Z, P) > 0.99
    assert tasks.PositionProbe(4, 3, in_features=12)(Z[:2]).shape == (2, 4, 3)
    with pytest.raises(ValueError, match="num_positions must be a positive int"):
        tasks.PositionProbe(0, 3)


def test_closest_hidden_size_finds_the_nearest_count():
    bi = tasks.model_parameter_count(29, 29, 64, True)
    h = tasks.closest_hidden_size(lambda g: tasks.model_parameter_count(29, 29, g, False), bi)
    assert h == tasks.matching_hidden_size(64, 29, 29)
    assert tasks.closest_hidden_size(lambda h: 10 * h, 25) == 2, "a tie goes to the smaller size"
    assert tasks.closest_hidden_size(lambda h: 10 * h, 3) == 1
    with pytest.raises(ValueError, match="raise limit"):
        tasks.closest_hidden_size(lambda h: h, 100, limit=10)


def test_the_sizes_are_the_mxnet_editions():
    """Both editions count the same parameters, so both notebooks compare the same sizes."""
    pytest.importorskip("mxnet")
    from d2l_birnn import tasks as gluon_tasks

    for V, out, h, e in ((29, 29, 128, 32), (27, 2, 64, 32), (10, 3, 7, 5)):
        for bi in (False, True):
            assert tasks.model_parameter_count(V, out, h, bi, e) == gluon_tasks.model_parameter_count(
                V, out, h, bi, e)
        assert tasks.matching_hidden_size(h, V, out, e) == gluon_tasks.matching_hidden_size(h, V, out, e)
