"""Trained PyTorch models shipped with the package: ``d2l.load_pretrained(name)``.

None are shipped yet: the PyTorch notebook 04's full run will save them into
``d2l_birnn/torch/pretrained/`` (``<name>.pt`` and ``manifest.json``, the MXNet
edition's manifest format). Until then :func:`load_pretrained` refuses with the same
kind of message as the MXNet edition's. SHA-256 checks and manifest reading are the
core's (:mod:`d2l_birnn.pretrained` imports no framework).
"""

from __future__ import annotations

from pathlib import Path

from ..pretrained import MODELS, PretrainedModelError, read_manifest, sha256_of

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
HOW_TO_FIX = ("the PyTorch edition ships no trained models yet: train it with d2l.train_ch8 (the "
              "PyTorch notebook 04 does), or load the MXNet edition's with `import d2l_birnn as "
              "d2l; d2l.load_pretrained(name)`")


def verified_params_file(name: str, folder=None) -> Path:
    """Path of ``name``'s parameters after checking its SHA-256 against the manifest."""
    folder = Path(folder or PRETRAINED_DIR)
    manifest = read_manifest(folder)
    if not manifest:
        raise PretrainedModelError(f"no pretrained models in {folder} (manifest.json is missing); "
                                   f"{HOW_TO_FIX}")
    if name not in manifest:
        raise PretrainedModelError(f"no pretrained model called {name!r} in {folder}; the shipped "
                                   f"ones are {sorted(manifest)}")
    path = folder / manifest[name]["file"]
    if not path.exists():
        raise PretrainedModelError(f"the parameters of {name!r} ({path}) are missing; {HOW_TO_FIX}")
    actual = sha256_of(path)
    if actual != manifest[name]["sha256"]:
        raise PretrainedModelError(f"{path} is not the file the manifest describes: its SHA-256 is "
                                   f"{actual[:16]}..., the manifest says "
                                   f"{manifest[name]['sha256'][:16]}...; {HOW_TO_FIX}")
    return path


def load_pretrained(name: str, device=None, *, folder=None, verbose: bool = False):
    """The shipped PyTorch model ``name`` and its vocabulary, ``(net, vocab)``.

    Names as in the MXNet edition (``'bilstm-notes'``, ``'lstm-lr1'``, ``'lstm-lr2'``).
    Raises :class:`~d2l_birnn.pretrained.PretrainedModelError` when the model is
    missing (today: always, none is shipped), or its file differs from the manifest,
    and ``ValueError`` for an MXNet parameter file.
    """
    import torch
    from torch import nn

    from ..data import Vocab
    from .checkpoints import check_torch_file
    from .models import RNNModel
    from .runtime import check_device, try_gpu

    folder = Path(folder or PRETRAINED_DIR)
    path = check_torch_file(verified_params_file(name, folder))
    entry = read_manifest(folder)[name]
    arch = entry["architecture"]
    layer = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}[arch["cell"]]
    net = RNNModel(layer(arch["vocab_size"], arch["num_hiddens"], arch["num_layers"],
                         bidirectional=arch["bidirectional"]), arch["vocab_size"])
    device = check_device(device if device is not None else try_gpu())
    net.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    net.to(device)
    vocab = Vocab(reserved_tokens=entry["vocab"][1:])
    if verbose:
        print(f"loaded {name!r} (SHA-256 verified), saved {entry.get('saved')}")
    return net, vocab


__all__ = ["MODELS", "PretrainedModelError", "load_pretrained", "verified_params_file"]
