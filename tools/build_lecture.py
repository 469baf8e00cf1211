"""Build the lecture deck from the notebooks and the lesson plan, offline: ``make lecture``.

    .venv/bin/python tools/build_lecture.py [--quick | --no-execute] [--out slides] [notebooks ...]

Writes ``slides/lecture.html`` (the 90-minute class) and ``slides/lecture-45.html``
(the 45-minute variant), reveal.js decks at 1280x720 that load everything from
``slides/_assets/`` (the per-notebook decks' assets: ``tools/build_slides.py``).

What goes in the deck is chosen by cell tags in the notebooks (cell metadata
``tags``), so a reader of a notebook sees them and the deck follows its edits:

* ``lecture``: the cell is a slide of the 90-minute deck. A markdown cell is
  shown whole; a code cell shows its figure (only the figure, scaled to fill
  the slide) or, without a figure, its outputs; its code is hidden.
* ``lecture-45``: the slide is also in the 45-minute deck.
* ``lecture-heading`` (markdown): show only the heading and the display math
  (``$$ ... $$``) of the cell; the prose is for the reader of the notebook.
* ``lecture-code``: show the code of this code cell too.
* ``live``: the lecturer runs this cell in class (shown with its code and a
  "live" mark; ``tests/test_lecture_live.py`` checks it takes at most 60 s).
* speaker notes: markdown in a cell's metadata (``"speaker_notes"``, out of the
  students' sight; ``tools/self_study.py``); they belong to the nearest
  ``lecture`` cell at or above that cell and appear in reveal.js's speaker view
  (S). (A visible markdown cell tagged ``notes``, the old form, still counts.)

Every slide must have speaker notes; the build stops and lists the slides
without. The title slide's notes come from the plan (``LECTURE.md``, between
``<!-- deck-notes:start -->`` and ``<!-- deck-notes:end -->``).

Figures are drawn again for projection: the notebooks that have lecture cells
are executed (nbclient, in a temporary copy; the notebooks are never written)
with ``MATPLOTLIBRC=tools/lecture.mplrc`` (large fonts, SVG with real text).
By default in full mode with the plan's environment (``<!-- lecture-env:
D2L_BIRNN_PRETRAINED=1 -->``: notebook 04 loads its shipped models instead of
training them); ``--quick`` runs in quick mode (CI: seconds, but quick-mode
numbers, said on the title slide); ``--no-execute`` uses the committed outputs.

The Chinese edition: ``--plan LECTURE.zh-CN.md --out slides/zh notebooks/zh/*.ipynb``
(``make lecture`` builds both). A deck's language is the notebooks' (their
first cell sets ``D2L_BIRNN_LANG``; ``build_slides.deck_language``): the title
and notes come from the plan, the deck's own few words from ``d2l_birnn/i18n.py``
(``lecture.*``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import html
import os
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_slides  # noqa: E402  (its offline assets and exporter are reused)
from self_study import expand_notes  # noqa: E402  (speaker notes kept in cell metadata)

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "LECTURE.md"
MPLRC = Path(__file__).resolve().parent / "lecture.mplrc"
TAG, TAG_45, HEADING, CODE, LIVE, NOTES = ("lecture", "lecture-45", "lecture-heading", "lecture-code",
                                           "live", "notes")
VARIANTS = {"90": ("lecture.html", TAG), "45": ("lecture-45.html", TAG_45)}
NOTES_FIRST_LINE = "**Speaker notes.**"
WIDTH, HEIGHT = 1280, 720
CELL_TIMEOUT = 1800
CSS = """<style type="text/css">
/* tools/build_lecture.py: one screen per slide at 1280x720, figures as large as fits. */
.reveal .slides { text-align: left; }
.reveal .slides section { padding: 0 8px; box-sizing: border-box; }
.reveal .lecture-where { font-size: 18px; color: #666; margin: 0 0 4px 0; }
.reveal .lecture-live { color: #b00; font-weight: bold; }
/* A figure slide: the figure fills the space under its one-line header. */
.reveal section:has(p.lecture-figure) .jp-RenderedSVG img,
.reveal section:has(p.lecture-figure) .jp-RenderedImage img {
  display: block; width: 100%; height: 600px; max-width: none; max-height: none;
  object-fit: contain; margin: 0; }
.reveal .jp-RenderedSVG img, .reveal .jp-RenderedImage img { max-width: 100%; max-height: 380px;
  object-fit: contain; }
.reveal .jp-OutputArea-output pre, .reveal .jp-InputArea pre { font-size: 19px; }
/* A shown cell's printed lines and figure follow each other without reveal.js's block margins. */
.reveal .jp-OutputArea-output pre { margin: 0; padding: 2px 0; }
.reveal .jp-OutputArea-output img { margin: 4px 0; }
.reveal .lecture-title h1 { font-size: 48px; }
/* The plan's comparison table (six rows since notebook 06) fits one 720 px slide. */
.reveal table { font-size: 18px; }
</style>
"""


# ---------------------------------------------------------------------------
# The plan and the tags
# ---------------------------------------------------------------------------
def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def plan_env(plan: Path = PLAN) -> dict[str, str]:
    """The environment the plan runs the notebooks in (``<!-- lecture-env: K=V ... -->``)."""
    if not plan.exists():
        return {}
    m = re.search(r"<!--\s*lecture-env:(.*?)-->", plan.read_text(encoding="utf-8"))
    return dict(pair.split("=", 1) for pair in m.group(1).split()) if m else {}


def plan_title_and_notes(plan: Path = PLAN, lang: str = "en") -> tuple[str, str]:
    """(the plan's first heading, the title slide's speaker notes)."""
    default_title = build_slides.text("lecture.default_title", lang)
    default_notes = build_slides.text("lecture.default_notes", lang, plan=plan.name)
    if not plan.exists():
        return default_title, default_notes
    text = plan.read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), default_title)
    m = re.search(r"<!-- deck-notes:start -->(.*?)<!-- deck-notes:end -->", text, re.S)
    return title, (m.group(1).strip() if m else default_notes)


def plan_table_slide(plan: Path = PLAN, lang: str = "en") -> tuple[str, str] | None:
    """(slide, notes) of the plan's comparison table (between the fill-in-table markers and its
    ``<!-- table-notes:start -->`` ... ``end`` notes), or None when the plan has no table."""
    if not plan.exists():
        return None
    text = plan.read_text(encoding="utf-8")
    table = re.search(r"<!-- fill-in-table:start -->(.*?)<!-- fill-in-table:end -->", text, re.S)
    if not table or "|" not in table.group(1):
        return None
    notes = re.search(r"<!-- table-notes:start -->(.*?)<!-- table-notes:end -->", text, re.S)
    rows = [line for line in table.group(1).strip().splitlines() if line.startswith("|")]
    slide = f"## {build_slides.text('lecture.table_title', lang)}\n\n" + "\n".join(rows)
    return slide, (notes.group(1).strip() if notes else "")


def has_lecture_cells(nb) -> bool:
    return any(TAG in tags(c) for c in nb.cells)


def heading_only(source: str) -> str:
    """The first heading of a markdown cell (else its first line) and its display math blocks."""
    lines = source.strip().splitlines()
    heading = next((line for line in lines if re.match(r"#{1,6}\s", line)), lines[0] if lines else "")
    maths = re.findall(r"\$\$.*?\$\$", source, re.S)
    return "\n\n".join([heading, *maths])


# ---------------------------------------------------------------------------
# Executing the notebooks for projection
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def environment(values: dict[str, str]):
    """Set environment variables (for the kernel nbclient starts) and restore them after."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_env(mode: str, plan: Path = PLAN) -> dict[str, str]:
    """The environment of a build: quick mode, or full mode with the plan's settings."""
    env = {"MATPLOTLIBRC": str(MPLRC)}
    if mode == "quick":
        env["D2L_BIRNN_QUICK"] = "1"
    else:
        env.update({"D2L_BIRNN_QUICK": "0", **plan_env(plan)})
    return env


def execute(nb, path: Path, env: dict[str, str], timeout: int = CELL_TIMEOUT):
    """Run a copy of ``nb`` (from ``path``'s folder) with SVG figures; returns the executed copy.

    Cell timings are recorded in each cell's ``metadata.execution``.
    """
    from nbclient import NotebookClient

    run = copy.deepcopy(nb)
    svg = nbformat.v4.new_code_cell("%config InlineBackend.figure_formats = ['svg']")
    run.cells.insert(0, svg)
    with environment(env):
        NotebookClient(run, timeout=timeout, kernel_name="python3", record_timing=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    run.cells.pop(0)
    return run


def cell_seconds(cell) -> float:
    """Wall time of an executed cell, from nbclient's timing metadata."""
    import datetime

    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return float("nan")
    parse = datetime.datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def time_live_cells(path: Path, env: dict[str, str]) -> list[tuple[str, str, float]]:
    """Run ``path`` up to its last ``live`` cell (the cells it depends on come before it)
    and return ``(cell id, first line, seconds)`` of every live cell."""
    nb = nbformat.read(path, as_version=4)
    live = [i for i, c in enumerate(nb.cells) if LIVE in tags(c) and c.cell_type == "code"]
    if not live:
        return []
    nb.cells = nb.cells[: live[-1] + 1]
    run = execute(nb, path, env)
    def first_line(cell) -> str:
        return (build_slides.NBVAL_MARKER.sub("", cell.source).strip().splitlines() or [""])[0][:60]

    return [(run.cells[i].get("id", str(i)), first_line(run.cells[i]), cell_seconds(run.cells[i]))
            for i in live]


# ---------------------------------------------------------------------------
# The deck notebook
# ---------------------------------------------------------------------------
def _slide(cell, slide_type: str):
    cell = copy.deepcopy(cell)
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    return cell


def _shown_code_cell(cell, number: str, heading: str, lang: str = "en"):
    """A code cell as a slide: [where it is from, the cell with code hidden or shown]."""
    show_code = CODE in tags(cell) or LIVE in tags(cell)
    cell = _slide(cell, "-")
    cell.source = build_slides.NBVAL_MARKER.sub("", cell.source)
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"notebook {number}, cell {cell.get('id')}: {errors[0].ename}: "
                           f"{errors[0].evalue}")
    figures = [o for o in cell.outputs if any(k.startswith("image/") for k in o.get("data", {}))]
    if figures and not show_code:
        cell.outputs = figures[:1]  # one large figure per slide
    if not show_code:
        cell.metadata["transient"] = {"remove_source": True}
    live = (f' <span class="lecture-live">&#9654; {html.escape(build_slides.text("lecture.live", lang))}'
            '</span>' if LIVE in tags(cell) else "")
    kind = "lecture-where lecture-figure" if figures and not show_code else "lecture-where"
    where = nbformat.v4.new_markdown_cell(
        f'<p class="{kind}">{number} &middot; {html.escape(heading)}{live}</p>')
    return [_slide(where, "slide"), cell]


def lecture_cells(nb, number: str, tag: str, lang: str = "en") -> list:
    """The deck's cells from one notebook: slides with the tag, each followed by its notes."""
    out, heading, slide_open = [], "", False
    for cell in expand_notes(nb).cells:  # each cell's metadata notes as a notes cell after it
        if cell.cell_type == "markdown" and re.match(r"#{1,3}\s", cell.source.lstrip()):
            heading = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
        if NOTES in tags(cell):
            if slide_open:
                out.append(_slide(cell, "notes"))
            continue
        if TAG not in tags(cell):
            continue
        slide_open = tag in tags(cell)
        if not slide_open:
            continue
        if cell.cell_type == "code":
            out += _shown_code_cell(cell, number, heading, lang)
        else:
            slide = _slide(cell, "slide")
            if HEADING in tags(cell):
                slide.source = heading_only(cell.source)
            out.append(slide)
    return out


def deck_notebook(notebooks: dict[str, object], tag: str, title: str, title_notes: str, mode: str,
                  table: tuple[str, str] | None = None, lang: str = "en"):
    """One notebook holding the whole deck: a title slide, every notebook's slides, and the
    plan's comparison table (``table``: (slide, notes) from :func:`plan_table_slide`); the
    deck's own words in ``lang``."""
    note = "" if mode == "full" else build_slides.text(f"lecture.mode.{mode}", lang)
    deck = nbformat.v4.new_notebook()
    line = build_slides.text("lecture.title_line", lang, numbers=", ".join(notebooks), mode=note)
    first = nbformat.v4.new_markdown_cell(
        f'<div class="lecture-title">\n\n# {title}\n\n</div>\n\n{line}')
    deck.cells = [_slide(first, "slide"),
                  _slide(nbformat.v4.new_markdown_cell(f"{NOTES_FIRST_LINE}\n\n{title_notes}"), "notes")]
    for number, nb in notebooks.items():
        deck.cells += lecture_cells(nb, number, tag, lang)
    if table is not None:
        deck.cells.append(_slide(nbformat.v4.new_markdown_cell(table[0]), "slide"))
        if table[1]:
            deck.cells.append(_slide(nbformat.v4.new_markdown_cell(f"{NOTES_FIRST_LINE}\n\n{table[1]}"),
                                     "notes"))
    return deck


def slides_without_notes(deck) -> list[str]:
    """The first line of every slide of ``deck`` that has no speaker notes."""
    missing, current, has_notes = [], None, False
    for cell in deck.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind == "slide":
            if current is not None and not has_notes:
                missing.append(current)
            current, has_notes = (cell.source.strip().splitlines() or [""])[0][:80], False
        elif kind == "notes":
            has_notes = True
    if current is not None and not has_notes:
        missing.append(current)
    return missing


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
def write_deck(deck, out: Path, name: str, lang: str = "en") -> Path:
    slides = build_slides.exporter(lang)
    slides.reveal_scroll, slides.reveal_transition = False, "none"
    slides.reveal_width, slides.reveal_height = str(WIDTH), str(HEIGHT)
    slides.exclude_input_prompt = slides.exclude_output_prompt = True
    body, _ = slides.from_notebook_node(deck, resources={"metadata": {"name": Path(name).stem}})
    path = out / name
    path.write_text(body.replace("</head>", CSS + "</head>", 1), encoding="utf-8")
    return path


def build(notebooks: list[Path], out: Path, mode: str = "full", plan: Path = PLAN,
          allow_missing_notes: bool = False, log=print) -> list[Path]:
    """Write ``lecture.html`` and ``lecture-45.html`` into ``out``; returns their paths.

    ``mode``: 'full' (the plan's environment), 'quick' or 'committed' (no execution).
    """
    if mode not in ("full", "quick", "committed"):
        raise ValueError(f"mode must be 'full', 'quick' or 'committed', got {mode!r}")
    chosen, languages = {}, {}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if not has_lecture_cells(nb):
            continue
        languages[path.name] = build_slides.notebook_language(nb)
        if mode != "committed":
            log(f"running {path.name} ({mode} mode) ...")
            nb = execute(nb, path, run_env(mode, plan))
        chosen[path.name[:2]] = nb
    if not chosen:
        raise RuntimeError("no notebook has a cell tagged 'lecture' yet; tag cells as "
                           "/work/coord/lecture_tags.md (or LECTURE.md) says")
    if len(set(languages.values())) > 1:
        raise RuntimeError(f"the notebooks are of several languages ({languages}); build each edition's "
                           f"deck apart, with its own plan (e.g. notebooks/zh/*.ipynb --plan "
                           f"LECTURE.zh-CN.md --out slides/zh)")
    lang = next(iter(languages.values()))
    out.mkdir(parents=True, exist_ok=True)
    build_slides.install_assets(out)
    title, title_notes = plan_title_and_notes(plan, lang)
    decks = []
    for variant, (name, tag) in VARIANTS.items():
        deck = deck_notebook(chosen, tag, title, title_notes, mode, plan_table_slide(plan, lang), lang)
        missing = slides_without_notes(deck)
        if missing and not allow_missing_notes:
            raise RuntimeError(f"{len(missing)} slide(s) of the {variant}-minute deck have no speaker "
                               f"notes (metadata 'speaker_notes' of the slide's cell): "
                               + "; ".join(repr(m) for m in missing))
        decks.append(write_deck(deck, out, name, lang))
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "slides", help="output folder")
    parser.add_argument("--plan", type=Path, default=PLAN, help="the lesson plan (LECTURE.md)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="run the notebooks in quick mode (CI)")
    group.add_argument("--no-execute", action="store_true", help="use the committed outputs")
    parser.add_argument("--allow-missing-notes", action="store_true",
                        help="build even if some slides have no speaker notes (drafts)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    mode = "quick" if args.quick else "committed" if args.no_execute else "full"
    try:
        decks = build(notebooks, args.out, mode, args.plan, args.allow_missing_notes)
    except Exception as e:  # a cell's error, missing notes, no npm: say it, no traceback
        print(f"error: {e}", file=sys.stderr)
        return 1
    for deck in decks:
        print(f"{deck} (open it in a browser; S opens the speaker notes; works offline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
