"""d2l_birnn.exercises: right answers pass, wrong ones fail with a hint, answers hidden until asked."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

import d2l_birnn as d2l
from d2l_birnn import exercises

ROOT = Path(__file__).resolve().parent.parent

# A right and a wrong answer for every exercise (the right ones written out by hand here,
# so that the package's computed expectations are checked against an independent value).
RIGHT = {
    "01.1": 27 ** 4,
    "02.1": lambda pi, A, b: (pi * b) @ A,
    "03.1": (32, 24),
    "03.2": 110_592,
    "04.1": " Worse ",
    "04.2": 1024 * 512,
    "05.1": 300,
    "06.1": 0.06 / (0.12 + 0.06 + 0.06),
    "06.2": 3 + 5,
    "06.3": lambda delta, log_A, log_b: (delta[:, None] + log_A).max(axis=0) + log_b,
}
WRONG = {
    "01.1": 28 ** 4,
    "02.1": lambda pi, A, b: A @ (pi * b),
    "03.1": (32, 16),
    "03.2": 2 * 3 * 64 * (28 + 64 + 2) * 2,
    "04.1": "better",
    "04.2": 1024 * 256,
    "05.1": 100,
    "06.1": 0.1,
    "06.2": 3 + 5 + 9,
    "06.3": lambda delta, log_A, log_b: (delta[:, None] + log_A).max(axis=1) + log_b,
}


def test_every_exercise_has_a_right_and_a_wrong_case():
    assert set(RIGHT) == set(WRONG) == set(exercises.EXERCISES)


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_the_right_answer_passes(exercise_id, capsys, monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    assert exercises.is_right(exercise_id, RIGHT[exercise_id])
    assert d2l.check(exercise_id, RIGHT[exercise_id]) is None
    assert capsys.readouterr().out.strip() == f"{exercise_id}: right."


@pytest.mark.parametrize("exercise_id", sorted(WRONG))
def test_a_wrong_answer_fails_with_a_hint_and_not_the_answer(exercise_id, capsys, monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    assert not exercises.is_right(exercise_id, WRONG[exercise_id])
    assert d2l.check(exercise_id, WRONG[exercise_id]) is None
    out = capsys.readouterr().out
    assert "not yet" in out and "Hint:" in out and f"d2l.answer('{exercise_id}')" in out
    explanation = exercises.EXERCISES[exercise_id].explanation
    assert explanation[:25] not in out, "the answer is hidden until asked"
    right = RIGHT[exercise_id]
    if isinstance(right, int):
        assert str(right) not in out and f"{right:,}" not in out


def test_nonsense_answers_say_what_to_give(capsys):
    assert d2l.check("03.1", 24) is None and "tuple" in capsys.readouterr().out
    assert d2l.check("03.2", "many") is None and "number" in capsys.readouterr().out
    assert d2l.check("02.1", 3) is None and "function" in capsys.readouterr().out
    assert d2l.check("02.1", lambda pi, A, b: 1 / 0) is None and not exercises.is_right("02.1", 3)
    assert "Case 1 raised ZeroDivisionError" in capsys.readouterr().out
    with pytest.raises(ValueError, match="no exercise '9.9'; there are"):
        d2l.check("9.9", 1)


def test_the_answer_is_shown_when_asked(capsys):
    assert d2l.answer("03.2") is None
    assert "110,592" in capsys.readouterr().out


def test_word_answers_are_stored_as_hashes_only():
    source = inspect.getsource(exercises)
    word = exercises.EXERCISES["04.1"]
    assert word.word_sha256 and len(word.word_sha256) == 64
    assert '_sha("worse")' in source  # written once, where the hash is made, not in any notebook


def test_no_notebook_contains_the_expected_values_next_to_a_check():
    """A check cell holds the student's answer only: no expected value of these exercises."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and "d2l.check(" in src:
                for value in ("614656", "531441", "110592", "110_592", "524288", "(32, 24)"):
                    assert value not in src, f"{path.name}: a check cell shows {value}"


def test_the_verdict_is_printed_in_the_chosen_language(capsys, monkeypatch):
    exercise_id = sorted(RIGHT)[0]
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert exercises.is_right(exercise_id, RIGHT[exercise_id])
    assert d2l.check(exercise_id, RIGHT[exercise_id]) is None
    assert capsys.readouterr().out.strip() == f"{exercise_id}：正确。"
    assert not exercises.is_right(exercise_id, WRONG[exercise_id])
    assert d2l.check(exercise_id, WRONG[exercise_id]) is None
    out = capsys.readouterr().out
    assert "还不对" in out and "提示" in out and f"d2l.answer('{exercise_id}')" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_word_answers_pass_in_chinese_and_english_in_both_editions(lang, capsys, monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", lang)
    for right in ["worse", " Worse ", "更差", " 更差。", "较差"]:
        assert exercises.is_right("04.1", right), right
        d2l.check("04.1", right)
        assert "04.1" in capsys.readouterr().out
    for wrong in ["better", "更好", "较好", "差不多", "worst", ""]:
        assert not exercises.is_right("04.1", wrong), wrong


def test_every_word_exercise_has_both_choices_in_both_languages():
    words = [ex for ex in exercises.EXERCISES.values() if ex.kind == "word"]
    assert words
    english = set(exercises.WORD_SYNONYMS.values())
    for ex in words:
        right = [w for w in english if exercises._sha(w) == ex.word_sha256]
        assert len(right) == 1, f"{ex.id}: its answer has no Chinese synonym in WORD_SYNONYMS"
        chinese = [z for z, w in exercises.WORD_SYNONYMS.items() if w == right[0]]
        assert chinese and all(exercises.is_right(ex.id, z) for z in chinese)


PARTS = ("question", "hint", "explanation")


def test_the_catalogue_holds_every_text_with_this_english():
    """The catalogue's English (msgid) of each exercise text is the text in exercises.py, so a
    changed English text makes its translation stale (the catalogue's stale check)."""
    from d2l_birnn import i18n

    for ex in exercises.EXERCISES.values():
        for part in PARTS:
            key = f"exercise.{ex.id}.{part}"
            assert key in i18n.CATALOGUE, f"{key}: add it to d2l_birnn/locale/ (tools/catalogue.py add)"
            assert i18n.CATALOGUE[key][0] == getattr(ex, part), f"{key}: the catalogue's English is stale"


@pytest.mark.parametrize("exercise_id", sorted(WRONG))
def test_the_chinese_edition_asks_hints_and_answers_in_chinese(exercise_id, capsys, monkeypatch):
    import re

    han = re.compile(r"[\u4e00-\u9fff]")
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert all(han.search(exercises.text(exercise_id, part)) for part in PARTS)
    assert han.search(exercises.question(exercise_id))
    d2l.check(exercise_id, WRONG[exercise_id])
    out = capsys.readouterr().out
    assert out.startswith(f"{exercise_id}：还不对。") and "提示：" in out and "Hint" not in out
    assert exercises.text(exercise_id, "hint")[:10] in out
    assert exercises.text(exercise_id, "explanation")[:20] not in out, "the answer is hidden until asked"
    d2l.check(exercise_id, RIGHT[exercise_id])
    assert capsys.readouterr().out.strip() == f"{exercise_id}：正确。"
    d2l.answer(exercise_id)
    assert capsys.readouterr().out.strip() == f"{exercise_id}：{exercises.text(exercise_id, 'explanation')}"


def test_notes_on_malformed_answers_follow_the_language(capsys, monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    d2l.check("03.1", 24)
    assert "请用由各维大小组成的元组回答，例如 (2, 3)。提示：" in capsys.readouterr().out
    d2l.check("02.1", lambda pi, A, b: 1 / 0)
    assert "第 1 个测试用例引发了 ZeroDivisionError" in capsys.readouterr().out
    with pytest.raises(ValueError, match="choose 'question', 'hint' or 'explanation'"):
        exercises.text("02.1", "answer")
