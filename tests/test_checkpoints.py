"""d2l_birnn.checkpoints: a damaged checkpoint is reported clearly and never overwritten."""

import json

import pytest
from mxnet.gluon import rnn

import d2l_birnn as d2l
from d2l_birnn.checkpoints import DamagedCheckpointError, read_meta

DEVICE = d2l.try_gpu()


def _train(loader, vocab, checkpoint, num_epochs=1, **kwargs):
    d2l.set_seed(0)
    net = d2l.RNNModel(rnn.GRU(16), len(vocab))
    return d2l.train_ch8(net, loader, vocab, 1, num_epochs, DEVICE, plot=False, verbose=False,
                         checkpoint=checkpoint, **kwargs)


@pytest.mark.parametrize("overwrite", [False, True])
def test_truncated_meta_gives_a_clear_error_and_is_left_alone(tmp_path, overwrite):
    loader = d2l.SeqDataLoader(4, 10, max_tokens=600)
    ckpt = tmp_path / "ckpt"
    _train(loader, loader.vocab, ckpt)
    meta_file = ckpt / "meta.json"
    damaged = meta_file.read_text()[:200]  # cut short, as by a full disk
    meta_file.write_text(damaged)
    with pytest.raises(DamagedCheckpointError, match=r"is damaged: .*meta\.json is not valid JSON"
                                                     r".*left untouched.*move it aside"):
        _train(loader, loader.vocab, ckpt, num_epochs=2, overwrite=overwrite)
    assert meta_file.read_text() == damaged  # never overwritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt"]


def test_meta_without_its_fields_is_damaged(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"model": "x"}))
    with pytest.raises(DamagedCheckpointError, match="lacks"):
        read_meta(tmp_path)
    assert issubclass(DamagedCheckpointError, ValueError)
