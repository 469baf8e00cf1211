"""The Chinese edition's glossary (i18n/glossary.tsv) and a check that zh texts follow it.

    python tools/glossary.py            # list every ruled-out term in a zh text; exit 1 if any

The glossary has one row per term: English, the Chinese that d2l-zh uses (and so
this collection), where d2l-zh uses it, variants that are ruled out (``;``
separated, e.g. 隐藏状态 for "hidden state") and a note. The zh texts checked:
the markdown and speaker notes of notebooks/zh/*.ipynb, README.zh-CN.md, LECTURE.zh-CN.md and the
Chinese side of the message catalogue (d2l_birnn/i18n.py). A quotation may keep the words it
quotes (the study notes write 隐藏状态): text inside “…” or 「…」 and markdown
blockquote lines (``> ...``) are not checked.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "i18n" / "glossary.tsv"
COLUMNS = ["english", "chinese", "d2l_zh", "ruled_out", "note"]
QUOTED = re.compile(r"“[^”]*”|「[^」]*」|^[ \t]*>.*$", re.MULTILINE)


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    d2l_zh: str
    ruled_out: tuple
    note: str


def load(path: Path = GLOSSARY) -> list[Term]:
    """The glossary's rows; a ``ValueError`` naming the line for a malformed row."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    if not rows or rows[0] != COLUMNS:
        raise ValueError(f"{path}: the first line must be the header {' <TAB> '.join(COLUMNS)}")
    terms = []
    for number, row in enumerate(rows[1:], 2):
        if len(row) != len(COLUMNS) or not row[0].strip() or not row[1].strip():
            raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated columns "
                             f"with English and Chinese filled in, got {row!r}")
        ruled_out = tuple(t.strip() for t in row[3].split(";") if t.strip())
        terms.append(Term(row[0].strip(), row[1].strip(), row[2].strip(), ruled_out, row[4].strip()))
    return terms


def _unquoted(text: str) -> str:
    """``text`` with quotations blanked out (same length, so positions and lines stay)."""
    return QUOTED.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def violations(text: str, where: str, terms: list[Term]) -> list[str]:
    """One line per ruled-out term used in ``text`` outside quotations."""
    plain = _unquoted(text)
    found = []
    for term in terms:
        for bad in term.ruled_out:
            for match in re.finditer(re.escape(bad), plain):
                line = plain.count("\n", 0, match.start()) + 1
                found.append(f"{where}:{line}: {bad!r} is ruled out for {term.english!r}: write "
                             f"{term.chinese} (d2l-zh: {term.d2l_zh})")
    return found


def zh_texts(root: Path = ROOT):
    """(where, text) of every Chinese text of the collection that exists."""
    from d2l_birnn.i18n import CATALOGUE

    for key, (_, zh) in CATALOGUE.items():
        yield f"d2l_birnn/i18n.py [{key}]", zh
    for name in ("README.zh-CN.md", "LECTURE.zh-CN.md"):
        if (root / name).exists():
            yield name, (root / name).read_text(encoding="utf-8")
    for path in sorted((root / "notebooks" / "zh").glob("*.ipynb")):
        yield from notebook_texts(path, root)


def notebook_texts(path: Path, root: Path = ROOT):
    """(where, text) of each markdown cell of a notebook, and of each cell's speaker notes (its
    metadata ``speaker_notes``: tools/self_study.py)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    try:
        name = path.relative_to(root)
    except ValueError:   # a notebook outside the repository (tests)
        name = path
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            yield f"{name} [cell {cell.get('id')}]", source
        notes = cell.get("metadata", {}).get("speaker_notes")
        if notes:
            yield f"{name} [cell {cell.get('id')}, speaker notes]", notes


def check(texts, terms: list[Term] | None = None) -> list[str]:
    terms = load() if terms is None else terms
    return [line for where, text in texts for line in violations(text, where, terms)]


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    sys.path.insert(0, str(ROOT))
    problems = check(zh_texts())
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} ruled-out term(s): see i18n/glossary.tsv", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
