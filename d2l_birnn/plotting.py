"""Figures drawn by code, so that every picture is regenerated and never copied.

Each function draws on a given matplotlib ``Axes`` (or makes a new figure) and
returns what it drew on. Every word in a figure comes from the message catalogue
(:mod:`d2l_birnn.i18n`, language ``$D2L_BIRNN_LANG``); font sizes are relative
("medium", "large", ...), so a style with larger fonts (projection) scales them all.
Time steps are numbered from 1, as in the math (``X_1, ..., X_T``).
"""

from __future__ import annotations

import os as _os

from .i18n import LANG_ENV as _LANG_ENV
from .i18n import msg

if _os.environ.get(_LANG_ENV, "").strip().lower().startswith("zh"):
    from .fonts import use_cjk_font as _use_cjk_font

    _use_cjk_font()   # a CJK font first in matplotlib's list (msg() in zh does it too)

# ---------------------------------------------------------------------------
# Bidirectional RNNs: the unrolled network and who depends on whom
# ---------------------------------------------------------------------------
FORWARD_COLOR, BACKWARD_COLOR = "#9ecae1", "#fdae6b"


def _box(ax, xy, label: str, color: str, size=(0.72, 0.5), fontsize="large"):
    from matplotlib.patches import FancyBboxPatch

    (x, y), (w, h) = xy, size
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.03",
                                facecolor=color, edgecolor="black", linewidth=1))
    ax.text(x, y, label, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, a, b, color="black", size=(0.72, 0.5), style="-|>", linestyle="-"):
    """An arrow from the edge of the box centred at ``a`` to the edge of the box at ``b``."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    pad = 0.06
    t = min((size[0] / 2 + pad) / abs(dx) if dx else float("inf"),
            (size[1] / 2 + pad) / abs(dy) if dy else float("inf"))
    ax.annotate("", xy=(x2 - t * dx, y2 - t * dy), xytext=(x1 + t * dx, y1 + t * dy),
                arrowprops=dict(arrowstyle=style, color=color, linewidth=1.3,
                                linestyle=linestyle, shrinkA=0, shrinkB=0))


def _unrolled_layout(num_steps: int, ax):
    """Axes and box positions shared by the unrolled BiRNN and HMM pictures.

    Returns ``(ax, (T, off, gap, rows, xs, fwd, bwd))``: ``rows`` maps a row name
    (x, f, b, h, o) to its height, ``xs`` are the time steps' centres and
    ``fwd``/``bwd`` the (x, y) centres of the forward and backward boxes.
    """
    import matplotlib.pyplot as plt

    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or not 1 <= num_steps <= 12:
        raise ValueError(f"num_steps must be an int from 1 to 12, got {num_steps!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.1 * num_steps + 2.8, 5.2))
    T, off, gap = num_steps, 0.45, 2.2
    rows = {"x": 0.0, "f": 1.2, "b": 2.4, "h": 3.6, "o": 4.8}
    xs = [gap * (t + 1) for t in range(T)]
    fwd = [(x - off, rows["f"]) for x in xs]
    bwd = [(x + off, rows["b"]) for x in xs]
    return ax, (T, off, gap, rows, xs, fwd, bwd)


def draw_birnn_unrolled(num_steps: int = 4, ax=None):
    """Draw a one-layer bidirectional RNN unrolled over ``num_steps`` steps.

    Bottom to top: inputs ``X_t``; the forward chain ``H_t^f`` (arrows left to
    right, from ``H_0^f``); the backward chain ``H_t^b`` (arrows right to left,
    from ``H_{T+1}^b``); their concatenation ``H_t``; the outputs ``O_t``.
    The two chains are drawn side by side so that no arrow hides a box.
    Returns the matplotlib ``Axes``.
    """
    ax, (T, off, gap, rows, xs, fwd, bwd) = _unrolled_layout(num_steps, ax)
    f0, bT = (xs[0] - gap + off, rows["f"]), (xs[-1] + gap - off, rows["b"])
    _box(ax, f0, r"$H^f_0$", "white")
    _box(ax, bT, rf"$H^b_{{{T + 1}}}$", "white")
    for t, x in enumerate(xs, 1):
        _box(ax, (x, rows["x"]), rf"$X_{t}$", "#e5e5e5")
        _box(ax, fwd[t - 1], rf"$H^f_{t}$", FORWARD_COLOR)
        _box(ax, bwd[t - 1], rf"$H^b_{t}$", BACKWARD_COLOR)
        _box(ax, (x, rows["h"]), rf"$H_{t}$", "#c7e9c0", size=(0.9, 0.5))
        _box(ax, (x, rows["o"]), rf"$O_{t}$", "#dadaeb")
        _arrow(ax, (x, rows["x"]), fwd[t - 1], "#3182bd")
        _arrow(ax, (x, rows["x"]), bwd[t - 1], "#e6550d")
        _arrow(ax, fwd[t - 1], (x, rows["h"]), "#3182bd")
        _arrow(ax, bwd[t - 1], (x, rows["h"]), "#e6550d")
        _arrow(ax, (x, rows["h"]), (x, rows["o"]))
    for a, b in zip([f0] + fwd[:-1], fwd):
        _arrow(ax, a, b, "#3182bd")
    for a, b in zip([bT] + bwd[::-1][:-1], bwd[::-1]):
        _arrow(ax, a, b, "#e6550d")
    notes = {"x": msg("plot.birnn.inputs"), "f": msg("plot.birnn.forward"),
             "b": msg("plot.birnn.backward"), "h": msg("plot.birnn.concat"),
             "o": msg("plot.birnn.outputs")}
    for key, text in notes.items():
        ax.text(xs[-1] + gap + 0.15, rows[key], text, ha="left", va="center", fontsize="large")
    ax.set_xlim(f0[0] - 0.6, xs[-1] + gap + 2.7)
    ax.set_ylim(-0.5, rows["o"] + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(msg("plot.birnn.title", T=T))
    return ax


def plot_dependency_maps(maps: dict, axes=None, floor: float = 1e-4, *, scale: str = "log",
                         colorbar_label: str | None = None, first_step: int = 1):
    """Heatmaps of ``J[t, s] = ||d o_t / d x_s||`` side by side, one per entry of ``maps``.

    ``maps``: {title: array (T, T)} (rows: output step t, columns: input step s),
    e.g. from :func:`d2l_birnn.jacobians.jacobian_norms`. With ``scale="log"``
    colours are logarithmic, relative to each map's largest entry, down to
    ``floor``; with ``scale="linear"`` they are the values themselves, from 1
    to the largest value of all maps (e.g. path lengths from
    :func:`d2l_birnn.cost.gradient_path_lengths`). Entries that are exactly zero
    are left white. ``colorbar_label`` defaults to the gradient-norm label;
    ticks are numbered from ``first_step`` (1, as in the math; row/column
    ``i`` of the array is step ``first_step + i``). Returns the list of ``Axes``.
    """
    import matplotlib.pyplot as plt
    import numpy as onp
    from matplotlib.colors import LogNorm, Normalize

    if not maps:
        raise ValueError("maps is empty: pass {title: (T, T) array}")
    if scale not in ("log", "linear"):
        raise ValueError(f"scale must be 'log' or 'linear', got {scale!r}")
    arrays = {}
    for title, J in maps.items():
        J = onp.asarray(J, dtype=float)
        if J.ndim != 2 or J.shape[0] != J.shape[1]:
            raise ValueError(f"map {title!r} must be a square (T, T) array, got shape {J.shape}")
        if not onp.isfinite(J).all() or (J < 0).any() or J.max() <= 0:
            raise ValueError(f"map {title!r} must hold finite norms >= 0, not all zero")
        arrays[title] = J
    if axes is None:
        _, axes = plt.subplots(1, len(arrays), figsize=(4.6 * len(arrays), 4.2),
                               squeeze=False, constrained_layout=True)
        axes = list(axes[0])
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("white")
    top = max(J.max() for J in arrays.values())
    image = None
    for ax, (title, J) in zip(axes, arrays.items()):
        if scale == "log":
            shown, norm = J / J.max(), LogNorm(vmin=floor, vmax=1.0)
        else:
            shown, norm = J, Normalize(vmin=min(1.0, top), vmax=top)
        image = ax.imshow(onp.ma.masked_equal(shown, 0.0), cmap=cmap, norm=norm, origin="upper")
        T = J.shape[0]
        ax.set_xticks(range(T), [str(first_step + s) for s in range(T)])
        ax.set_yticks(range(T), [str(first_step + t) for t in range(T)])
        ax.set_xlabel(msg("axis.input_step_s"))
        ax.set_ylabel(msg("axis.output_step_t"))
        ax.set_title(title)   # the caller's words: pass msg(...) texts
    label = msg("plot.dependency.colorbar") if colorbar_label is None else colorbar_label
    plt.colorbar(image, ax=axes, label=label)
    return axes


# ---------------------------------------------------------------------------
# Hidden Markov models: forward/backward messages and the bridge to BiRNNs
# ---------------------------------------------------------------------------
def _symbol_labels(symbols, num_symbols: int) -> list[str]:
    if symbols is None:
        return [str(v) for v in range(num_symbols)]
    labels = ["␣" if s == " " else str(s) for s in symbols]
    if len(labels) != num_symbols:
        raise ValueError(f"symbols has {len(labels)} labels but the model has "
                         f"{num_symbols} symbols")
    return labels


def draw_hmm_trellis(model, x, blank: int, symbols=None, max_bars: int = 12, *,
                     first_step: int = 1):
    """Draw the trellis of an HMM's forward and backward messages around a blank.

    ``model``: a :class:`d2l_birnn.hmm.HMM` with k states; ``x`` (T,): the
    observations (``x[blank]`` is drawn as ``_`` and shown only as the true
    answer); ``blank``: the position to fill in; ``symbols``: a label per
    symbol id (e.g. ``vocab.idx_to_token``). ``blank`` is an array index
    (0-based); the figure numbers time steps from ``first_step`` (1, as in the
    math), so index ``blank`` is called position ``blank + first_step``.

    Three panels: the forward messages ``pi_t(h) = P(h_t = h | x_<t)`` for
    ``t <= blank`` (columns of k dots, area and colour ~ probability, grey
    lines ~ ``trans``); the backward messages ``rho_t(h)`` (normalised) for
    ``t >= blank``; and the ``max_bars`` most likely symbols at the blank,
    ``P(x_j | x_<j)`` from ``pi_j`` alone vs ``P(x_j | x_-j)`` from
    ``pi_j * rho_j``. Returns the matplotlib ``Figure`` (3 axes).
    """
    import matplotlib.pyplot as plt
    import numpy as onp
    from matplotlib.collections import LineCollection

    x = onp.asarray(x)
    fw, bw = model.forward(x), model.backward(x)   # checks x
    T, k = fw.messages.shape
    if isinstance(blank, bool) or not isinstance(blank, (int, onp.integer)) \
            or not 0 <= blank < T:
        raise ValueError(f"blank must be an int position 0 <= blank < T={T}, got {blank!r}")
    labels = _symbol_labels(symbols, model.num_symbols)
    both, left = model.fill_in(x, blank), model.fill_in_left(x, blank)

    fig = plt.figure(figsize=(max(8.0, 0.55 * T + 4.5), 5.2), constrained_layout=True)
    grid = fig.add_gridspec(2, 2, width_ratios=[max(T, 3), 3.2])
    ax_f, ax_b = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0])
    ax_p = fig.add_subplot(grid[:, 1])
    tick_labels = [("_" if t == blank else labels[int(x[t])]) for t in range(T)]
    panels = ((ax_f, fw.messages, range(0, blank + 1), "Blues",
               msg("plot.trellis.forward")),
              (ax_b, bw.messages, range(blank, T), "Oranges",
               msg("plot.trellis.backward")))
    for ax, messages, steps, cmap, title in panels:
        steps = list(steps)
        edges = [((t, i), (t + 1, j)) for t in steps[:-1] for i in range(k) for j in range(k)]
        widths = [2.5 * model.trans[i, j] for t in steps[:-1] for i in range(k) for j in range(k)]
        ax.add_collection(LineCollection(edges, colors="0.6", linewidths=widths, zorder=1))
        tt, hh = onp.meshgrid(steps, range(k), indexing="ij")
        values = messages[steps].ravel()
        ax.scatter(tt.ravel(), hh.ravel(), s=40 + 560 * values, c=values, cmap=cmap,
                   vmin=0, vmax=1, edgecolors="black", linewidths=0.6, zorder=2)
        ax.axvspan(blank - 0.4, blank + 0.4, color="#ffe680", zorder=0)
        ax.set_xlim(-0.6, T - 0.4)
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xticks(range(T))
        ax.set_xticklabels(tick_labels, fontsize="large")
        ax.set_yticks(range(k))
        ax.set_ylabel(msg("plot.trellis.hidden_state"))
        ax.set_title(title, fontsize="large")   # "large": its subscripts stay >= 14 pt on a slide
    ax_b.set_xlabel(msg("plot.trellis.observations", blank=blank + first_step), fontsize="large")

    order = onp.argsort(-both)[:max_bars][::-1]
    ys = onp.arange(len(order))
    ax_p.barh(ys + 0.2, left[order], height=0.4, color="#9ecae1", label=msg("word.left_only"))
    ax_p.barh(ys - 0.2, both[order], height=0.4, color="#fdae6b", label=msg("word.both_sides"))
    ax_p.set_yticks(ys)
    ax_p.set_yticklabels([msg("plot.trellis.true", symbol=labels[v]) if v == x[blank] else labels[v]
                          for v in order])
    ax_p.set_xlabel(msg("plot.trellis.probability"))
    ax_p.set_title(msg("plot.trellis.compare"), fontsize="large")
    ax_p.legend(loc="lower right", fontsize="small")
    return fig


def draw_hmm_messages(num_steps: int = 4, ax=None):
    """Draw the HMM's message passing in the layout of :func:`draw_birnn_unrolled`.

    Bottom to top: observations ``x_t``; forward messages ``pi_t`` (each
    ``pi_{t+1} = f(pi_t, x_t)``, so ``x_t`` feeds the *next* message); backward
    messages ``rho_t`` (``rho_{t-1} = g(rho_t, x_t)``); their product; and the
    fill-in ``P(x_t | x_-t)``, which never sees ``x_t`` itself. Returns the ``Axes``.
    """
    ax, (T, off, gap, rows, xs, fwd, bwd) = _unrolled_layout(num_steps, ax)
    for t, x in enumerate(xs, 1):
        _box(ax, (x, rows["x"]), rf"$x_{t}$", "#e5e5e5")
        _box(ax, fwd[t - 1], rf"$\pi_{t}$", FORWARD_COLOR)
        _box(ax, bwd[t - 1], rf"$\rho_{t}$", BACKWARD_COLOR)
        _box(ax, (x, rows["h"]), rf"$\pi_{t}\rho_{t}$", "#c7e9c0", size=(0.9, 0.5))
        _box(ax, (x, rows["o"]), rf"$P(x_{t}|x_{{-{t}}})$", "#dadaeb", size=(1.5, 0.5),
             fontsize="medium")
        _arrow(ax, fwd[t - 1], (x, rows["h"]), "#3182bd")
        _arrow(ax, bwd[t - 1], (x, rows["h"]), "#e6550d")
        _arrow(ax, (x, rows["h"]), (x, rows["o"]), size=(0.9, 0.5))
        if t < T:   # x_t feeds pi_{t+1}
            _arrow(ax, (x, rows["x"]), fwd[t], "#3182bd", linestyle="--")
        if t > 1:   # x_t feeds rho_{t-1}
            _arrow(ax, (x, rows["x"]), bwd[t - 2], "#e6550d", linestyle="--")
    for a, b in zip(fwd[:-1], fwd[1:]):
        _arrow(ax, a, b, "#3182bd")
    for a, b in zip(bwd[::-1][:-1], bwd[::-1][1:]):
        _arrow(ax, a, b, "#e6550d")
    notes = {"x": msg("plot.hmm.observations"), "f": msg("plot.hmm.forward"),
             "b": msg("plot.hmm.backward"),
             "h": r"$\pi_t(h)\,\rho_t(h)$",
             "o": r"$\propto \sum_h \pi_t(h)\rho_t(h)P(x_t|h)$"}
    for key, text in notes.items():
        ax.text(xs[-1] + gap * 0.75, rows[key], text, ha="left", va="center", fontsize="large")
    ax.set_xlim(xs[0] - gap + 0.2, xs[-1] + gap + 2.7)
    ax.set_ylim(-0.5, rows["o"] + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(msg("plot.hmm.title", T=T))
    return ax
