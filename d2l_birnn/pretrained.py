"""Trained models shipped with the package, for any framework: what both editions share.

Notebook 04 trains three character language models for 500 epochs (about 12
minutes on a 2-core CPU). A full run of it with ``D2L_BIRNN_SAVE_PRETRAINED=1``
(``make pretrained``) saves their parameters beside its edition's code, with a
``manifest.json`` that records for every model its file's SHA-256, the architecture,
the vocabulary, and what the model did when it was saved. The MXNet edition's
models are in ``d2l_birnn/mxnet/pretrained/`` (:mod:`d2l_birnn.mxnet.pretrained`),
the PyTorch edition's in ``d2l_birnn/torch/pretrained/`` (:mod:`d2l_birnn.torch.pretrained`).

Here, importing no framework: the names of the models and how they were trained
(:data:`MODELS`), the flags (``D2L_BIRNN_PRETRAINED=1``: :func:`use_pretrained` makes
notebook 04 and the lecture load the shipped models instead of training them), the
SHA-256 and manifest helpers, and the save-or-compare rule of notebook 04. The MXNet
edition's functions (``load_pretrained``, ``save_pretrained``, ...) are also reachable
here, as the notes' ``d2l`` API has them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .forwarding import mxnet_names
from .i18n import msg

MANIFEST = "manifest.json"
USE_ENV = "D2L_BIRNN_PRETRAINED"       # 1: load the shipped models instead of training
SAVE_ENV = "D2L_BIRNN_SAVE_PRETRAINED"  # 1: a full run of notebook 04 saves its models
MAX_TOTAL_BYTES = 20 * 2 ** 20          # everything shipped stays under 20 MiB
PREFIXES = ("time traveller", "traveller")  # what train_ch8 and notebook 04 predict from
NUM_PREDS = 50
NUM_STEPS = 35
# The three models of notebook 04, by name: how they were trained.
MODELS = {
    "bilstm-notes": {"label": "BiLSTM, lr 1 (the notes)", "lr": 1, "num_epochs": 500},
    "lstm-lr1": {"label": "LSTM, lr 1", "lr": 1, "num_epochs": 500},
    "lstm-lr2": {"label": "LSTM, lr 2 (d2l deep RNN)", "lr": 2, "num_epochs": 500},
}


class PretrainedModelError(RuntimeError):
    """A shipped model is missing, changed, or cannot be saved as asked."""


def _flag(env: str) -> bool:
    value = os.environ.get(env, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{env}={os.environ[env]!r} is not understood; set it to 1 or unset it (or 0)")


def use_pretrained() -> bool:
    """True when ``D2L_BIRNN_PRETRAINED=1``: load the shipped models instead of training them."""
    return _flag(USE_ENV)


def save_requested() -> bool:
    """True when ``D2L_BIRNN_SAVE_PRETRAINED=1`` (set by ``make pretrained``)."""
    return _flag(SAVE_ENV)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_digest(corpus) -> str:
    """SHA-256 of a token-id list (which corpus a model was measured on)."""
    return hashlib.sha256(json.dumps([int(i) for i in corpus]).encode()).hexdigest()


def read_manifest(folder: Path) -> dict:
    """The manifest of ``folder`` (an edition's ``PRETRAINED_DIR``); {} when there is none."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def manifest_entry(name: str, folder: Path, how_to_fix: str) -> dict:
    """``name``'s entry in the manifest of ``folder``, or :class:`PretrainedModelError` saying
    which models there are (``how_to_fix``: the edition's way to get the files back)."""
    manifest = read_manifest(folder)
    if not manifest:
        raise PretrainedModelError(f"no pretrained models in {folder} ({MANIFEST} is missing); "
                                   f"{how_to_fix}")
    if name not in manifest:
        raise PretrainedModelError(f"no pretrained model called {name!r} in {folder}; the shipped "
                                   f"ones are {sorted(manifest)}")
    return manifest[name]


def verified_file(name: str, folder: Path, how_to_fix: str) -> Path:
    """Path of ``name``'s parameter file in ``folder`` after checking its SHA-256 against the
    manifest; :class:`PretrainedModelError` (ending with ``how_to_fix``) if it is missing or
    differs."""
    entry = manifest_entry(name, folder, how_to_fix)
    path = folder / entry["file"]
    if not path.exists():
        raise PretrainedModelError(f"the parameters of {name!r} ({path}) are missing; {how_to_fix}")
    actual = sha256_of(path)
    if actual != entry["sha256"]:
        raise PretrainedModelError(
            f"{path} is not the file the manifest describes: its SHA-256 is {actual[:16]}..., the "
            f"manifest says {entry['sha256'][:16]}... (damaged, a Git LFS pointer, or from another "
            f"run); {how_to_fix}")
    return path


def ship(name: str, tmp: Path, folder: Path, make_entry) -> dict:
    """Put the parameters written to ``tmp`` in place as ``folder / entry['file']``, with
    their manifest entry ``make_entry()`` (a dict with ``file`` and ``bytes``).

    Refuses, with :class:`PretrainedModelError`, a model that would make the folder hold
    more than :data:`MAX_TOTAL_BYTES`. Files are written whole, then renamed: a failure
    or an interrupted save removes ``tmp`` and leaves the previous files as they were.
    Returns the entry.
    """
    try:
        entry = make_entry()
        manifest = read_manifest(folder)
        manifest[name] = entry
        total = sum(e["bytes"] for n, e in manifest.items()
                    if n == name or (folder / e["file"]).exists())
        if total > MAX_TOTAL_BYTES:
            raise PretrainedModelError(f"{name}: shipping it would make {folder} hold "
                                       f"{total / 2**20:.1f} MiB, more than 20 MiB")
    except BaseException:
        tmp.unlink()
        raise
    tmp.replace(folder / entry["file"])
    manifest_tmp = folder / f".{MANIFEST}.tmp-{os.getpid()}"
    manifest_tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    manifest_tmp.replace(folder / MANIFEST)
    return entry


def history_record(net) -> dict:
    """What the manifest keeps of ``net.training_history`` (either edition's
    ``TrainingHistory``): per-epoch perplexities and times, speed, device, mode, predictions."""
    history = getattr(net, "training_history", None)
    if history is None:
        return {}
    return {"perplexities": [float(p) for p in history], "epoch_seconds": list(history.epoch_seconds),
            "tokens_per_epoch": history.tokens_per_epoch, "device": history.device,
            "mode": history.mode, "predictions": dict(history.predictions)}


def restore_history(entry: dict, history_class):
    """The saved run's ``TrainingHistory`` (``history_class``: the edition's) from a manifest entry."""
    h = entry.get("history") or {}
    history = history_class(h.get("perplexities", ()), h.get("epoch_seconds", ()),
                            h.get("tokens_per_epoch", 0), h.get("device", ""), h.get("mode", "fast"))
    history.predictions = dict(h.get("predictions") or entry["measured"]["predictions"])
    return history


def compare_line(name: str, folder: Path, how_to_fix: str, corpus, measure_now) -> str:
    """One line saying how a model compares with the shipped model ``name`` of ``folder``: its
    perplexity on the training corpus against the recorded one, and whether the greedy
    predictions are equal. ``measure_now()`` measures the model (the edition's ``measure``);
    a missing or changed file, or another corpus, is said instead."""
    try:
        verified_file(name, folder, how_to_fix)
    except PretrainedModelError as e:
        return msg("pretrained.not_compared", name=name, error=e)
    shipped = read_manifest(folder)[name]
    if shipped["corpus"]["sha256"] != corpus_digest(corpus):
        return msg("pretrained.other_corpus", name=name)
    mine, theirs = measure_now(), shipped["measured"]
    different = [p for p in PREFIXES if mine["predictions"][p] != theirs["predictions"].get(p)]
    verdict = msg("pretrained.different", prefixes=different) if different else msg("pretrained.equal")
    return msg("pretrained.compare", name=name, saved=shipped["saved"], mine=mine["perplexity"],
               theirs=theirs["perplexity"], diff=mine["perplexity"] - theirs["perplexity"],
               verdict=verdict)


def save_or_compare(name: str, net, vocab, *, corpus, device, folder, save, compare,
                    how: str = "") -> str:
    """The rule of both editions' ``save_or_compare_pretrained``, with their ``save`` and
    ``compare`` functions (``how``: a hint appended to the refusal). Prints and returns the line."""
    from .runtime import is_quick

    if save_requested():
        if is_quick() or use_pretrained():
            raise PretrainedModelError(
                f"{SAVE_ENV}=1 saves models trained in full mode; unset D2L_BIRNN_QUICK and "
                f"{USE_ENV}{how}")
        if name not in MODELS and folder is None:
            raise PretrainedModelError(f"{name!r} is not one of the shipped models {sorted(MODELS)}")
        entry = save(name, net, vocab, corpus=corpus, device=device, folder=folder,
                     record=MODELS.get(name))
        line = msg("pretrained.saved", name=name, mib=entry["bytes"] / 2**20, sha=entry["sha256"][:12],
                   ppl=entry["measured"]["perplexity"])
    elif is_quick():
        line = msg("pretrained.quick", name=name)
    else:
        line = compare(name, net, vocab, corpus=corpus, device=device, folder=folder)
    print(line)
    return line


# The MXNet edition's shipped models (d2l_birnn/mxnet/pretrained.py), under their old names.
_MXNET_NAMES = ("HOW_TO_FIX", "PRETRAINED_DIR", "build_model", "check_shipped",
                "compare_with_pretrained", "load_pretrained", "measure", "save_or_compare_pretrained",
                "save_pretrained", "verified_params_file")
__getattr__ = mxnet_names(__name__, _MXNET_NAMES)
