"""A small synthetic notebook tagged for the lecture (tests/test_lecture.py, test_lecture_live.py).

The real notebooks get their tags later (from /work/coord/lecture_tags.md); the
builder and the tests run on this one in the meantime, and on both afterwards.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_lecture  # noqa: E402
from self_study import expand_notes, migrate_notes  # noqa: E402,F401  (notes in cell metadata)


def notes(text: str):
    """A visible notes cell (the old form): :func:`synthetic_notebook` moves it into the metadata
    of the cell before it, as ``tools/self_study.py migrate`` does."""
    cell = nbformat.v4.new_markdown_cell(f"{build_lecture.NOTES_FIRST_LINE}\n\n{text}")
    cell.metadata.update({"tags": ["notes"], "jupyter": {"source_hidden": True}})
    return cell


def tagged(cell, *names: str):
    cell.metadata["tags"] = list(names)
    return cell


def synthetic_notebook(path: Path, live_seconds: float = 0.2) -> Path:
    """Write a tagged notebook with a title, a formula, a figure, a live cell and a shown cell."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        tagged(md("# 98: A synthetic lecture\n\nWhat a notebook says to its reader."), "lecture",
               "lecture-45"),
        notes("Welcome. The number to quote: 42."),
        code("import time\nimport d2l_birnn as d2l\nimport matplotlib.pyplot as plt\n"
             "n = d2l.budget(full=30, quick=10)"),
        tagged(md("## 1. A recursion\n\n" + "A long paragraph for the reader. " * 40 +
                  "\n\n$$\\overrightarrow{h}_t = f(x_t, \\overrightarrow{h}_{t-1}), \\qquad "
                  "\\overleftarrow{h}_t = g(x_t, \\overleftarrow{h}_{t+1})$$\n\nMore prose."),
               "lecture", "lecture-heading", "lecture-45"),
        notes("Say: two chains, one each way. Ask: what does $h_t$ know?"),
        md("Prose that is not in the deck."),
        tagged(code("# NBVAL_CHECK_OUTPUT\nprint('a number:', n)\n"
                    "fig, ax = plt.subplots()\n"
                    "ax.plot(range(n), [i * i for i in range(n)], label='curve-of-squares')\n"
                    "ax.plot(range(n), [2 * i for i in range(n)], '--', label='doubles')\n"
                    "ax.set(xlabel='step t', ylabel='value', title='Two curves')\n"
                    "ax.legend()\nplt.show()"), "lecture", "lecture-45"),
        notes("The figure: squares outgrow doubles after t = 2."),
        tagged(code(f"time.sleep({live_seconds})\nprint('live result:', n * 2)"), "lecture", "live"),
        notes("Run it live; it prints twice n."),
        tagged(code("def forward_step(pi, A, b):\n    return (pi * b) @ A"), "lecture", "lecture-code"),
        notes("The code to show. Exercise 02.1 asks for it."),
        tagged(md("Not a lecture cell: notes after it are ignored."), "other"),
    ]
    migrate_notes(nb)   # the notes into their slides' metadata, out of the students' sight
    nbformat.write(nb, path)
    return path


SLIDES_90 = 6  # title + 5 tagged cells
SLIDES_45 = 4  # title + 3 tagged "lecture-45"
