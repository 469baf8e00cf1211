"""Self-study in JupyterLab: Run All on every notebook, in every edition, shows no answer (issue 23).

One JupyterLab, started as `make lab` starts it (the Makefile's LAB_ARGS) on 127.0.0.1, serves a
copy of the repository's notebooks (every numbered notebook of notebooks/, notebooks/zh/,
notebooks/pytorch/, notebooks/zh/pytorch/ that exists) beside the repository's top-level
files, in quick mode (D2L_BIRNN_QUICK=1). One headless Chromium opens each notebook in turn,
clicks Run > Run All Cells as a student would, waits for every code cell, then checks the page:

* no speaker notes and no answer: no "Speaker notes", no text of any cell's speaker notes, no
  explanation of an exercise of d2l_birnn/exercises.py;
* no error output, no console error, no page error;
* every link of the rendered notebook that points into the server answers 200;
* every slider track is at least 200 px wide; notebook 01's text box answers a sentence without
  a blank with one line, not a traceback.

Each notebook's kernel is shut down before the next one opens. The repository's files are
never written (autosave off, a copy served). Screenshots of failures go to build/artifacts/.
Set D2L_BIRNN_LAB_SOURCE to a folder holding notebooks/ to test that copy instead (e.g. the
migrated copies of tools/self_study.py), D2L_BIRNN_LAB_ONLY to a glob of the notebooks to run
(e.g. 'notebooks/01_*'). Durations per notebook are printed (pytest -s).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from _browser import ARTIFACTS, JUPYTER, ROOT, chromium_path, lab_server, launch

sys.path.insert(0, str(ROOT / "tools"))
import self_study  # noqa: E402

SOURCE = Path(os.environ.get("D2L_BIRNN_LAB_SOURCE") or ROOT)
ONLY = os.environ.get("D2L_BIRNN_LAB_ONLY", "*")   # e.g. 'notebooks/0[01]_*' while debugging
KERNEL = "d2l-birnn"  # `make kernel`
RUN_TIMEOUT_MS = 600_000

KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(
    e => / \\| Idle$/.test(e.textContent.trim()) && !e.textContent.includes('No Kernel'))"""
RUN_STATE = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const prompts = panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim()) : [];
    const errors = panel ? [...panel.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(e => e.innerText.trim().split('\\n').slice(-1)[0].slice(0, 200)) : [];
    return {busy: prompts.filter(p => p.includes('*')).length,
            done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length, errors};
}"""
PAGE_STATE = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
    const links = [...panel.querySelectorAll('.jp-RenderedMarkdown a[href]')]
        .map(a => a.href).filter(h => h.startsWith(location.origin));
    const tracks = [...panel.querySelectorAll('.widget-hslider .slider-container')]
        .map(e => Math.round(e.getBoundingClientRect().width));
    const errors = panel.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
    return {text: panel.innerText, links, tracks, stderr: errors};
}"""


def kernel_name() -> str:
    out = subprocess.run([str(JUPYTER), "kernelspec", "list", "--json"], capture_output=True,
                         text=True, check=True).stdout
    return KERNEL if KERNEL in json.loads(out)["kernelspecs"] else "python3"


def served_notebooks() -> list[Path]:
    return self_study.default_notebooks(SOURCE)


def answers() -> list[str]:
    """The texts no student may see after Run All: each exercise's explanation (its first 40
    characters suffice)."""
    from d2l_birnn.exercises import EXERCISES

    return [e.explanation[:40] for e in EXERCISES.values() if e.explanation]


def notes_texts(nb) -> list[str]:
    """The first words of each speaker notes of ``nb`` (in metadata, or a visible notes cell)."""
    found = [self_study.notes_of(c) for c in nb.cells if self_study.notes_of(c)]
    found += [self_study.strip_heading(self_study.text_of(c.source)) for c in nb.cells
              if self_study.is_notes_cell(c)]
    return [re.sub(r"[*_`$]", "", n).split("\n")[0][:40].strip() for n in found]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it, serving a copy of the notebooks and the repository's
    top-level files (what the notebooks link to), in quick mode."""
    chromium_path()   # skip early without a browser (fail under CI)
    notebooks = served_notebooks()
    if not notebooks:
        pytest.skip("no notebook")
    base = tmp_path_factory.mktemp("lab-run-all")
    root = base / "root"
    root.mkdir()
    for item in ROOT.iterdir():
        if item.is_file() and not item.name.startswith("."):
            shutil.copy(item, root / item.name)
    kernel = kernel_name()
    for path in notebooks:
        target = root / path.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(path, as_version=4)
        nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
        nbformat.write(nb, target)
    with lab_server(root, base / "lab", env={"D2L_BIRNN_QUICK": "1"}) as server:
        server["root"] = root
        yield server


def shut_down_kernels(lab) -> None:
    headers = {"Authorization": f"token {lab['token']}"}
    with urllib.request.urlopen(urllib.request.Request(f"{lab['url']}/api/kernels",
                                                       headers=headers)) as answer:
        kernels = json.load(answer)
    for kernel in kernels:
        urllib.request.urlopen(urllib.request.Request(f"{lab['url']}/api/kernels/{kernel['id']}",
                                                      method="DELETE", headers=headers))


def run_all(page, lab, rel: str, code_cells: int) -> list[str]:
    """Open the notebook, Run All Cells, wait; returns the error outputs and cells not run."""
    page.goto(f"{lab['url']}/lab/tree/{rel}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    page.wait_for_function(KERNEL_IDLE)
    page.click('.lm-MenuBar-itemLabel:text-is("Run")')
    page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
    # every code cell ran, or Run All stopped at an error (the cells after it do not run)
    page.wait_for_function(f"() => {{ const s = ({RUN_STATE})(); return s.busy === 0 && "
                           f"(s.done === {code_cells} || s.errors.length > 0); }}",
                           timeout=RUN_TIMEOUT_MS, polling=500)
    page.wait_for_function(KERNEL_IDLE)
    state = page.evaluate(RUN_STATE)
    return [f"error output: {e}" for e in state["errors"]] + (
        [] if state["done"] == code_cells else [f"{state['done']} of {code_cells} code cells ran"])


def try_the_text_box(page) -> list[str]:
    """Notebook 01's text box: a sentence without a blank gets one line, no traceback."""
    box = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-text input")
    if box.count() == 0:
        return []
    box.first.fill("a sentence without a blank")
    box.first.press("Enter")
    try:
        page.wait_for_function("() => /has none|没有 _/.test(document.body.innerText)", timeout=30_000)
    except Exception:
        return ["the text box did not answer a sentence without a blank"]
    return ["the text box shows a traceback"] if "Traceback" in page.inner_text("body") else []


def problems_on_page(page, lab, nb, state) -> list[str]:
    problems = []
    text = state["text"]
    for phrase in ["Speaker notes", "演讲者备注", *answers(), *notes_texts(nb)]:
        if phrase and phrase in text:
            problems.append(f"visible: {phrase!r}")
    if state["stderr"]:
        problems.append(f"{state['stderr']} stderr output(s)")
    if "Traceback" in text or "Error displaying widget" in text:
        problems.append("an error is shown on the page")
    for link in sorted(set(state["links"])):   # JupyterLab opens /files/X through the contents API
        api = re.sub(r"^(https?://[^/]+)/files/([^?#]*).*$", r"\1/api/contents/\2?content=0", link)
        response = page.request.get(api)
        if response.status != 200:
            problems.append(f"dead link {link.split('?')[0]}: HTTP {response.status}")
    narrow = [w for w in state["tracks"] if w < 200]
    if narrow:
        problems.append(f"slider tracks narrower than 200 px: {narrow}")
    return problems


def test_run_all_in_jupyterlab_shows_no_answer_no_error_no_dead_link(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report, durations = {}, {}
    with sync_playwright() as p:
        context = launch(p, tmp_path / "profile", viewport=(1400, 1000))
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(120_000)
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(f"page error: {e}"))
        try:
            for path in sorted(lab["root"].rglob("[0-9][0-9]_*.ipynb")):
                rel = path.relative_to(lab["root"]).as_posix()
                if not fnmatch.fnmatch(rel, ONLY):
                    continue
                nb = nbformat.read(path, as_version=4)
                code_cells = sum(c.cell_type == "code" for c in nb.cells)
                start, console[:], state = time.monotonic(), [], {"tracks": []}
                try:
                    found = run_all(page, lab, rel, code_cells)
                    state = page.evaluate(PAGE_STATE)
                    found += problems_on_page(page, lab, nb, state) + try_the_text_box(page)
                    found += [f"console: {c[:200]}" for c in console]
                except Exception as error:   # a timeout: say which notebook, go on with the next
                    found = [f"{type(error).__name__}: {str(error).splitlines()[0]}"]
                if found:
                    page.screenshot(path=str(ARTIFACTS / f"run-all-{rel.replace('/', '-')}.png"))
                    report[rel] = found
                durations[rel] = round(time.monotonic() - start, 1)
                if state["tracks"]:
                    print(f"{rel}: slider tracks {state['tracks']} px")
                shut_down_kernels(lab)
        finally:
            context.close()
    print("Run All durations (s):", durations, "total", round(sum(durations.values()), 1))
    assert not report, "\n".join(f"{rel}: {p}" for rel, ps in report.items() for p in ps)
