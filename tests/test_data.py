"""d2l_birnn.data: download, vocabulary, corpus and iterators (d2l 0.17 semantics)."""

import functools
import http.server
import random
import shutil
import threading
from pathlib import Path

import pytest

import d2l_birnn as d2l
from d2l_birnn import data

SHARED_COPY = Path(__file__).resolve().parents[2] / "shared" / "data" / "timemachine.txt"


def _source_text() -> Path:
    """A verified copy of timemachine.txt to serve from the test HTTP server."""
    return data.time_machine_path()


# ---------------------------------------------------------------------------
# Vocabulary and corpus
# ---------------------------------------------------------------------------
def test_vocab_is_frequency_ordered_with_unk_first():
    corpus, vocab = d2l.load_corpus_time_machine()
    assert len(vocab) == 28
    assert vocab.idx_to_token[:5] == ["<unk>", " ", "e", "t", "a"]
    assert vocab.unk == 0 and vocab["<unk>"] == 0
    freqs = [f for _, f in vocab.token_freqs]
    assert freqs == sorted(freqs, reverse=True)
    assert len(corpus) == 170580


def test_vocab_ties_keep_first_seen_order_and_lookup():
    vocab = d2l.Vocab([["b", "a", "c", "a", "b"]], reserved_tokens=["<pad>"])
    assert vocab.idx_to_token == ["<unk>", "<pad>", "b", "a", "c"]
    assert vocab[["a", "zz"]] == [3, 0]
    assert vocab.to_tokens([2, 4]) == ["b", "c"]
    assert vocab.to_tokens(3) == "a"
    assert vocab.token_to_idx["c"] == 4


def test_min_freq_drops_rare_tokens():
    vocab = d2l.Vocab(["a", "a", "b"], min_freq=2)
    assert vocab.idx_to_token == ["<unk>", "a"]


def test_read_and_tokenize():
    lines = d2l.read_time_machine()
    assert lines[0] == "the time machine by h g wells"
    assert all(set(line) <= set("abcdefghijklmnopqrstuvwxyz ") for line in lines)
    assert d2l.tokenize(["ab c"], "char") == [["a", "b", " ", "c"]]
    assert d2l.tokenize(["ab c"], "word") == [["ab", "c"]]
    with pytest.raises(ValueError, match="'word' or 'char'"):
        d2l.tokenize(["x"], "byte")


def test_default_max_tokens_is_10000():
    train_iter, vocab = d2l.load_data_time_machine(32, 35)
    assert len(train_iter.corpus) == 10000
    assert train_iter.vocab is vocab and len(vocab) == 28


# ---------------------------------------------------------------------------
# Iterators
# ---------------------------------------------------------------------------
def test_sequential_batches_continue_each_other():
    random.seed(0)
    train_iter, _ = d2l.load_data_time_machine(4, 5)
    batches = list(train_iter)
    assert len(batches) > 2
    for X, Y in batches:
        assert X.shape == (4, 5) and Y.shape == (4, 5)
        assert (X[:, 1:] == Y[:, :-1]).all()
    for (_, Y0), (X1, _) in zip(batches, batches[1:]):
        assert (Y0[:, -1] == X1[:, 0]).all()  # row i of batch b+1 continues row i of batch b


def test_sequential_iterator_matches_the_book():
    corpus = list(range(100))
    random.seed(42)
    offset = random.randint(0, 5)
    random.seed(42)
    X, Y = next(d2l.seq_data_iter_sequential(corpus, 2, 5))
    num_tokens = ((100 - offset - 1) // 2) * 2
    assert X[0, 0] == offset and X[1, 0] == offset + num_tokens // 2
    assert (Y == X + 1).all()


def test_random_iterator_is_seeded_and_covers_disjoint_windows():
    corpus = list(range(200))
    random.seed(3)
    a = [(X.asnumpy().tolist(), Y.asnumpy().tolist()) for X, Y in d2l.seq_data_iter_random(corpus, 3, 5)]
    random.seed(3)
    b = [(X.asnumpy().tolist(), Y.asnumpy().tolist()) for X, Y in d2l.seq_data_iter_random(corpus, 3, 5)]
    assert a == b
    starts = [row[0] for X, _ in a for row in X]
    assert len(set(starts)) == len(starts)
    assert all(y[0] == x[0] + 1 for X, Y in a for x, y in zip(X, Y))


def test_random_loader_begins_afresh_each_epoch():
    random.seed(1)
    loader = d2l.SeqDataLoader(2, 5, use_random_iter=True, max_tokens=200)
    first = next(iter(loader))[0].asnumpy().tolist()
    second = next(iter(loader))[0].asnumpy().tolist()
    assert first != second


@pytest.mark.parametrize("batch_size,num_steps,match", [
    (0, 35, "batch_size must be a positive int"),
    (-1, 35, "batch_size must be a positive int"),
    (32, 0, "num_steps must be a positive int"),
    (32, -5, "num_steps must be a positive int"),
    (2.5, 35, "batch_size must be a positive int"),
    (1000, 35, "too short for batch_size=1000"),
    (32, 400, "lower batch_size or num_steps"),
])
def test_bad_batch_shapes_are_refused(batch_size, num_steps, match):
    with pytest.raises(ValueError, match=match):
        d2l.load_data_time_machine(batch_size, num_steps)


# ---------------------------------------------------------------------------
# Download, against a real HTTP server on 127.0.0.1
# ---------------------------------------------------------------------------
@pytest.fixture
def http_dir(tmp_path):
    """Serve a folder over HTTP on 127.0.0.1; yields (folder, base URL)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_download_fetches_and_verifies(http_dir, tmp_path):
    served, base = http_dir
    shutil.copy(_source_text(), served / "timemachine.txt")
    cache = tmp_path / "cache"
    path = data.download(base + "timemachine.txt", data.TIME_MACHINE_SHA1, cache)
    assert path == cache / "timemachine.txt"
    assert data.sha1_of(path) == data.TIME_MACHINE_SHA1
    (served / "timemachine.txt").unlink()  # a second call must use the cache, not the server
    assert data.download(base + "timemachine.txt", data.TIME_MACHINE_SHA1, cache) == path
    assert sorted(p.name for p in cache.iterdir()) == ["timemachine.txt"]


def test_download_refuses_a_corrupted_file(http_dir, tmp_path):
    served, base = http_dir
    text = _source_text().read_bytes()
    (served / "timemachine.txt").write_bytes(text[:-100] + b"x" * 100)
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError) as err:
        data.download(base + "timemachine.txt", data.TIME_MACHINE_SHA1, cache)
    msg = str(err.value)
    assert data.TIME_MACHINE_SHA1 in msg and "it was not saved" in msg and str(cache) in msg
    assert list(cache.iterdir()) == []


def test_download_reports_http_errors(http_dir, tmp_path):
    _, base = http_dir
    with pytest.raises(RuntimeError, match="HTTP 404"):
        data.download(base + "timemachine.txt", data.TIME_MACHINE_SHA1, tmp_path / "cache")


def test_download_with_server_down_names_url_hash_and_folder(tmp_path):
    import socket

    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/timemachine.txt"
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError) as err:
        data.download(url, data.TIME_MACHINE_SHA1, cache, timeout=5)
    msg = str(err.value)
    assert url in msg and data.TIME_MACHINE_SHA1 in msg and str(cache / "timemachine.txt") in msg


def test_wrong_hash_cache_is_moved_aside_and_fetched_again(http_dir, tmp_path):
    served, base = http_dir
    shutil.copy(_source_text(), served / "timemachine.txt")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "timemachine.txt").write_text("not the book")
    path = data.download(base + "timemachine.txt", data.TIME_MACHINE_SHA1, cache)
    assert data.sha1_of(path) == data.TIME_MACHINE_SHA1
    aside = [p for p in cache.iterdir() if p.name.startswith("timemachine.txt.bad-")]
    assert len(aside) == 1 and aside[0].read_text() == "not the book"  # kept, not deleted


def test_data_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "mine"))
    assert data.data_dir() == tmp_path / "mine"
    monkeypatch.delenv(data.DATA_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data.data_dir() == tmp_path / "xdg" / "d2l-birnn"


def test_install_local_copy(tmp_path):
    target = data.install_local_copy(_source_text(), tmp_path / "a")
    assert data.sha1_of(target) == data.TIME_MACHINE_SHA1
    bad = tmp_path / "bad.txt"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="expected " + data.TIME_MACHINE_SHA1):
        data.install_local_copy(bad, tmp_path / "b")
    with pytest.raises(ValueError, match="does not exist"):
        data.install_local_copy(tmp_path / "missing.txt", tmp_path / "b")


def test_fetch_command_offline_gives_one_clear_error(monkeypatch, tmp_path, capsys):
    from d2l_birnn.__main__ import main

    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "empty"))
    monkeypatch.setattr(data, "TIME_MACHINE_URL", "http://127.0.0.1:9/timemachine.txt")
    assert main(["fetch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot download http://127.0.0.1:9/timemachine.txt")
    assert data.TIME_MACHINE_SHA1 in err and str(tmp_path / "empty") in err


@pytest.mark.skipif(not SHARED_COPY.exists(), reason="no shared copy beside the checkout")
def test_fetch_command_from_local_copy(monkeypatch, tmp_path, capsys):
    from d2l_birnn.__main__ import main

    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "d"))
    assert main(["fetch", "--from", str(SHARED_COPY)]) == 0
    assert "sha1 ok" in capsys.readouterr().out
    assert data.sha1_of(tmp_path / "d" / "timemachine.txt") == data.TIME_MACHINE_SHA1
