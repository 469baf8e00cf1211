"""d2l_birnn.training: the notes' train_ch8 / predict_ch8, clipping, checkpoints, NaN guard."""

import math

import pytest
from mxnet import autograd, init, np, npx
from mxnet.gluon import rnn

import d2l_birnn as d2l
from d2l_birnn import training

npx.set_np()
DEVICE = d2l.try_gpu()


@pytest.fixture(scope="module")
def small_data():
    corpus, vocab = d2l.load_corpus_time_machine()
    return corpus[:1500], vocab


def make_net(vocab, hidden=16, bidirectional=False, cell=rnn.GRU):
    return d2l.RNNModel(cell(hidden, 1, bidirectional=bidirectional), len(vocab))


def train(small_data, epochs, seed=0, **kwargs):
    corpus, vocab = small_data
    d2l.set_seed(seed)
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    net = kwargs.pop("net", None) or make_net(vocab)
    history = d2l.train_ch8(net, loader, vocab, kwargs.pop("lr", 1.0), epochs, DEVICE,
                            plot=False, verbose=False, **kwargs)
    return net, history


# ---------------------------------------------------------------------------
# Model and clipping
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("bidirectional", [False, True])
def test_rnnmodel_shapes(small_data, bidirectional):
    _, vocab = small_data
    net = d2l.RNNModel(rnn.LSTM(8, 2, bidirectional=bidirectional), len(vocab))
    net.initialize()
    X = np.zeros((3, 5))
    state = net.begin_state(batch_size=3)
    Y, new_state = net(X, state)
    assert Y.shape == (5 * 3, 28)
    dirs = 2 if bidirectional else 1
    assert [s.shape for s in new_state] == [(2 * dirs, 3, 8)] * 2
    assert net.dense.weight.shape == (28, dirs * 8)  # the output layer reads 2h when bidirectional


def test_rnnmodel_hybridized_equals_eager(small_data):
    _, vocab = small_data
    net = d2l.RNNModel(rnn.LSTM(8, 2, bidirectional=True), len(vocab))
    net.initialize(init=init.Normal(0.1))
    X = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    eager, _ = net(X, net.begin_state(batch_size=2))
    net.hybridize(static_alloc=True, static_shape=True)
    hybrid, _ = net(X, net.begin_state(batch_size=2))
    assert float(np.abs(eager - hybrid).max()) < 1e-6


def _net_with_grads(vocab, scale):
    net = make_net(vocab, hidden=4)
    net.initialize(init=init.Normal(0.5))
    X = np.array([[1, 2, 3]])
    with autograd.record():
        y, _ = net(X, net.begin_state(batch_size=1))
        loss = (y * scale).sum()
    loss.backward()
    return net


def _grad_norm(net):
    return math.sqrt(sum(float((p.grad() ** 2).sum()) for p in net.collect_params().values()))


@pytest.mark.parametrize("scale", [100.0, 1e-4])
def test_clipping_math(small_data, scale):
    _, vocab = small_data
    net = _net_with_grads(vocab, scale)
    before = _grad_norm(net)
    grads_before = [p.grad().copy() for p in net.collect_params().values()]
    d2l.grad_clipping(net, 1)
    ratio = 1 / before if before > 1 else 1.0
    assert _grad_norm(net) == pytest.approx(min(before, 1.0), rel=1e-4)
    for g0, p in zip(grads_before, net.collect_params().values()):
        assert float(np.abs(g0 * ratio - p.grad()).max()) <= 1e-6 * max(1.0, float(np.abs(g0).max()))


def test_device_clipping_equals_d2l_clipping(small_data):
    _, vocab = small_data
    net = make_net(vocab, hidden=4)
    net.initialize(init=init.Normal(0.5))
    X = np.array([[1, 2, 3]])
    with autograd.record():
        y, _ = net(X, net.begin_state(batch_size=1))
        loss = (y * 50).sum()
    loss.backward()
    grads = [p.grad().copy() for p in net.collect_params().values()]
    norm = math.sqrt(sum(float((g ** 2).sum()) for g in grads))
    assert norm > 1
    d2l.clip_gradients(grads, 1)
    d2l.grad_clipping(net, 1)
    for g, p in zip(grads, net.collect_params().values()):
        assert float(np.abs(g - p.grad()).max()) < 1e-6
    assert math.sqrt(sum(float((g ** 2).sum()) for g in grads)) == pytest.approx(1.0, rel=1e-5)


# ---------------------------------------------------------------------------
# Training and prediction
# ---------------------------------------------------------------------------
def test_uniform_model_has_perplexity_equal_to_vocab_size(small_data):
    corpus, vocab = small_data
    net = make_net(vocab)
    net.initialize()
    net(np.zeros((1, 2)), net.begin_state(batch_size=1))
    net.dense.weight.set_data(np.zeros(net.dense.weight.shape))
    net.dense.bias.set_data(np.zeros(net.dense.bias.shape))
    from d2l_birnn.evaluation import next_token_accuracy

    result = next_token_accuracy(net, corpus, DEVICE, num_steps=10, num_windows=20)
    assert result["perplexity"] == pytest.approx(len(vocab), rel=1e-5)


def test_short_training_lowers_perplexity_and_predicts(small_data):
    _, vocab = small_data
    net, history = train(small_data, 8)
    assert isinstance(history, d2l.TrainingHistory) and len(history) == 8
    assert history[-1] < 0.8 * history[0]
    assert history[0] < 29  # starts near uniform (28)
    assert net.training_history is history
    assert set(history.predictions) == {"time traveller", "traveller"}
    text = d2l.predict_ch8("time", 20, net, vocab, DEVICE)
    assert len(text) == 24 and text.startswith("time")
    assert d2l.predict_ch8("t", 0, net, vocab, DEVICE) == "t"
    assert "epochs, perplexity" in repr(history) or "个迭代周期，困惑度" in repr(history)


def test_fast_and_eager_loops_compute_the_same(small_data):
    _, fast = train(small_data, 3, fast=True)
    _, eager = train(small_data, 3, fast=False)
    assert fast.mode == "fast" and eager.mode == "eager"
    assert list(fast) == pytest.approx(list(eager), rel=1e-4)


def test_train_ch8_prints_like_d2l(small_data, capsys, monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    corpus, vocab = small_data
    d2l.set_seed(0)
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    d2l.train_ch8(make_net(vocab), loader, vocab, 1, 1, DEVICE, plot=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("perplexity ") and "tokens/sec on cpu(0) (last epoch)" in lines[0]
    assert lines[1].startswith("time traveller") and len(lines[1]) == 64
    assert lines[2].startswith("traveller") and len(lines[2]) == 59


@pytest.mark.parametrize("prefix,match", [
    ("Time", r"characters \['T'\] that are not in the vocabulary"),
    ("time!", r"characters \['!'\]"),
    ("", "non-empty string"),
])
def test_bad_prefix_is_refused(small_data, prefix, match):
    _, vocab = small_data
    net = make_net(vocab)
    net.initialize()
    with pytest.raises(ValueError, match=match):
        d2l.predict_ch8(prefix, 5, net, vocab, DEVICE)


@pytest.mark.parametrize("kwargs,match", [
    ({"lr": 0}, "lr must be a positive number"),
    ({"lr": float("nan")}, "lr must be a positive number"),
    ({"num_epochs": 0}, "num_epochs must be a positive int"),
])
def test_bad_training_arguments(small_data, kwargs, match):
    corpus, vocab = small_data
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    args = {"lr": 1.0, "num_epochs": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        d2l.train_ch8(make_net(vocab), loader, vocab, args["lr"], args["num_epochs"], DEVICE,
                      plot=False)


def test_model_and_vocab_size_must_agree(small_data):
    corpus, vocab = small_data
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    net = d2l.RNNModel(rnn.GRU(4), 30)
    with pytest.raises(ValueError, match="predicts 30 tokens but the vocab has 28"):
        d2l.train_ch8(net, loader, vocab, 1, 1, DEVICE, plot=False)


def test_non_finite_loss_stops_training_and_keeps_the_checkpoint(small_data, tmp_path):
    ckpt = tmp_path / "ckpt"
    net, history = train(small_data, 2, checkpoint=ckpt, checkpoint_every=1)
    saved = (ckpt / "model.params").read_bytes()
    corpus, vocab = small_data
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    with pytest.raises(d2l.NonFiniteLossError) as err:
        d2l.train_ch8(net, loader, vocab, 1e38, 6, DEVICE, plot=False, verbose=False,
                      checkpoint=ckpt, checkpoint_every=1)
    msg = str(err.value)
    assert "training stopped in epoch 3" in msg and "try lr=1e+37" in msg
    assert "(epoch 2), is intact" in msg
    assert (ckpt / "model.params").read_bytes() == saved


# ---------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------
def test_interrupted_then_resumed_run_equals_uninterrupted(small_data, tmp_path):
    _, straight = train(small_data, 6, seed=5)

    def interrupt_after_3(epoch, ppl):
        if epoch == 3:
            raise KeyboardInterrupt

    ckpt = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        train(small_data, 6, seed=5, checkpoint=ckpt, checkpoint_every=100,
              callback=interrupt_after_3)
    # A fresh process would start from other random numbers: scramble them.
    _, resumed = train(small_data, 6, seed=999, checkpoint=ckpt)
    assert len(resumed) == 6
    assert resumed[:3] == pytest.approx(straight[:3], rel=1e-6)
    assert resumed[3:] == pytest.approx(straight[3:], rel=1e-5)


def test_checkpoint_of_another_model_or_vocab_is_refused(small_data, tmp_path):
    ckpt = tmp_path / "run"
    train(small_data, 1, checkpoint=ckpt)
    before = (ckpt / "model.params").read_bytes()
    _, vocab = small_data
    with pytest.raises(ValueError, match="made by a different run.*overwrite=True"):
        train(small_data, 2, checkpoint=ckpt, net=make_net(vocab, hidden=32))
    corpus, vocab = small_data
    other_vocab = d2l.Vocab(list("abc"))
    loader = d2l.SeqDataLoader(8, 10, corpus=[1, 2, 3] * 200, vocab=other_vocab)
    with pytest.raises(ValueError, match="vocabulary"):
        d2l.train_ch8(d2l.RNNModel(rnn.GRU(16), len(other_vocab)), loader, other_vocab, 1, 2,
                      DEVICE, plot=False, checkpoint=ckpt)
    assert (ckpt / "model.params").read_bytes() == before


def test_existing_checkpoint_is_replaced_only_when_asked(small_data, tmp_path):
    ckpt = tmp_path / "run"
    _, first = train(small_data, 2, checkpoint=ckpt)
    _, again = train(small_data, 2, checkpoint=ckpt)  # same path: resumes, nothing to do
    assert list(again) == list(first)
    _, fresh = train(small_data, 1, checkpoint=ckpt, overwrite=True, seed=7)
    assert len(fresh) == 1
    import json

    assert json.loads((ckpt / "meta.json").read_text())["epoch"] == 1


def test_checkpoint_path_that_is_not_a_checkpoint(small_data, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not a checkpoint"):
        train(small_data, 1, checkpoint=tmp_path / "notes")
    with pytest.raises(ValueError, match="not a checkpoint"):
        train(small_data, 1, checkpoint=tmp_path / "notes", overwrite=True)
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


def test_non_finite_error_is_a_runtime_error():
    assert issubclass(training.NonFiniteLossError, RuntimeError)


def test_the_two_speeds_say_which_they_are(monkeypatch):
    """train_ch8's line gives the last epoch's speed, the history's repr the mean over its epochs."""
    history = d2l.TrainingHistory([3.0, 2.0, 1.5], epoch_seconds=[1.0, 2.0, 1.0], tokens_per_epoch=1000,
                                  device="cpu(0)")
    assert history.tokens_per_sec == pytest.approx(3000 / 4)       # total tokens / total time
    assert history.seconds_per_epoch == pytest.approx(4 / 3)
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    assert repr(history) == ("TrainingHistory(3 epochs, perplexity 3.0 -> 1.50, 750 tokens/sec "
                             "(mean of 3 epochs) on cpu(0), fast loop)")
    assert repr(d2l.TrainingHistory()) == "TrainingHistory(no epochs)"
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert "750 词元/秒（3 个迭代周期的平均值）" in repr(history)
