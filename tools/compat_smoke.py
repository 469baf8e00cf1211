"""Smoke test of d2l_birnn.compat in an environment with a newer NumPy.

Run with the Python of such an environment (``make compat-envs`` makes
``.venv-np126`` and ``.venv-np2``); ``tests/test_compat.py`` does::

    .venv-np2/bin/python tools/compat_smoke.py

It imports ``d2l_birnn`` (which patches NumPy, then imports MXNet and d2l),
trains a tiny bidirectional LSTM character model for a few steps on a short
text, and prints one JSON object: versions, the attributes restored, the
losses, and what a stand-in says when called. Exit status 0 means the loss
went down.
"""

from __future__ import annotations

import json
import sys

TEXT = "the time traveller (for so it will be convenient to speak of him) " * 8


def main() -> int:
    import warnings

    import numpy

    warnings.simplefilter("ignore", DeprecationWarning)  # NumPy 1.25+ warn on msort, in1d
    numpy_before = set(numpy.__dict__)
    import d2l_birnn as d2l  # patches NumPy before MXNet loads

    restore_table = d2l.compat.RESTORE
    import mxnet as mx
    from mxnet import autograd, gluon, init, np, npx
    from mxnet.gluon import rnn

    npx.set_np()
    d2l.set_seed(0)
    tokens = list(TEXT)
    vocab = d2l.Vocab(tokens)
    corpus = [vocab[t] for t in tokens]
    batches = list(d2l.seq_data_iter_sequential(corpus, batch_size=4, num_steps=8))
    net = d2l.RNNModel(rnn.LSTM(16, bidirectional=True), vocab_size=len(vocab))
    net.initialize(init.Normal(0.1))
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.02})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    losses = []
    for _ in range(6):  # epochs over the same few batches
        total, count = 0.0, 0
        for X, Y in batches:
            state = net.begin_state(batch_size=X.shape[0])
            with autograd.record():
                y_hat, _ = net(X, state)
                loss = loss_fn(y_hat, Y.T.reshape(-1)).mean()
            loss.backward()
            trainer.step(1)
            total += float(loss)
            count += 1
        losses.append(total / count)

    try:  # an expired NumPy function that MXNet binds: calling it must say why it fails
        np.mirr(0.1, [1.0, 2.0])
        expired_error = None
    except RuntimeError as e:
        expired_error = str(e)
    report = {
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "mxnet": mx.__version__,
        "restored": sorted(p for p in restore_table if p.split(".")[0] not in numpy_before),
        "losses": losses,
        "msort": numpy.msort(numpy.array([[3.0, 1.0], [2.0, 4.0]])).tolist(),
        "in1d": numpy.in1d([[1, 5], [2, 7]], [1, 2]).tolist(),
        "pad": np.pad(np.ones((1, 2)), ((1, 0), (0, 1)), mode="edge").tolist(),
        "expired_error": expired_error,
    }
    print(json.dumps(report))
    return 0 if losses[-1] < losses[0] else 1


if __name__ == "__main__":
    sys.exit(main())
