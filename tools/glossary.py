"""The Chinese edition's glossary (i18n/glossary.tsv) and a check that zh texts follow it.

    python tools/glossary.py            # list every ruled-out term in a zh text; exit 1 if any

The glossary has one row per term: English, the Chinese that d2l-zh uses (and so
this collection), where d2l-zh uses it, variants that are ruled out (``;``
separated, e.g. 隐藏状态 for "hidden state") and a note. The zh texts checked:
the markdown and speaker notes of notebooks/zh/*.ipynb, README.zh-CN.md, LECTURE.zh-CN.md and the
Chinese side of the message catalogue (d2l_birnn/locale/zh.po). A quotation may keep the words it
quotes (the study notes write 隐藏状态): text inside “…” or 「…」 and markdown
blockquote lines (``> ...``) are not checked.

A ruled-out form is a literal string, or, written ``re:PATTERN``, a regular expression for a form
that depends on its context (e.g. 后向 is ruled out for the BiRNN's direction but stays in the HMM's
后向递归 and 后向消息; 时光机器 is ruled out without its 《》).

The same texts are checked for Chinese typography (:func:`typography`): no hard line breaks inside
a Chinese paragraph, no italics on Chinese text, full-width punctuation between Chinese characters.
Code (spans and fenced blocks), math, URLs, link targets and HTML comments are not checked.
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


def patterns(bad: str) -> str:
    """The regular expression of one ruled-out form (literal, or ``re:PATTERN``)."""
    return bad[3:] if bad.startswith("re:") else re.escape(bad)


def _unquoted(text: str) -> str:
    """``text`` with quotations blanked out (same length, so positions and lines stay)."""
    return QUOTED.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def violations(text: str, where: str, terms: list[Term]) -> list[str]:
    """One line per ruled-out term used in ``text`` outside quotations."""
    plain = _unquoted(text)
    found = []
    for term in terms:
        for bad in term.ruled_out:
            for match in re.finditer(patterns(bad), plain):
                line = plain.count("\n", 0, match.start()) + 1
                found.append(f"{where}:{line}: {match.group()!r} is ruled out for {term.english!r}: write "
                             f"{term.chinese} (d2l-zh: {term.d2l_zh})")
    return found


def zh_texts(root: Path = ROOT):
    """(where, text) of every Chinese text of the collection that exists."""
    from d2l_birnn import i18n

    zh = i18n.LANGUAGES.index("zh")
    for key, texts in i18n.CATALOGUE.items():
        yield f"d2l_birnn/locale/zh.po [{key}]", texts[zh]
    for name in ("README.zh-CN.md", "LECTURE.zh-CN.md"):
        if (root / name).exists():
            yield name, (root / name).read_text(encoding="utf-8")
    for folder in ("zh", "zh/pytorch"):   # the MXNet and PyTorch editions in Chinese
        for path in sorted((root / "notebooks" / folder).glob("*.ipynb")):
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


# --- Typography ---------------------------------------------------------------------------
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"                 # Chinese characters
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026\u2014"
# Text that is not Chinese prose: code spans, display and inline math, URLs, link targets, HTML
# comments and tags (blanked, same length, before the italics and punctuation checks).
NOT_PROSE = re.compile(r"`[^`\n]*`|\$\$.*?\$\$|(?<!\\)\$[^$\n]*?(?<!\\)\$|https?://\S+"
                       r"|\]\([^)\s]*\)|<!--.*?-->|<[^>\n]*>", re.DOTALL)
ITALIC = re.compile(r"(?<![*\\])\*(?![*\s])([^*\n]+?)(?<![\s\\])\*(?!\*)"
                    r"|(?<![\w\\])_(?![_\s])([^_\n]+?)(?<![\s\\])_(?!\w)")
HALF_PUNCT = re.compile(rf"(?<=[{HAN}])[,;:?!()]|[,;:?!()](?=[{HAN}])")
FULL = dict(zip(",;:?!()", "，；：？！（）"))
BLOCK_START = re.compile(r"\s*([-*+]\s|\d+[.)]\s|#|\||>|\$\$|```|~~~|<|!\[|\[\^)")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _prose_lines(text: str):
    """(line number, line) of the lines outside fenced code and ``$$`` math blocks."""
    fence = math = False
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            continue
        if not fence and stripped.startswith("$$") and not (len(stripped) > 2 and stripped.endswith("$$")):
            math = not math
            continue
        if not fence and not math:
            yield number, line


def hard_breaks(text: str) -> list[int]:
    """Line numbers of lines with Chinese (or followed by a line with Chinese) that are continued by
    the next line of the same paragraph, whatever the line ends in (Chinese, code, math or a Latin
    word: a browser shows every such break as a stray space). A new list item, heading, table row,
    quote, math or code block is not a continuation; a line ending in two spaces or a backslash is
    a deliberate break."""
    lines = dict(_prose_lines(text))
    found = []
    for number, line in lines.items():
        after = lines.get(number + 1)
        if (after is None or not after.strip() or not line.strip() or line.endswith(("  ", "\\"))
                or BLOCK_START.match(line) and not re.match(r"\s*([-*+]|\d+[.)])\s", line)
                or BLOCK_START.match(after) or not re.search(f"[{HAN}]", line + after)):
            continue
        found.append(number)
    return found


def typography(text: str, where: str) -> list[str]:
    """One line per typographic problem in a Chinese markdown text: a hard line break inside a
    paragraph, italics on Chinese text, or half-width punctuation next to a Chinese character."""
    found = [f"{where}:{n}: hard line break inside a Chinese paragraph: join the line with the next"
             for n in hard_breaks(text)]
    prose = "\n".join(line if i in dict(_prose_lines(text)) else ""
                       for i, line in enumerate(text.split("\n"), 1))
    plain = NOT_PROSE.sub(_blank, prose)
    for match in ITALIC.finditer(plain):
        if not re.search(f"[{HAN}]", match.group()):
            continue
        line = plain.count("\n", 0, match.start()) + 1
        found.append(f"{where}:{line}: italics on Chinese text {match.group()!r}: drop the "
                     "markers (or use bold for a term being defined)")
    for match in HALF_PUNCT.finditer(_unquoted(plain)):   # quotations keep their punctuation
        line = plain.count("\n", 0, match.start()) + 1
        context = plain[max(0, match.start() - 6):match.end() + 6].replace("\n", " ")
        found.append(f"{where}:{line}: half-width {match.group()!r} in a Chinese sentence "
                     f"({context.strip()!r}): write {FULL[match.group()]}")
    return found


def check(texts, terms: list[Term] | None = None, catalogue_typography: bool = False) -> list[str]:
    """Ruled-out terms in every text, and typography in the markdown texts (the catalogue's
    strings, ``where`` starting with d2l_birnn/, are printed lines, not markdown: checked for
    typography only if ``catalogue_typography``)."""
    terms = load() if terms is None else terms
    problems = []
    for where, text in texts:
        problems += violations(text, where, terms)
        if catalogue_typography or not where.startswith("d2l_birnn/"):
            problems += typography(text, where)
    return problems


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
