"""The checkpoint folder of the PyTorch ``train_ch8(..., checkpoint=PATH)``.

A folder with three files, written atomically (a complete new folder replaces the
old one):

* ``model.pt``: the model's ``state_dict`` (``torch.save``);
* ``optimizer.pt``: the optimizer's ``state_dict``;
* ``meta.json``: ``"framework": "pytorch"``, the model's description, the vocabulary,
  the learning rate, per-epoch perplexities and times, and the states of Python's,
  NumPy's and PyTorch's random generators (CPU and CUDA), so that a resumed run
  draws the same data order and the same random numbers (dropout included).

The MXNet edition's checkpoints (``model.params``, ``trainer.states``) and its
parameter files are recognised and refused with a message that says so.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import torch

from .. import checkpoint_meta
from ..checkpoint_meta import META_FILE, DamagedCheckpointError  # noqa: F401 (handed on)
from ..data import Vocab
from ..i18n import msg
from .history import python_numpy_rng_state, set_python_numpy_rng_state
from .models import describe

PARAMS_FILE, STATES_FILE = "model.pt", "optimizer.pt"
MXNET_FILES = ("model.params", "trainer.states")  # what the MXNet edition's checkpoint holds
# MXNet's nd.save files begin with kMXAPINDArrayListMagic (0x112) as a little-endian uint64.
MXNET_MAGIC = (0x112).to_bytes(8, "little")
ZIP_MAGIC = b"PK\x03\x04"  # torch.save's format since PyTorch 1.6


def rng_state() -> dict:
    """Python's, NumPy's and PyTorch's generator states, JSON-friendly."""
    state = python_numpy_rng_state()
    state["torch"] = torch.get_rng_state().tolist()
    state["cuda"] = [s.tolist() for s in torch.cuda.get_rng_state_all()] if torch.cuda.is_available() else []
    return state


def set_rng_state(state: dict) -> None:
    """Restore what :func:`rng_state` returned (CUDA states only where the GPUs match)."""
    set_python_numpy_rng_state(state)
    torch.set_rng_state(torch.tensor(state["torch"], dtype=torch.uint8))
    cuda = state.get("cuda") or []
    if cuda and torch.cuda.is_available() and len(cuda) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all([torch.tensor(s, dtype=torch.uint8) for s in cuda])


def check_torch_file(path) -> Path:
    """``path`` if it looks like a ``torch.save`` file; ``ValueError`` naming an MXNet one."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if head == MXNET_MAGIC:
        raise ValueError(f"{path} was saved by MXNet (the d2l_birnn MXNet edition, mx.nd.save / "
                         f"save_parameters), not by PyTorch; PyTorch cannot read it. Load it with "
                         f"`import d2l_birnn as d2l` (MXNet), or use a file saved by this edition")
    if not head.startswith(ZIP_MAGIC):
        raise ValueError(f"{path} is not a PyTorch file (torch.save): it starts with {head!r}; it "
                         f"is damaged or of another kind")
    return path


def _check_not_mxnet(path: Path) -> None:
    found = [name for name in MXNET_FILES if (path / name).exists()]
    if found and not (path / PARAMS_FILE).exists():
        raise ValueError(f"checkpoint {path} was saved by the MXNet edition ({', '.join(found)}), "
                         f"not by PyTorch: resume it with `import d2l_birnn as d2l` (MXNet), or pass "
                         f"another checkpoint path to this PyTorch run. It is left as it is.")


def read_meta(path: Path) -> dict:
    """The ``meta.json`` of checkpoint ``path``; ``ValueError`` if it is not a PyTorch
    checkpoint, :class:`DamagedCheckpointError` if it cannot be read. Never changes it."""
    _check_not_mxnet(path)
    return checkpoint_meta.read_meta_file(path)


def check_compatible(path: Path, meta: dict, net, vocab: Vocab) -> None:
    """Refuse (``ValueError``) a checkpoint made by another model or vocabulary."""
    checkpoint_meta.check_compatible(path, meta, describe(net), vocab)


def _write(path: Path, params: dict, optimizer_state: dict, meta: dict) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    torch.save(params, tmp / PARAMS_FILE)
    torch.save(optimizer_state, tmp / STATES_FILE)
    (tmp / META_FILE).write_text(json.dumps(meta))
    old = path.with_name(f"{path.name}.old-{os.getpid()}")
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)


def _copy(state):
    if isinstance(state, torch.Tensor):
        return state.detach().clone()
    if isinstance(state, dict):
        return {k: _copy(v) for k, v in state.items()}
    if isinstance(state, (list, tuple)):
        return type(state)(_copy(v) for v in state)
    return state


def load_weights(path: Path, net, optimizer, device) -> None:
    """Load checkpoint ``path``'s parameters and optimizer state into ``net``/``optimizer``."""
    saved = torch.load(check_torch_file(path / PARAMS_FILE), map_location=device, weights_only=True)
    own = net.state_dict()
    if set(saved) != set(own):
        raise ValueError(f"checkpoint {path} has parameters {sorted(set(saved) ^ set(own))} that "
                         f"this model lacks or has extra; it was made by a different model")
    for name, p in own.items():
        if tuple(saved[name].shape) != tuple(p.shape):
            raise ValueError(f"checkpoint {path}: parameter {name} has shape {tuple(saved[name].shape)}, "
                             f"this model's is {tuple(p.shape)}; it was made by a different model")
    net.load_state_dict(saved)
    optimizer.load_state_dict(torch.load(check_torch_file(path / STATES_FILE), map_location=device,
                                         weights_only=True))


class Checkpointer:
    """Saves and resumes one PyTorch training run in the folder ``path`` (as the MXNet one does)."""

    def __init__(self, path, every: int = 10, overwrite: bool = False, verbose: bool = True):
        self.path, self.every = Path(path), every
        self.overwrite, self.verbose = overwrite, verbose
        self.snapshot: tuple | None = None  # (params, optimizer state, meta) after the last epoch
        self.saved_epoch = 0

    def resume(self, net, optimizer, vocab: Vocab, lr: float, device, history) -> None:
        """Load the checkpoint into ``net``, ``optimizer`` and ``history``, if there is one."""
        path = self.path
        if not path.exists():
            return
        meta = read_meta(path)  # also when overwriting: only checkpoints are ever replaced
        if self.overwrite:
            if self.verbose:
                print(msg("train.afresh", path=path))
            return
        check_compatible(path, meta, net, vocab)
        load_weights(path, net, optimizer, device)
        set_rng_state(meta["rng"])
        history.extend(meta["perplexities"])
        history.epoch_seconds = meta["epoch_seconds"]
        history.tokens_per_epoch = meta["tokens_per_epoch"]
        self.saved_epoch = len(history)
        if self.verbose:
            if meta.get("lr") != lr:
                print(msg("train.resume_lr", path=path, saved_lr=meta.get("lr"), lr=lr))
            print(msg("train.resume", path=path, epochs=len(history)))

    def epoch_done(self, net, optimizer, meta: dict, num_epochs: int) -> None:
        """Keep the state after this epoch in memory; write it when it is time."""
        self.snapshot = (_copy(net.state_dict()), _copy(optimizer.state_dict()), meta)
        if meta["epoch"] % self.every == 0 or meta["epoch"] == num_epochs:
            _write(self.path, *self.snapshot)
            self.saved_epoch = meta["epoch"]

    def interrupted(self) -> None:
        """Write the last completed epoch (called on ``KeyboardInterrupt``)."""
        if self.snapshot is not None and self.saved_epoch != self.snapshot[2]["epoch"]:
            _write(self.path, *self.snapshot)
            print(msg("train.interrupted", epochs=self.snapshot[2]["epoch"], path=str(self.path)))

    def last_good(self) -> str:
        """A sentence naming the last checkpoint written, or ``''``."""
        if not self.saved_epoch:
            return ""
        return f" The last good checkpoint, {self.path} (epoch {self.saved_epoch}), is intact."


__all__ = ["Checkpointer", "DamagedCheckpointError", "META_FILE", "PARAMS_FILE", "STATES_FILE",
           "check_compatible", "check_torch_file", "load_weights", "read_meta", "rng_state",
           "set_rng_state"]
