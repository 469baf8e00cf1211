"""Small Gluon models for the three tasks: an embedding, one LSTM layer (one or two
directions) and a dense layer; :func:`matching_hidden_size` gives the
unidirectional hidden size with as many parameters as a bidirectional model."""

from __future__ import annotations

from mxnet import np as mnp
from mxnet.gluon import nn, rnn

from ...task_sizes import closest_hidden_size, matching_hidden_size, model_parameter_count  # noqa: F401
from ...validation import positive_int


class _Recurrent(nn.HybridBlock):
    """Embedding and one LSTM layer; subclasses choose what the dense layer reads."""

    def __init__(self, vocab_size: int, num_outputs: int, num_hiddens: int,
                 bidirectional: bool, embed_size: int = 32, dropout: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
        for name, value in (("vocab_size", vocab_size), ("num_outputs", num_outputs),
                            ("num_hiddens", num_hiddens), ("embed_size", embed_size)):
            positive_int(name, value)
        self.vocab_size, self.num_outputs = vocab_size, num_outputs
        self.num_hiddens, self.bidirectional = num_hiddens, bool(bidirectional)
        self.num_directions = 2 if bidirectional else 1
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.lstm = rnn.LSTM(num_hiddens, bidirectional=bidirectional, input_size=embed_size)
        self.dropout = nn.Dropout(dropout)  # on what the dense layer reads (training only)
        self.dense = nn.Dense(num_outputs, flatten=False,
                              in_units=self.num_directions * num_hiddens)

    def _run(self, F, X):
        """Outputs (T, N, dirs * h) and final hidden states (dirs, N, h) for ids X (N, T)."""
        emb = self.embedding(F.np.transpose(X))                       # (T, N, e)
        # Zero begin state built from the input (its batch size is not known
        # to a hybridized graph in advance).
        zero = F.np.zeros_like(emb[0:1, :, 0:1])                      # (1, N, 1)
        zero = F.np.repeat(F.np.repeat(zero, self.num_hiddens, axis=2),
                           self.num_directions, axis=0)                # (dirs, N, h)
        outputs, (h_last, _) = self.lstm(emb, [zero, zero])
        return outputs, h_last

    def _final(self, F, X):
        """Final hidden state of each direction, side by side: (N, dirs * h)."""
        _, h_last = self._run(F, X)                                    # (dirs, N, h)
        return F.np.reshape(F.np.transpose(h_last, (1, 0, 2)),
                            (-1, self.num_directions * self.num_hiddens))

    def features(self, X):
        """The LSTM's output at every position, shape (N, T, dirs * h): forward
        half first, then backward. A contextual vector of each token."""
        import mxnet as mx

        outputs, _ = self._run(mx.nd, X)
        return mnp.transpose(outputs, (1, 0, 2))

    def final_states(self, X):
        """The sequence's encoding, shape (N, dirs * h): the forward state after
        reading x_1..x_T and (bidirectional) the backward state after reading
        x_T..x_1, i.e. what a decoder or classifier would be given."""
        import mxnet as mx

        return self._final(mx.nd, X)

    def __repr__(self) -> str:
        kind = "bidirectional" if self.bidirectional else "unidirectional"
        return (f"{type(self).__name__}({kind} LSTM, {self.num_hiddens} hidden units, "
                f"{self.vocab_size} tokens -> {self.num_outputs} outputs)")


class TokenTagger(_Recurrent):
    """One label per token: ids (N, T) -> logits (N, T, num_outputs)."""

    def hybrid_forward(self, F, X):
        outputs, _ = self._run(F, X)
        return F.np.transpose(self.dense(self.dropout(outputs)), (1, 0, 2))


class BlankFiller(_Recurrent):
    """Fill every position from its neighbours: ids (N, T) -> logits (N, T, num_outputs).

    The output at step t reads the forward state after ``x_{t-1}`` and (if
    bidirectional) the backward state after ``x_{t+1}``, never anything that
    has read ``x_t`` itself: like the HMM's ``pi_t * rho_t``, the blank is
    hidden by construction, so every position of a sequence is a training
    example (no mask needed). At the ends the missing side is the zero begin
    state. A unidirectional BlankFiller is a character language model.
    """

    def hybrid_forward(self, F, X):
        outputs, _ = self._run(F, X)                                   # (T, N, dirs * h)
        h = self.num_hiddens
        fwd = outputs[:, :, :h] if self.bidirectional else outputs
        zero = F.np.zeros_like(fwd[0:1])                               # (1, N, h)
        parts = [F.np.concatenate([zero, fwd[:-1]], axis=0)]           # state after x_{t-1}
        if self.bidirectional:
            parts.append(F.np.concatenate([outputs[1:, :, h:], zero], axis=0))  # after x_{t+1}
        hidden = F.np.concatenate(parts, axis=2) if len(parts) == 2 else parts[0]
        return F.np.transpose(self.dense(self.dropout(hidden)), (1, 0, 2))


class SequenceClassifier(_Recurrent):
    """A label per sequence from the final states: ids (N, T) -> logits (N, num_outputs).

    The dense layer reads the final hidden state of each direction: the
    forward one after reading x_T, the backward one after reading back to x_1.
    """

    def hybrid_forward(self, F, X):
        return self.dense(self.dropout(self._final(F, X)))


class PositionProbe(nn.HybridBlock):
    """Read every token of a passage back from its encoding.

    A linear layer from a fixed vector (N, d) to logits (N, num_positions,
    vocab_size): one softmax classifier per position. Trained on a frozen
    encoder's :meth:`final_states`, its accuracy at position k says how much
    of token k the encoding still holds.
    """

    def __init__(self, num_positions: int, vocab_size: int, **kwargs):
        super().__init__(**kwargs)
        positive_int("num_positions", num_positions)
        positive_int("vocab_size", vocab_size)
        self.num_positions, self.vocab_size = num_positions, vocab_size
        self.dense = nn.Dense(num_positions * vocab_size)

    def hybrid_forward(self, F, Z):
        return F.np.reshape(self.dense(Z), (-1, self.num_positions, self.vocab_size))


__all__ = ["BlankFiller", "PositionProbe", "SequenceClassifier", "TokenTagger",
           "matching_hidden_size", "model_parameter_count"]
