"""Tag the notebooks' cells for the lecture and add speaker notes and exercise cells, from a spec.

    .venv/bin/python tools/apply_lecture_tags.py SPEC.json [--check] [--out-dir DIR] [notebooks ...]

The spec (e.g. /work/coord/lecture_tags.json, written with LECTURE.md) lists, per
notebook, cells by id with the tags they get (``lecture``, ``lecture-45``,
``lecture-heading``, ``lecture-code``, ``live``) and the text of the speaker
notes that follow each; and where an in-class exercise goes (a markdown cell
with the question, its notes, and a check cell ``d2l.check(id, ...)``).

Speaker notes are markdown cells tagged ``notes`` that start with
"**Speaker notes.**" and are collapsed (``metadata.jupyter.source_hidden``). New
cells get ids derived from their anchor, so a second run changes nothing
(idempotent); existing cells keep their source, outputs and other metadata.
``--check`` changes nothing and exits 1 if a notebook would change;
``--out-dir`` writes changed copies there instead of the notebooks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import nbformat
from notebook_files import NOTEBOOKS, write_notebook

NOTES_FIRST_LINE = "**Speaker notes.**"


def _id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:8]


def _notes_cell(text: str, cell_id: str):
    cell = nbformat.v4.new_markdown_cell(f"{NOTES_FIRST_LINE}\n\n{text}")
    cell.id = cell_id
    cell.metadata = {"tags": ["notes"], "jupyter": {"source_hidden": True}}
    return cell


def _upsert(cells: list, position: int, new) -> int:
    """Put ``new`` at ``position`` (or update the cell with its id there); returns the next position."""
    if position < len(cells) and cells[position].get("id") == new.id:
        if cells[position].source != new.source or cells[position].metadata.get("tags") != \
                new.metadata.get("tags"):
            cells[position].source = new.source
            cells[position].metadata.update(new.metadata)
        return position + 1
    cells.insert(position, new)
    return position + 1


def _index(cells: list, cell_id: str, first: str, notebook: str) -> int:
    for i, cell in enumerate(cells):
        if cell.get("id") == cell_id:
            return i
    raise ValueError(f"{notebook}: no cell with id {cell_id} (expected one starting {first!r}); "
                     f"update the spec")


def apply(nb, entries: list, exercises: dict, notebook: str) -> None:
    """Apply one notebook's spec entries to ``nb`` in place."""
    cells = nb.cells
    for entry in entries:
        if "exercise" in entry:
            anchor, ex = entry["insert_after"], exercises[entry["exercise"]]
            i = _index(cells, anchor, "", notebook) + 1
            if i < len(cells) and cells[i].get("id") == _id(anchor, "notes"):
                i += 1  # after the anchor's own speaker notes
            md = nbformat.v4.new_markdown_cell(f"**{ex['title']}.** {ex['question']}")
            md.id, md.metadata = _id(anchor, "exercise", "md"), {"tags": ex.get("tags", ["lecture"])}
            check = nbformat.v4.new_code_cell(ex["check"])
            check.id = _id(anchor, "exercise", "check")
            i = _upsert(cells, i, md)
            i = _upsert(cells, i, _notes_cell(ex["notes"], _id(anchor, "exercise", "notes")))
            _upsert(cells, i, check)
            continue
        i = _index(cells, entry["id"], entry.get("first", ""), notebook)
        tags = list(cells[i].metadata.get("tags", []))
        cells[i].metadata["tags"] = tags + [t for t in entry["tags"] if t not in tags]
        if entry.get("notes"):
            _upsert(cells, i + 1, _notes_cell(entry["notes"], _id(entry["id"], "notes")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--out-dir", type=Path, help="write the tagged notebooks here instead")
    args = parser.parse_intermixed_args(argv)
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    stale = []
    for path in paths:
        entries = spec["notebooks"].get(path.name)
        if not entries:
            continue
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        try:
            apply(nb, entries, spec.get("exercises", {}), path.name)
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        if nbformat.writes(nb) != before:
            stale.append(path.name)
            if not args.check:
                target = args.out_dir / path.name if args.out_dir else path
                target.parent.mkdir(parents=True, exist_ok=True)
                write_notebook(target, nb)
                print(f"{target}: lecture tags applied")
    if args.check and stale:
        print(f"lecture tags not applied yet: {stale}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
