"""Build the lecture deck from the notebooks and the lesson plan, offline: ``make lecture``.

    .venv/bin/python tools/build_lecture.py [--quick | --no-execute] [--no-handouts]
                                            [--out slides] [--plan LECTURE.md] [notebooks ...]

Writes ``slides/lecture.html`` (the 90-minute class) and ``slides/lecture-45.html``
(the 45-minute variant), reveal.js decks at 1280x720 that load everything from
``slides/_assets/`` (the per-notebook decks' assets: ``tools/build_slides.py``), and
their handouts: ``lecture.pdf`` / ``lecture-45.pdf`` (one slide a page, fragments
collapsed; Chromium's PDF, through Playwright) and ``lecture-contact-sheet.png`` /
``lecture-45-contact-sheet.png`` (every slide on one image). ``--no-handouts`` skips them.

Where the slides come from:

* cell tags in the notebooks (cell metadata ``tags``): ``lecture`` (a slide of the
  90-minute deck), ``lecture-45`` (also of the 45-minute deck), ``live`` (the lecturer
  runs this cell in class: ``tests/test_lecture_live.py`` checks it takes at most 60 s);
* the cells' speaker notes (metadata ``speaker_notes``, out of the students' sight:
  ``tools/self_study.py``): a lecture cell's notes, and those of the cells after it up to
  the next lecture cell, are its slide's notes (reveal.js's speaker view, S);
* the deck data of the deck's language, ``tools/lecture_deck/<lang>.toml``, keyed by cell
  id: each slide's title (the sentence the slide shows), its steps (each a fragment), the
  teaching lines of a code cell (at most 12; the plumbing stays in the notebook), staged
  figures (``stages``: drawn here from ``d2l_birnn.plotting``, one fragment per stage),
  labels renamed for students (``rename``), the slide's time rows in the plan (``min90``,
  ``min45``; every speaker note starts with its minute mark) and the order of the slides
  (``[deck] order90 / order45``), with the frame: a title slide for students, an outline,
  the plan's comparison table, five things to remember, where this leads and the
  self-study list;
* the plan (``LECTURE.md``): the title and the title slide's notes (between
  ``<!-- deck-notes:start -->`` and ``<!-- deck-notes:end -->``), the comparison table and
  its notes, the time tables (each minute mark must be one of their rows; they must add
  up to 90 and 45 minutes) and the minutes of an exercise (``<!-- exercise-minutes: 3 -->``);
* exercises: a cell whose data names an ``exercise`` gives a question slide (where and how
  to answer: ``d2l.check(id, ...)`` in its notebook) and an answer slide, whose text is
  the explanation of ``d2l_birnn.exercises`` in the deck's language.

A code cell shows its figure (scaled to fill the slide) or its outputs; with teaching
lines, the code shows first and its output follows as a fragment (a live slide: code
first, output after the cell runs). Without deck data for a cell (a new notebook, the
tests' synthetic one) the cell's heading and display math (``lecture-heading``) or its
whole text is shown, and ``lecture-code`` shows a code cell's code.

Every slide must have speaker notes; the build stops and lists the slides without.

Figures are drawn again for projection: the notebooks that have lecture cells are
executed (nbclient, in a temporary copy; the notebooks are never written) with
``MATPLOTLIBRC=tools/lecture.mplrc`` (large fonts, SVG with real text). By default in
full mode with the plan's environment (``<!-- lecture-env: D2L_BIRNN_PRETRAINED=1 -->``:
notebook 04 loads its shipped models instead of training them); ``--quick`` runs in
quick mode (CI: quick-mode numbers, said on the title slide); ``--no-execute`` uses the
committed outputs (PNG figures).

The Chinese edition: ``--plan LECTURE.zh-CN.md --out slides/zh notebooks/zh/*.ipynb``
(``make lecture`` builds both). A deck's language is the notebooks' (their first cell
sets ``D2L_BIRNN_LANG``; ``build_slides.deck_language``).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import html
import io
import os
import re
import sys
from pathlib import Path

import nbformat

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: its backport (pyproject's dev extra installs it)
    import tomli as tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_slides  # noqa: E402  (its offline assets and exporter are reused)
from self_study import expand_notes, strip_heading  # noqa: E402  (speaker notes in cell metadata)

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "LECTURE.md"
MPLRC = Path(__file__).resolve().parent / "lecture.mplrc"
DECK_DATA = Path(__file__).resolve().parent / "lecture_deck"
TAG, TAG_45, HEADING, CODE, LIVE, NOTES = ("lecture", "lecture-45", "lecture-heading", "lecture-code",
                                           "live", "notes")
VARIANTS = {"90": ("lecture.html", TAG), "45": ("lecture-45.html", TAG_45)}
MINUTES = {"90": 90, "45": 45}
FRAME = ("title", "outline", "table", "summary", "where", "selfstudy")
NOTES_FIRST_LINE = "**Speaker notes.**"   # the old visible notes cells start with it
MAX_CODE_LINES = 12
WIDTH, HEIGHT = 1280, 720
CELL_TIMEOUT = 1800
CSS = """<style type="text/css">
/* tools/build_lecture.py: one screen per slide at 1280x720, type for a lecture hall
   (body 30 px, code 24 px, titles 40 px; tests/test_lecture.py measures them). */
.reveal .slides { text-align: left; }
.reveal .slides > section { padding: 0 !important; }
.reveal .slides > section > section { padding: 0 20px !important; box-sizing: border-box !important; }
.reveal .jp-RenderedHTMLCommon, .reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon li,
.reveal .jp-RenderedHTMLCommon td, .reveal .jp-RenderedHTMLCommon th { font-size: 30px; line-height: 1.3; }
.reveal .jp-RenderedHTMLCommon p { margin: 0 0 12px 0; }
.reveal .jp-RenderedHTMLCommon ul, .reveal .jp-RenderedHTMLCommon ol { margin: 0 0 8px 0; }
.reveal .jp-RenderedHTMLCommon li { margin: 0 0 6px 0; }
.reveal h2.lecture-slide-title { font-size: 40px; line-height: 1.15; margin: 8px 0 14px 0;
  text-transform: none; color: #1a1a1a; font-weight: 600; }
.reveal h1, .reveal h2 { text-transform: none; }
.reveal h2.lecture-divider { font-size: 56px; line-height: 1.2; margin: 200px 0 20px 0; color: #08519c; }
.reveal .lecture-title h1 { font-size: 54px; line-height: 1.15; text-transform: none; margin: 30px 0 24px 0; }
.reveal .jp-RenderedHTMLCommon code { font-size: 26px; }
.reveal .jp-Cell, .reveal .jp-Cell-inputWrapper, .reveal .jp-Cell-outputWrapper, .reveal .jp-InputArea,
.reveal .jp-OutputArea, .reveal .jp-RenderedHTMLCommon { width: 100%; max-width: 100%;
  box-sizing: border-box; padding-left: 0; padding-right: 0; margin-left: 0; margin-right: 0; }
.reveal .jp-InputArea pre, .reveal div.highlight > pre, .reveal .jp-OutputArea-output pre {
  font-size: 24px !important; line-height: 1.25;
  white-space: pre-wrap; margin: 0; padding: 2px 0; }
.reveal .jp-InputArea { margin: 0 0 10px 0; }
.reveal .jp-InputArea .highlight { background: #f5f5f5; }
.reveal .jp-OutputArea-output pre { color: #08306b; }
.reveal .lecture-live { color: #b00; font-weight: bold; font-size: 28px; }
.reveal .lecture-where { font-size: 28px; color: #444; }
.reveal .lecture-answer { font-size: 30px; }
.reveal span.blank { display: inline-block; width: 3.2em; border-bottom: 3px solid #b00; height: 1em;
  vertical-align: baseline; }
/* A figure slide: the figure fills the space under its title (one, two or three lines). */
.reveal .jp-RenderedSVG img, .reveal .jp-RenderedImage img { display: block; width: 100%;
  max-width: none; max-height: 560px; object-fit: contain; margin: 0; }
.reveal section:has(h2.lecture-lines-1) .jp-OutputArea-output img { height: 600px; max-height: none; }
.reveal section:has(h2.lecture-lines-2) .jp-OutputArea-output img { height: 550px; max-height: none; }
.reveal section:has(h2.lecture-lines-3) .jp-OutputArea-output img { height: 500px; max-height: none; }
.reveal .lecture-stack { position: relative; width: 100%; height: 500px; }
.reveal .lecture-stack-1 { height: 580px; }
.reveal .lecture-stack-2 { height: 550px; }
.reveal .lecture-stack img { position: absolute; top: 0; left: 0; width: 100%; height: 100%;
  object-fit: contain; margin: 0; background: white; }
/* The comparison table fits one slide. */
.reveal table { margin: 0; }
.reveal .jp-RenderedHTMLCommon td, .reveal .jp-RenderedHTMLCommon th { font-size: 28px; padding: 4px 8px; }
.reveal .slide-number { font-size: 24px; }
/* The PDF handout: one page a slide, no empty page after the last. */
html.print-pdf .reveal .slides .pdf-page:last-child { page-break-after: auto !important;
  break-after: auto !important; }
</style>
"""


# ---------------------------------------------------------------------------
# The plan, the deck data and the tags
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


def plan_time_rows(plan: Path = PLAN) -> dict[str, list[str]]:
    """The time column of the plan's two time tables: {'90': ['0-3', ...], '45': [...]}
    (the first table whose rows start with ``| a-b |`` is the 90-minute class)."""
    if not plan.exists():
        return {}
    tables, current = [], None
    for line in plan.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d+-\d+)\s*\|", line)
        if m:
            if current is None:
                current = []
                tables.append(current)
            current.append(m.group(1))
        elif not line.startswith("|"):
            current = None
    return dict(zip(("90", "45"), tables))


def time_table_problems(rows: list[str], total: int) -> list[str]:
    """What is wrong with a time table's rows: gaps, overlaps, not starting at 0 or ending at ``total``."""
    problems, end = [], 0
    for row in rows:
        a, b = (int(v) for v in row.split("-"))
        if a != end:
            problems.append(f"row {row} starts at {a}, the row before ends at {end}")
        if b <= a:
            problems.append(f"row {row} ends before it starts")
        end = b
    if end != total:
        problems.append(f"the rows end at {end} minutes, not {total}")
    return problems


def plan_exercise_minutes(plan: Path = PLAN) -> int:
    """The minutes the plan gives an exercise (``<!-- exercise-minutes: 3 -->``; default 3)."""
    text = plan.read_text(encoding="utf-8") if plan.exists() else ""
    m = re.search(r"<!--\s*exercise-minutes:\s*(\d+)\s*-->", text)
    return int(m.group(1)) if m else 3


def plan_table_slide(plan: Path = PLAN, lang: str = "en") -> tuple[str, str] | None:
    """(slide, notes) of the plan's comparison table (between the fill-in-table markers and its
    ``<!-- table-notes:start -->`` ... ``end`` notes), or None when the plan has no table. The
    slide keeps the columns a hall can read: notebook, model, context, both sides, left only,
    gain (the seed ranges and sizes are in the notes and the plan)."""
    if not plan.exists():
        return None
    text = plan.read_text(encoding="utf-8")
    table = re.search(r"<!-- fill-in-table:start -->(.*?)<!-- fill-in-table:end -->", text, re.S)
    if not table or "|" not in table.group(1):
        return None
    notes = re.search(r"<!-- table-notes:start -->(.*?)<!-- table-notes:end -->", text, re.S)
    rows = [line for line in table.group(1).strip().splitlines() if line.startswith("|")]
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    keep = [1, 2, 3, 5, 6, 7] if all(len(c) == 8 for c in cells) else range(len(cells[0]))
    seeds = r"\s*[(（][^()（）]*(?:seeds|种子)[^()（）]*[)）]$"   # the seed ranges: in the notes
    short = [[re.sub(seeds, "", c[i]) for i in keep] for c in cells]
    header = deck_data(lang).get("words", {}).get("table_header")   # short column names
    if header and len(header.split("|")) == len(short[0]):
        short[0] = [h.strip() for h in header.split("|")]
    slide = "\n".join("| " + " | ".join(_short(c) for c in row) + " |" for row in short)
    title = html.escape(build_slides.text("lecture.table_title", lang), quote=False)
    return (f'<h2 class="lecture-slide-title lecture-lines-1">{title}</h2>\n\n{slide}',
            notes.group(1).strip() if notes else "")


def _short(cell: str) -> str:
    """A table cell as the slide shows it: '8+8 characters vs 8 characters' as '8+8 vs 8',
    '+25.4 points' as '+25.4', no ', 10 characters a side' after a model's name."""
    chars = r" ?(?:characters|个字符)"
    cell = re.sub(rf"(\d+\+\d+){chars} ?(vs|对) ?(\d+){chars}", r"\1 \2 \3", cell)
    cell = re.sub(r"^([+-]\d+(?:\.\d+)?) ?(?:points|个百分点)$", r"\1", cell)
    cell = re.sub(r"[,，] ?(?:乘积，)?每侧 ?\d+ ?个字符$", "", cell)
    return re.sub(r", (?:product, )?\d+ characters a side$", "", cell)


def deck_data(lang: str, path: Path | None = None) -> dict:
    """The deck data of ``lang`` (``tools/lecture_deck/<lang>.toml``), {} when there is none.

    A cell's teaching lines (``code``) left out of another language's data are the English ones
    (the editions share their code)."""
    path = path if path is not None else DECK_DATA / f"{lang}.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        data = tomllib.load(f)
    english = DECK_DATA / "en.toml"
    if lang != "en" and english.exists() and path.parent == DECK_DATA:
        with open(english, "rb") as f:
            for cid, entry in tomllib.load(f).get("cells", {}).items():
                if "code" in entry and cid in data.get("cells", {}):
                    data["cells"][cid].setdefault("code", entry["code"])
    return data


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


# Run first in each notebook the deck executes: SVG figures with real text, and log axes labelled
# 0.01 rather than 10^-2 (a superscript is 0.7 of the tick size: under 22 px on the slide).
DECK_KERNEL_SETUP = """\
%config InlineBackend.figure_formats = ['svg']
import matplotlib.scale as _scale, matplotlib.ticker as _ticker
class _PlainLogFormatter(_ticker.LogFormatter):
    def _num_to_string(self, x, vmin, vmax):
        return f"{x:g}"
_scale.LogFormatterSciNotation = _PlainLogFormatter
del _scale, _ticker"""


def execute(nb, path: Path, env: dict[str, str], timeout: int = CELL_TIMEOUT):
    """Run a copy of ``nb`` (from ``path``'s folder) with SVG figures; returns the executed copy.

    Cell timings are recorded in each cell's ``metadata.execution``.
    """
    # The nbclient wait (README): a reply already there can go unnoticed until the whole cell
    # timeout; the replica's client polls the shell channel in 1 s slices, bounding that to a second.
    from colab_replica import polling_client

    run = copy.deepcopy(nb)
    svg = nbformat.v4.new_code_cell(DECK_KERNEL_SETUP)
    run.cells.insert(0, svg)
    with environment(env):
        polling_client()(run, timeout=timeout, kernel_name="python3", record_timing=True,
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
# Slides
# ---------------------------------------------------------------------------
def _slide(cell, slide_type: str):
    cell = copy.deepcopy(cell)
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    return cell


def _md(source: str, slide_type: str = "-"):
    return _slide(nbformat.v4.new_markdown_cell(source), slide_type)


def _title_lines(title: str) -> int:
    """About how many lines a 40 px title takes on a 1280 px slide (for the figure's height)."""
    # TeX counts as typed: the PDF's page layout is measured before MathJax typesets it.
    width = sum(2 if ord(c) > 0x2E80 else 1 for c in title)   # a CJK character is two wide
    return min(3, 1 + width // 58)


def title_cell(title: str, divider: bool = False):
    """A slide's first cell: its title (the sentence the slide shows), as HTML (no anchor link)."""
    kind = "lecture-divider" if divider else f"lecture-slide-title lecture-lines-{_title_lines(title)}"
    return _md(f'<h2 class="{kind}">{html.escape(title, quote=False)}</h2>', "slide")


def steps_cells(steps: list[str], first_kind: str = "-") -> list:
    """One cell per step: the first shows with the title (``first_kind``), each next one is a fragment."""
    return [_md(step.strip(), first_kind if i == 0 else "fragment") for i, step in enumerate(steps)]


HTML_TAGS = {"a", "b", "i", "p", "br", "em", "strong", "code", "span", "div", "sub", "sup", "u",
             "img", "ul", "ol", "li", "table", "tr", "td", "th", "pre", "details", "summary"}


def clean_notes(text: str) -> str:
    """Speaker notes as the speaker view should render them: no HTML comments (fact markers),
    ``27**4`` as code (not bold), ``<unk>``-like tokens as code (not swallowed as HTML tags)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    parts = re.split(r"(`[^`]*`|\$[^$]*\$)", text)   # leave code spans and math alone
    for i in range(0, len(parts), 2):
        part = re.sub(r"(?<![\w`])(\w+(?:\*\*\w+)+)", r"`\1`", parts[i])
        parts[i] = re.sub(r"<(/?)([A-Za-z][\w-]*)>",
                          lambda m: m.group(0) if m.group(2).lower() in HTML_TAGS else f"`{m.group(0)}`",
                          part)
    return re.sub(r"[ \t]+\n", "\n", "".join(parts)).strip()


def notes_cell(text: str, mark: str = ""):
    """The speaker notes of a slide, starting with its minute mark (bold) when there is one."""
    text = clean_notes(text)
    return _md(f"**{mark}** {text}" if mark else text, "notes")


def lecture_notes(nb) -> dict[str, str]:
    """{cell id: speaker notes} for every lecture cell: its own notes and those of the cells after
    it, up to the next lecture cell (a visible notes cell, the old form, counts too)."""
    found, current = {}, None
    for cell in expand_notes(nb).cells:
        if NOTES in tags(cell):
            if current is not None:
                found[current] = (found.get(current, "") + "\n\n" + strip_heading(cell.source)).strip()
            continue
        if TAG in tags(cell):
            current = cell.get("id")
            found.setdefault(current, "")
    return found


def _rename(text: str, names: dict) -> str:
    for old, new in names.items():
        text = text.replace(old, new).replace(html.escape(old), html.escape(new))
    return text


def _outputs(cell, entry: dict) -> tuple[list, list]:
    """(figures, other outputs) of an executed code cell, with the deck data's renames applied and
    the printed lines it skips (``output_skip``: line prefixes) left out."""
    cell = copy.deepcopy(cell)
    names, skip = entry.get("rename", {}), tuple(entry.get("output_skip", ())) or ("\0",)
    figures, others = [], []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            lines = [line for line in out.text.splitlines(keepends=True) if not line.startswith(skip)]
            out.text = _rename("".join(lines), names)
            if out.text.strip():
                others.append(out)
            continue
        data = out.get("data", {})
        for key in list(data):
            if key in ("image/svg+xml", "text/html", "text/plain") and isinstance(data[key], str):
                data[key] = _rename(data[key], names)
        (figures if any(k.startswith("image/") for k in data) else others).append(out)
    return figures, others


def _output_cell(cell, outputs: list, slide_type: str):
    out = _slide(cell, slide_type)
    out["id"] = f"{cell.get('id', 'cell')}-out"[:64]   # the code and its output: two cells
    out.outputs = outputs
    out.metadata["transient"] = {"remove_source": True}
    return out


def code_cells(cell, entry: dict, number: str) -> list:
    """A code cell's part of its slide: teaching lines then output (a fragment), a staged figure,
    the figure alone, or the outputs alone."""
    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"notebook {number}, cell {cell.get('id')}: {errors[0].ename}: "
                           f"{errors[0].evalue}")
    cell = copy.deepcopy(cell)
    cell.source = build_slides.NBVAL_MARKER.sub("", cell.source)
    figures, others = _outputs(cell, entry)
    if "stages" in entry:
        lines = _title_lines(entry.get("title", ""))
        return [_md(staged_figure_html(entry["stages"], entry.get("_lang", "en"), lines))]
    shown = figures[:1] if figures and entry.get("figure", True) else others
    generic = "title" not in entry   # a cell without deck data: its tags say what to show
    if "code" in entry or (generic and (CODE in tags(cell) or LIVE in tags(cell))):
        code = entry.get("code", cell.source).strip("\n")
        if len(code.splitlines()) > MAX_CODE_LINES:
            raise RuntimeError(f"notebook {number}, cell {cell.get('id')}: {len(code.splitlines())} lines "
                               f"of code on a slide; at most {MAX_CODE_LINES} (the teaching lines)")
        source = _slide(cell, "-")
        source.source, source.outputs = code, []
        out = [source]
        shown = others + (figures[:1] if entry.get("figure") is True else [])   # the printed lines
        if shown:
            out.append(_output_cell(cell, shown, "fragment"))
        return out
    if not shown:
        return []
    return [_output_cell(cell, shown, "fragment" if entry.get("show_output") == "fragment" else "-")]


def cell_slides(cell, entry: dict, notes: str, mark: str, number: str, heading: str,
                lang: str) -> list:
    """The slide of one lecture cell: title, steps, code or figure, speaker notes."""
    entry = {**entry, "_lang": lang}
    out = []
    if "title" in entry:
        out.append(title_cell(entry["title"], entry.get("divider", False)))
        out += steps_cells(entry.get("steps", []))
    elif cell.cell_type == "markdown":
        out.append(_md(heading_only(cell.source) if HEADING in tags(cell) else cell.source, "slide"))
    else:
        live = (f' <span class="lecture-live">&#9654; {html.escape(build_slides.text("lecture.live", lang))}'
                '</span>' if LIVE in tags(cell) else "")
        out.append(_md(f'<p class="lecture-where">{number} &middot; {html.escape(heading)}{live}</p>',
                       "slide"))
    if cell.cell_type == "code":
        if entry.get("title") and LIVE in tags(cell):
            words = entry.get("_words", {})
            text = words.get("live", "live: run it in notebook {nb}").format(nb=number)
            out.append(_md(f'<p class="lecture-live">&#9654; {html.escape(text)}</p>'))
        out += code_cells(cell, entry, number)
    if notes:
        out.append(notes_cell(notes, mark))
    return out


def exercise_answer(exercise_id: str, lang: str) -> str:
    """The explanation ``d2l.answer(id)`` prints, in ``lang`` (without the leading ``id:``)."""
    sys.path.insert(0, str(ROOT))
    from d2l_birnn import exercises

    buffer = io.StringIO()
    with environment({"D2L_BIRNN_LANG": lang}), contextlib.redirect_stdout(buffer):
        exercises.answer(exercise_id)
    text = buffer.getvalue().strip()
    return re.sub(rf"^{re.escape(exercise_id)}\s*[:：]\s*", "", text)


def exercise_slides(entry: dict, notes: str, mark: str, number: str, words: dict, lang: str,
                    minutes: int) -> list:
    """An exercise's question slide (where and how to answer) and its answer slide."""
    ex = entry["exercise"]
    where = words["where"].format(nb=number, section=entry.get("section", ""), id=ex,
                                  arg=entry.get("arg", "..."))
    out = [title_cell(words["exercise"].format(id=ex, minutes=minutes))]
    out += steps_cells(entry.get("steps", []))
    out.append(_md(f"{where}", "-"))
    out.append(notes_cell(entry.get("notes", ""), mark))
    explanation = exercise_answer(ex, lang)
    out.append(title_cell(words["answer"].format(id=ex)))
    out.append(_md(f'<p class="lecture-answer">{html.escape(explanation, quote=False)}</p>'))
    out.append(notes_cell(notes, mark))
    return out


def frame_slides(name: str, data: dict, variant: str, words: dict, context: dict) -> list:
    """A frame slide (title, outline, table, summary, where, selfstudy) from the deck data."""
    entry = data.get("frame", {}).get(name, {})
    mark = _mark(entry, variant, words)
    if name == "title":
        heading = html.escape(entry.get("heading", context["title"]), quote=False)
        first = _md(f'<div class="lecture-title"><h1>{heading}</h1></div>\n\n'
                    f'{entry.get("body", "").strip()}\n\n{context["line"]}', "slide")
        return [first, notes_cell(context["title_notes"], mark)]
    if name == "table":
        if context["table"] is None:
            return []
        slide, notes = context["table"]
        return [_md(slide, "slide"), notes_cell(notes, mark)] if notes else [_md(slide, "slide")]
    if not entry:
        return []
    out = [title_cell(entry["title"])]
    if entry.get("body"):
        out.append(_md(entry["body"].strip()))
    out += steps_cells(entry.get("steps", []), "-" if not entry.get("body") else "fragment")
    return out + [notes_cell(entry.get("notes", ""), mark)]


def _mark(entry: dict, variant: str, words: dict) -> str:
    minutes = entry.get(f"min{variant}", "")
    return words.get("minutes", "{m} min.").format(m=minutes) if minutes else ""


# ---------------------------------------------------------------------------
# Staged figures (fragments of a picture): drawn here, one SVG per stage
# ---------------------------------------------------------------------------
STAGE_LIMITS = (1.8, 3.0, 99.0)   # rows of plotting._unrolled_layout: x and f; + b; + h and o


def _artist_height(artist) -> float:
    from matplotlib.patches import FancyBboxPatch
    from matplotlib.text import Annotation

    if isinstance(artist, FancyBboxPatch):
        return artist.get_y() + artist.get_height() / 2
    if isinstance(artist, Annotation):
        return artist.xy[1]
    return artist.get_position()[1]


def staged_figures(kind: str, lang: str) -> list[str]:
    """SVGs of ``plotting.draw_birnn_unrolled(4)`` (``kind`` 'birnn_unrolled') or
    ``draw_hmm_messages(4)`` ('hmm_messages'), drawn in three stages: inputs and the forward
    chain; + the backward chain; + the merge and the outputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sys.path.insert(0, str(ROOT))
    # A little larger than the notebooks' figures: the picture is wide, its smallest labels subscripts.
    with environment({"D2L_BIRNN_LANG": lang}), plt.rc_context({"font.size": 22.5}, fname=str(MPLRC)):
        from d2l_birnn import plotting

        if lang == "zh":
            from d2l_birnn.fonts import use_cjk_font

            use_cjk_font()
        draw = {"birnn_unrolled": plotting.draw_birnn_unrolled,
                "hmm_messages": plotting.draw_hmm_messages}[kind]
        ax = draw(4)
        artists = list(ax.patches) + list(ax.texts)
        # One frame for every stage: the tight box of the whole picture (a stage alone is smaller).
        ax.figure.canvas.draw()                    # the layout, then frozen for every stage
        ax.figure.set_layout_engine("none")
        bbox = ax.figure.get_tightbbox(ax.figure.canvas.get_renderer()).padded(0.05)
        svgs = []
        for limit in STAGE_LIMITS:
            for artist in artists:
                artist.set_visible(_artist_height(artist) <= limit)
            buffer = io.StringIO()
            ax.figure.savefig(buffer, format="svg", bbox_inches=bbox)
            svgs.append(buffer.getvalue())
        plt.close(ax.figure)
    return svgs


def staged_figure_html(kind: str, lang: str, title_lines: int = 2) -> str:
    images = []
    for i, svg in enumerate(staged_figures(kind, lang)):
        data = base64.b64encode(svg.encode()).decode()
        cls = ' class="fragment"' if i else ""
        images.append(f'<img{cls} src="data:image/svg+xml;base64,{data}" alt="{kind}, stage {i + 1}">')
    return f'<div class="lecture-stack lecture-stack-{title_lines}">' + "".join(images) + "</div>"


# ---------------------------------------------------------------------------
# The deck notebook
# ---------------------------------------------------------------------------
def _headings(nb) -> dict[str, str]:
    """{cell id: the heading above it} (the section a cell belongs to)."""
    found, heading = {}, ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.match(r"#{1,3}\s", cell.source.lstrip()):
            heading = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
        found[cell.get("id")] = heading
    return found


def content_slides(order: list[str] | None, notebooks: dict, tag: str, variant: str, data: dict,
                   lang: str, minutes: int) -> list:
    """The slides of the notebooks' lecture cells, in the deck data's order (else the notebooks')."""
    words, cells = data.get("words", {}), data.get("cells", {})
    by_id, out = {}, []
    for number, nb in notebooks.items():
        notes, headings = lecture_notes(nb), _headings(nb)
        for cell in nb.cells:
            if TAG in tags(cell):
                by_id[cell.get("id")] = (number, cell, notes.get(cell.get("id"), ""),
                                         headings.get(cell.get("id"), ""))
    if order is None:
        order = [cid for cid, (_, cell, _, _) in by_id.items() if tag in tags(cell)]
    for cid in order:
        if cid in FRAME or cid not in by_id:
            continue
        number, cell, notes, heading = by_id[cid]
        entry = {**cells.get(cid, {}), "_words": words}
        mark = _mark(entry, variant, words)
        if "exercise" in entry:
            out += exercise_slides(entry, notes, mark, number, words, lang, minutes)
        else:
            out += cell_slides(cell, entry, notes, mark, number, heading, lang)
    return out


def deck_notebook(notebooks: dict[str, object], tag: str, title: str, title_notes: str, mode: str,
                  table: tuple[str, str] | None = None, lang: str = "en", data: dict | None = None,
                  variant: str = "90", exercise_minutes: int = 3):
    """One notebook holding the whole deck: the frame and every notebook's slides in the deck
    data's order (``data``: :func:`deck_data`; without it a title slide, the slides in the
    notebooks' order and the plan's comparison table), the deck's own words in ``lang``."""
    data = data or {}
    note = "" if mode == "full" else build_slides.text(f"lecture.mode.{mode}", lang)
    line = build_slides.text("lecture.title_line", lang, numbers=", ".join(notebooks), mode=note)
    context = {"title": title, "title_notes": title_notes, "line": line, "table": table}
    order = data.get("deck", {}).get(f"order{variant}")
    if order is not None and not any(cid in str(order) for nb in notebooks.values()
                                     for cid in [c.get("id") for c in nb.cells if TAG in tags(c)]):
        order = None   # deck data of other notebooks (a test's synthetic notebook)
    frame = order if order is not None else ["title", "*", "table"]   # "*": the notebooks' slides
    frame_data = data if order is not None else {}
    deck, cells, content_done = nbformat.v4.new_notebook(), [], False
    for name in frame:
        if name in FRAME:
            cells += frame_slides(name, frame_data, variant, data.get("words", {}), context)
        elif not content_done:
            cells += content_slides(order, notebooks, tag, variant, data, lang, exercise_minutes)
            content_done = True
    deck.cells = cells
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
        elif kind == "notes" and re.sub(r"\*\*[^*]*\*\*", "", cell.source).strip():
            has_notes = True
    if current is not None and not has_notes:
        missing.append(current)
    return missing


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
# pdfMaxPagesPerSlide: reveal.js lays the PDF's pages out before MathJax typesets (raw TeX is
# longer), so a full slide could spill onto a second page.
REVEAL_OPTIONS = ("margin: 0, center: false, pdfSeparateFragments: false, pdfMaxPagesPerSlide: 1, "
                  "showNotes: false, ")


def write_deck(deck, out: Path, name: str, lang: str = "en") -> Path:
    slides = build_slides.exporter(lang)
    slides.reveal_scroll, slides.reveal_transition = False, "none"
    slides.reveal_width, slides.reveal_height = str(WIDTH), str(HEIGHT)
    slides.reveal_number = "c/t"
    slides.exclude_input_prompt = slides.exclude_output_prompt = True
    body, _ = slides.from_notebook_node(deck, resources={"metadata": {"name": Path(name).stem}})
    # Notes are typeset in the speaker view (build_slides patches it), not in the hidden aside.
    body = body.replace('<aside class="notes">', '<aside class="notes tex2jax_ignore">')
    body = body.replace("Reveal.initialize({", "window.Reveal = Reveal;  // for the tests and handouts\n"
                        "        Reveal.initialize({ " + REVEAL_OPTIONS, 1)
    path = out / name
    path.write_text(body.replace("</head>", CSS + "</head>", 1), encoding="utf-8")
    return path


def build(notebooks: list[Path], out: Path, mode: str = "full", plan: Path = PLAN,
          allow_missing_notes: bool = False, log=print, data: Path | None | bool = None) -> list[Path]:
    """Write ``lecture.html`` and ``lecture-45.html`` into ``out``; returns their paths.

    ``mode``: 'full' (the plan's environment), 'quick' or 'committed' (no execution).
    ``data``: the deck data file (default ``tools/lecture_deck/<lang>.toml``; False: none).
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
                           "LECTURE.md says")
    if len(set(languages.values())) > 1:
        raise RuntimeError(f"the notebooks are of several languages ({languages}); build each edition's "
                           f"deck apart, with its own plan (e.g. notebooks/zh/*.ipynb --plan "
                           f"LECTURE.zh-CN.md --out slides/zh)")
    lang = next(iter(languages.values()))
    content = {} if data is False else deck_data(lang, data)
    out.mkdir(parents=True, exist_ok=True)
    build_slides.install_assets(out)
    title, title_notes = plan_title_and_notes(plan, lang)
    decks = []
    for variant, (name, tag) in VARIANTS.items():
        deck = deck_notebook(chosen, tag, title, title_notes, mode, plan_table_slide(plan, lang), lang,
                             content, variant, plan_exercise_minutes(plan))
        missing = slides_without_notes(deck)
        if missing and not allow_missing_notes:
            raise RuntimeError(f"{len(missing)} slide(s) of the {variant}-minute deck have no speaker "
                               f"notes (metadata 'speaker_notes' of the slide's cell): "
                               + "; ".join(repr(m) for m in missing))
        decks.append(write_deck(deck, out, name, lang))
    return decks


# ---------------------------------------------------------------------------
# Handouts: PDF (one slide a page, fragments collapsed) and a contact sheet
# ---------------------------------------------------------------------------
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
READY = "() => document.querySelector('.reveal.ready') && window.MathJax && MathJax.Hub && " \
        "MathJax.Hub.queue.pending === 0"


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF (Chromium's: every page object is written out as ``/Type /Page``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def handouts(deck: Path, columns: int = 6, thumb: tuple[int, int] = (320, 180)) -> tuple[Path, Path]:
    """Write ``<deck>.pdf`` (one slide a page, every fragment shown) and
    ``<deck>-contact-sheet.png`` (every slide, fragments shown, ``columns`` a row) next to ``deck``
    with headless Chromium (Playwright); returns their paths."""
    import shutil

    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("the handouts need Chromium and Playwright (make browser); "
                           "or build with --no-handouts")
    deck = deck.resolve()   # a file:// URL needs an absolute path
    pdf, sheet = deck.with_suffix(".pdf"), deck.with_name(deck.stem + "-contact-sheet.png")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
        page.goto(deck.as_uri() + "?print-pdf")
        page.wait_for_function(READY, timeout=120_000)
        page.wait_for_timeout(500)
        page.pdf(path=str(pdf), print_background=True, prefer_css_page_size=True)   # reveal's @page
        page.goto(deck.as_uri())
        page.wait_for_function(READY, timeout=120_000)
        total = page.evaluate("() => Reveal.getTotalSlides()")
        rows = -(-total // columns)
        image = Image.new("RGB", (columns * thumb[0], rows * thumb[1]), "white")
        for i in range(total):
            page.evaluate(f"() => Reveal.slide({i}, 0, 99)")
            page.wait_for_function("() => MathJax.Hub.queue.pending === 0", timeout=60_000)
            page.wait_for_timeout(150)
            shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB").resize(thumb)
            image.paste(shot, ((i % columns) * thumb[0], (i // columns) * thumb[1]))
        image.save(sheet)
        browser.close()
    return pdf, sheet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "slides", help="output folder")
    parser.add_argument("--plan", type=Path, default=PLAN, help="the lesson plan (LECTURE.md)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="run the notebooks in quick mode (CI)")
    group.add_argument("--no-execute", action="store_true", help="use the committed outputs")
    parser.add_argument("--no-handouts", action="store_true", help="no PDF, no contact sheet")
    parser.add_argument("--allow-missing-notes", action="store_true",
                        help="build even if some slides have no speaker notes (drafts)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    mode = "quick" if args.quick else "committed" if args.no_execute else "full"
    try:
        decks = build(notebooks, args.out, mode, args.plan, args.allow_missing_notes)
        for deck in decks:
            print(f"{deck} (open it in a browser; S opens the speaker notes; works offline)")
            if not args.no_handouts:
                pdf, sheet = handouts(deck)
                print(f"{pdf} ({pdf_page_count(pdf)} pages), {sheet}")
    except Exception as e:  # a cell's error, missing notes, no npm: say it, no traceback
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
