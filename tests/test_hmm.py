"""Tests for d2l_birnn.hmm: every recursion against an explicit sum over all hidden paths."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from d2l_birnn import hmm
from d2l_birnn.hmm import HMM, ZeroProbabilityError

# (k states, V symbols, T steps) of the random small cases
CASES = [(1, 3, 4), (2, 2, 1), (2, 3, 5), (3, 4, 6), (4, 2, 5)]


def path_prob(model: HMM, path, x) -> float:
    """P(h = path, x) written out term by term."""
    p = model.start[path[0]] * model.emit[path[0], x[0]]
    for t in range(1, len(x)):
        p *= model.trans[path[t - 1], path[t]] * model.emit[path[t], x[t]]
    return p


def enumerate_paths(model: HMM, x):
    """(P(x), P(h_t | x) as (T, k)) by listing all k**T paths with itertools."""
    k, T = model.num_states, len(x)
    total, post = 0.0, np.zeros((T, k))
    for path in itertools.product(range(k), repeat=T):
        p = path_prob(model, path, x)
        total += p
        post[np.arange(T), path] += p
    return total, post / total


def true_pi(model: HMM, x, t: int) -> np.ndarray:
    """pi_t(h) = P(x_0..x_{t-1}, h_t = h) (0-based), by enumeration."""
    if t == 0:
        return np.array(model.start)
    out = np.zeros(model.num_states)
    for path in itertools.product(range(model.num_states), repeat=t):
        p = path_prob(model, path, x[:t])
        out += p * model.trans[path[-1]]
    return out


def true_rho(model: HMM, x, t: int) -> np.ndarray:
    """rho_t(h) = P(x_{t+1}..x_{T-1} | h_t = h) (0-based), by enumeration."""
    k, T = model.num_states, len(x)
    out = np.zeros(k)
    for h in range(k):
        for rest in itertools.product(range(k), repeat=T - 1 - t):
            p, prev = 1.0, h
            for s, state in enumerate(rest, start=t + 1):
                p *= model.trans[prev, state] * model.emit[state, x[s]]
                prev = state
            out[h] += p
    return out


def random_case(k: int, V: int, T: int, seed: int):
    rng = np.random.default_rng(seed)
    model = HMM.random(k, V, rng)
    return model, rng.integers(0, V, size=T)


@pytest.mark.parametrize("k,V,T", CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_likelihood_matches_all_paths(k, V, T, seed):
    model, x = random_case(k, V, T, seed)
    total, _ = enumerate_paths(model, x)
    assert model.brute_force_likelihood(x) == pytest.approx(total, rel=1e-12)
    assert model.log_likelihood(x) == pytest.approx(math.log(total), rel=1e-12)
    assert model.forward(x).log_likelihood == pytest.approx(math.log(total), rel=1e-12)
    assert model.backward(x).log_likelihood == pytest.approx(math.log(total), rel=1e-12)


@pytest.mark.parametrize("k,V,T", CASES)
def test_forward_and_backward_messages_are_the_notes_pi_and_rho(k, V, T):
    model, x = random_case(k, V, T, seed=2)
    fw, bw = model.forward(x), model.backward(x)
    assert fw.messages.shape == bw.messages.shape == (T, k)
    np.testing.assert_allclose(fw.messages.sum(axis=1), 1)
    np.testing.assert_allclose(bw.messages.sum(axis=1), 1)
    for t in range(T):
        np.testing.assert_allclose(np.exp(fw.log_scale[t]) * fw.messages[t],
                                   true_pi(model, x, t), rtol=1e-10, atol=1e-300)
        np.testing.assert_allclose(np.exp(bw.log_scale[t]) * bw.messages[t],
                                   true_rho(model, x, t), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(np.exp(bw.log_scale[-1]) * bw.messages[-1], 1)   # rho_T = 1
    np.testing.assert_allclose(fw.messages[0], model.start)                    # pi_1 = P(h_1)
    # P(x) = sum_h pi_t(h) P(x_t | h) rho_t(h) at every t
    log_px = fw.log_scale + bw.log_scale + np.log(
        np.einsum("tk,tk,tk->t", fw.messages, model.emit.T[x], bw.messages))
    np.testing.assert_allclose(log_px, fw.log_likelihood, rtol=1e-12)


@pytest.mark.parametrize("k,V,T", CASES)
def test_posterior_matches_all_paths(k, V, T):
    model, x = random_case(k, V, T, seed=3)
    _, post = enumerate_paths(model, x)
    got = model.posterior(x)
    assert got.shape == (T, k)
    np.testing.assert_allclose(got, post, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("k,V,T", CASES)
def test_fill_in_matches_all_paths(k, V, T):
    model, x = random_case(k, V, T, seed=4)
    both_all, left_all = model.fill_in_all(x), model.fill_in_left_all(x)
    assert both_all.shape == left_all.shape == (T, V)
    for j in range(T):
        both = []
        for v in range(V):
            filled = x.copy()
            filled[j] = v
            both.append(enumerate_paths(model, filled)[0])
        left = [enumerate_paths(model, np.append(x[:j], v))[0] for v in range(V)]
        expected_both, expected_left = np.array(both) / sum(both), np.array(left) / sum(left)
        np.testing.assert_allclose(model.fill_in(x, j), expected_both, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(model.fill_in_left(x, j), expected_left, rtol=1e-10,
                                   atol=1e-14)
        np.testing.assert_allclose(both_all[j], expected_both, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(left_all[j], expected_left, rtol=1e-10, atol=1e-14)


def test_fill_in_ignores_the_blank_value():
    model, x = random_case(3, 4, 7, seed=5)
    blanked = x.copy()
    blanked[3] = -1   # not a symbol: must be ignored, not rejected
    np.testing.assert_array_equal(model.fill_in(blanked, 3), model.fill_in(x, 3))
    np.testing.assert_array_equal(model.fill_in_left(blanked, 3), model.fill_in_left(x, 3))
    with pytest.raises(ValueError, match="out of range"):
        model.fill_in(blanked, 2)   # now the -1 is part of the context


def test_right_context_changes_the_fill_in():
    # state 0 emits only 'a' (0) and state 1 only 'b' (1); states stick for a while.
    model = HMM([0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]], [[1.0, 0.0], [0.0, 1.0]])
    x = np.array([0, 0, 0, -1, 1, 1, 1])
    left, both = model.fill_in_left(x, 3), model.fill_in(x, 3)
    assert left[0] > 0.85               # from the left it looks like more 'a'
    assert both[0] == pytest.approx(0.5)   # both sides: the switch could be either side


def test_sample_is_seeded_and_follows_the_model():
    model = HMM([1.0, 0.0, 0.0], [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
                [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
    h, x = model.sample(7, np.random.default_rng(0))
    np.testing.assert_array_equal(h, [0, 1, 2, 0, 1, 2, 0])
    np.testing.assert_array_equal(x, [0, 1, 3, 0, 1, 3, 0])
    random_model = HMM.random(3, 5, 1)
    h1, x1 = random_model.sample(1000, 7)
    h2, x2 = random_model.sample(1000, np.random.default_rng(7))
    np.testing.assert_array_equal(h1, h2)
    np.testing.assert_array_equal(x1, x2)
    assert h1.dtype == x1.dtype == np.int64 and h1.shape == x1.shape == (1000,)
    assert 0 <= x1.min() and x1.max() < 5
    # emissions from state 0 follow emit[0]
    freq = np.bincount(x1[h1 == 0], minlength=5) / np.sum(h1 == 0)
    np.testing.assert_allclose(freq, random_model.emit[0], atol=0.1)


def test_long_sequence_does_not_underflow():
    model = HMM.random(10, 28, 0)
    _, x = model.sample(100_000, 1)
    fw, bw = model.forward(x), model.backward(x)
    assert np.isfinite(fw.log_likelihood) and fw.log_likelihood < -1e5   # P(x) ~ e^-300,000
    assert bw.log_likelihood == pytest.approx(fw.log_likelihood, rel=1e-10)
    post = model.posterior(x)
    assert np.all(np.isfinite(post))
    np.testing.assert_allclose(post.sum(axis=1), 1)
    # chain rule: log P(x) = sum_t log P(x_t | x_<t), each from a left-only fill-in
    left = model.fill_in_left_all(x)
    assert np.log(left[np.arange(len(x)), x]).sum() == pytest.approx(fw.log_likelihood,
                                                                      rel=1e-10)


def test_tiny_emissions_fall_back_to_stepwise_rescaling():
    # Every step multiplies P(x) by 1e-200: unnormalised blocks would underflow at once.
    tiny = 1e-200
    emit = [[tiny, 1 - tiny], [tiny, 1 - tiny]]
    model = HMM([0.3, 0.7], [[0.8, 0.2], [0.4, 0.6]], emit)
    x = np.zeros(500, dtype=int)
    fw, bw = model.forward(x), model.backward(x)
    assert fw.log_likelihood == pytest.approx(500 * math.log(tiny), rel=1e-12)
    assert bw.log_likelihood == pytest.approx(500 * math.log(tiny), rel=1e-12)
    # emissions tell nothing about the state: the posterior is the chain's prior marginal
    marginal, expected = np.array(model.start), []
    for _ in range(500):
        expected.append(marginal)
        marginal = marginal @ model.trans
    np.testing.assert_allclose(model.posterior(x), expected, rtol=1e-10)


def test_backward_messages_that_grow_stay_finite():
    # Every state jumps to state 0: column sum k, so unnormalised rho grows ~k^t.
    k = 50
    trans = np.full((k, k), 1e-3 / (k - 1))
    trans[:, 0] = 1 - 1e-3
    model = HMM(np.full(k, 1 / k), trans, np.full((k, 3), 1 / 3))
    _, x = model.sample(2000, 0)
    assert model.backward(x).log_likelihood == pytest.approx(2000 * math.log(1 / 3), rel=1e-12)
    assert model.forward(x).log_likelihood == pytest.approx(2000 * math.log(1 / 3), rel=1e-12)


def test_rescaling_every_step_gives_the_same_results(monkeypatch):
    model, x = random_case(4, 6, 300, seed=6)
    assert hmm._rescale_every(model.emit.T[x], model.trans) > 1
    blocks = model.posterior(x), model.log_likelihood(x)
    monkeypatch.setattr(hmm, "_MAX_STEPS_BETWEEN_RESCALING", 1)   # as notebook 02 does
    np.testing.assert_allclose(model.posterior(x), blocks[0], rtol=1e-12)
    assert model.log_likelihood(x) == pytest.approx(blocks[1], rel=1e-13)


def test_a_batch_of_sequences_is_propagated_like_each_one_alone():
    model, _ = random_case(3, 5, 1, seed=8)
    batch = np.random.default_rng(0).integers(0, 5, size=(40, 3))   # (T, N)
    pi, rho, loglik = model._both_rows(batch)
    for n in range(3):
        forward, backward = model.forward(batch[:, n]), model.backward(batch[:, n])
        np.testing.assert_allclose(pi[:, n], forward.messages, rtol=1e-12)
        np.testing.assert_allclose(rho[:, n], backward.messages, rtol=1e-12)
        assert loglik[n] == pytest.approx(forward.log_likelihood, rel=1e-12)


def test_forward_and_backward_side_by_side_equal_each_alone():
    model, x = random_case(4, 6, 500, seed=9)
    pi, rho, loglik = model._both_rows(x)
    np.testing.assert_allclose(pi, model.forward(x).messages, rtol=1e-12)
    np.testing.assert_allclose(rho, model.backward(x).messages, rtol=1e-12)
    assert loglik == pytest.approx(model.log_likelihood(x), rel=1e-12)


def test_a_state_that_cannot_emit_a_symbol_rescales_every_step():
    model = HMM([0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]], [[1.0, 0.0], [0.5, 0.5]])
    assert hmm._rescale_every(model.emit.T[[0, 1]], model.trans) == 1


def test_impossible_sequences():
    model = HMM([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5, 0.0], [0.2, 0.8, 0.0]])
    x = np.array([0, 1, 2, 0])
    assert model.log_likelihood(x) == -math.inf
    assert model.brute_force_likelihood(x) == 0.0
    for method in (model.posterior, model.forward, model.backward, model.fill_in_all):
        with pytest.raises(ZeroProbabilityError, match="impossible"):
            method(x)
    assert issubclass(ZeroProbabilityError, ValueError)
    # the blank is the impossible symbol: filling it in still works, and never picks 2
    fill = model.fill_in(x, 2)
    assert fill[2] == 0.0 and fill.sum() == pytest.approx(1.0)


# ---------------------------------------------------------------------------
# Baum-Welch
# ---------------------------------------------------------------------------
def test_em_never_decreases_the_likelihood():
    truth = HMM([0.6, 0.3, 0.1], [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]],
                [[0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]])
    seqs = [truth.sample(60, seed)[1] for seed in range(12)]        # one batch of 12
    seqs += [truth.sample(n, n)[1] for n in (150, 151)]             # two single ones
    model, history = HMM.fit(seqs, 3, num_symbols=4, num_iters=40, seed=0)
    assert history.shape == (41,)
    assert np.all(np.diff(history) >= -1e-9 * np.abs(history[1:])), np.diff(history).min()
    assert history[-1] > history[0] + 50                            # it learned something
    assert history[-1] == pytest.approx(sum(model.log_likelihood(s) for s in seqs), rel=1e-12)
    # seeded: the same fit again gives the same numbers
    again, history_again = HMM.fit(seqs, 3, num_symbols=4, num_iters=40, seed=0)
    np.testing.assert_array_equal(history, history_again)
    np.testing.assert_array_equal(model.trans, again.trans)


def test_em_on_one_long_sequence_and_early_stop():
    truth = HMM.random(2, 3, 3)
    _, x = truth.sample(3000, 4)
    model, history = HMM.fit(x, 2, num_iters=200, seed=1, tol=1e-6)
    assert len(history) < 201                                       # stopped early
    assert np.all(np.diff(history) >= -1e-9 * np.abs(history[1:]))
    assert history[-1] - history[-2] < 1e-6
    assert model.num_symbols == 3
    assert history[-1] >= truth.log_likelihood(x) - 5               # close to the truth's fit


def test_batched_and_single_e_steps_agree():
    model = HMM.random(3, 5, 2)
    batch = np.stack([model.sample(40, seed)[1] for seed in range(5)])
    together = model._expected_counts(batch)
    alone = [model._expected_counts(row[None]) for row in batch]
    for i in range(4):
        np.testing.assert_allclose(together[i], sum(a[i] for a in alone), rtol=1e-10)
    # expected counts add up to what they count
    assert together[0].sum() == pytest.approx(5)                    # 5 first states
    assert together[1].sum() == pytest.approx(5 * 39)               # 5 x 39 transitions
    assert together[2].sum() == pytest.approx(5 * 40)               # 5 x 40 emissions


def test_em_keeps_rows_of_unvisited_states():
    start = HMM([1.0, 0.0], [[1.0, 0.0], [0.3, 0.7]], [[0.5, 0.5], [0.9, 0.1]])
    model, history = HMM.fit([[0, 1, 1, 0]], 2, init=start, num_iters=3)
    np.testing.assert_allclose(model.trans[1], [0.3, 0.7])          # state 1 is never visited
    np.testing.assert_allclose(model.emit[1], [0.9, 0.1])
    np.testing.assert_allclose(model.emit[0], [0.5, 0.5])


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------
GOOD = dict(start=[0.5, 0.5], trans=[[0.9, 0.1], [0.2, 0.8]], emit=[[0.5, 0.5, 0.0],
                                                                     [0.1, 0.1, 0.8]])


@pytest.mark.parametrize("name,value,message", [
    ("start", [0.5, 0.6], "start sums to 1.1"),
    ("trans", [[0.9, 0.2], [0.2, 0.8]], "trans row 0 sums to"),
    ("emit", [[0.5, 0.5, 0.0], [0.1, 0.1, 0.7]], "emit row 1 sums to"),
    ("start", [1.5, -0.5], "negative entry -0.5"),
    ("trans", [[1.2, -0.2], [0.2, 0.8]], "negative entry"),
    ("emit", [[0.5, 0.5, np.nan], [0.1, 0.1, 0.8]], "NaN"),
    ("trans", [[0.5, 0.5, 0.0], [0.2, 0.8, 0.0]], r"shape \(2, 3\), expected \(2, 2\)"),
    ("emit", [[1.0, 0.0]], "emit has 1 rows but start has k=2"),
    ("emit", [0.5, 0.5], r"emit must be a \(k, V\) array"),
    ("start", [[0.5, 0.5]], "start must be a 1-D array"),
    ("start", [], "shape"),
    ("emit", [[0.5, "a"], [0.5, 0.5]], "emit must be an array of probabilities"),
])
def test_bad_parameters(name, value, message):
    with pytest.raises(ValueError, match=message):
        HMM(**{**GOOD, name: value})


def test_parameters_are_read_only_copies():
    trans = np.array(GOOD["trans"])
    model = HMM(GOOD["start"], trans, GOOD["emit"])
    trans[0] = [0.0, 1.0]
    assert model.trans[0, 0] == 0.9
    with pytest.raises(ValueError):
        model.trans[0, 0] = 0.5


@pytest.mark.parametrize("x,message", [
    ([], "empty"),
    ([0, 3, 1], r"x\[1\] = 3 is out of range: this HMM has 3 symbols"),
    ([0, -1], r"x\[1\] = -1 is out of range"),
    ([[0, 1], [1, 0]], "one sequence"),
    ([0.0, 1.0], "integer symbol ids"),
    ([True, False], "integer symbol ids"),
    (5, "one sequence"),
])
@pytest.mark.parametrize("method", ["log_likelihood", "forward", "backward", "posterior",
                                    "fill_in_all", "fill_in_left_all",
                                    "brute_force_likelihood"])
def test_bad_observations(x, message, method):
    model = HMM(**GOOD)
    with pytest.raises(ValueError, match=message):
        getattr(model, method)(x)


@pytest.mark.parametrize("j,message", [(3, "outside the sequence"), (-1, "outside"),
                                       (1.0, "must be an int"), (True, "must be an int")])
def test_bad_blank_position(j, message):
    model = HMM(**GOOD)
    for method in (model.fill_in, model.fill_in_left):
        with pytest.raises(ValueError, match=message):
            method([0, 1, 2], j)
    with pytest.raises(ValueError, match="empty"):
        model.fill_in([], 0)


def test_brute_force_refuses_too_many_paths():
    model = HMM(**GOOD)
    with pytest.raises(ValueError, match=r"2\*\*40 .* paths.*log_likelihood"):
        model.brute_force_likelihood(np.zeros(40, dtype=int))
    with pytest.raises(ValueError, match="max_paths=8"):
        model.brute_force_likelihood([0, 0, 0, 0], max_paths=8)
    assert model.brute_force_likelihood([0, 0, 0], max_paths=8) > 0


@pytest.mark.parametrize("T", [0, -3, 2.5, True])
def test_bad_sample_length(T):
    with pytest.raises(ValueError, match="T must be a positive int"):
        HMM(**GOOD).sample(T, 0)


def test_bad_rng():
    with pytest.raises(ValueError, match="rng must be a numpy Generator or an int seed"):
        HMM(**GOOD).sample(3, "seed")


@pytest.mark.parametrize("kwargs,message", [
    (dict(sequences=[], k=2), "sequences is empty"),
    (dict(sequences=[[0, 1], []], k=2), r"sequences\[1\] must be a non-empty"),
    (dict(sequences=[[0, 1]], k=0), "k .* must be a positive int"),
    (dict(sequences=[[0, 1]], k=2, num_iters=-1), "num_iters must be an int >= 0"),
    (dict(sequences=[[0, 5]], k=2, num_symbols=3), r"sequences\[0\]\[1\] = 5|out of range"),
    (dict(sequences=[[0.5, 1]], k=2), "integer symbol ids"),
    (dict(sequences=[[0, 1]], k=3, init=HMM(**GOOD)), "init has k=2"),
    (dict(sequences="abc", k=2), "sequences must be"),
])
def test_bad_fit_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        HMM.fit(**kwargs)


# ---------------------------------------------------------------------------
# Viterbi (max-product) against every path
# ---------------------------------------------------------------------------
def best_path_by_enumeration(model: HMM, x):
    """(best path, its probability, P(x)) by listing all k**T paths with itertools."""
    k, T = model.num_states, len(x)
    scored = [(path_prob(model, path, x), path) for path in itertools.product(range(k), repeat=T)]
    p, path = max(scored)
    return np.array(path), p, sum(q for q, _ in scored)


@pytest.mark.parametrize("k,V,T", CASES + [(3, 4, 9), (2, 5, 12)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_viterbi_equals_brute_force(k, V, T, seed):
    rng = np.random.default_rng(100 * seed + 10 * k + T)
    model = HMM.random(k, V, rng)
    x = rng.integers(0, V, size=T)
    path, log_p = model.viterbi(x)
    want_path, want_p, _ = best_path_by_enumeration(model, x)
    assert log_p == pytest.approx(math.log(want_p), rel=1e-10)
    assert model.path_log_probability(path, x) == pytest.approx(log_p, rel=1e-10)
    # ties are measure-zero for random models: the path itself must match too
    np.testing.assert_array_equal(path, want_path)
    bf_path, bf_log_p = model.brute_force_best_path(x)
    np.testing.assert_array_equal(bf_path, want_path)
    assert bf_log_p == pytest.approx(log_p, rel=1e-10)


def test_viterbi_never_beats_the_likelihood_and_handles_zeros():
    # a model with forbidden transitions: 0 -> 1 and 1 -> 0 impossible
    model = HMM([0.5, 0.5, 0.0], [[0.5, 0.0, 0.5], [0.0, 0.5, 0.5], [0.5, 0.5, 0.0]],
                [[0.9, 0.1], [0.1, 0.9], [0.5, 0.5]])
    x = np.array([0, 1, 0, 1, 1, 0])
    path, log_p = model.viterbi(x)
    want_path, want_p, total = best_path_by_enumeration(model, x)
    np.testing.assert_array_equal(path, want_path)
    assert log_p == pytest.approx(math.log(want_p))
    assert log_p <= model.log_likelihood(x) + 1e-12            # max <= sum
    assert model.path_log_probability(path, x) > -math.inf


def test_viterbi_long_sequence_does_not_underflow():
    rng = np.random.default_rng(3)
    model = HMM.random(4, 6, rng)
    _, x = model.sample(5000, rng)
    path, log_p = model.viterbi(x)
    assert np.isfinite(log_p) and log_p < -1000
    assert model.path_log_probability(path, x) == pytest.approx(log_p, rel=1e-12)


def test_posterior_decoding_can_choose_an_impossible_path():
    """Each step's most probable state alone (sum-product) vs the best path (max-product).

    P(h_1) = (0.4, 0.3, 0.3) favours state 0, P(h_2) = (0.2, 0.6, 0.2) favours state 1, but
    0 -> 1 is forbidden: posterior decoding returns a path of probability 0; Viterbi does not.
    """
    model = HMM([0.4, 0.3, 0.3], [[0.5, 0.0, 0.5], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]],
                [[0.5, 0.5]] * 3)
    x = np.array([0, 1])
    np.testing.assert_allclose(model.posterior(x), [[0.4, 0.3, 0.3], [0.2, 0.6, 0.2]])
    per_step = model.posterior_decoding(x)
    np.testing.assert_array_equal(per_step, [0, 1])
    assert model.path_log_probability(per_step, x) == -math.inf
    path, log_p = model.viterbi(x)
    assert log_p == pytest.approx(math.log(0.3 * 0.25))
    assert tuple(path) in {(1, 1), (2, 1)}


def test_viterbi_errors_are_clear():
    model = HMM([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ZeroProbabilityError, match="impossible"):
        model.viterbi(np.array([0, 1]))
    with pytest.raises(ValueError, match="out of range"):
        model.viterbi(np.array([0, 2]))
    with pytest.raises(ValueError, match="path has 1 states"):
        model.path_log_probability([0], np.array([0, 0]))
    with pytest.raises(ValueError, match="viterbi"):
        HMM.random(3, 2, 0).brute_force_best_path(np.zeros(30, dtype=np.int64))
