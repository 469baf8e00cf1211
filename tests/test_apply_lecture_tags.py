"""tools/apply_lecture_tags.py: tags, speaker notes and exercise cells from a spec, idempotently."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import apply_lecture_tags  # noqa: E402

SPEC = {"notebooks": {"98_x.ipynb": [
    {"id": "aaaa0001", "first": "# 98", "tags": ["lecture", "lecture-heading"], "notes": "Say hello."},
    {"id": "aaaa0002", "first": "print", "tags": ["lecture", "live"], "notes": "Run it."},
    {"insert_after": "aaaa0002", "exercise": "99.1"},
]}, "exercises": {"99.1": {"title": "Exercise 99.1 (3 minutes)", "question": "How many?",
                           "check": "d2l.check('99.1', None)", "notes": "Answer: 3.",
                           "tags": ["lecture", "lecture-45"]}}}


def notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell("# 98: x"), nbformat.v4.new_code_cell("print(1)"),
             nbformat.v4.new_markdown_cell("The end.")]
    for cell, cid in zip(cells, ("aaaa0001", "aaaa0002", "aaaa0003")):
        cell.id = cid
    cells[1].metadata["tags"] = ["keep"]
    cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def test_tags_notes_and_exercises_are_added_once(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    path = notebook(tmp_path / "98_x.ipynb")
    assert apply_lecture_tags.main([str(spec), "--check", str(path)]) == 1
    assert apply_lecture_tags.main([str(spec), str(path)]) == 0
    text = path.read_text()
    assert apply_lecture_tags.main([str(spec), str(path)]) == 0 and path.read_text() == text
    assert apply_lecture_tags.main([str(spec), "--check", str(path)]) == 0
    cells = nbformat.read(path, as_version=4).cells
    kinds = [(c.cell_type, c.metadata.get("tags")) for c in cells]
    assert kinds == [("markdown", ["lecture", "lecture-heading"]), ("markdown", ["notes"]),
                     ("code", ["keep", "lecture", "live"]), ("markdown", ["notes"]),
                     ("markdown", ["lecture", "lecture-45"]), ("markdown", ["notes"]), ("code", None),
                     ("markdown", None)]
    assert cells[1].source == "**Speaker notes.**\n\nSay hello."
    assert cells[1].metadata["jupyter"] == {"source_hidden": True}
    assert cells[2].outputs[0].text == "1\n", "outputs are kept"
    assert cells[4].source == "**Exercise 99.1 (3 minutes).** How many?"
    assert cells[5].source.endswith("Answer: 3.") and cells[6].source == "d2l.check('99.1', None)"


def test_a_missing_cell_is_named(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    broken = json.loads(json.dumps(SPEC))
    broken["notebooks"]["98_x.ipynb"][0]["id"] = "gone0000"
    spec.write_text(json.dumps(broken))
    path = notebook(tmp_path / "98_x.ipynb")
    before = path.read_text()
    assert apply_lecture_tags.main([str(spec), str(path)]) == 1
    assert "no cell with id gone0000 (expected one starting '# 98')" in capsys.readouterr().err
    assert path.read_text() == before


def test_out_dir_leaves_the_notebook_alone(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    path = notebook(tmp_path / "98_x.ipynb")
    before = path.read_text()
    assert apply_lecture_tags.main([str(spec), "--out-dir", str(tmp_path / "out"), str(path)]) == 0
    assert path.read_text() == before and (tmp_path / "out" / "98_x.ipynb").exists()
