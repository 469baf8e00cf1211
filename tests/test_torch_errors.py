"""Bad input gets the same clear errors from both editions: the same tests, run on each.

Each test takes ``backend`` ('mxnet' or 'torch'); an edition whose framework is not
installed is skipped.
"""

import pytest


class Edition:
    """One edition's API for these tests: a small GRU language model and its device."""

    def __init__(self, name):
        self.name = name
        if name == "torch":
            pytest.importorskip("torch")
            from d2l_birnn import torch as d2l

            self.d2l, self.device = d2l, d2l.try_gpu()
        else:
            pytest.importorskip("mxnet")
            from mxnet import npx

            import d2l_birnn as d2l

            npx.set_np()
            self.d2l, self.device = d2l, d2l.try_gpu()

    def net(self, vocab_size, outputs=None):
        if self.name == "torch":
            from torch import nn

            return self.d2l.RNNModel(nn.GRU(vocab_size, 16), outputs or vocab_size)
        from mxnet.gluon import rnn

        return self.d2l.RNNModel(rnn.GRU(16), outputs or vocab_size)

    def missing_gpu(self):
        if self.name == "torch":
            import torch

            return torch.device(f"cuda:{torch.cuda.device_count()}")
        import mxnet as mx

        return mx.gpu(mx.context.num_gpus())

    def train(self, data, epochs=1, net=None, device=None, lr=1.0, **kwargs):
        corpus, vocab = data
        self.d2l.set_seed(0)
        loader = self.d2l.SeqDataLoader(8, 10, corpus=corpus, vocab=vocab)
        return self.d2l.train_ch8(net or self.net(len(vocab)), loader, vocab, lr, epochs,
                                  self.device if device is None else device, plot=False,
                                  verbose=False, **kwargs)


OTHER = {"torch": "mxnet", "mxnet": "torch"}
BOTH = ["mxnet", "torch"]


@pytest.fixture(scope="module")
def data():
    import d2l_birnn

    corpus, vocab = d2l_birnn.load_corpus_time_machine()
    return corpus[:1500], vocab


@pytest.mark.parametrize("backend", BOTH)
def test_a_vocabulary_that_does_not_fit_the_model(backend, data):
    ed = Edition(backend)
    with pytest.raises(ValueError, match="predicts 30 tokens but the vocab has 28; build it with "
                                         r"d2l.RNNModel\(layer, len\(vocab\)\)"):
        ed.train(data, net=ed.net(28, outputs=30))


@pytest.mark.parametrize("backend", BOTH)
def test_a_loss_that_stops_being_finite(backend, data):
    ed = Edition(backend)
    with pytest.raises(ed.d2l.NonFiniteLossError, match=r"training stopped in epoch \d: the loss "
                                                        r"became (nan|inf).*try lr=1e\+37"):
        ed.train(data, epochs=4, lr=1e38)


@pytest.mark.parametrize("backend", BOTH)
def test_a_gpu_this_machine_does_not_have(backend, data):
    ed = Edition(backend)
    with pytest.raises(ValueError, match="is not available.*try_gpu"):
        ed.train(data, device=ed.missing_gpu())


@pytest.mark.parametrize("backend", BOTH)
def test_a_device_of_the_other_framework(backend, data):
    ed, other = Edition(backend), Edition(OTHER[backend])
    with pytest.raises(ValueError, match="try_gpu"):
        ed.train(data, device=other.device)


@pytest.mark.parametrize("backend", BOTH)
def test_a_checkpoint_of_the_other_framework(backend, data, tmp_path):
    ed, other = Edition(backend), Edition(OTHER[backend])
    other.train(data, checkpoint=tmp_path / "ckpt")
    saved = sorted(p.name for p in (tmp_path / "ckpt").iterdir())
    name = {"mxnet": "MXNet", "torch": "PyTorch"}[OTHER[backend]]
    with pytest.raises(ValueError, match=f"saved by the {name} edition"):
        ed.train(data, epochs=2, checkpoint=tmp_path / "ckpt")
    assert sorted(p.name for p in (tmp_path / "ckpt").iterdir()) == saved


@pytest.mark.parametrize("backend", BOTH)
@pytest.mark.parametrize("prefix,match", [("Time", r"characters \['T'\] that are not in the vocabulary"),
                                          ("", "non-empty string")])
def test_a_prefix_outside_the_vocabulary(backend, data, prefix, match):
    ed = Edition(backend)
    net = ed.net(len(data[1]))
    if backend == "mxnet":
        net.initialize()
    with pytest.raises(ValueError, match=match):
        ed.d2l.predict_ch8(prefix, 5, net, data[1], ed.device)


@pytest.mark.parametrize("backend", BOTH)
def test_a_shipped_model_that_is_missing(backend, tmp_path):
    ed = Edition(backend)
    with pytest.raises(ed.d2l.pretrained.PretrainedModelError, match="manifest.json is missing"):
        ed.d2l.load_pretrained("bilstm-notes", folder=tmp_path)


def test_the_torch_edition_names_its_own_notebook_when_a_shipped_model_is_missing(tmp_path):
    d2l = Edition("torch").d2l
    (tmp_path / "manifest.json").write_text('{"bilstm-notes": {"file": "bilstm-notes.pt", "sha256": ""}}')
    with pytest.raises(d2l.PretrainedModelError, match=r"are missing.*notebooks/pytorch/04_bilstm_gluon"):
        d2l.load_pretrained("bilstm-notes", folder=tmp_path)


def test_an_mxnet_parameter_file_given_to_pytorch(tmp_path):
    """A manifest (right SHA-256) pointing at a file MXNet saved: PyTorch names MXNet."""
    d2l = Edition("torch").d2l
    mx_ed = Edition("mxnet")
    from d2l_birnn.pretrained import sha256_of

    net = mx_ed.net(28)
    net.initialize()
    net(mx_ed.d2l.SeqDataLoader(2, 5, max_tokens=100).__iter__().__next__()[0],
        net.begin_state(batch_size=2))
    net.save_parameters(str(tmp_path / "m.params"))
    import json

    (tmp_path / "manifest.json").write_text(json.dumps({"m": {
        "file": "m.params", "sha256": sha256_of(tmp_path / "m.params"), "vocab": [],
        "architecture": {"cell": "GRU", "num_hiddens": 16, "num_layers": 1,
                         "bidirectional": False, "vocab_size": 28}}}))
    with pytest.raises(ValueError, match="was saved by MXNet.*PyTorch cannot read it"):
        d2l.load_pretrained("m", folder=tmp_path)
