"""tools/edition.py: derived editions (notebooks/zh) stay in sync with notebooks/*.ipynb.

Synthetic notebooks: the check passes on a synced and translated pair and fails on
each planted change; sync keeps translations and the outputs of unchanged code.
The real edition is checked too once notebooks/zh exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import edition as ed  # noqa: E402

SETUP_ZH = "# setup cell, zh\nimport os"


def make_source(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome English.", id="md1",
                                      metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("# setup cell, en\nimport os", id="setup"),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1 + 1)", id="code1",
                                  metadata={"tags": ["keep"]}),
        nbformat.v4.new_markdown_cell("The hidden state $H_t$.", id="md2"),
        nbformat.v4.new_code_cell("x = 3", id="code2"),
    ]
    cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    nb.cells = cells
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


@pytest.fixture
def edition(tmp_path):
    source = tmp_path / "notebooks"
    make_source(source / "01_test.ipynb")
    return ed.Edition("zh", "language", source, source / "zh", lambda: SETUP_ZH)


def read(path):
    return nbformat.read(str(path), as_version=4)


def write(path, nb):
    nbformat.write(nb, str(path))


def cell(nb, cell_id):
    return next(c for c in nb.cells if c.get("id") == cell_id)


TRANSLATIONS = {"md1": "# 标题\n\n一些中文。", "md2": "隐状态 $H_t$。"}


def translate(edition, texts=TRANSLATIONS):
    target = edition.directory / "01_test.ipynb"
    nb = read(target)
    for cell_id, text in texts.items():
        cell(nb, cell_id).source = text
    write(target, nb)
    return ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb")


def synced(edition):
    ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    translate(edition)
    assert ed.check_edition(edition) == []
    return edition.directory / "01_test.ipynb"


def test_sync_creates_the_edition_with_untranslated_markdown_and_templated_setup(edition):
    notes = ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    assert "cell md1: untranslated" in notes and "cell code1: new code: run the notebook" in notes
    nb = read(edition.directory / "01_test.ipynb")
    assert [c.get("id") for c in nb.cells] == ["md1", "setup", "code1", "md2", "code2"]
    assert cell(nb, "setup").source == SETUP_ZH
    assert cell(nb, "code1").source == "# NBVAL_CHECK_OUTPUT\nprint(1 + 1)"
    assert cell(nb, "code1").metadata["tags"] == ["keep"]
    assert cell(nb, "md1").metadata["slideshow"] == {"slide_type": "slide"}
    stamp = cell(nb, "md1").metadata["edition"]
    assert stamp["status"] == "untranslated" and stamp["axis"] == "language"
    assert stamp["source_sha256"] == ed.sha256("# Title\n\nSome English.")
    problems = ed.check_edition(edition)
    assert sum("untranslated" in p for p in problems) == 2 and len(problems) == 2


def test_stamp_then_check_passes_and_sync_is_idempotent(edition):
    target = synced(edition)
    before = target.read_text(encoding="utf-8")
    assert ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb") == []
    assert target.read_text(encoding="utf-8") == before
    assert ed.main(["check", "zh"], editions={"zh": edition}) == 0


def test_stamp_refuses_a_cell_still_in_english_and_leaves_stale_ones_alone(edition):
    ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    lines = translate(edition, {"md1": "# 标题"})            # md2 left in English
    assert lines == ["cell md1: stamped"]
    lines = ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb", ["md2"])
    assert "not stamped, its text is still the source's" in lines[0]
    assert ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb", ["md2"],
                             allow_identical=True) == ["cell md2: stamped"]
    with pytest.raises(SystemExit, match="no cell"):
        ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb", ["nope"])


def test_sync_keeps_outputs_of_unchanged_code_and_clears_changed_code(edition):
    target = synced(edition)
    nb = read(target)
    cell(nb, "code1").outputs = [nbformat.v4.new_output("stream", name="stdout", text="2 (zh run)\n")]
    cell(nb, "code2").outputs = [nbformat.v4.new_output("stream", name="stdout", text="old\n")]
    write(target, nb)
    src = read(edition.source_dir / "01_test.ipynb")
    cell(src, "code2").source = "x = 4"
    write(edition.source_dir / "01_test.ipynb", src)
    notes = ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    assert notes == ["cell code2: code changed: run the notebook"]
    nb = read(target)
    assert cell(nb, "code1").outputs[0].text == "2 (zh run)\n"       # kept
    assert cell(nb, "code2").outputs == [] and cell(nb, "code2").source == "x = 4"
    assert cell(nb, "md1").source == "# 标题\n\n一些中文。"              # translations kept
    assert ed.check_edition(edition) == []


def test_a_changed_english_cell_makes_its_translation_stale_until_restamped(edition):
    target = synced(edition)
    src = read(edition.source_dir / "01_test.ipynb")
    cell(src, "md2").source = "The hidden state $H_t$ of each step."
    write(edition.source_dir / "01_test.ipynb", src)
    assert ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb") == ["cell md2: stale"]
    assert cell(read(target), "md2").source == "隐状态 $H_t$。"          # not thrown away
    problems = ed.check_edition(edition)
    assert len(problems) == 1 and "cell md2: stale" in problems[0]
    assert ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb") == []   # not edited
    translate(edition, {"md2": "每个时间步的隐状态 $H_t$。"})
    assert ed.check_edition(edition) == []


def test_new_english_cell_is_inserted_untranslated_and_removed_one_dropped(edition):
    target = synced(edition)
    src = read(edition.source_dir / "01_test.ipynb")
    src.cells.insert(4, nbformat.v4.new_markdown_cell("A new paragraph.", id="md3"))
    del src.cells[3]                                                # md2 removed
    write(edition.source_dir / "01_test.ipynb", src)
    notes = ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    assert "cell md3: untranslated" in notes
    assert any(n.startswith("cell md2: removed") for n in notes)
    assert [c.get("id") for c in read(target).cells] == ["md1", "setup", "code1", "md3", "code2"]
    assert [p.split(": ", 1)[1] for p in ed.check_edition(edition)] == ["cell md3: untranslated"]


def plant(edition, change):
    target = synced(edition)
    nb = read(target)
    change(nb)
    write(target, nb)
    return ed.check_edition(edition)


def _swap(nb):
    nb.cells[3], nb.cells[4] = nb.cells[4], nb.cells[3]


@pytest.mark.parametrize("change, expected", [
    (lambda nb: setattr(cell(nb, "code1"), "source", "print(1 + 2)"), "code differs"),
    (lambda nb: setattr(cell(nb, "setup"), "source", "# setup cell, en\nimport os"), "code differs"),
    (_swap, "structure: cell ids or order differ"),
    (lambda nb: nb.cells.pop(), "(missing ['code2'])"),
    (lambda nb: cell(nb, "code1").metadata.update(tags=["other"]), "metadata differs"),
    (lambda nb: cell(nb, "md1").metadata.update(slideshow={"slide_type": "skip"}),
     "metadata differs"),
    (lambda nb: cell(nb, "md2").metadata["edition"].update(source_sha256="0" * 64), "stale"),
    (lambda nb: cell(nb, "md2").metadata.pop("edition"), "no edition stamp"),
    (lambda nb: cell(nb, "md2").metadata["edition"].update(status="untranslated"), "untranslated"),
    (lambda nb: nb.cells.__setitem__(4, nbformat.v4.new_markdown_cell("x = 3", id="code2")),
     "cell type markdown, source has code"),
])
def test_check_fails_on_each_planted_change(edition, change, expected):
    problems = plant(edition, change)
    assert len(problems) == 1 and expected in problems[0], problems
    assert ed.main(["check", "zh"], editions={"zh": edition}) == 1


def test_check_reports_missing_and_extra_notebooks(edition):
    synced(edition)
    make_source(edition.source_dir / "02_more.ipynb")
    (edition.directory / "09_orphan.ipynb").write_text(
        (edition.directory / "01_test.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    problems = ed.check_edition(edition)
    assert any("02_more.ipynb: missing" in p for p in problems)
    assert any("09_orphan.ipynb: no source notebook" in p for p in problems)


def test_an_edition_that_does_not_exist_yet_passes_with_a_note(edition, capsys):
    assert ed.check_edition(edition) == []
    assert ed.main(["--check"], editions={"zh": edition}) == 0
    assert "does not exist yet" in capsys.readouterr().out


def test_command_line_errors_say_what_exists(edition):
    with pytest.raises(SystemExit, match="no edition 'fr'; editions: zh"):
        ed.main(["sync", "fr"], editions={"zh": edition})
    with pytest.raises(SystemExit, match="no such notebook"):
        ed.main(["sync", "zh", "07"], editions={"zh": edition})
    with pytest.raises(ValueError, match="axis 'colour'"):
        ed.Edition("x", "colour", Path("."), Path("."))


def test_a_framework_edition_overrides_code_and_copies_markdown(tmp_path):
    source = tmp_path / "notebooks"
    make_source(source / "01_test.ipynb")
    torch = ed.Edition("pytorch", "framework", source, source / "pytorch")
    ed.sync_notebook(torch, source / "01_test.ipynb")
    nb = read(source / "pytorch" / "01_test.ipynb")
    assert cell(nb, "md1").source == "# Title\n\nSome English." and "edition" not in cell(nb, "md1").metadata
    assert cell(nb, "code1").metadata["edition"]["axis"] == "framework"
    problems = ed.check_edition(torch)
    assert len(problems) == 3 and all("untranslated" in p for p in problems)   # 3 code cells


def test_the_real_edition_is_in_sync():
    zh = ed.EDITIONS["zh"]
    if not zh.directory.exists():
        pytest.skip(f"{zh.directory} does not exist yet (issue 15: `python tools/edition.py sync zh`)")
    problems = ed.check_edition(zh)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# Speaker notes in cell metadata (tools/self_study.py): the edition's own, stamped
# ---------------------------------------------------------------------------
def add_source_notes(edition, notes: dict[str, str]) -> None:
    path = edition.source_dir / "01_test.ipynb"
    nb = read(path)
    for cell_id, text in notes.items():
        cell(nb, cell_id).metadata["speaker_notes"] = text
    write(path, nb)


def zh_cell(edition, cell_id):
    return cell(read(edition.directory / "01_test.ipynb"), cell_id)


def translate_notes(edition, texts: dict[str, str]) -> list[str]:
    target = edition.directory / "01_test.ipynb"
    nb = read(target)
    for cell_id, text in texts.items():
        cell(nb, cell_id).metadata["speaker_notes"] = text
    write(target, nb)
    return ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb")


def test_sync_fills_missing_notes_untranslated_and_check_flags_them(edition):
    add_source_notes(edition, {"md1": "Say: welcome.", "code1": "Say: it prints 2."})
    notes = ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    assert "cell md1: speaker notes untranslated" in notes
    assert "cell code1: speaker notes untranslated" in notes
    assert zh_cell(edition, "code1").metadata["speaker_notes"] == "Say: it prints 2."
    translate(edition)
    problems = ed.check_edition(edition)
    assert any("cell md1: speaker notes untranslated" in p for p in problems)
    assert any("cell code1: speaker notes untranslated" in p for p in problems)


def test_translated_notes_are_stamped_kept_by_sync_and_go_stale(edition):
    add_source_notes(edition, {"md1": "Say: welcome.", "code1": "Say: it prints 2."})
    ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    translate(edition)
    lines = translate_notes(edition, {"md1": "讲：欢迎。", "code1": "讲：它打印 2。"})
    assert "cell md1: notes stamped" in lines and "cell code1: notes stamped" in lines
    assert ed.check_edition(edition) == []
    # sync never overwrites a translation with English, not even after the English changed
    add_source_notes(edition, {"code1": "Say: it prints 2, the sum."})
    notes = ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    assert notes == ["cell code1: speaker notes stale"]
    assert zh_cell(edition, "code1").metadata["speaker_notes"] == "讲：它打印 2。"
    assert zh_cell(edition, "md1").metadata["speaker_notes"] == "讲：欢迎。"
    problems = ed.check_edition(edition)
    assert len(problems) == 1 and "cell code1: speaker notes stale" in problems[0]
    translate_notes(edition, {"code1": "讲：它打印 2，即和。"})
    assert ed.check_edition(edition) == []


def test_notes_still_english_are_not_stamped_and_extra_or_missing_notes_are_flagged(edition):
    add_source_notes(edition, {"md2": "Say: H_t."})
    target = edition.directory / "01_test.ipynb"
    ed.sync_notebook(edition, edition.source_dir / "01_test.ipynb")
    translate(edition)
    assert ed.stamp_notebook(edition, edition.source_dir / "01_test.ipynb", ["md2"]) == [
        "cell md2: notes not stamped, they are still the source's (translate them, or pass "
        "--allow-identical)", "cell md2: stamped"]
    nb = read(target)
    del cell(nb, "md2").metadata["speaker_notes"]
    cell(nb, "code2").metadata["speaker_notes"] = "多余的备注。"
    write(target, nb)
    problems = ed.check_edition(edition)
    assert any("cell md2: speaker notes missing" in p for p in problems)
    assert any("cell code2: speaker notes the source cell does not have" in p for p in problems)


def test_a_framework_edition_copies_the_notes(tmp_path):
    source = tmp_path / "notebooks"
    make_source(source / "01_test.ipynb")
    edition = ed.Edition("pt", "framework", source, source / "pytorch")
    add_source_notes(edition, {"code1": "Say: it prints 2."})
    ed.sync_notebook(edition, source / "01_test.ipynb")
    assert cell(read(source / "pytorch" / "01_test.ipynb"), "code1").metadata["speaker_notes"] == \
        "Say: it prints 2."
    assert not [p for p in ed.check_edition(edition) if "speaker notes" in p]
