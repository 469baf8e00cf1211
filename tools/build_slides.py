"""Build a reveal.js deck of every notebook, usable offline: ``make slides``.

    .venv/bin/python tools/build_slides.py [--out slides] [notebooks ...]

Writes ``slides/NN_name.slides.html`` for each notebook, ``slides/index.html``
linking them, and ``slides/_assets/`` with reveal.js, MathJax 2, require.js
and jQuery. Every deck loads those from ``_assets/`` by relative URL, so the
folder works from a USB stick in a lecture hall with no network (open
``index.html`` in a browser, or serve the folder).

nbconvert's slides template loads all four from CDNs by default (and Mermaid,
which the notebooks do not use); the versions used here are the ones that
template was written for (reveal.js 4.0.2, MathJax 2.7.7, jQuery 2,
require.js 2). They come from the npm registry (``npm pack``, which checks
each package's integrity hash) and are cached in ``build/slides-assets/``.

Which cells start a slide comes from each cell's ``metadata.slideshow``,
written by ``tools/add_slide_metadata.py``. nbval's ``# NBVAL_...`` marker
lines are left out of the decks (the notebooks keep them). A cell's speaker notes (its metadata
``speaker_notes``, out of the students' sight: ``tools/self_study.py``) are the deck's notes (S).

A deck's language (its ``<html lang>``, the index page, the lecture deck's own
words) is the one the notebooks' first code cell sets
(``os.environ["D2L_BIRNN_LANG"] = "zh"`` in notebooks/zh), else
``$D2L_BIRNN_LANG``; its words come from ``d2l_birnn/i18n.py``. Each edition
gets its own folder (``make slides``: ``slides/`` and ``slides/zh/``).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from d2l_birnn import i18n  # noqa: E402  (i18n imports neither MXNet nor d2l)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from self_study import expand_notes  # noqa: E402  (speaker notes kept in cell metadata)

CACHE = ROOT / "build" / "slides-assets"
TEMPLATE = "slides_template"  # tools/slides_template/
THEME = "white"
NBVAL_MARKER = re.compile(r"^# NBVAL_[A-Z_]+[ \t]*(\n|$)", re.MULTILINE)
LANG_SETTING = re.compile(re.escape(i18n.LANG_ENV) + r"""['"]\s*\]\s*=\s*['"]([\w-]+)['"]""")

# npm package -> {path in the package: path under _assets/} (a folder copies its contents).
ASSETS = {
    "reveal.js@4.0.2": {name: f"reveal.js/{name}" for name in (
        "dist/reveal.js", "dist/reveal.css", "dist/reset.css", "plugin/notes", "LICENSE",
        # The theme: "white" uses a font shipped with reveal.js; several others (and
        # nbconvert's default, "simple") import fonts from Google's servers.
        f"dist/theme/{THEME}.css", "dist/theme/fonts/source-sans-pro")},
    "mathjax@2.7.7": {
        # What "MathJax.js?config=TeX-AMS_CHTML-full,Safe" loads: TeX in, CommonHTML out.
        name: f"mathjax/{name}" for name in (
            "MathJax.js", "LICENSE", "config/TeX-AMS_CHTML-full.js", "config/Safe.js",
            "config/local", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
            "jax/element", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
            "localization/en")},
    "requirejs@2.3.8": {"require.js": "require.js"},
    "jquery@2.2.4": {"dist/jquery.min.js": "jquery.min.js"},
}
URLS = {
    "reveal_url_prefix": "_assets/reveal.js",
    "require_js_url": "_assets/require.js",
    "jquery_url": "_assets/jquery.min.js",
    "mathjax_url": "_assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}


def fetch(package: str) -> Path:
    """The npm tarball of ``package`` (name@version), downloaded once into the cache."""
    name, version = package.rsplit("@", 1)
    tarball = CACHE / f"{name.replace('/', '-')}-{version}.tgz"
    if tarball.exists():
        return tarball
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("'make slides' needs npm (Node.js) once, to fetch reveal.js, MathJax, "
                           "require.js and jQuery; install Node.js (e.g. apt-get install npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "pack", package, "--pack-destination", str(CACHE), "--json"],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not tarball.exists():
        raise RuntimeError(f"npm pack {package} failed:\n{result.stderr.strip()[-2000:]}")
    return tarball


# The speaker view (reveal.js's notes plugin writes its page into a new window) has no MathJax:
# it shows the notes' TeX as typed. These edits load the deck's local MathJax there and typeset
# each slide's notes when they arrive (the decks keep MathJax off the hidden notes themselves).
SPEAKER_HEAD = "<title>reveal.js - Speaker View</title>"
SPEAKER_MATHJAX = (
    "<script>window.MathJax = {tex2jax: {inlineMath: [['$','$']], displayMath: [['$$','$$']], "
    "processEscapes: true}, showMathMenu: false, messageStyle: 'none'};"
    "(function () { var s = document.createElement('script'); "
    "s.src = new URL('_assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe', "
    "window.opener.location.href).href; "
    # The page is written by document.write and never closed: no load event, so MathJax is started
    # here (it otherwise waits for one).
    "s.onload = function () { if (document.readyState !== 'complete') "
    "{ MathJax.Hub.Startup.onload(); } }; document.head.appendChild(s); })();<\\/script>")
SPEAKER_SET = "notesValue.innerHTML = data.notes;"
SPEAKER_TYPESET = (SPEAKER_SET + " if (window.MathJax && MathJax.Hub) "
                   "{ MathJax.Hub.Queue(['Typeset', MathJax.Hub, notesValue]); }")
ASSETS_VERSION = "speaker-view-mathjax-2"


def patch_speaker_view(notes_js: Path) -> None:
    """Give reveal.js's speaker view MathJax (see SPEAKER_MATHJAX); refuses an unknown plugin."""
    code = notes_js.read_text(encoding="utf-8")
    if SPEAKER_HEAD not in code or code.count(SPEAKER_SET) != 1:
        raise RuntimeError(f"{notes_js}: not reveal.js 4.0.2's notes plugin; cannot add MathJax to "
                           "the speaker view")
    code = code.replace(SPEAKER_HEAD, SPEAKER_HEAD + SPEAKER_MATHJAX, 1)
    notes_js.write_text(code.replace(SPEAKER_SET, SPEAKER_TYPESET, 1), encoding="utf-8")


def install_assets(out: Path) -> Path:
    """Unpack the files the decks load into ``out/_assets``; returns that folder."""
    assets = out / "_assets"
    stamp = assets / ".installed.json"
    if stamp.exists() and json.loads(stamp.read_text()) == [*sorted(ASSETS), ASSETS_VERSION]:
        return assets
    if assets.exists():
        shutil.rmtree(assets)
    for package, mapping in ASSETS.items():
        with tarfile.open(fetch(package)) as tar:
            members = tar.getmembers()
            for source, target in mapping.items():
                prefix = f"package/{source}"
                chosen = [m for m in members if m.isfile()
                          and (m.name == prefix or m.name.startswith(prefix + "/"))]
                if not chosen:
                    raise RuntimeError(f"{package} has no {source}")
                for member in chosen:
                    dest = assets / target / member.name[len(prefix):].lstrip("/")
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src:
                        dest.write_bytes(src.read())
    patch_speaker_view(assets / "reveal.js" / "plugin" / "notes" / "notes.js")
    stamp.write_text(json.dumps([*sorted(ASSETS), ASSETS_VERSION]))
    return assets


def text(key: str, lang: str, **fields) -> str:
    """Catalogue entry ``key`` of ``d2l_birnn/i18n.py`` in ``lang`` (no font set-up: no figures here)."""
    template = i18n.CATALOGUE[key][i18n.LANGUAGES.index(lang)]
    return template.format(**fields) if fields else template


def notebook_language(nb) -> str:
    """The language a notebook's first code cell sets (``os.environ["D2L_BIRNN_LANG"] = "zh"``),
    else ``$D2L_BIRNN_LANG``'s (default English): ``'en'`` or ``'zh'``."""
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    found = LANG_SETTING.search(first.source) if first is not None else None
    if found is None:
        return i18n.language()
    lang = found.group(1).lower().split("-")[0]
    if lang not in i18n.LANGUAGES:
        raise RuntimeError(f"a notebook's first cell sets {i18n.LANG_ENV}={found.group(1)!r}; choose one "
                           f"of {', '.join(i18n.LANGUAGES)}")
    return lang


def deck_language(notebooks) -> str:
    """The one language of ``notebooks`` (notebook nodes); refuses a mix of editions."""
    langs = sorted({notebook_language(nb) for nb in notebooks}) or [i18n.language()]
    if len(langs) > 1:
        raise RuntimeError(f"the notebooks are of several languages ({', '.join(langs)}); build each "
                           f"edition into its own folder (e.g. notebooks/zh/*.ipynb --out slides/zh)")
    return langs[0]


def exporter(lang: str = "en"):
    """nbconvert's SlidesExporter with local asset URLs, the offline template and ``<html lang>``."""
    from nbconvert import SlidesExporter

    return SlidesExporter(template_name=TEMPLATE, extra_template_basedirs=[str(ROOT / "tools")],
                          reveal_theme=THEME, reveal_scroll=True, language_code=lang, **URLS)


def deck_name(notebook: Path) -> str:
    return notebook.stem + ".slides.html"


def build(notebooks: list[Path], out: Path) -> list[Path]:
    """Write one deck per notebook and an index page into ``out``; returns the decks."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    install_assets(out)
    read = {notebook: nbformat.read(notebook, as_version=4) for notebook in notebooks}
    lang = deck_language(read.values())
    slides = exporter(lang)
    decks = []
    for notebook, nb in read.items():
        nb = expand_notes(nb)  # the speaker notes kept in cell metadata, as reveal.js notes
        for cell in nb.cells:  # test markers are not for the audience
            if cell.cell_type == "code":
                cell.source = NBVAL_MARKER.sub("", cell.source)
        body, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
        deck = out / deck_name(notebook)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    items = "\n".join(f'<li><a href="{html.escape(d.name)}">{html.escape(d.stem[:-7])}</a></li>'
                      for d in decks)
    title = html.escape(text("slides.index_title", lang))
    (out / "index.html").write_text(
        f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title></head>\n<body><h1>{title}</h1>\n"
        f"<p>{html.escape(text('slides.index_help', lang))}</p>\n<ul>\n{items}\n"
        "</ul></body></html>\n", encoding="utf-8")
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=ROOT / "slides", help="output folder")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        print("no notebooks found", file=sys.stderr)
        return 1
    try:
        decks = build(notebooks, args.out)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for deck in decks:
        print(deck)
    print(f"open {args.out / 'index.html'} (works offline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
