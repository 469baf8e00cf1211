"""The MXNet edition's trained models, shipped with the package: ``d2l.load_pretrained(name)``.

Notebook 04 trains three character language models for 500 epochs (about 12
minutes on a 2-core CPU). A full run of it with ``D2L_BIRNN_SAVE_PRETRAINED=1``
(``make pretrained``) saves their parameters here, in ``d2l_birnn/mxnet/pretrained/``:

* ``<name>.params``: the parameters (float32, MXNet's format);
* ``manifest.json``: for every model its file's SHA-256, the architecture, the
  vocabulary, and what the model did when it was saved: its perplexity and
  accuracy on its training corpus, its greedy predictions for the notebook's
  prefixes, and the per-epoch training perplexities (to redraw the curves).

``load_pretrained`` checks the SHA-256 before it loads anything and refuses a
missing or changed file with a message saying how to get the right one. The flags,
the SHA-256 and manifest helpers and the names of the models are the core's
(:mod:`d2l_birnn.pretrained` imports no framework). MXNet loads when a model is built.
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
    manifest_entry,
    restore_history,
    save_or_compare,
    sha256_of,
    ship,
    use_pretrained,
    verified_file,
)

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
HOW_TO_FIX = ("get the shipped files back with a fresh clone of the repository (or `git checkout -- "
              "d2l_birnn/mxnet/pretrained/`), or regenerate them with `make pretrained` (a full run of "
              "notebook 04, about 12 minutes on a 2-core CPU)")


# ---------------------------------------------------------------------------
# What is recorded and checked: perplexity on the training corpus, predictions
# ---------------------------------------------------------------------------
def measure(net, vocab, corpus, device) -> dict:
    """What a model does, deterministically: perplexity and accuracy on ``corpus``
    (all whole windows of 35 characters, fed as in training) and its greedy
    predictions of 50 characters after each of :data:`PREFIXES`."""
    from .evaluation import next_token_accuracy
    from .training import predict_ch8

    num_windows = (len(corpus) - NUM_STEPS - 1) // NUM_STEPS
    scores = next_token_accuracy(net, corpus, device, num_steps=NUM_STEPS, future=True,
                                 num_windows=num_windows)
    return {"perplexity": scores["perplexity"], "accuracy": scores["accuracy"],
            "predictions": {p: predict_ch8(p, NUM_PREDS, net, vocab, device) for p in PREFIXES}}


def _architecture(net) -> dict:
    layer = getattr(net, "rnn", None)
    if layer is None or not hasattr(layer, "_hidden_size"):
        raise PretrainedModelError(f"only d2l.RNNModel models can be saved, got {type(net).__name__}")
    return {"cell": type(layer).__name__, "num_hiddens": layer._hidden_size,
            "num_layers": layer._num_layers, "bidirectional": getattr(layer, "_dir", 1) == 2,
            "vocab_size": net.vocab_size}


def build_model(arch: dict):
    """A fresh, uninitialised ``RNNModel`` with the architecture ``arch`` (a manifest entry's)."""
    from mxnet.gluon import rnn

    from .models import RNNModel

    cell = {"LSTM": rnn.LSTM, "GRU": rnn.GRU, "RNN": rnn.RNN}[arch["cell"]]
    return RNNModel(cell(arch["num_hiddens"], arch["num_layers"], bidirectional=arch["bidirectional"]),
                    arch["vocab_size"])


def save_pretrained(name: str, net, vocab, *, corpus, device=None, folder=None,
                    record: dict | None = None) -> dict:
    """Save ``net``'s parameters as ``<folder>/<name>.params`` and its manifest entry.

    ``corpus``: the token ids it was trained on (its perplexity and accuracy on
    them are measured and recorded); ``record``: extra facts (e.g. ``lr``,
    ``num_epochs``, ``label``). The training history (``net.training_history``)
    is recorded too. Files are written whole, then renamed: an interrupted save
    leaves the previous files intact. Returns the manifest entry.
    """
    from .runtime import describe_run

    folder = Path(folder or PRETRAINED_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    params_list = list(net.collect_params().values())
    device = device if device is not None else params_list[0].list_ctx()[0]
    dtypes = {str(p.data().dtype) for p in params_list}
    if dtypes != {"float32"}:
        raise PretrainedModelError(f"{name}: parameters must be float32 to ship, found {sorted(dtypes)}")
    tmp = folder / f".{name}.params.tmp-{os.getpid()}"
    net.save_parameters(str(tmp))
    return ship(name, tmp, folder, lambda: {
        "file": f"{name}.params", "sha256": sha256_of(tmp), "bytes": tmp.stat().st_size,
        "architecture": _architecture(net), "vocab": list(vocab.idx_to_token),
        "corpus": {"tokens": len(corpus), "sha256": corpus_digest(corpus)},
        "measured": measure(net, vocab, corpus, device), "history": history_record(net),
        "record": dict(record or {}), "run": describe_run(),
        "saved": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")})


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def _entry(name: str, folder: Path) -> dict:
    return manifest_entry(name, folder, HOW_TO_FIX)


def verified_params_file(name: str, folder=None) -> Path:
    """Path of ``name``'s parameters after checking its SHA-256 against the manifest."""
    return verified_file(name, Path(folder or PRETRAINED_DIR), HOW_TO_FIX)


def _restore_history(entry: dict):
    from .training import TrainingHistory

    return restore_history(entry, TrainingHistory)


def load_pretrained(name: str, device=None, *, folder=None, verbose: bool = False):
    """The shipped model ``name`` and its vocabulary: ``(net, vocab)``, in seconds.

    ``name``: ``'bilstm-notes'`` (the notes' BiLSTM, 2 x 256, lr 1, 500 epochs),
    ``'lstm-lr1'`` or ``'lstm-lr2'`` (its one-way twin at lr 1 and 2).
    ``device``: where to put it (default ``d2l.try_gpu()``; CPU or GPU). The
    net is hybridized as ``train_ch8`` leaves it, and ``net.training_history``
    holds the saved run's per-epoch perplexities, times and predictions.
    ``verbose``: print what ``train_ch8`` prints at the end of training.
    Raises :class:`PretrainedModelError` if the file is missing or its SHA-256 differs.
    """
    from d2l.mxnet import try_gpu

    from ..data import Vocab

    folder = Path(folder or PRETRAINED_DIR)
    path = verified_params_file(name, folder)
    entry = _entry(name, folder)
    device = device if device is not None else try_gpu()
    net = build_model(entry["architecture"])
    net.load_parameters(str(path), ctx=device)
    net.hybridize(static_alloc=True, static_shape=True)
    vocab = Vocab(reserved_tokens=entry["vocab"][1:])  # the same tokens in the same order
    if vocab.idx_to_token != entry["vocab"]:
        raise PretrainedModelError(f"the manifest's vocabulary of {name!r} does not start with '<unk>'")
    net.training_history = _restore_history(entry)
    if verbose:
        h = net.training_history
        print(msg("pretrained.loaded", name=name, saved=entry["saved"], epochs=len(h),
                  run=entry["run"]))
        print(msg("train.result_mean", ppl=h[-1], speed=h.tokens_per_sec, device=h.device,
                  epochs=len(h.epoch_seconds)) if h else msg("pretrained.no_history"))
        for prefix in PREFIXES:
            print(h.predictions.get(prefix, ""))
    return net, vocab


# ---------------------------------------------------------------------------
# The notebook's step after training: save (make pretrained) or compare
# ---------------------------------------------------------------------------
def compare_with_pretrained(name: str, net, vocab, *, corpus, device, folder=None) -> str:
    """One line saying how ``net`` compares with the shipped model ``name``: the
    perplexity on the training corpus and whether the greedy predictions are equal."""
    return compare_line(name, Path(folder or PRETRAINED_DIR), HOW_TO_FIX, corpus,
                        lambda: measure(net, vocab, corpus, device))


def save_or_compare_pretrained(name: str, net, vocab, *, corpus, device, folder=None) -> str | None:
    """After training ``name`` in notebook 04: save it, compare it, or say why neither.

    * ``D2L_BIRNN_SAVE_PRETRAINED=1`` (``make pretrained``, full mode only): save it
      (:func:`save_pretrained`, with the training facts of :data:`MODELS`);
    * full mode: print how it compares with the shipped model;
    * quick mode: nothing to compare (a few epochs against 500).
    Prints and returns the line it printed.
    """
    return save_or_compare(name, net, vocab, corpus=corpus, device=device, folder=folder,
                           save=save_pretrained, compare=compare_with_pretrained,
                           how=" (make pretrained does)")


def check_shipped(name: str, corpus, device=None, folder=None) -> dict:
    """Load ``name`` and measure it again: ``{'recorded': ..., 'measured': ...}``."""
    from d2l.mxnet import try_gpu

    device = device if device is not None else try_gpu()
    net, vocab = load_pretrained(name, device, folder=folder)
    entry = _entry(name, Path(folder or PRETRAINED_DIR))
    if entry["corpus"]["sha256"] != corpus_digest(corpus):
        raise PretrainedModelError(f"{name!r} was measured on another corpus than the one given")
    return {"recorded": entry["measured"], "measured": measure(net, vocab, corpus, device)}


__all__ = ["MODELS", "PRETRAINED_DIR", "PretrainedModelError", "build_model", "check_shipped",
           "compare_with_pretrained", "load_pretrained", "save_or_compare_pretrained",
           "save_pretrained", "use_pretrained", "verified_params_file"]
