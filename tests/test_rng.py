"""nnlib.rng: a generator passes, anything else gets the fix in its message."""

import numpy as np
import pytest

from nnlib.rng import check_rng


def test_a_generator_passes_through():
    rng = np.random.default_rng(0)
    assert check_rng(rng, "f") is rng


@pytest.mark.parametrize("bad", [0, 42, None, np.random.RandomState(0), "0", 1.5])
def test_anything_else_names_default_rng(bad):
    with pytest.raises(TypeError, match=r"f needs rng.*np\.random\.default_rng\(seed\)"):
        check_rng(bad, "f")
