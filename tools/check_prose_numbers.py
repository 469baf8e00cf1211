"""Check that every number in a notebook's prose is printed by that notebook.

    python tools/check_prose_numbers.py                 # report on every notebook
    python tools/check_prose_numbers.py --check         # the same, exit 1 on any problem
    python tools/check_prose_numbers.py notebooks/01_why_the_future_matters.ipynb

Default notebooks: those of the four editions (notebooks/, zh/, pytorch/, zh/pytorch/), each
checked against its own outputs. The committed outputs are read, nothing is run. Speaker notes
(a cell's metadata ``speaker_notes``) are checked as markdown and reported at their cell's
index, marked "(speaker notes)". A number in a markdown cell passes when

* it is printed by an output of the same notebook (stream, text, HTML table, markdown), allowing
  the prose's rounding: printed 84.47 may be written 84.5 or 84, 0.878 may be 0.88, 1.91x may
  be 1.9x; a fraction 0.845 (or 84.47 in an "accuracy (%)" column) may be written 84.5%, but a
  percentage never matches a bare printed integer. An integer with trailing zeros right after
  "about", "some", "near", "nearly", "roughly", "~" may round to its last non-zero digit, by at
  most 5% ("about 4,300" passes for 4,327 and "near 70" for 69.44; "about 20" fails for 16).
  Signs are ignored. A setting the code shows but no output prints (``chunk = 500``) is not
  printed: print it or declare it;
* or it is declared a fact, in the cell's (or the notebook's) metadata
  ``"numbers": {"facts": {"1997": "Schuster & Paliwal"}}`` or inline, invisible when rendered:
  ``<!-- fact 1997: Schuster & Paliwal -->`` (several numbers: ``<!-- fact 1997, 2005: ... -->``).
  A fact whose reason starts with ``=`` is derived and checked: ``<!-- fact 21 = 78.0 - 57.3 -->``
  passes only if 78.0 and 57.3 are printed and the arithmetic rounds to 21.

Not checked (ordinary language and structure): code spans and fenced code; integers 0 to 10
without ``%`` or ``x`` ("two directions", "1 layer"); numbers written as words; numbers inside
LaTeX math, except a math span that is only a number (``$0.95$``) and a plain number right of
``=``, ``\\approx``, ``<``, ``>``, ``\\le``, ``\\ge`` that ends the formula (``$35^2 = 1225$``
checks 1225; ``$x_1$``, ``2h``, ``k^T`` are structure); heading numbers (``## 2. Measured``),
list numbers (``1.``), references (``notebook 04``, ``Section 2``, ``d2l-zh 9.4``,
``Exercise 3``, ``Application 1``, ``[11]``), years after a name or in parentheses
(``Paliwal 1997``, ``(2005)``), version numbers (``1.9.1``), dates, links and HTML tags. The
same in Chinese prose: ``第9.4节``, ``第10章``, ``1997年`` are references, ``约`` is "about", and
``；`` ``。`` end clauses.

Pairings: a setting and its result must come from the same output line or table row.

* A part and its whole, "630 of the 1225 pairs", "8 of its 26 uses": both on one line or row.
* Automatically: a setting ``n = 6``, ``$n = 6$``, ``n=6`` or ``lr 2`` pairs with every decimal
  or percentage of its clause (clauses end at ``;``, `` vs ``, ``. ``; numbers of a declared pair
  are left to it); one output line or table row must have both (a pandas row whose index is
  named ``n`` reads ``n=6``). In printed lines, a number that a table of the notebook has in
  another row than the setting's is an error (a print that pairs n=6 with a column's minimum).
* Explicitly: metadata ``"numbers": {"pairs": [["n=6", "84.5%"]]}`` or inline
  ``<!-- pair n=6 | 84.5% -->``: every item must be on one output line or table row.

Code: each ``d2l.full_mode_value(X, ...)`` in a code cell quotes the full-mode result X (it is
shown in quick mode); X must be printed by the notebook's committed (full-mode) outputs.
"""

from __future__ import annotations

import argparse
import ast
import html.parser
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTES_KEY = "speaker_notes"  # a cell's speaker notes (markdown in its metadata): checked too
SMALL_INT = 10  # integers up to this one, without % or x, are ordinary language

NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
NUMBER_RE = re.compile(rf"(?<![A-Za-z0-9_.])(?:x|×)?({NUMBER})(\s?%|x(?![A-Za-z0-9_])|×)?")
APPROX_RE = re.compile(r"(?:about|some|near|nearly|roughly|around|~|≈|约|大约|近)\s*$", re.I)
REFERENCE_RE = re.compile(
    r"(?:notebooks?|sections?|§|exercises?|applications?|chapters?|answers?|cells?|tables?|"
    r"figures?|fig\.|d2l(?:-zh|-en)?|claims?|第|笔记本|练习|图|表)[ \t]*\[?$", re.I)
FOLLOWING_REFERENCE_RE = re.compile(r"^\s*(?:节|章|年)")  # 第9.4节, 1997年 (Chinese edition)
YEAR_RE = re.compile(r"(?:[A-Z][\w\-]+(?: et al\.)?,?\s+|\()$")
VERSION_RE = re.compile(r"(?<![\w.])\d+\.\d+\.\d+(?:\.\d+)*")
PART_OF_RE = re.compile(rf"({NUMBER})\s+(?:out\s+)?of\s+(?:the|its|all)?\s*({NUMBER})(?![\w.])")
CLAUSE_RE = re.compile(r";|\bvs\.?\s|\.\s|\n|；|。")


@dataclass
class Number:
    """A number as written: its value, the decimals shown and its suffix (%, x or '')."""

    text: str
    value: float
    decimals: int
    suffix: str
    start: int = 0
    approx: bool = False

    @classmethod
    def parse(cls, text: str, suffix: str = "", start: int = 0) -> Number:
        plain = text.replace(",", "")
        mantissa = plain.lower().split("e")[0]
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return cls(text, float(plain), decimals, (suffix or "").strip().replace("×", "x"), start)

    @property
    def is_measured(self) -> bool:
        return self.decimals > 0 or self.suffix in ("%", "x")


@dataclass
class Violation:
    """One problem: where (cell index), which number, why, and the sentence around it."""

    cell: int
    number: str
    reason: str
    context: str

    def __str__(self) -> str:
        return f"  [{self.cell}] {self.number}: {self.reason}\n      \"{self.context}\""


@dataclass
class Outputs:
    """What a notebook printed: its lines (table rows count as lines) and their numbers."""

    lines: list[str] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    tables: list[list[str]] = field(default_factory=list)  # each: the row lines of one table


# ----------------------------------------------------------------------------- matching

def rounds_to(written: Number, printed: float) -> bool:
    """True when ``printed`` rounded to the decimals of ``written`` gives ``written``."""
    if "e" in written.text.lower():
        exponent = int(written.text.lower().split("e")[1])
        written_mantissa = abs(written.value) / 10 ** exponent
        return abs(abs(printed) / 10 ** exponent - written_mantissa) <= 0.5 * 10 ** -written.decimals + 1e-9
    tolerance = 0.5 * 10 ** -written.decimals
    if written.approx and written.decimals == 0:  # "about 4,300": round to the last non-zero digit
        zeros = len(str(int(written.value))) - len(str(int(written.value)).rstrip("0"))
        tolerance = max(tolerance, min(0.5 * 10 ** zeros, 0.05 * abs(written.value)))
    return abs(abs(printed) - abs(written.value)) <= tolerance * (1 + 1e-9) + 1e-12


def candidates(printed: Number, as_percent: bool) -> list[tuple[float, int]]:
    """(value, decimals) a printed number may be written as: itself, or as a percentage
    (0.845 or 84.5% or, in an "accuracy (%)" column, 84.47 -> 84.5%) when the prose writes
    one, or as a fraction (84.5% -> 0.845)."""
    if printed.suffix == "%":
        return [(printed.value, printed.decimals)] if as_percent else \
            [(printed.value / 100, printed.decimals + 2)]
    if as_percent:  # printed as a percentage, a fraction or a decimal, never a bare integer
        if printed.decimals == 0:
            return []
        return [(printed.value * 100, max(printed.decimals - 2, 0))] if printed.value <= 1.0 \
            else [(printed.value, printed.decimals)]
    return [(printed.value, printed.decimals)]


def matches(written: Number, printed: Number) -> bool:
    """Could ``written`` be the prose's rounding of ``printed``? The prose may drop digits,
    never add them (84.5 printed is not 84.50 written)."""
    scientific = "e" in written.text.lower() or "e" in printed.text.lower()
    for value, decimals in candidates(printed, written.suffix == "%"):
        if (scientific or written.decimals <= decimals) and rounds_to(written, value):
            return True
    return False


def printed_anywhere(written: Number, outputs: Outputs) -> bool:
    return any(matches(written, p) for p in outputs.numbers)


def nearest(written: Number, outputs: Outputs, k: int = 3) -> str:
    """The printed values closest to ``written``, as a hint for the author."""
    pool = sorted({p.text + p.suffix for p in outputs.numbers
                   if abs(p.value - written.value) <= max(1.0, 0.2 * abs(written.value))
                   or (written.suffix == "%" and abs(100 * p.value - written.value) <= 5)},
                  key=lambda t: (abs(Number.parse(t.rstrip("%x")).value - written.value), t))
    return ", ".join(pool[:k]) if pool else "none close"


def numbers_in(text: str) -> list[Number]:
    """Every number in a line of output (no exclusions: more printed numbers only help)."""
    return [Number.parse(m.group(1), m.group(2), m.start(1)) for m in NUMBER_RE.finditer(text)]


# ----------------------------------------------------------------------------- outputs

class _TableParser(html.parser.HTMLParser):
    """Rows of the HTML tables of an output, pandas-style: header rows in <thead>, index labels
    in each body row's <th>. Returns each body row as one line, ``name=label v1 v2 ...`` when
    the index has a name (pandas prints it in a second header row)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[str]] = []
        self._rows: list[tuple[bool, list[tuple[str, str]]]] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._rows.append((self._in_head, []))
        elif tag in ("td", "th"):
            self._cell = [tag]

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1][1].append((self._cell[0], "".join(self._cell[1:]).strip()))
            self._cell = None
        elif tag == "table":
            self.tables.append(_row_lines(self._rows))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _row_lines(rows) -> list[str]:
    index_name = ""
    for in_head, cells in rows:
        if in_head and len(cells) > 1 and cells[0][1] and not any(text for _, text in cells[1:]):
            index_name = cells[0][1]
    lines = []
    for in_head, cells in rows:
        if in_head:
            continue
        labels = [text for tag, text in cells if tag == "th"]
        values = [text for tag, text in cells if tag == "td"]
        head = f"{index_name}={labels[0]}" if index_name and len(labels) == 1 else " ".join(labels)
        lines.append(" ".join([head] + values).strip())
    return lines


def read_outputs(nb: dict) -> dict[int, Outputs]:
    """Per code cell, what it printed; key -1 holds everything the notebook printed."""
    per_cell: dict[int, Outputs] = {-1: Outputs()}
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        out = per_cell.setdefault(index, Outputs())
        for output in cell.get("outputs", []):
            _read_one_output(output, out)
        everything = per_cell[-1]
        everything.lines += out.lines
        everything.numbers += out.numbers
        everything.tables += out.tables
    return per_cell


def _read_one_output(output: dict, out: Outputs) -> None:
    texts = []
    if output.get("output_type") == "stream":
        texts.append("".join(output.get("text", "")))
    data = output.get("data", {})
    if "text/html" in data:
        parser = _TableParser()
        parser.feed("".join(data["text/html"]))
        out.tables += parser.tables
        texts += ["\n".join(rows) for rows in parser.tables]
        if not parser.tables:
            texts.append(re.sub(r"<[^>]+>", " ", "".join(data["text/html"])))
    if "text/markdown" in data:
        texts.append("".join(data["text/markdown"]))
    if "text/plain" in data and "text/html" not in data:
        texts.append("".join(data["text/plain"]))
    for text in texts:
        text = VERSION_RE.sub(lambda m: " " * len(m.group()), text)  # 1.23.5 is no 1.23
        for line in text.splitlines():
            out.lines.append(line)
            out.numbers += numbers_in(line)


# ----------------------------------------------------------------------------- prose

MARKER_RE = re.compile(r"<!--\s*(fact|pair)\b(.*?)-->", re.S)
EQ_SETTING_RE = re.compile(r"(?<![\w\\{])([a-zA-Z])\s*=\s*(\d+(?:\.\d+)?)(?![\d.,]\d)")
LR_SETTING_RE = re.compile(r"(?:\b(?:lr|learning rate)|学习率)\s*=?\s*(\d+(?:\.\d+)?)(?![\d.,]\d)")
MATH_RE = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
MATH_VALUE_RE = re.compile(
    rf"^\s*({NUMBER})\s*$|(?:=|\\approx|<|>|\\le|\\ge|\\leq|\\geq)\s*({NUMBER})\s*(?:\\?[,.;]?\s*)$")


@dataclass
class Markers:
    """What an author declared for a cell: facts {number: reason} and pairs [[item, ...]]."""

    facts: dict[str, str] = field(default_factory=dict)
    pairs: list[list[str]] = field(default_factory=list)


def read_markers(source: str, metadata: dict) -> Markers:
    """Facts and pairs from ``metadata["numbers"]`` and from ``<!-- fact/pair ... -->``."""
    numbers = metadata.get("numbers", {})
    markers = Markers(dict(numbers.get("facts", {})), [list(p) for p in numbers.get("pairs", [])])
    for kind, body in MARKER_RE.findall(source):
        body = body.strip()
        if kind == "pair":
            markers.pairs.append([item.strip() for item in body.split("|") if item.strip()])
            continue
        keys, sep, reason = re.split(r"(:|=)", body, maxsplit=1) if re.search(r"[:=]", body) \
            else (body, "", "")
        for key in re.split(r",?\s+", keys.strip()):  # "1997, 2005" is two facts, "100,000" one
            if key:
                markers.facts[key] = ("= " + reason.strip()) if sep == "=" else reason.strip()
    return markers


def _blank(text: str, start: int, end: int, keep: list[tuple[int, int]] = ()) -> str:
    """``text`` with [start, end) replaced by spaces, except the spans in ``keep``."""
    chars = list(text)
    kept = {i for a, b in keep for i in range(a, b)}
    for i in range(start, end):
        if i not in kept and chars[i] != "\n":
            chars[i] = " "
    return "".join(chars)


def normalise(source: str) -> str:
    """LaTeX's thousands separator ``10{,}000`` written as ``10,000``."""
    return source.replace("{,}", ",")


def mask_prose(source: str) -> str:
    """The markdown (normalised) with everything that is not checked blanked out, positions
    unchanged."""
    text = source
    for pattern in (r"<!--.*?-->", r"```.*?```", r"`[^`\n]*`", r"\]\([^)]*\)", r"<[^>\n]+>",
                    r"\b\d{4}-\d{2}-\d{2}\b", r"\b\d+\.\d+\.\d+\b", r"^\s*#+\s*\d+(?:\.\d+)*[.:]?",
                    r"^\s*\d+\.\s", r"\[\d+\]"):
        for m in re.finditer(pattern, text, re.S | re.M):
            text = _blank(text, m.start(), m.end())
    for m in MATH_RE.finditer(text):
        body_start = m.start(1) if m.group(1) is not None else m.start(2)
        body = m.group(1) if m.group(1) is not None else m.group(2)
        keep = [(body_start + s.start(), body_start + s.end())
                for s in list(EQ_SETTING_RE.finditer(body))]
        value = MATH_VALUE_RE.search(body)
        if value:
            group = 1 if value.group(1) else 2
            keep.append((body_start + value.start(group), body_start + value.end(group)))
        text = _blank(text, m.start(), m.end(), keep)
    return text


def prose_numbers(masked: str) -> list[Number]:
    """Numbers to check in masked prose, without references, years and small integers."""
    found = []
    for m in NUMBER_RE.finditer(masked):
        number = Number.parse(m.group(1), m.group(2), m.start(1))
        before = masked[max(0, m.start() - 40):m.start()]
        if (REFERENCE_RE.search(before) or FOLLOWING_REFERENCE_RE.match(masked[m.end():])) \
                and number.decimals <= 1 and not number.suffix:
            continue
        if YEAR_RE.search(before) and re.fullmatch(r"(?:18|19|20)\d\d", m.group(1)):
            continue
        if not number.suffix and number.decimals == 0 and number.value <= SMALL_INT \
                and "e" not in number.text.lower():
            continue
        number.approx = bool(APPROX_RE.search(before))
        found.append(number)
    return found


def settings_in(text: str) -> list[tuple[str, float, int]]:
    """Settings written in ``text``: (name, value, position), e.g. ('n', 6.0, 17), ('lr', 2.0, 40)."""
    found = [(m.group(1), float(m.group(2)), m.start()) for m in EQ_SETTING_RE.finditer(text)]
    found += [("lr", float(m.group(1)), m.start()) for m in LR_SETTING_RE.finditer(text)]
    return found


def line_has_setting(line: str, name: str, value: float) -> bool:
    return any(n == name and v == value for n, v, _ in settings_in(line))


def sentence_around(source: str, position: int, width: int = 90) -> str:
    start, end = max(0, position - width), min(len(source), position + width)
    return " ".join(source[start:end].split())


# ----------------------------------------------------------------------------- checks

def is_fact(number: Number, facts: dict[str, str], outputs: Outputs) -> bool | str:
    """True for a declared fact; an error message for a derived fact whose arithmetic fails."""
    for key, reason in facts.items():
        try:
            declared = Number.parse(key.rstrip("%x").strip())
        except ValueError:
            continue
        if declared.value != number.value:
            continue
        if reason.startswith("="):
            return check_derived(number, reason[1:], outputs)
        return True
    return False


def check_derived(number: Number, expression: str, outputs: Outputs) -> bool | str:
    """Evaluate ``78.0 - 57.3``: every operand printed, the result rounds to ``number``."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return f"derived fact '= {expression.strip()}' is not arithmetic"
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Add, ast.Sub, ast.Mult,
               ast.Div, ast.USub, ast.Pow)
    if not all(isinstance(node, allowed) for node in ast.walk(tree)):
        return f"derived fact '= {expression.strip()}' may use only numbers and + - * / **"
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            operand = Number.parse(ast.get_source_segment(expression.strip(), node) or str(node.value))
            as_percent = Number.parse(operand.text, "%")
            if not (printed_anywhere(operand, outputs) or printed_anywhere(as_percent, outputs)):
                return f"derived fact: operand {operand.text} is not printed by this notebook"
    result = eval(compile(tree, "<fact>", "eval"), {"__builtins__": {}})
    if not rounds_to(number, result):
        return f"derived fact: {expression.strip()} = {result:.6g}, which does not round to {number.text}"
    return True


def rows_with(outputs: Outputs, name: str, value: float) -> list[str]:
    return [line for line in outputs.lines if line_has_setting(line, name, value)]


def check_pairs_in_clause(clause: str, offset: int, numbers: list[Number], outputs: Outputs,
                          cell: int, source: str) -> list[Violation]:
    """Each measured number of a clause with a setting must share a line/row with the setting."""
    settings = [(n, v, offset + p) for n, v, p in settings_in(clause)]
    found = []
    for number in numbers:
        if not number.is_measured or not settings or not printed_anywhere(number, outputs):
            continue
        name, value, _ = min(settings, key=lambda s: abs(s[2] - number.start))
        if abs(value - number.value) < 1e-12:
            continue
        rows = rows_with(outputs, name, value)
        if rows and not any(any(matches(number, p) for p in numbers_in(row)) for row in rows):
            found.append(Violation(cell, number.text + number.suffix,
                                   f"paired with {name}={value:g} in this sentence, but no output "
                                   f"line or table row has both ({name}={value:g}: "
                                   f"{'; '.join(r[:70] for r in rows[:2])})",
                                   sentence_around(source, number.start)))
    return found


def item_on_line(item: str, line: str) -> bool:
    """Is a declared pair's item (``n=6``, ``lr 2``, ``84.5%``) on this output line/row?"""
    spans = [(m.start(), m.end()) for rx in (EQ_SETTING_RE, LR_SETTING_RE) for m in rx.finditer(item)]
    if not all(line_has_setting(line, name, value) for name, value, _ in settings_in(item)):
        return False
    wanted = [n for n in numbers_in(item) if not any(a <= n.start < b for a, b in spans)]
    return all(any(matches(w, p) for p in numbers_in(line)) for w in wanted)


def check_declared_pairs(pairs: list[list[str]], outputs: Outputs, cell: int) -> list[Violation]:
    """Every item of a declared pair must be on one output line or table row."""
    return [Violation(cell, " | ".join(items), "declared pair: no output line or table row has "
                      "all of its items", " | ".join(items))
            for items in pairs
            if not any(all(item_on_line(item, line) for item in items) for line in outputs.lines)]


def check_parts_of_wholes(masked: str, source: str, outputs: Outputs, cell: int) -> list[Violation]:
    """'630 of the 1225 pairs': the part and the whole must be printed on one line or row."""
    found = []
    for m in PART_OF_RE.finditer(masked):
        part, whole = Number.parse(m.group(1), "", m.start(1)), Number.parse(m.group(2))
        if part.value > whole.value or not (printed_anywhere(part, outputs)
                                            and printed_anywhere(whole, outputs)):
            continue  # not a part of a whole, or already reported as not printed
        if not any(any(matches(part, p) for p in numbers_in(line))
                   and any(matches(whole, p) for p in numbers_in(line)) for line in outputs.lines):
            found.append(Violation(cell, f"{part.text} of {whole.text}", "a part and its whole "
                                   "that no output line or table row prints together",
                                   sentence_around(source, part.start)))
    return found


def check_markdown_cell(index: int, cell: dict, outputs: Outputs, nb_facts: dict) -> list[Violation]:
    source = normalise("".join(cell["source"]))
    markers = read_markers(source, cell.get("metadata", {}))
    facts = {**nb_facts, **markers.facts}
    masked = mask_prose(source)
    numbers = prose_numbers(masked)
    violations = []
    for number in numbers:
        fact = is_fact(number, facts, outputs)
        if isinstance(fact, str):
            violations.append(Violation(index, number.text + number.suffix, fact,
                                        sentence_around(source, number.start)))
        elif not fact and not printed_anywhere(number, outputs):
            violations.append(Violation(
                index, number.text + number.suffix,
                f"not printed by this notebook (closest printed: {nearest(number, outputs)})",
                sentence_around(source, number.start)))
    declared = [w for items in markers.pairs for item in items for w in numbers_in(item)]
    start = 0
    for m in list(CLAUSE_RE.finditer(masked)) + [None]:
        end = m.start() if m else len(masked)
        in_clause = [n for n in numbers if start <= n.start < end
                     and not any(matches(n, d) for d in declared)]
        violations += check_pairs_in_clause(masked[start:end], start, in_clause, outputs, index,
                                            source)
        start = m.end() if m else end
    violations += check_parts_of_wholes(masked, source, outputs, index)
    return violations + check_declared_pairs(markers.pairs, outputs, index)


def check_printed_pairs(index: int, cell_outputs: Outputs, outputs: Outputs) -> list[Violation]:
    """A printed line that pairs a setting (n=6) with a number a table of the notebook has in
    another row (the minimum of a column, say) prints a wrong pair."""
    found = []
    for line in cell_outputs.lines:
        if any(line in table for table in outputs.tables):
            continue  # a table row is the reference, not a claim
        for clause in re.split(r";|\bvs\.?\s|\|", line):
            settings = settings_in(clause)
            for number in numbers_in(clause):
                if not number.is_measured or not settings:
                    continue
                name, value, _ = min(settings, key=lambda s: abs(s[2] - number.start))
                for table in outputs.tables:
                    own = [row for row in table if line_has_setting(row, name, value)]
                    elsewhere = [row for row in table if row not in own
                                 and any(matches(number, p) for p in numbers_in(row))]
                    if own and elsewhere and not any(matches(number, p)
                                                     for row in own for p in numbers_in(row)):
                        found.append(Violation(index, number.text + number.suffix,
                                               f"printed with {name}={value:g}, but the table row "
                                               f"{name}={value:g} does not have it; row "
                                               f"'{elsewhere[0][:60]}' does", line.strip()))
    return found


FULL_RE = re.compile(r"\bfull_mode_value\(\s*(?:value\s*=\s*)?(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)")


def check_full_values(index: int, cell: dict, outputs: Outputs) -> list[Violation]:
    """``d2l.full_mode_value(1.16, ...)`` must quote a number the committed outputs print."""
    found = []
    for m in FULL_RE.finditer("".join(cell["source"])):
        number = Number.parse(m.group(1).lstrip("-"))
        if not any(matches(number, p) for p in outputs.numbers):
            found.append(Violation(index, m.group(1), "full-mode value quoted in code is not "
                                   f"printed by the committed outputs (closest printed: "
                                   f"{nearest(number, outputs)})", m.group(0)))
    return found


def check_notebook(path: Path) -> list[Violation]:
    """Every violation in one notebook, in cell order."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    per_cell = read_outputs(nb)
    outputs = per_cell[-1]
    nb_facts = nb.get("metadata", {}).get("numbers", {}).get("facts", {})
    violations = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            violations += check_markdown_cell(index, cell, outputs, nb_facts)
        elif cell["cell_type"] == "code":
            violations += check_printed_pairs(index, per_cell[index], outputs)
            violations += check_full_values(index, cell, outputs)
        notes = cell.get("metadata", {}).get(NOTES_KEY)
        if notes:   # speaker notes kept in the cell's metadata (tools/self_study.py)
            violations += [Violation(v.cell, v.number, v.reason, f"(speaker notes) {v.context}")
                           for v in check_markdown_cell(index, {"source": notes}, outputs, nb_facts)]
    return violations


def default_notebooks() -> list[Path]:
    """The notebooks of all four editions (tools/notebook_files.py): each is checked against its
    own outputs, so a PyTorch edition's prose must quote what its own run printed."""
    sys.path.insert(0, str(ROOT / "tools"))
    from notebook_files import edition_notebooks

    return edition_notebooks(ROOT / "notebooks")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks (default: every edition's, notebooks/**/NN_*.ipynb)")
    parser.add_argument("--check", action="store_true", help="exit 1 if any number fails")
    args = parser.parse_args(argv)
    total = 0
    for path in args.notebooks or default_notebooks():
        if not path.exists():
            parser.error(f"{path} does not exist; pass a notebook path, e.g. notebooks/01_*.ipynb")
        violations = check_notebook(path)
        total += len(violations)
        print(f"{path}: {len(violations) or 'no'} problem{'s' * (len(violations) != 1)}")
        for violation in violations:
            print(violation)
    if total:
        print(f"\n{total} number(s) in the prose are neither printed nor declared. Fix the text, or "
              "declare a fact: <!-- fact N: where it comes from --> (README, 'How to add a number "
              "to the prose').")
    return 1 if (args.check and total) else 0


if __name__ == "__main__":
    sys.exit(main())
