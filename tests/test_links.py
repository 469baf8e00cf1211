"""Every relative link of every notebook works in the JupyterLab that `make lab` opens, and on
GitHub (issue 23).

A JupyterLab server is started as `make lab` starts it (the Makefile's LAB_ARGS: the repository
root served, notebooks/ opened) on 127.0.0.1 with a free port and a token; each relative link of
each notebook (every edition that exists) is resolved against its notebook's folder and asked of
the server's contents API, which must answer 200 (JupyterLab opens a linked file that way). The
server only reads. A planted dead link must be reported. On GitHub a relative link works when its
target is in the repository: each target must be a tracked file or a folder holding one.
"""

from __future__ import annotations

import posixpath
import subprocess
import sys

import pytest
from _browser import JUPYTER, ROOT, dead_links, lab_server, make_lab_args, notebook_links

sys.path.insert(0, str(ROOT / "tools"))
from self_study import default_notebooks  # noqa: E402

NOTEBOOKS = default_notebooks()


@pytest.fixture(scope="module")
def repository_lab(tmp_path_factory):
    if not JUPYTER.exists():
        pytest.skip("JupyterLab is not installed in this environment (make setup)")
    with lab_server(ROOT, tmp_path_factory.mktemp("lab-links")) as server:
        yield server


def test_make_lab_serves_the_repository_root_and_opens_the_notebooks():
    args = make_lab_args()
    assert "--ServerApp.root_dir=." in args, args
    assert "--LabApp.default_url=/lab/tree/notebooks" in args, args


def test_the_notebooks_have_relative_links_to_check():
    assert any(notebook_links(p) for p in NOTEBOOKS)


def test_every_relative_link_answers_in_jupyterlab(repository_lab):
    dead = dead_links(repository_lab, ROOT, NOTEBOOKS)
    assert not dead, "dead links in JupyterLab (make lab):\n" + "\n".join(dead)


def test_a_planted_dead_link_is_reported(tmp_path):
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    (root / "REFERENCES.md").write_text("# References\n")
    nb = ('{"cells": [{"cell_type": "markdown", "id": "a1", "metadata": {}, "source": '
          '"See [the references](../REFERENCES.md#schuster) and [gone](../LECTURE.md), '
          '[far](../../outside.md)."}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    (root / "notebooks" / "01_x.ipynb").write_text(nb)
    with lab_server(root, tmp_path / "lab") as server:
        dead = dead_links(server, root, [root / "notebooks" / "01_x.ipynb"])
    assert dead == ["notebooks/01_x.ipynb cell a1: ../LECTURE.md -> LECTURE.md: HTTP 404",
                    "notebooks/01_x.ipynb cell a1: ../../outside.md -> outside the server's root"]


def test_every_relative_link_target_is_in_the_repository_for_github():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=False)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    files = set(tracked.stdout.splitlines())
    folders = {posixpath.dirname(f) for f in files}
    folders |= {posixpath.dirname(d) for d in list(folders)}
    missing = []
    for path in NOTEBOOKS:
        folder = path.parent.relative_to(ROOT).as_posix()
        for cell_id, target in notebook_links(path):
            resolved = posixpath.normpath(posixpath.join(folder, target))
            if resolved not in files and resolved.rstrip("/") not in folders:
                missing.append(f"{path.relative_to(ROOT)} cell {cell_id}: {target}")
    assert not missing, "links to files that are not in the repository:\n" + "\n".join(missing)


def test_the_link_parser_reads_markdown_html_and_reference_links():
    from _browser import relative_links

    text = ('[a](../A.md#x) ![f](fig.png "t") <a href="zh/">zh</a> [web](https://x.org) [top](#s)\n'
            '[ref]: ../REFERENCES.md\n')
    assert relative_links(text) == ["../A.md", "fig.png", "zh/", "../REFERENCES.md"]

