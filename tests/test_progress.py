"""d2l_birnn.progress: the live plot draws d2l's epochs (every 10th from 10 epochs on)."""

import matplotlib

matplotlib.use("Agg")

from d2l_birnn.progress import PerplexityPlot  # noqa: E402


def _plotted(plot):
    return list(plot.animator.X[0]) if plot.animator.X else []


def test_every_tenth_epoch_from_ten_epochs_on_and_resumed_epochs_first():
    plot = PerplexityPlot(30, history=[5.0] * 12)          # 12 epochs resumed
    assert _plotted(plot) == [10]
    for epoch in range(13, 31):
        plot.add(epoch, 2.0)
    assert _plotted(plot) == [10, 20, 30]


def test_every_epoch_below_ten():
    plot = PerplexityPlot(4)
    for epoch in range(1, 5):
        plot.add(epoch, 3.0)
    assert _plotted(plot) == [1, 2, 3, 4]
