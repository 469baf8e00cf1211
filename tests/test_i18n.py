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
                                         r"log_scale|log|lr|x_\S+|GFLOP|\{[^}]*\}|\w+(?:[._]\w+)+", "", en)):
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


# --- the catalogue as gettext data (d2l_birnn/locale/) -----------------------------------------
PO = """# a comment
msgid ""
msgstr ""
"Language: fr\\n"

#. a section
#, python-brace-format
msgctxt "test.greeting"
msgid "hello {name}"
msgstr "bonjour {name}"

msgctxt "test.two_lines"
msgid ""
"forward RNN\\n"
"(left to right) \\"quoted\\" \\\\pi"
msgstr "x"
"""


def test_po_reader_reads_keys_flags_comments_escapes_and_continued_strings():
    entries = i18n.parse_po(PO, "t.po")
    assert [e.key for e in entries] == ["test.greeting", "test.two_lines"]
    assert entries[0].msgstr == "bonjour {name}" and entries[0].flags == ("python-brace-format",)
    assert entries[0].comments == ("a section",) and entries[0].line == 6
    assert entries[1].msgid == 'forward RNN\n(left to right) "quoted" \\pi'


@pytest.mark.parametrize("text, error", [
    ('msgctxt "a.b"\nmsgid "x"\nmsgid_plural "xs"\nmsgstr[0] "y"\n', r"t.po:3: cannot read 'msgid_plural"),
    ('msgid "x"\nmsgstr "y"\n', r"t.po:1: msgid 'x' has no msgctxt"),
    ('msgctxt "a.b"\nmsgid "x\\q"\nmsgstr "y"\n', r"t.po:2: unknown escape \\q"),
    ('msgctxt "a.b"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "a.b"\nmsgid "z"\nmsgstr "w"\n',
     r"t.po:5: key 'a.b' again \(first at line 1\)"),
    ('msgctxt "a.b"\nmsgid "x"\n', "t.po:1: an entry needs msgid and msgstr"),
    ('msgctxt "a.b"\nmsgid x\nmsgstr "y"\n', "t.po:2: expected one string in double quotes"),
])
def test_po_reader_names_the_line_of_what_it_cannot_read(text, error):
    with pytest.raises(i18n.PoError, match=error):
        i18n.parse_po(text, "t.po")


def test_the_committed_catalogue_files_are_complete_and_in_canonical_form():
    assert i18n.LANGUAGES[0] == "en" and "zh" in i18n.LANGUAGES
    assert i18n.catalogue_problems() == []
    template = i18n.read_po(i18n.LOCALE_DIR / i18n.TEMPLATE_NAME)
    assert [e.key for e in template] == list(i18n.CATALOGUE) and all(not e.msgstr for e in template)
    for path in [i18n.LOCALE_DIR / i18n.TEMPLATE_NAME, *sorted(i18n.LOCALE_DIR.glob("*.po"))]:
        text = path.read_text(encoding="utf-8")
        language = None if path.suffix == ".pot" else path.stem
        assert i18n.format_po(i18n.read_po(path), language) == text, \
            f"{path.name} is not in the form format_po writes (run write_po on its entries)"


def _locale(tmp_path, edit=None):
    """A copy of the real catalogue files in tmp_path, zh.po changed by ``edit(entries)``."""
    pot = i18n.read_po(i18n.LOCALE_DIR / i18n.TEMPLATE_NAME)
    zh = i18n.read_po(i18n.LOCALE_DIR / "zh.po")
    i18n.write_po(tmp_path / i18n.TEMPLATE_NAME, pot, None)
    i18n.write_po(tmp_path / "zh.po", edit(zh) if edit else zh, "zh")
    return tmp_path


def test_a_changed_english_text_makes_its_translation_stale_and_unused(tmp_path):
    locale = _locale(tmp_path)
    pot = [e._replace(msgid="the epoch") if e.key == "axis.epoch" else e
           for e in i18n.read_po(locale / i18n.TEMPLATE_NAME)]
    i18n.write_po(locale / i18n.TEMPLATE_NAME, pot, None)
    languages, catalogue, problems = i18n.load_catalogue(locale)
    assert problems == ["zh.po [axis.epoch]: stale: translated from 'epoch', the English is now "
                        "'the epoch': update msgstr, then copy the new msgid"]
    assert catalogue["axis.epoch"] == ("the epoch", "the epoch")      # English shown, as gettext does


def test_fuzzy_missing_extra_and_mismatched_fields_are_problems(tmp_path):
    def edit(entries):
        out = []
        for e in entries:
            if e.key == "axis.epoch":
                e = e._replace(flags=("fuzzy",))
            elif e.key == "word.model":
                e = e._replace(msgstr="")
            elif e.key == "plot.birnn.title":
                e = e._replace(msgstr="{N} 个时间步")
            out.append(e)
        return out + [i18n.Entry("test.extra", "x", "y")]
    problems = i18n.load_catalogue(_locale(tmp_path, edit))[2]
    assert len(problems) == 4, problems
    assert any("[axis.epoch]: stale (marked fuzzy)" in p for p in problems)
    assert any("[word.model]: missing" in p for p in problems)
    assert any("[plot.birnn.title]: fields ['N'] differ from the English ['T']" in p for p in problems)
    assert any("[test.extra]: not in messages.pot" in p for p in problems)


def test_a_third_language_is_a_new_file(tmp_path):
    locale = _locale(tmp_path)
    entries = [e._replace(msgstr="époque") if e.key == "axis.epoch" else e._replace(msgstr="")
               for e in i18n.read_po(locale / i18n.TEMPLATE_NAME)]
    i18n.write_po(locale / "fr.po", entries, "fr")
    languages, catalogue, problems = i18n.load_catalogue(locale)
    assert languages == ("en", "fr", "zh")
    assert catalogue["axis.epoch"] == ("epoch", "époque", "迭代周期")
    assert catalogue["word.model"][1] == "model"          # untranslated: English, and reported
    assert len(problems) == len(catalogue) - 1 and all(p.startswith("fr.po [") for p in problems)


def test_a_missing_catalogue_says_how_to_fix_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="package-data must list locale/"):
        i18n.load_catalogue(tmp_path)


def test_package_lines_a_notebook_prints_follow_the_language(monkeypatch):
    """What 02 prints from d2l_birnn.hmm (the model's repr, the brute-force refusal) is Chinese in
    the Chinese edition."""
    from d2l_birnn.hmm import HMM

    model = HMM.random(3, 4, 0)
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert repr(model) == "HMM(k=3 states, V=4 symbols)"
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    assert repr(model) == "隐马尔可夫模型（k=3 个状态，V=4 个符号）"
    with pytest.raises(ValueError, match=r"穷举要对 k\*\*T = 3\*\*30 ~ 10\*\*14.3 条路径求和.*max_paths=8"):
        model.brute_force_likelihood([0] * 30, max_paths=8)
