"""The library's checks of a learner's arguments, one rule each, in one place.

check_rng: every function that draws random numbers takes rng, a np.random.Generator. There is
no global random state in nnlib: a notebook makes one generator in its setup cell,
rng = np.random.default_rng(0), and passes it on, so the same seed gives the same numbers,
figures and trained model on every machine.
check_size: a count or a width is a whole number >= 1 (True is not a size, 2.5 neither).
"""

import numpy as np


def check_rng(rng, where):
    """rng itself if it is a np.random.Generator; otherwise a TypeError that shows the fix."""
    if not isinstance(rng, np.random.Generator):
        hint = (
            " (a seed)" if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) else ""
        )
        raise TypeError(
            f"{where} needs rng, a random number generator, got {type(rng).__name__}{hint}: "
            f"make one with rng = np.random.default_rng(seed) and pass rng"
        )
    return rng


def check_size(value, name, where):
    """value itself if it is a whole number >= 1; otherwise a ValueError naming it and where."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where}: {name} must be a whole number >= 1, got {value!r}")
    return value
