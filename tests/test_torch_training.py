"""d2l_birnn.torch: data, RNNModel, d2l 0.17.6's train_ch8 semantics, the fast loop, checkpoints."""

import json
import random

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from d2l_birnn import torch as d2l  # noqa: E402
from d2l_birnn.torch import training  # noqa: E402

DEVICE = torch.device("cpu")


@pytest.fixture(scope="module")
def small_data():
    corpus, vocab = d2l.load_corpus_time_machine()
    return corpus[:1500], vocab


def make_net(vocab, hidden=16, bidirectional=False, cell=nn.GRU, seed=0):
    torch.manual_seed(seed)
    return d2l.RNNModel(cell(len(vocab), hidden, 1, bidirectional=bidirectional), len(vocab))


def train(small_data, epochs, seed=0, **kwargs):
    corpus, vocab = small_data
    net = kwargs.pop("net", None) or make_net(vocab, seed=seed)
    d2l.set_seed(seed)
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    history = d2l.train_ch8(net, loader, vocab, kwargs.pop("lr", 1.0), epochs, DEVICE,
                            plot=False, verbose=False, **kwargs)
    return net, history


def test_batches_hold_the_same_ids_as_the_mxnet_edition(small_data):
    pytest.importorskip("mxnet")
    import d2l_birnn as d2l_mx

    corpus, vocab = small_data
    for use_random_iter in (False, True):
        random.seed(3)
        ours = [(X.tolist(), Y.tolist()) for X, Y in
                d2l.SeqDataLoader(4, 7, use_random_iter, corpus=corpus, vocab=vocab)]
        random.seed(3)
        theirs = [(X.astype("int64").tolist(), Y.astype("int64").tolist()) for X, Y in
                  d2l_mx.SeqDataLoader(4, 7, use_random_iter, corpus=corpus, vocab=vocab)]
        assert ours == theirs and len(ours) > 10


def test_batches_are_int64_tensors():
    it, vocab = d2l.load_data_time_machine(4, 7, max_tokens=500)
    X, Y = next(iter(it))
    assert X.dtype == torch.int64 and X.shape == (4, 7) and torch.equal(X[:, 1:], Y[:, :-1])


@pytest.mark.parametrize("cell,bidirectional", [(nn.LSTM, True), (nn.GRU, False)])
def test_rnnmodel_shapes(small_data, cell, bidirectional):
    _, vocab = small_data
    net = d2l.RNNModel(cell(28, 8, 2, bidirectional=bidirectional), len(vocab))
    state = net.begin_state(DEVICE, batch_size=3)
    Y, new_state = net(torch.zeros((3, 5), dtype=torch.int64), state)
    dirs = 2 if bidirectional else 1
    assert Y.shape == (5 * 3, 28) and net.linear.weight.shape == (28, dirs * 8)
    states = new_state if isinstance(new_state, tuple) else (new_state,)
    assert [tuple(s.shape) for s in states] == [(2 * dirs, 3, 8)] * len(states)


def test_fused_clipping_equals_d2ls_and_has_no_epsilon(small_data):
    _, vocab = small_data
    for scale in (1e-3, 1.0, 50.0):  # below, near and above theta = 1
        net = make_net(vocab)
        for p in net.parameters():
            p.grad = torch.randn_like(p) * scale
        grads = [p.grad.clone() for p in net.parameters()]
        training.grad_clipping(net, 1)
        d2ls = [p.grad.clone() for p in net.parameters()]
        training.clip_gradients(grads, 1)
        assert all(torch.allclose(a, b, rtol=1e-6, atol=0) for a, b in zip(d2ls, grads))
    norm = float(torch.linalg.vector_norm(torch.stack([g.norm() for g in grads])))
    assert norm == pytest.approx(1.0, abs=1e-6)  # clip_grad_norm_ would leave 1 - 1e-6 * ...
    unchanged = [torch.full((3,), 0.1)]
    training.clip_gradients(unchanged, 1)
    assert torch.equal(unchanged[0], torch.full((3,), 0.1))  # below theta: exactly as it was


def test_train_ch8_keeps_pytorchs_default_initialisation(small_data):
    _, vocab = small_data
    net = make_net(vocab, seed=4)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    train(small_data, 1, net=net, lr=1e-12)
    after = net.state_dict()
    assert all(torch.allclose(before[k], after[k], atol=1e-9) for k in before)
    bound = 1 / 16 ** 0.5  # PyTorch's uniform(-1/sqrt(h), 1/sqrt(h)), not Normal(0.01)
    w = before["rnn.weight_hh_l0"]
    assert w.abs().max() <= bound and w.std() > 0.1


def test_training_lowers_perplexity_and_prints_d2ls_lines(small_data, capsys):
    corpus, vocab = small_data
    net = make_net(vocab, hidden=32)
    d2l.set_seed(0)
    loader = d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
    history = d2l.train_ch8(net, loader, vocab, 1, 8, DEVICE, plot=False)
    assert history[-1] < history[0] < 30 and len(history.epoch_seconds) == 8
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("perplexity ") and "tokens/sec on cpu (last epoch)" in lines[0]
    assert lines[1].startswith("time traveller") and len(lines[1]) == 64
    assert net.training_history is history and history.tokens_per_sec > 0


def test_fast_and_eager_loops_compute_the_same(small_data):
    _, fast = train(small_data, 3, seed=2, fast=True)
    _, eager = train(small_data, 3, seed=2, fast=False)
    assert list(fast) == pytest.approx(list(eager), rel=1e-5)
    assert (fast.mode, eager.mode) == ("fast", "eager")


def test_the_live_plot_draws_every_epoch_of_a_short_run(small_data):
    import matplotlib

    matplotlib.use("Agg")
    from d2l_birnn.torch.progress import PerplexityPlot

    plot = PerplexityPlot(3, history=[9.0, 8.0])
    plot.add(3, 7.0)
    assert plot.X == [1, 2, 3] and plot.Y == [9.0, 8.0, 7.0]


def test_interrupted_then_resumed_run_equals_uninterrupted(small_data, tmp_path):
    """Dropout draws from PyTorch's generator: the resumed run must restore it too."""
    _, vocab = small_data

    def net():
        torch.manual_seed(0)
        return d2l.RNNModel(nn.GRU(len(vocab), 16, 2, dropout=0.3), len(vocab))

    _, straight = train(small_data, 6, seed=5, net=net())

    def interrupt_after_3(epoch, ppl):
        if epoch == 3:
            raise KeyboardInterrupt

    ckpt = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        train(small_data, 6, seed=5, net=net(), checkpoint=ckpt, checkpoint_every=100,
              callback=interrupt_after_3)
    assert json.loads((ckpt / "meta.json").read_text())["framework"] == "pytorch"
    _, resumed = train(small_data, 6, seed=999, net=net(), checkpoint=ckpt)
    assert list(resumed) == list(straight)  # exactly


def test_checkpoint_of_another_model_or_vocab_is_refused(small_data, tmp_path):
    ckpt = tmp_path / "run"
    train(small_data, 1, checkpoint=ckpt)
    before = (ckpt / "model.pt").read_bytes()
    _, vocab = small_data
    with pytest.raises(ValueError, match="made by a different run.*overwrite=True"):
        train(small_data, 2, checkpoint=ckpt, net=make_net(vocab, hidden=32))
    other = d2l.Vocab(list("abc"))
    loader = d2l.SeqDataLoader(8, 10, corpus=[1, 2, 3] * 200, vocab=other)
    with pytest.raises(ValueError, match="vocabulary"):
        d2l.train_ch8(d2l.RNNModel(nn.GRU(len(other), 16), len(other)), loader, other, 1, 2, DEVICE,
                      plot=False, checkpoint=ckpt)
    assert (ckpt / "model.pt").read_bytes() == before


def test_existing_checkpoint_is_replaced_only_when_asked(small_data, tmp_path):
    ckpt = tmp_path / "run"
    _, first = train(small_data, 2, checkpoint=ckpt)
    _, again = train(small_data, 2, checkpoint=ckpt)
    assert list(again) == list(first)
    _, fresh = train(small_data, 1, checkpoint=ckpt, overwrite=True, seed=7)
    assert len(fresh) == 1 and json.loads((ckpt / "meta.json").read_text())["epoch"] == 1


def test_damaged_checkpoint_is_reported_and_left_alone(small_data, tmp_path):
    ckpt = tmp_path / "run"
    train(small_data, 1, checkpoint=ckpt)
    (ckpt / "meta.json").write_text('{"model": ')
    with pytest.raises(d2l.checkpoints.DamagedCheckpointError, match="not valid JSON"):
        train(small_data, 2, checkpoint=ckpt)
    assert (ckpt / "meta.json").read_text() == '{"model": '


def test_evaluation_scores_the_same_positions_both_ways(small_data):
    corpus, vocab = small_data
    net, _ = train(small_data, 2)
    with_future = d2l.evaluation.next_token_accuracy(net, corpus, DEVICE, 10, True, num_windows=20)
    past_only = d2l.evaluation.next_token_accuracy(net, corpus, DEVICE, 10, False, num_windows=20)
    assert with_future["tokens"] == past_only["tokens"] == 200
    assert 0 <= with_future["accuracy"] <= 1 and with_future["perplexity"] > 1
    assert d2l.evaluation.text_perplexity(net, "the time traveller", vocab, DEVICE) > 1
    with pytest.raises(ValueError, match="lower num_windows"):
        d2l.evaluation.next_token_accuracy(net, corpus, DEVICE, 10, True, num_windows=1000)


def test_cost_times_a_step_and_shares_the_core_counts():
    assert d2l.cost.time_forward_backward("gru", 5, 8, True, batch_size=2, repeats=2) > 0
    assert d2l.cost.chain_lengths(4, bidirectional=True)["dependent_pairs"] == 16
    with pytest.raises(ValueError, match="unknown cell"):
        d2l.cost.make_recurrent_layer("tcn")


def test_describe_run_names_pytorch():
    line = d2l.describe_run()
    assert f"PyTorch {torch.__version__} on cpu" in line and "mode" in line
    from d2l_birnn.runtime import cpu_model

    assert f", {cpu_model()}, " in line
