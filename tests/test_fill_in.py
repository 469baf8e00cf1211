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
    line = fill_in.fill_in_line("HMM (k=30)", 0.8449, 0.5962)
    assert line == "fill-in, held-out text: HMM (k=30): both sides 84.5%, left only 59.6%"
    match = re.fullmatch(r"fill-in, held-out text: ([^:]+): both sides ([\d.]+)%, "
                         r"left only ([\d.]+)%", line)
    assert match.groups() == ("HMM (k=30)", "84.5", "59.6")
    with pytest.raises(ValueError, match="must not contain ':'"):
        fill_in.fill_in_line("a: b", 0.5, 0.5)
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert fill_in.fill_in_line("HMM (k=30)", 0.8449, 0.5962) == \
        "填空，留出文本：HMM (k=30)：两侧 84.5%，仅左侧 59.6%"
    with pytest.raises(ValueError, match="must not contain ':'"):
        fill_in.fill_in_line("a：b", 0.5, 0.5)
