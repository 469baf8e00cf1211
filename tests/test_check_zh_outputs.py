"""tools/check_zh_outputs.py: the zh notebooks' committed outputs are Chinese (issue 18.1)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_zh_outputs as cz  # noqa: E402


@pytest.mark.parametrize("line, words", [
    ("困惑度 1.2", True),
    ("training: -3.316 -> -2.074 nats/char", True),
    ("l0_i2h_weight  (16, 3)", False),                       # identifier and a shape
    ("BiRNNScratch(cell='rnn', num_inputs=5, num_hiddens=(3, 4))", False),   # a repr
    ("P(x_j | x_-j):  {'a': 0.3018, 'b': 0.2633} True", False),
    ("LSTM GRU UTC 2026-12-05", False),                       # acronyms, numbers
    ("X: 'me machine'  Y: 'e machine '", False),              # quoted data
])
def test_a_line_has_words_when_it_has_chinese_or_a_word_outside_identifiers(line, words):
    assert cz.has_words(line) is words


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def make_notebook(path: Path, cells):
    nb = {"cells": [{"cell_type": "code", "id": cid, "metadata": {}, "execution_count": 1,
                     "source": "print()", "outputs": outputs} for cid, outputs in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def test_more_than_five_percent_english_fails_and_exceptions_are_left_out(tmp_path):
    chinese = stream("".join(f"困惑度 {i}\n" for i in range(20)))
    table = {"output_type": "display_data",
             "data": {"text/html": "<table/>", "text/plain": "model perplexity"}}
    ok = make_notebook(tmp_path / "01_ok.ipynb", [
        ("a", [chinese, stream("training done in English\n"), table]),   # 1 of 21: 4.8%
        ("b", [stream("l0_W_xh (5, 3)\nTrue\n")]),                        # identifiers: not counted
        ("c", [{"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": ["bad words"]}])])
    assert cz.check([ok], {}) == []
    bad = make_notebook(tmp_path / "02_bad.ipynb", [
        ("a", [chinese, stream("training done in English\n")]),
        ("b", [{"output_type": "display_data", "data": {"text/markdown": "**the summary** in English",
                                                         "text/plain": "<IPython.core.display.Markdown>"}}])])
    problems = cz.check([bad], {})
    assert len(problems) == 1 and "2 of 22 printed lines (9.1%, more than 5%)" in problems[0]
    assert cz.check([bad], {("02_bad", "b"): "generated text"}) == []
    stale = cz.check([bad], {("02_bad", "b"): "generated text", ("02_bad", "gone"): "code listing"})
    assert stale == ["i18n/output_exceptions.tsv: 02_bad cell gone is not in 02_bad.ipynb"]


def test_the_exceptions_file_is_well_formed_and_refuses_unknown_kinds(tmp_path):
    assert set(cz.load_exceptions().values()) <= set(cz.KINDS)
    bad = tmp_path / "e.tsv"
    bad.write_text("notebook\tcell\tkind\tnote\n03_x\tabc\tboring output\twhy\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"e.tsv:2: expected notebook, cell id, a kind"):
        cz.load_exceptions(bad)


def test_the_committed_zh_notebooks_print_chinese():
    paths = cz.default_paths()
    if not paths:
        pytest.skip("no notebooks/zh yet")
    problems = cz.check(paths)
    assert not problems, "\n".join(problems)
