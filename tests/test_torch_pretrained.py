"""d2l_birnn.torch.pretrained: saving, loading with SHA-256 checks, and the shipped PyTorch models.

The shipped models (d2l_birnn/torch/pretrained/) come from the full run of the PyTorch notebook 04
that produced its committed outputs (D2L_BIRNN_SAVE_PRETRAINED=1). The round trip runs on a tiny
model in a temporary folder; the shipped files are measured again and compared with the manifest
and with the notebook's committed outputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from d2l_birnn import pretrained as core  # noqa: E402
from d2l_birnn import torch as d2l  # noqa: E402
from d2l_birnn.torch import pretrained  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_04 = [ROOT / "notebooks" / "pytorch" / "04_bilstm_gluon.ipynb",
                ROOT / "notebooks" / "zh" / "pytorch" / "04_bilstm_gluon.ipynb"]
TEXT = ("the time traveller for so it will be convenient to speak of him was expounding a recondite "
        "matter to us his grey eyes shone and twinkled and his usually pale face was flushed")
CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny BiLSTM trained 2 epochs on one sentence, saved in a temporary folder."""
    vocab = d2l.Vocab(list(TEXT))
    corpus = vocab[list(TEXT)]
    loader = d2l.SeqDataLoader(2, 5, corpus=corpus, vocab=vocab)
    d2l.set_seed(0)
    net = d2l.RNNModel(nn.LSTM(len(vocab), 8, 1, bidirectional=True), len(vocab))
    d2l.train_ch8(net, loader, vocab, 1, 2, CPU, plot=False, verbose=False)
    folder = tmp_path_factory.mktemp("pretrained")
    entry = pretrained.save_pretrained("tiny", net, vocab, corpus=corpus, folder=folder, device=CPU,
                                       record={"lr": 1})
    return {"net": net, "vocab": vocab, "corpus": corpus, "folder": folder, "entry": entry}


def test_round_trip_gives_the_same_model(tiny):
    folder, entry = tiny["folder"], tiny["entry"]
    assert json.loads((folder / "manifest.json").read_text())["tiny"] == entry
    assert entry["architecture"] == {"cell": "LSTM", "num_hiddens": 8, "num_layers": 1,
                                     "bidirectional": True, "vocab_size": len(tiny["vocab"])}
    assert entry["file"] == "tiny.pt" and entry["framework"] == "pytorch"
    assert entry["bytes"] == (folder / "tiny.pt").stat().st_size
    assert entry["sha256"] == core.sha256_of(folder / "tiny.pt")
    assert len(entry["history"]["perplexities"]) == 2 and entry["record"] == {"lr": 1}
    net, vocab = d2l.load_pretrained("tiny", CPU, folder=folder)
    assert vocab.idx_to_token == tiny["vocab"].idx_to_token
    assert list(net.training_history) == list(tiny["net"].training_history)
    mine, theirs = net.state_dict(), tiny["net"].state_dict()
    assert mine.keys() == theirs.keys()
    assert all(torch.equal(mine[k], theirs[k]) for k in mine)
    again = pretrained.measure(net, vocab, tiny["corpus"], CPU)
    assert again["predictions"] == entry["measured"]["predictions"]
    assert abs(again["perplexity"] - entry["measured"]["perplexity"]) < 1e-5


def test_saving_again_replaces_the_entry_and_keeps_the_others(tiny, tmp_path):
    folder = tmp_path / "p"
    for name in ("a", "b"):
        pretrained.save_pretrained(name, tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    pretrained.save_pretrained("a", tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder,
                               record={"again": True})
    manifest = core.read_manifest(folder)
    assert sorted(manifest) == ["a", "b"] and manifest["a"]["record"] == {"again": True}
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name], "no temporary files left"


def test_only_float32_rnn_models_are_saved(tiny, tmp_path):
    with pytest.raises(core.PretrainedModelError, match="only d2l.RNNModel"):
        pretrained.save_pretrained("x", nn.Linear(2, 2), tiny["vocab"], corpus=tiny["corpus"],
                                   folder=tmp_path)
    net = d2l.RNNModel(nn.GRU(len(tiny["vocab"]), 4), len(tiny["vocab"])).double()
    with pytest.raises(core.PretrainedModelError, match="float32"):
        pretrained.save_pretrained("x", net, tiny["vocab"], corpus=tiny["corpus"], folder=tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_changed_or_missing_file_is_refused_with_the_fix(tiny, tmp_path):
    folder = tmp_path / "p"
    pretrained.save_pretrained("tiny", tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    params = folder / "tiny.pt"
    data = bytearray(params.read_bytes())
    data[-30] ^= 0xFF
    params.write_bytes(bytes(data))
    with pytest.raises(core.PretrainedModelError) as e:
        d2l.load_pretrained("tiny", folder=folder)
    message = str(e.value)
    assert "SHA-256" in message and str(params) in message
    assert "notebooks/pytorch/04_bilstm_gluon.ipynb" in message and "clone" in message
    params.unlink()
    with pytest.raises(core.PretrainedModelError, match=r"are missing.*D2L_BIRNN_SAVE_PRETRAINED=1"):
        d2l.load_pretrained("tiny", folder=folder)
    with pytest.raises(core.PretrainedModelError, match=r"no pretrained model called 'other'"):
        d2l.load_pretrained("other", folder=folder)


def test_save_or_compare_follows_the_mode(tiny, tmp_path, monkeypatch, capsys):
    kwargs = {"corpus": tiny["corpus"], "device": CPU, "folder": tmp_path / "p"}
    net, vocab = tiny["net"], tiny["vocab"]
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    monkeypatch.setenv("D2L_BIRNN_QUICK", "1")
    monkeypatch.delenv(core.SAVE_ENV, raising=False)
    monkeypatch.delenv(core.USE_ENV, raising=False)
    assert "quick mode" in d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    monkeypatch.setenv(core.SAVE_ENV, "1")
    with pytest.raises(core.PretrainedModelError, match="full mode"):
        d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    monkeypatch.setenv("D2L_BIRNN_QUICK", "0")
    assert d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs).startswith("saved 'tiny'")
    monkeypatch.delenv(core.SAVE_ENV)
    line = d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    assert re.search(r"difference \+0\.0000\); greedy predictions equal", line), line
    assert line in capsys.readouterr().out
    d2l.load_pretrained("tiny", CPU, folder=tmp_path / "p", verbose=True)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("loaded 'tiny' (SHA-256 verified), saved ") and "PyTorch" in out[0]
    assert re.fullmatch(r"perplexity [\d.]+, [\d.]+ tokens/sec on cpu \(mean of 2 epochs\)", out[1]), out
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    line = d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    assert line.startswith("本次运行与随附的 'tiny'") and line.endswith("贪心预测相同"), line


# ---------------------------------------------------------------------------
# The shipped PyTorch models
# ---------------------------------------------------------------------------
def shipped() -> dict:
    manifest = core.read_manifest(pretrained.PRETRAINED_DIR)
    missing = [n for n in core.MODELS if n not in manifest]
    assert not missing, f"the shipped PyTorch models {missing} are missing from {pretrained.PRETRAINED_DIR}"
    return manifest


def test_the_shipped_files_fit_in_20_mib():
    manifest = shipped()
    total = sum((pretrained.PRETRAINED_DIR / e["file"]).stat().st_size for e in manifest.values())
    assert total <= core.MAX_TOTAL_BYTES, f"{total / 2**20:.1f} MiB"
    assert all(e["framework"] == "pytorch" and e["history"]["mode"] == "fast" for e in manifest.values())
    assert all(len(e["history"]["perplexities"]) == core.MODELS[n]["num_epochs"]
               for n, e in manifest.items())


@pytest.mark.parametrize("name", sorted(core.MODELS))
def test_a_shipped_model_does_what_was_recorded(name):
    manifest = shipped()
    corpus, _ = d2l.load_corpus_time_machine(manifest[name]["corpus"]["tokens"])
    result = pretrained.check_shipped(name, corpus, CPU)
    recorded, measured = result["recorded"], result["measured"]
    assert abs(measured["perplexity"] - recorded["perplexity"]) <= 1e-4
    assert measured["predictions"] == recorded["predictions"]


def stream_lines(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [line for cell in nb["cells"] for out in cell.get("outputs", [])
            if out["output_type"] == "stream" for line in "".join(out["text"]).splitlines()]


@pytest.mark.parametrize("notebook", NOTEBOOKS_04, ids=["en", "zh"])
@pytest.mark.parametrize("name", sorted(core.MODELS))
def test_shipped_predictions_are_the_ones_committed_in_notebook_04(name, notebook):
    entry = shipped()[name]
    if not notebook.exists():
        pytest.skip(f"{notebook} does not exist")
    lines = stream_lines(notebook)
    for text in entry["measured"]["predictions"].values():
        assert text in lines, f"{notebook.name} does not print {name}'s prediction {text!r}"
