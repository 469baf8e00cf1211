"""What the notebook tools share: which notebooks to work on, and writing one back.

Used by tools/add_slide_metadata.py and tools/sync_setup_cell.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# The four editions' folders, relative to notebooks/ (tools/edition.py keeps them in sync):
# {edition: (folder, language, framework)}.
EDITION_DIRS = {
    "en": (".", "en", "mxnet"),
    "zh": ("zh", "zh", "mxnet"),
    "pytorch": ("pytorch", "en", "torch"),
    "zh/pytorch": ("zh/pytorch", "zh", "torch"),
}


def edition_notebooks(notebooks: Path = NOTEBOOKS, language: str | None = None) -> list[Path]:
    """Every notebook of every edition that exists (only those in ``language`` if given), the
    editions in the order of ``EDITION_DIRS``."""
    return [path for folder, lang, _ in EDITION_DIRS.values() if language in (None, lang)
            for path in sorted((notebooks / folder).glob("[0-9][0-9]_*.ipynb"))]


def parse_args(description: str, argv: list[str] | None) -> tuple[list[Path], bool]:
    """(notebooks to process, --check given): the given paths or notebooks/*.ipynb."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    return args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb")), args.check


def write_notebook(path: Path, nb) -> None:
    """Write ``nb`` as nbformat does, ending with a newline as editors save it."""
    text = nbformat.writes(nb)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
