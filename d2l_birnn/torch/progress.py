"""The live perplexity plot of the PyTorch ``train_ch8``; matplotlib only, no framework.

The MXNet edition draws with d2l's ``Animator`` from ``d2l.mxnet``
(:mod:`d2l_birnn.mxnet.progress`), which loads MXNet; ``d2l.torch``'s ``Animator`` loads
torchvision. This one draws the same figure (epoch against perplexity, one point
every 10th epoch when there are at least 10, as d2l does) with matplotlib alone,
as a PNG in Jupyter.
"""

from __future__ import annotations


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class PerplexityPlot:
    """Live plot of training perplexity against the epoch; ``history``: epochs already done."""

    def __init__(self, num_epochs: int, history=()):
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        from ..i18n import msg

        self.step = 10 if num_epochs >= 10 else 1
        self.xlim = (1 if num_epochs < 10 else 10, max(num_epochs, 2))
        self.labels = (msg("axis.epoch"), msg("word.perplexity"), msg("word.train"))
        self.fig, self.ax = plt.subplots(figsize=(3.5, 2.5))
        self.locator = MaxNLocator(integer=True)
        self.X: list[int] = []
        self.Y: list[float] = []
        self.notebook = _in_notebook()
        for epoch, perplexity in enumerate(history, 1):
            self.add(epoch, perplexity)

    def add(self, epoch: int, perplexity: float) -> None:
        """Draw the perplexity of ``epoch`` (1-based) if it is one of the plotted epochs."""
        if epoch % self.step:
            return
        self.X.append(epoch)
        self.Y.append(perplexity)
        ax = self.ax
        ax.cla()
        ax.plot(self.X, self.Y, "-", label=self.labels[2])
        ax.set_xlabel(self.labels[0])
        ax.set_ylabel(self.labels[1])
        ax.set_xlim(*self.xlim)
        ax.xaxis.set_major_locator(self.locator)
        ax.legend()
        ax.grid()
        if self.notebook:
            from IPython import display

            display.display(self.fig)
            display.clear_output(wait=True)


__all__ = ["PerplexityPlot"]
