"""A deep (bidirectional) RNN written from scratch in PyTorch: tanh/ReLU RNN, GRU or LSTM cells.

The same model as the MXNet edition's :class:`d2l_birnn.scratch.BiRNNScratch`, with the
same parameter names and shapes. Shapes: T = time steps, N = batch size, d = input
size, h = hidden size of one direction, G = gates per cell (1 for an RNN, 3 for a GRU,
4 for an LSTM). Weights are stored the way the equations are written (X @ W), so
PyTorch's ``weight_ih_l0`` of shape (G * h, d) is the transpose of our (d, G * h).
:meth:`BiRNNScratch.copy_from` and :meth:`BiRNNScratch.state_from_torch` take weights and
states from ``nn.RNN``/``nn.GRU``/``nn.LSTM``; the tests prove both equal in outputs,
final states and every weight gradient.
"""

from __future__ import annotations

import torch

from ..validation import positive_int

CELL_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def cell_step(cell: str, xw, H, C, W_hh, b_hh, activation: str = "tanh"):
    """One time step of one direction; returns the new ``(H, C)`` (``C`` None unless an LSTM).

    ``xw``: (N, G * h), the input's share ``X_t W_xh + b_xh``; ``H``, ``C``: (N, h);
    ``W_hh``: (h, G * h), ``b_hh``: (G * h,). Gate order and formulas are PyTorch's
    (the same as MXNet's and cuDNN's): a GRU's gates are (r, z, n) with
    ``n = tanh(X W_xn + b_xn + r * (H W_hn + b_hn))``, ``H = (1 - z) * n + z * H``; an
    LSTM's are (i, f, g, o), ``C = sigma(f) C + sigma(i) tanh(g)``, ``H = sigma(o) tanh(C)``.
    """
    hw = H @ W_hh + b_hh  # (N, G * h)
    h = H.shape[-1]
    if cell == "rnn":
        pre = xw + hw
        return (torch.tanh(pre) if activation == "tanh" else torch.relu(pre)), None
    if cell == "gru":
        r = torch.sigmoid(xw[:, :h] + hw[:, :h])              # reset gate
        z = torch.sigmoid(xw[:, h:2 * h] + hw[:, h:2 * h])    # update gate
        n = torch.tanh(xw[:, 2 * h:] + r * hw[:, 2 * h:])      # candidate state
        return (1 - z) * n + z * H, None
    pre = xw + hw  # LSTM gates i, f, g, o
    i, f = torch.sigmoid(pre[:, :h]), torch.sigmoid(pre[:, h:2 * h])
    g, o = torch.tanh(pre[:, 2 * h:3 * h]), torch.sigmoid(pre[:, 3 * h:])
    C = f * C + i * g
    return o * torch.tanh(C), C


def run_direction(cell: str, X, state: tuple, W_xh, W_hh, b_xh, b_hh, reverse: bool = False,
                  activation: str = "tanh"):
    """One direction of one layer over a sequence ``X`` (T, N, d) from ``state`` ``(H,)`` or
    ``(H, C)``; returns outputs (T, N, h) in time order and the final state (after step
    T - 1 forwards, after step 0 backwards)."""
    T, N, d = X.shape
    xw = (X.reshape(T * N, d) @ W_xh + b_xh).reshape(T, N, -1)
    H = state[0]
    C = state[1] if cell == "lstm" else None
    outputs = [None] * T
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        H, C = cell_step(cell, xw[t], H, C, W_hh, b_hh, activation)
        outputs[t] = H
    return torch.stack(outputs), ((H, C) if cell == "lstm" else (H,))


def _check_config(num_inputs, num_outputs, cell, num_layers, activation) -> None:
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


class BiRNNScratch:
    """A deep bidirectional RNN (RNN, GRU or LSTM cells) written in PyTorch tensors.

    Per layer a forward RNN reads left to right and a backward one right to left;
    ``H_t = [H_t^f, H_t^b]`` (N, h_f + h_b) feeds the next layer; an optional output
    layer gives ``O_t = H_t W_hq + b_q``. Arguments as in the MXNet edition:
    ``num_inputs`` (d), ``num_hiddens`` (h, or a pair ``(h_f, h_b)``: uneven directions),
    ``num_outputs`` (q, or None), ``cell``, ``num_layers``, ``bidirectional``,
    ``activation``, ``sigma`` (weights from N(0, sigma^2), biases 0), plus ``device``
    and ``dtype`` (e.g. ``torch.float64``).

    ``model.params`` is a dict of leaf tensors with ``requires_grad=True`` named like
    the MXNet edition's: ``'l{l}_W_xh'`` (d_l, G h_f), ``'l{l}_W_hh'`` (h_f, G h_f),
    ``'l{l}_b_xh'``, ``'l{l}_b_hh'`` (G h_f,), the same with ``'r{l}_'`` for the backward
    direction, and ``'W_hq'``, ``'b_q'``. Gradients land in ``p.grad`` after
    ``loss.backward()``. States: a list with one ``(H,)`` or ``(H, C)`` per layer and
    direction (layer 0 forward, layer 0 backward, layer 1 forward, ...).
    """

    def __init__(self, num_inputs: int, num_hiddens, num_outputs: int | None = None, *,
                 cell: str = "rnn", num_layers: int = 1, bidirectional: bool = True,
                 activation: str = "tanh", sigma: float = 0.01, device=None, dtype=torch.float32):
        _check_config(num_inputs, num_outputs, cell, num_layers, activation)
        self.num_directions = 2 if bidirectional else 1
        if isinstance(num_hiddens, (tuple, list)):
            if len(num_hiddens) != self.num_directions:
                raise ValueError(f"num_hiddens={num_hiddens!r} must give one size per direction "
                                 f"({self.num_directions}), or be a single int")
            hiddens = tuple(positive_int("num_hiddens", h) for h in num_hiddens)
        else:
            hiddens = (positive_int("num_hiddens", num_hiddens),) * self.num_directions
        self.num_inputs, self.num_outputs, self.num_hiddens = num_inputs, num_outputs, hiddens
        self.cell, self.activation = cell, activation
        self.num_layers, self.bidirectional = num_layers, bidirectional
        self.device, self.dtype = torch.device(device or "cpu"), dtype
        G = CELL_GATES[cell]
        self.params: dict = {}
        for layer in range(num_layers):
            d_in = num_inputs if layer == 0 else self.output_size
            for prefix, h in zip(self._prefixes(layer), hiddens):
                self._add(prefix + "W_xh", (d_in, G * h), sigma)
                self._add(prefix + "W_hh", (h, G * h), sigma)
                self._add(prefix + "b_xh", (G * h,), 0.0)
                self._add(prefix + "b_hh", (G * h,), 0.0)
        if num_outputs is not None:
            self._add("W_hq", (self.output_size, num_outputs), sigma)
            self._add("b_q", (num_outputs,), 0.0)

    def _add(self, name: str, shape: tuple, sigma: float) -> None:
        value = torch.randn(shape, device=self.device, dtype=self.dtype) * sigma
        self.params[name] = value.requires_grad_()

    def _prefixes(self, layer: int) -> tuple[str, ...]:
        return (f"l{layer}_", f"r{layer}_")[:self.num_directions]

    @property
    def output_size(self) -> int:
        """Width of ``H_t``: h_f + h_b (or h when unidirectional)."""
        return sum(self.num_hiddens)

    def parameters(self) -> list:
        """The parameter tensors, in the order of ``self.params``."""
        return list(self.params.values())

    def num_parameters(self) -> int:
        """Number of scalar parameters (equals PyTorch's count for the same layer)."""
        return sum(p.numel() for p in self.params.values())

    def zero_grad(self) -> None:
        """Forget the gradients of an earlier backward pass."""
        for p in self.params.values():
            p.grad = None

    def begin_state(self, batch_size: int, device=None) -> list[tuple]:
        """Zero states: ``num_layers * num_directions`` tuples ``(H,)`` or ``(H, C)``,
        each (batch_size, h of that direction)."""
        positive_int("batch_size", batch_size)
        k = 2 if self.cell == "lstm" else 1
        device = device if device is not None else self.device
        return [tuple(torch.zeros((batch_size, h), device=device, dtype=self.dtype) for _ in range(k))
                for _ in range(self.num_layers) for h in self.num_hiddens]

    def _check(self, X, state) -> None:
        if getattr(X, "ndim", None) != 3 or X.shape[2] != self.num_inputs:
            raise ValueError(f"X must have shape (num_steps, batch_size, {self.num_inputs}) "
                             f"(time-major, like nn.LSTM's default), got "
                             f"{tuple(getattr(X, 'shape', ())) or type(X).__name__}")
        expected, k = self.num_layers * self.num_directions, 2 if self.cell == "lstm" else 1
        if not isinstance(state, (list, tuple)) or len(state) != expected:
            raise ValueError(f"state must be a list of {expected} entries (one per layer and "
                             f"direction, from begin_state or a previous call); for PyTorch's "
                             f"stacked states use state_from_torch(state)")
        for i, entry in enumerate(state):
            h = self.num_hiddens[i % self.num_directions]
            shapes = [tuple(getattr(s, "shape", ())) for s in entry] if isinstance(
                entry, (list, tuple)) else None
            if shapes != [(X.shape[1], h)] * k:
                raise ValueError(f"state[{i}] must be a tuple of {k} tensor(s) of shape "
                                 f"({X.shape[1]}, {h}), got {shapes or type(entry).__name__}")

    def hidden_states(self, X, state: list | None = None):
        """The last layer's ``H`` (T, N, h_f + h_b) and the final states; ``X``: (T, N, d)."""
        if state is None and getattr(X, "ndim", None) == 3:
            state = self.begin_state(X.shape[1], X.device)
        self._check(X, state)
        p, new_state, inputs = self.params, [], X
        for layer in range(self.num_layers):
            outputs = []
            for j, prefix in enumerate(self._prefixes(layer)):
                out, s = run_direction(
                    self.cell, inputs, tuple(state[layer * self.num_directions + j]),
                    p[prefix + "W_xh"], p[prefix + "W_hh"], p[prefix + "b_xh"], p[prefix + "b_hh"],
                    reverse=(j == 1), activation=self.activation)
                outputs.append(out)
                new_state.append(s)
            inputs = torch.cat(outputs, dim=-1) if len(outputs) > 1 else outputs[0]
        return inputs, new_state

    def __call__(self, X, state: list | None = None):
        """``(O, state)``: O (T, N, num_outputs), or the last layer's H when there is no output layer."""
        H, state = self.hidden_states(X, state)
        if self.num_outputs is None:
            return H, state
        return H @ self.params["W_hq"] + self.params["b_q"], state

    def __repr__(self) -> str:
        kind = "BiRNNScratch" if self.bidirectional else "RNNScratch(unidirectional)"
        return (f"{kind}(cell={self.cell!r}, num_inputs={self.num_inputs}, "
                f"num_hiddens={self.num_hiddens}, num_layers={self.num_layers}, "
                f"num_outputs={self.num_outputs})")

    # -- PyTorch's fused layers --------------------------------------------------------------
    def _torch_names(self):
        """(our prefix, PyTorch's suffix) for every layer and direction."""
        return [(prefix, f"l{layer}" + ("_reverse" if j else ""))
                for layer in range(self.num_layers) for j, prefix in enumerate(self._prefixes(layer))]

    def copy_from(self, layer) -> BiRNNScratch:
        """Take the weights of ``layer``, an ``nn.RNN``/``nn.GRU``/``nn.LSTM`` of the same shape."""
        expected = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}[self.cell]
        if type(layer).__name__ != expected or layer.num_layers != self.num_layers or \
                layer.bidirectional != self.bidirectional or layer.input_size != self.num_inputs or \
                {layer.hidden_size} != set(self.num_hiddens) or layer.batch_first:
            raise ValueError(f"{layer} does not match {self!r}: copy_from needs an nn.{expected} with "
                             f"the same sizes, layers and directions (batch_first=False)")
        with torch.no_grad():
            for prefix, suffix in self._torch_names():
                for ours, theirs in (("W_xh", "weight_ih_"), ("W_hh", "weight_hh_"),
                                     ("b_xh", "bias_ih_"), ("b_hh", "bias_hh_")):
                    value = getattr(layer, theirs + suffix)
                    self.params[prefix + ours].copy_(value.T if ours.startswith("W") else value)
        return self

    def torch_grads(self) -> dict:
        """Our gradients under PyTorch's names and shapes (``weight_ih_l0``: (G h, d), ...)."""
        grads = {}
        for prefix, suffix in self._torch_names():
            for ours, theirs in (("W_xh", "weight_ih_"), ("W_hh", "weight_hh_"),
                                 ("b_xh", "bias_ih_"), ("b_hh", "bias_hh_")):
                g = self.params[prefix + ours].grad
                grads[theirs + suffix] = g.T if ours.startswith("W") else g
        return grads


def state_from_torch(state, cell: str) -> list[tuple]:
    """PyTorch's stacked state (``H`` or ``(H, C)``, each (layers * dirs, N, h)) as our list."""
    parts = state if cell == "lstm" else (state,)
    return [tuple(s[i] for s in parts) for i in range(parts[0].shape[0])]


def state_to_torch(state: list, cell: str):
    """Our list of states as PyTorch's stacked ``H`` or ``(H, C)`` (equal hidden sizes only)."""
    stacked = tuple(torch.stack([entry[k] for entry in state]) for k in range(len(state[0])))
    return stacked if cell == "lstm" else stacked[0]


__all__ = ["BiRNNScratch", "CELL_GATES", "cell_step", "run_direction", "state_from_torch",
           "state_to_torch"]
