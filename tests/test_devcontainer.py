"""The dev container (.devcontainer/devcontainer.json) that VS Code and GitHub Codespaces open."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import check_python  # noqa: E402

CONFIG = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))


def test_the_image_is_a_debian_python_image_of_a_supported_python():
    m = re.fullmatch(r"mcr\.microsoft\.com/devcontainers/python:\d+-(3\.\d+)-(bookworm|trixie)",
                     CONFIG["image"])
    assert m, CONFIG["image"]
    version = tuple(int(x) for x in m.group(1).split("."))
    assert check_python.problem(version) is None


def test_post_create_command_is_a_target_of_the_makefile():
    command = CONFIG["postCreateCommand"].split()
    assert command[0] == "make" and len(command) == 2
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(command[1])}:", makefile, re.M), "no such make target"


def test_vs_code_uses_the_environment_that_make_setup_makes():
    settings = CONFIG["customizations"]["vscode"]["settings"]
    assert settings["python.defaultInterpreterPath"].endswith("/.venv/bin/python")
    assert "ms-toolsai.jupyter" in CONFIG["customizations"]["vscode"]["extensions"]
