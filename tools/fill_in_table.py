"""Collect the fill-in results of the four model families into LECTURE.md's table.

    .venv/bin/python tools/fill_in_table.py [--check] [--plan LECTURE.md] [notebooks ...]
    .venv/bin/python tools/fill_in_table.py [--check] --plan LECTURE.zh-CN.md   # notebooks/zh

Notebooks 01 (counts), 02 (HMM), 03 (scratch BiRNN), 05 (LSTMs) and 06 (LSTMs
that cannot read the blank: two one-way LMs, a masked BiLSTM) each score
the same blanks of the same held-out text and print, in their committed
outputs, lines in one format (``d2l_birnn.fill_in.fill_in_line``, catalogue key
``fill_in.line``; the Chinese edition's form is read too):

    fill-in, held-out text: <model>: both sides X%, left only Y%; context <C>; size <S>
    填空，留出文本：<model>：两侧 X%，仅左侧 Y%；上下文 <C>；规模 <S>

An accuracy may carry its spread over runs in brackets, e.g. ``61.4% (3 seeds:
60.8-62.0%)`` or ``53.1% (one run)``; ``<C>`` says how much text each model
reads around a blank and ``<S>`` how large each model is (two-sided vs left-only),
because the rows differ in both and a reader must see it.

This tool reads those lines from the notebooks' committed outputs (it runs
nothing) and writes one table between the markers

    <!-- fill-in-table:start -->  ...  <!-- fill-in-table:end -->

in the lesson plan. A notebook that prints no such line is listed under the
table as not measured yet, and the tool says which. ``--check`` changes
nothing and exits 1 when the table in the plan is not the one the notebooks
give (run the tool without ``--check`` to update it).

Each edition has its plan: ``LECTURE.md`` (English, from ``notebooks/``) and
``LECTURE.zh-CN.md`` (Chinese, from ``notebooks/zh/``). The table's language
follows the plan's name (``LECTURE.<lang>.md``; ``--lang`` to choose), and so
do the notebooks read by default; its words come from ``d2l_birnn/i18n.py``.
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
from d2l_birnn.i18n import CATALOGUE, LANGUAGES  # noqa: E402  (i18n imports neither MXNet nor d2l)

PLAN = ROOT / "LECTURE.md"
# Language -> the folder of that edition's notebooks.
NOTEBOOK_DIRS = {"en": ROOT / "notebooks", "zh": ROOT / "notebooks" / "zh"}
START, END = "<!-- fill-in-table:start -->", "<!-- fill-in-table:end -->"
NUMBER = r"\d+(?:\.\d+)?"


def line_pattern(template: str) -> str:
    """A regex for the lines ``template`` (a ``fill_in.line`` catalogue text) prints.

    Literal text is matched as it is; ``{model}`` is a name without a colon
    (ASCII or full-width); ``{both}``/``{left}`` are a percentage, optionally
    followed by a note in brackets (its spread over runs); ``{context}`` and
    ``{size}`` are text without a semicolon.
    """
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field == "model":
            parts.append(r"(?P<model>[^:：\n]+)")
        elif field in ("both", "left"):
            parts.append(rf"(?P<{field}>{NUMBER})%(?P<{field}_note> ?[(（][^)）\n]*[)）])?")
        elif field in ("context", "size"):
            parts.append(rf"(?P<{field}>[^;；\n]+)")
        elif field is not None:
            raise ValueError(f"unexpected field {{{field}}} in the fill_in.line template {template!r}")
    return "".join(parts)


# The English and the Chinese form of ``d2l_birnn.fill_in.fill_in_line``'s line.
LINE, LINE_ZH = (re.compile("^" + line_pattern(t), re.MULTILINE) for t in CATALOGUE["fill_in.line"])
# Notebook number -> model family (its catalogue key), in the order of the table.
FAMILIES = {"01": "lecture.family.counts", "02": "lecture.family.hmm", "03": "lecture.family.scratch",
            "05": "lecture.family.lstm", "06": "lecture.family.lstm"}


def text(key: str, lang: str, **fields) -> str:
    """Catalogue entry ``key`` in ``lang``, formatted with ``fields`` (no font set-up: no figures)."""
    template = CATALOGUE[key][LANGUAGES.index(lang)]
    return template.format(**fields) if fields else template


def plan_language(plan: Path) -> str:
    """The language of a plan from its name: ``LECTURE.zh-CN.md`` -> 'zh', ``LECTURE.md`` -> 'en'."""
    m = re.search(r"\.([A-Za-z]{2})(?:[-_][A-Za-z]+)?\.md$", plan.name)
    lang = m.group(1).lower() if m else "en"
    if lang not in LANGUAGES:
        raise ValueError(f"{plan.name}: no edition of language {lang!r} (choose one of "
                         f"{', '.join(LANGUAGES)}, e.g. LECTURE.zh-CN.md, or pass --lang)")
    return lang


def line_example(lang: str) -> str:
    """The ``fill_in.line`` form with placeholders: ``... <model>: both sides X%, left only Y%; ...``."""
    template = CATALOGUE["fill_in.line"][LANGUAGES.index(lang)]
    names = {"model": "<model>", "both": "X%", "left": "Y%", "context": "<C>", "size": "<S>"}
    return "".join(literal + (names[field] if field else "")
                   for literal, field, _, _ in string.Formatter().parse(template))


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


def collect(notebooks: list[Path], lang: str = "en") -> tuple[list[dict], list[str]]:
    """(rows of the table, names of notebooks without a fill-in line); families named in ``lang``."""
    rows, missing = [], []
    for path in notebooks:
        printed = output_text(path)
        found = [m.groupdict() for m in LINE.finditer(printed)] or \
            [m.groupdict() for m in LINE_ZH.finditer(printed)]
        if not found:
            missing.append(path.name)
        number = path.name[:2]
        for m in found:
            family = text(FAMILIES[number], lang) if number in FAMILIES else "?"
            rows.append({"family": family, "notebook": path.stem, "model": m["model"].strip(),
                         "both": float(m["both"]), "left": float(m["left"]),
                         "both_note": (m["both_note"] or "").strip(),
                         "left_note": (m["left_note"] or "").strip(),
                         "context": m["context"].strip(), "size": m["size"].strip()})
    return rows, missing


def render(rows: list[dict], missing: list[str], lang: str = "en") -> str:
    """The Markdown table (and a note on what is missing) in ``lang``, without the markers."""
    lines = [f"| {text('lecture.table.columns', lang)} |", "|---|---|---|---|---|---:|---:|---:|"]
    for r in rows:
        gain = text("lecture.table.gain", lang, gain=r["both"] - r["left"])
        both, left = (f"{r[side]:.1f}%" + ("" if r[f"{side}_note"].startswith("（") or not r[f"{side}_note"]
                                           else " ") + r[f"{side}_note"] for side in ("both", "left"))
        lines.append(f"| {r['family']} | {r['notebook'][:2]} | {r['model']} | {r['context']} | {r['size']} | "
                     f"{both} | {left} | {gain} |")
    if not rows:
        lines.append(f"| {text('lecture.table.none', lang)} | | | | | | | |")
    table = "\n".join(lines) + "\n"
    if missing:
        names = ", ".join(missing)
        table += f"\n*{text('lecture.table.missing', lang, names=names, line=line_example(lang))}*\n"
    source = text('lecture.table.source', lang)
    return table + (f"\n*{source}*\n" if lang == "en" else f"\n{source}\n")   # no italics on Chinese


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
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: 01, 02, 03, 05, 06 of the plan's edition (notebooks/, notebooks/zh/)")
    parser.add_argument("--plan", type=Path, default=PLAN,
                        help="the lesson plan (LECTURE.md; LECTURE.zh-CN.md for the Chinese edition)")
    parser.add_argument("--lang", choices=LANGUAGES, help="the table's language (default: the plan's)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        lang = args.lang or plan_language(args.plan)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    notebooks = args.notebooks or [p for p in sorted(NOTEBOOK_DIRS[lang].glob("*.ipynb"))
                                   if p.name[:2] in FAMILIES]
    if not args.plan.exists():
        print(f"error: {args.plan} does not exist", file=sys.stderr)
        return 1
    if not notebooks:
        print(f"error: no notebooks 01, 02, 03, 05, 06 in {NOTEBOOK_DIRS[lang]} (pass them as arguments)",
              file=sys.stderr)
        return 1
    rows, missing = collect(notebooks, lang)
    for name in missing:
        print(f"{name}: no '{line_example(lang)}' line in its committed outputs "
              f"(run it in full mode once it prints one)", file=sys.stderr)
    old = args.plan.read_text(encoding="utf-8")
    try:
        new = replace_table(old, render(rows, missing, lang))
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
