"""d2l_birnn.validation: the one argument check for counts."""

import numpy as onp
import pytest

from d2l_birnn.validation import check_int, nonnegative_int, positive_int


def test_accepts_python_and_numpy_ints():
    assert positive_int("n", 3) == 3
    assert positive_int("n", onp.int64(2)) == 2
    assert nonnegative_int("n", 0) == 0
    assert check_int("vocab_size", 2, 2) == 2


@pytest.mark.parametrize("value", [0, -1, 1.0, "3", True, None])
def test_rejects_what_is_not_a_positive_int(value):
    with pytest.raises(ValueError, match=r"num_steps must be a positive int, got"):
        positive_int("num_steps", value)


def test_message_names_the_minimum_and_the_hint():
    with pytest.raises(ValueError, match=r"left must be an int >= 0 \(tokens\), got -1"):
        nonnegative_int("left", -1, " (tokens)")
    with pytest.raises(ValueError, match=r"vocab_size must be an int >= 2, got 1"):
        check_int("vocab_size", 1, 2)
