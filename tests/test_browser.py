"""A real JupyterLab in headless Chromium: open a notebook, Run All Cells, no errors.

JupyterLab serves a copy of the notebook (the repository's file is never
written) on 127.0.0.1 with the project's kernel, in quick mode. The test
clicks Run > Run All Cells as a person would, waits until every cell has run,
saves, and checks the saved notebook: every code cell executed, no error
output. Screenshots are kept in build/artifacts/: jupyterlab.png (the top of
the executed notebook) and jupyterlab-end.png (its end).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from _browser import ARTIFACTS, ROOT, chromium_path, launch

NOTEBOOKS = ROOT / "notebooks"
KERNEL = "d2l-birnn"  # `make kernel`
JUPYTER = Path(sys.executable).parent / "jupyter"


def notebook_to_open() -> Path:
    start = NOTEBOOKS / "00_start_here.ipynb"
    if start.exists():
        return start
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not notebooks:
        pytest.skip("no notebook yet")
    return notebooks[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernel_name() -> str:
    """The project's kernel if registered (`make kernel`), else this Python's 'python3'."""
    out = subprocess.run([str(JUPYTER), "kernelspec", "list", "--json"], capture_output=True,
                         text=True, check=True).stdout
    return KERNEL if KERNEL in json.loads(out)["kernelspecs"] else "python3"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of the notebook."""
    chromium_path()  # skip early without a browser
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    source = notebook_to_open()
    nb = nbformat.read(source, as_version=4)
    kernel = kernel_name()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, root / source.name)
    settings = base / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no windowing), so the page shows what ran; ask nothing about news.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    apputils = base / "settings" / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "D2L_BIRNN_QUICK": "1",
           "JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_RUNTIME_DIR": str(base / "rt"),
           "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}
    log = open(base / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.allow_root=True", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n"
                                       + (base / "jupyterlab.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield {"url": url, "token": token, "path": root / source.name, "kernel": kernel,
               "log": base / "jupyterlab.log"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# The status bar says "<kernel name> | Idle" once the kernel is connected and idle (the
# toolbar's execution indicator says idle earlier, before a kernel is attached).
KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(
    e => / \\| Idle$/.test(e.textContent.trim()) && !e.textContent.includes('No Kernel'))"""
RUN_STATE = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim());
    return {prompts, busy: prompts.filter(p => p.includes('*')).length,
            done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length};
}"""


def test_run_all_cells_in_jupyterlab(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    nb_path: Path = lab["path"]
    code_cells = sum(c.cell_type == "code" for c in nbformat.read(nb_path, as_version=4).cells)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "jupyterlab-failure.png").unlink(missing_ok=True)
    with sync_playwright() as p:
        context = launch(p, tmp_path / "profile")
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(120_000)
        try:
            page.goto(f"{lab['url']}/lab/tree/{nb_path.name}?token={lab['token']}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            page.wait_for_function(KERNEL_IDLE)
            page.click('.lm-MenuBar-itemLabel:text-is("Run")')
            page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
            page.wait_for_function(
                f"() => ({RUN_STATE})().done === {code_cells} && ({RUN_STATE})().busy === 0",
                timeout=300_000)
            page.wait_for_function(KERNEL_IDLE)
            state = page.evaluate(RUN_STATE)
            page.keyboard.press("Control+s")
            page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')")
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-end.png"))
            page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first.evaluate(
                "el => el.scrollTo(0, 0)")
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-failure.png"))
            raise
        finally:
            context.close()
    assert state["busy"] == 0 and state["done"] == code_cells, state
    saved = nbformat.read(nb_path, as_version=4)
    assert saved.metadata["kernelspec"]["name"] == lab["kernel"]
    errors = []
    for i, cell in enumerate(saved.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            errors.append(f"cell {i} did not run")
        for out in cell.outputs:
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
    assert not errors, errors
    counts = [c.execution_count for c in saved.cells if c.cell_type == "code"]
    assert counts == list(range(1, code_cells + 1)), "cells ran once each, in order"


def test_screenshot_was_kept():
    """The screenshot of the executed notebook is an artifact of the run (build/artifacts)."""
    shot = ARTIFACTS / "jupyterlab.png"
    if not shot.exists():
        pytest.skip("the JupyterLab test did not run")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_jupyter_is_this_environments():
    assert JUPYTER.exists() and shutil.which(str(JUPYTER))
