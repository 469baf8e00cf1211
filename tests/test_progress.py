"""d2l_birnn.progress: the live plot draws d2l's epochs (every 10th from 10 epochs on)."""

import matplotlib
import pytest

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


@pytest.mark.parametrize("chosen", [["png"], ["svg"]])
def test_the_live_plot_keeps_the_notebooks_figure_format(chosen):
    """d2l's Animator switches inline figures to SVG (hidden in untrusted notebooks): put back."""
    pytest.importorskip("d2l.mxnet")
    from matplotlib_inline import backend_inline

    from d2l_birnn.progress import PerplexityPlot, _figure_formats

    backend_inline.set_matplotlib_formats(*chosen)
    plot = PerplexityPlot(3)
    plot.add(1, 5.0)
    assert _figure_formats() == chosen
    ticks = plot.animator.axes[0].get_xticks()
    assert all(float(t).is_integer() for t in ticks), f"epoch ticks must be whole numbers: {ticks}"
