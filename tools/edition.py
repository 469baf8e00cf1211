"""Derived editions of the notebooks, kept in sync with their one source (notebooks/*.ipynb).

    python tools/edition.py sync zh [NN ...]       # regenerate notebooks/zh from notebooks/
    python tools/edition.py --check                # exit 1 listing every problem, every edition
    python tools/edition.py check zh               # the same, one edition
    python tools/edition.py stamp zh NN [ID ...]   # after translating: record the English hashes

An edition varies the source along one *axis*. The language axis (the Chinese
edition, notebooks/zh/) gives markdown cells their own text while code stays
identical; a framework axis (a PyTorch edition, later) would give code cells
their own text while markdown stays. A derived notebook has the source's cells:
same ids, order and cell types, the same metadata that matters (slide types,
tags, ``jupyter`` display flags; nbval markers live in the code). Cells of the
overridden type carry their own text and a stamp in their metadata::

    "edition": {"axis": "language", "status": "translated",
                "source_sha256": "<SHA-256 of the English cell's text it was made from>",
                "text_sha256": "<SHA-256 of this cell's text when it was stamped>"}

``status`` is "untranslated" for a cell that sync filled with the source text.

Speaker notes (a cell's metadata ``speaker_notes``, tools/self_study.py) follow the markdown:
in a language edition a derived cell keeps its translated notes, stamped the same way in
``speaker_notes_edition`` against the source cell's notes (a framework edition copies them). ``sync`` never
overwrites translated notes (it fills missing ones with the source's, marked untranslated);
``check`` reports notes that are missing, extra, untranslated, unstamped or stale; ``stamp``
stamps a cell's notes with its text.
Every other cell is copied from the source, except the first code cell (the
setup cell), which comes from the edition's template (tools/setup_cell.py).

``sync`` keeps every translation (a translation whose English changed is kept
and reported stale), refreshes untouched untranslated cells, and keeps the
committed outputs of code cells whose source did not change (a changed code
cell gets empty outputs: re-run that notebook). ``check`` reports: a missing or
extra notebook, cells that differ in id, order or type, metadata that differs,
code that differs, and translations that are missing, untranslated, unstamped
or stale (the English changed after the stamp). ``stamp`` records the current
English hash for the cells given by id, or, without ids, for the cells whose
text changed since their last stamp (an edited translation).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
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
AXIS_CELL_TYPES = {"language": ("markdown",), "framework": ("code",)}


@dataclass
class Edition:
    """One derived edition: ``name`` (e.g. "zh"), its ``axis`` and where its notebooks live."""

    name: str
    axis: str
    source_dir: Path
    directory: Path
    setup_source: Callable[[], str] | None = None   # the first code cell's text, if templated
    overridden: tuple = field(default=())

    def __post_init__(self):
        if self.axis not in AXIS_CELL_TYPES:
            raise ValueError(f"axis {self.axis!r}: choose one of {', '.join(AXIS_CELL_TYPES)}")
        self.overridden = self.overridden or AXIS_CELL_TYPES[self.axis]

    def sources(self) -> list[Path]:
        return sorted(self.source_dir.glob("[0-9][0-9]_*.ipynb"))

    def derived(self, source: Path) -> Path:
        return self.directory / source.name


def _zh_setup() -> str:
    from setup_cell import setup_cell_source

    return setup_cell_source("zh")


EDITIONS = {"zh": Edition("zh", "language", NOTEBOOKS, NOTEBOOKS / "zh", _zh_setup)}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path):
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)


def _first_code_id(nb) -> str | None:
    return next((c.get("id") for c in nb.cells if c.cell_type == "code"), None)


def _mattering(cell) -> dict:
    return {k: cell.metadata[k] for k in MATTERING_METADATA if k in cell.metadata}


def expected_copy(edition: Edition, nb, cell) -> str:
    """The text a copied (not overridden) cell must have in the edition."""
    if edition.setup_source is not None and cell.cell_type == "code" \
            and cell.get("id") == _first_code_id(nb):
        return edition.setup_source()
    return cell.source


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
    if "markdown" not in edition.overridden:   # a framework edition: the source's words, copied
        cell.metadata[NOTES_KEY] = english
        return None if had == english else "speaker notes copied"
    untouched_copy = stamp.get("status") == "untranslated" and \
        stamp.get("text_sha256") == sha256(had or "")
    if had and not untouched_copy:
        cell.metadata[NOTES_KEY], cell.metadata[NOTES_STAMP_KEY] = had, copy.deepcopy(stamp)
        return "speaker notes stale" if stamp.get("source_sha256") != sha256(english) else None
    cell.metadata[NOTES_KEY] = english
    cell.metadata[NOTES_STAMP_KEY] = _stamp(edition, english, english, "untranslated")
    fresh = untouched_copy and stamp.get("source_sha256") == sha256(english)
    return None if fresh else "speaker notes untranslated"


def sync_notebook(edition: Edition, source: Path, write: bool = True) -> list[str]:
    """Bring one derived notebook up to date with ``source``; returns what happened, per cell."""
    nb = _read(source)
    target = edition.derived(source)
    old_nb = _read(target) if target.exists() else None
    old_cells = {c.get("id"): c for c in old_nb.cells} if old_nb is not None else {}
    cells, notes = [], []
    for src in nb.cells:
        old = old_cells.pop(src.get("id"), None)
        if src.cell_type in edition.overridden:
            cell, note = _sync_overridden(edition, src, old)
        else:
            cell, note = _sync_copied(edition, nb, src, old)
        for key in MATTERING_METADATA:
            cell.metadata.pop(key, None)
        cell.metadata.update(copy.deepcopy(_mattering(src)))
        cells.append(cell)
        for line in (note, _sync_notes(edition, src, old, cell)):
            if line:
                notes.append(f"cell {src.get('id')}: {line}")
    for cell_id, old in old_cells.items():
        if (old.metadata.get(STAMP_KEY) or {}).get("status") == "translated":
            notes.append(f"cell {cell_id}: removed (its source cell is gone; the translation "
                         f"stays in git history)")
    out = copy.deepcopy(old_nb if old_nb is not None else nb)
    if old_nb is None:
        out.metadata.pop("widgets", None)   # the source run's widget state (and its images)
    out.cells = cells
    out.metadata["kernelspec"] = copy.deepcopy(nb.metadata.get("kernelspec", {}))
    out.metadata[STAMP_KEY] = {"axis": edition.axis, "name": edition.name,
                               "source": f"../{source.name}"}
    out.nbformat, out.nbformat_minor = nb.nbformat, nb.nbformat_minor
    if write and (old_nb is None or nbformat.writes(out) != nbformat.writes(old_nb)):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_notebook(target, out)
    return notes


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------
def check_cells(edition: Edition, nb, derived) -> list[str]:
    """Problems of one derived notebook against its source notebook (both parsed)."""
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
        problems += _check_notes(edition, src, der, where)
        if src.cell_type not in edition.overridden:
            if der.source != expected_copy(edition, nb, src):
                problems.append(f"{where}: {src.cell_type} differs from the source")
            continue
        problems += _check_stamp(edition, src, der, where)
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
    if "markdown" not in edition.overridden:   # a framework edition copies the source's notes
        return [] if own == english else [f"{where}: speaker notes differ from the source's"]
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
            problems.append(f"{target}: missing: run `python tools/edition.py sync {edition.name}`")
            continue
        problems += [f"{target}: {p}" for p in check_cells(edition, _read(source), _read(target))]
    names = {s.name for s in sources}
    for extra in sorted(edition.directory.glob("*.ipynb")):
        if extra.name not in names:
            problems.append(f"{extra}: no source notebook {edition.source_dir / extra.name}")
    return problems


# ---------------------------------------------------------------------------
# stamp
# ---------------------------------------------------------------------------
def stamp_notebook(edition: Edition, source: Path, cell_ids=(), allow_identical=False) -> list[str]:
    """Record the source hashes of translated cells; returns one line per cell stamped or refused."""
    nb, target = _read(source), edition.derived(source)
    derived = _read(target)
    by_id = {c.get("id"): c for c in nb.cells}
    unknown = [i for i in cell_ids if i not in by_id]
    if unknown:
        raise SystemExit(f"{target}: no cell(s) {unknown}; cell ids are in the notebook's JSON")
    lines = []
    for der in derived.cells:
        src = by_id.get(der.get("id"))
        if src is not None and der.metadata.get(NOTES_KEY) and src.metadata.get(NOTES_KEY):
            lines += _stamp_notes(edition, src, der, cell_ids, allow_identical)
        if src is None or src.cell_type not in edition.overridden:
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
    if any(line.endswith("stamped") for line in lines):
        write_notebook(target, derived)
    return lines


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
    args = parser.parse_args(argv)
    if args.check or args.command == "check":
        chosen = [_edition(args.edition, editions)] if args.command == "check" else editions.values()
        problems = [p for e in chosen for p in check_edition(e)]
        for line in problems:
            print(line)
        for e in chosen:
            if not e.directory.exists():
                print(f"edition {e.name}: {e.directory} does not exist yet (nothing to check; "
                      f"`python tools/edition.py sync {e.name}` creates it)")
        if problems:
            print(f"{len(problems)} problem(s) in the editions", file=sys.stderr)
        return 1 if problems else 0
    if args.command == "sync":
        edition = _edition(args.edition, editions)
        for source in _select(edition, args.notebooks):
            for note in sync_notebook(edition, source):
                print(f"{edition.derived(source)}: {note}")
        return 0
    if args.command == "stamp":
        edition = _edition(args.edition, editions)
        (source,) = _select(edition, [args.notebook])
        for line in stamp_notebook(edition, source, args.cells, args.allow_identical):
            print(f"{edition.derived(source)}: {line}")
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
