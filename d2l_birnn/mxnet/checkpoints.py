"""The checkpoint folder of ``train_ch8(..., checkpoint=PATH)``: what it holds and how it is read.

A checkpoint is a directory with three files:

* ``model.params``: the model's parameters (``mx.nd.save``);
* ``trainer.states``: the optimizer's state (``Trainer`` updater states);
* ``meta.json``: the model's description, the vocabulary, the learning rate,
  the per-epoch perplexities and times, and the Python and NumPy random
  generators' states, so that a resumed run sees the same data order.

It is written atomically (a complete new folder replaces the old one), and a
folder that is not a readable checkpoint is never overwritten.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import mxnet as mx
import numpy as np

from .. import checkpoint_meta
from ..checkpoint_meta import META_FILE, DamagedCheckpointError  # noqa: F401 (handed on)
from ..data import Vocab
from ..i18n import msg
from .models import describe

PARAMS_FILE, STATES_FILE = "model.params", "trainer.states"


def rng_state() -> dict:
    """The Python and NumPy random generators' states, as JSON-friendly lists."""
    version, internal, gauss = random.getstate()
    name, keys, pos, has_gauss, cached = np.random.get_state()
    return {"python": [version, list(internal), gauss],
            "numpy": [name, keys.tolist(), int(pos), int(has_gauss), float(cached)]}


def set_rng_state(state: dict) -> None:
    """Restore what :func:`rng_state` returned."""
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, np.array(keys, dtype=np.uint32), pos, has_gauss, cached))


class Snapshot:
    """The training state at the end of the last completed epoch, in memory."""

    def __init__(self, net, trainer, meta: dict):
        self.params = {name: p.data().copy() for name, p in net._collect_params_with_prefix().items()}
        self.trainer_states = trainer._updaters[0].get_states(dump_optimizer=False)
        self.meta = meta

    @property
    def epoch(self) -> int:
        return self.meta["epoch"]

    def write(self, path: Path) -> None:
        """Write atomically: a complete new checkpoint replaces the old one."""
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        mx.nd.save(str(tmp / PARAMS_FILE), {k: v.as_nd_ndarray() for k, v in self.params.items()})
        (tmp / STATES_FILE).write_bytes(self.trainer_states)
        (tmp / META_FILE).write_text(json.dumps(self.meta))
        old = path.with_name(f"{path.name}.old-{os.getpid()}")
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)


def read_meta(path: Path) -> dict:
    """The ``meta.json`` of checkpoint ``path``.

    Raises ``ValueError`` if ``path`` is not a checkpoint and
    :class:`DamagedCheckpointError` if its ``meta.json`` cannot be read; in
    both cases the folder is left as it is.
    """
    if (path / "model.pt").exists() and not (path / PARAMS_FILE).exists():
        raise ValueError(f"checkpoint {path} was saved by the PyTorch edition (model.pt), not by MXNet: "
                         f"resume it with `from d2l_birnn import torch as d2l`, or pass another "
                         f"checkpoint path. It is left as it is.")
    return checkpoint_meta.read_meta_file(path)


def check_compatible(path: Path, meta: dict, net, vocab: Vocab) -> None:
    """Refuse (``ValueError``) a checkpoint made by another model or vocabulary."""
    checkpoint_meta.check_compatible(path, meta, describe(net), vocab)


def load_weights(path: Path, net, trainer, device) -> None:
    """Load the parameters and optimizer state of checkpoint ``path`` into ``net``/``trainer``."""
    saved = mx.nd.load(str(path / PARAMS_FILE))
    own = net._collect_params_with_prefix()
    if set(saved) != set(own):
        raise ValueError(f"checkpoint {path} has parameters {sorted(set(saved) ^ set(own))} that "
                         f"this model lacks or has extra; it was made by a different model")
    for name, p in own.items():
        if tuple(saved[name].shape) != tuple(p.shape):
            raise ValueError(f"checkpoint {path}: parameter {name} has shape {saved[name].shape}, "
                             f"this model's is {p.shape}; it was made by a different model")
    for name, p in own.items():
        p.set_data(saved[name].as_np_ndarray().as_in_ctx(device))
    trainer._updaters[0].set_states((path / STATES_FILE).read_bytes())


__all__ = ["DamagedCheckpointError", "META_FILE", "PARAMS_FILE", "STATES_FILE", "Snapshot",
           "check_compatible", "load_weights", "read_meta", "rng_state", "set_rng_state"]


class Checkpointer:
    """Saves and resumes one training run in the checkpoint folder ``path``.

    ``train_ch8`` calls :meth:`resume` before the first epoch, :meth:`epoch_done`
    after every epoch and :meth:`interrupted` on ``KeyboardInterrupt``. It saves
    every ``every`` epochs and at ``num_epochs``. An existing checkpoint is only
    replaced by a fresh run when ``overwrite=True``, and a folder that is not a
    readable checkpoint is never replaced.
    """

    def __init__(self, path, every: int = 10, overwrite: bool = False, verbose: bool = True):
        self.path, self.every = Path(path), every
        self.overwrite, self.verbose = overwrite, verbose
        self.snapshot: Snapshot | None = None
        self.saved_epoch = 0

    def resume(self, net, trainer, vocab: Vocab, lr: float, train_iter, device, history) -> None:
        """Load the checkpoint into ``net``, ``trainer`` and ``history``, if there is one."""
        path = self.path
        if not path.exists():
            return
        meta = read_meta(path)  # also when overwriting: only checkpoints are ever replaced
        if self.overwrite:
            if self.verbose:
                print(msg("train.afresh", path=path))
            return
        check_compatible(path, meta, net, vocab)
        # Materialise deferred shapes with one forward pass, then load.
        X, _ = next(iter(train_iter))
        net(X.as_in_ctx(device), net.begin_state(batch_size=X.shape[0], ctx=device))
        load_weights(path, net, trainer, device)
        set_rng_state(meta["rng"])
        history.extend(meta["perplexities"])
        history.epoch_seconds = meta["epoch_seconds"]
        history.tokens_per_epoch = meta["tokens_per_epoch"]
        self.saved_epoch = len(history)
        if self.verbose:
            if meta.get("lr") != lr:
                print(msg("train.resume_lr", path=path, saved_lr=meta.get("lr"), lr=lr))
            print(msg("train.resume", path=path, epochs=len(history)))

    def epoch_done(self, net, trainer, meta: dict, num_epochs: int) -> None:
        """Keep the state after this epoch in memory; write it when it is time."""
        self.snapshot = Snapshot(net, trainer, meta)
        if self.snapshot.epoch % self.every == 0 or self.snapshot.epoch == num_epochs:
            self.snapshot.write(self.path)
            self.saved_epoch = self.snapshot.epoch

    def interrupted(self) -> None:
        """Write the last completed epoch (called on ``KeyboardInterrupt``)."""
        if self.snapshot is not None and self.saved_epoch != self.snapshot.epoch:
            self.snapshot.write(self.path)
            print(msg("train.interrupted", epochs=self.snapshot.epoch, path=str(self.path)))

    def last_good(self) -> str:
        """A sentence naming the last checkpoint written, or ``''``."""
        if not self.saved_epoch:
            return ""
        return f" The last good checkpoint, {self.path} (epoch {self.saved_epoch}), is intact."


__all__ += ["Checkpointer"]
