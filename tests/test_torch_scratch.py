"""The PyTorch BiRNNScratch equals nn.RNN/nn.GRU/nn.LSTM(bidirectional=True): outputs, final
states and every weight gradient; to 1e-10 in float64, and in float32 to a measured tolerance."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from d2l_birnn.torch.jacobians import jacobian_norms, plot_dependency_heatmaps  # noqa: E402
from d2l_birnn.torch.scratch import BiRNNScratch, state_from_torch, state_to_torch  # noqa: E402

LAYERS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
CASES = [(cell, layers) for cell in ("rnn", "gru", "lstm") for layers in (1, 2)]
T, N, D, H = 7, 3, 5, 4
FLOAT32_BOUND = 1e-5  # the largest float32 difference measured below is printed and must stay under


def _pair(cell, num_layers, dtype, bidirectional=True, seed=0):
    torch.manual_seed(seed)
    layer = LAYERS[cell](D, H, num_layers, bidirectional=bidirectional).to(dtype)
    ours = BiRNNScratch(D, H, cell=cell, num_layers=num_layers, bidirectional=bidirectional,
                        dtype=dtype).copy_from(layer)
    return layer, ours


def _random_state(cell, num_layers, dtype, dirs=2):
    shape = (num_layers * dirs, N, H)
    if cell == "lstm":
        return torch.randn(shape, dtype=dtype), torch.randn(shape, dtype=dtype)
    return torch.randn(shape, dtype=dtype)


def _largest_difference(cell, num_layers, dtype, bidirectional=True) -> float:
    """Max |ours - PyTorch| over outputs, final states and every weight gradient, with
    random states in (and a loss that also reads the final states)."""
    layer, ours = _pair(cell, num_layers, dtype, bidirectional)
    X = torch.randn(T, N, D, dtype=dtype)
    state = _random_state(cell, num_layers, dtype, 2 if bidirectional else 1)
    Y, S = layer(X, state)
    Y2, S2 = ours(X, state_from_torch(state, cell))
    S2 = state_to_torch(S2, cell)
    weights = torch.randn_like(Y)

    def loss(y, s):
        states = s if isinstance(s, tuple) else (s,)
        return (y * weights).sum() + sum((t ** 2).sum() for t in states)

    loss(Y, S).backward()
    loss(Y2, S2).backward()
    diffs = [(Y - Y2).abs().max()]
    diffs += [(a - b).abs().max() for a, b in zip(S if cell == "lstm" else (S,),
                                                    S2 if cell == "lstm" else (S2,))]
    theirs = dict(layer.named_parameters())
    mine = ours.torch_grads()
    assert set(mine) == set(theirs)
    diffs += [(theirs[name].grad - g).abs().max() for name, g in mine.items()]
    return float(max(diffs))


@pytest.mark.parametrize("cell,num_layers", CASES)
def test_equal_to_torch_in_float64(cell, num_layers):
    assert _largest_difference(cell, num_layers, torch.float64) < 1e-10


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_unidirectional_equal_to_torch_in_float64(cell):
    assert _largest_difference(cell, 2, torch.float64, bidirectional=False) < 1e-10


def test_float32_tolerance_is_measured_and_printed(capsys):
    worst = {f"{c} x{n}": _largest_difference(c, n, torch.float32) for c, n in CASES}
    with capsys.disabled():
        print("\nfloat32 BiRNNScratch vs PyTorch, largest |difference| over outputs, states and "
              "gradients: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    assert max(worst.values()) < FLOAT32_BOUND
    assert max(worst.values()) > 0  # float32 rounding differs: the comparison is real


def test_a_wrong_weight_is_caught():
    layer, ours = _pair("lstm", 1, torch.float64)
    with torch.no_grad():
        ours.params["r0_b_hh"][0] += 1e-6
    X = torch.randn(T, N, D, dtype=torch.float64)
    assert float((layer(X)[0] - ours(X)[0]).abs().max().detach()) > 1e-10


def test_uneven_directions_equal_two_one_way_layers():
    """h_f != h_b: the forward half is an nn.GRU of h_f, the backward half an nn.GRU of h_b run
    on the reversed sequence."""
    torch.manual_seed(1)
    fwd, bwd = nn.GRU(D, 3).double(), nn.GRU(D, 6).double()
    ours = BiRNNScratch(D, (3, 6), cell="gru", dtype=torch.float64)
    with torch.no_grad():
        for prefix, layer in (("l0_", fwd), ("r0_", bwd)):
            ours.params[prefix + "W_xh"].copy_(layer.weight_ih_l0.T)
            ours.params[prefix + "W_hh"].copy_(layer.weight_hh_l0.T)
            ours.params[prefix + "b_xh"].copy_(layer.bias_ih_l0)
            ours.params[prefix + "b_hh"].copy_(layer.bias_hh_l0)
    X = torch.randn(T, N, D, dtype=torch.float64)
    Y, state = ours(X)
    Yf, Sf = fwd(X)
    Yb, Sb = bwd(X.flip(0))
    assert Y.shape == (T, N, 9)
    assert torch.allclose(Y[..., :3], Yf, atol=1e-12) and torch.allclose(Y[..., 3:], Yb.flip(0), atol=1e-12)
    assert torch.allclose(state[0][0], Sf[0], atol=1e-12) and torch.allclose(state[1][0], Sb[0], atol=1e-12)


def test_states_in_and_out_continue_a_sequence():
    _, ours = _pair("lstm", 2, torch.float64, bidirectional=False)
    X = torch.randn(T, N, D, dtype=torch.float64)
    whole, _ = ours(X)
    first, state = ours(X[:3])
    rest, _ = ours(X[3:], state)
    assert torch.allclose(torch.cat([first, rest]), whole, atol=1e-12)


def test_output_layer_and_parameter_count():
    layer = nn.LSTM(D, H, 2, bidirectional=True)
    ours = BiRNNScratch(D, H, 11, cell="lstm", num_layers=2)
    assert ours.num_parameters() == sum(p.numel() for p in layer.parameters()) + 2 * H * 11 + 11
    O, _ = ours(torch.randn(T, N, D))
    assert O.shape == (T, N, 11)


@pytest.mark.parametrize("kwargs,call,match", [
    ({"cell": "tcn"}, None, "unknown cell"),
    ({"num_hiddens": (3, 4, 5)}, None, "one size per direction"),
    ({"num_hiddens": 0}, None, "num_hiddens must be a positive int"),
    ({"cell": "gru", "activation": "relu"}, None, "cell='rnn' only"),
    ({}, lambda m: m(torch.zeros(T, N, 9)), r"X must have shape \(num_steps, batch_size, 5\)"),
    ({}, lambda m: m(torch.zeros(T, N, D), []), "state must be a list of 2"),
    ({"cell": "lstm"}, lambda m: m(torch.zeros(T, N, D), [(torch.zeros(N, H),)] * 2),
     r"state\[0\] must be a tuple of 2"),
    ({}, lambda m: m.copy_from(nn.GRU(D, H, bidirectional=True)), "does not match"),
])
def test_bad_input_is_refused(kwargs, call, match):
    args = {"num_hiddens": H, **kwargs}
    with pytest.raises(ValueError, match=match):
        model = BiRNNScratch(D, args.pop("num_hiddens"), **args)
        call(model)


def test_jacobians_show_the_two_directions():
    torch.manual_seed(0)
    X = torch.randn(6, D)
    bi = BiRNNScratch(D, H, 2, cell="gru", sigma=0.5)
    uni = BiRNNScratch(D, H, 2, cell="gru", sigma=0.5, bidirectional=False)
    J_bi, J_uni = jacobian_norms(bi, X), jacobian_norms(uni, X)
    assert J_bi.shape == (6, 6) and (J_bi > 0).all()            # every output reads every input
    assert np.allclose(np.triu(J_uni, 1), 0) and (J_uni[np.tril_indices(6)] > 0).all()  # the past only


def test_jacobian_agrees_with_finite_differences():
    torch.manual_seed(0)
    model = BiRNNScratch(D, H, 2, cell="lstm", sigma=0.5, dtype=torch.float64)
    X = torch.randn(4, D, dtype=torch.float64)
    J = jacobian_norms(model, X)
    eps, t, s = 1e-6, 1, 3
    rows = []
    for i in range(D):
        dX = torch.zeros_like(X)
        dX[s, i] = eps
        rows.append((model((X + dX)[:, None])[0] - model((X - dX)[:, None])[0])[t, 0] / (2 * eps))
    assert J[t, s] == pytest.approx(float(torch.stack(rows).norm().detach()), rel=1e-6)


def test_heatmaps_are_drawn_with_the_core_plotting():
    import matplotlib

    matplotlib.use("Agg")
    X = torch.randn(5, D)
    axes = plot_dependency_heatmaps({"BiGRU": BiRNNScratch(D, H, 2, cell="gru", sigma=0.5)}, X)
    assert len(axes) == 1 and axes[0].images[0].get_array().shape == (5, 5)
    with pytest.raises(ValueError, match=r"one sequence of shape \(T, d\)"):
        jacobian_norms(BiRNNScratch(D, H, 2), X[:, None])
