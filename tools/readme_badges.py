"""Print the README's Colab and Binder badges, from the repository URL in tools/setup_cell.py.

    .venv/bin/python tools/readme_badges.py        # README.md: the English notebooks
    .venv/bin/python tools/readme_badges.py zh     # README.zh-CN.md: the Chinese edition

The repository URL is written in one place, the setup cell (every notebook
copies it, and on Colab it installs the package from there); this prints a
Binder badge for the collection and a table row with a Colab badge for each
notebook, to paste into the README's contents table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BRANCH = "main"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


def repository() -> tuple[str, str]:
    """(owner, name) of the GitHub repository named in tools/setup_cell.py."""
    text = (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8")
    m = re.search(r'REPOSITORY = "https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?"', text)
    if not m:
        raise ValueError("tools/setup_cell.py has no REPOSITORY = \"https://github.com/OWNER/NAME\"")
    return m.group(1), m.group(2)


def colab_url(notebook: str) -> str:
    owner, name = repository()
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{BRANCH}/{notebook}"


def binder_url(notebook: str = "notebooks/00_start_here.ipynb") -> str:
    owner, name = repository()
    return f"https://mybinder.org/v2/gh/{owner}/{name}/{BRANCH}?urlpath=lab/tree/{notebook}"


def title(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), path.stem)
    return first.splitlines()[0].lstrip("# ").strip()


def main(argv: list[str] | None = None) -> int:
    edition = (sys.argv[1:] if argv is None else argv)[:1]   # [] (English) or ["zh"]
    folder = ROOT.joinpath("notebooks", *edition)
    start = (folder / "00_start_here.ipynb").relative_to(ROOT).as_posix()
    print(f"[![Binder]({BINDER_BADGE})]({binder_url(start)})\n")
    print("| notebook | Colab |\n|---|---|")
    for path in sorted(folder.glob("*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        print(f"| [{title(path)}]({rel}) | [![Open In Colab]({COLAB_BADGE})]({colab_url(rel)}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
