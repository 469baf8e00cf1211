"""Trained PyTorch models shipped with the package: ``d2l.load_pretrained(name)``.

The PyTorch notebook 04 (``notebooks/pytorch/04_bilstm_gluon.ipynb``) trains the same
three character language models as the MXNet edition (500 epochs each). Its full run
with ``D2L_BIRNN_SAVE_PRETRAINED=1`` saves them here, in ``d2l_birnn/torch/pretrained/``:

* ``<name>.pt``: the ``state_dict`` (float32, CPU tensors, ``torch.save``);
* ``manifest.json``: the MXNet edition's manifest format (SHA-256, architecture,
  vocabulary, what the model did when saved, the per-epoch training record).

``D2L_BIRNN_PRETRAINED=1`` (:func:`use_pretrained`, the core's flag) makes the notebook
load them instead of training. SHA-256 checks, the manifest, the flags and the names
of the models are the core's (:mod:`d2l_birnn.pretrained` imports no framework).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from ..i18n import msg
from ..pretrained import (
    MODELS,
    NUM_PREDS,
    NUM_STEPS,
    PREFIXES,
    PretrainedModelError,
    compare_line,
    corpus_digest,
    history_record,
    read_manifest,
    restore_history,
    save_or_compare,
    sha256_of,
    ship,
    use_pretrained,
    verified_file,
)

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
HOW_TO_FIX = ("get the shipped files back with a fresh clone of the repository (or `git checkout -- "
              "d2l_birnn/torch/pretrained/`), or regenerate them with a full run of the PyTorch "
              "notebook 04 (notebooks/pytorch/04_bilstm_gluon.ipynb) with D2L_BIRNN_SAVE_PRETRAINED=1")
CELLS = ("LSTM", "GRU", "RNN")


def verified_params_file(name: str, folder=None) -> Path:
    """Path of ``name``'s parameters after checking its SHA-256 against the manifest."""
    return verified_file(name, Path(folder or PRETRAINED_DIR), HOW_TO_FIX)


# ---------------------------------------------------------------------------
# What is recorded and checked: perplexity on the training corpus, predictions
# ---------------------------------------------------------------------------
def measure(net, vocab, corpus, device) -> dict:
    """What a model does, deterministically: perplexity and accuracy on ``corpus`` (all
    whole windows of 35 characters, fed as in training, each from the zero state) and
    its greedy predictions of 50 characters after each of the core's ``PREFIXES``."""
    from .evaluation import next_token_accuracy
    from .training import predict_ch8

    num_windows = (len(corpus) - NUM_STEPS - 1) // NUM_STEPS
    scores = next_token_accuracy(net, corpus, device, num_steps=NUM_STEPS, future=True,
                                 num_windows=num_windows)
    return {"perplexity": scores["perplexity"], "accuracy": scores["accuracy"],
            "predictions": {p: predict_ch8(p, NUM_PREDS, net, vocab, device) for p in PREFIXES}}


def architecture(net) -> dict:
    """The manifest's ``architecture`` of a ``d2l.RNNModel`` over ``nn.LSTM/GRU/RNN``."""
    layer = getattr(net, "rnn", None)
    if type(layer).__name__ not in CELLS or not hasattr(net, "vocab_size"):
        raise PretrainedModelError(f"only d2l.RNNModel models over nn.LSTM, nn.GRU or nn.RNN can be "
                                   f"saved, got {type(net).__name__}")
    return {"cell": type(layer).__name__, "num_hiddens": layer.hidden_size,
            "num_layers": layer.num_layers, "bidirectional": bool(layer.bidirectional),
            "vocab_size": net.vocab_size}


def build_model(arch: dict):
    """A fresh ``RNNModel`` with the architecture ``arch`` (a manifest entry's)."""
    from torch import nn

    from .models import RNNModel

    if arch.get("cell") not in CELLS:
        raise PretrainedModelError(f"unknown cell {arch.get('cell')!r} in the manifest; expected one "
                                   f"of {CELLS}")
    layer = getattr(nn, arch["cell"])(arch["vocab_size"], arch["num_hiddens"], arch["num_layers"],
                                      bidirectional=arch["bidirectional"])
    return RNNModel(layer, arch["vocab_size"])


def _restore_history(entry: dict):
    from .history import TrainingHistory

    return restore_history(entry, TrainingHistory)


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------
def _entry_for(name, net, vocab, corpus, device, tmp: Path, record) -> dict:
    from .runtime import describe_run

    return {"file": f"{name}.pt", "sha256": sha256_of(tmp), "bytes": tmp.stat().st_size,
            "framework": "pytorch", "architecture": architecture(net),
            "vocab": list(vocab.idx_to_token),
            "corpus": {"tokens": len(corpus), "sha256": corpus_digest(corpus)},
            "measured": measure(net, vocab, corpus, device), "history": history_record(net),
            "record": dict(record or {}), "run": describe_run(device),
            "saved": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def save_pretrained(name: str, net, vocab, *, corpus, device=None, folder=None,
                    record: dict | None = None) -> dict:
    """Save ``net``'s ``state_dict`` as ``<folder>/<name>.pt`` and its manifest entry.

    ``corpus``: the token ids it was trained on (its perplexity and accuracy on them
    are recorded); ``record``: extra facts (``lr``, ``num_epochs``, ``label``). The
    training history (``net.training_history``) is recorded too. Tensors are saved on
    the CPU; files are written whole, then renamed (an interrupted save leaves the
    previous files intact). Returns the manifest entry.
    """
    import torch

    folder = Path(folder or PRETRAINED_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in net.state_dict().items()}
    dtypes = {str(v.dtype) for v in state.values()}
    if dtypes != {"torch.float32"}:
        raise PretrainedModelError(f"{name}: parameters must be float32 to ship, found {sorted(dtypes)}")
    device = device if device is not None else next(net.parameters()).device
    tmp = folder / f".{name}.pt.tmp-{os.getpid()}"
    torch.save(state, tmp)
    return ship(name, tmp, folder, lambda: _entry_for(name, net, vocab, corpus, device, tmp, record))


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def load_pretrained(name: str, device=None, *, folder=None, verbose: bool = False):
    """The shipped PyTorch model ``name`` and its vocabulary, ``(net, vocab)``, in seconds.

    Names as in the MXNet edition: ``'bilstm-notes'`` (the notes' BiLSTM, 2 x 256, lr 1,
    500 epochs), ``'lstm-lr1'``, ``'lstm-lr2'``. ``device``: default ``d2l.try_gpu()``.
    ``net.training_history`` holds the saved run's per-epoch perplexities, times and
    predictions; ``verbose`` prints what ``train_ch8`` prints at the end. Raises
    :class:`~d2l_birnn.pretrained.PretrainedModelError` when a file is missing or its
    SHA-256 differs, and ``ValueError`` for an MXNet parameter file.
    """
    import torch

    from ..data import Vocab
    from .checkpoints import check_torch_file
    from .runtime import check_device, try_gpu

    folder = Path(folder or PRETRAINED_DIR)
    path = check_torch_file(verified_params_file(name, folder))
    entry = read_manifest(folder)[name]
    device = check_device(device if device is not None else try_gpu())
    net = build_model(entry["architecture"])
    net.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    net.to(device)
    vocab = Vocab(reserved_tokens=entry["vocab"][1:])
    if vocab.idx_to_token != entry["vocab"]:
        raise PretrainedModelError(f"the manifest's vocabulary of {name!r} does not start with '<unk>'")
    if "measured" in entry:
        net.training_history = _restore_history(entry)
    if verbose:
        _print_loaded(name, entry, getattr(net, "training_history", None))
    return net, vocab


def _print_loaded(name: str, entry: dict, history) -> None:
    print(msg("pretrained.loaded", name=name, saved=entry.get("saved"),
              epochs=len(history or ()), run=entry.get("run")))
    if not history:
        print(msg("pretrained.no_history"))
        return
    print(msg("train.result_mean", ppl=history[-1], speed=history.tokens_per_sec,
              device=history.device, epochs=len(history.epoch_seconds)))
    for prefix in PREFIXES:
        print(history.predictions.get(prefix, ""))


# ---------------------------------------------------------------------------
# The notebook's step after training: save, or compare
# ---------------------------------------------------------------------------
def compare_with_pretrained(name: str, net, vocab, *, corpus, device, folder=None) -> str:
    """One line saying how ``net`` compares with the shipped model ``name``: the
    perplexity on the training corpus and whether the greedy predictions are equal."""
    return compare_line(name, Path(folder or PRETRAINED_DIR), HOW_TO_FIX, corpus,
                        lambda: measure(net, vocab, corpus, device))


def save_or_compare_pretrained(name: str, net, vocab, *, corpus, device, folder=None) -> str:
    """After training ``name`` in the PyTorch notebook 04: save it, compare it, or say why neither.

    ``D2L_BIRNN_SAVE_PRETRAINED=1`` (full mode only): save it with the training facts of
    the core's ``MODELS``; full mode: compare with the shipped model; quick mode: say that
    a few epochs are not compared with 500. Prints and returns the line.
    """
    return save_or_compare(name, net, vocab, corpus=corpus, device=device, folder=folder,
                           save=save_pretrained, compare=compare_with_pretrained)


def check_shipped(name: str, corpus, device=None, folder=None) -> dict:
    """Load ``name`` and measure it again: ``{'recorded': ..., 'measured': ...}``."""
    from .runtime import try_gpu

    device = device if device is not None else try_gpu()
    net, vocab = load_pretrained(name, device, folder=folder)
    entry = read_manifest(Path(folder or PRETRAINED_DIR))[name]
    if entry["corpus"]["sha256"] != corpus_digest(corpus):
        raise PretrainedModelError(f"{name!r} was measured on another corpus than the one given")
    return {"recorded": entry["measured"], "measured": measure(net, vocab, corpus, device)}


__all__ = ["MODELS", "PRETRAINED_DIR", "PretrainedModelError", "architecture", "build_model",
           "check_shipped", "compare_with_pretrained", "load_pretrained", "measure",
           "save_or_compare_pretrained", "save_pretrained", "use_pretrained", "verified_params_file"]
