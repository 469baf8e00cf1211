"""Binder / JupyterHub: repo2docker reads environment.yml and runs postBuild."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_repo2docker_reads_the_top_level_files():
    # A binder/ or .binder/ folder would make repo2docker ignore the top-level files.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "environment.yml").exists()


def test_environment_installs_the_package_from_the_repository():
    # repo2docker stages the whole repository first when the pip section has `-e .`.
    lines = [line.strip() for line in (ROOT / "environment.yml").read_text().splitlines()]
    assert "- -e ." in lines


def test_postbuild_is_an_executable_bash_script_that_fetches_the_data():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK)
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    assert "python -m d2l_birnn fetch" in text
    subprocess.run(["bash", "-n", str(post_build)], check=True)
