"""nnlib: the small numpy library built in "From Neuron to GPT".

Import modules by name, for example ``from nnlib.tensor import Tensor`` or
``from nnlib import functional``. This file holds only the version, so that
``import nnlib`` stays light.
"""

__version__ = "0.1.0"
