"""Sizes of the task models, without a framework: parameter counts and matched hidden sizes.

The count holds for both editions' models (an embedding, one LSTM layer with one or two
directions, a dense readout): Gluon's ``rnn.LSTM`` and PyTorch's ``nn.LSTM`` both keep
two bias vectors per gate. Used by :mod:`d2l_birnn.mxnet.tasks` (MXNet) and
:mod:`d2l_birnn.torch.tasks` (PyTorch).
"""

from __future__ import annotations

from .validation import positive_int


def model_parameter_count(vocab_size: int, num_outputs: int, num_hiddens: int,
                          bidirectional: bool, embed_size: int = 32) -> int:
    """Parameters of the models here: embedding, one LSTM layer, dense readout.

    LSTM: per direction ``4h`` gates, each with input and recurrent weights and
    two biases (MXNet and PyTorch keep both): ``4h (e + h + 2)``. The readout reads
    ``dirs * h`` numbers.
    """
    dirs = 2 if bidirectional else 1
    return (vocab_size * embed_size + dirs * 4 * num_hiddens * (embed_size + num_hiddens + 2)
            + dirs * num_hiddens * num_outputs + num_outputs)


def matching_hidden_size(num_hiddens: int, vocab_size: int, num_outputs: int,
                         embed_size: int = 32) -> int:
    """Hidden size of a unidirectional model with (nearly) as many parameters as a
    bidirectional one with ``num_hiddens`` (about 1.4 times as many units)."""
    target = model_parameter_count(vocab_size, num_outputs, num_hiddens, True, embed_size)
    return min(range(1, 4 * num_hiddens),
               key=lambda h: abs(model_parameter_count(vocab_size, num_outputs, h, False,
                                                       embed_size) - target))


def closest_hidden_size(count, target: int, limit: int = 4096) -> int:
    """The hidden size ``h`` whose parameter count ``count(h)`` is closest to ``target``.

    ``count``: a function of the hidden size that grows with it, e.g.
    ``lambda h: d2l.BiRNNScratch(V, h, V, bidirectional=False).num_parameters()``,
    to give a unidirectional model as many parameters as a bidirectional one
    (``target``). Searches ``h`` = 1, 2, ... up to ``limit``; on a tie the smaller ``h``.
    """
    positive_int("target", target)
    previous = None
    for h in range(1, limit + 1):
        n = count(h)
        if n >= target:
            if previous is not None and target - previous <= n - target:
                return h - 1
            return h
        previous = n
    raise ValueError(f"no hidden size up to {limit} reaches {target:,} parameters "
                     f"(count({limit}) = {previous:,}); raise limit")


__all__ = ["closest_hidden_size", "matching_hidden_size", "model_parameter_count"]
