"""Headless Chromium for the browser tests (test_browser.py, test_slides.py).

Debian's ``chromium`` driven by Playwright (``make browser`` installs both;
Playwright cannot download its own browser here). Without them the tests skip,
except under CI (``CI`` set), where they fail: CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "build" / "artifacts"
# As root, in a sandbox with no network: no sandboxing of its own, no background traffic.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    """Path of Debian's Chromium; skips (or fails under CI) when it or Playwright is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    problems = []
    if path is None:
        problems.append("Chromium is not installed (make browser)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("Playwright is not installed (make browser)")
    if problems:
        if os.environ.get("CI"):
            pytest.fail("; ".join(problems))
        pytest.skip("; ".join(problems))
    return path


def launch(playwright, user_data_dir: Path, viewport=(1400, 1000)):
    """A persistent context (a fresh profile in ``user_data_dir``) of headless Chromium."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": viewport[0], "height": viewport[1]})


def open_offline(playwright, user_data_dir: Path, viewport, blocked: list, failed: list, errors: list):
    """A fresh headless Chromium whose requests beyond ``file://`` are refused: returns
    (context, page). Refused URLs go to ``blocked``, failed loads to ``failed`` and the page's
    script errors to ``errors`` (lists the caller asserts on)."""
    context = launch(playwright, user_data_dir, viewport)
    context.route(re.compile(r"^(?!file:).*"),
                  lambda route: (blocked.append(route.request.url), route.abort()))
    page = context.pages[0] if context.pages else context.new_page()
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


# ---------------------------------------------------------------------------
# JupyterLab as `make lab` starts it (tests/test_links.py, tests/test_jupyterlab_run_all.py)
# ---------------------------------------------------------------------------
JUPYTER = Path(__import__("sys").executable).parent / "jupyter"


def make_lab_args(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The options `make lab` gives JupyterLab (its LAB_ARGS line), run from the repository root."""
    m = re.search(r"^LAB_ARGS\s*:?=\s*(.*)$", makefile.read_text(encoding="utf-8"), re.M)
    if m is None:
        raise AssertionError("the Makefile has no LAB_ARGS line: `make lab` must say how it starts "
                             "JupyterLab (root directory and first page)")
    return m.group(1).split()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_settings(base: Path) -> dict[str, str]:
    """A fresh JupyterLab configuration under ``base``: every cell rendered (no windowing, so the
    page shows all that ran), no news, no update checks."""
    settings = base / "settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}')
    (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false"}')
    (settings / "docmanager-extension").mkdir(parents=True, exist_ok=True)
    (settings / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(
        '{"autosave": false}')   # a test never writes the notebooks it opens
    return {"JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_RUNTIME_DIR": str(base / "rt"),
            "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}


@contextlib.contextmanager
def lab_server(root: Path, base: Path, env: dict[str, str] | None = None, startup_s: float = 120):
    """JupyterLab started in ``root`` with `make lab`'s options, on 127.0.0.1, a free port and a
    random token; yields {"url", "token", "log", "default_url"}. ``base``: a scratch folder."""
    import secrets
    import subprocess
    import time
    import urllib.request

    base.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    args = make_lab_args()
    default = next((a.split("=", 1)[1] for a in args if a.startswith("--LabApp.default_url=")), "/lab")
    full_env = {**os.environ, **_lab_settings(base), **(env or {})}
    log_path = base / "jupyterlab.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(JUPYTER), "lab", *args, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--ServerApp.allow_root=True", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n"
                                       + log_path.read_text()[-3000:]) from None
                time.sleep(0.3)
        yield {"url": url, "token": token, "log": log_path, "default_url": default}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
                     r"|(?:href|src)=\"([^\"]+)\"|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.M)


def relative_links(text: str) -> list[str]:
    """The relative link targets of a markdown text (no scheme, not a bare #anchor), as
    written (without their #anchor or ?query)."""
    found = []
    for m in LINK_RE.finditer(text):
        target = next(g for g in m.groups() if g)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
            continue
        found.append(re.split(r"[#?]", target, maxsplit=1)[0])
    return [t for t in found if t]


def notebook_links(path: Path) -> list[tuple[str, str]]:
    """(cell id, target) of every relative link in a notebook's markdown cells."""
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(cell.get("id", "?"), target) for cell in nb["cells"] if cell["cell_type"] == "markdown"
            for target in relative_links("".join(cell["source"]) if isinstance(cell["source"], list)
                                         else cell["source"])]


def dead_links(server: dict, root: Path, notebooks: list[Path]) -> list[str]:
    """Every relative link of ``notebooks`` whose target the server (serving ``root``) does not
    answer with 200 (the contents API, as JupyterLab opens a linked file or folder)."""
    import posixpath
    import urllib.error
    import urllib.parse
    import urllib.request

    dead = []
    for path in notebooks:
        folder = path.parent.resolve().relative_to(root.resolve()).as_posix()
        for cell_id, target in notebook_links(path):
            resolved = posixpath.normpath(posixpath.join(folder, urllib.parse.unquote(target)))
            where = f"{path.relative_to(root)} cell {cell_id}: {target}"
            if resolved.startswith(".."):
                dead.append(f"{where} -> outside the server's root")
                continue
            url = (f"{server['url']}/api/contents/{urllib.parse.quote(resolved)}"
                   f"?content=0&token={server['token']}")
            try:
                with urllib.request.urlopen(url, timeout=30) as answer:
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                dead.append(f"{where} -> {resolved}: HTTP {status}")
    return dead
