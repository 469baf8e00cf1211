"""A deep (bidirectional) RNN written from scratch in ``mxnet.np``: tanh RNN, GRU or LSTM cells.

Shapes: T = time steps, N = batch size, d = input size, h = hidden size of one
direction, G = gates per cell (1 for a tanh RNN, 3 for a GRU, 4 for an LSTM).
Weights are stored the way the equations are written (X @ W), so a Gluon
weight of shape (G * h, d) is the transpose of our (d, G * h).
:mod:`d2l_birnn.conversion` moves weights and states to and from Gluon's layers.
"""

from __future__ import annotations

from ..validation import positive_int

CELL_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def cell_step(cell: str, xw, H, C, W_hh, b_hh, activation: str = "tanh"):
    """One time step of one direction; returns the new ``(H, C)`` (``C`` is None
    unless ``cell == 'lstm'``).

    * ``xw``: (N, G * h), the input's share ``X_t W_xh + b_xh`` (computed for all
      steps at once by :func:`run_direction`);
    * ``H``, ``C``: (N, h), the previous hidden (and LSTM memory) state;
    * ``W_hh``: (h, G * h), ``b_hh``: (G * h,).

    Gate order and formulas are MXNet's (and cuDNN's), checked against Gluon:

    * ``'rnn'``: ``H = phi(X W_xh + b_xh + H W_hh + b_hh)``, phi = tanh or relu;
    * ``'gru'``, gates (r, z, n): ``r = sigma(.)``, ``z = sigma(.)``,
      ``n = tanh(X W_xn + b_xn + r * (H W_hn + b_hn))``, ``H = (1 - z) * n + z * H``
      (the reset gate multiplies ``H W_hn + b_hn``, not ``H`` as in d2l's GRU);
    * ``'lstm'``, gates (i, f, g, o): ``C = sigma(f) * C + sigma(i) * tanh(g)``,
      ``H = sigma(o) * tanh(C)``.
    """
    from mxnet import np as mnp
    from mxnet import npx

    hw = mnp.dot(H, W_hh) + b_hh  # H_{t-1} W_hh + b_hh for all G gates: (N, G * h)
    h = H.shape[-1]
    if cell == "rnn":  # H_t = phi(X_t W_xh + H_{t-1} W_hh + b_h)
        pre = xw + hw
        return (mnp.tanh(pre) if activation == "tanh" else npx.relu(pre)), None
    if cell == "gru":  # gates r, z, n side by side
        r = npx.sigmoid(xw[:, :h] + hw[:, :h])                # reset gate
        z = npx.sigmoid(xw[:, h:2 * h] + hw[:, h:2 * h])      # update gate
        n = mnp.tanh(xw[:, 2 * h:] + r * hw[:, 2 * h:])        # candidate state
        return (1 - z) * n + z * H, None
    pre = xw + hw      # LSTM: gates i, f, g, o side by side
    i, f = npx.sigmoid(pre[:, :h]), npx.sigmoid(pre[:, h:2 * h])      # input, forget
    g, o = mnp.tanh(pre[:, 2 * h:3 * h]), npx.sigmoid(pre[:, 3 * h:])  # candidate, output
    C = f * C + i * g                                                 # memory cell
    return o * mnp.tanh(C), C


def run_direction(cell: str, X, state: tuple, W_xh, W_hh, b_xh, b_hh, reverse: bool = False,
                  activation: str = "tanh"):
    """Run one direction of one layer over a whole sequence.

    ``X``: (T, N, d); ``state``: ``(H,)`` or, for an LSTM, ``(H, C)``, each (N, h);
    ``W_xh``: (d, G * h), ``W_hh``: (h, G * h), ``b_xh``, ``b_hh``: (G * h,).
    With ``reverse=True`` the steps run from ``t = T - 1`` down to 0, so the
    state at step t summarises ``X_t, ..., X_{T-1}``; the outputs are put back
    in time order.

    Returns ``(outputs, final_state)``: outputs (T, N, h) where ``outputs[t]`` is
    the hidden state after reading step t, and the state after the last step
    read (step T - 1 forwards, step 0 backwards).
    """
    from mxnet import np as mnp

    T, N, d = X.shape
    xw = (mnp.dot(X.reshape(T * N, d), W_xh) + b_xh).reshape(T, N, -1)  # all steps at once
    H = state[0]
    C = state[1] if cell == "lstm" else None
    outputs = [None] * T
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        H, C = cell_step(cell, xw[t], H, C, W_hh, b_hh, activation)
        outputs[t] = H
    return mnp.stack(outputs), ((H, C) if cell == "lstm" else (H,))


class BiRNNScratch:
    """A deep bidirectional RNN (tanh RNN, GRU or LSTM cells) written in ``mxnet.np``.

    For every layer, a forward RNN reads the sequence left to right and a
    backward RNN reads it right to left; their hidden states are concatenated,

        ``H_t = [H_t^f, H_t^b]``, shape (N, h_f + h_b),

    and layer l + 1 reads layer l's ``H_t``. An optional output layer gives
    ``O_t = H_t W_hq + b_q``, shape (N, num_outputs).

    Arguments:

    * ``num_inputs``: d, the size of each input vector ``X_t``;
    * ``num_hiddens``: h for both directions, or a pair ``(h_f, h_b)``;
    * ``num_outputs``: q, the output layer's size, or None for no output layer
      (then ``model(X)`` returns the last layer's ``H``);
    * ``cell``: ``'rnn'``, ``'gru'`` or ``'lstm'`` (see :func:`cell_step`);
      ``activation``: ``'tanh'`` or ``'relu'`` (``'rnn'`` cells only);
    * ``num_layers``: how many bidirectional layers are stacked;
    * ``bidirectional=False`` keeps only the forward RNNs (a unidirectional
      baseline built by the same code);
    * ``sigma``: weights are drawn from N(0, sigma^2), biases start at zero;
    * ``ctx``: the device (default ``mxnet.cpu()``).

    ``model.params`` is a dict of ``mxnet.np`` arrays, in Gluon's order; for
    layer l (input size d_l = d for l = 0, h_f + h_b above) and direction
    ``'l'`` (forward) or ``'r'`` (backward, Gluon's names):

    * ``'l{l}_W_xh'``: (d_l, G h_f), ``'l{l}_W_hh'``: (h_f, G h_f),
      ``'l{l}_b_xh'``, ``'l{l}_b_hh'``: (G h_f,); the same with ``'r{l}_'`` and h_b.
      Two biases, as Gluon and cuDNN keep them: the equations' ``b_h`` is
      ``b_xh + b_hh`` (for a GRU the candidate's ``b_hh`` sits inside the reset gate);
    * ``'W_hq'``: (h_f + h_b, q), ``'b_q'``: (q,) when there is an output layer.

    Train with autograd: ``model.attach_grad()``, then
    ``with autograd.record(): ...``, then read ``p.grad`` for ``p`` in
    ``model.parameters()``.

    States are a list with one entry per layer and direction, in Gluon's
    order (layer 0 forward, layer 0 backward, layer 1 forward, ...); each
    entry is ``(H,)`` or, for an LSTM, ``(H, C)``, each (N, h of that direction).
    The backward direction's final state is the one after reading step 0.
    :func:`state_from_gluon` and :func:`state_to_gluon` convert to and from
    Gluon's stacked (num_layers * 2, N, h) arrays.
    """

    def __init__(self, num_inputs: int, num_hiddens, num_outputs: int | None = None, *,
                 cell: str = "rnn", num_layers: int = 1, bidirectional: bool = True,
                 activation: str = "tanh", sigma: float = 0.01, ctx=None):
        import mxnet as mx
        from mxnet import np as mnp

        positive_int("num_inputs", num_inputs)
        positive_int("num_layers", num_layers)
        if num_outputs is not None:
            positive_int("num_outputs", num_outputs)
        if cell not in CELL_GATES:
            raise ValueError(f"unknown cell {cell!r}: use one of {sorted(CELL_GATES)}")
        if activation not in ("tanh", "relu"):
            raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
        if activation != "tanh" and cell != "rnn":
            raise ValueError(f"activation={activation!r} applies to cell='rnn' only; "
                             f"a {cell} has its own nonlinearities")
        self.num_directions = 2 if bidirectional else 1
        if isinstance(num_hiddens, (tuple, list)):
            if len(num_hiddens) != self.num_directions:
                raise ValueError(
                    f"num_hiddens={num_hiddens!r} must give one size per direction "
                    f"({self.num_directions}), or be a single int")
            hiddens = tuple(positive_int("num_hiddens", h) for h in num_hiddens)
        else:
            hiddens = (positive_int("num_hiddens", num_hiddens),) * self.num_directions
        self.num_inputs, self.num_outputs = num_inputs, num_outputs
        self.num_hiddens = hiddens          # (h_f, h_b), or (h,) when unidirectional
        self.cell, self.activation = cell, activation
        self.num_layers, self.bidirectional = num_layers, bidirectional
        self.ctx = ctx if ctx is not None else mx.cpu()
        G = CELL_GATES[cell]

        def normal(*shape):
            return mnp.random.normal(0, sigma, size=shape, ctx=self.ctx)

        self.params: dict = {}
        for layer in range(num_layers):
            d_in = num_inputs if layer == 0 else self.output_size
            for prefix, h in zip(self._prefixes(layer), hiddens):
                self.params[prefix + "W_xh"] = normal(d_in, G * h)
                self.params[prefix + "W_hh"] = normal(h, G * h)
                self.params[prefix + "b_xh"] = mnp.zeros(G * h, ctx=self.ctx)
                self.params[prefix + "b_hh"] = mnp.zeros(G * h, ctx=self.ctx)
        if num_outputs is not None:
            self.params["W_hq"] = normal(self.output_size, num_outputs)
            self.params["b_q"] = mnp.zeros(num_outputs, ctx=self.ctx)

    def _prefixes(self, layer: int) -> tuple[str, ...]:
        return (f"l{layer}_", f"r{layer}_")[:self.num_directions]

    @property
    def output_size(self) -> int:
        """Width of ``H_t``: h_f + h_b (or h when unidirectional)."""
        return sum(self.num_hiddens)

    def parameters(self) -> list:
        """The parameter arrays, in the order of ``self.params``."""
        return list(self.params.values())

    def attach_grad(self) -> None:
        """Give every parameter a gradient buffer (``p.grad``) for autograd."""
        for p in self.params.values():
            p.attach_grad()

    def num_parameters(self) -> int:
        """Number of scalar parameters (equals Gluon's count for the same layer)."""
        return sum(int(p.size) for p in self.params.values())

    def begin_state(self, batch_size: int) -> list[tuple]:
        """Zero states: a list of ``num_layers * num_directions`` tuples ``(H,)``
        or ``(H, C)``, each (batch_size, h of that direction)."""
        from mxnet import np as mnp

        positive_int("batch_size", batch_size)
        k = 2 if self.cell == "lstm" else 1
        return [tuple(mnp.zeros((batch_size, h), ctx=self.ctx) for _ in range(k))
                for _ in range(self.num_layers) for h in self.num_hiddens]

    def _check_inputs(self, X) -> None:
        if getattr(X, "ndim", None) != 3 or X.shape[2] != self.num_inputs:
            raise ValueError(f"X must have shape (num_steps, batch_size, {self.num_inputs}) "
                             f"(time-major, like Gluon's 'TNC' layout), got "
                             f"{getattr(X, 'shape', type(X).__name__)}")

    def _check_state(self, X, state) -> None:
        expected = self.num_layers * self.num_directions
        k = 2 if self.cell == "lstm" else 1
        if not isinstance(state, (list, tuple)) or len(state) != expected:
            raise ValueError(f"state must be a list of {expected} entries (one per layer and "
                             f"direction, from begin_state or a previous call); for Gluon's "
                             f"stacked states use state_from_gluon(state)")
        for i, entry in enumerate(state):
            h = self.num_hiddens[i % self.num_directions]
            shapes = [tuple(getattr(s, "shape", ())) for s in entry] if isinstance(
                entry, (list, tuple)) else None
            if shapes != [(X.shape[1], h)] * k:
                raise ValueError(f"state[{i}] must be a tuple of {k} array(s) of shape "
                                 f"({X.shape[1]}, {h}), got {shapes or type(entry).__name__}")

    def hidden_states(self, X, state: list | None = None):
        """The last layer's ``H``: (T, N, h_f + h_b), and the final states.

        ``X``: (T, N, num_inputs). ``state``: None for zeros, or a list as
        returned by :meth:`begin_state` or by an earlier call.
        """
        from mxnet import np as mnp

        self._check_inputs(X)
        if state is None:
            state = self.begin_state(X.shape[1])
        self._check_state(X, state)
        p, new_state, inputs = self.params, [], X
        for layer in range(self.num_layers):
            outputs = []
            for j, prefix in enumerate(self._prefixes(layer)):
                out, s = run_direction(
                    self.cell, inputs, tuple(state[layer * self.num_directions + j]),
                    p[prefix + "W_xh"], p[prefix + "W_hh"], p[prefix + "b_xh"],
                    p[prefix + "b_hh"], reverse=(j == 1), activation=self.activation)
                outputs.append(out)
                new_state.append(s)
            inputs = mnp.concatenate(outputs, axis=-1) if len(outputs) > 1 else outputs[0]
        return inputs, new_state

    def __call__(self, X, state: list | None = None):
        """``(O, state)``: O (T, N, num_outputs), or the last layer's H
        (T, N, h_f + h_b) when there is no output layer; see :meth:`hidden_states`."""
        from mxnet import np as mnp

        H, state = self.hidden_states(X, state)
        if self.num_outputs is None:
            return H, state
        return mnp.dot(H, self.params["W_hq"]) + self.params["b_q"], state

    def __repr__(self) -> str:
        kind = "BiRNNScratch" if self.bidirectional else "RNNScratch(unidirectional)"
        return (f"{kind}(cell={self.cell!r}, num_inputs={self.num_inputs}, "
                f"num_hiddens={self.num_hiddens}, num_layers={self.num_layers}, "
                f"num_outputs={self.num_outputs})")


__all__ = ["BiRNNScratch", "CELL_GATES", "cell_step", "run_direction"]
