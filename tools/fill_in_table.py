"""Collect the fill-in results of the four model families into LECTURE.md's table.

    .venv/bin/python tools/fill_in_table.py [--check] [--plan LECTURE.md] [notebooks ...]

Notebooks 01 (counts), 02 (HMM), 03 (scratch BiRNN) and 05 (LSTMs) each score
the same blanks of the same held-out text and print, in their committed
outputs, lines in one format (``d2l_birnn.fill_in.fill_in_line``, catalogue key
``fill_in.line``; the Chinese edition's form is read too):

    fill-in, held-out text: <model>: both sides X%, left only Y%
    填空，留出文本：<model>：两侧 X%，仅左侧 Y%

This tool reads those lines from the notebooks' committed outputs (it runs
nothing) and writes one table between the markers

    <!-- fill-in-table:start -->  ...  <!-- fill-in-table:end -->

in the lesson plan. A notebook that prints no such line is listed under the
table as not measured yet, and the tool says which. ``--check`` changes
nothing and exits 1 when the table in the plan is not the one the notebooks
give (run the tool without ``--check`` to update it).
"""

from __future__ import annotations

import argparse
import json
import re
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from d2l_birnn.i18n import CATALOGUE  # noqa: E402  (i18n imports neither MXNet nor d2l)

PLAN = ROOT / "LECTURE.md"
START, END = "<!-- fill-in-table:start -->", "<!-- fill-in-table:end -->"
NUMBER = r"\d+(?:\.\d+)?"


def line_pattern(template: str) -> str:
    """A regex for the lines ``template`` (a ``fill_in.line`` catalogue text) prints.

    Literal text is matched as it is; ``{model}`` is a name without a colon
    (ASCII or full-width) and ``{both}``/``{left}`` are numbers.
    """
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field == "model":
            parts.append(r"(?P<model>[^:：\n]+)")
        elif field in ("both", "left"):
            parts.append(rf"(?P<{field}>{NUMBER})")
        elif field is not None:
            raise ValueError(f"unexpected field {{{field}}} in the fill_in.line template {template!r}")
    return "".join(parts)


# The English and the Chinese form of ``d2l_birnn.fill_in.fill_in_line``'s line.
LINE, LINE_ZH = (re.compile("^" + line_pattern(t), re.MULTILINE) for t in CATALOGUE["fill_in.line"])
# Notebook number -> model family, in the order of the table.
FAMILIES = {"01": "counts (n-gram)", "02": "HMM (forward-backward)", "03": "BiRNN from scratch",
            "05": "LSTMs (Gluon)"}


def output_text(notebook: Path) -> str:
    """All text a notebook's committed outputs show (streams and text/plain)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out.get("text", "")))
            elif "text/plain" in out.get("data", {}):
                parts.append("".join(out["data"]["text/plain"]))
    return "\n".join(parts)


def collect(notebooks: list[Path]) -> tuple[list[dict], list[str]]:
    """(rows of the table, names of notebooks without a fill-in line)."""
    rows, missing = [], []
    for path in notebooks:
        text = output_text(path)
        found = [m.groupdict() for m in LINE.finditer(text)] or \
            [m.groupdict() for m in LINE_ZH.finditer(text)]
        if not found:
            missing.append(path.name)
        number = path.name[:2]
        for m in found:
            rows.append({"family": FAMILIES.get(number, "?"), "notebook": path.stem,
                         "model": m["model"].strip(), "both": float(m["both"]), "left": float(m["left"])})
    return rows, missing


def render(rows: list[dict], missing: list[str]) -> str:
    """The Markdown table (and a note on what is missing), without the markers."""
    lines = ["| family | notebook | model | both sides | left only | gain from the right |",
             "|---|---|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['family']} | {r['notebook'][:2]} | {r['model']} | {r['both']:.1f}% | "
                     f"{r['left']:.1f}% | {r['both'] - r['left']:+.1f} points |")
    if not rows:
        lines.append("| (no results yet) | | | | | |")
    text = "\n".join(lines) + "\n"
    if missing:
        text += ("\n*Not measured yet: " + ", ".join(missing) + " print no line "
                 "`fill-in, held-out text: <model>: both sides X%, left only Y%`.*\n")
    text += "\n*Collected from the notebooks' committed outputs by `tools/fill_in_table.py`.*\n"
    return text


def replace_table(plan_text: str, table: str) -> str:
    """``plan_text`` with the text between the markers replaced by ``table``."""
    if plan_text.count(START) != 1 or plan_text.count(END) != 1 or plan_text.index(START) > \
            plan_text.index(END):
        raise ValueError(f"the plan must contain the markers {START} and {END} once each, in "
                         f"that order; add them where the table belongs")
    head, rest = plan_text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{table}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks 01, 02, 03, 05")
    parser.add_argument("--plan", type=Path, default=PLAN, help="the lesson plan (LECTURE.md)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
                                   if p.name[:2] in FAMILIES]
    if not args.plan.exists():
        print(f"error: {args.plan} does not exist", file=sys.stderr)
        return 1
    rows, missing = collect(notebooks)
    for name in missing:
        print(f"{name}: no 'fill-in, held-out text: ...' line in its committed outputs "
              f"(run it in full mode once it prints one)", file=sys.stderr)
    old = args.plan.read_text(encoding="utf-8")
    try:
        new = replace_table(old, render(rows, missing))
    except ValueError as e:
        print(f"error: {args.plan}: {e}", file=sys.stderr)
        return 1
    if args.check:
        if new != old:
            print(f"{args.plan}: the fill-in table is stale; run tools/fill_in_table.py", file=sys.stderr)
            return 1
        return 0
    if new != old:
        args.plan.write_text(new, encoding="utf-8")
        print(f"{args.plan}: fill-in table updated ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
