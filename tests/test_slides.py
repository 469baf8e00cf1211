"""Lecture slides: tools/add_slide_metadata.py and tools/build_slides.py.

The decks of all notebooks are built once (into a temporary folder) and
checked: the number of slides the metadata asks for, no error output, and
nothing loaded from the network. One deck is then opened in headless
Chromium with every non-local request blocked: reveal.js must start and
MathJax must typeset the formulas from the local copies alone.
"""

from __future__ import annotations

import copy
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urlparse

import nbformat
import pytest
from _browser import ARTIFACTS, ROOT, chromium_path, open_offline

sys.path.insert(0, str(ROOT / "tools"))
import add_slide_metadata  # noqa: E402
import build_slides  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))  # the Chinese edition: slides/zh/
EDITIONS = NOTEBOOKS + ZH_NOTEBOOKS


def edition_id(path) -> str:
    return f"zh/{path.name}" if path in ZH_NOTEBOOKS else path.name
SETUP = (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8")

# ---------------------------------------------------------------------------
# add_slide_metadata
# ---------------------------------------------------------------------------


def lecture() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99: A title\n\nWhat you will learn"),
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell("import d2l_birnn as d2l", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="hi\n")], execution_count=2),
        nbformat.v4.new_markdown_cell("## 1. A question\n\n$$y = f(x)$$"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("### A detail"),
        nbformat.v4.new_markdown_cell("<!-- notes -->\nSay this aloud."),
        nbformat.v4.new_markdown_cell("Text that mentions ## not at the start"),
        nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]),
        nbformat.v4.new_markdown_cell("What it shows: ..."),
        nbformat.v4.new_markdown_cell("## Summary"),
        nbformat.v4.new_markdown_cell("**Speaker notes.** Ask the room first.",
                                      metadata={"tags": ["lecture", "notes"]}),
        nbformat.v4.new_markdown_cell("## A heading, but notes", metadata={"tags": ["notes"]}),
        nbformat.v4.new_code_cell("x = 2", metadata={"tags": ["notes"]}),   # only markdown cells
    ]
    nb.cells[4].metadata["slideshow"] = {"slide_type": "slide"}  # stale: must be removed
    nb.cells[4].metadata["tags"] = ["keep-me"]
    return nb


def test_slide_types_follow_the_rules():
    assert add_slide_metadata.slide_types(lecture()) == [
        "slide", "skip", "-", "slide", "-", "subslide", "notes", "-", "subslide", "-", "slide",
        "notes", "notes", "-"]   # a markdown cell tagged 'notes' is speaker notes, even a heading


def test_a_setup_cell_is_skipped_only_as_the_first_code_cell():
    nb = lecture()
    nb.cells.insert(0, nbformat.v4.new_code_cell("print(1)"))
    assert add_slide_metadata.slide_types(nb)[:3] == ["-", "slide", "-"]


def test_apply_touches_only_slideshow_metadata_and_is_idempotent():
    nb = lecture()
    before = nbformat.from_dict(nbformat.writes(nb) and nbformat.reads(nbformat.writes(nb), 4))
    assert add_slide_metadata.apply(nb) is True
    assert add_slide_metadata.apply(nb) is False, "a second run changes nothing"
    for old, new in zip(before.cells, nb.cells):
        assert new.source == old.source and new.get("outputs") == old.get("outputs")
        old_meta = {k: v for k, v in old.metadata.items() if k != "slideshow"}
        assert {k: v for k, v in new.metadata.items() if k != "slideshow"} == old_meta
    assert "slideshow" not in nb.cells[4].metadata and nb.cells[4].metadata.tags == ["keep-me"]
    assert nb.cells[1].metadata.slideshow == {"slide_type": "skip"}


def test_the_tool_rewrites_a_file_once(tmp_path):
    path = tmp_path / "99_lecture.ipynb"
    nbformat.write(lecture(), path)
    assert add_slide_metadata.main(["--check", str(path)]) == 1
    assert add_slide_metadata.main([str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert add_slide_metadata.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == text
    assert add_slide_metadata.main(["--check", str(path)]) == 0


ALL_EDITIONS = sorted(p for folder in ("", "zh", "pytorch", "zh/pytorch")
                     for p in (ROOT / "notebooks" / folder).glob("*.ipynb"))


@pytest.mark.parametrize("path", ALL_EDITIONS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebook_slide_metadata_is_current(path):
    assert not add_slide_metadata.process(path, write=False), (
        f"{path}'s slide metadata is not what the rules give: run 'make slide-metadata'")


def test_a_translation_takes_its_sources_slide_types(tmp_path):
    """zh/pytorch/04 loaded the models (no live plot) where pytorch/04 trained them (a figure):
    the translation still has the source's subslide there, as tools/edition.py requires."""
    source = lecture()
    translation = copy.deepcopy(source)
    figure = next(c for c in source.cells if add_slide_metadata.has_picture(c))
    twin = next(c for c in translation.cells if c.get("id") == figure.get("id"))
    twin.outputs = []
    assert add_slide_metadata.slide_types(translation) != add_slide_metadata.slide_types(source)
    add_slide_metadata.apply(translation, source)
    assert twin.metadata["slideshow"] == {"slide_type": "subslide"}
    (tmp_path / "notebooks" / "zh" / "pytorch").mkdir(parents=True)
    src = tmp_path / "notebooks" / "pytorch" / "04_x.ipynb"
    src.parent.mkdir(parents=True)
    src.write_text("{}")
    assert add_slide_metadata.language_source(tmp_path / "notebooks/zh/pytorch/04_x.ipynb") == src
    assert add_slide_metadata.language_source(src) is None


# ---------------------------------------------------------------------------
# The decks
# ---------------------------------------------------------------------------


def expected_slides(nb) -> int:
    """How many slides reveal.js shows (slides and subslides) for a notebook's metadata."""
    types = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    first = next(i for i, t in enumerate(types) if t not in ("skip", "notes"))
    return 1 + sum(t in ("slide", "subslide") for t in types[first + 1:])


class Loads(HTMLParser):
    """What a page loads (script src, link href, module imports) and its leaf <section>s."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.depth = 0
        self.children: list[int] = []
        self.leaves = 0
        self.in_module_script = False
        self.module_code = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "script" and attrs.get("type") == "module":
            self.in_module_script = True
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "section":
            if self.children:
                self.children[-1] += 1
            self.children.append(0)

    def handle_endtag(self, tag):
        if tag == "section":
            if self.children.pop() == 0:
                self.leaves += 1
        if tag == "script":
            self.in_module_script = False

    def handle_data(self, data):
        if self.in_module_script:
            self.module_code += data


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The English decks in a folder, the Chinese edition's (if any) in its zh/ subfolder."""
    if not NOTEBOOKS:
        pytest.skip("no notebooks yet")
    out = tmp_path_factory.mktemp("slides")
    built = build_slides.build(NOTEBOOKS, out)
    if ZH_NOTEBOOKS:
        built += build_slides.build(ZH_NOTEBOOKS, out / "zh")
    return out, built


def deck_file(out, path):
    return (out / "zh" if path in ZH_NOTEBOOKS else out) / build_slides.deck_name(path)


def test_every_notebook_gets_a_deck_and_the_index_links_them(decks):
    out, built = decks
    assert built == [deck_file(out, p) for p in EDITIONS]
    for folder, notebooks in ((out, NOTEBOOKS), (out / "zh", ZH_NOTEBOOKS)):
        if not notebooks:
            continue
        index = (folder / "index.html").read_text(encoding="utf-8")
        for path in notebooks:
            assert f'href="{build_slides.deck_name(path)}"' in index


def test_each_edition_has_its_language(decks):
    out, _ = decks
    assert '<html lang="en">' in (out / build_slides.deck_name(NOTEBOOKS[0])).read_text(encoding="utf-8")
    assert "d2l-birnn slides" in (out / "index.html").read_text(encoding="utf-8")
    if not ZH_NOTEBOOKS:
        pytest.skip("notebooks/zh does not exist: no Chinese edition (issue 15)")
    for path in ZH_NOTEBOOKS:
        assert '<html lang="zh">' in deck_file(out, path).read_text(encoding="utf-8"), path.name
    index = (out / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in index and "d2l-birnn 幻灯片" in index and "演讲者备注" in index
    assert "Arrow keys" not in index


def test_the_language_is_the_notebooks_and_editions_are_not_mixed(tmp_path, monkeypatch):
    monkeypatch.delenv("D2L_BIRNN_LANG", raising=False)
    en, zh = lecture(), lecture()
    zh.cells[1].source = 'import os\nos.environ["D2L_BIRNN_LANG"] = "zh"  # this edition\'s language'
    assert build_slides.notebook_language(en) == "en" and build_slides.notebook_language(zh) == "zh"
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    assert build_slides.notebook_language(en) == "zh", "no setting in the notebook: the environment's"
    zh.cells[1].source = 'os.environ["D2L_BIRNN_LANG"] = "fr"'
    with pytest.raises(RuntimeError, match="D2L_BIRNN_LANG='fr'; choose one of en, zh"):
        build_slides.notebook_language(zh)
    zh.cells[1].source = 'os.environ["D2L_BIRNN_LANG"] = "zh-CN"'
    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    with pytest.raises(RuntimeError, match="several languages.*own folder"):
        build_slides.deck_language([en, zh])
    nbformat.write(en, tmp_path / "98_en.ipynb")
    nbformat.write(zh, tmp_path / "99_zh.ipynb")
    with pytest.raises(RuntimeError, match="several languages"):
        build_slides.build([tmp_path / "98_en.ipynb", tmp_path / "99_zh.ipynb"], tmp_path / "out")


@pytest.mark.parametrize("path", EDITIONS, ids=edition_id)
def test_deck_has_the_expected_slides_and_no_errors(decks, path):
    out, _ = decks
    html = deck_file(out, path).read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    page = Loads()
    page.feed(html)
    assert page.leaves == expected_slides(nb)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, f"{path.name} has error outputs"
    assert "Traceback (most recent call last)" not in html
    assert '<span class="c1"># NBVAL_' not in html, "nbval's markers are left out of decks"
    if nb.cells[0].cell_type == "markdown":  # the title is on the first slide
        title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
        assert title.split(":")[0] in html


@pytest.mark.parametrize("path", EDITIONS, ids=edition_id)
def test_deck_loads_nothing_from_the_network(decks, path):
    out, _ = decks
    html = deck_file(out, path).read_text(encoding="utf-8")
    page = Loads()
    page.feed(html)
    loads = [u for u in page.urls if not u.startswith("#")]
    assert any("reveal.js" in u for u in loads) and any("MathJax" in u for u in loads)
    remote = [u for u in loads if urlparse(u).scheme in ("http", "https") or u.startswith("//")]
    assert not remote, f"loads from the network: {remote}"
    assert not re.search(r"""(import\s[^;]*from\s*|import\()\s*['"](https?:)?//""",
                         page.module_code)
    assert not re.search(r"""@import\s+(url\()?['"]?(https?:)?//""", html)
    for url in loads:
        local = deck_file(out, path).parent / urlparse(url).path
        assert local.exists(), f"{url} is not in the slides folder"


def test_assets_need_no_cdn(decks):
    out, _ = decks
    for css in (out / "_assets").rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"""(@import|url)\s*\(?\s*['"]?(https?:)?//""", text), css


def test_the_speaker_view_gets_the_local_mathjax(decks, tmp_path):
    """reveal.js's speaker view (a page the notes plugin writes) loads the deck's own MathJax and
    typesets each slide's notes (issue 19.7; the browser test is in tests/test_lecture.py). An
    unknown notes plugin is refused rather than left without math."""
    out, _ = decks
    code = (out / "_assets" / "reveal.js" / "plugin" / "notes" / "notes.js").read_text(encoding="utf-8")
    assert build_slides.SPEAKER_TYPESET in code and "_assets/mathjax/MathJax.js" in code
    assert "MathJax.Hub.Startup.onload()" in code
    other = tmp_path / "notes.js"
    other.write_text("function f() { notes.innerHTML = x; }", encoding="utf-8")
    with pytest.raises(RuntimeError, match="cannot add MathJax"):
        build_slides.patch_speaker_view(other)


def test_deck_runs_offline_in_chromium(decks, tmp_path):
    """reveal.js starts and MathJax typesets with every non-file request blocked.

    The deck is built from a copy of a notebook with formulas, its slide
    metadata set by the rules, so that there are slides to move through.
    """
    from playwright.sync_api import sync_playwright

    chromium_path()
    out, _ = decks

    def has_math(nb):
        return "$" in "".join(c.source for c in nb.cells if c.cell_type == "markdown")

    source = next((p for p in NOTEBOOKS if has_math(nbformat.read(p, as_version=4))), NOTEBOOKS[0])
    nb = nbformat.read(source, as_version=4)
    add_slide_metadata.apply(nb)
    copy = tmp_path / ("lecture_" + source.name)
    nbformat.write(nb, copy)
    [deck] = build_slides.build([copy], out)
    blocked, failed, errors = [], [], []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        context, page = open_offline(p, tmp_path / "profile", (1280, 800), blocked, failed, errors)
        page.goto(deck.as_uri())
        # reveal.js is loaded through require.js (no global Reveal): it marks itself ready.
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        leaves = page.evaluate("() => document.querySelectorAll('.slides section:not(.stack)').length")
        if has_math(nb):
            page.wait_for_function(
                "() => window.MathJax && MathJax.Hub.queue.pending === 0"
                " && document.querySelectorAll('.MathJax_CHTML').length > 0", timeout=60_000)
        page.keyboard.press("ArrowRight")  # the slide after the title, as in a lecture
        page.wait_for_timeout(1000)
        current = page.evaluate("() => document.querySelector('.slides section.present')"
                                " === document.querySelectorAll('.slides > section')[1]")
        page.screenshot(path=str(ARTIFACTS / "slides.png"))
        context.close()
    assert not blocked, f"the deck tried to load from the network: {blocked}"
    assert not failed, f"local files missing: {failed}"
    assert not errors, errors
    assert leaves == expected_slides(nb) > 1
    assert current, "the right arrow key did not move to the second slide"


def test_speaker_notes_in_cell_metadata_become_the_decks_notes(tmp_path):
    """Notes kept in a cell's metadata (tools/self_study.py) are reveal.js notes of its slide."""
    nb = lecture()
    slide = next(c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "slide")
    slide.metadata["speaker_notes"] = "Say: the metadata notes reach the deck."
    nbformat.write(nb, tmp_path / "97_notes.ipynb")
    [deck] = build_slides.build([tmp_path / "97_notes.ipynb"], tmp_path / "out")
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', deck.read_text(encoding="utf-8"), re.S)
    assert any("Say: the metadata notes reach the deck." in n and "Speaker notes." in n for n in notes)
