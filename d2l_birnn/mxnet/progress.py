"""The live perplexity plot of the MXNet ``train_ch8``: d2l's ``Animator`` from ``d2l.mxnet``
(which loads MXNet), one point every few epochs."""

from __future__ import annotations


class PerplexityPlot:
    """d2l's live plot of training perplexity against the epoch.

    Plots every 10th epoch when there are at least 10 (every epoch otherwise),
    as d2l does; ``history`` holds the perplexities of epochs already done
    (e.g. resumed from a checkpoint), which are drawn first.
    """

    def __init__(self, num_epochs: int, history=()):
        from d2l.mxnet import Animator

        from ..i18n import msg

        formats = _figure_formats()   # d2l's Animator switches them to SVG: restored below

        self.step = 10 if num_epochs >= 10 else 1
        self.animator = Animator(xlabel=msg("axis.epoch"), ylabel=msg("word.perplexity"),
                                 legend=[msg("word.train")],
                                 xlim=[1 if num_epochs < 10 else 10, max(num_epochs, 2)])
        configure_axes = self.animator.config_axes   # runs after every redraw (add() clears the axes)
        self.animator.config_axes = lambda: (configure_axes(), _integer_epoch_ticks(self.animator.axes[0]))
        _set_figure_formats(formats)
        for epoch, perplexity in enumerate(history, 1):
            self.add(epoch, perplexity)

    def add(self, epoch: int, perplexity: float) -> None:
        """Draw the perplexity of ``epoch`` (1-based) if it is one of the plotted epochs."""
        if epoch % self.step == 0:
            self.animator.add(epoch, [perplexity])


def _integer_epoch_ticks(ax) -> None:
    """Epochs are whole numbers: no tick at 1.5 on a short (quick-mode) run."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


FORMATS = {"image/png": "png", "image/svg+xml": "svg", "application/pdf": "pdf", "image/jpeg": "jpeg"}


def _figure_formats() -> list[str]:
    """The formats Jupyter's inline backend draws figures in now, e.g. ``['png']``."""
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    formatters = InteractiveShell.instance().display_formatter.formatters
    active = []
    for mime, name in FORMATS.items():
        try:
            formatters[mime].lookup_by_type(Figure)
            active.append(name)
        except KeyError:
            pass
    return active


def _set_figure_formats(formats: list[str]) -> None:
    """Put back the inline figure formats that d2l's ``Animator`` replaced with SVG.

    Notebooks show PNG (the inline default): JupyterLab does not render SVG outputs of
    an untrusted notebook, one opened without being run, nor does every viewer. A
    caller that chose SVG on purpose (the lecture decks) keeps it.
    """
    from matplotlib_inline import backend_inline

    backend_inline.set_matplotlib_formats(*(formats or ["png"]))


__all__ = ["PerplexityPlot"]
