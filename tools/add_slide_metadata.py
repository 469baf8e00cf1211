"""Give every notebook cell its reveal.js slide type, by rule: ``make slide-metadata``.

    .venv/bin/python tools/add_slide_metadata.py [--check] [notebooks ...]

Rules (the first that matches wins):

* the setup cell (the first code cell, which mentions ``google.colab``): ``skip``
  (it does nothing outside Colab, so a lecture need not show it);
* a markdown cell tagged ``notes`` (the lecture deck's speaker notes,
  tools/build_lecture.py): ``notes``, so the per-notebook decks show it as
  reveal.js speaker notes too, not as a slide of its own text;
* a markdown cell whose first line is a ``#`` or ``##`` heading: ``slide``;
* a markdown cell whose first line is a ``###`` heading: ``subslide``;
* a markdown cell whose first line is ``<!-- notes -->``: ``notes`` (speaker notes);
* a code cell whose output has a picture: ``subslide``, so that each figure, with
  the code that draws it and the text after it, gets a screen of its own;
* every other cell continues the slide before it (no ``slideshow`` metadata).

A language edition (``notebooks/zh/X``, ``notebooks/zh/pytorch/X``) takes the slide types the
rules give its source (``notebooks/X``, ``notebooks/pytorch/X``), cell by cell (same ids), so
the two decks have the same slides even where a run drew a figure in one and not in the other
(e.g. a live training plot in the run that trained, none in the run that loaded the models);
``tools/edition.py`` checks the same thing.

Only ``metadata.slideshow`` changes; sources, outputs and other metadata stay.
It is idempotent: a second run changes nothing, and a notebook that needs no
change is not rewritten. Run it again whenever notebooks change.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from notebook_files import parse_args, write_notebook

#: The tag of a markdown cell of speaker notes (the same tag tools/build_lecture.py reads).
NOTES_TAG = "notes"


def has_picture(cell) -> bool:
    """True if a code cell's outputs include an image (a figure)."""
    return any(key.startswith("image/") for out in cell.get("outputs", [])
               for key in out.get("data", {}))


def slide_type(cell, is_first_code_cell: bool) -> str:
    """The slide type the rules give one cell ('-' means: continue the current slide)."""
    first_line = cell.source.lstrip().split("\n", 1)[0].strip()
    if cell.cell_type == "code":
        if is_first_code_cell and "google.colab" in cell.source:
            return "skip"
        return "subslide" if has_picture(cell) else "-"
    if cell.cell_type != "markdown":
        return "-"
    if NOTES_TAG in cell.get("metadata", {}).get("tags", []):
        return "notes"
    if re.match(r"#{1,2}\s", first_line):
        return "slide"
    if re.match(r"###\s", first_line):
        return "subslide"
    if first_line.lower() == "<!-- notes -->":
        return "notes"
    return "-"


def slide_types(nb) -> list[str]:
    """The slide type of every cell of a notebook."""
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    return [slide_type(cell, i == first_code) for i, cell in enumerate(nb.cells)]


def language_source(path: Path) -> Path | None:
    """The notebook a language edition is translated from (notebooks/zh/pytorch/X ->
    notebooks/pytorch/X), or None for a source notebook."""
    parts = Path(path).resolve().parts
    if "notebooks" not in parts:
        return None
    i = len(parts) - 1 - parts[::-1].index("notebooks")
    if parts[i + 1:i + 2] != ("zh",):
        return None
    source = Path(*parts[:i + 1], *parts[i + 2:])
    return source if source.exists() else None


def apply(nb, source=None) -> bool:
    """Set every cell's ``metadata.slideshow`` by the rules (applied to ``source``, the notebook
    ``nb`` is translated from, when given: by cell id); True if anything changed."""
    kinds = slide_types(nb)
    if source is not None:
        by_id = dict(zip((c.get("id") for c in source.cells), slide_types(source)))
        kinds = [by_id.get(c.get("id"), kind) for c, kind in zip(nb.cells, kinds)]
    changed = False
    for cell, kind in zip(nb.cells, kinds):
        old = cell.metadata.get("slideshow")
        if kind == "-":
            if old is not None:
                del cell.metadata["slideshow"]
                changed = True
        elif old != {"slide_type": kind}:
            cell.metadata["slideshow"] = {"slide_type": kind}
            changed = True
    return changed


def process(path: Path, write: bool = True) -> bool:
    """Apply the rules to one notebook file; True if it changed (or would)."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    source_path = language_source(path)
    source = nbformat.read(source_path, as_version=nbformat.NO_CONVERT) if source_path else None
    if not apply(nb, source):
        return False
    if write:
        write_notebook(path, nb)
    return True


def main(argv: list[str] | None = None) -> int:
    paths, check = parse_args(__doc__.split("\n")[0], argv)
    stale = [p for p in paths if process(p, write=not check)]
    for path in stale:
        print(f"{path}: {'slide metadata is stale' if check else 'slide metadata updated'}")
    if check and stale:
        print("run 'make slide-metadata'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
