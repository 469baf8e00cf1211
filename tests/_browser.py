"""Headless Chromium for the browser tests (test_browser.py, test_slides.py).

Debian's ``chromium`` driven by Playwright (``make browser`` installs both;
Playwright cannot download its own browser here). Without them the tests skip,
except under CI (``CI`` set), where they fail: CI must run them.
"""

from __future__ import annotations

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
