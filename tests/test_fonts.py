"""Tests for d2l_birnn.fonts and the Chinese figures: no glyph may be missing.

Every plotting helper is drawn with D2L_BIRNN_LANG=zh, and every Chinese
catalogue text is drawn as a label, both as plain text and inside a mathtext
label. A missing glyph shows up as a ``UserWarning`` ("Glyph ... missing from
current font") for plain text, and only as a log record of the logger
``matplotlib.mathtext`` inside ``$...$`` labels: both count. The check itself is
tested to fail on planted faults (the font not first, a character the font lacks).
"""

from __future__ import annotations

import logging
import os
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from d2l_birnn import fonts, i18n, plotting  # noqa: E402
from d2l_birnn.hmm import HMM  # noqa: E402

FONT = fonts.find_cjk_font()
needs_font = pytest.mark.skipif(
    FONT is None and not os.environ.get("CI"),
    reason=f"no CJK font installed (CI fails instead): {fonts.INSTALL_HINT}")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def missing_glyphs(draw) -> list[str]:
    """Run ``draw()`` (which makes figures), render every open figure; return the glyph problems."""
    plt.close("all")
    handler = _Records()
    logger = logging.getLogger("matplotlib.mathtext")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            draw()
            for number in plt.get_fignums():
                plt.figure(number).canvas.draw()
    finally:
        logger.removeHandler(handler)
        plt.close("all")
    problems = [str(w.message) for w in caught
                if issubclass(w.category, UserWarning) and "missing from" in str(w.message)]
    problems += [m for m in handler.messages if "glyph" in m.lower()]
    return problems


def draw_every_helper():
    model = HMM.random(3, 4, rng=0)
    _, x = model.sample(8, rng=1)
    plotting.draw_hmm_trellis(model, x, 3, symbols="ab d")     # '␣' in the tick labels
    plotting.draw_hmm_messages(3)
    plotting.draw_birnn_unrolled(3)
    maps = {i18n.msg("nb05.chain.uni2"): np.tril(np.ones((4, 4))),
            i18n.msg("nb05.chain.bi2"): np.ones((4, 4))}
    plotting.plot_dependency_maps(maps)
    plotting.plot_dependency_maps(maps, scale="linear", first_step=1,
                                  colorbar_label=i18n.msg("nb05.chain.colorbar"))


def draw_labels(texts):
    """Each text as a title (plain, or mathtext if it has $...$), and once more inside mathtext."""
    texts = list(texts)
    fig, ax = plt.subplots(figsize=(12, 0.3 * len(texts) + 1))
    for row, text in enumerate(texts):
        ax.text(0, row, text)
        if text.count("$") % 2 == 0:
            ax.text(0.5, row, text + r" $x_t$")       # forces the mathtext path for every text
    ax.set_ylim(-1, len(texts))
    ax.set_title(texts[0])


def zh_texts():
    return [zh for _, zh in i18n.CATALOGUE.values()]


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    with matplotlib.rc_context():
        yield


@needs_font
def test_the_font_found_has_chinese_glyphs():
    assert fonts.has_glyphs(FONT)
    assert not fonts.has_glyphs(FONT, "\U00020000")     # CJK extension B: not in the probe fonts


@needs_font
def test_use_cjk_font_puts_the_family_first_and_keeps_font_sizes(zh):
    matplotlib.rcParams["font.size"] = 17                # e.g. a projection style
    family = fonts.use_cjk_font()
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["font.family"][-1] == fonts.DEFAULT_FALLBACK
    assert matplotlib.rcParams["font.size"] == 17
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", family]   # a style moved it back
    i18n.msg("word.train")                                               # zh msg() restores it
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert fonts.font_in_use()["family"] == family
    assert family in fonts.describe()


@needs_font
def test_every_plotting_helper_draws_every_glyph_in_chinese(zh):
    fonts.use_cjk_font()
    assert missing_glyphs(draw_every_helper) == []


@needs_font
def test_every_catalogue_text_draws_every_glyph_in_chinese(zh):
    fonts.use_cjk_font()
    assert missing_glyphs(lambda: draw_labels(zh_texts())) == []


@needs_font
def test_the_check_fails_when_the_font_is_not_first(zh):
    family = fonts.use_cjk_font()
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", family]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    problems = missing_glyphs(lambda: draw_labels(zh_texts()))
    assert any("missing from" in p for p in problems)                  # the UserWarning
    assert any("does not have a glyph" in p for p in problems)         # the mathtext log record


@needs_font
def test_the_check_fails_on_a_character_the_font_lacks(zh):
    fonts.use_cjk_font()
    plain = missing_glyphs(lambda: plt.subplots()[1].set_title("词元 \U00020000"))
    math = missing_glyphs(lambda: plt.subplots()[1].set_title("词元 \U00020000 $x_t$"))
    assert plain and "missing from" in plain[0]
    assert math and "does not have a glyph" in math[0]


def test_a_font_path_that_is_not_a_cjk_font_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "nothing.ttf"))
    with pytest.raises(ValueError, match="no such file"):
        fonts.find_cjk_font()
    dejavu = matplotlib.font_manager.findfont("DejaVu Sans")
    monkeypatch.setenv(fonts.FONT_ENV, dejavu)
    with pytest.raises(ValueError, match="lacks simplified Chinese glyphs.*fonts-wqy-microhei"):
        fonts.find_cjk_font()


def test_no_font_gives_a_warning_with_the_install_command(monkeypatch):
    monkeypatch.setattr(fonts, "_in_use", {})
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with pytest.warns(fonts.CJKFontWarning, match="apt-get install fonts-wqy-microhei"):
        assert fonts.use_cjk_font() is None
    assert "apt-get install fonts-wqy-microhei" in fonts.describe()


def test_doctor_reports_the_language_and_the_font(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, i18n.LANG_ENV: "zh"}
    result = subprocess.run([sys.executable, "-m", "d2l_birnn", "doctor"], env=env,
                            capture_output=True, text=True)
    assert "语言" in result.stdout and "zh（D2L_BIRNN_LANG=zh）" in result.stdout   # the zh report
    if FONT is not None:
        assert "中文字体" in result.stdout and str(FONT) in result.stdout
    env[fonts.FONT_ENV] = str(tmp_path / "missing.ttf")
    result = subprocess.run([sys.executable, "-m", "d2l_birnn", "doctor"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "中文版需要一种中文字体：unusable" in result.stdout
