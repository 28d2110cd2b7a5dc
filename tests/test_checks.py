"""nnlib.checks: a generator passes, anything else gets the fix in its message."""

import numpy as np
import pytest

from nnlib.checks import check_rng, check_size


def test_a_generator_passes_through():
    rng = np.random.default_rng(0)
    assert check_rng(rng, "f") is rng


@pytest.mark.parametrize("bad", [0, 42, None, np.random.RandomState(0), "0", 1.5])
def test_anything_else_names_default_rng(bad):
    with pytest.raises(TypeError, match=r"f needs rng.*np\.random\.default_rng\(seed\)"):
        check_rng(bad, "f")


def test_a_size_is_a_whole_number_from_1():
    assert check_size(3, "n", "f") == 3 and check_size(np.int64(1), "n", "f") == 1
    for bad in (0, -2, 2.5, True, "3", None):
        with pytest.raises(ValueError, match=r"f: n must be a whole number >= 1"):
            check_size(bad, "n", "f")
