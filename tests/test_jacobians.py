"""d2l_birnn.jacobians: which inputs each output depends on."""

import d2l_birnn as d2l  # noqa: I001  (first: it sets MXNet's threads before MXNet loads)
import numpy as onp
import pytest
from mxnet import np, npx

from d2l_birnn.jacobians import jacobian_norms
from d2l_birnn.scratch import BiRNNScratch

npx.set_np()


def setup_function():
    d2l.set_seed(0)


def test_jacobian_norms_of_a_pointwise_map_are_diagonal():
    A = np.random.normal(size=(3, 2))
    J = jacobian_norms(lambda X: np.dot(X, A), np.random.normal(size=(4, 3)))
    expected = onp.eye(4) * onp.sqrt((A.asnumpy() ** 2).sum())
    onp.testing.assert_allclose(J, expected, rtol=1e-5, atol=1e-7)


def test_unidirectional_depends_on_the_past_only_bidirectional_on_both():
    T, d = 6, 3
    X = np.random.normal(size=(T, d))
    uni = BiRNNScratch(d, 4, 2, bidirectional=False, sigma=0.5)
    bi = BiRNNScratch(d, 4, 2, sigma=0.5)
    J_uni, J_bi = jacobian_norms(uni, X), jacobian_norms(bi, X)
    assert J_uni.shape == J_bi.shape == (T, T)
    future = onp.triu(onp.ones((T, T), dtype=bool), k=1)      # s > t
    assert (J_uni[future] == 0).all()                           # exactly lower-triangular
    assert (J_uni[~future] > 0).all()
    assert (J_bi > 0).all()                                     # every o_t sees every x_s


def test_more_than_one_sequence_is_refused():
    with pytest.raises(ValueError, match=r"one sequence of shape \(T, d\)"):
        jacobian_norms(BiRNNScratch(3, 4), np.ones((5, 2, 3)))
