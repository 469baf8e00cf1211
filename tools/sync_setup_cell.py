"""Make the first code cell of every notebook the cell of tools/setup_cell.py (English).

    .venv/bin/python tools/sync_setup_cell.py            # rewrite what differs
    .venv/bin/python tools/sync_setup_cell.py --check    # exit 1 if any notebook differs

Only that cell's source changes (its id, metadata and outputs stay), and a
notebook that needs no change is not rewritten. A notebook whose first code
cell is not a setup cell (it does not mention ``google.colab``) gets the
setup cell inserted before it instead, so no one's code is overwritten.
Another language edition calls ``sync(path, setup_cell_source(language))``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from notebook_files import parse_args, write_notebook
from setup_cell import setup_cell_source


def setup_source(language: str = "en") -> str:
    """The setup cell's source as stored in a notebook (no trailing newline)."""
    return setup_cell_source(language)


def first_code_cell(nb) -> int | None:
    """Index of the first code cell, or None."""
    return next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"), None)


def is_setup_cell(source: str) -> bool:
    return "google.colab" in source


def sync(path: Path, source: str, write: bool = True) -> str | None:
    """Bring one notebook's setup cell up to date; returns what changed, or None."""
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    index = first_code_cell(nb)
    if index is not None and is_setup_cell(nb.cells[index].source):
        cell = nb.cells[index]
        if cell.source.rstrip("\n") == source and cell.metadata.get("cellView") == "form":
            return None
        cell.source = source
        change = "updated the setup cell"
    else:
        cell = nbformat.v4.new_code_cell(source)
        at = 0 if index is None else index
        nb.cells.insert(at, cell)
        change = f"inserted the setup cell as cell {at}"
    cell.metadata["cellView"] = "form"  # Colab shows the form (its title), the code hidden
    if write:
        write_notebook(path, nb)
    return change


def main(argv: list[str] | None = None) -> int:
    paths, check = parse_args(__doc__.split("\n")[0], argv)
    source = setup_source()
    stale = 0
    for path in paths:
        change = sync(path, source, write=not check)
        if change:
            stale += 1
            print(f"{path}: {'needs: ' if check else ''}{change}")
    if check and stale:
        print(f"{stale} notebook(s) differ from tools/setup_cell.py: "
              f"run 'make sync-setup-cell'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
