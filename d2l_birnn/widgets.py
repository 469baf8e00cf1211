"""The notebooks' interactive explorers: notebook 01's text box and notebook 02's trellis sliders.

Both degrade gracefully: without ``ipywidgets`` (or when a notebook runs unattended) the cell
still shows its static result, and the saved notebook keeps no widget state. A widget's output
carries a one-line hint as its text form, so a notebook opened before it runs shows the static
figure and that hint instead of ``HBox(children=(IntSlider(...``.

* :func:`blank_guesser_box` (01): a text box and a slider call ``show(sentence, k)``; a sentence
  without exactly one ``_``, or whose letters are not a-z, gets a one-line message instead of a
  traceback (:func:`sentence_problem`).
* :func:`trellis_sliders` (02): ``figure(k=, T=, blank=, seed=)`` redrawn in place at one fixed
  size, four sliders two to a row, each track at least 200 px wide; the blank's range follows T.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from .i18n import CATALOGUE, msg

_MESSAGES = {
    "widgets.no_blank": ("Write the sentence with one _ for the blank: this one has none.",
                         "请在句子中用一个 _ 表示空位：这个句子没有 _。"),
    "widgets.blanks": ("Write the sentence with only one _ for the blank: this one has {count}.",
                       "请在句子中只用一个 _ 表示空位：这个句子有 {count} 个。"),
    "widgets.dropped": ("The models know only the letters a-z; left out: {chars}",
                        "模型只认识字母 a-z；已忽略：{chars}"),
    "widgets.no_context": ("Nothing is left around the blank: write the sentence in English letters.",
                           "空位两侧没有可用的文字：请用英文字母写句子。"),
    "widgets.hint_text_box": ("(A text box and a slider: run this cell in Jupyter to try your own "
                              "sentence.)", "（文本框和滑块：在 Jupyter 中运行本单元格，试试自己的句子。）"),
    "widgets.hint_sliders": ("(Sliders for k, T, the blank and the seed: run this cell in Jupyter "
                             "to move them.)", "（k、T、空位和随机种子的滑块：在 Jupyter 中运行本单元格"
                             "即可拖动。）"),
}
for _key, _texts in _MESSAGES.items():   # the catalogue's entries for this module
    CATALOGUE.setdefault(_key, _texts)

SLIDER_WIDTH = "420px"        # description 80 px + track >= 260 px + read-out
DESCRIPTION_WIDTH = "80px"
MIN_TRACK_PX = 200


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError:
        return None
    return ipywidgets


def dropped_letters(sentence: str) -> str:
    """The letters of ``sentence`` that the a-z models cannot read (e.g. Chinese, accented)."""
    seen = []
    for ch in sentence:
        if unicodedata.category(ch).startswith("L") and not re.fullmatch("[a-z]", ch.lower()) \
                and ch not in seen:
            seen.append(ch)
    return "".join(seen)


def sentence_problem(sentence: str) -> str | None:
    """A one-line message when ``sentence`` cannot be guessed (None when it can): not exactly
    one ``_``, or nothing in a-z left on either side of it."""
    count = sentence.count("_")
    if count == 0:
        return msg("widgets.no_blank")
    if count > 1:
        return msg("widgets.blanks", count=count)
    if not re.search("[a-z]", sentence.lower()):
        return msg("widgets.no_context")
    return None


def guess_safely(show: Callable, sentence: str, k: int = 3) -> None:
    """Call ``show(sentence, k)``, or print one line saying what is wrong with the sentence;
    letters outside a-z are named before the guesses (the models drop them)."""
    problem = sentence_problem(sentence)
    if problem is not None:
        print(problem)
        return
    dropped = dropped_letters(sentence)
    if dropped:
        print(msg("widgets.dropped", chars=dropped))
    try:
        show(sentence, k)
    except ValueError as error:   # anything else the guesser refuses: its message, one line
        print(str(error).splitlines()[0])


def display_with_hint(widget, hint: str) -> None:
    """Display ``widget`` with ``hint`` as its text form (what a notebook shows before it runs,
    and what a front end without widgets shows)."""
    from IPython.display import display

    data = {k: v for k, v in widget_bundle(widget).items() if k != "text/plain"}
    data["text/plain"] = hint
    display(data, raw=True)
    if not hasattr(widget, "_repr_mimebundle_") and hasattr(widget, "_handle_displayed"):
        widget._handle_displayed()   # ipywidgets 7 runs its on_displayed callbacks here


def widget_bundle(widget) -> dict:
    """The MIME bundle that displays ``widget``: ipywidgets 8's ``_repr_mimebundle_``, or, on
    ipywidgets 7 (Colab's 7.7.1), the view reference its ``_ipython_display_`` would send."""
    if hasattr(widget, "_repr_mimebundle_"):
        bundle = widget._repr_mimebundle_()
        return dict(bundle[0] if isinstance(bundle, tuple) else bundle)
    return {"text/plain": repr(widget),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


def blank_guesser_box(show: Callable, example: str, k: int = 3, max_k: int = 8) -> None:
    """Notebook 01's text box: ``show(sentence, k)`` prints the guesses for ``sentence``.

    With ipywidgets: a text box (updated on Enter) and a slider for ``k``; otherwise the example
    is shown once. Wrong input prints one line (:func:`guess_safely`)."""
    widgets = _ipywidgets()
    if widgets is None:
        guess_safely(show, example, k)
        return
    style, wide = {"description_width": DESCRIPTION_WIDTH}, widgets.Layout(width="640px")
    box = widgets.interactive(
        lambda sentence, k: guess_safely(show, sentence, k),
        sentence=widgets.Text(value=example, continuous_update=False, style=style, layout=wide,
                              description=msg("nb01.widget.sentence")),
        k=widgets.IntSlider(value=k, min=1, max=max_k, style=style,
                            layout=widgets.Layout(width=SLIDER_WIDTH),
                            description=msg("nb01.widget.guesses")))
    display_with_hint(box, msg("widgets.hint_text_box"))   # (interactive ran the example once)


def _sliders(widgets, values: dict, ranges: dict, labels: dict) -> dict:
    layout, style = widgets.Layout(width=SLIDER_WIDTH), {"description_width": DESCRIPTION_WIDTH}
    return {name: widgets.IntSlider(value, min=ranges[name][0], max=ranges[name][1],
                                    description=labels.get(name, name), layout=layout, style=style,
                                    continuous_update=False)
            for name, value in values.items()}


def trellis_sliders(figure: Callable, values: dict, ranges: dict, labels: dict | None = None,
                    follows: tuple[str, str] = ("T", "blank")) -> dict:
    """Notebook 02's explorer: shows ``figure(**values)`` and, with ipywidgets, one slider per
    value (two to a row) that redraws it in place at the first figure's size.

    ``ranges``: name -> (min, max); ``labels``: name -> slider label; ``follows``: (length,
    position): the position's slider runs from its minimum to the length's value. Returns the
    sliders by name (empty without ipywidgets, after printing why)."""
    from IPython.display import display

    first = figure(**values)
    size = tuple(first.get_size_inches())   # every redraw keeps it: the page does not jump

    def draw(**kwargs):
        fig = figure(**kwargs)
        fig.set_size_inches(*size)
        return fig

    handle = display(first, display_id=True)
    widgets = _ipywidgets()
    if widgets is None:
        print(msg("nb02.trellis.no_widgets"))
        return {}
    sliders = _sliders(widgets, values, ranges, labels or {})
    length, position = follows
    if position in sliders:
        sliders[position].max = values[length]

    def redraw(change):
        if change["owner"] is sliders.get(length) and position in sliders:
            clamped = sliders[position].value > change["new"]
            sliders[position].max = change["new"]   # a clamped position redraws by itself
            if clamped:
                return
        handle.update(draw(**{name: s.value for name, s in sliders.items()}))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    items = list(sliders.values())
    rows = [widgets.HBox(items[i:i + 2]) for i in range(0, len(items), 2)]
    display_with_hint(widgets.VBox(rows), msg("widgets.hint_sliders"))
    return sliders


__all__ = ["blank_guesser_box", "display_with_hint", "dropped_letters", "guess_safely",
           "sentence_problem", "trellis_sliders", "widget_bundle"]
