"""``RNNModel`` for PyTorch: d2l 0.17.6's ``d2l.torch.RNNModel``, with a check of its arguments."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class RNNModel(nn.Module):
    """A recurrent layer and a linear output layer over one-hot characters (d2l 0.17.6).

    ``net(X, state)`` takes token ids ``X`` of shape (batch_size, num_steps) and a
    state from :meth:`begin_state`, and returns

    * logits of shape (num_steps * batch_size, vocab_size), time-major (the rows
      for step 0 of every sequence come first), and
    * the new state: a tensor (num_layers * num_directions, batch_size, h) for
      ``nn.RNN``/``nn.GRU``, a pair of them ``(H, C)`` for ``nn.LSTM``.

    The output layer reads the recurrent layer's output, ``2h`` wide when the
    layer is bidirectional (forward half first). Parameters keep PyTorch's
    default initialisation (uniform in +-1/sqrt(h)): d2l's PyTorch ``train_ch8``
    does not re-initialise them, unlike its MXNet one (Normal(0.01)).
    """

    def __init__(self, rnn_layer: nn.RNN | nn.GRU | nn.LSTM, vocab_size: int, **kwargs):
        super().__init__(**kwargs)
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size <= 0:
            raise ValueError(f"vocab_size must be a positive int (len(vocab)), got {vocab_size!r}")
        if not isinstance(rnn_layer, nn.RNNBase) or rnn_layer.batch_first:
            raise ValueError("rnn_layer must be an nn.RNN, nn.GRU or nn.LSTM with batch_first=False, "
                             f"got {rnn_layer!r}")
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        self.num_directions = 2 if self.rnn.bidirectional else 1
        self.linear = nn.Linear(self.num_hiddens * self.num_directions, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size).to(torch.float32)  # (T, N, V)
        Y, state = self.rnn(X, state)                                       # (T, N, dirs * h)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))                  # (T * N, V)
        return output, state

    def begin_state(self, device, batch_size: int = 1):
        """Zero state for ``batch_size`` sequences on ``device`` (d2l 0.17.6's signature)."""
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens)
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros(shape, device=device)
        return torch.zeros(shape, device=device), torch.zeros(shape, device=device)


def describe(net) -> str:
    """One line saying what a model is, in the MXNet edition's words, e.g.
    ``RNNModel(LSTM(num_hiddens=256, num_layers=2, bidirectional), vocab_size=28)``."""
    layer = getattr(net, "rnn", net)
    if isinstance(layer, nn.RNNBase):
        bi = ", bidirectional" if layer.bidirectional else ""
        inner = f"{type(layer).__name__}(num_hiddens={layer.hidden_size}, num_layers={layer.num_layers}{bi})"
    else:
        inner = type(layer).__name__
    return f"{type(net).__name__}({inner}, vocab_size={getattr(net, 'vocab_size', None)})"


def count_parameters(net) -> int:
    """Number of scalar parameters."""
    return sum(p.numel() for p in net.parameters())


__all__ = ["RNNModel", "count_parameters", "describe"]
