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


@pytest.mark.parametrize("name", list(ed.EDITIONS))
def test_the_real_edition_is_in_sync(name):
    edition = ed.EDITIONS[name]
    if not edition.directory.exists():
        pytest.skip(f"{edition.directory} does not exist yet (`python tools/edition.py sync {name}`)")
    problems = ed.check_edition(edition)
    assert not problems, "\n".join(problems)


def test_the_four_editions_are_the_ones_the_layout_names():
    editions = ed.EDITIONS
    assert list(editions) == ["zh", "pytorch", "zh/pytorch"]
    assert (editions["pytorch"].axis, editions["zh/pytorch"].axis) == ("framework", "language")
    assert editions["zh/pytorch"].source_dir == editions["pytorch"].directory
    assert editions["zh/pytorch"].shared_from == (ed.NOTEBOOKS, editions["zh"].directory)
    assert "from d2l_birnn" not in editions["pytorch"].setup_source()
    assert 'D2L_BIRNN_LANG"] = "zh"' in editions["zh/pytorch"].setup_source()
    assert '["setup"]()' not in editions["pytorch"].setup_source()      # no MXNet install
    assert '["install_cjk_font"]()' in editions["zh/pytorch"].setup_source()


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


# ---------------------------------------------------------------------------
# The framework axis: notebooks/pytorch (shared, framework-specific and own cells) and
# notebooks/zh/pytorch (translations of shared prose taken from notebooks/zh, made once)
# ---------------------------------------------------------------------------
SETUP_PT, SETUP_ZH_PT = "# setup cell, pytorch\nimport os", "# setup cell, zh pytorch\nimport os"


@pytest.fixture
def four(tmp_path):
    """The four editions on the synthetic notebook, all synced; zh translated and stamped."""
    source = tmp_path / "notebooks"
    make_source(source / "01_test.ipynb")
    add_source_notes_at(source, {"md2": "Say: H_t.", "code1": "Say: it prints 2."})
    zh = ed.Edition("zh", "language", source, source / "zh", lambda: SETUP_ZH)
    pt = ed.Edition("pytorch", "framework", source, source / "pytorch", lambda: SETUP_PT)
    zh_pt = ed.Edition("zh/pytorch", "language", source / "pytorch", source / "zh" / "pytorch",
                       lambda: SETUP_ZH_PT, shared_from=(source, source / "zh"))
    ed.sync_notebook(zh, source / "01_test.ipynb")
    translate(zh)
    translate_notes(zh, {"md2": "讲：H_t。", "code1": "讲：它打印 2。"})
    ed.sync_notebook(pt, source / "01_test.ipynb")
    return {"zh": zh, "pytorch": pt, "zh/pytorch": zh_pt}


def add_source_notes_at(source_dir, notes):
    path = source_dir / "01_test.ipynb"
    nb = read(path)
    for cell_id, text in notes.items():
        cell(nb, cell_id).metadata["speaker_notes"] = text
    write(path, nb)


def edit(path, cell_id, text=None, notes=None):
    nb = read(path)
    if text is not None:
        cell(nb, cell_id).source = text
    if notes is not None:
        cell(nb, cell_id).metadata["speaker_notes"] = notes
    write(path, nb)


def pt_path(four):
    return four["pytorch"].directory / "01_test.ipynb"


def port(four):
    """Port code1 to PyTorch and give md2 PyTorch-specific prose; stamp both."""
    edit(pt_path(four), "code1", "# NBVAL_CHECK_OUTPUT\nprint(torch.tensor(1) + 1)")
    edit(pt_path(four), "md2", "The hidden state $H_t$ of `nn.RNN`.")
    lines = ed.stamp_notebook(four["pytorch"], four["pytorch"].source_dir / "01_test.ipynb")
    assert sorted(lines) == ["cell code1: stamped as framework-specific",
                             "cell md2: stamped as framework-specific"]
    assert all(ed.check_edition(e) == [] for e in (four["zh"], four["pytorch"]))


def test_a_framework_edition_starts_as_shared_copies_with_its_own_setup_cell(four):
    nb = read(pt_path(four))
    assert [c.get("id") for c in nb.cells] == ["md1", "setup", "code1", "md2", "code2"]
    assert cell(nb, "setup").source == SETUP_PT and "edition" not in cell(nb, "setup").metadata
    assert cell(nb, "md1").source == "# Title\n\nSome English."
    assert cell(nb, "md1").metadata["edition"]["status"] == "shared"
    assert cell(nb, "code1").metadata["speaker_notes"] == "Say: it prints 2."
    assert cell(nb, "code1").metadata["tags"] == ["keep"] and cell(nb, "code1").outputs == []
    assert ed.check_edition(four["pytorch"]) == []
    assert nb.metadata["edition"]["source"] == "../01_test.ipynb"


def test_framework_specific_cells_are_kept_by_sync_and_go_stale_when_the_source_changes(four):
    port(four)
    source = four["pytorch"].source_dir / "01_test.ipynb"
    edit(source, "md2", "The hidden state $H_t$, again.")
    edit(source, "md1", "# Title\n\nSome English, changed.")
    notes = ed.sync_notebook(four["pytorch"], source)
    assert notes == ["cell md1: copied", "cell md2: stale: the source cell changed since this "
                     "framework-specific cell was stamped"]
    nb = read(pt_path(four))
    assert cell(nb, "md1").source == "# Title\n\nSome English, changed."   # shared: follows
    assert cell(nb, "md2").source == "The hidden state $H_t$ of `nn.RNN`."  # specific: kept
    [problem] = ed.check_edition(four["pytorch"])
    assert "cell md2: stale" in problem
    assert ed.main(["check", "pytorch"], editions=four) == 1
    assert ed.stamp_notebook(four["pytorch"], source, ["md2"]) == [
        "cell md2: stamped as framework-specific"]
    assert ed.check_edition(four["pytorch"]) == []


def test_a_change_to_the_source_notes_makes_a_framework_specific_cell_stale(four):
    port(four)
    add_source_notes_at(four["pytorch"].source_dir, {"code1": "Say: it prints 2, the sum."})
    assert any("cell code1: stale" in p for p in ed.check_edition(four["pytorch"]))


def test_sync_never_overwrites_an_edited_shared_cell(four):
    edit(pt_path(four), "code2", "x = torch.tensor(3)")
    notes = ed.sync_notebook(four["pytorch"], four["pytorch"].source_dir / "01_test.ipynb")
    assert len(notes) == 1 and notes[0].startswith("cell code2: edited, differs from the source")
    assert cell(read(pt_path(four)), "code2").source == "x = torch.tensor(3)"
    [problem] = ed.check_edition(four["pytorch"])
    assert "cell code2: code differs from the source" in problem and "stamp" in problem


def test_own_cells_are_stamped_kept_in_place_and_omitted_cells_recorded(four):
    nb = read(pt_path(four))
    nb.cells.insert(3, nbformat.v4.new_code_cell("print(torch.__version__)", id="pt-only"))
    write(pt_path(four), nb)
    [problem] = ed.check_edition(four["pytorch"])
    assert "cell pt-only: a cell the source does not have" in problem
    assert ed.stamp_notebook(four["pytorch"], four["pytorch"].source_dir / "01_test.ipynb") == [
        "cell pt-only: stamped as this edition's own"]
    src = four["pytorch"].source_dir / "01_test.ipynb"
    assert ed.omit_cells(four["pytorch"], src, ["code2"]) == ["cell code2: omitted"]
    assert ed.check_edition(four["pytorch"]) == []
    edit(src, "md1", "# Title\n\nNew English.")             # sync keeps own cells in place
    ed.sync_notebook(four["pytorch"], src)
    assert [c.get("id") for c in read(pt_path(four)).cells] == ["md1", "setup", "code1", "pt-only",
                                                                 "md2"]
    assert ed.check_edition(four["pytorch"]) == []
    ed.share_cells(four["pytorch"], src, ["code2"])            # back, as the source's
    assert cell(read(pt_path(four)), "code2").source == "x = 3"
    assert ed.check_edition(four["pytorch"]) == []


def test_share_gives_a_framework_specific_cell_the_source_text_again(four):
    port(four)
    ed.share_cells(four["pytorch"], four["pytorch"].source_dir / "01_test.ipynb", ["md2"])
    md2 = cell(read(pt_path(four)), "md2")
    assert md2.source == "The hidden state $H_t$." and md2.metadata["edition"]["status"] == "shared"
    assert ed.check_edition(four["pytorch"]) == []


def _pt_plant(four, change):
    port(four)
    nb = read(pt_path(four))
    change(nb)
    write(pt_path(four), nb)
    return ed.check_edition(four["pytorch"])


@pytest.mark.parametrize("change, expected", [
    (lambda nb: setattr(cell(nb, "md1"), "source", "# Title\n\nEdited in place."),
     "cell md1: markdown differs from the source"),
    (lambda nb: setattr(cell(nb, "setup"), "source", "# setup cell, en\nimport os"),
     "cell setup: the setup cell differs from its template"),
    (lambda nb: cell(nb, "code2").metadata.update(speaker_notes="Say: other."),
     "cell code2: speaker notes differ from the source's"),
    (lambda nb: cell(nb, "md1").metadata.update(slideshow={"slide_type": "skip"}),
     "cell md1: metadata differs"),
    (lambda nb: cell(nb, "md2").metadata["edition"].update(source_sha256="0" * 64),
     "cell md2: stale"),
    (lambda nb: cell(nb, "code1").metadata["edition"].pop("source_sha256"),
     "cell code1: framework-specific without a source hash"),
    (lambda nb: nb.cells.pop(), "(missing ['code2'])"),
    (_swap, "structure: the source's cells differ"),
    (lambda nb: nb.cells.append(nbformat.v4.new_code_cell("y = 1", id="stray")),
     "cell stray: a cell the source does not have"),
    (lambda nb: nb.metadata["edition"].update(omitted=["gone"]), "omitted cell gone: the source"),
])
def test_the_pytorch_check_fails_on_each_planted_drift(four, change, expected):
    problems = _pt_plant(four, change)
    assert len(problems) == 1 and expected in problems[0], problems
    assert ed.main(["--check"], editions=four) == 1


def test_a_framework_edition_may_lack_a_notebook_until_it_is_written(four, capsys):
    make_source(four["pytorch"].source_dir / "02_more.ipynb")
    assert ed.check_edition(four["pytorch"]) == []
    assert ed.main(["--check"], editions={"pytorch": four["pytorch"]}) == 0
    assert "02_more.ipynb not written yet" in capsys.readouterr().out
    assert ed.main(["sync", "pytorch"], editions=four) == 0          # syncs only written ones
    assert not (four["pytorch"].directory / "02_more.ipynb").exists()


# zh/pytorch --------------------------------------------------------------------------------
def zh_pt_path(four):
    return four["zh/pytorch"].directory / "01_test.ipynb"


def test_zh_pytorch_takes_the_zh_translation_of_shared_prose_and_translates_only_the_rest(four):
    port(four)
    zh_pt = four["zh/pytorch"]
    notes = ed.sync_notebook(zh_pt, zh_pt.source_dir / "01_test.ipynb")
    assert "cell md1: copied the shared translation" in notes
    assert "cell md2: untranslated" in notes                       # PyTorch-specific prose
    assert "cell code1: speaker notes untranslated" not in notes   # notes shared (unchanged)
    nb = read(zh_pt_path(four))
    assert cell(nb, "md1").source == "# 标题\n\n一些中文。"
    assert cell(nb, "md1").metadata["edition"] == {"axis": "language", "status": "shared",
                                                   "from": ".."}
    assert cell(nb, "code1").metadata["speaker_notes"] == "讲：它打印 2。"
    assert cell(nb, "code1").source == "# NBVAL_CHECK_OUTPUT\nprint(torch.tensor(1) + 1)"
    assert cell(nb, "setup").source == SETUP_ZH_PT and "edition" not in cell(nb, "code1").metadata
    assert cell(nb, "md2").metadata["speaker_notes"] == "讲：H_t。"   # md2's notes are shared
    problems = ed.check_edition(zh_pt)
    assert len(problems) == 1 and "cell md2: untranslated" in problems[0]
    edit(zh_pt_path(four), "md2", "`nn.RNN` 的隐状态 $H_t$。")
    assert ed.stamp_notebook(zh_pt, zh_pt.source_dir / "01_test.ipynb") == ["cell md2: stamped"]
    assert ed.check_edition(zh_pt) == []
    assert nb.metadata["edition"]["source"] == "../../pytorch/01_test.ipynb"


def _zh_pt_synced(four):
    port(four)
    zh_pt = four["zh/pytorch"]
    ed.sync_notebook(zh_pt, zh_pt.source_dir / "01_test.ipynb")
    edit(zh_pt_path(four), "md2", "`nn.RNN` 的隐状态 $H_t$。")
    ed.stamp_notebook(zh_pt, zh_pt.source_dir / "01_test.ipynb")
    assert all(ed.check_edition(e) == [] for e in four.values())
    return zh_pt


def test_a_shared_translation_is_made_once_a_second_one_is_flagged(four):
    zh_pt = _zh_pt_synced(four)
    edit(zh_pt_path(four), "md1", "# 标题\n\n另一种译法。")                # translated twice
    [problem] = ed.check_edition(zh_pt)
    assert "cell md1: text differs from ..'s translation of the same shared English" in problem
    assert ed.stamp_notebook(zh_pt, zh_pt.source_dir / "01_test.ipynb", ["md1"]) == [
        "cell md1: not stamped, its English is shared: its translation is ..'s"]
    edit(zh_pt_path(four), "code1", notes="讲：另一种。")
    assert any("cell code1: speaker notes differs from" in p for p in ed.check_edition(zh_pt))


def test_an_improved_zh_translation_reaches_zh_pytorch_through_sync(four):
    zh_pt = _zh_pt_synced(four)
    edit(four["zh"].directory / "01_test.ipynb", "md1", "# 标题\n\n更好的中文。")
    ed.stamp_notebook(four["zh"], four["zh"].source_dir / "01_test.ipynb")
    [problem] = ed.check_edition(zh_pt)
    assert "cell md1: text differs from" in problem
    assert ed.sync_notebook(zh_pt, zh_pt.source_dir / "01_test.ipynb") == [
        "cell md1: copied the shared translation"]
    assert cell(read(zh_pt_path(four)), "md1").source == "# 标题\n\n更好的中文。"
    assert ed.check_edition(zh_pt) == []


def test_zh_pytorch_flags_stale_translations_of_pytorch_specific_prose(four):
    zh_pt = _zh_pt_synced(four)
    edit(pt_path(four), "md2", "The hidden state $H_t$ of `nn.GRU`.")
    ed.stamp_notebook(four["pytorch"], four["pytorch"].source_dir / "01_test.ipynb")
    assert ed.check_edition(four["pytorch"]) == []
    [problem] = ed.check_edition(zh_pt)
    assert "cell md2: stale" in problem
    [problem] = _planted_zh_pt(four, lambda nb: nb.cells.pop())
    assert "structure" in problem


def _planted_zh_pt(four, change):
    nb = read(zh_pt_path(four))
    change(nb)
    write(zh_pt_path(four), nb)
    return ed.check_edition(four["zh/pytorch"])


def test_a_pytorch_notebook_without_its_zh_twin_is_listed_as_not_written(four, capsys):
    _zh_pt_synced(four)
    make_source(four["pytorch"].directory / "02_more.ipynb")
    assert ed.check_edition(four["zh/pytorch"]) == []
    assert ed.main(["check", "zh/pytorch"], editions=four) == 0
    assert "zh/pytorch/02_more.ipynb not written yet" in capsys.readouterr().out
    assert ed.EDITIONS["zh"].complete and not ed.EDITIONS["zh/pytorch"].complete


def test_a_framework_edition_copies_the_notes(tmp_path):
    source = tmp_path / "notebooks"
    make_source(source / "01_test.ipynb")
    edition = ed.Edition("pt", "framework", source, source / "pytorch")
    add_source_notes(edition, {"code1": "Say: it prints 2."})
    ed.sync_notebook(edition, source / "01_test.ipynb")
    assert cell(read(source / "pytorch" / "01_test.ipynb"), "code1").metadata["speaker_notes"] == \
        "Say: it prints 2."
    assert not [p for p in ed.check_edition(edition) if "speaker notes" in p]


def test_shared_prose_has_its_relative_links_rebased_to_the_edition_folder(four):
    source = four["pytorch"].source_dir / "01_test.ipynb"
    edit(source, "md1", "# Title\n\nSee [the references](../REFERENCES.md#hmm), [03](03_x.ipynb), "
         "[zh](zh/), [d2l](https://d2l.ai/x.html) and [above](#title).",
         notes="Say: [lesson plan](../LECTURE.md).")
    ed.sync_notebook(four["pytorch"], source)
    md1 = cell(read(pt_path(four)), "md1")
    assert md1.source == ("# Title\n\nSee [the references](../../REFERENCES.md#hmm), [03](03_x.ipynb), "
                          "[zh](../zh/), [d2l](https://d2l.ai/x.html) and [above](#title).")
    assert md1.metadata["speaker_notes"] == "Say: [lesson plan](../../LECTURE.md)."
    assert ed.check_edition(four["pytorch"]) == []
    assert ed.sync_notebook(four["pytorch"], source) == []        # a rebased copy is untouched
    ed.sync_notebook(four["zh/pytorch"], four["zh/pytorch"].source_dir / "01_test.ipynb")
    assert any("cell md1: its English speaker notes are shared with .., which has none" in p
               for p in ed.check_edition(four["zh/pytorch"]))
    ed.sync_notebook(four["zh"], source)
    zh = four["zh"].directory / "01_test.ipynb"
    edit(zh, "md1", "# 标题\n\n见[参考文献](../../REFERENCES.md)。")
    ed.stamp_notebook(four["zh"], source)
    ed.sync_notebook(four["zh/pytorch"], four["zh/pytorch"].source_dir / "01_test.ipynb")
    assert cell(read(zh_pt_path(four)), "md1").source == "# 标题\n\n见[参考文献](../../../REFERENCES.md)。"
    assert not [p for p in ed.check_edition(four["zh/pytorch"]) if "md1" in p]


def test_the_readme_has_a_colab_badge_for_every_notebook_of_every_edition():
    """README.md's editions table (tools/readme_badges.py editions) is up to date."""
    import readme_badges

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_badges.editions_table() in readme, (
        "README.md's editions table is stale: paste `python tools/readme_badges.py editions`")
    for folder in ("notebooks", "notebooks/zh", "notebooks/pytorch", "notebooks/zh/pytorch"):
        for path in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
            assert readme_badges.colab_url(f"{folder}/{path.name}") in readme, path
