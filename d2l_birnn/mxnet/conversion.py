"""Moving weights and states between Gluon's fused RNN layers and :class:`~d2l_birnn.scratch.BiRNNScratch`."""

from __future__ import annotations

import re

from .scratch import BiRNNScratch

_GLUON_NAME = re.compile(r"(?:^|_)([lr]\d+)_(i2h|h2h)_(weight|bias)$")
_SCRATCH_PART = {("i2h", "weight"): "W_xh", ("h2h", "weight"): "W_hh",
                 ("i2h", "bias"): "b_xh", ("h2h", "bias"): "b_hh"}


def scratch_name(gluon_name: str) -> tuple[str, bool]:
    """``('l0_W_xh', True)`` for ``'lstm0_l0_i2h_weight'``: the scratch model's
    name for a Gluon RNN parameter, and whether the array must be transposed."""
    match = _GLUON_NAME.search(gluon_name)
    if match is None:
        raise ValueError(f"{gluon_name!r} is not a parameter of a Gluon rnn.RNN/GRU/LSTM layer "
                         f"(expected a name ending like 'l0_i2h_weight' or 'r1_h2h_bias')")
    prefix, kind, what = match.groups()
    return f"{prefix}_{_SCRATCH_PART[kind, what]}", what == "weight"


def gluon_to_scratch(arrays: dict) -> dict:
    """Rename (and transpose) Gluon-layout arrays to the scratch model's layout.

    ``arrays``: {Gluon parameter name: array}, e.g. the parameters' data or
    their gradients. Returns {scratch name: array} (weights transposed from
    (G h, d) to (d, G h)), so gradients can be compared name by name.
    """
    out = {}
    for name, value in arrays.items():
        new, transpose = scratch_name(name)
        out[new] = value.T if transpose else value
    return out


def load_gluon_rnn(model: BiRNNScratch, layer, dense=None) -> BiRNNScratch:
    """Copy the weights of a Gluon ``rnn.RNN/GRU/LSTM`` layer (and optionally of an
    ``nn.Dense`` output layer, ``flatten=False``) into ``model``; returns ``model``.

    The layer must be initialised and match the model: cell, hidden size,
    number of layers and directions (``ValueError`` saying what differs).
    The copies are new arrays: call ``model.attach_grad()`` afterwards to train.
    """
    mode = getattr(layer, "_mode", None)
    cell = {"rnn_tanh": "rnn", "rnn_relu": "rnn", "gru": "gru", "lstm": "lstm"}.get(mode)
    activation = "relu" if mode == "rnn_relu" else "tanh"
    wanted = (cell, activation, layer._num_layers, layer._dir)
    have = (model.cell, model.activation, model.num_layers, model.num_directions)
    if wanted != have:
        raise ValueError(
            f"the Gluon layer (cell, activation, num_layers, directions) = {wanted} does not "
            f"match the scratch model's {have}; build BiRNNScratch(..., cell={cell!r}, "
            f"activation={activation!r}, num_layers={wanted[2]}, "
            f"bidirectional={wanted[3] == 2})")
    new = gluon_to_scratch({name: p.data() for name, p in layer.collect_params().items()})
    if dense is not None:
        new["W_hq"] = dense.weight.data().T
        new["b_q"] = dense.bias.data()
    missing = sorted(set(model.params) - set(new))
    if missing:
        raise ValueError(f"no Gluon weights for {missing}; pass the output layer as dense=")
    for name, value in new.items():
        if name not in model.params:
            raise ValueError(f"the scratch model has no parameter {name!r}")
        if tuple(value.shape) != tuple(model.params[name].shape):
            raise ValueError(f"{name}: the Gluon weight has shape {tuple(value.shape)}, the "
                             f"scratch model's is {tuple(model.params[name].shape)}; check "
                             f"num_inputs and num_hiddens")
        model.params[name] = value.copy().as_in_ctx(model.ctx)
    return model


def state_from_gluon(state: list) -> list[tuple]:
    """Gluon's state list ``[H]`` or ``[H, C]``, each (layers * dirs, N, h), as the
    scratch model's list of per-layer-and-direction tuples, each array (N, h)."""
    return [tuple(s[i] for s in state) for i in range(state[0].shape[0])]


def state_to_gluon(state: list[tuple]) -> list:
    """The scratch model's states stacked as Gluon's: ``[H]`` or ``[H, C]``,
    each (layers * dirs, N, h). Needs the same h in both directions."""
    from mxnet import np as mnp

    sizes = {entry[0].shape for entry in state}
    if len(sizes) != 1:
        raise ValueError(f"states of shapes {sorted(sizes)} cannot be stacked as Gluon's: "
                         f"Gluon layers need the same hidden size in both directions")
    return [mnp.stack([entry[i] for entry in state]) for i in range(len(state[0]))]


__all__ = ["gluon_to_scratch", "load_gluon_rnn", "scratch_name", "state_from_gluon",
           "state_to_gluon"]
