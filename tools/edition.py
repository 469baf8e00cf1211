"""Derived editions of the notebooks, kept in sync with their sources: four editions, two axes.

    notebooks/                the source: MXNet, English (written by hand)
    notebooks/zh/             "zh":         MXNet, Chinese   (language axis, from notebooks/)
    notebooks/pytorch/        "pytorch":    PyTorch, English (framework axis, from notebooks/)
    notebooks/zh/pytorch/     "zh/pytorch": PyTorch, Chinese (language axis, from notebooks/pytorch/,
                                            shared prose from notebooks/zh/)

    python tools/edition.py sync EDITION [NN ...]      # create or bring up to date
    python tools/edition.py --check                    # exit 1 listing every problem, every edition
    python tools/edition.py check EDITION              # the same, one edition
    python tools/edition.py stamp EDITION NN [ID ...]  # after translating / porting: record hashes
    python tools/edition.py omit pytorch NN ID ...     # a source cell this framework leaves out
    python tools/edition.py share pytorch NN ID ...    # a cell back to the source's (shared) text

**Language axis** (zh, zh/pytorch). A derived notebook has its source's cells: same ids, order
and cell types, the same metadata that matters (slide types, tags, ``jupyter`` display flags;
nbval markers live in the code). Markdown cells carry their own text and a stamp::

    "edition": {"axis": "language", "status": "translated",
                "source_sha256": "<SHA-256 of the source cell's text it was made from>",
                "text_sha256": "<SHA-256 of this cell's text when it was stamped>"}

``status`` is "untranslated" for a cell that sync filled with the source text. Code is copied,
except the first code cell (the setup cell), which comes from the edition's template
(tools/setup_cell.py). Speaker notes (``speaker_notes``, tools/self_study.py) are translated and
stamped the same way in ``speaker_notes_edition``.

**A translation is made once.** zh/pytorch takes the zh edition's translation of every cell
whose English is shared with the MXNet edition (the same text in notebooks/pytorch/ and
notebooks/ under the same id): such a markdown cell is stamped ``"status": "shared"`` and must
equal notebooks/zh/'s cell; notes whose English is shared must equal notebooks/zh/'s notes. Only
PyTorch-specific prose (and notes) is translated in zh/pytorch, and stamped.

**Framework axis** (pytorch). Every cell of the source is either *shared* or
*framework-specific*, and the edition may leave source cells out or add its own:

    "edition": {"axis": "framework", "status": "shared", "source_sha256": "..."}
        the source's text and speaker notes, copied by sync (prose written once; code
        that does not depend on the framework, e.g. 02's NumPy HMM);
    "edition": {"axis": "framework", "status": "specific", "source_sha256": "...", "text_sha256": "..."}
        this edition's own text (PyTorch code; prose that names ``nn.LSTM`` or quotes a number
        from this edition's run), stamped against the source cell's text and notes: when the
        source cell changes, check reports it stale until it is reviewed and stamped again;
    "edition": {"axis": "framework", "status": "own", "text_sha256": "..."}
        a cell only this edition has (no source cell);
    notebook metadata "edition": {"omitted": [ids]}: source cells this edition leaves out.

The setup cell comes from the edition's template. The framework edition and its translation may
lack a notebook their source has (not written yet: ``--check`` lists it); zh must have every one.

``sync`` keeps every translation and every framework-specific cell (one whose source changed is
kept and reported stale), refreshes untouched copies, and keeps the committed outputs of code
cells whose text did not change (changed code gets empty outputs: re-run that notebook). A shared
cell edited by hand is never overwritten: sync reports it, ``stamp`` makes it framework-specific.
``stamp`` records the current source hashes for the cells given by id, or, without ids, for the
cells whose text changed since their last stamp (an edited translation, an edited port).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_files import NOTEBOOKS, write_notebook  # noqa: E402

MATTERING_METADATA = ("slideshow", "tags", "jupyter")
STAMP_KEY = "edition"
NOTES_KEY, NOTES_STAMP_KEY = "speaker_notes", "speaker_notes_edition"   # tools/self_study.py
AXIS_CELL_TYPES = {"language": ("markdown",), "framework": ("code", "markdown")}


@dataclass
class Edition:
    """One derived edition: ``name`` (e.g. "zh"), its ``axis`` and where its notebooks live.

    ``shared_from`` (a language edition of a framework edition): (the framework edition's own
    source folder, that folder's translation in this language), e.g. (notebooks/, notebooks/zh/):
    cells whose English is shared with the first take the second's translation.
    """

    name: str
    axis: str
    source_dir: Path
    directory: Path
    setup_source: Callable[[], str] | None = None   # the first code cell's text, if templated
    overridden: tuple = field(default=())
    shared_from: tuple[Path, Path] | None = None

    def __post_init__(self):
        if self.axis not in AXIS_CELL_TYPES:
            raise ValueError(f"axis {self.axis!r}: choose one of {', '.join(AXIS_CELL_TYPES)}")
        self.overridden = self.overridden or AXIS_CELL_TYPES[self.axis]

    @property
    def complete(self) -> bool:
        """Must the edition have every source notebook? A framework edition is written one
        notebook at a time, and so is its translation (zh/pytorch); the translation of the
        source (zh) follows it. ``--check`` lists the notebooks not written yet."""
        return self.axis == "language" and self.shared_from is None

    def sources(self) -> list[Path]:
        return sorted(self.source_dir.glob("[0-9][0-9]_*.ipynb"))

    def derived(self, source: Path) -> Path:
        return self.directory / source.name


def _setup(language: str, framework: str = "mxnet") -> Callable[[], str]:
    def source() -> str:
        from setup_cell import setup_cell_source

        return setup_cell_source(language, framework)
    return source


def _zh_setup() -> str:
    return _setup("zh")()


EDITIONS = {
    "zh": Edition("zh", "language", NOTEBOOKS, NOTEBOOKS / "zh", _zh_setup),
    "pytorch": Edition("pytorch", "framework", NOTEBOOKS, NOTEBOOKS / "pytorch",
                       _setup("en", "torch")),
    "zh/pytorch": Edition("zh/pytorch", "language", NOTEBOOKS / "pytorch",
                          NOTEBOOKS / "zh" / "pytorch", _setup("zh", "torch"),
                          shared_from=(NOTEBOOKS, NOTEBOOKS / "zh")),
}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path):
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)


def _first_code_id(nb) -> str | None:
    return next((c.get("id") for c in nb.cells if c.cell_type == "code"), None)


def _mattering(cell) -> dict:
    return {k: cell.metadata[k] for k in MATTERING_METADATA if k in cell.metadata}


LINK_RE = re.compile(r'(\]\(|\b(?:href|src)=")([^)"\s]+)')
SIBLING_RE = re.compile(r"^[0-9][0-9]_[^/]*\.ipynb$")   # a notebook of the same edition
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def rebase_links(text: str, source_dir: Path, directory: Path) -> str:
    """Markdown written in ``source_dir``, with its relative links (``](../REFERENCES.md)``,
    ``src="..."``) pointing to the same files from ``directory``. A link to a sibling notebook
    (``03_birnn_from_scratch.ipynb``) stays: it means the same edition's notebook."""
    if Path(source_dir).resolve() == Path(directory).resolve() or not text:
        return text

    def fix(match: re.Match) -> str:
        path, hash_, anchor = match.group(2).partition("#")
        if not path or SCHEME_RE.match(path) or path.startswith("/") or SIBLING_RE.match(path):
            return match.group(0)
        new = Path(os.path.relpath(os.path.normpath(Path(source_dir) / path), directory)).as_posix()
        return match.group(1) + new + ("/" if path.endswith("/") else "") + hash_ + anchor
    return LINK_RE.sub(fix, text)


def expected_copy(edition: Edition, nb, cell) -> str:
    """The text a copied (not overridden) cell must have in the edition (markdown: its links
    rebased to the edition's folder)."""
    if edition.setup_source is not None and cell.cell_type == "code" \
            and cell.get("id") == _first_code_id(nb):
        return edition.setup_source()
    if cell.cell_type == "markdown":
        return rebase_links(cell.source, edition.source_dir, edition.directory)
    return cell.source


def expected_notes(edition: Edition, cell) -> str | None:
    """The speaker notes a shared cell must have in a framework edition (links rebased)."""
    notes = cell.metadata.get(NOTES_KEY)
    return rebase_links(notes, edition.source_dir, edition.directory) if notes else notes


# ---------------------------------------------------------------------------
# sync
# ---------------------------------------------------------------------------
def _stamp(edition: Edition, source_text: str, text: str, status: str) -> dict:
    return {"axis": edition.axis, "status": status, "source_sha256": sha256(source_text),
            "text_sha256": sha256(text)}


def _sync_overridden(edition: Edition, src, old) -> tuple:
    """The derived cell for overridden source cell ``src`` (``old``: the existing one or None)."""
    stamp = (old.metadata.get(STAMP_KEY) or {}) if old is not None else {}
    untouched_copy = stamp.get("status") == "untranslated" and \
        stamp.get("text_sha256") == sha256(old.source)
    if old is None or old.cell_type != src.cell_type or untouched_copy:
        cell = copy.deepcopy(src)
        if old is not None and old.cell_type == src.cell_type:
            cell.metadata = copy.deepcopy(old.metadata)
        cell.metadata[STAMP_KEY] = _stamp(edition, src.source, src.source, "untranslated")
        note = None if untouched_copy and stamp.get("source_sha256") == sha256(src.source) \
            else "untranslated"
        return cell, note
    cell = copy.deepcopy(old)                                   # a translation: kept as it is
    stale = stamp.get("source_sha256") != sha256(src.source)
    return cell, ("stale" if stale else None)


def _sync_copied(edition: Edition, nb, src, old) -> tuple:
    """The derived cell for copied source cell ``src``; keeps outputs if the source is unchanged."""
    cell = copy.deepcopy(src)
    cell.source = expected_copy(edition, nb, src)
    if old is not None and old.cell_type == src.cell_type:
        cell.metadata = copy.deepcopy(old.metadata)
        cell.metadata.pop(STAMP_KEY, None)
        if old.source == cell.source:
            if src.cell_type == "code":
                cell.outputs, cell.execution_count = old.outputs, old.execution_count
            return cell, None
    elif src.cell_type == "code":
        cell.metadata = {}
    if src.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
        return cell, ("code changed" if old is not None else "new code") + ": run the notebook"
    return cell, "copied"


def _sync_notes(edition: Edition, src, old, cell) -> str | None:
    """Give derived ``cell`` its speaker notes: the translation of ``old`` (kept, even when the
    source's notes changed: then stale), else the source's, marked untranslated."""
    english = src.metadata.get(NOTES_KEY)
    had = old.metadata.get(NOTES_KEY) if old is not None else None
    stamp = (old.metadata.get(NOTES_STAMP_KEY) or {}) if old is not None else {}
    cell.metadata.pop(NOTES_KEY, None)
    cell.metadata.pop(NOTES_STAMP_KEY, None)
    if not english:
        return "speaker notes removed (the source cell has none)" if had else None
    untouched_copy = stamp.get("status") == "untranslated" and \
        stamp.get("text_sha256") == sha256(had or "")
    if had and not untouched_copy:
        cell.metadata[NOTES_KEY], cell.metadata[NOTES_STAMP_KEY] = had, copy.deepcopy(stamp)
        return "speaker notes stale" if stamp.get("source_sha256") != sha256(english) else None
    cell.metadata[NOTES_KEY] = english
    cell.metadata[NOTES_STAMP_KEY] = _stamp(edition, english, english, "untranslated")
    fresh = untouched_copy and stamp.get("source_sha256") == sha256(english)
    return None if fresh else "speaker notes untranslated"


def _shared(edition: Edition, source: Path) -> dict:
    """{cell id: (English cell, translated cell or None)} of the notebook that ``source``'s
    edition shares prose with (``shared_from``); empty for the other editions."""
    if edition.shared_from is None:
        return {}
    english_dir, translated_dir = edition.shared_from
    english, translated = english_dir / source.name, translated_dir / source.name
    if not english.exists():
        return {}
    done = {c.get("id"): c for c in _read(translated).cells} if translated.exists() else {}
    cells = {}
    for c in _read(english).cells:   # as copied into the framework edition: links rebased
        if c.cell_type == "markdown":
            c.source = rebase_links(c.source, english_dir, edition.source_dir)
        if c.metadata.get(NOTES_KEY):
            c.metadata[NOTES_KEY] = rebase_links(c.metadata[NOTES_KEY], english_dir,
                                                 edition.source_dir)
        cells[c.get("id")] = (c, done.get(c.get("id")))
    return cells


def _text_shared(src, shared: dict):
    """(True, the translation or None) if markdown ``src`` has the shared English text."""
    english, translated = shared.get(src.get("id"), (None, None))
    if english is None or src.cell_type != "markdown" or english.cell_type != "markdown" \
            or english.source != src.source:
        return False, None
    return True, translated


def _notes_shared(src, shared: dict):
    """(True, the translated cell or None) if ``src``'s speaker notes are the shared English's."""
    english, translated = shared.get(src.get("id"), (None, None))
    notes = src.metadata.get(NOTES_KEY)
    if english is None or not notes or english.metadata.get(NOTES_KEY) != notes:
        return False, None
    return True, translated


def _take_shared(edition: Edition, src, old, translated) -> tuple:
    """A markdown cell whose English is shared: the other edition's translation, copied."""
    cell = copy.deepcopy(src)
    if old is not None and old.cell_type == src.cell_type:
        cell.metadata = copy.deepcopy(old.metadata)
    cell.source = _rebased_shared(edition, translated.source) if translated is not None \
        else src.source
    cell.metadata[STAMP_KEY] = {"axis": "language", "status": "shared",
                                "from": _relative(edition.shared_from[1], edition.directory)}
    changed = old is None or old.source != cell.source
    return cell, ("copied the shared translation" if changed else None)


def _rebased_shared(edition: Edition, text: str) -> str:
    return rebase_links(text, edition.shared_from[1], edition.directory)


def _take_shared_notes(edition: Edition, src, old, cell, translated) -> str | None:
    had = old.metadata.get(NOTES_KEY) if old is not None else None
    cell.metadata.pop(NOTES_STAMP_KEY, None)
    cell.metadata[NOTES_KEY] = src.metadata[NOTES_KEY] if translated is None or not \
        translated.metadata.get(NOTES_KEY) else _rebased_shared(edition, translated.metadata[NOTES_KEY])
    if translated is not None and NOTES_STAMP_KEY in translated.metadata:
        cell.metadata[NOTES_STAMP_KEY] = copy.deepcopy(translated.metadata[NOTES_STAMP_KEY])
    return None if had == cell.metadata[NOTES_KEY] else "copied the shared notes' translation"


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def _language_cells(edition: Edition, nb, old_nb, shared: dict) -> tuple[list, list[str]]:
    old_cells = {c.get("id"): c for c in old_nb.cells} if old_nb is not None else {}
    cells, notes = [], []
    for src in nb.cells:
        old = old_cells.pop(src.get("id"), None)
        is_shared, translated = _text_shared(src, shared)
        if is_shared:
            cell, note = _take_shared(edition, src, old, translated)
        elif src.cell_type in edition.overridden:
            cell, note = _sync_overridden(edition, src, old)
        else:
            cell, note = _sync_copied(edition, nb, src, old)
        for key in MATTERING_METADATA:
            cell.metadata.pop(key, None)
        cell.metadata.update(copy.deepcopy(_mattering(src)))
        cells.append(cell)
        notes_shared, translated = _notes_shared(src, shared)
        note_line = _take_shared_notes(edition, src, old, cell, translated) if notes_shared \
            else _sync_notes(edition, src, old, cell)
        notes += [f"cell {src.get('id')}: {line}" for line in (note, note_line) if line]
    for cell_id, old in old_cells.items():
        if (old.metadata.get(STAMP_KEY) or {}).get("status") == "translated":
            notes.append(f"cell {cell_id}: removed (its source cell is gone; the translation "
                         f"stays in git history)")
    return cells, notes


def sync_notebook(edition: Edition, source: Path, write: bool = True) -> list[str]:
    """Bring one derived notebook up to date with ``source``; returns what happened, per cell."""
    nb = _read(source)
    target = edition.derived(source)
    old_nb = _read(target) if target.exists() else None
    if edition.axis == "framework":
        cells, notes = _framework_cells(edition, nb, old_nb)
    else:
        cells, notes = _language_cells(edition, nb, old_nb, _shared(edition, source))
    out = copy.deepcopy(old_nb if old_nb is not None else nb)
    if old_nb is None:
        out.metadata.pop("widgets", None)   # the source run's widget state (and its images)
    out.cells = cells
    out.metadata["kernelspec"] = copy.deepcopy(nb.metadata.get("kernelspec", {}))
    omitted = _omitted(old_nb)
    out.metadata[STAMP_KEY] = {"axis": edition.axis, "name": edition.name,
                               "source": _relative(source, edition.directory)}
    if omitted:
        out.metadata[STAMP_KEY]["omitted"] = omitted
    out.nbformat, out.nbformat_minor = nb.nbformat, nb.nbformat_minor
    if write and (old_nb is None or nbformat.writes(out) != nbformat.writes(old_nb)):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_notebook(target, out)
    return notes


# ---------------------------------------------------------------------------
# the framework axis: shared, framework-specific and own cells
# ---------------------------------------------------------------------------
def content_sha256(cell) -> str:
    """The hash a framework stamp records: a cell's text and its speaker notes."""
    notes = cell.metadata.get(NOTES_KEY)
    return sha256(cell.source if not notes else f"{cell.source}\n\0{NOTES_KEY}\n{notes}")


def _omitted(nb) -> list[str]:
    if nb is None:
        return []
    return list((nb.metadata.get(STAMP_KEY) or {}).get("omitted", []))


def _status(cell) -> str | None:
    return (cell.metadata.get(STAMP_KEY) or {}).get("status")


def _framework_stamp(status: str, src=None, der=None) -> dict:
    stamp = {"axis": "framework", "status": status}
    if src is not None:
        stamp["source_sha256"] = content_sha256(src)
    if der is not None:
        stamp["text_sha256"] = content_sha256(der)
    return stamp


def _own_cells(nb, old_nb, omitted) -> tuple[dict, list[str]]:
    """{id of the source cell they follow (None: the start): [cells only the edition has]}."""
    source_ids = {c.get("id") for c in nb.cells} - set(omitted)
    after, anchor, notes = {}, None, []
    for cell in old_nb.cells if old_nb is not None else []:
        cell_id, status = cell.get("id"), _status(cell)
        if cell_id in source_ids:
            anchor = cell_id
        elif status == "shared" or cell_id in omitted:
            notes.append(f"cell {cell_id}: removed (its source cell is gone or omitted)")
        else:
            after.setdefault(anchor, []).append(cell)
            if status not in ("own", "specific"):
                notes.append(f"cell {cell_id}: a cell the source does not have: stamp it as this "
                             f"edition's own (`stamp`), or delete it")
    return after, notes


def _framework_cells(edition: Edition, nb, old_nb) -> tuple[list, list[str]]:
    omitted = _omitted(old_nb)
    old_cells = {c.get("id"): c for c in old_nb.cells} if old_nb is not None else {}
    after, notes = _own_cells(nb, old_nb, omitted)
    cells = list(after.get(None, []))
    for src in nb.cells:
        if src.get("id") in omitted:
            continue
        cell, note = _sync_framework_cell(edition, nb, src, old_cells.get(src.get("id")))
        cells += [cell] + after.get(src.get("id"), [])
        if note:
            notes.append(f"cell {src.get('id')}: {note}")
    return cells, notes


def _copy_source(edition: Edition, nb, src, old) -> tuple:
    """``src`` copied (the setup cell: the template), keeping ``old``'s outputs if unchanged."""
    cell = copy.deepcopy(src)
    cell.source = expected_copy(edition, nb, src)
    cell.metadata = copy.deepcopy(old.metadata) if old is not None else \
        {k: copy.deepcopy(v) for k, v in src.metadata.items() if k in MATTERING_METADATA}
    for key in (*MATTERING_METADATA, NOTES_KEY, NOTES_STAMP_KEY, STAMP_KEY):
        cell.metadata.pop(key, None)
    cell.metadata.update(copy.deepcopy(_mattering(src)))
    if src.metadata.get(NOTES_KEY):
        cell.metadata[NOTES_KEY] = expected_notes(edition, src)
    if src.get("id") != _first_code_id(nb):
        cell.metadata[STAMP_KEY] = _framework_stamp("shared", src, cell)
    if src.cell_type != "code":
        return cell, (None if old is not None and old.source == cell.source else "copied")
    if old is not None and old.cell_type == "code" and old.source == cell.source:
        cell.outputs, cell.execution_count = old.outputs, old.execution_count
        return cell, None
    cell.outputs, cell.execution_count = [], None
    return cell, ("code changed" if old is not None else "new code") + ": run the notebook"


def _sync_framework_cell(edition: Edition, nb, src, old) -> tuple:
    """The derived cell for source cell ``src`` in a framework edition (``old``: the existing)."""
    if old is None or old.cell_type != src.cell_type or src.get("id") == _first_code_id(nb):
        return _copy_source(edition, nb, src, old)
    stamp = old.metadata.get(STAMP_KEY) or {}
    if stamp.get("status") in ("specific", "own"):
        stale = stamp.get("source_sha256") != content_sha256(src)
        return copy.deepcopy(old), ("stale: the source cell changed since this framework-specific "
                                    "cell was stamped" if stale else None)
    copied = _copy_source(edition, nb, src, None)[0]
    untouched = content_sha256(old) == content_sha256(copied) or stamp.get("status") == "shared" \
        and stamp.get("text_sha256") == content_sha256(old)
    if untouched:
        return _copy_source(edition, nb, src, old)
    return copy.deepcopy(old), ("edited, differs from the source: stamp it framework-specific "
                                f"(`python tools/edition.py stamp {edition.name} NN "
                                f"{src.get('id')}`) or `share` it back")


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------
def check_cells(edition: Edition, nb, derived, shared: dict | None = None) -> list[str]:
    """Problems of one derived notebook against its source notebook (both parsed); ``shared``:
    what :func:`_shared` gives for it (a language edition of a framework edition)."""
    if edition.axis == "framework":
        return check_framework_cells(edition, nb, derived)
    shared = shared or {}
    src_ids = [c.get("id") for c in nb.cells]
    der_ids = [c.get("id") for c in derived.cells]
    if src_ids != der_ids:
        missing = [i for i in src_ids if i not in der_ids]
        extra = [i for i in der_ids if i not in src_ids]
        detail = (f"missing {missing}" if missing else "") + (f" extra {extra}" if extra else "")
        return [f"structure: cell ids or order differ from the source ({detail.strip() or 'order'}):"
                f" run `python tools/edition.py sync {edition.name}`"]
    problems = []
    for src, der in zip(nb.cells, derived.cells):
        where = f"cell {src.get('id')}"
        if src.cell_type != der.cell_type:
            problems.append(f"{where}: cell type {der.cell_type}, source has {src.cell_type}")
            continue
        if _mattering(src) != _mattering(der):
            problems.append(f"{where}: metadata differs ({_mattering(der)} vs source "
                            f"{_mattering(src)})")
        notes_shared, translated = _notes_shared(src, shared)
        problems += _check_shared(edition, "speaker notes", translated, der, where,
                                  lambda c: c.metadata.get(NOTES_KEY)) if notes_shared \
            else _check_notes(edition, src, der, where)
        text_shared, translated = _text_shared(src, shared)
        if text_shared:
            problems += _check_shared(edition, "text", translated, der, where, lambda c: c.source)
        elif src.cell_type not in edition.overridden:
            if der.source != expected_copy(edition, nb, src):
                problems.append(f"{where}: {src.cell_type} differs from the source")
        else:
            problems += _check_stamp(edition, src, der, where)
    return problems


def _check_shared(edition: Edition, what: str, translated, der, where: str, get) -> list[str]:
    """A cell whose English is shared with the other framework must have its translation."""
    other = _relative(edition.shared_from[1], edition.directory)
    if translated is None or get(translated) is None:
        verb = "are" if what.endswith("s") else "is"
        return [f"{where}: its English {what} {verb} shared with {other}, which has none for this "
                f"cell yet: `python tools/edition.py sync` that edition, then this one"]
    if get(der) != _rebased_shared(edition, get(translated)):
        return [f"{where}: {what} differs from {other}'s translation of the same shared English "
                f"(a translation is made once: edit it there, then `python tools/edition.py "
                f"sync {edition.name}`)"]
    return []


def check_framework_cells(edition: Edition, nb, derived) -> list[str]:
    """Problems of a framework edition's notebook: structure, shared cells that differ from the
    source, framework-specific cells unstamped or stale, own cells unstamped."""
    omitted = _omitted(derived)
    by_id = {c.get("id"): c for c in nb.cells}
    problems = [f"omitted cell {i}: the source has no such cell (remove it from the notebook's "
                f"edition metadata)" for i in omitted if i not in by_id]
    expected = [c.get("id") for c in nb.cells if c.get("id") not in omitted]
    got = [c.get("id") for c in derived.cells if c.get("id") in by_id]
    if got != expected or len(set(got)) != len(got):
        missing = [i for i in expected if i not in got]
        detail = f"missing {missing}" if missing else "order"
        return problems + [f"structure: the source's cells differ in ids or order ({detail}): run "
                           f"`python tools/edition.py sync {edition.name}` (or `omit` a cell)"]
    setup_id = _first_code_id(nb)
    for der in derived.cells:
        src, stamp, where = by_id.get(der.get("id")), der.metadata.get(STAMP_KEY) or {}, \
            f"cell {der.get('id')}"
        if src is None:
            if stamp.get("status") != "own":
                problems.append(f"{where}: a cell the source does not have, not stamped as this "
                                f"edition's own: `python tools/edition.py stamp {edition.name} NN`")
        elif src.cell_type != der.cell_type:
            problems.append(f"{where}: cell type {der.cell_type}, source has {src.cell_type}")
        elif stamp.get("status") in ("specific", "own") and der.get("id") != setup_id:
            if "source_sha256" not in stamp:
                problems.append(f"{where}: framework-specific without a source hash: stamp it")
            elif stamp["source_sha256"] != content_sha256(src):
                problems.append(f"{where}: stale: the source cell (text or speaker notes) changed "
                                f"after this framework-specific cell was stamped; update it, then "
                                f"`python tools/edition.py stamp {edition.name} NN {der.get('id')}`")
        else:
            problems += _check_framework_shared(edition, nb, src, der, where)
    return problems


def _check_framework_shared(edition: Edition, nb, src, der, where: str) -> list[str]:
    problems = []
    if der.source != expected_copy(edition, nb, src):
        what = "the setup cell differs from its template" if src.get("id") == _first_code_id(nb) \
            else f"{src.cell_type} differs from the source"
        problems.append(f"{where}: {what}: run `python tools/edition.py sync {edition.name}`, or, "
                        f"if it is framework-specific, `python tools/edition.py stamp "
                        f"{edition.name} NN {src.get('id')}`")
    if _mattering(src) != _mattering(der):
        problems.append(f"{where}: metadata differs ({_mattering(der)} vs source "
                        f"{_mattering(src)})")
    if expected_notes(edition, src) != der.metadata.get(NOTES_KEY):
        problems.append(f"{where}: speaker notes differ from the source's (shared cell)")
    return problems


def _check_stamp(edition: Edition, src, der, where: str) -> list[str]:
    stamp = der.metadata.get(STAMP_KEY)
    if not stamp or "source_sha256" not in stamp:
        return [f"{where}: no edition stamp: run `python tools/edition.py stamp {edition.name} ...`"]
    if stamp.get("status") != "translated":
        return [f"{where}: untranslated"]
    if stamp["source_sha256"] != sha256(src.source):
        return [f"{where}: stale: the source text changed after this translation was stamped; "
                f"update it from the source cell, then stamp it"]
    return []


def _check_notes(edition: Edition, src, der, where: str) -> list[str]:
    """Problems of a derived cell's speaker notes against the source cell's."""
    english, own = src.metadata.get(NOTES_KEY), der.metadata.get(NOTES_KEY)
    if not english:
        return [f"{where}: speaker notes the source cell does not have"] if own else []
    if not own:
        return [f"{where}: speaker notes missing: run `python tools/edition.py sync {edition.name}`"]
    stamp = der.metadata.get(NOTES_STAMP_KEY) or {}
    if "source_sha256" not in stamp:
        return [f"{where}: speaker notes have no edition stamp: run `python tools/edition.py "
                f"stamp {edition.name} ...`"]
    if stamp.get("status") != "translated":
        return [f"{where}: speaker notes untranslated"]
    if stamp["source_sha256"] != sha256(english):
        return [f"{where}: speaker notes stale: the source's notes changed after this translation "
                f"was stamped; update them from the source cell's notes, then stamp them"]
    return []


def check_edition(edition: Edition) -> list[str]:
    """Every problem of an edition, as 'path: problem' lines (empty when in sync)."""
    if not edition.directory.exists():
        return []
    problems = []
    sources = edition.sources()
    for source in sources:
        target = edition.derived(source)
        if not target.exists():
            if edition.complete:
                problems.append(f"{target}: missing: run `python tools/edition.py sync "
                                f"{edition.name}`")
            continue
        problems += [f"{target}: {p.replace(' NN', ' ' + source.name[:2])}" for p in check_cells(
            edition, _read(source), _read(target), _shared(edition, source))]
    names = {s.name for s in sources}
    for extra in sorted(edition.directory.glob("*.ipynb")):
        if extra.name not in names:
            problems.append(f"{extra}: no source notebook {edition.source_dir / extra.name}")
    return problems


def not_written(edition: Edition) -> list[Path]:
    """The source notebooks a framework edition has no notebook for yet."""
    if edition.complete or not edition.directory.exists():
        return []
    return [s for s in edition.sources() if not edition.derived(s).exists()]


# ---------------------------------------------------------------------------
# stamp
# ---------------------------------------------------------------------------
def stamp_notebook(edition: Edition, source: Path, cell_ids=(), allow_identical=False) -> list[str]:
    """Record the source hashes of translated (language) or framework-specific cells; returns
    one line per cell stamped or refused."""
    nb, target = _read(source), edition.derived(source)
    derived = _read(target)
    by_id = {c.get("id"): c for c in nb.cells}
    known = set(by_id) | ({c.get("id") for c in derived.cells} if edition.axis == "framework"
                          else set())
    unknown = [i for i in cell_ids if i not in known]
    if unknown:
        raise SystemExit(f"{target}: no cell(s) {unknown}; cell ids are in the notebook's JSON")
    if edition.axis == "framework":
        lines = _stamp_framework(edition, nb, derived, cell_ids, allow_identical)
    else:
        lines = _stamp_language(edition, by_id, derived, _shared(edition, source), cell_ids,
                                allow_identical)
    if any(line.endswith("stamped") or "stamped as" in line for line in lines):
        write_notebook(target, derived)
    return lines


def _stamp_language(edition: Edition, by_id, derived, shared, cell_ids, allow_identical):
    lines = []
    for der in derived.cells:
        src = by_id.get(der.get("id"))
        if src is not None and der.metadata.get(NOTES_KEY) and src.metadata.get(NOTES_KEY) \
                and not _notes_shared(src, shared)[0]:
            lines += _stamp_notes(edition, src, der, cell_ids, allow_identical)
        if src is None or src.cell_type not in edition.overridden:
            continue
        if _text_shared(src, shared)[0]:
            if der.get("id") in cell_ids:
                lines.append(f"cell {der.get('id')}: not stamped, its English is shared: its "
                             f"translation is {_relative(edition.shared_from[1], edition.directory)}'s")
            continue
        stamp = der.metadata.get(STAMP_KEY) or {}
        edited = stamp.get("text_sha256") != sha256(der.source)
        if cell_ids and der.get("id") not in cell_ids or not cell_ids and not edited:
            continue
        if der.source == src.source and not allow_identical:
            lines.append(f"cell {der.get('id')}: not stamped, its text is still the source's "
                         f"(translate it, or pass --allow-identical for language-neutral cells)")
            continue
        der.metadata[STAMP_KEY] = _stamp(edition, src.source, der.source, "translated")
        lines.append(f"cell {der.get('id')}: stamped")
    return lines


def _stamp_framework(edition: Edition, nb, derived, cell_ids, allow_identical) -> list[str]:
    """Stamp cells as framework-specific (against their source cell) or as the edition's own."""
    by_id, setup_id, lines = {c.get("id"): c for c in nb.cells}, _first_code_id(nb), []
    for der in derived.cells:
        cell_id, stamp = der.get("id"), der.metadata.get(STAMP_KEY) or {}
        src, status = by_id.get(cell_id), stamp.get("status")
        if cell_ids and cell_id not in cell_ids:
            continue
        if src is None:
            if cell_ids or status != "own" or stamp.get("text_sha256") != content_sha256(der):
                der.metadata[STAMP_KEY] = _framework_stamp("own", der=der)
                lines.append(f"cell {cell_id}: stamped as this edition's own")
            continue
        if cell_id == setup_id:
            if cell_ids:
                lines.append(f"cell {cell_id}: not stamped: the setup cell comes from its template")
            continue
        same = content_sha256(der) == content_sha256(_copy_source(edition, nb, src, None)[0])
        if not cell_ids:
            edited = stamp.get("text_sha256") != content_sha256(der) if status == "specific" \
                else not same and stamp.get("text_sha256") != content_sha256(der)
            if not edited:
                continue
        if same and not allow_identical:
            lines.append(f"cell {cell_id}: not stamped, it is the source's (shared; pass "
                         f"--allow-identical to keep it framework-specific anyway)")
            continue
        der.metadata[STAMP_KEY] = _framework_stamp("specific", src, der)
        lines.append(f"cell {cell_id}: stamped as framework-specific")
    return lines


def omit_cells(edition: Edition, source: Path, cell_ids) -> list[str]:
    """Leave source cells out of a framework edition's notebook (recorded in its metadata)."""
    if edition.axis != "framework":
        raise SystemExit(f"edition {edition.name}: only a framework edition omits cells "
                         f"(a translation has every cell of its source)")
    target = edition.derived(source)
    derived, ids = _read(target), {c.get("id") for c in _read(source).cells}
    unknown = [i for i in cell_ids if i not in ids]
    if unknown or not cell_ids:
        raise SystemExit(f"{source}: no cell(s) {unknown}; give the ids of source cells to omit")
    derived.cells = [c for c in derived.cells if c.get("id") not in cell_ids]
    stamp = derived.metadata.setdefault(STAMP_KEY, {})
    stamp["omitted"] = sorted(set(stamp.get("omitted", [])) | set(cell_ids))
    write_notebook(target, derived)
    return [f"cell {i}: omitted" for i in cell_ids]


def share_cells(edition: Edition, source: Path, cell_ids) -> list[str]:
    """Make framework-specific (or omitted) cells shared again: the source's text and notes."""
    if edition.axis != "framework":
        raise SystemExit(f"edition {edition.name}: only a framework edition shares cells")
    target = edition.derived(source)
    derived = _read(target)
    stamp = derived.metadata.get(STAMP_KEY) or {}
    stamp["omitted"] = [i for i in stamp.get("omitted", []) if i not in cell_ids]
    if not stamp["omitted"]:
        stamp.pop("omitted")
    for cell in derived.cells:
        if cell.get("id") in cell_ids:
            cell.metadata[STAMP_KEY] = {"axis": "framework", "status": "shared"}
            cell.source = ""          # an untouched copy of nothing: sync takes the source's
            cell.metadata[STAMP_KEY]["text_sha256"] = content_sha256(cell)
    write_notebook(target, derived)
    return sync_notebook(edition, source)


def _stamp_notes(edition: Edition, src, der, cell_ids, allow_identical: bool) -> list[str]:
    """Stamp ``der``'s speaker notes against ``src``'s (if chosen, or edited since stamped)."""
    own, english = der.metadata[NOTES_KEY], src.metadata[NOTES_KEY]
    edited = (der.metadata.get(NOTES_STAMP_KEY) or {}).get("text_sha256") != sha256(own)
    if cell_ids and der.get("id") not in cell_ids or not cell_ids and not edited:
        return []
    if own == english and not allow_identical:
        return [f"cell {der.get('id')}: notes not stamped, they are still the source's "
                f"(translate them, or pass --allow-identical)"]
    der.metadata[NOTES_STAMP_KEY] = _stamp(edition, english, own, "translated")
    return [f"cell {der.get('id')}: notes stamped"]


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------
def _select(edition: Edition, numbers) -> list[Path]:
    sources = edition.sources()
    if not numbers:
        return sources
    chosen = [s for s in sources if any(s.name.startswith(f"{n}_") or s.name == n for n in numbers)]
    if len(chosen) != len(numbers):
        raise SystemExit(f"no such notebook among {[s.name for s in sources]}: {list(numbers)}")
    return chosen


def _edition(name: str, editions: dict) -> Edition:
    if name not in editions:
        raise SystemExit(f"no edition {name!r}; editions: {', '.join(editions)}")
    return editions[name]


def main(argv: list[str] | None = None, editions: dict | None = None) -> int:
    editions = EDITIONS if editions is None else editions
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="check every edition; exit 1 if stale")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("sync", help="regenerate an edition's notebooks from the source")
    p.add_argument("edition")
    p.add_argument("notebooks", nargs="*", help="numbers such as 02 (default: all)")
    p = sub.add_parser("check", help="check one edition")
    p.add_argument("edition")
    p = sub.add_parser("stamp", help="record the source hashes of translated cells")
    p.add_argument("edition")
    p.add_argument("notebook", help="a number such as 02")
    p.add_argument("cells", nargs="*", help="cell ids (default: the cells edited since stamped)")
    p.add_argument("--allow-identical", action="store_true",
                   help="also stamp cells whose text equals the source (language-neutral cells)")
    for name, text in (("omit", "leave source cells out of a framework edition's notebook"),
                       ("share", "give framework-specific or omitted cells the source's text")):
        p = sub.add_parser(name, help=text)
        p.add_argument("edition")
        p.add_argument("notebook", help="a number such as 02")
        p.add_argument("cells", nargs="+", help="cell ids")
    args = parser.parse_args(argv)
    if args.check or args.command == "check":
        chosen = [_edition(args.edition, editions)] if args.command == "check" else editions.values()
        problems = [p for e in chosen for p in check_edition(e)]
        for line in problems:
            print(line)
        for e in chosen:
            for source in not_written(e):
                print(f"edition {e.name}: {e.derived(source)} not written yet (`python "
                      f"tools/edition.py sync {e.name} {source.name[:2]}` starts it)")
            if not e.directory.exists():
                print(f"edition {e.name}: {e.directory} does not exist yet (nothing to check; "
                      f"`python tools/edition.py sync {e.name}{'' if e.complete else ' NN'}` "
                      f"creates it)")
        if problems:
            print(f"{len(problems)} problem(s) in the editions", file=sys.stderr)
        return 1 if problems else 0
    if args.command == "sync":
        edition = _edition(args.edition, editions)
        chosen = _select(edition, args.notebooks)
        if not args.notebooks and not edition.complete:   # only the notebooks written so far
            chosen = [s for s in chosen if edition.derived(s).exists()]
        for source in chosen:
            for note in sync_notebook(edition, source):
                print(f"{edition.derived(source)}: {note}")
        return 0
    if args.command == "stamp":
        edition = _edition(args.edition, editions)
        (source,) = _select(edition, [args.notebook])
        for line in stamp_notebook(edition, source, args.cells, args.allow_identical):
            print(f"{edition.derived(source)}: {line}")
        return 0
    if args.command in ("omit", "share"):
        edition = _edition(args.edition, editions)
        (source,) = _select(edition, [args.notebook])
        act = omit_cells if args.command == "omit" else share_cells
        for line in act(edition, source, args.cells):
            print(f"{edition.derived(source)}: {line}")
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
