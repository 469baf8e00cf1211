"""One message catalogue for every word a reader sees in a figure, a result table or a printed line.

The language is one setting, the environment variable ``D2L_BIRNN_LANG``
(``en``, the default, or ``zh``); the Chinese notebooks set it in their first
cell. Code is the same in both editions; only the catalogue differs::

    from d2l_birnn.i18n import msg, localize

    ax.set(xlabel=msg("axis.seq_len_T"), title=msg("nb05.memory.title", h=memory_h))
    display(localize(table))        # column/row labels that are English catalogue texts

The catalogue is gettext data in ``d2l_birnn/locale/`` (inside the package, so that a pip install
has it): ``messages.pot`` is the template, one entry per message with the key as ``msgctxt`` and the
English text as ``msgid``; each translation is one ``LANG.po`` (``zh.po``: ``msgid`` English,
``msgstr`` Chinese). Translation tools (Poedit, Weblate, ``msgmerge``) read both. A third language
is a new file, e.g. ``fr.po`` copied from ``messages.pot`` with its ``msgstr`` filled in: the
languages are ``en`` and the names of the ``.po`` files. The reader here is a small one for the
subset of the format the catalogue uses (comments, flags, ``msgctxt``/``msgid``/``msgstr``, strings
continued over lines; no plurals); it needs nothing outside the standard library.

A translation is **stale** when its ``msgid`` is no longer the template's English (the English was
changed after translating), or when it is marked ``#, fuzzy``; stale and missing translations are
not used (the English is shown, as gettext does) and :func:`catalogue_problems` lists them
(``python -m d2l_birnn.i18n`` exits 1 if there are any; ``tests/test_i18n.py`` runs it). To add a
message: append an entry to ``messages.pot`` and the same entry, with ``msgstr`` translated, to every
``LANG.po``. A text is used as it is when msg() gets no arguments (so LaTeX braces need no
escaping); with arguments it is a ``str.format`` template (flag ``python-brace-format``): all
languages use the same fields, and literal braces are doubled.

Chinese terms follow d2l-zh (《动手学深度学习》): 隐状态, 困惑度, 词元, 词表, 小批量,
迭代周期, 梯度裁剪, 前向递归/后向递归, 动态规划, 隐马尔可夫模型, 双向循环神经网络,
时间步 (see ``i18n/glossary.tsv``). When the language is ``zh``, a CJK font is
put first in matplotlib's font list (:mod:`d2l_birnn.fonts`).
"""

from __future__ import annotations

import difflib
import os
import re
import string
import sys
from pathlib import Path
from typing import NamedTuple

LANG_ENV = "D2L_BIRNN_LANG"
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TEMPLATE_NAME = "messages.pot"
ALIASES = {"zh-cn": "zh", "zh-hans": "zh", "en-us": "en", "en-gb": "en"}


class Entry(NamedTuple):
    """One message of a ``.po``/``.pot`` file: ``key`` (its msgctxt), ``msgid`` (English),
    ``msgstr`` (the translation; empty in the template), flags (``fuzzy``, ``python-brace-format``),
    translator comments (``#.`` lines) and the line where it starts."""

    key: str
    msgid: str
    msgstr: str
    flags: tuple = ()
    comments: tuple = ()
    line: int = 0


class PoError(ValueError):
    """A ``.po`` file this reader cannot read; the message names the file and line."""


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unquote(text: str, where: str) -> str:
    match = _STRING.fullmatch(text)
    if not match:
        raise PoError(f"{where}: expected one string in double quotes, got {text}")

    def one(m: re.Match) -> str:
        code = m.group(1)
        if code not in _ESCAPES:
            raise PoError(f"{where}: unknown escape \\{code} (write \\\\ for a backslash)")
        return _ESCAPES[code]

    return re.sub(r"\\(.)", one, match.group(1))


def _quote(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\t", "\\t").replace("\r", "\\r")) + '"'


def parse_po(text: str, where: str = "<po>") -> list[Entry]:
    """The entries of a ``.po``/``.pot`` text (the header, ``msgid ""``, left out).

    A :class:`PoError` names the line of anything outside the subset this reader takes."""
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    cur: dict = {}
    field = None

    def finish():
        nonlocal cur, field
        if "msgid" in cur or "msgstr" in cur or "msgctxt" in cur:
            start = cur["line"]
            if "msgid" not in cur or "msgstr" not in cur:
                raise PoError(f"{where}:{start}: an entry needs msgid and msgstr")
            if "msgctxt" not in cur:
                if cur["msgid"]:
                    raise PoError(f"{where}:{start}: msgid {cur['msgid']!r} has no msgctxt: the "
                                  "catalogue's key is the msgctxt (e.g. msgctxt \"axis.epoch\")")
            else:
                key = cur["msgctxt"]
                if key in seen:
                    raise PoError(f"{where}:{start}: key {key!r} again (first at line {seen[key]})")
                seen[key] = start
                entries.append(Entry(key, cur["msgid"], cur["msgstr"], tuple(cur.get("flags", ())),
                                     tuple(cur.get("comments", ())), start))
        cur, field = {}, None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        here = f"{where}:{number}"
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if "msgid" in cur or "msgctxt" in cur:
                finish()
            cur.setdefault("line", number)
            if line.startswith("#,"):
                cur.setdefault("flags", []).extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#."):
                cur.setdefault("comments", []).append(line[2:].strip())
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr"):
            if keyword != "msgstr" and "msgstr" in cur:
                finish()
            if keyword in cur:
                raise PoError(f"{here}: a second {keyword} in one entry (leave a blank line between entries)")
            cur.setdefault("line", number)
            cur[keyword] = _unquote(rest.strip(), here)
            field = keyword
        elif line.startswith('"') and field:
            cur[field] += _unquote(line, here)
        else:
            raise PoError(f"{here}: cannot read {line[:60]!r}: this reader takes comments, msgctxt, msgid, "
                          "msgstr and continued strings (no msgid_plural)")
    finish()
    return entries


def read_po(path: Path) -> list[Entry]:
    """The entries of one ``.po``/``.pot`` file."""
    return parse_po(Path(path).read_text(encoding="utf-8"), str(path))


def _po_string(keyword: str, text: str) -> str:
    if "\n" not in text[:-1]:
        return f"{keyword} {_quote(text)}"
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    return "\n".join([f'{keyword} ""'] + [_quote(p) for p in lines])


def format_po(entries, language: str | None) -> str:
    """A ``.po`` text (``language`` None: the template, ``messages.pot``) of ``entries``."""
    what = "template" if language is None else f"translation: {language}"
    out = [f"# d2l-birnn's message catalogue, {what}. Key: msgctxt; English: msgid"
           + ("." if language is None else "; translation: msgstr."),
           "# Read by d2l_birnn/i18n.py (see its docstring: how to add a message, the stale check).",
           'msgid ""', 'msgstr ""', '"Project-Id-Version: d2l-birnn\\n"',
           f'"Language: {"" if language is None else language}\\n"', '"MIME-Version: 1.0\\n"',
           '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"', ""]
    for e in entries:
        out += [f"#. {c}" for c in e.comments]
        flags = [f for f in e.flags if f != "python-brace-format"]
        if fields(e.msgid):
            flags.append("python-brace-format")
        if flags:
            out.append("#, " + ", ".join(flags))
        out += [_po_string("msgctxt", e.key), _po_string("msgid", e.msgid),
                _po_string("msgstr", "" if language is None else e.msgstr), ""]
    return "\n".join(out)


def write_po(path: Path, entries, language: str | None) -> None:
    Path(path).write_text(format_po(entries, language), encoding="utf-8")


def fields(template: str) -> set[str]:
    """The names of the format fields of ``template`` (``{T}``, ``{ppl:.1f}`` -> ``{'T', 'ppl'}``).

    Only identifiers count, so LaTeX groups such as ``x_{<t}`` are not fields
    (``W_{hq}`` would be: the catalogue keeps its LaTeX out of templates that take arguments).
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:   # a lone brace: not a template
        return set()
    names = {name.split(".")[0].split("[")[0] for _, name, _, _ in parsed if name}
    return {n for n in names if n.isidentifier()}


def load_catalogue(locale_dir: Path = LOCALE_DIR):
    """(languages, catalogue, problems) from ``locale_dir``: ``en`` and one language per ``.po``
    file; ``{key: (text in each language)}``, a stale or missing translation replaced by the
    English; and one line per stale, missing, extra or malformed translation."""
    if not (locale_dir / TEMPLATE_NAME).is_file():
        raise FileNotFoundError(f"{locale_dir / TEMPLATE_NAME} is missing: d2l_birnn was installed without "
                                "its message catalogue (pyproject.toml's package-data must list "
                                "locale/*.pot and locale/*.po); reinstall it from the repository")
    template = read_po(locale_dir / TEMPLATE_NAME)
    english = {e.key: e.msgid for e in template}
    languages = [DEFAULT_LANGUAGE]
    columns = [english]
    problems = []
    for path in sorted(locale_dir.glob("*.po")):
        lang = path.stem
        translated = {e.key: e for e in read_po(path)}
        column = {}
        for key, en in english.items():
            e = translated.get(key)
            where = f"{path.name} [{key}]"
            if e is None or not e.msgstr:
                problems.append(f"{where}: missing: add msgstr for {en!r}")
            elif e.msgid != en:
                problems.append(f"{where}: stale: translated from {e.msgid!r}, the English is now {en!r}: "
                                "update msgstr, then copy the new msgid")
            elif "fuzzy" in e.flags:
                problems.append(f"{where}: stale (marked fuzzy): check msgstr, then drop the flag")
            elif fields(e.msgstr) != fields(en):
                problems.append(f"{where}: fields {sorted(fields(e.msgstr))} differ from the English "
                                f"{sorted(fields(en))}")
            else:
                column[key] = e.msgstr
                continue
            column[key] = en
        problems += [f"{path.name} [{key}]: not in {TEMPLATE_NAME}: add it there or remove it"
                     for key in translated if key not in english]
        languages.append(lang)
        columns.append(column)
    catalogue = {key: tuple(col[key] for col in columns) for key in english}
    return tuple(languages), catalogue, problems


LANGUAGES, CATALOGUE, _PROBLEMS = load_catalogue()


def catalogue_problems(locale_dir: Path | None = None) -> list[str]:
    """Stale, missing, extra or malformed translations (empty when every language is complete)."""
    return list(_PROBLEMS) if locale_dir is None else load_catalogue(locale_dir)[2]


def language() -> str:
    """The language chosen by ``$D2L_BIRNN_LANG`` (read on every call): ``'en'`` or ``'zh'``."""
    value = os.environ.get(LANG_ENV, "").strip() or DEFAULT_LANGUAGE
    lang = value.lower().replace("_", "-")
    lang = ALIASES.get(lang, lang)
    if lang not in LANGUAGES:
        raise ValueError(f"{LANG_ENV}={value!r} is not a language of this collection; choose one of "
                         f"{', '.join(LANGUAGES)} (e.g. {LANG_ENV}=zh for the Chinese edition)")
    return lang


def set_language(lang: str) -> str:
    """Choose the language for this process (and its children): sets ``$D2L_BIRNN_LANG``."""
    previous = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        lang = language()
    except ValueError:
        if previous is None:
            del os.environ[LANG_ENV]
        else:
            os.environ[LANG_ENV] = previous
        raise
    if lang == "zh":
        _ensure_font()
    return lang


def _ensure_font() -> None:
    from . import fonts

    fonts.use_cjk_font()


def msg(key: str, *args, lang: str | None = None, **kwargs) -> str:
    """The text of catalogue entry ``key`` in the current language, formatted with the arguments.

    ``msg("plot.birnn.title", T=4)`` -> ``'A bidirectional RNN unrolled over 4 time steps'``
    (``'在 4 个时间步上展开的双向循环神经网络'`` with ``D2L_BIRNN_LANG=zh``).
    In Chinese this also makes sure a CJK font is first in matplotlib's list.
    """
    if key not in CATALOGUE:
        close = difflib.get_close_matches(key, CATALOGUE, n=3)
        hint = (f"; did you mean {', '.join(close)}?" if close
                else "; add it to d2l_birnn/locale/messages.pot and every LANG.po")
        raise KeyError(f"no message {key!r} in the catalogue{hint}")
    lang = language() if lang is None else lang
    if lang not in LANGUAGES:
        raise ValueError(f"lang={lang!r}: choose one of {', '.join(LANGUAGES)}")
    if lang == "zh":
        _ensure_font()
    template = CATALOGUE[key][LANGUAGES.index(lang)]
    if not args and not kwargs:
        return template
    try:
        return template.format(*args, **kwargs)
    except (KeyError, IndexError, ValueError) as e:
        raise KeyError(f"message {key!r} needs the arguments {sorted(fields(template))}; "
                       f"missing {e}") from None


def _english_to_current() -> dict[str, str]:
    """English text -> current-language text, for every catalogue entry."""
    index = LANGUAGES.index(language())
    return {entry[0]: entry[index] for entry in CATALOGUE.values()}


def localize(obj):
    """Translate labels that are English catalogue texts into the current language.

    ``obj``: a str (returned translated, or unchanged if it is not in the
    catalogue); a list/tuple of them; or a pandas ``DataFrame``/``Series``,
    returned as a copy whose column and index labels (and their names) are
    translated. Code keeps indexing with the English labels; only what is
    shown changes, e.g. ``display(localize(table))``. In Chinese it also turns
    on pandas' East Asian width option, so ``print(table.to_string())`` lines up.
    """
    table = _english_to_current()
    if language() == "zh":
        _ensure_font()

    def one(label):
        return table.get(label, label) if isinstance(label, str) else label

    if isinstance(obj, str):
        return one(obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(one(x) for x in obj)
    if hasattr(obj, "rename") and hasattr(obj, "index"):    # a pandas DataFrame or Series
        if language() == "zh":   # Chinese characters are two columns wide in to_string()
            import pandas as pd

            pd.set_option("display.unicode.east_asian_width", True)
        out = obj.rename(index=one)
        if hasattr(out, "columns"):
            out = out.rename(columns=one)
            out.columns = out.columns.rename(_names(out.columns, one))
        out.index = out.index.rename(_names(out.index, one))
        return out
    raise TypeError(f"localize() takes a str, a list/tuple of str or a pandas object, "
                    f"not {type(obj).__name__}")


def _names(index, one):
    names = [one(n) for n in index.names]
    return names if len(names) > 1 else names[0]


def main(argv=None) -> int:
    """``python -m d2l_birnn.i18n``: list stale, missing or extra translations; exit 1 if any."""
    for line in catalogue_problems():
        print(line)
    print(f"{len(CATALOGUE)} messages, languages {', '.join(LANGUAGES)}: "
          f"{len(_PROBLEMS)} problem(s)", file=sys.stderr)
    return 1 if _PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
