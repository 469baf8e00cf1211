"""The lecture deck (tools/build_lecture.py) in headless Chromium at 1280x720, network blocked.

Every slide must fit the screen (nothing cut off, nothing scrolled), have speaker
notes, and load nothing from the network; the text of every figure must be at
least 14 pt on that screen. The deck is built from a small synthetic notebook
tagged for the lecture (tests/_lecture.py) and, once the real notebooks carry
lecture tags, from them too (in quick mode, as CI runs it).
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from _browser import ARTIFACTS, ROOT, chromium_path, open_offline
from _lecture import SLIDES_45, SLIDES_90, build_lecture, expand_notes, notes, synthetic_notebook, tagged

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MIN_PX = 14 * 96 / 72 - 0.05  # 14 pt in CSS pixels (18.67), less rounding
TAGGED = [p for p in NOTEBOOKS if build_lecture.has_lecture_cells(nbformat.read(p, as_version=4))]
ZH = ROOT / "notebooks" / "zh"   # the Chinese edition (issue 15), with its plan LECTURE.zh-CN.md
ZH_PLAN = ROOT / "LECTURE.zh-CN.md"


class Deck(HTMLParser):
    """What a deck loads, and for each leaf <section> (slide) the text of its speaker notes."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.stack: list[dict] = []
        self.slides: list[str] = []
        self.in_notes = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img") and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "section":
            if self.stack:
                self.stack[-1]["children"] += 1
            self.stack.append({"children": 0, "notes": ""})
        if tag == "aside" and "notes" in attrs.get("class", ""):
            self.in_notes += 1

    def handle_endtag(self, tag):
        if tag == "section":
            top = self.stack.pop()
            if top["children"] == 0:
                self.slides.append(top["notes"])
        if tag == "aside" and self.in_notes:
            self.in_notes -= 1

    def handle_data(self, data):
        if self.in_notes and self.stack:
            self.stack[-1]["notes"] += data


def parse(path) -> Deck:
    deck = Deck()
    deck.feed(path.read_text(encoding="utf-8"))
    return deck


@pytest.fixture(scope="module")
def synthetic_decks(tmp_path_factory):
    base = tmp_path_factory.mktemp("lecture")
    nb = synthetic_notebook(base / "98_synthetic.ipynb")
    return build_lecture.build([nb], base / "out", mode="quick", plan=base / "no-plan.md")


@pytest.fixture(scope="module")
def real_decks(tmp_path_factory):
    if not TAGGED:
        pytest.skip("no notebook has cells tagged 'lecture' yet (the lead adds them from "
                    "/work/coord/lecture_tags.md)")
    return build_lecture.build(NOTEBOOKS, tmp_path_factory.mktemp("real") / "out", mode="quick")


@pytest.fixture(scope="module")
def real_zh_decks(tmp_path_factory):
    if not ZH.exists():
        pytest.skip("notebooks/zh does not exist: no Chinese edition (issue 15), so no zh lecture deck")
    if not ZH_PLAN.exists():
        pytest.skip("LECTURE.zh-CN.md does not exist: the zh lecture deck needs its plan")
    notebooks = sorted(ZH.glob("*.ipynb"))
    if not any(build_lecture.has_lecture_cells(nbformat.read(p, as_version=4)) for p in notebooks):
        pytest.skip("no notebook of notebooks/zh has cells tagged 'lecture' yet")
    return build_lecture.build(notebooks, tmp_path_factory.mktemp("real-zh") / "out", mode="quick",
                               plan=ZH_PLAN)


def chinese(nb):
    """``nb`` as a notebook of the Chinese edition: its first code cell sets the language."""
    nb.cells.insert(0, nbformat.v4.new_code_cell('import os\nos.environ["D2L_BIRNN_LANG"] = "zh"'))
    return nb


# ---------------------------------------------------------------------------
# Without a browser
# ---------------------------------------------------------------------------
def test_the_decks_have_the_tagged_slides_each_with_notes(synthetic_decks):
    deck90, deck45 = synthetic_decks
    assert [d.name for d in synthetic_decks] == ["lecture.html", "lecture-45.html"]
    for path, count in ((deck90, SLIDES_90), (deck45, SLIDES_45)):
        deck = parse(path)
        assert len(deck.slides) == count
        assert all(n.strip().startswith("Speaker notes.") and len(n.strip()) > 20 for n in deck.slides)
    html = deck90.read_text(encoding="utf-8")
    assert "A long paragraph for the reader" not in html, "lecture-heading keeps only heading and math"
    assert "overleftarrow" in html and "QUICK MODE" in html
    assert "forward_step" in html, "a lecture-code cell shows its code"
    assert "sleep" in html and "\u25b6 live" in html, "a live cell shows its code"
    assert "curve-of-squares" not in html, "a figure cell's code is hidden (the figure is base64 SVG)"
    assert "NBVAL_CHECK_OUTPUT" not in html and "Traceback" not in html


def test_speaker_notes_come_from_cell_metadata_not_visible_cells(synthetic_decks, tmp_path):
    """The notebook shows no notes cell (they sit in its cells' metadata); the deck has them."""
    nb = nbformat.read(synthetic_notebook(tmp_path / "98_synthetic.ipynb"), as_version=4)
    assert not [c for c in nb.cells if "Speaker notes" in c.source or "notes" in
                c.metadata.get("tags", [])]
    assert nb.cells[0].metadata["speaker_notes"] == "Welcome. The number to quote: 42."
    notes_text = " ".join(parse(synthetic_decks[0]).slides)
    assert "Welcome. The number to quote: 42." in notes_text and "twice n" in notes_text


def test_the_decks_load_only_local_files(synthetic_decks):
    for path in synthetic_decks:
        urls = parse(path).urls
        assert any("reveal.js" in u for u in urls) and any("MathJax" in u for u in urls)
        remote = [u for u in urls if urlparse(u).scheme in ("http", "https") or u.startswith("//")]
        assert not remote, remote
        for url in urls:
            assert (path.parent / unquote(urlparse(url).path)).exists(), url


def test_a_slide_without_notes_stops_the_build(tmp_path):
    nb_path = synthetic_notebook(tmp_path / "98_synthetic.ipynb")
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells = nb.cells[:3] + [notes("x")]   # only the third slide keeps notes (a visible cell)
    for cell in nb.cells[:3]:
        cell.metadata.pop("speaker_notes", None)
    nbformat.write(nb, nb_path)
    with pytest.raises(RuntimeError, match=r"1 slide\(s\) of the 90-minute deck have no speaker notes.*"
                                           r"# 98: A synthetic lecture"):
        build_lecture.build([nb_path], tmp_path / "out", mode="committed", plan=tmp_path / "none.md")


def test_a_chinese_notebook_gives_a_chinese_deck_from_its_plan(tmp_path):
    path = synthetic_notebook(tmp_path / "98_synthetic.ipynb")
    nbformat.write(chinese(nbformat.read(path, as_version=4)), path)
    plan = tmp_path / "LECTURE.zh-CN.md"
    plan.write_text("# 双向循环神经网络：教案\n\n"
                    "<!-- deck-notes:start -->标题页的备注。<!-- deck-notes:end -->\n"
                    "<!-- fill-in-table:start -->\n| 模型类别 | 两侧 |\n|---|---|\n| 计数 | 84.5% |\n"
                    "<!-- fill-in-table:end -->\n"
                    "<!-- table-notes:start -->读提升这一列。<!-- table-notes:end -->\n", encoding="utf-8")
    deck90, deck45 = build_lecture.build([path], tmp_path / "out", mode="quick", plan=plan)
    html = deck90.read_text(encoding="utf-8")
    assert '<html lang="zh">' in html and "双向循环神经网络：教案" in html
    assert "快速模式" in html and "按 S 键" in html and "\u25b6 现场运行" in html
    assert "一个任务，四类模型" in html and "<td>84.5%</td>" in html
    for english in ("QUICK MODE", "Press S", "\u25b6 live", "One task", "notebooks 98"):
        assert english not in html, f"an English word of the builder in the zh deck: {english!r}"
    deck = parse(deck90)
    assert "标题页的备注。" in deck.slides[0] and "读提升这一列。" in deck.slides[-1]
    assert len(deck.slides) == SLIDES_90 + 1


def test_notebooks_of_two_editions_are_not_mixed_in_one_deck(tmp_path):
    en = synthetic_notebook(tmp_path / "97_en.ipynb")
    zh = synthetic_notebook(tmp_path / "98_zh.ipynb")
    nbformat.write(chinese(nbformat.read(zh, as_version=4)), zh)
    with pytest.raises(RuntimeError, match="several languages.*LECTURE.zh-CN.md"):
        build_lecture.build([en, zh], tmp_path / "out", mode="committed", plan=tmp_path / "none.md")


def test_no_tagged_notebook_is_a_clear_error(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [tagged(nbformat.v4.new_markdown_cell("# x"), "other")]
    nbformat.write(nb, tmp_path / "97_x.ipynb")
    with pytest.raises(RuntimeError, match="no notebook has a cell tagged 'lecture'"):
        build_lecture.build([tmp_path / "97_x.ipynb"], tmp_path / "out", mode="committed")


def test_the_projection_rc_has_large_svg_text():
    rc = dict(line.split("#")[0].split(":", 1) for line in build_lecture.MPLRC.read_text().splitlines()
              if ":" in line.split("#")[0])
    rc = {k.strip(): v.strip() for k, v in rc.items()}
    assert rc["svg.fonttype"] == "none", "text must stay text (measurable, sharp when scaled)"
    for key in ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"):
        assert float(rc[key]) >= 14, key


def test_the_plan_environment_is_read_from_the_plan(tmp_path):
    plan = tmp_path / "LECTURE.md"
    plan.write_text("# T\n<!-- lecture-env: D2L_BIRNN_PRETRAINED=1 FOO=bar -->\n")
    assert build_lecture.plan_env(plan) == {"D2L_BIRNN_PRETRAINED": "1", "FOO": "bar"}
    assert build_lecture.run_env("full", plan)["D2L_BIRNN_QUICK"] == "0"
    assert build_lecture.run_env("quick", plan)["D2L_BIRNN_QUICK"] == "1"
    if (ROOT / "LECTURE.md").exists():
        assert build_lecture.plan_env() == {"D2L_BIRNN_PRETRAINED": "1"}


# ---------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------
SLIDE_STATE = r"""() => {
  const s = document.querySelector('.slides section.present');
  const vw = window.innerWidth, vh = window.innerHeight;
  const out = [], scrolled = [];
  for (const el of [s, ...s.querySelectorAll('*')]) {
    if (el.closest('aside.notes') || (el.closest('svg') && el.closest('svg') !== el)) continue;
    if (el.closest('.MJX_Assistive_MathML')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1)
      out.push(`${el.tagName}.${el.className}: ${Math.round(r.left)},${Math.round(r.top)} - `
               + `${Math.round(r.right)},${Math.round(r.bottom)}`);
    const st = getComputedStyle(el);
    if ((el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(st.overflowY)) ||
        (el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(st.overflowX)))
      scrolled.push(`${el.tagName}.${el.className}`);
  }
  const imgs = [...s.querySelectorAll('img')].map(i => {
    const r = i.getBoundingClientRect();
    return {src: i.src, w: r.width, h: r.height, nw: i.naturalWidth, nh: i.naturalHeight};
  });
  const notes = [...s.querySelectorAll('aside.notes')].map(a => a.textContent.trim()).join(' ');
  const index = [...document.querySelectorAll('.slides section')].indexOf(s);
  return {outside: out, scrolled, imgs, notes, index,
          text: s.textContent.replace(/\s+/g, ' ').trim().slice(0, 60)};
}"""


def svg_text_sizes(src: str) -> tuple[float, list[float]]:
    """(viewBox width, font sizes in user units of every <text>) of an SVG data URL."""
    data = src.split(",", 1)[1]
    svg = base64.b64decode(data).decode() if ";base64" in src.split(",", 1)[0] else unquote(data)
    root = ET.fromstring(svg)
    view_width = float(root.get("viewBox").split()[2])
    sizes = []
    for el in root.iter():
        if el.tag.split("}")[-1] not in ("text", "tspan") or not (el.text or "").strip():
            continue  # only elements that draw characters themselves (mathtext: <tspan>s)
        m = re.search(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", el.get("style", ""))
        assert m, f"a <{el.tag.split('}')[-1]}> without a font size: {el.get('style')}"
        sizes.append(float(m.group(1)))
    return view_width, sizes


def walk_deck(deck, tmp_path, shot_name):
    """Open the deck and measure every slide; returns (per-slide states, blocked, failed, errors)."""
    from playwright.sync_api import sync_playwright

    chromium_path()
    blocked, failed, errors, states = [], [], [], []
    count = len(parse(deck).slides)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        context, page = open_offline(p, tmp_path / "profile", (1280, 720), blocked, failed, errors)
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        page.wait_for_function("() => window.MathJax && MathJax.Hub.queue.pending === 0", timeout=60_000)
        for i in range(count):
            page.wait_for_timeout(300)
            page.wait_for_function("() => MathJax.Hub.queue.pending === 0", timeout=60_000)
            states.append(page.evaluate(SLIDE_STATE))
            page.screenshot(path=str(ARTIFACTS / f"{shot_name}-{i:02d}.png"))
            page.keyboard.press("ArrowRight")
        context.close()
    return states, blocked, failed, errors


def check_states(states, expected_count):
    assert len(states) == expected_count
    assert len({s["index"] for s in states}) == expected_count, "the right arrow moved through all slides"
    problems = []
    for i, s in enumerate(states):
        where = f"slide {i + 1} ({s['text'][:40]!r})"
        if s["outside"]:
            problems.append(f"{where}: cut off: {s['outside'][:3]}")
        if s["scrolled"]:
            problems.append(f"{where}: scrolls: {s['scrolled'][:3]}")
        if not s["notes"].startswith("Speaker notes."):
            problems.append(f"{where}: no speaker notes")
        for img in s["imgs"]:
            if not img["src"].startswith("data:image/svg+xml"):
                problems.append(f"{where}: a figure that is not SVG (text cannot be measured)")
                continue
            view_width, sizes = svg_text_sizes(img["src"])
            scale = min(img["w"] / img["nw"], img["h"] / img["nh"]) * img["nw"] / view_width
            if not sizes:
                problems.append(f"{where}: a figure without <text> (svg.fonttype must be 'none')")
            elif min(sizes) * scale < MIN_PX:
                problems.append(f"{where}: figure text of {min(sizes) * scale * 0.75:.1f} pt "
                                f"(font size {min(sizes):g} at scale {scale:.2f}); at least 14 pt")
    assert not problems, "\n".join(problems)


def test_the_synthetic_deck_in_chromium(synthetic_decks, tmp_path):
    states, blocked, failed, errors = walk_deck(synthetic_decks[0], tmp_path, "lecture-synthetic")
    assert not blocked, f"the deck tried to load from the network: {blocked}"
    assert not failed and not errors, (failed, errors)
    check_states(states, SLIDES_90)
    assert sum(len(s["imgs"]) for s in states) == 1, "the one figure of the synthetic notebook"


def test_the_real_decks_in_chromium(real_decks, tmp_path):
    for deck in real_decks:
        states, blocked, failed, errors = walk_deck(deck, tmp_path, f"lecture-{deck.stem}")
        assert not blocked and not failed and not errors, (blocked, failed, errors)
        check_states(states, len(parse(deck).slides))


def test_the_real_zh_decks_in_chromium(real_zh_decks, tmp_path):
    """The Chinese edition's decks (quick mode): Chinese title and words, then the same checks."""
    title, _ = build_lecture.plan_title_and_notes(ZH_PLAN, "zh")
    for deck in real_zh_decks:
        html = deck.read_text(encoding="utf-8")
        assert '<html lang="zh">' in html and title in html and "快速模式" in html
        assert "QUICK MODE" not in html and "Press S" not in html
        states, blocked, failed, errors = walk_deck(deck, tmp_path, f"lecture-zh-{deck.stem}")
        assert not blocked and not failed and not errors, (blocked, failed, errors)
        check_states(states, len(parse(deck).slides))


def test_the_browser_checks_catch_cut_off_slides_and_small_figure_text(tmp_path):
    """A deck with a slide of too much prose and a figure with 5-pt text fails the checks."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        tagged(md("## Too much\n\n" + "A sentence for the reader of the notebook. " * 120), "lecture"),
        notes("Too long for a slide."),
        tagged(code("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])\n"
                    "ax.text(0.5, 0.5, 'tiny', fontsize=5)\nplt.show()"), "lecture"),
        notes("Too small to read."),
    ]
    nbformat.write(nb, tmp_path / "96_bad.ipynb")
    [deck, _] = build_lecture.build([tmp_path / "96_bad.ipynb"], tmp_path / "out", mode="quick",
                                    plan=tmp_path / "none.md")
    states, *_ = walk_deck(deck, tmp_path, "lecture-bad")
    with pytest.raises(AssertionError) as failure:
        check_states(states, 3)
    message = str(failure.value)
    assert "slide 2" in message and "cut off" in message
    assert re.search(r"slide 3 .*figure text of \d\.\d pt \(font size 5", message), message


def test_the_plan_adds_its_comparison_table_as_the_last_slide(tmp_path):
    plan = tmp_path / "LECTURE.md"
    plan.write_text("# A plan\n\n<!-- deck-notes:start -->Title notes.<!-- deck-notes:end -->\n"
                    "<!-- fill-in-table:start -->\n| family | both |\n|---|---|\n| counts | 84.5% |\n"
                    "<!-- fill-in-table:end -->\n"
                    "<!-- table-notes:start -->Read the gain column.<!-- table-notes:end -->\n")
    nb = synthetic_notebook(tmp_path / "98_synthetic.ipynb")
    deck90, deck45 = build_lecture.build([nb], tmp_path / "out", mode="committed", plan=plan)
    for path, count in ((deck90, SLIDES_90), (deck45, SLIDES_45)):
        deck = parse(path)
        assert len(deck.slides) == count + 1
        assert "Read the gain column." in deck.slides[-1] and "Title notes." in deck.slides[0]
        assert "<td>84.5%</td>" in path.read_text(encoding="utf-8")
    plan.write_text(plan.read_text().replace("Read the gain column.", ""))
    with pytest.raises(RuntimeError, match="One task, four model families"):
        build_lecture.build([nb], tmp_path / "out", mode="committed", plan=plan)


NUMBER = re.compile(r"(?<![\w.^-])(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d+(?=%))(%?)")


def numbers_missing_from_outputs(nb) -> list[str]:
    """Numbers quoted in speaker notes (decimals, percentages, 1,234) that no output prints.

    A percentage may be printed as a fraction (97.6% as 0.976). Notes of an exercise (after a
    cell starting "**Exercise") are exempt: their numbers are computed by d2l.check. A number
    declared by a ``<!-- fact N ... -->`` marker (a cited or derived number, which
    tools/check_prose_numbers.py verifies) is exempt too.
    """
    outputs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            outputs.append(out.get("text", ""))
            outputs += [v for k, v in out.get("data", {}).items() if k.startswith("text/")]
    printed = "\n".join("".join(o) for o in outputs)
    missing, previous = [], None
    for cell in expand_notes(nb).cells:   # the notes in cell metadata, each after its cell
        if "notes" in cell.metadata.get("tags", []) and not (
                previous is not None and previous.source.startswith("**Exercise")):
            declared = set(re.findall(r"<!--\s*fact\s+([\d,.]+\d)", cell.source))  # cited or derived
            prose = re.sub(r"<!--.*?-->", "", cell.source, flags=re.S)
            prose = re.sub(r"[Ee]xercise \d+\.\d+|d2l-(?:zh|en) \d+(?:\.\d+)*", "", prose)
            for number, percent in NUMBER.findall(prose):
                if number in declared:
                    continue
                forms = {number, number.replace(",", "")}
                if percent and "." in number:
                    forms.add(f"{float(number) / 100:.3f}".rstrip("0"))
                if not any(f in printed for f in forms):
                    missing.append(f"{number}{percent} in the notes after {previous.get('id')}")
        previous = cell
    return missing


def test_the_number_check_finds_numbers_that_no_output_prints():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="accuracy 0.976, 1,225 pairs\n")]
    nb.cells = [cell, notes("Quote 97.6%, 1,225 pairs and 59.6%; 12 minutes."),
                nbformat.v4.new_markdown_cell("**Exercise 9.9.** x"), notes("Answer: 531,441.")]
    assert numbers_missing_from_outputs(nb) == [f"59.6% in the notes after {cell.id}"]


@pytest.mark.parametrize("path", TAGGED or [None], ids=lambda p: p.name if p else "none")
def test_numbers_in_speaker_notes_are_printed_by_the_notebook(path):
    if path is None:
        pytest.skip("no notebook has cells tagged 'lecture' yet")
    missing = numbers_missing_from_outputs(nbformat.read(path, as_version=4))
    assert not missing, (f"{path.name}: speaker notes quote numbers that no committed output prints "
                         f"(take them from the outputs): {missing}")
