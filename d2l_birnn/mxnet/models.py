"""Gluon models for character language modelling (the notes' ``RNNModel``)."""

from __future__ import annotations

from mxnet.gluon import nn, rnn


class RNNModel(nn.HybridBlock):
    """A recurrent layer and a dense output layer over one-hot characters (d2l 0.17).

    ``net(X, state)`` takes token ids ``X`` of shape (batch_size, num_steps)
    and a state list from :meth:`begin_state`, and returns

    * logits of shape (num_steps * batch_size, vocab_size), time-major (the
      rows for step 0 of every sequence come first), and
    * the new state list (each (num_layers * num_directions, batch_size, h)).

    The output layer reads the recurrent layer's output, which is ``2h`` wide
    when the layer is bidirectional (forward half first).

    It is a ``HybridBlock``: the same code runs eagerly (the d2l way) or, after
    ``net.hybridize()``, as one cached graph per input shape.
    """

    def __init__(self, rnn_layer: rnn.RNN | rnn.GRU | rnn.LSTM, vocab_size: int, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(vocab_size, int) or vocab_size <= 0:
            raise ValueError(f"vocab_size must be a positive int (len(vocab)), got {vocab_size!r}")
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_directions = 2 if getattr(rnn_layer, "_dir", 1) == 2 else 1
        self.num_hiddens = rnn_layer._hidden_size
        self.dense = nn.Dense(vocab_size, flatten=False)

    def hybrid_forward(self, F, inputs, state):
        X = F.npx.one_hot(F.np.transpose(inputs), self.vocab_size)  # (T, N, V)
        Y, state = self.rnn(X, state)                                  # (T, N, dirs * h)
        output = self.dense(F.npx.reshape(Y, (-5, -2)))                # (T * N, V)
        return output, state

    def begin_state(self, *args, **kwargs):
        """Zero state for ``batch_size`` sequences: see the layer's ``begin_state``."""
        return self.rnn.begin_state(*args, **kwargs)


def describe(net) -> str:
    """One line saying what a model is, e.g.
    ``RNNModel(LSTM(num_hiddens=256, num_layers=2, bidirectional), vocab_size=28)``."""
    layer = getattr(net, "rnn", net)
    if hasattr(layer, "_hidden_size") and hasattr(layer, "_num_layers"):
        bi = ", bidirectional" if getattr(layer, "_dir", 1) == 2 else ""
        inner = (f"{type(layer).__name__}(num_hiddens={layer._hidden_size}, "
                 f"num_layers={layer._num_layers}{bi})")
    else:
        inner = type(layer).__name__
    return f"{type(net).__name__}({inner}, vocab_size={getattr(net, 'vocab_size', None)})"


def count_parameters(net) -> int:
    """Number of scalar parameters of an initialised model."""
    return sum(int(p.data().size) for p in net.collect_params().values())


__all__ = ["RNNModel", "count_parameters", "describe"]
