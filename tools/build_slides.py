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
lines are left out of the decks (the notebooks keep them).
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
CACHE = ROOT / "build" / "slides-assets"
TEMPLATE = "slides_template"  # tools/slides_template/
THEME = "white"
NBVAL_MARKER = re.compile(r"^# NBVAL_[A-Z_]+[ \t]*(\n|$)", re.MULTILINE)

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


def install_assets(out: Path) -> Path:
    """Unpack the files the decks load into ``out/_assets``; returns that folder."""
    assets = out / "_assets"
    stamp = assets / ".installed.json"
    if stamp.exists() and json.loads(stamp.read_text()) == sorted(ASSETS):
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
    stamp.write_text(json.dumps(sorted(ASSETS)))
    return assets


def exporter():
    """nbconvert's SlidesExporter with local asset URLs and the offline template."""
    from nbconvert import SlidesExporter

    return SlidesExporter(template_name=TEMPLATE, extra_template_basedirs=[str(ROOT / "tools")],
                          reveal_theme=THEME, reveal_scroll=True, **URLS)


def deck_name(notebook: Path) -> str:
    return notebook.stem + ".slides.html"


def build(notebooks: list[Path], out: Path) -> list[Path]:
    """Write one deck per notebook and an index page into ``out``; returns the decks."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    install_assets(out)
    slides = exporter()
    decks = []
    for notebook in notebooks:
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:  # test markers are not for the audience
            if cell.cell_type == "code":
                cell.source = NBVAL_MARKER.sub("", cell.source)
        body, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
        deck = out / deck_name(notebook)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    items = "\n".join(f'<li><a href="{html.escape(d.name)}">{html.escape(d.stem[:-7])}</a></li>'
                      for d in decks)
    (out / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>d2l-birnn slides</title></head>\n<body><h1>d2l-birnn slides</h1>\n"
        f"<p>Arrow keys move, S opens speaker notes, Esc shows all slides.</p>\n<ul>\n{items}\n"
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
