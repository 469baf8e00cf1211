"""The website (``make book``, tools/build_book.py): the staging rules on small cases, then both
books in real headless Chromium, served over HTTP from 127.0.0.1 as GitHub Pages would serve them,
with every request outside the site refused.

- every page loads with no request outside the site, no console error, no failed load;
- every internal link leads to a file that exists, and to an anchor that exists on it;
- math is rendered by the shipped MathJax: no raw ``$$`` left, every math element typeset;
- no speaker notes and no quick-mode notice on any page; every notebook page has its Colab
  badge and a download link to the committed notebook;
- search finds an English term in the en book and a Chinese term in the zh book;
- the language switch lands on the same page; the framework switch (a PyTorch edition made in
  tmp_path from a copy of a notebook) lands on the same section.

The books are built first when missing or out of date (``make book``: its own environment,
.venv-book). Without Chromium or Playwright the browser tests skip, except under CI (and, in an
environment without the browser extra, such as CI's second Python, unless D2L_BIRNN_BOOK_REQUIRED
is set, as CI's website step does).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from _browser import chromium_path, launch

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "build" / "book"
BOOK_PY = ROOT / ".venv-book" / "bin" / "python"
# Set by CI's website step: there, a missing Chromium or Playwright fails instead of skipping.
REQUIRED = "D2L_BIRNN_BOOK_REQUIRED"
SPEC = importlib.util.spec_from_file_location("build_book", ROOT / "tools" / "build_book.py")
build_book = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build_book)


# --- staging rules (no browser, no Sphinx) ------------------------------------------------------

def _cell(kind, text, tags=(), outputs=None, **metadata):
    cell = {"cell_type": kind, "source": text, "metadata": {"tags": list(tags), **metadata}}
    if kind == "code":
        cell.update(outputs=outputs or [], execution_count=1)
    return cell


def test_staging_drops_notes_widgets_and_quick_notice():
    notice = "quick mode: the numbers below come from a few epochs"
    widget = {"output_type": "display_data", "metadata": {}, "data": {
        build_book.WIDGET_MIME: {"model_id": "x"}, "text/plain": "HBox(children=(IntSlider(...),))"}}
    figure = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}}
    nb = {"metadata": {"widgets": {"state": {}}}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        _cell("markdown", "# Title"),
        _cell("markdown", "**Speaker notes.**\n\nAnswer: 42", tags=["notes"]),
        _cell("markdown", "**Speaker notes.**\n\nuntagged, still notes"),
        _cell("markdown", "Visible text", speaker_notes="Answer: 41"),
        _cell("code", "f()", outputs=[
            {"output_type": "stream", "name": "stdout", "text": notice + " and more\n"},
            figure, widget]),
    ]}
    linker = build_book.Linker(ROOT, "en", {"en": {}, "zh": {}})
    staged = json.loads(build_book.stage_notebook(json.dumps(nb), "en", "notebooks/01_x.ipynb",
                                                  "notebooks/01_x.ipynb", linker, [notice]))
    text = json.dumps(staged)
    assert "Answer: 4" not in text and "untagged" not in text and "widgets" not in staged["metadata"]
    outputs = staged["cells"][-1]["outputs"]
    assert outputs[0] == figure  # the figure a widget drew stays; the notice is gone
    assert build_book.WIDGET_MIME not in outputs[1]["data"]
    assert outputs[1]["data"]["text/plain"] == build_book.WIDGET_NOTE["en"]
    assert len(outputs) == 2


def test_links_point_to_pages_of_the_right_book():
    books = {lang: build_book.book_pages(ROOT, lang) for lang in build_book.LANGS}
    en = build_book.Linker(ROOT, "en", books)
    zh = build_book.Linker(ROOT, "zh", books)
    nb = "notebooks/01_why_the_future_matters.ipynb"
    assert en.target(nb, nb, "../LECTURE.md#one-task", False) == "../lecture.md#one-task"
    assert en.target(nb, nb, "../README.md", False) == "../index.md"
    assert en.target(nb, nb, "02_hmm_forward_backward.ipynb", False) == "02_hmm_forward_backward.ipynb"
    assert en.target(nb, nb, "../LECTURE.zh-CN.md", False) == "bookrel:../../zh/lecture.html"
    zh_nb = "notebooks/zh/01_why_the_future_matters.ipynb"
    assert zh.target(zh_nb, nb, "../../REFERENCES.md", False) == "../references.md"
    assert zh.target(zh_nb, nb, "../00_start_here.ipynb", False) == \
        "bookrel:../../en/notebooks/00_start_here.html"
    assert en.target("README.md", "index.md", "d2l_birnn/exercises.py", False) == \
        f"{build_book.GITHUB}/blob/main/d2l_birnn/exercises.py"
    assert en.target("README.md", "index.md", "#platforms", False) == "bookrel:#platforms"
    text = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://x)"
    assert en.rewrite(text, "README.md", "index.md") == \
        "[![Open In Colab](_static_site/colab-badge.svg)](https://x)"
    assert en.rewrite("the table)\n<!-- fact 1.5: x -->. So", "README.md", "index.md") == \
        "the table). So"
    assert en.rewrite("[![Binder](https://mybinder.org/b.svg)](https://y)", "README.md",
                      "index.md") == "[Binder](https://y)"


# --- the built books in Chromium ----------------------------------------------------------------

def _make_book():
    subprocess.run(["make", "--no-print-directory", "book"], cwd=ROOT, check=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    """serve(directory) -> base URL of an HTTP server on 127.0.0.1 for that directory."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """(context, page, log): headless Chromium that refuses every request outside 127.0.0.1."""
    if importlib.util.find_spec("playwright") is None and not os.environ.get(REQUIRED):
        # e.g. CI's second Python (make test-core), whose environment has no browser extra
        pytest.skip(f"Playwright is not in this environment (make browser; {REQUIRED}=1 fails)")
    chromium_path()
    from playwright.sync_api import sync_playwright

    log = {"outside": [], "failed": [], "errors": []}
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path_factory.mktemp("book-chromium"), (1280, 900))
        context.route(re.compile(r"^(?!http://127\.0\.0\.1:\d+/).*"),
                      lambda route: (log["outside"].append(route.request.url), route.abort()))
        page = context.pages[0] if context.pages else context.new_page()
        page.on("requestfailed", lambda r: log["failed"].append(r.url))
        page.on("response", lambda r: r.status >= 400 and log["failed"].append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda e: log["errors"].append(str(e)))
        page.on("console", lambda m: m.type == "error" and log["errors"].append(m.text))
        yield context, page, log
        context.close()


@pytest.fixture(scope="module")
def book(serve, browser):
    _make_book()
    return serve(BOOK)


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _pages(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts)


READ_PAGE = """() => {
  const main = document.querySelector('article[role=main]') || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container').forEach(e => e.remove());
  const math = [...document.querySelectorAll('.math')];
  return {
    text: copy.innerText,
    untypeset: math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80)),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    lang: [...document.querySelectorAll('.book-lang a')].map(a => a.getAttribute('href')),
    colab: [...document.querySelectorAll('a.book-colab')].map(a => a.href),
    download: [...document.querySelectorAll('a.book-download')].map(a => a.href),
    framework: document.querySelectorAll('.book-fw').length,
  };
}"""


def _load(page, url: str) -> dict:
    page.goto(url, wait_until="load")
    page.wait_for_function("() => !window.MathJax || !MathJax.startup || !!MathJax.startup.document"
                           " && MathJax.startup.promise !== undefined")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    return page.evaluate(READ_PAGE)


def _check_link(base: str, out: Path, href: str, where: str, problems: list) -> None:
    if not href.startswith(base):
        return  # outside the site (GitHub, Colab, papers): a link, not a request
    parts = urlsplit(href)
    rel = unquote(parts.path)[len(urlsplit(base).path):]
    target = out / (rel or "index.html")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        problems.append(f"{where}: {href} (no such file)")
    elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(target):
        problems.append(f"{where}: {href} (no such anchor)")


def _notes_phrases(notebook: Path) -> list[str]:
    """From each speaker note of a committed notebook, a phrase of plain words (no markup) that
    the notebook's visible cells and outputs do not contain."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    notes, visible = [], []
    for cell in cells:
        meta = cell.get("metadata", {})
        text = "".join(cell["source"])
        if "notes" in meta.get("tags", []):
            notes.append(text)
        else:
            visible.append(text)
            visible += [json.dumps(o, ensure_ascii=False) for o in cell.get("outputs", [])]
        if meta.get("speaker_notes"):
            extra = meta["speaker_notes"]
            notes.append(extra if isinstance(extra, str) else "".join(extra))
    visible = "\n".join(visible)
    phrases = []
    for body in notes:
        runs = re.findall(r"[A-Za-z\u4e00-\u9fff][A-Za-z ,\u4e00-\u9fff\uff0c]{15,}",
                          body.replace("**Speaker notes.**", ""))
        runs = [run[:40].strip() for run in runs if run[:40].strip() not in visible]
        if runs:
            phrases.append(max(runs, key=len))
    return phrases


def _repo_notebook(rel: str) -> Path | None:
    """The committed notebook a page of the real book shows (en/notebooks/X.html ...)."""
    match = re.fullmatch(r"(en|zh)/notebooks/((?:pytorch/)?)([^/]+)\.html", rel)
    if not match:
        return None
    lang, fw, stem = match.groups()
    folder = "notebooks" + ("/zh" if lang == "zh" else "") + ("/pytorch" if fw else "")
    return ROOT / folder / f"{stem}.ipynb"


def _framework_twin(rel: str) -> bool:
    """Whether a page of the real book has its notebook in the other framework (the pages a
    framework switch can lead to: notebooks/X and notebooks/pytorch/X, per language)."""
    notebook = _repo_notebook(rel)
    if notebook is None:
        return False
    if notebook.parent.name == "pytorch":
        return (notebook.parent.parent / notebook.name).exists()
    return (notebook.parent / "pytorch" / notebook.name).exists()


def _page_problems(page, log, base: str, out: Path, rel: str, hidden: tuple, pytorch: bool) -> list:
    """What is wrong with one page of a built site (``out``, served at ``base``)."""
    for key in log:
        log[key].clear()
    seen = _load(page, base + rel)
    problems = [f"{rel}: {key}: {item}" for key, found in log.items() for item in found]
    if "$$" in seen["text"]:
        problems.append(f"{rel}: raw $$ on the page")
    problems += [f"{rel}: math not typeset: {m}" for m in seen["untypeset"]]
    problems += [f"{rel}: shows {w!r}" for w in hidden if w in seen["text"]]
    if not seen["lang"]:
        problems.append(f"{rel}: no language switch")
    if seen["framework"] and not pytorch:
        problems.append(f"{rel}: a framework switch, but no page in the other framework")
    if pytorch and not seen["framework"] and _repo_notebook(rel) is not None:
        problems.append(f"{rel}: no framework switch, though the other framework has this notebook")
    for href in seen["links"]:
        _check_link(base, out, href, rel, problems)
    return problems


def test_every_page_loads_offline_with_math_and_working_links(book, browser):
    _context, page, log = browser
    quick = tuple(build_book.quick_notices(ROOT))
    problems, pages, checked_notes = [], _pages(BOOK), 0
    assert len(pages) >= 2 * (len(list((ROOT / "notebooks").glob("[0-9]*.ipynb"))) + 3)
    for rel in pages:
        if rel == "index.html":  # the site's root: it sends the reader to en/
            assert 'url=en/index.html' in (BOOK / rel).read_text(encoding="utf-8")
            continue
        notebook = _repo_notebook(rel)
        notes = tuple(_notes_phrases(notebook)) + ("Speaker notes.",) if notebook else ()
        checked_notes += len(notes) > 1
        problems += _page_problems(page, log, book, BOOK, rel, quick + notes, _framework_twin(rel))
    assert not problems, "\n".join(problems[:40])
    assert checked_notes >= 2  # the check above looked for some speaker notes


# MathJax typesets every $$...$$ it may: raw $$ stays where it may not (or where it did not run).
PLANTS = ('<p><span class="mathjax_ignore">raw $$x^2$$</span> <a href="nosuch.html">dead</a>'
          ' <a href="lecture.html#no-such-anchor">x</a>'
          ' A planted speaker note.</p><img src="https://example.com/x.png">')


def test_page_check_finds_planted_faults(two_frameworks, browser):
    """The check above, on a page of the fixture site with a fault of each kind planted."""
    base, out = two_frameworks
    _context, page, log = browser
    text = (out / "en" / "lecture.html").read_text(encoding="utf-8")
    main = '<article role="main" id="furo-main-content">'
    assert main in text
    (out / "en" / "planted.html").write_text(text.replace(main, main + PLANTS), encoding="utf-8")
    clean = _page_problems(page, log, base, out, "en/lecture.html", ("A planted speaker note",), True)
    assert clean == []
    found = "\n".join(_page_problems(page, log, base, out, "en/planted.html",
                                     ("A planted speaker note",), True))
    for fault in ("raw $$", "nosuch.html (no such file)", "no-such-anchor (no such anchor)",
                  "outside: https://example.com/x.png", "shows 'A planted speaker note'"):
        assert fault in found, found


def test_notebook_pages_have_colab_badge_and_download(book, browser):
    _context, page, _log = browser
    _make_book()  # others may have saved a notebook since the fixture built the book
    for lang, folder in (("en", "notebooks"), ("zh", "notebooks/zh")):
        built = sorted((BOOK / lang / "notebooks").glob("*.html"))
        assert len(built) == len(list((ROOT / folder).glob("[0-9]*.ipynb")))
        for html_page in built:
            nb = ROOT / folder / f"{html_page.stem}.ipynb"
            seen = _load(page, f"{book}{lang}/notebooks/{html_page.name}")
            assert seen["colab"] == [f"{build_book.COLAB}{folder}/{nb.name}"]
            assert seen["download"] == [f"{book}{lang}/notebooks/{nb.name}"]
            assert (BOOK / lang / "notebooks" / nb.name).read_bytes() == nb.read_bytes()
            other = "zh" if lang == "en" else "en"
            same = f"notebooks/{nb.stem}"
            if not (BOOK / other / f"{same}.html").exists():
                same = "index"  # not translated yet: the other book's landing page
            assert f"../../{other}/{same}.html" in seen["lang"]
    landing = _load(page, f"{book}zh/index.html")
    readme = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", readme, re.M).group(1)
    assert page.inner_text("article[role=main] h1").strip().rstrip("#¶ ") == title.strip()
    assert "../en/index.html" in landing["lang"]


def _search(page, url: str) -> list[str]:
    page.goto(url, wait_until="load")
    page.wait_for_selector("#search-results p.search-summary, #search-results .search-summary",
                           timeout=20000)
    summaries = page.eval_on_selector_all("#search-results .search-summary",
                                          "ps => ps.map(p => p.textContent)")
    toolbar_words = ("Download .ipynb", "下载 .ipynb", "English", "简体中文")
    assert not [s for s in summaries if any(w in s[:60] for w in toolbar_words)], summaries
    return page.eval_on_selector_all("#search-results ul.search li a",
                                     "links => links.map(a => a.href.split('#')[0])")


@pytest.mark.parametrize("lang, term, page_name", [
    ("en", "trellis", "notebooks/02_hmm_forward_backward.html"),
    ("en", "perplexity", "notebooks/04_bilstm_gluon.html"),
    ("zh", "困惑度", "notebooks/04_bilstm_gluon.html"),
    ("zh", "前向递归", "notebooks/02_hmm_forward_backward.html"),
])
def test_search_finds_the_page(book, browser, lang, term, page_name):
    _context, page, _log = browser
    results = _search(page, f"{book}{lang}/search.html?q={term}")
    assert f"{book}{lang}/{page_name}" in results[:3], results


# --- the framework switch, on a PyTorch edition made in tmp_path --------------------------------

FIXTURE_NB = "03_birnn_from_scratch.ipynb"


@pytest.fixture(scope="module")
def two_frameworks(tmp_path_factory, serve, browser):
    if not BOOK_PY.exists():
        _make_book()  # creates .venv-book
    repo = tmp_path_factory.mktemp("book-repo")
    for name in ("README.md", "README.zh-CN.md", "LECTURE.md", "LECTURE.zh-CN.md", "REFERENCES.md",
                 "d2l_birnn/i18n.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "d2l_birnn" / "locale", repo / "d2l_birnn" / "locale")   # i18n's data
    for src, dst in (("notebooks", "notebooks"), ("notebooks", "notebooks/pytorch"),
                     ("notebooks/zh", "notebooks/zh"), ("notebooks/zh", "notebooks/zh/pytorch")):
        (repo / dst).mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / src / FIXTURE_NB, repo / dst / FIXTURE_NB)
    out = repo / "out"
    subprocess.run([str(BOOK_PY), str(ROOT / "tools" / "build_book.py"), "--root", str(repo),
                    "--out", str(out)], check=True)
    return serve(out), out


SCROLL_TO = """i => { const s = [...document.querySelectorAll('article[role=main] section[id]')][i];
  s.scrollIntoView({behavior: 'instant'}); return s.id; }"""
IN_VIEW = """id => { const top = document.getElementById(id).getBoundingClientRect().top;
  return top >= -5 && top <= 200; }"""


def _nth_section_heading_visible(page, index: int) -> str:
    section_id = page.evaluate(SCROLL_TO, index)
    page.wait_for_timeout(100)
    return section_id


def test_framework_switch_keeps_the_section(two_frameworks, browser):
    base, out = two_frameworks
    _context, page, log = browser
    stem = FIXTURE_NB.removesuffix(".ipynb")
    assert (out / "en" / "notebooks" / "pytorch" / f"{stem}.html").is_file()
    for key in log:
        log[key].clear()
    for lang in ("en", "zh"):
        _load(page, f"{base}{lang}/notebooks/{stem}.html")
        count = page.evaluate("() => document.querySelectorAll('article[role=main] section[id]').length")
        assert count >= 4
        index = count // 2
        section_id = _nth_section_heading_visible(page, index)
        page.click(".book-toolbar .book-fw a[data-fw=pytorch]")
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path.endswith(f"/{lang}/notebooks/pytorch/{stem}.html")
        assert unquote(urlsplit(page.url).fragment) == section_id
        page.wait_for_function(IN_VIEW, arg=section_id, timeout=5000)
        # and back, from another section
        back_id = _nth_section_heading_visible(page, index + 1)
        page.click(".book-toolbar .book-fw a[data-fw=mxnet]")
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path.endswith(f"/{lang}/notebooks/{stem}.html")
        assert unquote(urlsplit(page.url).fragment) == back_id
        page.wait_for_function(IN_VIEW, arg=back_id, timeout=5000)
    assert not log["outside"]


def test_language_switch_lands_on_the_same_page_and_section(two_frameworks, browser):
    base, _out = two_frameworks
    _context, page, _log = browser
    stem = FIXTURE_NB.removesuffix(".ipynb")
    _load(page, f"{base}en/notebooks/pytorch/{stem}.html")
    index = 3
    _nth_section_heading_visible(page, index)
    page.click(".book-toolbar .book-lang a")
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.endswith(f"/zh/notebooks/pytorch/{stem}.html")
    page.wait_for_function("i => { const top = [...document.querySelectorAll("
                           "'article[role=main] section[id]')][i].getBoundingClientRect().top;"
                           " return top >= -5 && top <= 200; }", arg=index, timeout=5000)
