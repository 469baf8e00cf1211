"""A checkpoint's ``meta.json``, without a framework: read it, refuse a damaged or foreign one.

Both editions' checkpoint folders (:mod:`d2l_birnn.mxnet.checkpoints`,
:mod:`d2l_birnn.torch.checkpoints`) hold the framework's parameter and optimizer files
beside one ``meta.json``: the model's description, the vocabulary, the per-epoch
perplexities and times, and the random generators' states. Reading it never changes
the folder.
"""

from __future__ import annotations

import json
from pathlib import Path

META_FILE = "meta.json"
REQUIRED_KEYS = ("model", "vocab", "epoch", "perplexities", "epoch_seconds", "tokens_per_epoch",
                 "rng")


class DamagedCheckpointError(ValueError):
    """A checkpoint folder exists but cannot be read (e.g. a truncated ``meta.json``)."""


def read_meta_file(path: Path) -> dict:
    """The ``meta.json`` of checkpoint folder ``path``, with every key of :data:`REQUIRED_KEYS`.

    Raises ``ValueError`` if ``path`` has no ``meta.json`` (not a checkpoint) and
    :class:`DamagedCheckpointError` if it cannot be read or lacks a key.
    """
    meta_file = Path(path) / META_FILE
    if not meta_file.is_file():
        raise ValueError(f"{path} exists but is not a checkpoint (no {META_FILE}); it is left as it "
                         f"is: pass a path that does not exist yet or an earlier checkpoint")
    try:
        meta = json.loads(meta_file.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DamagedCheckpointError(
            f"checkpoint {path} is damaged: {meta_file} is not valid JSON ({e}); the file was "
            f"probably cut short (disk full, or the run was killed while copying it). It is "
            f"left untouched. Restore it from a backup, or move it aside (or delete it) to "
            f"start afresh, or pass another checkpoint path.") from None
    missing = [key for key in REQUIRED_KEYS if key not in meta] if isinstance(meta, dict) else []
    if not isinstance(meta, dict) or missing:
        raise DamagedCheckpointError(
            f"checkpoint {path} is damaged: {meta_file} lacks {missing or 'its fields'}. It is "
            f"left untouched; move it aside or pass another checkpoint path.")
    return meta


def check_compatible(path: Path, meta: dict, model_description: str, vocab) -> None:
    """Refuse (``ValueError``) a checkpoint made by another model (``model_description``,
    the edition's ``describe(net)``) or another vocabulary (a ``Vocab``)."""
    problems = []
    if meta.get("model") != model_description:
        problems.append(f"it holds a {meta.get('model')}, this model is a {model_description}")
    if meta.get("vocab") != list(vocab.idx_to_token):
        problems.append(f"its vocabulary ({len(meta.get('vocab', []))} tokens) is not this one "
                        f"({len(vocab)} tokens)")
    if problems:
        raise ValueError(f"checkpoint {path} was made by a different run: " + "; ".join(problems)
                         + ". Use another checkpoint path, or overwrite=True to start afresh "
                           "and replace it.")


__all__ = ["DamagedCheckpointError", "META_FILE", "REQUIRED_KEYS", "check_compatible",
           "read_meta_file"]
