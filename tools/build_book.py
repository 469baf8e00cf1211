"""Build the collection as a static website: one Sphinx book per language, from the committed
notebooks, without executing them (``make book``; output in ``build/book/``).

    build/book/index.html          sends the reader to en/
    build/book/en/                 README.md (landing page), LECTURE.md, REFERENCES.md,
                                   notebooks/*.ipynb and, when it exists, notebooks/pytorch/*.ipynb
    build/book/zh/                 README.zh-CN.md, LECTURE.zh-CN.md, REFERENCES.md,
                                   notebooks/zh/*.ipynb and notebooks/zh/pytorch/*.ipynb

Every notebook is found by glob, never from a list. Before Sphinx sees a notebook, a staged copy
(build/book-src/<lang>/) drops what a reader must not see: speaker notes (cells tagged ``notes``,
or their text in the ``speaker_notes`` metadata), widget views (replaced by a one-line static
note; the figures they drew stay) and the quick-mode notice (the committed outputs are full-mode).
Links between the repository's files are rewritten to the pages that show them (the other
language's book where they live there, GitHub for files that are not pages), and external badge
images become the site's own, so that a page makes no request outside the site. MathJax comes from
the PyPI package django-static-mathjax (MathJax 3.2.2) and is copied into each book.

Runs in the book's own environment (.venv-book, tools/book/requirements.txt):
``python tools/build_book.py [--root REPO] [--out DIR] [--force]``. The build is skipped when
nothing it reads has changed since the last one (a hash in ``<out>/.inputs``).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOOK_DIR = HERE / "book"
REPO_ROOT = HERE.parent
GITHUB = "https://github.com/d2l-birnn/d2l-birnn"
COLAB = "https://colab.research.google.com/github/d2l-birnn/d2l-birnn/blob/main/"
LANGS = ("en", "zh")
NOTES_TAG = "notes"
NOTES_FIRST_LINES = ("**Speaker notes.**", "**讲者备注", "**讲稿备注", "**演讲者备注")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = {
    "en": "Interactive control: open this notebook in Jupyter or Colab (badge at the top) to use it.",
    "zh": "交互控件：在 Jupyter 或 Colab 中打开本笔记本（页首的徽章）即可使用。",
}
COMMENT = re.compile(r"[ \t]*\n?[ \t]*<!--.*?-->", re.S)
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^()\s]+)\)")


def book_pages(root: Path, lang: str) -> dict[str, str]:
    """Repository path -> staged source path of every page of the ``lang`` book."""
    if lang == "en":
        pages = {"README.md": "index.md", "LECTURE.md": "lecture.md"}
        nb_dirs = {"notebooks": "notebooks", "notebooks/pytorch": "notebooks/pytorch"}
    else:
        pages = {"README.zh-CN.md": "index.md", "LECTURE.zh-CN.md": "lecture.md"}
        nb_dirs = {"notebooks/zh": "notebooks", "notebooks/zh/pytorch": "notebooks/pytorch"}
    pages = {src: dst for src, dst in pages.items() if (root / src).is_file()}
    if (root / "REFERENCES.md").is_file():
        pages["REFERENCES.md"] = "references.md"
    for src_dir, dst_dir in nb_dirs.items():
        for nb in sorted((root / src_dir).glob("[0-9]*.ipynb")):
            pages[f"{src_dir}/{nb.name}"] = f"{dst_dir}/{nb.name}"
    return pages


def quick_notices(root: Path) -> list[str]:
    """The quick-mode notice in both languages, from the package's catalogue (stdlib only)."""
    path = root / "d2l_birnn" / "i18n.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("_book_i18n", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [text for text in module.CATALOGUE.get("runtime.quick_notice", ()) if text]


class Linker:
    """Rewrites the links of one staged file (repository path ``src``, staged path ``dst``)."""

    def __init__(self, root: Path, lang: str, books: dict[str, dict[str, str]]):
        self.root, self.lang, self.books = root, lang, books
        self.files: set[str] = set()  # repository files that images show, copied into _files/

    def _doc_url(self, staged: str) -> str:
        return re.sub(r"\.(md|ipynb)$", ".html", staged)

    def target(self, src: str, dst: str, url: str, image: bool) -> str:
        if url.startswith("#"):  # raw HTML anchors (<a id>) too, which MyST cannot resolve
            return f"bookrel:{url}"
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
            return url
        path, _, anchor = url.partition("#")
        repo_path = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        frag = f"#{anchor}" if anchor else ""
        here = posixpath.dirname(dst) or "."
        up_to_site = "../" * (dst.count("/") + 1)
        own = self.books[self.lang]
        if repo_path in own:
            return posixpath.relpath(own[repo_path], here) + frag
        for lang, pages in self.books.items():
            if repo_path in pages:
                return f"bookrel:{up_to_site}{lang}/{self._doc_url(pages[repo_path])}{frag}"
        for folder, lang in (("notebooks", "en"), ("notebooks/zh", "zh")):
            if repo_path == folder:
                return f"bookrel:{up_to_site}{lang}/index.html"
        if image and (self.root / repo_path).is_file():
            self.files.add(repo_path)
            return posixpath.relpath(f"_files/{repo_path}", here)
        kind = "tree" if (self.root / repo_path).is_dir() else "blob"
        return f"{GITHUB}/{kind}/main/{repo_path}{frag}"

    def rewrite(self, text: str, src: str, dst: str) -> str:
        # HTML comments (the prose-number markers) say nothing to a reader; one that starts a line
        # would turn the rest of its paragraph into a raw HTML block.
        text = COMMENT.sub("", text)
        badge = posixpath.relpath("_static_site/colab-badge.svg", posixpath.dirname(dst) or ".")

        def one(match: re.Match) -> str:
            bang, label, url = match.groups()
            if bang and re.match(r"^https?://", url):
                if "colab-badge" in url:
                    return f"![{label}]({badge})"
                return label  # an external badge image: its alt text, still inside its link
            label = LINK.sub(one, label)
            return f"{bang}[{label}]({self.target(src, dst, url, bool(bang))})"

        return LINK.sub(one, text)


def is_notes(cell: dict) -> bool:
    if NOTES_TAG in cell.get("metadata", {}).get("tags", []):
        return True
    text = "".join(cell.get("source", "")).lstrip()
    return cell.get("cell_type") == "markdown" and text.startswith(NOTES_FIRST_LINES)


def clean_outputs(outputs: list, lang: str, notices: list[str]) -> list:
    """Outputs without widget views (a static note instead) and without the quick notice."""
    kept = []
    for out in outputs:
        data = out.get("data", {})
        text = "".join(out.get("text", "")) + "".join(
            "".join(v) for k, v in data.items() if k.startswith("text/"))
        if any(notice in text for notice in notices):
            continue
        if WIDGET_MIME in data:
            kept.append({"output_type": "display_data", "metadata": {}, "data": {
                "text/html": f'<p class="book-widget-note">{WIDGET_NOTE[lang]}</p>',
                "text/plain": WIDGET_NOTE[lang]}})
            continue
        kept.append(out)
    return kept


def stage_notebook(text: str, lang: str, src: str, dst: str, linker: Linker,
                   notices: list[str]) -> str:
    nb = json.loads(text)
    nb.get("metadata", {}).pop("widgets", None)
    cells = []
    for cell in nb["cells"]:
        if is_notes(cell):
            continue
        cell.get("metadata", {}).pop("speaker_notes", None)
        if cell["cell_type"] == "markdown":
            source = linker.rewrite("".join(cell["source"]), src, dst)
            cell["source"] = source
        if cell["cell_type"] == "code":
            cell["outputs"] = clean_outputs(cell.get("outputs", []), lang, notices)
        cells.append(cell)
    nb["cells"] = cells
    return json.dumps(nb, ensure_ascii=False, indent=1)


TOC_CAPTIONS = {
    "en": ("Notebooks (MXNet)", "Notebooks (PyTorch)", "Teaching and sources"),
    "zh": ("笔记本（MXNet）", "笔记本（PyTorch）", "教学与参考文献"),
}


def toctree(pages: dict[str, str], lang: str) -> str:
    staged = sorted(pages.values())
    mx = [p for p in staged if re.match(r"^notebooks/[^/]+\.ipynb$", p)]
    pt = [p for p in staged if p.startswith("notebooks/pytorch/")]
    other = [p for p in ("lecture.md", "references.md") if p in staged]
    blocks = []
    for caption, docs in zip(TOC_CAPTIONS[lang], (mx, pt, other)):
        if docs:
            entries = "\n".join(re.sub(r"\.(md|ipynb)$", "", d) for d in docs)
            blocks.append(f"\n\n```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{entries}\n```\n")
    return "".join(blocks)


def stage(root: Path, lang: str, books: dict, stage_dir: Path, notices: list[str]) -> dict:
    """Write the staged sources of one book; returns the page manifest the Sphinx extension reads."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    linker = Linker(root, lang, books)
    manifest = {}
    for src, dst in books[lang].items():
        text = (root / src).read_text(encoding="utf-8")
        out = stage_dir / dst
        out.parent.mkdir(parents=True, exist_ok=True)
        if dst.endswith(".ipynb"):
            out.write_text(stage_notebook(text, lang, src, dst, linker, notices), encoding="utf-8")
        else:
            text = linker.rewrite(text, src, dst)
            if dst == "index.md":
                text += toctree(books[lang], lang)
            out.write_text(text, encoding="utf-8")
        manifest[re.sub(r"\.(md|ipynb)$", "", dst)] = {"repo": src, "notebook": dst.endswith(".ipynb")}
    for path in linker.files:
        (stage_dir / "_files" / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / path, stage_dir / "_files" / path)
    (stage_dir / "_static_site").mkdir(parents=True, exist_ok=True)
    shutil.copy(BOOK_DIR / "_static" / "colab-badge.svg", stage_dir / "_static_site" / "colab-badge.svg")
    copy_mathjax(stage_dir / "_static_build" / "mathjax")
    return manifest


def copy_mathjax(dest: Path) -> None:
    """MathJax 3's TeX-to-SVG bundle (one file, no fonts to fetch) from django-static-mathjax."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("MathJax is missing: install tools/book/requirements.txt (make book does)")
    source = Path(list(spec.submodule_search_locations)[0]) / "static/mathjax/es5/tex-svg-full.js"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, dest / "tex-svg-full.js")


def input_hash(root: Path, books: dict) -> str:
    digest = hashlib.sha256()
    files = [root / src for pages in books.values() for src in pages]
    files += sorted(p for p in BOOK_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [Path(__file__).resolve(), root / "d2l_birnn" / "i18n.py"]
    for path in files:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


REDIRECT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=en/index.html">
<title>d2l-birnn</title></head>
<body><p><a href="en/index.html">English</a> · <a href="zh/index.html">简体中文</a></p></body></html>
"""


def build(root: Path, out: Path, force: bool = False, quiet: bool = True) -> None:
    books = {lang: book_pages(root, lang) for lang in LANGS}
    stamp = out / ".inputs"
    key = input_hash(root, books)
    if not force and stamp.is_file() and stamp.read_text() == key:
        print(f"{out}: up to date")
        return
    notices = quick_notices(root)
    src_root = out.parent / (out.name + "-src")
    for lang in LANGS:
        stage_dir = src_root / lang
        manifest = stage(root, lang, books, stage_dir, notices)
        site = {"lang": lang, "langs": {k: sorted(re.sub(r"\.(md|ipynb)$", "", v) for v in p.values())
                                        for k, p in books.items()},
                "pages": manifest, "colab": COLAB, "github": GITHUB}
        (stage_dir / "_book.json").write_text(json.dumps(site, ensure_ascii=False), encoding="utf-8")
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(BOOK_DIR),
               "-d", str(src_root / f"doctrees-{lang}"), str(stage_dir), str(out / lang)]
        if quiet:
            cmd.append("-q")
        for stale in (out / lang, src_root / f"doctrees-{lang}"):  # pages of removed notebooks go
            shutil.rmtree(stale, ignore_errors=True)
        env = dict(os.environ, BOOK_SITE=str(stage_dir / "_book.json"))
        subprocess.run(cmd, check=True, env=env)
        for src, dst in books[lang].items():  # the committed notebook, for download
            if dst.endswith(".ipynb"):
                (out / lang / dst).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(root / src, out / lang / dst)
    (out / "index.html").write_text(REDIRECT, encoding="utf-8")
    (out / ".nojekyll").write_text("")
    stamp.write_text(key)
    print(f"{out}: built {', '.join(f'{k} ({len(v)} pages)' for k, v in books.items())}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository to read")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "book")
    parser.add_argument("--force", action="store_true", help="build even when nothing changed")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    build(args.root.resolve(), args.out.resolve(), args.force, quiet=not args.verbose)


if __name__ == "__main__":
    main()
