"""Tests for d2l_birnn.i18n: the language setting, the catalogue, msg() and localize()."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from d2l_birnn import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "zh")


def test_language_default_and_choices(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    assert i18n.language() == "en"
    for value, lang in [("zh", "zh"), ("zh_CN", "zh"), (" EN ", "en"), ("", "en")]:
        monkeypatch.setenv(i18n.LANG_ENV, value)
        assert i18n.language() == lang
    monkeypatch.setenv(i18n.LANG_ENV, "fr")
    with pytest.raises(ValueError, match=r"D2L_BIRNN_LANG='fr' .*choose one of en, zh"):
        i18n.language()
    with pytest.raises(ValueError, match="choose one of en, zh"):
        i18n.msg("word.train")


def test_set_language_sets_the_variable_and_refuses_unknown(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    with pytest.raises(ValueError, match="choose one of"):
        i18n.set_language("de")
    assert i18n.language() == "en"                 # unchanged after the refusal
    assert i18n.set_language("zh") == "zh"
    assert i18n.msg("word.perplexity") == "困惑度"


def test_every_entry_has_both_languages_with_the_same_fields():
    for key, (en, zh) in i18n.CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-zA-Z0-9_]+)+", key), key
        assert en.strip() and zh.strip(), key
        assert i18n.fields(en) == i18n.fields(zh), key
        assert en.count("$") % 2 == 0 and en.count("$") == zh.count("$"), key
        if re.search(r"[a-z]{3}", re.sub(r"\$[^$]*\$|predict\('[^']*'\)|MiB|LSTM|SGD|EM|Baum-Welch|"
                                         r"log_scale|log|lr|x_\S+|GFLOP|\{[^}]*\}", "", en)):
            assert CJK.search(zh), f"{key}: {zh!r} has English words and no Chinese"


def test_one_english_text_has_one_translation():
    seen: dict[str, tuple[str, str]] = {}
    for key, (en, zh) in i18n.CATALOGUE.items():
        if en in seen:
            assert seen[en][1] == zh, f"{key} and {seen[en][0]} translate {en!r} differently"
        seen[en] = (key, zh)


def test_msg_formats_and_explains_mistakes(monkeypatch, zh):
    assert i18n.msg("plot.birnn.title", T=4) == "在 4 个时间步上展开的双向循环神经网络"
    assert i18n.msg("plot.birnn.title", T=4, lang="en") == \
        "A bidirectional RNN unrolled over 4 time steps"
    assert i18n.msg("train.result", ppl=1.234, speed=9876.54, device="cpu(0)") == \
        "困惑度 1.2, 9876.5 词元/秒 cpu(0)（最后一个迭代周期）"    # d2l-zh's train_ch8 line, labelled
    assert i18n.msg("plot.trellis.forward").startswith("前向 $\\pi_t(h)")   # LaTeX braces kept
    with pytest.raises(KeyError, match="did you mean plot.birnn.title"):
        i18n.msg("plot.birnn.titel")
    with pytest.raises(KeyError, match=r"needs the arguments \['T'\]"):
        i18n.msg("plot.birnn.title", N=3)
    with pytest.raises(ValueError, match="choose one of"):
        i18n.msg("word.train", lang="fr")


def test_zh_texts_use_d2l_zh_terms():
    zh_text = "\n".join(zh for _, zh in i18n.CATALOGUE.values())
    assert "隐藏状态" not in zh_text
    assert i18n.CATALOGUE["plot.trellis.hidden_state"][1].startswith("隐状态")
    assert i18n.CATALOGUE["axis.epoch"][1] == "迭代周期"


def test_localize_translates_labels_not_values(zh):
    table = pd.DataFrame({"left-only accuracy": [0.5], "text": ["left only"]},
                         index=pd.Index(["bidirectional"], name="model"))
    shown = i18n.localize(table)
    assert list(shown.columns) == ["仅左侧精度", "文本"]
    assert list(shown.index) == ["双向"] and shown.index.name == "模型"
    assert shown.iloc[0, 1] == "left only"                 # cell values are data: untouched
    assert list(table.columns) == ["left-only accuracy", "text"]   # the original is unchanged
    assert i18n.localize("not in the catalogue") == "not in the catalogue"
    assert i18n.localize(["bits", 3]) == ["比特", 3]
    pivot = pd.DataFrame([[1, 2]], columns=pd.Index(["uni (MiB added)", "bi (MiB added)"],
                                                    name="bidirectional"))
    assert i18n.localize(pivot).columns.name == "双向"
    assert pd.get_option("display.unicode.east_asian_width")
    pd.reset_option("display.unicode.east_asian_width")
    with pytest.raises(TypeError, match="localize"):
        i18n.localize({"a": 1})


def test_localize_is_identity_in_english(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    table = pd.DataFrame({"bits": [1.0]}, index=["bidirectional"])
    pd.testing.assert_frame_equal(i18n.localize(table), table)
