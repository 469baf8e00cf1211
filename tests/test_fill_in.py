"""d2l_birnn.fill_in: the one task, its scorer and its result line."""

import re

import numpy as onp
import pytest

from d2l_birnn import data, fill_in


def test_task_uses_the_one_split_and_margins():
    task = fill_in.fill_in_task(num_blanks=500, seed=0)
    train, test = data.split_train_test(data.time_machine_text())
    assert (task.train_text, task.test_text) == (train, test)
    assert len(task.positions) == 500
    assert task.positions.min() >= fill_in.FILL_IN_MARGIN
    assert task.positions.max() < len(task.test_ids) - fill_in.FILL_IN_MARGIN
    assert task.vocab.to_tokens(1) == data.MASK
    again = fill_in.fill_in_task(num_blanks=500, seed=0)
    assert onp.array_equal(task.positions, again.positions)


def test_scorer_against_a_hand_computed_case():
    probs = onp.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8], [0.25, 0.5, 0.25]])
    scores = fill_in.score_fill_in(probs, [0, 1, 1])
    assert scores["accuracy"] == pytest.approx(2 / 3)
    assert scores["cross_entropy"] == pytest.approx((1 + onp.log2(10) + 1) / 3)
    with pytest.raises(ValueError, match="probs must have shape"):
        fill_in.score_fill_in(probs, [0, 1])


def test_result_line_is_parseable(monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    line = fill_in.fill_in_line("HMM (k=30)", 0.8449, 0.5962, context=(8, 8), size=(15_901, 16_029))
    assert line == ("fill-in, held-out text: HMM (k=30): both sides 84.5%, left only 59.6%; "
                    "context 8+8 characters vs 8 characters; size 15,901 vs 16,029 parameters")
    match = re.fullmatch(r"fill-in, held-out text: ([^:]+): both sides ([\d.]+)%, "
                         r"left only ([\d.]+)%; context ([^;]+); size ([^;]+)", line)
    assert match.groups()[:3] == ("HMM (k=30)", "84.5", "59.6")
    with pytest.raises(ValueError, match="must not contain ':'"):
        fill_in.fill_in_line("a: b", 0.5, 0.5, context=(1, 1), size=(1, 1))
    with pytest.raises(TypeError):
        fill_in.fill_in_line("no context or size", 0.5, 0.5)   # every row says what it saw and its size
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert fill_in.fill_in_line("HMM (k=30)", 0.8449, 0.5962, context=(None, None), size=(10, 9),
                                unit="counts") == \
        ("填空，留出文本：HMM (k=30)：两侧 84.5%，仅左侧 59.6%；上下文 整段文本 对 前面的全部文本；"
         "规模 10 对 9 个存储的计数")
    with pytest.raises(ValueError, match="must not contain ':'"):
        fill_in.fill_in_line("a：b", 0.5, 0.5, context=(1, 1), size=(1, 1))


def test_accuracies_carry_their_spread_over_seeds(monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    assert fill_in.accuracy_text(0.5) == "50.0%"
    assert fill_in.accuracy_text([0.531]) == "53.1% (one run)"
    assert fill_in.accuracy_text([0.60, 0.62, 0.64]) == "62.0% (3 seeds: 60.0-64.0%)"
    assert fill_in.seed_spread([0.2, 0.4]) == fill_in.Spread(pytest.approx(0.3), 0.2, 0.4, 2)
    with pytest.raises(ValueError, match="one finite result per run"):
        fill_in.seed_spread([])
    with pytest.raises(ValueError, match="one finite result per run"):
        fill_in.accuracy_text([0.5, float("nan")])


def test_context_and_size_say_what_each_model_reads_and_holds(monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    assert fill_in.context_text(5, 5) == "5+5 characters vs 5 characters"
    assert fill_in.context_text(None, None) == "the whole text vs all text before"
    with pytest.raises(ValueError, match="positive number of characters or None"):
        fill_in.context_text(0, 5)
    assert fill_in.size_text(1234, 99) == "1,234 vs 99 parameters"
    with pytest.raises(ValueError, match="'parameters' or 'counts'"):
        fill_in.size_text(1, 1, unit="bytes")


def test_count_model_size_counts_stored_pairs():
    from d2l_birnn import ngram

    ids = onp.array([0, 1, 0, 1, 0, 2])
    left = ngram.CountFiller(1, 0, 3).fit(ids)
    # level (0,0): tokens 0, 1, 2 seen -> 3 pairs; level (1,0): contexts 0->1, 1->0, 0->2 -> 3 pairs
    assert fill_in.count_model_size(left) == 6
    with pytest.raises(ValueError, match="fitted"):
        fill_in.count_model_size(ngram.CountFiller(1, 0, 3))
