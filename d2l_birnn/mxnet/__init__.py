"""The MXNet edition's own modules (the notes' framework): Gluon models, the scratch BiRNN,
training, checkpoints, evaluation, Jacobians, the three tasks' models, two-sided prediction
and padded batches.

``import d2l_birnn as d2l`` is the MXNet edition's face (d2l 0.17's MXNet API); these
modules are also importable under their old names (``d2l_birnn.training`` is
``d2l_birnn.mxnet.training``). The framework-free core is ``d2l_birnn/`` itself; the
PyTorch edition is ``d2l_birnn/torch/``.
"""
