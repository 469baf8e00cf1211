"""Tests for tools/catalogue.py: adding a message to the template and every translation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import catalogue  # noqa: E402

from d2l_birnn import i18n  # noqa: E402


@pytest.fixture
def locale(tmp_path):
    i18n.write_po(tmp_path / i18n.TEMPLATE_NAME, [i18n.Entry("a.one", "one", "")], None)
    i18n.write_po(tmp_path / "zh.po", [i18n.Entry("a.one", "one", "一")], "zh")
    return tmp_path


def test_add_appends_to_the_template_and_the_translation(locale):
    catalogue.add("a.two", "{n} states", {"zh": "{n} 个状态"}, "notebook 02", locale_dir=locale)
    languages, messages, problems = i18n.load_catalogue(locale)
    assert problems == [] and messages["a.two"] == ("{n} states", "{n} 个状态")
    assert i18n.read_po(locale / "zh.po")[-1].comments == ("notebook 02",)


@pytest.mark.parametrize("key, zh, error", [("a.one", "一", "already in messages.pot"),
                                            ("a.two", "{k} 个", r"zh: fields \['k'\] differ"),
                                            ("a.two", None, "no translation for zh")])
def test_add_refuses_what_would_break_the_catalogue(locale, key, zh, error):
    with pytest.raises(ValueError, match=error):
        catalogue.add(key, "{n} states", {} if zh is None else {"zh": zh}, locale_dir=locale)
    assert [e.key for e in i18n.read_po(locale / "zh.po")] == ["a.one"]      # nothing written
