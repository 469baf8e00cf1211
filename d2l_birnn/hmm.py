"""Dynamic programming in a hidden Markov model (HMM), the BiRNN's ancestor.

A discrete HMM with ``k`` hidden states and ``V`` symbols has

* ``start`` (k,): ``start[i] = P(h_1 = i)``,
* ``trans`` (k, k): ``trans[i, j] = P(h_{t+1} = j | h_t = i)``,
* ``emit`` (k, V): ``emit[i, v] = P(x_t = v | h_t = i)``.

Messages follow the convention of d2l's section "Dynamic Programming in Hidden
Markov Models" (the forward message at ``t`` does *not* include the emission at
``t``)::

    pi_1(h)       = P(h_1 = h)
    pi_{t+1}(h')  = sum_h pi_t(h) P(x_t | h) P(h' | h)     = P(x_1..x_t, h_{t+1} = h')
    rho_T(h)      = 1
    rho_{t-1}(h)  = sum_h' P(h' | h) P(x_t | h') rho_t(h') = P(x_t..x_T | h_{t-1} = h)

so that for every ``t``, ``P(x) = sum_h pi_t(h) P(x_t | h) rho_t(h)``,
``P(h_t | x)`` is proportional to ``pi_t(h) P(x_t | h) rho_t(h)`` and
``P(x_j | x_-j)`` is proportional to ``sum_h pi_j(h) rho_j(h) P(x_j | h)``.
Python indices are 0-based: ``pi[t]`` is the notes' ``pi_{t+1}``.

Messages are returned *normalised*: ``messages[t]`` sums to one and
``exp(log_scale[t]) * messages[t]`` is the true message, so that nothing
underflows, however long the sequence (a true message shrinks like
``P(x_1..x_t)``). The normalised forward message is the state's predictive
distribution ``P(h_t | x_1..x_{t-1})``.

Cost: one step is a (k,) x (k, k) product, so a pass costs O(k^2 T); the
Python loop runs over time only. One recursion, :func:`_propagate`, serves
every pass: one sequence, or equal-length sequences in :meth:`HMM.fit`
together, as a batch. Where both passes are needed (posterior, fill-in, EM)
the forward pass over x and the backward pass over x reversed run side by
side in that one loop, as the two directions of a BiRNN do.

Decoding: :meth:`HMM.viterbi` is the same forward recursion in max-product
form (``max`` for ``sum``, in log space), with back-pointers: the single most
probable path, O(k^2 T). :meth:`HMM.posterior_decoding` takes each step's most
probable state from forward-backward (sum-product) instead; the two can differ.
"""

from __future__ import annotations

import bisect
import math
from typing import NamedTuple

import numpy as np

from .i18n import msg
from .validation import nonnegative_int, positive_int

#: Sums of a probability vector must be within this of 1.
ROW_SUM_TOLERANCE = 1e-6
#: Brute force refuses to enumerate more hidden paths than this (``k ** T``).
MAX_BRUTE_FORCE_PATHS = 2 ** 22
# Rescale at least this often (fewer steps where messages can shrink or grow fast).
_MAX_STEPS_BETWEEN_RESCALING = 32


class Messages(NamedTuple):
    """Normalised messages of one pass over a sequence of length T.

    ``messages`` (T, k): each row sums to 1; ``log_scale`` (T,): the true
    message at ``t`` is ``exp(log_scale[t]) * messages[t]``;
    ``log_likelihood``: ``log P(x_1..x_T)``.
    """

    messages: np.ndarray
    log_scale: np.ndarray
    log_likelihood: float


class ZeroProbabilityError(ValueError):
    """The observations are impossible under the model (their probability is 0)."""


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------
def _as_float_array(name: str, value) -> np.ndarray:
    """``value`` as a new float array, or a ``ValueError`` saying why it is not one."""
    try:
        return np.array(value, dtype=float)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} must be an array of probabilities: {e}") from None


def _check_distributions(name: str, arr: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Check that float ``arr`` has ``shape`` and its last axis sums to 1; return it normalised."""
    if arr.shape != shape:
        raise ValueError(f"{name} has shape {arr.shape}, expected {shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); an HMM needs k >= 1 states "
                         f"and V >= 1 symbols")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    if np.any(arr < 0):
        where = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        raise ValueError(f"{name} has a negative entry {arr[where]} at index {where}; "
                         f"probabilities must be >= 0")
    sums = arr.sum(axis=-1, keepdims=True)
    bad = np.abs(sums - 1) > ROW_SUM_TOLERANCE
    if np.any(bad):
        row = int(np.argmax(bad.ravel()))
        what = "" if arr.ndim == 1 else f" row {row}"
        raise ValueError(f"{name}{what} sums to {float(sums.ravel()[row])!r}, not 1; normalise "
                         f"it, e.g. {name} / {name}.sum(axis=-1, keepdims=True)")
    return arr / sums


def _check_observations(x, num_symbols: int, name: str = "x") -> np.ndarray:
    """Return ``x`` as a non-empty 1-D int64 array of symbols in [0, num_symbols)."""
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one sequence, a 1-D array of symbol ids; got shape "
                         f"{arr.shape}" + (" (pass a list of sequences to fit)"
                                            if arr.ndim == 2 else ""))
    if arr.size == 0:
        raise ValueError(f"{name} is empty; give at least one observation")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer symbol ids 0..{num_symbols - 1}, "
                         f"got dtype {arr.dtype}")
    bad = (arr < 0) | (arr >= num_symbols)
    if np.any(bad):
        t = int(np.argmax(bad))
        raise ValueError(f"{name}[{t}] = {arr[t]} is out of range: this HMM has "
                         f"{num_symbols} symbols, ids 0..{num_symbols - 1}")
    return arr.astype(np.int64, copy=False)


def _check_position(j, length: int) -> int:
    if isinstance(j, (bool, np.bool_)) or not isinstance(j, (int, np.integer)):
        raise ValueError(f"the blank position j must be an int, got {j!r}")
    if not 0 <= j < length:
        raise ValueError(f"blank position j={j} is outside the sequence (0 <= j < {length})")
    return int(j)


def _as_rng(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer)):
        raise ValueError(f"rng must be a numpy Generator or an int seed, got {rng!r}")
    return np.random.default_rng(int(rng))


# ---------------------------------------------------------------------------
# The one recursion: v_{t+1} = (v_t * b_t) @ trans
# ---------------------------------------------------------------------------
def _rescale_every(emissions: np.ndarray, trans: np.ndarray) -> int:
    """How many steps may pass between rescalings without under- or overflow.

    One step multiplies the mass ``sum(v)`` by at least ``low`` and at most
    ``high``, the extremes of ``b_t[i] * sum_j trans[i, j]``; so ``n`` steps
    change it by at most a factor 1e280 either way when
    ``n * max(-log10 low, log10 high) <= 280``. Every step when some state
    cannot emit a symbol (``low = 0``), as in notebook 02.
    """
    per_state = emissions.reshape(-1, emissions.shape[-1])              # (T [N], k')
    row_sums = trans.sum(axis=1)
    low = (per_state.min(axis=0) * row_sums).min()
    high = (per_state.max(axis=0) * row_sums).max()
    if not low > 0:
        return 1
    decades = max(-math.log10(low), math.log10(high), 1e-3)
    return int(min(_MAX_STEPS_BETWEEN_RESCALING, max(1, 280 // decades)))


def _propagate(first: np.ndarray, trans: np.ndarray, emissions: np.ndarray,
               num_chains: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Run notebook 02's recursion ``v_{t+1} = (v_t * b_t) @ trans`` for t = 1..T.

    ``emissions`` (T, [N,] c k): ``b_t``, i.e. ``emit[:, x_t]`` of each of N
    sequences (the N axis is optional); ``first`` (c k,): ``v_1``; ``trans``
    (c k, c k). With ``trans = A`` over x it is the forward recursion (``v =
    pi``); with ``trans = A.T`` over x reversed it is the backward one (``v =
    rho``). ``num_chains = c`` chains of k states can run side by side, e.g.
    the forward and the backward pass with ``trans`` the block-diagonal
    ``[[A, 0], [0, A.T]]``, like the two directions of a BiRNN: one loop, one
    product per step for both. Each chain is rescaled to sum to one every
    :func:`_rescale_every` steps, so that nothing underflows.

    Returns ``(messages (T+1, [N,] c, k), log_scale (T+1, [N,] c))``: each
    message sums to one and the true ``v_t`` is ``exp(log_scale[t]) *
    messages[t]``. Raises :class:`ZeroProbabilityError` ``(t, chain)`` if a
    mass becomes exactly zero after step t (0-based).
    """
    every = _rescale_every(emissions, trans)
    chains = emissions.shape[1:-1] + (num_chains, -1)                 # ([N,] c, k)
    v = np.zeros(emissions.shape[1:]) + first                          # ([N,] c k)
    v = (v.reshape(chains) / v.reshape(chains).sum(axis=-1, keepdims=True)).reshape(v.shape)
    rows, log_masses = [v], [np.zeros(chains[:-1])]
    with np.errstate(divide="ignore", invalid="ignore"):   # a zero mass is reported below
        for t, b in enumerate(emissions, 1):                           # b: ([N,] c k)
            v = (v * b).dot(trans)
            if t % every == 0:
                mass = v.reshape(chains).sum(axis=-1)                  # ([N,] c)
                log_masses.append(np.log(mass))
                v = (v.reshape(chains) / mass[..., None]).reshape(v.shape)
            rows.append(v)
        messages = np.array(rows).reshape((len(rows),) + chains)       # (T+1, [N,] c, k)
        sums = messages.sum(axis=-1)                                   # (T+1, [N,] c)
    if not np.all(sums > 0):   # zero (or NaN after a zero): x is impossible from there on
        where = np.argwhere(~(sums > 0))[0]
        raise ZeroProbabilityError(int(where[0]) - 1, int(where[-1]))
    # Row t was divided by every mass taken at the steps up to t: the first t // every.
    divided_out = np.cumsum(log_masses, axis=0)[np.arange(len(rows)) // every]
    return messages / sums[..., None], divided_out + np.log(sums)


def _side_by_side(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The block-diagonal matrix ``[[a, 0], [0, b]]``."""
    k = len(a)
    out = np.zeros((2 * k, 2 * k))
    out[:k, :k], out[k:, k:] = a, b
    return out


class HMM:
    """A discrete hidden Markov model: ``HMM(start (k,), trans (k, k), emit (k, V))``.

    Observations are 1-D integer arrays of symbol ids in ``0..V-1``. Every
    method that takes a sequence checks it and raises ``ValueError`` when it is
    empty, not 1-D, not integer or out of range.
    """

    def __init__(self, start, trans, emit):
        start, trans, emit = (_as_float_array(name, value) for name, value
                              in (("start", start), ("trans", trans), ("emit", emit)))
        if start.ndim != 1:
            raise ValueError(f"start must be a 1-D array of k probabilities, got shape "
                             f"{start.shape}")
        if emit.ndim != 2:
            raise ValueError(f"emit must be a (k, V) array, got shape {emit.shape}")
        k = start.shape[0]
        if k == 0 or emit.shape[1] == 0:
            raise ValueError(f"start has shape {start.shape} and emit {emit.shape}: an HMM needs "
                             f"k >= 1 states and V >= 1 symbols")
        if emit.shape[0] != k:
            raise ValueError(f"emit has {emit.shape[0]} rows but start has k={k} states; "
                             f"emit must be (k, V)")
        self.start = _check_distributions("start", start, (k,))
        self.trans = _check_distributions("trans", trans, (k, k))
        self.emit = _check_distributions("emit", emit, (k, emit.shape[1]))
        for arr in (self.start, self.trans, self.emit):
            arr.setflags(write=False)

    @property
    def num_states(self) -> int:
        """k, the number of hidden states."""
        return self.start.shape[0]

    @property
    def num_symbols(self) -> int:
        """V, the number of observable symbols."""
        return self.emit.shape[1]

    def __repr__(self) -> str:
        return msg("hmm.repr", k=self.num_states, V=self.num_symbols)   # in the edition's language

    @classmethod
    def random(cls, k: int, num_symbols: int, rng, concentration: float = 1.0) -> HMM:
        """A model whose rows are drawn from Dirichlet(concentration) distributions."""
        for name, value in (("k", k), ("num_symbols", num_symbols)):
            positive_int(name, value)
        if not concentration > 0:
            raise ValueError(f"concentration must be > 0, got {concentration!r}")
        rng = _as_rng(rng)
        return cls(rng.dirichlet(np.full(k, concentration)),
                   rng.dirichlet(np.full(k, concentration), size=k),
                   rng.dirichlet(np.full(num_symbols, concentration), size=k))

    # -- sampling and brute force --------------------------------------------
    def sample(self, T: int, rng) -> tuple[np.ndarray, np.ndarray]:
        """Draw a hidden path and observations: ``(h (T,), x (T,))``, both int64.

        ``rng`` is a ``numpy.random.Generator`` or an int seed.
        """
        positive_int("T", T)
        rng = _as_rng(rng)
        k = self.num_states
        cum_start = np.cumsum(self.start).tolist()
        cum_trans = np.cumsum(self.trans, axis=1).tolist()
        u = rng.random(T).tolist()
        h = [min(bisect.bisect(cum_start, u[0]), k - 1)]
        for t in range(1, T):
            h.append(min(bisect.bisect(cum_trans[h[-1]], u[t]), k - 1))
        h_arr = np.array(h, dtype=np.int64)
        cum_emit = np.cumsum(self.emit, axis=1)[h_arr]              # (T, V)
        x = (rng.random(T)[:, None] >= cum_emit).sum(axis=1)
        return h_arr, np.minimum(x, self.num_symbols - 1).astype(np.int64)

    def brute_force_likelihood(self, x, max_paths: int = MAX_BRUTE_FORCE_PATHS) -> float:
        """``P(x)`` by summing ``P(h, x)`` over all ``k ** T`` hidden paths.

        Exponential in T: refuses (``ValueError``) when ``k ** T > max_paths``.
        The joint probabilities of all paths are built in one array of
        ``k ** T`` entries, one time step at a time.
        """
        x = _check_observations(x, self.num_symbols)
        k, T = self.num_states, len(x)
        if T * math.log(k) > math.log(max_paths):
            raise ValueError(msg("hmm.brute_too_long", k=k, T=T, exponent=T * math.log10(k),
                                 max_paths=max_paths))
        joint = self.start * self.emit[:, x[0]]              # P(h_1, x_1), shape (k,)
        for t in range(1, T):
            step = self.trans * self.emit[:, x[t]]           # P(h_t | h_{t-1}) P(x_t | h_t)
            joint = joint[..., :, None] * step               # one more axis: (k,) * (t+1)
        return float(joint.sum())

    def brute_force_best_path(self, x, max_paths: int = MAX_BRUTE_FORCE_PATHS
                              ) -> tuple[np.ndarray, float]:
        """The most probable hidden path by scoring all ``k ** T`` paths: ``(path (T,), log P(path, x))``.

        The check on :meth:`viterbi`; refuses (``ValueError``) when ``k ** T > max_paths``.
        """
        x = _check_observations(x, self.num_symbols)
        k, T = self.num_states, len(x)
        if T * math.log(k) > math.log(max_paths):
            raise ValueError(f"brute force would score k**T = {k}**{T} paths, more than "
                             f"max_paths={max_paths}; use viterbi(x), or a shorter sequence")
        with np.errstate(divide="ignore"):
            log_joint = np.log(self.start * self.emit[:, x[0]])                 # (k,)
            for t in range(1, T):
                step = np.log(self.trans * self.emit[:, x[t]])                  # (k, k)
                log_joint = log_joint[..., :, None] + step                      # (k,) * (t+1)
        best = int(np.argmax(log_joint))
        if log_joint.flat[best] == -math.inf:
            raise ZeroProbabilityError("x is impossible under this model: every path has "
                                       "probability 0")
        return np.array(np.unravel_index(best, log_joint.shape), dtype=np.int64), \
            float(log_joint.flat[best])

    # -- decoding: max-product beside sum-product ----------------------------------
    def viterbi(self, x) -> tuple[np.ndarray, float]:
        """The most probable hidden path ``argmax_h P(h, x)`` and its log-probability.

        Max-product in log space: the forward recursion with ``sum`` replaced by
        ``max`` (and products by sums of logs, so nothing underflows)::

            delta_1(h)      = log P(h_1 = h) + log P(x_1 | h)
            delta_{t+1}(h') = max_h [delta_t(h) + log P(h' | h)] + log P(x_{t+1} | h')

        with a back-pointer to the maximising ``h`` at every step; the path is
        read back from ``argmax delta_T``. O(k^2 T) like forward-backward.
        Returns ``(path (T,) int64, log P(path, x))``; raises
        :class:`ZeroProbabilityError` when ``x`` is impossible.
        """
        x = _check_observations(x, self.num_symbols)
        with np.errstate(divide="ignore"):
            log_trans, log_emit = np.log(self.trans), np.log(self.emit)
            delta = np.log(self.start) + log_emit[:, x[0]]                      # (k,)
        pointers = np.zeros((len(x), self.num_states), dtype=np.int64)         # (T, k)
        for t in range(1, len(x)):
            scores = delta[:, None] + log_trans                                # (k from, k to)
            pointers[t] = scores.argmax(axis=0)
            delta = scores.max(axis=0) + log_emit[:, x[t]]
        if not np.isfinite(delta.max()):
            raise ZeroProbabilityError("x is impossible under this model: every path has "
                                       "probability 0")
        path = [int(delta.argmax())]
        for t in range(len(x) - 1, 0, -1):
            path.append(int(pointers[t, path[-1]]))
        return np.array(path[::-1], dtype=np.int64), float(delta.max())

    def posterior_decoding(self, x) -> np.ndarray:
        """The most probable state at each step on its own, ``argmax_h P(h_t | x)``: (T,).

        Sum-product (forward-backward) then a per-step argmax. It maximises the
        expected number of right states, not the probability of the path: the
        path it gives can contain a transition of probability 0.
        """
        return self.posterior(x).argmax(axis=1).astype(np.int64)

    def path_log_probability(self, path, x) -> float:
        """``log P(h = path, x)`` written out term by term (``-inf`` if impossible)."""
        x = _check_observations(x, self.num_symbols)
        path = _check_observations(path, self.num_states, name="path")
        if len(path) != len(x):
            raise ValueError(f"path has {len(path)} states but x has {len(x)} observations")
        with np.errstate(divide="ignore"):
            return float(np.log(self.start[path[0]]) + np.log(self.emit[path, x]).sum()
                         + np.log(self.trans[path[:-1], path[1:]]).sum())

    # -- forward and backward --------------------------------------------------
    def _forward_rows(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """pi_1..pi_{T+1} for checked ``x``: (T+1, k) normalised, (T+1,) log scales."""
        try:
            msgs, logs = _propagate(self.start, self.trans, self.emit.T[x])
        except ZeroProbabilityError as e:
            raise self._impossible(x, e.args[0], forward=True) from None
        return msgs[:, 0], logs[:, 0]

    def _backward_rows(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Backward messages for checked ``x``: (T+1, k) normalised, (T+1,) log scales.

        Row ``t + 1`` is rho at position t; row 0 is the message one step
        before ``x[0]`` (what :meth:`fill_in` needs when ``x`` is a suffix).
        """
        try:
            msgs, logs = _propagate(np.ones(self.num_states), self.trans.T, self.emit.T[x[::-1]])
        except ZeroProbabilityError as e:
            raise self._impossible(x, len(x) - 1 - e.args[0], forward=False) from None
        return msgs[::-1, 0], logs[::-1, 0] + math.log(self.num_states)

    def _both_rows(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``pi`` (T, k) and ``rho`` (T, k), normalised, of checked ``x`` (``x`` (T,)
        or N sequences (T, N), then (T, N, k) each), from one loop that runs the
        forward pass over x and the backward pass over x reversed side by side."""
        emit = self.emit.T
        emissions = np.concatenate([emit[x], emit[x[::-1]]], axis=-1)   # (T, [N,] 2k)
        first = np.concatenate([self.start, np.ones(self.num_states)])
        try:
            msgs, logs = _propagate(first, _side_by_side(self.trans, self.trans.T), emissions,
                                    num_chains=2)
        except ZeroProbabilityError as e:
            t, chain = e.args
            raise self._impossible(x if x.ndim == 1 else x[:, 0],
                                   t if chain == 0 else len(x) - 1 - t, forward=chain == 0) from None
        return msgs[:-1, ..., 0, :], msgs[::-1][1:, ..., 1, :], logs[-1, ..., 0]

    @staticmethod
    def _impossible(x: np.ndarray, t: int, forward: bool) -> ZeroProbabilityError:
        if forward:
            return ZeroProbabilityError(
                f"x is impossible under this model: P(x[:{t + 1}]) = 0, the probability "
                f"drops to 0 at x[{t}] = {x[t]}; its log-likelihood is -inf")
        return ZeroProbabilityError(
            f"x is impossible under this model: P(x[{t}:] | h) = 0 for every state h "
            f"before x[{t}] = {x[t]}; its log-likelihood is -inf")

    def forward(self, x) -> Messages:
        """Forward messages ``pi`` (T, k) (``pi[0] = start``), log scales and log P(x).

        ``messages[t]`` is ``P(h_t | x_1..x_{t-1})`` and ``log_scale[t]`` is
        ``log P(x_1..x_{t-1})`` (0-based t).
        """
        x = _check_observations(x, self.num_symbols)
        msgs, logs = self._forward_rows(x)
        return Messages(msgs[:-1], logs[:-1], float(logs[-1]))

    def backward(self, x) -> Messages:
        """Backward messages ``rho`` (T, k) (``rho[T-1] = 1``), log scales and log P(x)."""
        x = _check_observations(x, self.num_symbols)
        msgs, logs = self._backward_rows(x)
        first = self.start * self.emit[:, x[0]] * msgs[1]
        return Messages(msgs[1:], logs[1:], float(logs[1] + math.log(first.sum())))

    def log_likelihood(self, x) -> float:
        """``log P(x)``, computed by the forward recursion; ``-inf`` if x is impossible."""
        x = _check_observations(x, self.num_symbols)
        try:
            return float(self._forward_rows(x)[1][-1])
        except ZeroProbabilityError:
            return -math.inf

    def posterior(self, x) -> np.ndarray:
        """``P(h_t | x)`` for every t: (T, k), rows sum to 1.

        Proportional to ``pi_t(h) P(x_t | h) rho_t(h)``.
        """
        x = _check_observations(x, self.num_symbols)
        pi, rho, _ = self._both_rows(x)
        gamma = pi * self.emit.T[x] * rho
        return gamma / gamma.sum(axis=1, keepdims=True)

    # -- filling in a blank ---------------------------------------------------
    def _split_at(self, x, j: int) -> tuple[np.ndarray, np.ndarray, int]:
        arr = np.asarray(x)
        if arr.ndim != 1 or arr.size == 0:
            _check_observations(arr, self.num_symbols)   # raises the clear error
        j = _check_position(j, len(arr))
        before = _check_observations(arr[:j], self.num_symbols) if j > 0 else arr[:0]
        after = (_check_observations(arr[j + 1:], self.num_symbols, name=f"x[{j + 1}:]")
                 if j + 1 < len(arr) else arr[:0])
        return before.astype(np.int64), after.astype(np.int64), j

    def fill_in(self, x, j: int) -> np.ndarray:
        """``P(x_j | x_-j)`` (V,): the distribution of a blank at position j.

        Proportional to ``sum_h pi_j(h) rho_j(h) P(x_j | h)``. The value of
        ``x[j]`` is ignored (it may be anything, e.g. -1).
        """
        before, after, _ = self._split_at(x, j)
        pi = self._forward_rows(before)[0][-1] if len(before) else self.start
        rho = self._backward_rows(after)[0][0] if len(after) else np.ones(self.num_states)
        p = (pi * rho) @ self.emit
        return p / p.sum()

    def fill_in_left(self, x, j: int) -> np.ndarray:
        """``P(x_j | x_1..x_{j-1})`` (V,), using only the left context."""
        before, _, _ = self._split_at(x, j)
        pi = self._forward_rows(before)[0][-1] if len(before) else self.start
        p = pi @ self.emit
        return p / p.sum()

    def fill_in_all(self, x) -> np.ndarray:
        """``P(x_j | x_-j)`` for every position j at once (each a blank on its own): (T, V)."""
        x = _check_observations(x, self.num_symbols)
        pi, rho, _ = self._both_rows(x)
        p = (pi * rho) @ self.emit
        return p / p.sum(axis=1, keepdims=True)

    def fill_in_left_all(self, x) -> np.ndarray:
        """``P(x_j | x_1..x_{j-1})`` for every position j: (T, V)."""
        x = _check_observations(x, self.num_symbols)
        p = self._forward_rows(x)[0][:-1] @ self.emit
        return p / p.sum(axis=1, keepdims=True)

    # -- learning ---------------------------------------------------------------
    def _expected_counts(self, batch: np.ndarray):
        """E-step for N equal-length sequences ``batch`` (N, T).

        Returns expected counts (start (k,), transitions (k, k), emissions
        (k, V)) under the posterior, and the summed log-likelihood.
        Arrays are time-major, (T, N, k).
        """
        N, T = batch.shape
        k, V = self.num_states, self.num_symbols
        emissions = self.emit.T[batch.T]                                 # (T, N, k)
        # The two passes one after the other: for a batch the products cost more than the
        # Python loop, and side by side (block-diagonal) they would cost twice as much.
        try:
            pi, pi_logs = _propagate(self.start, self.trans, emissions)
            rho = _propagate(np.ones(k), self.trans.T, emissions[::-1])[0][::-1]
        except ZeroProbabilityError:
            raise ZeroProbabilityError(
                "a training sequence is impossible under the current model; start from a "
                "model with positive entries") from None
        pi, rho = pi[:-1, :, 0], rho[1:, :, 0]                           # (T, N, k) each
        loglik = float(pi_logs[-1].sum())
        left = pi * emissions                                            # pi_t(i) P(x_t | i)
        right = emissions * rho                                          # P(x_t | j) rho_t(j)
        gamma = left * rho
        gamma /= gamma.sum(axis=2, keepdims=True)                        # P(h_t | x)
        left, right = left[:-1].reshape(-1, k), right[1:].reshape(-1, k)
        norm = np.einsum("ti,ti->t", left.dot(self.trans), right)
        # sum_t P(h_t = i, h_t+1 = j | x)
        trans_counts = self.trans * (left.T / norm).dot(right)
        index = (np.ascontiguousarray(batch.T)[..., None] * k + np.arange(k)).ravel()
        emit_counts = np.bincount(index, weights=gamma.ravel(), minlength=V * k).reshape(V, k).T
        return gamma[0].sum(axis=0), trans_counts, emit_counts, loglik

    @classmethod
    def fit(cls, sequences, k: int, num_symbols: int | None = None, num_iters: int = 100,
            seed=0, init: HMM | None = None, tol: float | None = None) -> tuple[HMM, np.ndarray]:
        """Baum-Welch (EM) for maximum likelihood from a seeded random start.

        ``sequences``: one 1-D int array, or a list of them (equal-length ones
        are processed together as a batch). ``num_symbols`` defaults to the
        largest symbol + 1. The start draws every row from a flat Dirichlet
        with ``seed`` (an int or a numpy Generator); pass ``init`` to start
        from a given model instead. Stops after ``num_iters`` updates, or
        earlier when an update gains less than ``tol`` in log-likelihood.

        Returns ``(model, history)`` where ``history[i]`` is the total
        log-likelihood after ``i`` updates (``history[0]``: the start, the
        last: the returned model). EM never lets it decrease (up to rounding).
        """
        seqs = cls._as_sequences(sequences)
        positive_int("k (number of hidden states)", k)
        nonnegative_int("num_iters", num_iters)
        largest = max(int(s.max()) for s in seqs)
        if num_symbols is None:
            num_symbols = largest + 1
        seqs = [_check_observations(s, num_symbols, name=f"sequences[{i}]")
                for i, s in enumerate(seqs)]
        if init is None:
            model = cls.random(k, num_symbols, seed)
        else:
            if (init.num_states, init.num_symbols) != (k, num_symbols):
                raise ValueError(f"init has k={init.num_states}, V={init.num_symbols}; "
                                 f"expected k={k}, V={num_symbols}")
            model = init
        batches: dict[int, list[np.ndarray]] = {}
        for s in seqs:
            batches.setdefault(len(s), []).append(s)
        groups = [np.stack(group) for group in batches.values()]

        history = []
        for it in range(num_iters + 1):
            start_c = np.zeros(k)
            trans_c = np.zeros((k, k))
            emit_c = np.zeros((k, num_symbols))
            total = 0.0
            for group in groups:   # equal-length sequences, propagated together
                s_c, t_c, e_c, ll = model._expected_counts(group)
                start_c += s_c
                trans_c += t_c
                emit_c += e_c
                total += ll
            history.append(total)
            if it == num_iters or (tol is not None and it > 0
                                   and history[-1] - history[-2] < tol):
                break
            model = cls(start_c / start_c.sum(),
                        _normalise_rows(trans_c, model.trans),
                        _normalise_rows(emit_c, model.emit))
        return model, np.array(history)

    @staticmethod
    def _as_sequences(sequences) -> list[np.ndarray]:
        if isinstance(sequences, np.ndarray) and sequences.ndim == 1:
            return [sequences]
        if isinstance(sequences, np.ndarray) and sequences.ndim == 2:
            return list(sequences)
        if isinstance(sequences, (list, tuple)):
            if len(sequences) == 0:
                raise ValueError("sequences is empty; give one sequence or a list of them")
            if all(isinstance(s, (int, np.integer)) for s in sequences):
                return [np.asarray(sequences)]
            out = [np.asarray(s) for s in sequences]
            for i, s in enumerate(out):
                if s.ndim != 1 or s.size == 0:
                    raise ValueError(f"sequences[{i}] must be a non-empty 1-D array of symbol "
                                     f"ids, got shape {s.shape}")
            return out
        raise ValueError(f"sequences must be a 1-D int array or a list of them, "
                         f"got {type(sequences).__name__}")


def _normalise_rows(counts: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Rows of ``counts`` divided by their sums; a row with no counts keeps ``old``'s row.

    A state the posterior never visits does not affect the likelihood, so
    keeping its old row keeps EM monotone.
    """
    sums = counts.sum(axis=1, keepdims=True)
    return np.where(sums > 0, counts / np.where(sums > 0, sums, 1), old)

