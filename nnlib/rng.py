"""The one rule for randomness: every function that draws takes rng, a np.random.Generator.

There is no global random state in nnlib. A notebook makes one generator in its setup cell,
rng = np.random.default_rng(0), and passes it on: the same seed gives the same numbers, the
same figures and the same trained model on every machine.
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
