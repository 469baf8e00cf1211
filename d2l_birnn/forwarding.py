"""The MXNet edition's names under the core modules' paths, loaded on first use.

The notes' ``d2l`` API reaches MXNet functions through core modules
(``d2l_birnn.cost.time_forward_backward`` in notebook 05, ``d2l_birnn.data.SeqDataLoader``);
their code lives in ``d2l_birnn/mxnet/``. A core module lists those names and sets
``__getattr__ = mxnet_names(__name__, NAMES)`` (PEP 562): importing the core module loads
no framework, and the first use of a name imports its MXNet module.
"""

from __future__ import annotations

import importlib


def mxnet_names(core_module: str, names: tuple[str, ...]):
    """A module ``__getattr__`` for ``core_module`` (``'d2l_birnn.cost'``) that gives
    ``d2l_birnn.mxnet.<last part>``'s objects for ``names`` and raises AttributeError
    for anything else."""
    package, _, last = core_module.rpartition(".")

    def __getattr__(name: str):
        if name in names:
            return getattr(importlib.import_module(f"{package}.mxnet.{last}"), name)
        raise AttributeError(f"module {core_module!r} has no attribute {name!r}")

    return __getattr__
