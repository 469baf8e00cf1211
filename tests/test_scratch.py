"""d2l_birnn.scratch (with d2l_birnn.conversion): the from-scratch BiRNN against Gluon."""

import d2l_birnn as d2l  # noqa: I001  (first: it sets MXNet's threads before MXNet loads)
import numpy as onp
import pytest
from mxnet import autograd, np, npx
from mxnet.gluon import nn, rnn

from d2l_birnn.conversion import (
    gluon_to_scratch,
    load_gluon_rnn,
    scratch_name,
    state_from_gluon,
    state_to_gluon,
)
from d2l_birnn.models import count_parameters
from d2l_birnn.scratch import BiRNNScratch

npx.set_np()

TOL = 1e-5
GLUON = {"rnn": lambda h, **kw: rnn.RNN(h, activation="tanh", **kw),
         "gru": lambda h, **kw: rnn.GRU(h, **kw),
         "lstm": lambda h, **kw: rnn.LSTM(h, **kw)}


def maxdiff(a, b) -> float:
    return float(np.abs(a - b).max())


def random_gluon(cell, h, num_inputs, num_layers=1, bidirectional=True, scale=0.5):
    """An initialised Gluon layer with N(0, scale^2) weights (so states are not ~0)."""
    layer = GLUON[cell](h, num_layers=num_layers, bidirectional=bidirectional,
                        input_size=num_inputs)
    layer.initialize()
    for p in layer.collect_params().values():
        p.set_data(np.random.normal(0, scale, size=p.shape))
    return layer


@pytest.fixture(autouse=True)
def seed():
    d2l.set_seed(0)


# ---------------------------------------------------------------------------
# Equal to Gluon's fused bidirectional layers: outputs, states, gradients
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_outputs_and_final_states_equal_gluon(cell, num_layers):
    T, N, d, h = 6, 3, 4, 5
    layer = random_gluon(cell, h, d, num_layers)
    model = load_gluon_rnn(BiRNNScratch(d, h, cell=cell, num_layers=num_layers), layer)
    X = np.random.normal(size=(T, N, d))
    state0 = [np.random.normal(size=s.shape) for s in layer.begin_state(N)]  # non-zero states in
    Y, state = layer(X, state0)
    H, new_state = model(X, state_from_gluon(state0))
    assert H.shape == (T, N, 2 * h)
    assert maxdiff(H, Y) < TOL
    for ours, theirs in zip(state_to_gluon(new_state), state):
        assert ours.shape == theirs.shape == (2 * num_layers, N, h)
        assert maxdiff(ours, theirs) < TOL


@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_gradients_equal_gluon(cell, num_layers):
    T, N, d, h = 5, 2, 3, 4
    layer = random_gluon(cell, h, d, num_layers)
    model = load_gluon_rnn(BiRNNScratch(d, h, cell=cell, num_layers=num_layers), layer)
    model.attach_grad()
    X = np.random.normal(size=(T, N, d))
    state0 = [np.random.normal(size=s.shape) for s in layer.begin_state(N)]
    R = np.random.normal(size=(T, N, 2 * h))                   # a random linear loss
    Rs = [np.random.normal(size=s.shape) for s in state0]

    def run(forward, X, state0):
        X, state0 = X.copy(), [s.copy() for s in state0]
        X.attach_grad()
        for s in state0:
            s.attach_grad()
        with autograd.record():
            Y, state = forward(X, state0)
            loss = (Y * R).sum() + sum((s * r).sum() for s, r in zip(state, Rs))
        loss.backward()
        return X.grad, [s.grad for s in state0]

    gX, gS = run(layer, X, state0)
    sX, sS = run(lambda X, s: (lambda H, st: (H, state_to_gluon(st)))(
        *model(X, state_from_gluon(s))), X, state0)
    assert maxdiff(sX, gX) < TOL
    for a, b in zip(sS, gS):
        assert maxdiff(a, b) < TOL
    gluon_grads = gluon_to_scratch({n: p.grad() for n, p in layer.collect_params().items()})
    assert set(gluon_grads) == set(model.params)
    for name, p in model.params.items():
        assert float(np.abs(p.grad).max()) > 0, name          # the gradient reached it
        assert maxdiff(p.grad, gluon_grads[name]) < TOL, name


def test_output_layer_equals_gluon_dense():
    T, N, d, h, q = 4, 2, 3, 5, 7
    layer = random_gluon("gru", h, d)
    dense = nn.Dense(q, flatten=False, in_units=2 * h)
    dense.initialize()
    model = load_gluon_rnn(BiRNNScratch(d, h, q, cell="gru"), layer, dense)
    X = np.random.normal(size=(T, N, d))
    O, _ = model(X)
    assert O.shape == (T, N, q)
    assert maxdiff(O, dense(layer(X))) < TOL


# ---------------------------------------------------------------------------
# Uneven hidden sizes: each direction equals a unidirectional Gluon layer
# ---------------------------------------------------------------------------
def gluon_reference(model, X):
    """The model's H and states computed with one unidirectional Gluon layer per
    layer and direction (the backward one reads the reversed sequence)."""
    inputs, states = X, []
    for layer in range(model.num_layers):
        outs = []
        for j, (prefix, h) in enumerate(zip(("l", "r"), model.num_hiddens)):
            g = GLUON[model.cell](h, input_size=inputs.shape[-1])
            g.initialize()
            for name, p in g.collect_params().items():
                ours, transpose = scratch_name(name)
                value = model.params[f"{prefix}{layer}_{ours.split('_', 1)[1]}"]
                p.set_data(value.T if transpose else value)
            seq = inputs[::-1] if j == 1 else inputs
            Y, state = g(seq, g.begin_state(X.shape[1]))
            outs.append(Y[::-1] if j == 1 else Y)
            states.append(tuple(s[0] for s in state))
        inputs = np.concatenate(outs, axis=-1)
    return inputs, states


@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_uneven_directions(cell, num_layers):
    T, N, d, hf, hb = 5, 3, 4, 3, 6
    model = BiRNNScratch(d, (hf, hb), cell=cell, num_layers=num_layers, sigma=0.5)
    assert model.params["l1_W_xh" if num_layers > 1 else "l0_W_xh"].shape[0] == (
        hf + hb if num_layers > 1 else d)
    X = np.random.normal(size=(T, N, d))
    H, state = model(X)
    assert H.shape == (T, N, hf + hb)
    ref_H, ref_state = gluon_reference(model, X)
    assert maxdiff(H, ref_H) < TOL
    assert len(state) == 2 * num_layers
    for ours, theirs in zip(state, ref_state):
        for a, b in zip(ours, theirs):
            assert a.shape == b.shape
            assert maxdiff(a, b) < TOL
    with pytest.raises(ValueError, match="same hidden size"):
        state_to_gluon(state)


def test_uneven_matches_plain_loop():
    """A tanh BiRNN written out as the equations, with nothing shared."""
    T, N, d, hf, hb = 4, 2, 3, 2, 5
    model = BiRNNScratch(d, (hf, hb), sigma=0.5)
    p = {k: v.asnumpy() for k, v in model.params.items()}
    for k in p:
        if k.startswith(("l0_b", "r0_b")):
            p[k] = onp.random.normal(size=p[k].shape).astype("float32")
            model.params[k] = np.array(p[k])
    X = onp.random.normal(size=(T, N, d)).astype("float32")
    Hf, Hb = onp.zeros((N, hf)), onp.zeros((N, hb))
    fwd, bwd = [None] * T, [None] * T
    for t in range(T):
        Hf = onp.tanh(X[t] @ p["l0_W_xh"] + Hf @ p["l0_W_hh"] + p["l0_b_xh"] + p["l0_b_hh"])
        fwd[t] = Hf
    for t in reversed(range(T)):
        Hb = onp.tanh(X[t] @ p["r0_W_xh"] + Hb @ p["r0_W_hh"] + p["r0_b_xh"] + p["r0_b_hh"])
        bwd[t] = Hb
    expected = onp.concatenate([onp.stack(fwd), onp.stack(bwd)], axis=-1)
    H, state = model(np.array(X))
    onp.testing.assert_allclose(H.asnumpy(), expected, atol=TOL)
    onp.testing.assert_allclose(state[0][0].asnumpy(), fwd[-1], atol=TOL)
    onp.testing.assert_allclose(state[1][0].asnumpy(), bwd[0], atol=TOL)  # after reading step 0


# ---------------------------------------------------------------------------
# States in and out
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_states_carry_a_sequence_across_chunks(cell):
    """Forward states carry left to right, backward states right to left."""
    T, N, d, hf, hb, cut = 7, 2, 3, 4, 2, 3
    model = BiRNNScratch(d, (hf, hb), cell=cell, sigma=0.5)
    X = np.random.normal(size=(T, N, d))
    whole, _ = model(X)
    zero = model.begin_state(N)
    _, (f_left, _) = model(X[:cut])          # forward state after step cut - 1
    _, (_, b_right) = model(X[cut:])         # backward state after reading step cut
    right, _ = model(X[cut:], [f_left, zero[1]])
    left, _ = model(X[:cut], [zero[0], b_right])
    assert maxdiff(right[..., :hf], whole[cut:, :, :hf]) < TOL
    assert maxdiff(left[..., hf:], whole[:cut, :, hf:]) < TOL
    # and without the carried state, the chunks differ from the whole
    alone, _ = model(X[cut:])
    assert maxdiff(alone[..., :hf], whole[cut:, :, :hf]) > 1e-3


def test_state_conversion_round_trip():
    gluon_state = [np.random.normal(size=(4, 2, 3)), np.random.normal(size=(4, 2, 3))]
    ours = state_from_gluon(gluon_state)
    assert len(ours) == 4 and all(len(e) == 2 and e[0].shape == (2, 3) for e in ours)
    for a, b in zip(state_to_gluon(ours), gluon_state):
        assert maxdiff(a, b) == 0


def test_begin_state_shapes():
    model = BiRNNScratch(3, (2, 5), cell="lstm", num_layers=2)
    state = model.begin_state(4)
    assert [tuple(s.shape for s in e) for e in state] == [((4, 2), (4, 2)), ((4, 5), (4, 5))] * 2


# ---------------------------------------------------------------------------
# Sizes, counts, training
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_parameter_count_equals_gluon(cell):
    layer = random_gluon(cell, 8, 5, num_layers=3)
    model = BiRNNScratch(5, 8, cell=cell, num_layers=3)
    assert model.num_parameters() == count_parameters(layer)


def test_unidirectional_has_forward_params_only():
    model = BiRNNScratch(3, 4, 2, bidirectional=False, num_layers=2)
    assert sorted(model.params) == sorted(
        ["l0_W_xh", "l0_W_hh", "l0_b_xh", "l0_b_hh", "l1_W_xh", "l1_W_hh", "l1_b_xh",
         "l1_b_hh", "W_hq", "b_q"])
    O, state = model(np.ones((5, 2, 3)))
    assert O.shape == (5, 2, 2) and len(state) == 2


def test_sgd_lowers_the_loss():
    model = BiRNNScratch(3, 6, 1, cell="gru", sigma=0.3)
    model.attach_grad()
    X = np.random.normal(size=(5, 8, 3))
    target = X[::-1].sum(axis=-1, keepdims=True)   # needs the future: reversed inputs

    def loss_value():
        return float(((model(X)[0] - target) ** 2).mean())

    before = loss_value()
    for _ in range(30):
        with autograd.record():
            loss = ((model(X)[0] - target) ** 2).mean()
        loss.backward()
        for p in model.parameters():
            p[:] = p - 0.1 * p.grad
    assert loss_value() < 0.8 * before


# ---------------------------------------------------------------------------
# Clear errors
# ---------------------------------------------------------------------------
def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown cell"):
        BiRNNScratch(3, 4, cell="transformer")
    with pytest.raises(ValueError, match="one size per direction"):
        BiRNNScratch(3, (4, 5, 6))
    with pytest.raises(ValueError, match="one size per direction"):
        BiRNNScratch(3, (4, 5), bidirectional=False)
    with pytest.raises(ValueError, match="num_hiddens must be a positive int"):
        BiRNNScratch(3, 0)
    with pytest.raises(ValueError, match="cell='rnn' only"):
        BiRNNScratch(3, 4, cell="gru", activation="relu")
    model = BiRNNScratch(3, 4, cell="lstm")
    with pytest.raises(ValueError, match=r"X must have shape \(num_steps, batch_size, 3\)"):
        model(np.ones((5, 3)))
    with pytest.raises(ValueError, match="state must be a list of 2"):
        model(np.ones((5, 2, 3)), [np.zeros((2, 2, 4))])       # Gluon's stacked layout
    with pytest.raises(ValueError, match=r"state\[1\] must be a tuple of 2"):
        model(np.ones((5, 2, 3)), [(np.zeros((2, 4)),) * 2, (np.zeros((2, 4)),)])
    with pytest.raises(ValueError, match="does not match"):
        load_gluon_rnn(model, random_gluon("gru", 4, 3))
    with pytest.raises(ValueError, match="shape"):
        load_gluon_rnn(BiRNNScratch(3, 5, cell="lstm"), random_gluon("lstm", 4, 3))
    with pytest.raises(ValueError, match="dense="):
        load_gluon_rnn(BiRNNScratch(3, 4, 2, cell="lstm"), random_gluon("lstm", 4, 3))
    with pytest.raises(ValueError, match="not a parameter"):
        scratch_name("dense0_weight")
