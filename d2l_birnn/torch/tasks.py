"""Where bidirectional RNNs belong, in PyTorch: the data sets of the three tasks, small
``torch.nn`` models for them, their training, and the seed loop (without Gluon).

It mirrors :mod:`d2l_birnn.mxnet.tasks` (the MXNet edition's tasks). The data sets
(:mod:`d2l_birnn.task_data`: masked windows, word-end tags, rows, passages), the parameter
counts (:mod:`d2l_birnn.task_sizes`) and the seed loop (:mod:`d2l_birnn.seeds`) are the
framework-free core's, handed on; :func:`over_seeds` seeds PyTorch
(:func:`d2l_birnn.torch.set_seed`) before each run.

The models (:class:`TokenTagger`, :class:`BlankFiller`, :class:`SequenceClassifier`,
:class:`PositionProbe`) and their training (:func:`fit`, :func:`predict_labels`,
:func:`encode_passages`, ...) are ``torch.nn`` ports of the Gluon ones with the same
constructor arguments, shapes, parameter counts and defaults (Adam, batches shuffled by a
seed of their own). Inputs are token ids ``(N, T)``: a tensor, a NumPy array or a list.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..seeds import SEEDS, per_seed  # noqa: F401 (the core's, handed on)
from ..seeds import over_seeds as _over_seeds
from ..task_data import (  # noqa: F401 (the core's data sets, handed on)
    MASK,
    char_vocab,
    cut_rows,
    half_passages,
    join_words,
    masked_windows,
    word_end_tags,
)
from ..task_sizes import closest_hidden_size, matching_hidden_size, model_parameter_count  # noqa: F401
from ..validation import positive_int
from .runtime import set_seed


def over_seeds(run, seeds=SEEDS, report=None) -> list:
    """``[run(seed) for seed in seeds]``, every run started by PyTorch's ``set_seed(seed)``
    (PyTorch, NumPy and Python's ``random``; :func:`d2l_birnn.seeds.over_seeds`)."""
    return _over_seeds(run, seeds, report, set_seed=set_seed)


def as_ids(X, device=None) -> torch.Tensor:
    """Token ids as an ``int64`` tensor (from a tensor, NumPy array or nested list)."""
    return torch.as_tensor(X, device=device).long()


class _Recurrent(nn.Module):
    """Embedding and one LSTM layer; subclasses choose what the linear layer reads."""

    def __init__(self, vocab_size: int, num_outputs: int, num_hiddens: int,
                 bidirectional: bool, embed_size: int = 32, dropout: float = 0.0):
        super().__init__()
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
        for name, value in (("vocab_size", vocab_size), ("num_outputs", num_outputs),
                            ("num_hiddens", num_hiddens), ("embed_size", embed_size)):
            positive_int(name, value)
        self.vocab_size, self.num_outputs = vocab_size, num_outputs
        self.num_hiddens, self.bidirectional = num_hiddens, bool(bidirectional)
        self.num_directions = 2 if bidirectional else 1
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.lstm = nn.LSTM(embed_size, num_hiddens, bidirectional=self.bidirectional)
        self.dropout = nn.Dropout(dropout)  # on what the linear layer reads (training only)
        self.dense = nn.Linear(self.num_directions * num_hiddens, num_outputs)

    def _run(self, X):
        """Outputs (T, N, dirs * h) and final hidden states (dirs, N, h) for ids X (N, T);
        the begin state is zero."""
        device = self.embedding.weight.device
        emb = self.embedding(as_ids(X, device).T)                     # (T, N, e)
        outputs, (h_last, _) = self.lstm(emb)
        return outputs, h_last

    def _final(self, X):
        """Final hidden state of each direction, side by side: (N, dirs * h)."""
        _, h_last = self._run(X)                                      # (dirs, N, h)
        return h_last.transpose(0, 1).reshape(-1, self.num_directions * self.num_hiddens)

    def features(self, X) -> torch.Tensor:
        """The LSTM's output at every position, shape (N, T, dirs * h): forward
        half first, then backward. A contextual vector of each token."""
        outputs, _ = self._run(X)
        return outputs.transpose(0, 1)

    def final_states(self, X) -> torch.Tensor:
        """The sequence's encoding, shape (N, dirs * h): the forward state after
        reading x_1..x_T and (bidirectional) the backward state after reading
        x_T..x_1, i.e. what a decoder or classifier would be given."""
        return self._final(X)

    def __repr__(self) -> str:
        kind = "bidirectional" if self.bidirectional else "unidirectional"
        return (f"{type(self).__name__}({kind} LSTM, {self.num_hiddens} hidden units, "
                f"{self.vocab_size} tokens -> {self.num_outputs} outputs)")


class TokenTagger(_Recurrent):
    """One label per token: ids (N, T) -> logits (N, T, num_outputs)."""

    def forward(self, X):
        outputs, _ = self._run(X)                                     # (T, N, dirs * h)
        return self.dense(self.dropout(outputs)).transpose(0, 1)


class BlankFiller(_Recurrent):
    """Fill every position from its neighbours: ids (N, T) -> logits (N, T, num_outputs).

    The output at step t reads the forward state after ``x_{t-1}`` and (if
    bidirectional) the backward state after ``x_{t+1}``, never anything that
    has read ``x_t`` itself: like the HMM's ``pi_t * rho_t``, the blank is
    hidden by construction, so every position of a sequence is a training
    example (no mask needed). At the ends the missing side is the zero begin
    state. A unidirectional BlankFiller is a character language model.
    """

    def forward(self, X):
        outputs, _ = self._run(X)                                     # (T, N, dirs * h)
        h = self.num_hiddens
        fwd = outputs[:, :, :h]
        zero = torch.zeros_like(fwd[0:1])                             # (1, N, h)
        parts = [torch.cat([zero, fwd[:-1]], dim=0)]                  # state after x_{t-1}
        if self.bidirectional:
            parts.append(torch.cat([outputs[1:, :, h:], zero], dim=0))  # after x_{t+1}
        hidden = torch.cat(parts, dim=2)                              # (T, N, dirs * h)
        return self.dense(self.dropout(hidden)).transpose(0, 1)


class SequenceClassifier(_Recurrent):
    """A label per sequence from the final states: ids (N, T) -> logits (N, num_outputs).

    The linear layer reads the final hidden state of each direction: the
    forward one after reading x_T, the backward one after reading back to x_1.
    """

    def forward(self, X):
        return self.dense(self.dropout(self._final(X)))


class PositionProbe(nn.Module):
    """Read every token of a passage back from its encoding.

    A linear layer from a fixed vector (N, d) to logits (N, num_positions,
    vocab_size): one softmax classifier per position. Trained on a frozen
    encoder's :meth:`final_states`, its accuracy at position k says how much
    of token k the encoding still holds. ``d`` is taken from the first input
    (``nn.LazyLinear``, as Gluon's Dense infers it), or given as ``in_features``.
    """

    def __init__(self, num_positions: int, vocab_size: int, in_features: int | None = None):
        super().__init__()
        positive_int("num_positions", num_positions)
        positive_int("vocab_size", vocab_size)
        self.num_positions, self.vocab_size = num_positions, vocab_size
        if in_features is None:
            self.dense = nn.LazyLinear(num_positions * vocab_size)
        else:
            self.dense = nn.Linear(positive_int("in_features", in_features),
                                   num_positions * vocab_size)

    def forward(self, Z):
        Z = torch.as_tensor(Z, dtype=torch.float32, device=_device_of(self, Z))
        return self.dense(Z).reshape(-1, self.num_positions, self.vocab_size)


def _device_of(net: nn.Module, fallback=None):
    """The device of ``net``'s first initialised parameter (else of ``fallback``, else the CPU)."""
    for p in net.parameters():
        if not isinstance(p, nn.parameter.UninitializedParameter):
            return p.device
    return fallback.device if isinstance(fallback, torch.Tensor) else torch.device("cpu")


# ---------------------------------------------------------------------------
# Training and applying the models
# ---------------------------------------------------------------------------
def _tensor(a, device) -> torch.Tensor:
    """A NumPy array as a tensor on ``device``: ids stay ``int64``, numbers become ``float32``."""
    t = torch.as_tensor(np.asarray(a), device=device)
    return t.float() if t.is_floating_point() else t.long()


def _in_order(X, batch_size: int):
    """The rows of ``X`` in order, ``batch_size`` at a time (NumPy arrays)."""
    X = np.asarray(X)
    positive_int("batch_size", batch_size)
    return (X[i: i + batch_size] for i in range(0, len(X), batch_size))


def _materialize(net: nn.Module, x: torch.Tensor) -> None:
    """Run one batch through a model with lazy layers (``PositionProbe``) to give them shapes."""
    if any(isinstance(p, nn.parameter.UninitializedParameter) for p in net.parameters()):
        with torch.no_grad():
            net(x)


def xavier_init(net: nn.Module) -> None:
    """What ``net.initialize(init.Xavier(), force_reinit=True)`` does to the Gluon models:
    every weight matrix Xavier-uniform (gain 1), every bias zero."""
    with torch.no_grad():
        for p in net.parameters():
            if p.dim() >= 2:
                nn.init.xavier_uniform_(p)
            else:
                p.zero_()


def fit(net: nn.Module, X, Y, num_epochs: int, batch_size: int = 128, lr: float = 0.01,
        seed: int = 0) -> list[float]:
    """Train with Adam on inputs ``X`` ((S, T) ids, or (S, d) vectors for a probe)
    and labels ``Y`` ((S,) or (S, T)); logits (S, C) or (S, T, C), cross-entropy.

    Initialises the model (:func:`xavier_init`), shuffles with ``seed`` each epoch
    (the same batches as the MXNet edition's ``fit`` for a seed), clips every
    gradient element to [-1, 1] (what Gluon's ``clip_gradient=1.0`` does). Trains on
    the device of ``net``'s parameters and leaves ``net`` in eval mode. Returns the
    mean training loss of each epoch.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}: they must match")
    positive_int("num_epochs", num_epochs)
    positive_int("batch_size", batch_size)
    device = _device_of(net)
    _materialize(net, _tensor(X[:1], device))
    xavier_init(net)
    trainer = torch.optim.Adam(net.parameters(), lr=lr)
    rng = np.random.RandomState(seed)  # the shuffling's own generator: same batches for a seed
    losses = []
    net.train()
    for _ in range(num_epochs):
        total, count = 0.0, 0
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start: start + batch_size]
            x, y = _tensor(X[rows], device), _tensor(Y[rows], device)
            logits = net(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            trainer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_value_(net.parameters(), 1.0)
            trainer.step()
            total += float(loss.detach()) * len(rows)
            count += len(rows)
        losses.append(total / count)
    net.eval()
    return losses


@torch.no_grad()
def encode_passages(net: nn.Module, X, batch_size: int = 512) -> np.ndarray:
    """The final states (``net.final_states``) of passages ``X`` ((S, T) ids), in
    batches: a NumPy array (S, dirs * h)."""
    net.eval()
    device = _device_of(net)
    return np.concatenate([net.final_states(_tensor(x, device)).cpu().numpy()
                           for x in _in_order(X, batch_size)])


@torch.no_grad()
def predict_labels(net: nn.Module, X, batch_size: int = 512) -> np.ndarray:
    """Most probable label of each row (or token): shape (S,) or (S, T), ``int64``."""
    net.eval()
    device = _device_of(net)
    out = [net(_tensor(x, device)).argmax(dim=-1).cpu().numpy() for x in _in_order(X, batch_size)]
    return np.concatenate(out).astype(np.int64)


def label_accuracy(net: nn.Module, X, Y, batch_size: int = 512) -> float:
    """Fraction of labels in ``Y`` that the model predicts right."""
    return float((predict_labels(net, X, batch_size) == np.asarray(Y)).mean())


def _flat(u) -> np.ndarray:
    """Any array (tensor, with or without gradient; NumPy; list) as a flat float64 NumPy array."""
    if isinstance(u, torch.Tensor):
        u = u.detach().cpu().numpy()
    return np.asarray(u, dtype=float).ravel()


def cosine_similarity(u, v) -> float:
    """Cosine of the angle between two vectors (tensors, NumPy arrays or lists; flattened)."""
    u, v = _flat(u), _flat(v)
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


__all__ = ["BlankFiller", "MASK", "PositionProbe", "SEEDS", "SequenceClassifier", "TokenTagger",
           "as_ids", "char_vocab", "closest_hidden_size", "cosine_similarity", "cut_rows",
           "encode_passages", "fit", "half_passages", "join_words", "label_accuracy",
           "masked_windows", "matching_hidden_size", "model_parameter_count", "over_seeds",
           "per_seed", "predict_labels", "word_end_tags", "xavier_init"]
