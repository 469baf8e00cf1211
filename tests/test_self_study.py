"""tools/self_study.py: speaker notes in cell metadata, markers that render as if absent, PNG
figures, no saved widget state (issue 23).

The migration runs on copies of the real notebooks (every edition that exists) in tmp_path; the
consumers (lecture decks, the prose-number check, the edition check, the glossary) must find the
same notes after it as before. Each check fails on a planted case.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_prose_numbers  # noqa: E402
import edition as ed  # noqa: E402
import glossary  # noqa: E402
import self_study as ss  # noqa: E402

pytest.importorskip("markdown_it", reason="the marker check renders with markdown-it-py "
                    "(pip install -e '.[dev]')")

ORIGINALS = ss.default_notebooks()


def copy_tree(dest: Path) -> list[Path]:
    """Copies of every numbered notebook, in the same folders under ``dest``."""
    copies = []
    for path in ORIGINALS:
        target = dest / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        copies.append(target)
    return copies


def visible_notes(path: Path) -> int:
    return sum(ss.is_notes_cell(c) for c in ss.read(path).cells)


def metadata_notes(path: Path) -> list[str]:
    return [ss.notes_of(c) for c in ss.read(path).cells if ss.notes_of(c)]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """(original copies, migrated copies): the same notebooks before and after the migration."""
    base = tmp_path_factory.mktemp("self-study")
    before, after = copy_tree(base / "before"), copy_tree(base / "after")
    ss.migrate_paths(after, log=lambda line: None)
    return before, after


def notes_in_originals(path: Path) -> list[str]:
    return [ss.strip_heading(ss.text_of(c.source)) for c in ss.read(path).cells if ss.is_notes_cell(c)]


# ---------------------------------------------------------------------------
# The migration on the real notebooks
# ---------------------------------------------------------------------------
def test_the_migration_moves_every_notes_cell_into_metadata(migrated):
    before, after = migrated
    # (the committed notebooks are migrated already: their notes are in metadata, and the
    # migration must keep them; the planted tests below move visible notes cells)
    assert sum(visible_notes(p) + len(metadata_notes(p)) for p in before) > 0, "the originals have notes"
    for old, new in zip(before, after):
        assert visible_notes(new) == 0, new
        expected = notes_in_originals(old) if visible_notes(old) else metadata_notes(old)
        def plain(notes):   # the repair may move a marker within its line
            return re.sub(r"\s+", "", ss.strip_markers("".join(notes)))
        assert plain(metadata_notes(new)) == plain(expected), new
        assert len(metadata_notes(new)) == len(expected)
        assert not any(n.startswith(ss.NOTES_HEADING) for n in metadata_notes(new))
        assert "widgets" not in ss.read(new).metadata


def test_the_migration_is_idempotent_and_check_mode_writes_nothing(migrated, tmp_path):
    _, after = migrated
    assert ss.migrate_paths(after, check=True, log=lambda line: None) == 0
    assert ss.main(["migrate", "--check", *map(str, after)]) == 0
    fresh = copy_tree(tmp_path)
    text = {p: p.read_text(encoding="utf-8") for p in fresh}
    if any(visible_notes(p) for p in fresh):
        assert ss.main(["migrate", "--check", *map(str, fresh)]) == 1
    assert {p: p.read_text(encoding="utf-8") for p in fresh} == text, "--check wrote a file"


def test_markdown_and_notes_render_the_same_without_their_markers(migrated):
    _, after = migrated
    problems = [f"{p.relative_to(p.parents[2])}: {line}" for p in after
                for line in ss.marker_problems(ss.read(p))]
    assert not problems, "\n".join(problems)


def test_the_prose_number_check_finds_the_same_after_the_migration(migrated):
    before, after = migrated
    for old, new in zip(before, after):
        was = [(v.number, v.reason) for v in check_prose_numbers.check_notebook(old)]
        now = [(v.number, v.reason) for v in check_prose_numbers.check_notebook(new)]
        assert sorted(now) == sorted(was), new


def edition_problems(base: Path) -> list[str]:
    edition = ed.Edition("zh", "language", base / "notebooks", base / "notebooks" / "zh",
                         ed._zh_setup)
    return sorted(re.sub(r"^.*?notebooks/", "", p) for p in ed.check_edition(edition))


def test_the_edition_check_finds_the_same_after_the_migration_and_keeps_chinese_notes(migrated,
                                                                                     tmp_path):
    before, after = migrated
    base_before, base_after = before[0].parents[1], after[0].parents[1]
    if not (base_after / "notebooks" / "zh").exists():
        pytest.skip("no Chinese edition")
    # (a structure problem lists the missing cell ids, notes cells among them: compared apart)
    notes_ids = {c.get("id") for p in before for c in ss.read(p).cells if ss.is_notes_cell(c)}
    was = [p for p in edition_problems(base_before)
           if not any(f"cell {i}:" in p for i in notes_ids)]   # a notes cell's own problems
    moved = len(edition_problems(base_before)) - len(was)
    now = [p for p in edition_problems(base_after) if "speaker notes" not in p]
    assert len(edition_problems(base_after)) - len(now) == moved, "notes problems move with them"
    assert [p for p in now if "structure:" not in p] == [p for p in was if "structure:" not in p]
    assert [p.split(":")[0] for p in now if "structure:" in p] == \
        [p.split(":")[0] for p in was if "structure:" in p]
    zh = [p for p in after if p.parent.name == "zh"]
    translated = [ss.notes_of(c) for p in zh for c in ss.read(p).cells if ss.notes_of(c) and
                  (c.metadata.get(ss.NOTES_STAMP_KEY) or {}).get("status") == "translated"]
    assert translated and all(re.search(r"[\u4e00-\u9fff]", n) for n in translated), \
        "translated zh notes are Chinese"
    shutil.copytree(base_after / "notebooks", tmp_path / "notebooks")
    for path in [tmp_path / p.relative_to(base_after) for p in zh]:   # sync keeps them
        source = tmp_path / "notebooks" / path.name
        edition = ed.Edition("zh", "language", source.parent, path.parent, ed._zh_setup)
        kept = metadata_notes(path)
        ed.sync_notebook(edition, source)
        assert all(n in metadata_notes(path) for n in kept), path


def test_the_glossary_reads_the_chinese_notes(migrated):
    before, after = migrated
    zh_before = [p for p in before if p.parent.name == "zh"]
    zh_after = [p for p in after if p.parent.name == "zh"]
    if not zh_after:
        pytest.skip("no Chinese edition")
    texts = [t for p in zh_after for t in glossary.notebook_texts(p, p.parents[2])]
    assert sum("speaker notes" in where for where, _ in texts) == \
        sum(visible_notes(p) + len(metadata_notes(p)) for p in zh_before)
    terms = glossary.load()
    def found(paths, root):
        return [re.sub(r"\[cell .*", "", line) for p in paths
                for line in glossary.check(glossary.notebook_texts(p, root), terms)]
    assert found(zh_after, zh_after[0].parents[2]) == found(zh_before, zh_before[0].parents[2])
    planted = ss.read(zh_after[0])
    planted.cells[0].metadata["speaker_notes"] = "讲：隐藏状态。"
    ss.write(zh_after[0], planted)
    assert any("speaker notes" in line and "隐藏状态" in line
               for line in glossary.check(glossary.notebook_texts(zh_after[0]), terms))


def deck_notes(deck: Path) -> list[str]:
    return re.findall(r'<aside class="notes[^"]*">(.*?)</aside>', deck.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_the_lecture_decks_have_the_same_notes_after_the_migration(migrated, tmp_path, edition):
    import build_lecture

    before, after = migrated
    pick = (lambda p: p.parent.name == "zh") if edition == "zh" else \
        (lambda p: p.parent.name == "notebooks")
    plan = ROOT / ("LECTURE.zh-CN.md" if edition == "zh" else "LECTURE.md")
    old, new = [p for p in before if pick(p)], [p for p in after if pick(p)]
    if not new:
        pytest.skip(f"no {edition} notebooks")
    decks_old = build_lecture.build(old, tmp_path / "old", mode="committed", plan=plan, log=print)
    decks_new = build_lecture.build(new, tmp_path / "new", mode="committed", plan=plan, log=print)
    for a, b in zip(decks_old, decks_new):
        assert len(deck_notes(b)) == len(deck_notes(a)) > 1
        def text(notes):   # what the lecturer reads (cell ids and line breaks may differ)
            return [re.sub(r"\s+|<[^>]*>|&lt;!--.*?--&gt;", "", n, flags=re.S) for n in notes]
        assert text(deck_notes(b)) == text(deck_notes(a))


# ---------------------------------------------------------------------------
# Planted cases
# ---------------------------------------------------------------------------
def test_a_marker_starting_a_line_mid_paragraph_fails_and_the_migration_repairs_it():
    bad = "The model has 2.6 times the parameters (in the table)\n<!-- fact 2.6 = 21 / 8 -->. So it\ncopies."
    assert ss.marker_problem(bad) is not None
    repaired = ss.repair_markers(bad)
    assert repaired == ("The model has 2.6 times the parameters (in the table)<!-- fact 2.6 = 21 / 8 "
                        "-->. So it\ncopies.")
    assert ss.marker_problem(repaired) is None
    good = "Introduced in 1997 <!-- fact 1997: Schuster & Paliwal -->.\n\n<!-- pair a | b -->\n"
    assert ss.marker_problem(good) is None
    assert ss.repair_markers("```\nx\n<!-- kept in code -->\n```") == "```\nx\n<!-- kept in code -->\n```"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x", metadata={"speaker_notes": bad})]
    assert ss.marker_problems(nb) and "(speaker notes)" in ss.marker_problems(nb)[0]


def notebook_with_outputs(*bundles):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("plot()", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in bundles]
    nb.cells = [cell]
    return nb


def test_an_svg_only_figure_fails_the_figure_check():
    svg, png = {"image/svg+xml": "<svg/>", "text/plain": "<Figure>"}, {"image/png": "iVBOR"}
    assert ss.figure_problems(notebook_with_outputs(svg))
    assert "image/svg+xml without image/png" in ss.figure_problems(notebook_with_outputs(svg))[0]
    assert ss.figure_problems(notebook_with_outputs(png, {**svg, **png})) == []


def test_saved_widget_state_and_a_widget_repr_fail_the_widget_check():
    view = {ss.WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}}
    nb = notebook_with_outputs({**view, "text/plain": "HBox(children=(IntSlider(value=3),))"})
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    assert len(ss.widget_problems(nb)) == 2
    assert ss.migrate(nb)[0] == "metadata.widgets removed (no saved widget state)"
    assert "HBox(children" in ss.widget_problems(nb)[0]
    hint = notebook_with_outputs({**view, "text/plain": "(Sliders: run this cell to move them.)"})
    assert "saved without its state" in ss.widget_problems(hint)[0]
    ss.migrate(hint)
    assert ss.widget_problems(hint) == []
    assert hint.cells[0].outputs[0].data == {"text/plain": "(Sliders: run this cell to move them.)"}


def test_visible_notes_fail_the_check_and_notes_move_to_the_cell_before(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Slide", id="s1"),
                nbformat.v4.new_markdown_cell("**Speaker notes.**\n\nSay: hi. Answer: 42.", id="n1",
                                              metadata={"tags": ["notes"]}),
                nbformat.v4.new_code_cell("x = 1", id="c1")]
    path = tmp_path / "01_x.ipynb"
    ss.write(path, nb)
    assert ss.main(["check", str(path)]) == 1
    assert ss.main(["migrate", "--check", str(path)]) == 1
    assert ss.main(["migrate", str(path)]) == 0
    out = ss.read(path)
    assert [c.get("id") for c in out.cells] == ["s1", "c1"]
    assert out.cells[0].metadata["speaker_notes"] == "Say: hi. Answer: 42."
    assert ss.main(["check", str(path)]) == 0
    expanded = ss.expand_notes(out)
    assert expanded.cells[1].metadata["slideshow"]["slide_type"] == "notes"
    assert expanded.cells[1].source.startswith(ss.NOTES_HEADING)


def test_a_translated_notes_cell_keeps_its_stamp_against_the_moved_english_notes():
    en = nbformat.v4.new_notebook()
    en.cells = [nbformat.v4.new_markdown_cell("## S", id="s1"),
                nbformat.v4.new_markdown_cell("**Speaker notes.**\n\nSay: hi.", id="n1",
                                              metadata={"tags": ["notes"]})]
    zh = nbformat.v4.new_notebook()
    stamp = {"axis": "language", "status": "translated",
             "source_sha256": ss.sha256("**Speaker notes.**\n\nSay: hi."), "text_sha256": "x"}
    zh.cells = [nbformat.v4.new_markdown_cell("## 幻灯片", id="s1"),
                nbformat.v4.new_markdown_cell("**Speaker notes.**\n\n讲：你好。", id="n1",
                                              metadata={"tags": ["notes"], "edition": stamp})]
    ss.migrate(zh, en)
    assert zh.cells[0].metadata["speaker_notes"] == "讲：你好。"
    assert zh.cells[0].metadata["speaker_notes_edition"]["source_sha256"] == ss.sha256("Say: hi.")
    assert zh.cells[0].metadata["speaker_notes_edition"]["status"] == "translated"


# ---------------------------------------------------------------------------
# The committed notebooks (after the lead's migration and re-run)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ORIGINALS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_the_committed_notebook_is_fit_for_self_study(path):
    problems = ss.problems(ss.read(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
