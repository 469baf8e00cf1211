"""The Chinese edition prints Chinese: a check over the committed outputs of the zh notebooks.

    python tools/check_zh_outputs.py            # notebooks/zh/*.ipynb (and notebooks/zh/pytorch/)
    python tools/check_zh_outputs.py -v NB ...  # also list every English-only line

Every line a zh notebook prints goes through the message catalogue (``d2l.msg``), so it has
Chinese. This check counts, per notebook, the printed lines **with words** (a Chinese character,
or a natural-language word: three or more Latin letters that are not part of an identifier) and
fails when more than 5% of them have no Chinese character (``MAX_ENGLISH_SHARE``).

What counts as printed: ``stdout`` streams, and a displayed result's ``text/markdown``, or its
``text/plain`` when it has no HTML or image (tables are shown as HTML through ``d2l.localize``;
errors are tracebacks). Not counted:

* identifiers: quoted strings, names with ``_``, digits or dots (``l0_W_xh``, ``x86_64``,
  ``cpu(0)``), keyword names (``cell=``), CamelCase names (``BiRNNScratch``), all-capital
  acronyms (``LSTM``, ``UTC``), ``True``/``False``/``None``/``nan``: a line with nothing else has
  no words;
* the listed exceptions, whole cells, in ``i18n/output_exceptions.tsv`` (notebook, cell id,
  kind, note): code listings, text the models generate, text of the corpus shown as data, and
  representations of objects (identifiers). The kinds are fixed (``KINDS``); a row whose cell
  no longer exists is reported, so the list cannot go stale silently.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "i18n" / "output_exceptions.tsv"
COLUMNS = ["notebook", "cell", "kind", "note"]
KINDS = ("code listing", "generated text", "corpus text", "identifiers")
MAX_ENGLISH_SHARE = 0.05
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NOT_WORDS = re.compile(r"'[^']*'|\"[^\"]*\"|\b\w*[_\d]\w*\b|\b\w+(?:\.\w+)+\b|\b[A-Z]?[a-z]+[A-Z]\w*\b"
                       r"|\b\w+(?==)")
WORD = re.compile(r"\b(?![A-Z]+\b)(?!(?:True|False|None|nan|inf)\b)[A-Za-z]{3,}\b")


def load_exceptions(path: Path = EXCEPTIONS) -> dict[tuple[str, str], str]:
    """{(notebook stem, cell id): kind}; a ``ValueError`` naming the line for a bad row."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    if not rows or rows[0] != COLUMNS:
        raise ValueError(f"{path}: the first line must be the header {' <TAB> '.join(COLUMNS)}")
    found = {}
    for number, row in enumerate(rows[1:], 2):
        if len(row) != len(COLUMNS) or row[2] not in KINDS or not row[3].strip():
            raise ValueError(f"{path}:{number}: expected notebook, cell id, a kind ({', '.join(KINDS)}) "
                             f"and a note saying why, tab-separated; got {row!r}")
        found[(row[0], row[1])] = row[2]
    return found


def has_words(line: str) -> bool:
    """Whether a printed line has words: Chinese, or a natural-language word outside identifiers."""
    return bool(HAN.search(line) or WORD.search(NOT_WORDS.sub(" ", line)))


def printed_text(output: dict) -> str:
    """The text a reader sees of one output ('' for tracebacks, images, HTML tables, stderr)."""
    def text(value):
        return value if isinstance(value, str) else "".join(value)

    if output.get("output_type") == "stream":
        return text(output.get("text", "")) if output.get("name") == "stdout" else ""
    data = output.get("data", {})
    if "text/markdown" in data:
        return text(data["text/markdown"])
    if "text/plain" in data and not any(k.startswith("image/") or k == "text/html" for k in data):
        return text(data["text/plain"])
    return ""


def notebook_lines(path: Path, exceptions: dict):
    """(cell id, line) of each printed line with words, outside the listed exceptions."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or (path.stem, cell.get("id")) in exceptions:
            continue
        text = "".join(printed_text(o) for o in cell.get("outputs", []))
        for line in text.splitlines():
            if has_words(line):
                yield cell.get("id"), line


def check(paths, exceptions: dict | None = None, verbose: bool = False) -> list[str]:
    """One line per notebook over the limit and per listed exception whose cell is gone."""
    exceptions = load_exceptions() if exceptions is None else exceptions
    problems, report = [], []
    for path in paths:
        lines = list(notebook_lines(path, exceptions))
        english = [(cell, line) for cell, line in lines if not HAN.search(line)]
        share = len(english) / len(lines) if lines else 0.0
        report.append(f"{path.name}: {len(english)} of {len(lines)} printed lines with words have no "
                      f"Chinese ({share:.1%})")
        if share > MAX_ENGLISH_SHARE or verbose:
            report += [f"    cell {cell}: {line[:100]}" for cell, line in english]
        if share > MAX_ENGLISH_SHARE:
            problems.append(f"{path}: {len(english)} of {len(lines)} printed lines ({share:.1%}, more "
                            f"than {MAX_ENGLISH_SHARE:.0%}) have no Chinese: print them through d2l.msg "
                            f"(d2l_birnn/locale/), or list a code listing, generated text or identifiers "
                            f"in {EXCEPTIONS.relative_to(ROOT)}")
        ids = {c.get("id") for c in json.loads(path.read_text(encoding="utf-8"))["cells"]}
        problems += [f"{EXCEPTIONS.relative_to(ROOT)}: {stem} cell {cell} is not in {path.name}"
                     for stem, cell in exceptions if stem == path.stem and cell not in ids]
    print("\n".join(report))
    return problems


def default_paths(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks" / "zh").glob("*.ipynb")) + \
        sorted((root / "notebooks" / "zh" / "pytorch").glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every English-only line")
    args = parser.parse_args(argv)
    problems = check(args.notebooks or default_paths(), verbose=args.verbose)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
