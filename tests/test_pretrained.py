"""d2l_birnn.pretrained: saving, loading with SHA-256 checks, and the shipped models.

The shipped models (d2l_birnn/mxnet/pretrained/) come from the full run of notebook 04
that produced its committed outputs (`make pretrained`). While they do not exist,
the tests of the shipped files skip and say so; the round trip runs on a tiny
model in a temporary folder.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mxnet import npx
from mxnet.gluon import rnn

import d2l_birnn as d2l
from d2l_birnn import pretrained

npx.set_np()
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_04 = ROOT / "notebooks" / "04_bilstm_gluon.ipynb"
TEXT = ("the time traveller for so it will be convenient to speak of him was expounding a recondite "
        "matter to us his grey eyes shone and twinkled and his usually pale face was flushed")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny BiLSTM trained 2 epochs on one sentence, saved in a temporary folder."""
    vocab = d2l.Vocab(list(TEXT))
    corpus = vocab[list(TEXT)]
    loader = d2l.SeqDataLoader(2, 5, corpus=corpus, vocab=vocab)
    d2l.set_seed(0)
    net = d2l.RNNModel(rnn.LSTM(8, 1, bidirectional=True), len(vocab))
    d2l.train_ch8(net, loader, vocab, 1, 2, d2l.try_gpu(), plot=False, verbose=False)
    folder = tmp_path_factory.mktemp("pretrained")
    entry = pretrained.save_pretrained("tiny", net, vocab, corpus=corpus, folder=folder,
                                       device=d2l.try_gpu(), record={"lr": 1})
    return {"net": net, "vocab": vocab, "corpus": corpus, "folder": folder, "entry": entry}


def test_round_trip_gives_the_same_model(tiny):
    folder, entry = tiny["folder"], tiny["entry"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tiny"] == entry
    assert entry["architecture"] == {"cell": "LSTM", "num_hiddens": 8, "num_layers": 1,
                                     "bidirectional": True, "vocab_size": len(tiny["vocab"])}
    assert entry["bytes"] == (folder / "tiny.params").stat().st_size
    assert entry["sha256"] == pretrained.sha256_of(folder / "tiny.params")
    assert len(entry["history"]["perplexities"]) == 2 and entry["record"] == {"lr": 1}
    net, vocab = d2l.load_pretrained("tiny", d2l.try_gpu(), folder=folder)
    assert vocab.idx_to_token == tiny["vocab"].idx_to_token
    assert list(net.training_history) == list(tiny["net"].training_history)
    for (name, p), (_, q) in zip(sorted(net.collect_params().items()),
                                 sorted(tiny["net"].collect_params().items())):
        assert (p.data() == q.data()).all(), name
    again = pretrained.measure(net, vocab, tiny["corpus"], d2l.try_gpu())
    assert again["predictions"] == entry["measured"]["predictions"]
    assert abs(again["perplexity"] - entry["measured"]["perplexity"]) < 1e-4


def test_saving_again_replaces_the_entry_and_keeps_the_others(tiny, tmp_path):
    folder = tmp_path / "p"
    for name in ("a", "b"):
        pretrained.save_pretrained(name, tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    entry = pretrained.save_pretrained("a", tiny["net"], tiny["vocab"], corpus=tiny["corpus"],
                                       folder=folder, record={"again": True})
    manifest = pretrained.read_manifest(folder)
    assert sorted(manifest) == ["a", "b"] and manifest["a"]["record"] == {"again": True}
    assert manifest["a"]["sha256"] == entry["sha256"]
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name], "no temporary files left"


def test_a_changed_file_is_refused_with_the_fix(tiny, tmp_path):
    folder = tmp_path / "p"
    pretrained.save_pretrained("tiny", tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    params = folder / "tiny.params"
    data = bytearray(params.read_bytes())
    data[-1] ^= 0xFF
    params.write_bytes(bytes(data))
    with pytest.raises(pretrained.PretrainedModelError) as e:
        d2l.load_pretrained("tiny", folder=folder)
    message = str(e.value)
    assert "SHA-256" in message and str(params) in message
    assert "make pretrained" in message and "clone" in message


def test_a_missing_file_or_manifest_is_refused_with_the_fix(tiny, tmp_path):
    folder = tmp_path / "p"
    pretrained.save_pretrained("tiny", tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    (folder / "tiny.params").unlink()
    with pytest.raises(pretrained.PretrainedModelError, match=r"are missing.*make pretrained"):
        d2l.load_pretrained("tiny", folder=folder)
    with pytest.raises(pretrained.PretrainedModelError, match=r"no pretrained model called 'other'"):
        d2l.load_pretrained("other", folder=folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(pretrained.PretrainedModelError, match=r"manifest.json is missing.*make pretrained"):
        d2l.load_pretrained("tiny", folder=folder)


def test_the_switches(monkeypatch):
    monkeypatch.delenv(pretrained.USE_ENV, raising=False)
    assert d2l.use_pretrained() is False
    monkeypatch.setenv(pretrained.USE_ENV, "1")
    assert d2l.use_pretrained() is True
    monkeypatch.setenv(pretrained.USE_ENV, "maybe")
    with pytest.raises(ValueError, match="D2L_BIRNN_PRETRAINED='maybe'"):
        d2l.use_pretrained()


def test_save_or_compare_follows_the_mode(tiny, tmp_path, monkeypatch, capsys):
    kwargs = {"corpus": tiny["corpus"], "device": d2l.try_gpu(), "folder": tmp_path / "p"}
    net, vocab = tiny["net"], tiny["vocab"]
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    monkeypatch.setenv("D2L_BIRNN_QUICK", "1")
    monkeypatch.delenv(pretrained.SAVE_ENV, raising=False)
    assert "quick mode" in d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    monkeypatch.setenv(pretrained.SAVE_ENV, "1")
    with pytest.raises(pretrained.PretrainedModelError, match="full mode"):
        d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    monkeypatch.setenv("D2L_BIRNN_QUICK", "0")
    assert d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs).startswith("saved 'tiny'")
    monkeypatch.delenv(pretrained.SAVE_ENV)
    line = d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    assert re.search(r"difference \+0\.0000\); greedy predictions equal", line), line
    assert line in capsys.readouterr().out
    pretrained.load_pretrained("tiny", folder=tmp_path / "p", verbose=True)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("loaded 'tiny' (SHA-256 verified), saved ")
    assert re.fullmatch(r"perplexity [\d.]+, [\d.]+ tokens/sec on \S+ \(mean of \d+ epochs\)", out[1]), out
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    line = d2l.save_or_compare_pretrained("tiny", net, vocab, **kwargs)
    assert line.startswith("本次运行与随附的 'tiny'") and line.endswith("贪心预测相同"), line
    pretrained.load_pretrained("tiny", folder=tmp_path / "p", verbose=True)
    assert "个迭代周期的平均值）" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# The shipped models
# ---------------------------------------------------------------------------
def shipped_or_skip() -> dict:
    manifest = pretrained.read_manifest(pretrained.PRETRAINED_DIR)
    missing = [n for n in pretrained.MODELS if n not in manifest]
    if missing:
        pytest.skip(f"the shipped models {missing} do not exist yet in {pretrained.PRETRAINED_DIR}: "
                    f"a full run of notebook 04 makes them (make pretrained)")
    return manifest


def test_the_shipped_files_fit_in_20_mib():
    manifest = shipped_or_skip()
    total = sum((pretrained.PRETRAINED_DIR / e["file"]).stat().st_size for e in manifest.values())
    assert total <= pretrained.MAX_TOTAL_BYTES, f"{total / 2**20:.1f} MiB"


@pytest.mark.parametrize("name", sorted(pretrained.MODELS))
def test_a_shipped_model_does_what_was_recorded(name):
    manifest = shipped_or_skip()
    corpus, _ = d2l.load_corpus_time_machine(manifest[name]["corpus"]["tokens"])
    result = pretrained.check_shipped(name, corpus)
    recorded, measured = result["recorded"], result["measured"]
    assert abs(measured["perplexity"] - recorded["perplexity"]) <= 1e-4
    assert measured["predictions"] == recorded["predictions"]


class Tables(HTMLParser):
    """Rows (lists of cell texts) of every table in an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def committed_outputs() -> tuple[list[str], list[list[str]]]:
    """(lines of every stream output, rows of every HTML table) of notebook 04."""
    nb = json.loads(NOTEBOOK_04.read_text(encoding="utf-8"))
    lines, tables = [], Tables()
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                lines += "".join(out["text"]).splitlines()
            elif "text/html" in out.get("data", {}):
                tables.feed("".join(out["data"]["text/html"]))
    return lines, tables.rows


@pytest.mark.parametrize("name", sorted(pretrained.MODELS))
def test_shipped_predictions_are_the_ones_committed_in_notebook_04(name):
    entry = shipped_or_skip()[name]
    lines, rows = committed_outputs()
    predictions = entry["measured"]["predictions"]
    for text in predictions.values():
        assert text in lines, f"notebook 04's outputs do not print {name}'s prediction {text!r}"
    label = entry["record"]["label"]
    labelled = [r for r in rows if label in r]
    assert labelled, f"notebook 04 has no table row for {label!r}"
    final = f"{entry['history']['perplexities'][-1]:.2f}"
    assert any(all(t in r for t in predictions.values()) and final in r for r in labelled), (
        f"no row of notebook 04's tables for {label!r} shows the shipped model's predictions "
        f"{predictions} and final training perplexity {final}: {labelled}")


def test_more_than_the_size_cap_is_refused_and_nothing_is_left(tiny, tmp_path, monkeypatch):
    folder = tmp_path / "p"
    pretrained.save_pretrained("a", tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(pretrained, "MAX_TOTAL_BYTES", int(1.5 * tiny["entry"]["bytes"]))
    with pytest.raises(pretrained.PretrainedModelError, match="more than 20 MiB"):
        pretrained.save_pretrained("b", tiny["net"], tiny["vocab"], corpus=tiny["corpus"], folder=folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "no new or changed file"


def test_loading_on_the_cpu_explicitly(tiny):
    import mxnet as mx

    net, _ = d2l.load_pretrained("tiny", mx.cpu(), folder=tiny["folder"])
    assert all(p.list_ctx() == [mx.cpu()] for p in net.collect_params().values())
