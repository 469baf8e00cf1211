"""Add a message to the catalogue (d2l_birnn/locale/): the template and every translation at once.

    python tools/catalogue.py add nb02.hmm.repr --en "HMM({k} states)" --zh "隐马尔可夫模型（{k} 个状态）" \
        [--comment "notebook 02"]
    python tools/catalogue.py check        # stale, missing or extra translations; exit 1 if any

``add`` appends the entry to ``messages.pot`` (msgctxt = key, msgid = English, msgstr empty) and to
each ``LANG.po`` (the same, msgstr = the translation; ``--zh`` for zh.po, ``--text LANG=TEXT`` for
another language). It refuses a key that exists and a translation whose ``{fields}`` differ from
the English. The files are rewritten in the form d2l_birnn/i18n.py's ``format_po`` writes
(tests/test_i18n.py checks that form), so appending by hand in the same form works as well.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from d2l_birnn import i18n  # noqa: E402  (i18n imports neither MXNet nor d2l)


def add(key: str, english: str, translations: dict[str, str], comment: str | None = None,
        locale_dir: Path = i18n.LOCALE_DIR) -> None:
    """Append one message to the template and to every ``LANG.po`` in ``locale_dir``."""
    template_path = locale_dir / i18n.TEMPLATE_NAME
    template = i18n.read_po(template_path)
    if any(e.key == key for e in template):
        raise ValueError(f"{key!r} is already in {template_path.name}: choose another key or edit it")
    po_paths = sorted(locale_dir.glob("*.po"))
    missing = sorted({p.stem for p in po_paths} - set(translations))
    if missing:
        raise ValueError(f"no translation for {', '.join(missing)} (give --zh TEXT / --text LANG=TEXT)")
    for lang, text in translations.items():
        if i18n.fields(text) != i18n.fields(english):
            raise ValueError(f"{lang}: fields {sorted(i18n.fields(text))} differ from the English "
                             f"{sorted(i18n.fields(english))}")
    comments = (comment,) if comment else ()
    i18n.write_po(template_path, template + [i18n.Entry(key, english, "", (), comments)], None)
    for path in po_paths:
        entries = i18n.read_po(path)
        entries.append(i18n.Entry(key, english, translations[path.stem], (), comments))
        i18n.write_po(path, entries, path.stem)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("add", help="add a message")
    one.add_argument("key")
    one.add_argument("--en", required=True)
    one.add_argument("--zh")
    one.add_argument("--text", action="append", default=[], help="LANG=TEXT for another language")
    one.add_argument("--comment")
    sub.add_parser("check", help="list stale, missing or extra translations")
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = i18n.catalogue_problems(i18n.LOCALE_DIR)
        print("\n".join(problems) or f"{len(i18n.CATALOGUE)} messages, all translated")
        return 1 if problems else 0
    translations = dict(t.split("=", 1) for t in args.text)
    if args.zh is not None:
        translations["zh"] = args.zh
    try:
        add(args.key, args.en, translations, args.comment)
    except ValueError as e:
        print(f"catalogue.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
