"""Notebooks fit for self-study in JupyterLab: speaker notes out of sight, markers that do not
change the rendering, figures that show untrusted, no stale widget state (issue 23).

    python tools/self_study.py migrate [NOTEBOOK ...]          # rewrite in place (idempotent)
    python tools/self_study.py migrate --check [NOTEBOOK ...]  # exit 1 if a notebook needs it
    python tools/self_study.py check [NOTEBOOK ...]            # every check below; exit 1 if any
    python tools/self_study.py widget-cells [NOTEBOOK ...]     # 01's and 02's widget cells (by id)

Default notebooks: notebooks/*.ipynb, notebooks/zh/*.ipynb, notebooks/pytorch/*.ipynb and
notebooks/zh/pytorch/*.ipynb (those that exist).

**Speaker notes** live in the metadata of the cell they belong to, never in a visible cell::

    cell.metadata["speaker_notes"] = "Say: ... (markdown, without a heading)"

The lecture decks (tools/build_lecture.py, tools/build_slides.py) put them back as reveal.js
notes (:func:`expand_notes`); tools/check_prose_numbers.py checks their numbers and
tools/glossary.py their Chinese terms. In a derived edition (notebooks/zh) a cell's notes are its
own translation, stamped against the source's notes in ``metadata["speaker_notes_edition"]``
(tools/edition.py). ``migrate`` moves each markdown cell tagged ``notes`` (it starts with
"**Speaker notes.**") into the cell before it, dropping that heading, and removes the cell; a
translated notes cell keeps its translation status against the source's migrated notes.

**Markers** (``<!-- fact ... -->``, ``<!-- pair ... -->``) must not change how the markdown
renders: a line that starts with ``<!--`` in the middle of a paragraph starts a raw HTML block
in CommonMark and swallows the rest of the paragraph. ``migrate`` joins such a line onto the end
of the line before it, without a space (so none lands before the punctuation that follows);
``check`` renders each markdown cell (and notes) with and without its markers
(:func:`marker_problems`, needs markdown-it-py) and reports every difference.

**Figures**: JupyterLab hides SVG in an untrusted notebook, so every committed image output has
``image/png`` (alone or beside SVG).

**Widget state**: none is saved. ``migrate`` removes ``metadata.widgets`` and the widget views
of the outputs (without their state JupyterLab would show "Error displaying widget: model not
found"), keeping their text form: a one-line hint (d2l_birnn/widgets.py), under the static
figure. ``check`` reports saved state, a saved widget view, and a text form that is a widget's
repr (``HBox(children=...``).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NOTES_KEY = "speaker_notes"
NOTES_STAMP_KEY = "speaker_notes_edition"
NOTES_TAG = "notes"
NOTES_HEADING = "**Speaker notes.**"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_REPR = re.compile(r"^\s*\[?['\"]?\s*(?:interactive|[A-Z]\w*Box|\w+Slider|Text)\(children=|"
                         r"^\s*(?:interactive|HBox|VBox|GridBox)\(")
MARKER = re.compile(r"<!--.*?-->", re.S)
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def default_notebooks(root: Path = ROOT) -> list[Path]:
    """Every edition's numbered notebooks that exist (English, Chinese, PyTorch)."""
    found = []
    for folder in ("notebooks", "notebooks/zh", "notebooks/pytorch", "notebooks/zh/pytorch"):
        found += sorted((root / folder).glob("[0-9][0-9]_*.ipynb"))
    return found


def read(path: Path):
    return nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)


def write(path: Path, nb) -> None:
    text = nbformat.writes(nb)
    Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_of(value) -> str:
    """A cell's source (or an output's text) as one string, whether stored as a list or not."""
    return "".join(value) if isinstance(value, list) else (value or "")


# ---------------------------------------------------------------------------
# Speaker notes
# ---------------------------------------------------------------------------
def is_notes_cell(cell) -> bool:
    """A visible speaker-notes cell: markdown tagged ``notes`` or starting with the heading."""
    if cell.get("cell_type") != "markdown":
        return False
    tags = cell.get("metadata", {}).get("tags", [])
    return NOTES_TAG in tags or text_of(cell.get("source")).lstrip().startswith(NOTES_HEADING)


def notes_of(cell) -> str:
    """The speaker notes kept in ``cell``'s metadata ("" when none)."""
    return text_of(cell.get("metadata", {}).get(NOTES_KEY, ""))


def strip_heading(text: str) -> str:
    """A notes cell's text without its "**Speaker notes.**" heading and the blank lines after it."""
    text = text.strip()
    if text.startswith(NOTES_HEADING):
        text = text[len(NOTES_HEADING):]
    return text.strip()


def notes_cell(text: str):
    """A markdown cell of speaker notes as reveal.js reads them (slide type ``notes``)."""
    cell = nbformat.v4.new_markdown_cell(f"{NOTES_HEADING}\n\n{text}")
    cell.metadata.update({"tags": [NOTES_TAG], "slideshow": {"slide_type": "notes"}})
    cell.pop("id", None)
    return cell


def expand_notes(nb):
    """A copy of ``nb`` with each cell's metadata notes put back as a notes cell after it (what
    the decks read); notes cells still visible in ``nb`` are kept as they are."""
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        cells.append(cell)
        notes = notes_of(cell)
        if notes:
            extra = notes_cell(notes)
            if "id" in cell:
                extra["id"] = f"{cell['id']}-notes"[:64]
            cells.append(extra)
    out.cells = cells
    return out


def _source_notes(source_nb) -> dict[str, tuple[str, str]]:
    """For a derived edition's migration: notes cell id -> (host cell id, the notes' text) of
    the source notebook, from its notes cells if not yet migrated, else from its metadata."""
    found, host = {}, None
    for cell in source_nb.cells:
        if is_notes_cell(cell):
            found[cell.get("id")] = (host, strip_heading(text_of(cell.source)))
        else:
            host = cell.get("id")
    return found


def _carry_stamp(cell, stamp: dict, english: str | None) -> None:
    """A translated notes cell's edition stamp, moved onto its host against the English notes:
    still 'translated' only if it was stamped against the English notes cell as it was."""
    if not stamp:
        return
    fresh = english is not None and stamp.get("source_sha256") in (
        sha256(f"{NOTES_HEADING}\n\n{english}"), sha256(english))
    cell.metadata[NOTES_STAMP_KEY] = {   # not fresh: the old hash stays, so the check says stale
        "axis": stamp.get("axis", "language"), "status": stamp.get("status", "untranslated"),
        "source_sha256": sha256(repair_markers(english)) if fresh else stamp.get("source_sha256", ""),
        "text_sha256": sha256(notes_of(cell))}


def migrate_notes(nb, source_nb=None) -> list[str]:
    """Move every visible notes cell of ``nb`` into the metadata of the cell before it (in
    place); ``source_nb``: the source notebook of a derived edition (for its notes' stamps).
    Returns one line per moved cell."""
    english = {}
    if source_nb is not None:
        english = {cid: text for cid, (_, text) in _source_notes(source_nb).items()}
        for cell in source_nb.cells:
            if notes_of(cell):
                english.setdefault(f"host:{cell.get('id')}", notes_of(cell))
    cells, lines = [], []
    for cell in nb.cells:
        if not is_notes_cell(cell):
            cells.append(cell)
            continue
        if not cells:
            raise ValueError(f"cell {cell.get('id')}: speaker notes before any cell: move them "
                             f"after the cell they belong to")
        host, text = cells[-1], repair_markers(strip_heading(text_of(cell.source)))
        old = notes_of(host)
        host.metadata[NOTES_KEY] = f"{old}\n\n{text}" if old else text
        if source_nb is not None:
            en = english.get(cell.get("id"), english.get(f"host:{host.get('id')}"))
            _carry_stamp(host, cell.metadata.get("edition") or {}, en)
        lines.append(f"cell {cell.get('id')}: notes moved into cell {host.get('id')}'s metadata")
    nb.cells = cells
    return lines


# ---------------------------------------------------------------------------
# Markers
# ---------------------------------------------------------------------------
def repair_markers(source: str) -> str:
    """``source`` with no line starting with ``<!--`` inside a paragraph: such a line is joined
    onto the end of the line before it; a marker that starts a paragraph and is followed by text
    on its line moves to that line's end. Fenced code is left alone."""
    out, fenced = [], False
    for line in source.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
        stripped = line.strip()
        if fenced or not stripped.startswith("<!--"):
            out.append(line)
            continue
        if out and out[-1].strip() and not FENCE.match(out[-1]):
            out[-1] = out[-1].rstrip() + stripped   # no space: "(x)<!-- -->. So" reads "(x). So"
            continue
        m = MARKER.match(stripped)
        rest = stripped[m.end():].strip() if m else ""
        out.append(f"{rest} {m.group(0)}" if m and rest else line)
    return "\n".join(out)


def _render(text: str) -> str:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(text)
    html = MARKER.sub("", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def strip_markers(source: str) -> str:
    return MARKER.sub("", source)


def marker_problem(source: str) -> str | None:
    """None when ``source`` renders the same with and without its markers, else the first
    differing rendered text (CommonMark, markdown-it-py)."""
    if "<!--" not in source:
        return None
    with_markers, without = _render(source), _render(strip_markers(source))
    if with_markers == without:
        return None
    start = next((i for i, (a, b) in enumerate(zip(with_markers, without)) if a != b),
                 min(len(with_markers), len(without)))
    return f"renders differently with its markers: ...{with_markers[max(0, start - 40):start + 60]}..."


def marker_problems(nb) -> list[str]:
    """One line per markdown cell (or speaker notes) whose markers change its rendering."""
    lines = []
    for index, cell in enumerate(nb.cells):
        texts = [("", text_of(cell.source))] if cell.cell_type == "markdown" else []
        texts += [(" (speaker notes)", notes_of(cell))] if notes_of(cell) else []
        for label, text in texts:
            problem = marker_problem(text)
            if problem:
                lines.append(f"cell {index} ({cell.get('id')}){label}: {problem}")
    return lines


# ---------------------------------------------------------------------------
# Figures and widgets
# ---------------------------------------------------------------------------
def figure_problems(nb) -> list[str]:
    """One line per image output without ``image/png`` (JupyterLab hides SVG untrusted)."""
    lines = []
    for index, cell in enumerate(nb.cells):
        for number, output in enumerate(cell.get("outputs", [])):
            kinds = [k for k in output.get("data", {}) if k.startswith("image/")]
            if kinds and "image/png" not in kinds:
                lines.append(f"cell {index} ({cell.get('id')}), output {number}: {', '.join(kinds)} "
                             f"without image/png: save figures as PNG (or PNG beside SVG)")
    return lines


def widget_problems(nb) -> list[str]:
    """Saved widget state; a widget's view in the outputs (without its state, JupyterLab shows
    "Error displaying widget: model not found"); a static form that is a widget's repr."""
    lines = [] if "widgets" not in nb.metadata else [
        "metadata.widgets: saved widget state (none is kept: `python tools/self_study.py migrate`)"]
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            plain = text_of(data.get("text/plain", ""))
            if WIDGET_REPR.search(plain):
                lines.append(f"cell {index} ({cell.get('id')}): an output shows as {plain[:40]!r} "
                             f"before it runs: display it through d2l_birnn.widgets (a one-line "
                             f"hint instead)")
            elif WIDGET_VIEW in data:
                lines.append(f"cell {index} ({cell.get('id')}): a widget's view is saved without "
                             f"its state: `python tools/self_study.py migrate` keeps its text form")
    return lines


# ---------------------------------------------------------------------------
# The migration and the checks
# ---------------------------------------------------------------------------
def source_notebook(path: Path, nb) -> Path | None:
    """A derived edition's source notebook (its metadata ``edition.source``), if it exists."""
    source = (nb.metadata.get("edition") or {}).get("source")
    if not source:
        return None
    candidate = (Path(path).parent / source).resolve()
    return candidate if candidate.exists() else None


def migrate(nb, source_nb=None) -> list[str]:
    """Migrate one parsed notebook in place; one line per change."""
    lines = migrate_notes(nb, source_nb)
    sources = {c.get("id"): text_of(c.source) for c in source_nb.cells} if source_nb else {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            old = text_of(cell.source)
            cell.source = repair_markers(old)
            _restamp(cell, old, sources.get(cell.get("id")))
            if cell.source != old:
                lines.append(f"cell {cell.get('id')}: marker joined onto the line before")
        if notes_of(cell) and repair_markers(notes_of(cell)) != notes_of(cell):
            cell.metadata[NOTES_KEY] = repair_markers(notes_of(cell))
            lines.append(f"cell {cell.get('id')}: a marker in its notes joined onto the line before")
    if nb.metadata.pop("widgets", None) is not None:
        lines.append("metadata.widgets removed (no saved widget state)")
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and data.get("text/plain"):
                del data[WIDGET_VIEW]
                lines.append(f"cell {cell.get('id')}: a widget's view removed (its state is not "
                             f"saved); its text form stays")
    return lines


def _restamp(cell, old_text: str, source_text: str | None) -> None:
    """A translation stamped against the source's text keeps its stamp when the repair of
    markers changes (only the line breaks of) the source's text or its own."""
    stamp = cell.metadata.get("edition")
    if not stamp or source_text is None or stamp.get("source_sha256") != sha256(source_text):
        return
    stamp["source_sha256"] = sha256(repair_markers(source_text))
    if stamp.get("text_sha256") == sha256(old_text):
        stamp["text_sha256"] = sha256(text_of(cell.source))


def migrate_paths(paths: list[Path], check: bool = False, log=print) -> int:
    """Migrate the notebooks (derived editions first, against their unmigrated sources);
    with ``check`` write nothing. Returns how many notebooks needed it."""
    parsed = {Path(p).resolve(): (Path(p), read(p)) for p in paths}
    order = sorted(parsed, key=lambda p: source_notebook(p, parsed[p][1]) is None)
    needed = 0
    for key in order:
        path, nb = parsed[key]
        before = nbformat.writes(nb)
        source = source_notebook(key, nb)
        source_nb = None if source is None else parsed[source][1] if source in parsed else read(source)
        lines = migrate(nb, copy.deepcopy(source_nb) if source_nb is not None else None)
        if nbformat.writes(nb) == before:
            continue
        needed += 1
        for line in lines:
            log(f"{path}: {line}")
        if not check:
            write(path, nb)
    return needed


# The interactive cells of notebooks 01 and 02, by cell id: their logic lives in
# d2l_birnn/widgets.py (one-line messages for wrong input, sliders two to a row at a fixed
# figure size, a one-line hint as the widget's static form). ``widget-cells`` writes them.
WIDGET_CELLS = {
    "b5d2e1df": """\
from d2l_birnn.widgets import blank_guesser_box

# A text box (press Enter to guess) and a slider for the number of guesses; a sentence without
# exactly one _ gets a one-line message. Without ipywidgets it shows the example once.
blank_guesser_box(show_guesses, 'the psychologist _ at the machine')""",
    "e2ecd619": """\
from d2l_birnn.widgets import trellis_sliders


def trellis_figure(k=3, T=10, blank=5, seed=18):
    \"\"\"The trellis of a random HMM with k states; blank: the position to fill in, 1..T.\"\"\"
    model = HMM.random(k, 4, rng=seed, concentration=0.5)   # peaked rows: clearer messages
    _, xs = model.sample(T, rng=seed + 1)
    fig = plotting.draw_hmm_trellis(model, xs, blank=blank - 1, symbols=symbols)  # a Python index
    plt.close(fig)   # shown once, through the display handle that the sliders update
    return fig


# The static figure, then (with ipywidgets and a live kernel) sliders that redraw it in place at
# the same size; the blank's slider runs from 1 to T.
sliders = trellis_sliders(trellis_figure, {'k': 3, 'T': 10, 'blank': 5, 'seed': 18},
                          {'k': (2, 6), 'T': (3, 16), 'blank': (1, 16), 'seed': (0, 20)},
                          {'blank': msg('nb02.trellis.blank')})""",
}


def replace_widget_cells(nb) -> list[str]:
    """Give the interactive cells (by id) their :data:`WIDGET_CELLS` source, outputs cleared."""
    lines = []
    for cell in nb.cells:
        new = WIDGET_CELLS.get(cell.get("id"))
        if cell.cell_type == "code" and new is not None and text_of(cell.source) != new:
            cell.source, cell.outputs, cell.execution_count = new, [], None
            lines.append(f"cell {cell.get('id')}: the widget cell's new source (run the notebook)")
    return lines


def problems(nb) -> list[str]:
    """Every self-study problem of one notebook."""
    visible = [f"cell {i} ({c.get('id')}): visible speaker notes: run `python tools/self_study.py "
               f"migrate`" for i, c in enumerate(nb.cells) if is_notes_cell(c)]
    return visible + marker_problems(nb) + figure_problems(nb) + widget_problems(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="notes into metadata, markers repaired, widget state removed")
    p.add_argument("notebooks", nargs="*", type=Path)
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if any needs it")
    p = sub.add_parser("check", help="visible notes, markers, figures, widget state; exit 1 if any")
    p.add_argument("notebooks", nargs="*", type=Path)
    p = sub.add_parser("widget-cells", help="write the interactive cells of 01 and 02 (by id)")
    p.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or default_notebooks()
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    if args.command == "widget-cells":
        for path in paths:
            nb = read(path)
            lines = replace_widget_cells(nb)
            for line in lines:
                print(f"{path}: {line}")
            if lines:
                write(path, nb)
        return 0
    if args.command == "migrate":
        needed = migrate_paths(paths, check=args.check)
        if args.check and needed:
            print(f"{needed} notebook(s) need `python tools/self_study.py migrate`", file=sys.stderr)
        return 1 if args.check and needed else 0
    total = 0
    for path in paths:
        found = problems(read(path))
        total += len(found)
        for line in found:
            print(f"{path}: {line}")
    print(f"{len(paths)} notebook(s) checked: {total or 'no'} problem(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
