"""The MXNet edition's own modules (the notes' framework): Gluon models, the scratch BiRNN,
training, checkpoints, evaluation, Jacobians, the three tasks' models, two-sided prediction
and padded batches; d2l's batch iterators (``data``), seeds and the run line (``runtime``),
timings (``cost``), notebook 04's shipped models (``pretrained``, files in ``pretrained/``)
and the environment report (``doctor``).

``import d2l_birnn as d2l`` is the MXNet edition's face (d2l 0.17's MXNet API); these
modules are also importable under their old names (``d2l_birnn.training`` is
``d2l_birnn.mxnet.training``; ``d2l_birnn.cost.time_forward_backward`` is
``d2l_birnn.mxnet.cost.time_forward_backward``, the core ``cost`` module giving the
MXNet names on first use). The framework-free core is ``d2l_birnn/`` itself; the
PyTorch edition is ``d2l_birnn/torch/``.
"""
