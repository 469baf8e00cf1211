"""Tests for d2l_birnn.plotting: each drawing returns what it drew, with the expected parts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from d2l_birnn import plotting  # noqa: E402
from d2l_birnn.hmm import HMM  # noqa: E402


# ---------------------------------------------------------------------------
# HMM trellis and the HMM/BiRNN bridge
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("k,T,blank", [(3, 10, 4), (2, 5, 0), (4, 6, 5), (1, 1, 0)])
def test_draw_hmm_trellis_draws_messages_up_to_the_blank(k, T, blank):
    model = HMM.random(k, 4, rng=0)
    _, x = model.sample(T, rng=1)
    fig = plotting.draw_hmm_trellis(model, x, blank, symbols="ab d")
    try:
        assert isinstance(fig, Figure)
        ax_f, ax_b, ax_p = fig.axes
        forward_dots = [c for c in ax_f.collections if isinstance(c, PathCollection)]
        backward_dots = [c for c in ax_b.collections if isinstance(c, PathCollection)]
        assert len(forward_dots[0].get_offsets()) == (blank + 1) * k   # t = 0..blank
        assert len(backward_dots[0].get_offsets()) == (T - blank) * k  # t = blank..T-1
        edges = [c for c in ax_f.collections if isinstance(c, LineCollection)]
        assert len(edges[0].get_segments()) == blank * k * k
        # the dots' colours are the normalised forward messages
        np.testing.assert_allclose(forward_dots[0].get_array(),
                                   model.forward(x).messages[:blank + 1].ravel())
        labels = [t.get_text() for t in ax_f.get_xticklabels()]
        assert labels[blank] == "_" and len(labels) == T
        assert ("␣" in labels) == (2 in np.delete(x, blank))             # spaces are visible
        bars = [p for p in ax_p.patches if isinstance(p, Rectangle)]
        assert len(bars) == 2 * 4                                         # left and both, V=4
        widths = sorted(b.get_width() for b in bars)
        np.testing.assert_allclose(widths, sorted(np.r_[model.fill_in(x, blank),
                                                        model.fill_in_left(x, blank)]))
    finally:
        plt.close(fig)


def test_draw_hmm_trellis_rejects_bad_input():
    model = HMM.random(2, 3, rng=0)
    with pytest.raises(ValueError, match="blank must be an int position"):
        plotting.draw_hmm_trellis(model, [0, 1, 2], 3)
    with pytest.raises(ValueError, match="symbols has 2 labels but the model has 3"):
        plotting.draw_hmm_trellis(model, [0, 1, 2], 1, symbols="ab")
    with pytest.raises(ValueError, match="out of range"):
        plotting.draw_hmm_trellis(model, [0, 1, 5], 1)
    plt.close("all")


def test_draw_hmm_messages():
    ax = plotting.draw_hmm_messages(3)
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 5 * 3                       # x, pi, rho, product, fill-in per step
    texts = {t.get_text() for t in ax.texts}
    assert {r"$\pi_2$", r"$\rho_3$", r"$x_1$"} <= texts
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="num_steps must be an int from 1 to 12"):
        plotting.draw_hmm_messages(0)


# ---------------------------------------------------------------------------
# Bidirectional RNN figures
# ---------------------------------------------------------------------------
def test_draw_birnn_unrolled_draws_every_node_and_arrow():
    ax = plotting.draw_birnn_unrolled(3)
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 5 * 3 + 2                 # X, H^f, H^b, H, O per step + 2 initial states
    texts = {t.get_text() for t in ax.texts}
    assert {r"$H^f_0$", r"$H^b_{4}$", r"$X_3$", r"$H^b_1$", r"$O_2$"} <= texts
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 5 * 3 + 2 * 3            # 5 per step + both chains (from the states)
    plt.close(ax.figure)


@pytest.mark.parametrize("bad", [0, 13, 2.5, True])
def test_draw_birnn_unrolled_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="num_steps must be an int from 1 to 12"):
        plotting.draw_birnn_unrolled(bad)


def test_plot_dependency_maps_one_panel_per_map_zeros_left_blank():
    axes = plotting.plot_dependency_maps({"uni": np.tril(np.ones((4, 4))), "bi": np.ones((4, 4))})
    try:
        assert [ax.get_title() for ax in axes] == ["uni", "bi"]
        shown = axes[0].images[0].get_array()
        assert shown.mask.sum() == 6                        # the 6 zeros above the diagonal
        assert not shown.mask[np.tril_indices(4)].any()
        assert not np.ma.getmaskarray(axes[1].images[0].get_array()).any()
        # time steps count from 1, as in the math
        assert [t.get_text() for t in axes[0].get_xticklabels()] == ["1", "2", "3", "4"]
        assert [t.get_text() for t in axes[0].get_yticklabels()] == ["1", "2", "3", "4"]
    finally:
        plt.close(axes[0].figure)
    with pytest.raises(ValueError, match="square"):
        plotting.plot_dependency_maps({"x": np.ones((3, 4))})
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_dependency_maps({})
    with pytest.raises(ValueError, match="not all zero"):
        plotting.plot_dependency_maps({"x": np.zeros((3, 3))})


# ---------------------------------------------------------------------------
# Font sizes follow rcParams (a projection style with larger fonts scales every figure)
# ---------------------------------------------------------------------------
def test_font_sizes_are_relative_so_a_larger_style_scales_every_text():
    import re
    from pathlib import Path

    source = Path(plotting.__file__).read_text(encoding="utf-8")
    assert not re.search(r"fontsize=\d", source), "use relative sizes ('small', 'large', ...)"
    model = HMM.random(2, 3, rng=0)
    _, x = model.sample(5, rng=1)
    sizes = {}
    for base in (10, 20):
        with matplotlib.rc_context({"font.size": base}):
            figures = [plotting.draw_birnn_unrolled(3).figure, plotting.draw_hmm_messages(3).figure,
                       plotting.draw_hmm_trellis(model, x, 2)]
            texts = [t for fig in figures for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
            sizes[base] = [t.get_fontsize() for t in texts]
            for fig in figures:
                plt.close(fig)
    assert len(sizes[10]) == len(sizes[20])
    np.testing.assert_allclose(sizes[20], 2 * np.array(sizes[10]))


def test_plot_dependency_maps_linear_scale_for_path_lengths():
    lengths = {"uni": np.tril(np.arange(1, 17).reshape(4, 4)), "bi": np.full((4, 4), 8.0)}
    axes = plotting.plot_dependency_maps(lengths, scale="linear", first_step=1,
                                         colorbar_label="longest chain")
    try:
        image = axes[0].images[0]
        assert image.norm.vmin == 1 and image.norm.vmax == 16           # shared, absolute
        np.testing.assert_array_equal(image.get_array().filled(0), lengths["uni"])
        assert [t.get_text() for t in axes[0].get_xticklabels()] == ["1", "2", "3", "4"]
        assert axes[0].figure.axes[-1].get_ylabel() == "longest chain"  # the colorbar
    finally:
        plt.close(axes[0].figure)
    with pytest.raises(ValueError, match="scale must be 'log' or 'linear'"):
        plotting.plot_dependency_maps(lengths, scale="sqrt")


def test_the_bridge_figures_text_is_large_on_a_slide(tmp_path):
    """Scaled to fill a 1280x720 slide, with the lecture deck's font sizes (tools/lecture.mplrc),
    every text of the HMM and BiRNN pictures of notebook 02's bridge is >= 14 pt, mathtext
    sub/superscripts (drawn at 0.7 of the size) included."""
    import re
    from pathlib import Path

    rc_file = Path(__file__).resolve().parent.parent / "tools" / "lecture.mplrc"
    for draw in (plotting.draw_hmm_messages, plotting.draw_birnn_unrolled):
        with matplotlib.rc_context(fname=str(rc_file)):
            fig = draw(4).figure
            fig.savefig(tmp_path / "panel.svg", bbox_inches="tight")   # as the inline backend crops
            sizes = [t.get_fontsize() for ax in fig.axes for t in [*ax.texts, ax.title] if t.get_text()]
            plt.close(fig)
        svg = (tmp_path / "panel.svg").read_text(encoding="utf-8")
        width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
        scale = min(1264 / (width * 96 / 72), 600 / (height * 96 / 72))   # SVG pt -> CSS px, fit
        assert 0.7 * min(sizes) * scale >= 14, (draw.__name__, min(sizes), scale)


def test_the_trellis_numbers_the_blank_from_1():
    model = HMM.random(2, 3, rng=0)
    _, x = model.sample(6, rng=1)
    fig = plotting.draw_hmm_trellis(model, x, 2)
    try:
        assert fig.axes[1].get_xlabel().endswith("position 3)") or "3" in fig.axes[1].get_xlabel()
    finally:
        plt.close(fig)
    fig = plotting.draw_hmm_trellis(model, x, 2, first_step=0)
    try:
        assert "2" in fig.axes[1].get_xlabel() and "3" not in fig.axes[1].get_xlabel()
    finally:
        plt.close(fig)
