"""d2l_birnn/widgets.py: notebook 01's text box and notebook 02's trellis sliders (issue 23)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from d2l_birnn import i18n, widgets  # noqa: E402
from d2l_birnn.ngram import BlankGuesser  # noqa: E402

TEXT = ("the time traveller for so it will be convenient to speak of him was expounding a "
        "recondite matter to us his grey eyes shone and twinkled ") * 20


@pytest.fixture
def shown(monkeypatch):
    """What the widgets display: a list of (data, raw) pairs."""
    calls = []
    import IPython.display

    def fake_display(obj, raw=False, display_id=None):
        calls.append((obj, raw))

        class Handle:
            def update(self, new):
                calls.append((new, "update"))
        return Handle() if display_id else None
    monkeypatch.setattr(IPython.display, "display", fake_display)
    return calls


def show_with(guesser):
    def show(sentence, k=3):   # as notebook 01 prints the guesses
        out = guesser.guess(sentence, k)
        print(out["kind"], ", ".join(tok for tok, _ in out["two-sided"]))
    return show


@pytest.mark.parametrize("sentence, expected", [
    ("the time traveller", "one _ for the blank: this one has none"),
    ("the _ _ traveller", "only one _ for the blank: this one has 2"),
    ("时间 _ 机器", "Nothing is left around the blank"),
])
def test_wrong_input_gets_one_helpful_line_not_a_traceback(capsys, sentence, expected):
    widgets.guess_safely(show_with(BlankGuesser(TEXT)), sentence, 3)
    out = capsys.readouterr()
    assert expected in out.out and out.out.count("\n") == 1 and not out.err


def test_non_latin_letters_are_named_and_the_rest_is_guessed(capsys):
    widgets.guess_safely(show_with(BlankGuesser(TEXT)), "the time 旅行者 trav_ller", 3)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "The models know only the letters a-z; left out: 旅行者"
    assert lines[1].startswith("char ")


def test_messages_are_in_the_catalogue_in_both_languages(monkeypatch):
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert widgets.sentence_problem("abc") == "请在句子中用一个 _ 表示空位：这个句子没有 _。"
    assert all(key in i18n.CATALOGUE for key in widgets._MESSAGES)


def test_the_text_box_shows_a_hint_as_its_static_form(shown, capsys):
    widgets.blank_guesser_box(show_with(BlankGuesser(TEXT)), "the time trav_ller")
    [(data, raw)] = shown
    assert raw and data["text/plain"].startswith("(A text box")
    assert "application/vnd.jupyter.widget-view+json" in data


class Ipywidgets7Box:
    """What ipywidgets 7 (Colab's 7.7.1) gives: no _repr_mimebundle_; a model id and the
    callbacks its display runs."""
    model_id = "abc123"

    def __init__(self):
        self.displayed = 0

    def _handle_displayed(self):
        self.displayed += 1


def test_an_ipywidgets_7_widget_is_shown_by_its_view_reference(shown):
    box = Ipywidgets7Box()
    widgets.display_with_hint(box, "(hint)")
    [(data, raw)] = shown
    assert raw and data["text/plain"] == "(hint)"
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == "abc123"
    assert box.displayed == 1


def test_without_ipywidgets_the_example_is_shown_once(monkeypatch, capsys):
    monkeypatch.setattr(widgets, "_ipywidgets", lambda: None)
    widgets.blank_guesser_box(show_with(BlankGuesser(TEXT)), "the time trav_ller")
    assert capsys.readouterr().out.startswith("char e")


def growing_figure(k=3, T=10, blank=5, seed=0):
    fig = plt.figure(figsize=(max(8.0, 0.55 * T + 4.5), 5.2))
    fig.add_subplot().plot(range(T))
    plt.close(fig)
    return fig


def test_the_sliders_redraw_at_one_size_two_to_a_row_and_the_blank_follows_T(shown):
    sliders = widgets.trellis_sliders(growing_figure, {"k": 3, "T": 10, "blank": 5, "seed": 18},
                                      {"k": (2, 6), "T": (3, 16), "blank": (1, 16), "seed": (0, 20)},
                                      {"blank": "blank"})
    first = shown[0][0]
    box, raw = shown[1]
    assert raw and box["text/plain"].startswith("(Sliders")
    assert sliders["blank"].max == 10
    sliders["T"].value = 16
    assert sliders["blank"].max == 16
    redrawn = [obj for obj, kind in shown if kind == "update"]
    assert redrawn and all(tuple(f.get_size_inches()) == tuple(first.get_size_inches())
                           for f in redrawn)
    sliders["blank"].value = 16
    sliders["T"].value = 4   # the blank is clamped to 4, which redraws once
    assert sliders["blank"].value == 4 and sliders["blank"].max == 4
    for slider in sliders.values():
        total = int(slider.layout.width.rstrip("px"))
        described = int(slider.style.description_width.rstrip("px"))
        assert total - described - 60 >= widgets.MIN_TRACK_PX   # 60 px: the read-out


def test_without_ipywidgets_the_static_figure_and_a_line(shown, monkeypatch, capsys):
    monkeypatch.setattr(widgets, "_ipywidgets", lambda: None)
    assert widgets.trellis_sliders(growing_figure, {"T": 10, "blank": 5}, {}) == {}
    assert len(shown) == 1 and "ipywidgets is not installed" in capsys.readouterr().out
