"""Print the README's Colab and Binder badges, from the repository URL in tools/setup_cell.py.

    .venv/bin/python tools/readme_badges.py        # README.md: the English notebooks
    .venv/bin/python tools/readme_badges.py zh     # README.zh-CN.md: the Chinese edition
    .venv/bin/python tools/readme_badges.py editions      # the four editions side by side
    .venv/bin/python tools/readme_badges.py editions zh   # the same, headed in Chinese

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


# The four editions' folders (tools/notebook_files.py's EDITION_DIRS) and their column heads.
EDITIONS = (("notebooks", "MXNet, English", "MXNet，英文"),
            ("notebooks/zh", "MXNet, Chinese", "MXNet，中文"),
            ("notebooks/pytorch", "PyTorch, English", "PyTorch，英文"),
            ("notebooks/zh/pytorch", "PyTorch, Chinese", "PyTorch，中文"))


def badge(rel: str) -> str:
    return f"[![Open In Colab]({COLAB_BADGE})]({colab_url(rel)})"


def editions_table(language: str = "en") -> str:
    """A row per notebook of the source, a column per edition: its Colab badge where that
    edition has the notebook, a dash where it is not written yet."""
    heads = [head if language == "en" else zh for _, head, zh in EDITIONS]
    rows = [f"| {'notebook' if language == 'en' else '笔记本'} | " + " | ".join(heads) + " |",
            "|---" * (len(EDITIONS) + 1) + "|"]
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = []
        for folder, *_ in EDITIONS:
            rel = f"{folder}/{path.name}"
            cells.append(badge(rel) if (ROOT / rel).exists() else "–")
        rows.append(f"| {path.name[:2]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["editions"]:
        print(editions_table(*args[1:2]))
        return 0
    edition = args[:1]   # [] (English) or ["zh"]
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
