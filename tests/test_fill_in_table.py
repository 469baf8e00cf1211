"""tools/fill_in_table.py: the lesson plan's table of fill-in results, from committed outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import fill_in_table  # noqa: E402

PLAN = "# Plan\n\nBefore.\n\n<!-- fill-in-table:start -->\nold\n<!-- fill-in-table:end -->\n\nAfter.\n"
TAIL = "; context 8+8 characters vs 8 characters; size 120,000 vs 40,000 stored counts"


def notebook(path, *texts):
    """A notebook whose one code cell printed ``texts`` (stream outputs)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(...)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook"), cell]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def plan_and_notebooks(tmp_path):
    plan = tmp_path / "LECTURE.md"
    plan.write_text(PLAN)
    nbs = [
        notebook(tmp_path / "01_counts.ipynb", "noise\nfill-in, held-out text: counts, n=2 each side: "
                 f"both sides 78.0%, left only 57.3%{TAIL}\n"),
        notebook(tmp_path / "02_hmm.ipynb", "fill-in, held-out text: HMM, 30 states: both sides 50.8% "
                 "(one run), left only 35.2% (one run); context the whole text vs all text before; "
                 "size 1,800 vs 1,800 parameters\n"),
        notebook(tmp_path / "03_scratch.ipynb", "nothing of the kind\n",
                 "fill-in, held-out text: old format: both sides 61.4%, left only 40.8%\n"),
        notebook(tmp_path / "05_lstm.ipynb",
                 "fill-in, held-out text: BiLSTM: both sides 82.4% (3 seeds: 81.9-82.8%), left only "
                 "57.3% (3 seeds: 57.0-57.5%); context 10+10 characters vs 10 characters; "
                 "size 174,269 vs 175,026 parameters\n",
                 f"fill-in, held-out text: LSTM twin: both sides 57.0%, left only 57.0%{TAIL} (same)\n"),
        notebook(tmp_path / "06_done_right.ipynb",
                 "fill-in, held-out text: masked BiLSTM (BERT-style): both sides 68.1% (3 seeds: "
                 "67.8-68.4%), left only 42.7% (3 seeds: 42.3-43.2%); context 10+10 characters vs 10 "
                 "characters; size 54,845 vs 54,845 parameters\n"),
    ]
    return plan, nbs


def test_the_table_is_written_between_the_markers(plan_and_notebooks, capsys):
    plan, nbs = plan_and_notebooks
    args = ["--plan", str(plan), *map(str, nbs)]
    assert fill_in_table.main(["--check", *args]) == 1
    assert fill_in_table.main(args) == 0
    text = plan.read_text()
    assert text.startswith("# Plan\n\nBefore.\n\n<!-- fill-in-table:start -->\n")
    assert text.endswith("<!-- fill-in-table:end -->\n\nAfter.\n") and "\nold\n" not in text
    assert ("| counts (n-gram) | 01 | counts, n=2 each side | 8+8 characters vs 8 characters | "
            "120,000 vs 40,000 stored counts | 78.0% | 57.3% | +20.7 points |") in text
    assert ("| HMM (forward-backward) | 02 | HMM, 30 states | the whole text vs all text before | "
            "1,800 vs 1,800 parameters | 50.8% (one run) | 35.2% (one run) | +15.6 points |") in text
    assert ("| LSTMs (Gluon) | 05 | BiLSTM | 10+10 characters vs 10 characters | 174,269 vs 175,026 "
            "parameters | 82.4% (3 seeds: 81.9-82.8%) | 57.3% (3 seeds: 57.0-57.5%) | +25.1 points |") in text
    assert ("| LSTMs (Gluon) | 05 | LSTM twin | 8+8 characters vs 8 characters | 120,000 vs 40,000 "
            "stored counts (same) | 57.0% | 57.0% | +0.0 points |") in text
    assert ("| LSTMs (Gluon) | 06 | masked BiLSTM (BERT-style) | 10+10 characters vs 10 characters | "
            "54,845 vs 54,845 parameters | 68.1% (3 seeds: 67.8-68.4%) | 42.7% (3 seeds: 42.3-43.2%) | "
            "+25.4 points |") in text, "06's honest two-sided models are collected too"
    assert text.index("| 05 | LSTM twin |") < text.index("| 06 | masked BiLSTM"), "rows in notebook order"
    assert "Not measured yet: 03_scratch.ipynb" in text and "old format" not in text, \
        "a line without context and size is not a result"
    assert ("03_scratch.ipynb: no 'fill-in, held-out text: <model>: both sides X%, left only Y%; "
            "context <C>; size <S>' line" in capsys.readouterr().err)
    assert fill_in_table.main(["--check", *args]) == 0
    assert fill_in_table.main(args) == 0 and plan.read_text() == text, "idempotent"


def test_no_results_at_all_gives_an_empty_table_and_says_why(tmp_path, capsys):
    plan = tmp_path / "LECTURE.md"
    plan.write_text(PLAN)
    nb = notebook(tmp_path / "02_hmm.ipynb", "P(x) = 0.3\n")
    assert fill_in_table.main(["--plan", str(plan), str(nb)]) == 0
    assert "(no results yet)" in plan.read_text() and "Not measured yet: 02_hmm.ipynb" in plan.read_text()


def test_a_plan_without_markers_is_refused(tmp_path, capsys):
    plan = tmp_path / "LECTURE.md"
    plan.write_text("# Plan without a table\n")
    nb = notebook(tmp_path / "01_counts.ipynb", "x\n")
    assert fill_in_table.main(["--plan", str(plan), str(nb)]) == 1
    assert "must contain the markers" in capsys.readouterr().err
    assert plan.read_text() == "# Plan without a table\n", "nothing written"


def test_the_real_plan_has_the_markers_and_is_current():
    plan = ROOT / "LECTURE.md"
    if not plan.exists():
        pytest.skip("LECTURE.md does not exist yet")
    assert fill_in_table.main(["--check"]) == 0, "run tools/fill_in_table.py"


def test_the_chinese_line_is_read_too(tmp_path):
    from d2l_birnn.i18n import msg

    zh = msg("fill_in.line", lang="zh", model="双向 LSTM", both="82.4%（3 个种子：81.9–82.8%）",
             left="57.3%", context="10+10 个字符 对 10 个字符", size="174,269 对 175,026 个参数")
    assert zh == ("填空，留出文本：双向 LSTM：两侧 82.4%（3 个种子：81.9–82.8%），仅左侧 57.3%；"
                  "上下文 10+10 个字符 对 10 个字符；规模 174,269 对 175,026 个参数")
    nb = notebook(tmp_path / "05_lstm.ipynb", f"noise\n{zh}\n")
    rows, missing = fill_in_table.collect([nb])
    assert missing == [] and rows == [{"family": "LSTMs (Gluon)", "notebook": "05_lstm", "model": "双向 LSTM",
                                       "both": 82.4, "left": 57.3, "both_note": "（3 个种子：81.9–82.8%）",
                                       "left_note": "", "context": "10+10 个字符 对 10 个字符",
                                       "size": "174,269 对 175,026 个参数"}]
    assert "| 82.4%（3 个种子：81.9–82.8%） | 57.3% |" in fill_in_table.render(rows, [], "zh")


def test_the_patterns_follow_the_catalogue(monkeypatch):
    from d2l_birnn import fill_in

    monkeypatch.setenv("D2L_BIRNN_LANG", "en")
    line = fill_in.fill_in_line("HMM (k=30)", [0.8449], 0.5962, context=(None, None), size=(1800, 1800))
    assert fill_in_table.LINE.fullmatch(line).groupdict() == {
        "model": "HMM (k=30)", "both": "84.5", "both_note": " (one run)", "left": "59.6", "left_note": None,
        "context": "the whole text vs all text before", "size": "1,800 vs 1,800 parameters"}
    assert not fill_in_table.LINE_ZH.search(line)
    monkeypatch.setenv("D2L_BIRNN_LANG", "zh")
    line = fill_in.fill_in_line("HMM (k=30)", [0.84, 0.8449, 0.85], 0.5962, context=(5, 5), size=(9, 10))
    found = fill_in_table.LINE_ZH.fullmatch(line).groupdict()
    assert (found["both"], found["both_note"]) == ("84.5", "（3 个种子：84.0–85.0%）")
    with pytest.raises(ValueError, match="unexpected field"):
        fill_in_table.line_pattern("fill-in {model} {speed}")


def test_a_zh_plan_gets_a_chinese_table_from_the_zh_notebooks(tmp_path, monkeypatch, capsys):
    from d2l_birnn.i18n import msg

    zh_dir = tmp_path / "notebooks" / "zh"
    zh_dir.mkdir(parents=True)
    notebook(zh_dir / "01_counts.ipynb", msg("fill_in.line", lang="zh", model="计数，每侧 8 个字符",
                                             both="84.5%", left="59.1%", context="8+8 个字符 对 8 个字符",
                                             size="9 对 8 个存储的计数") + "\n")
    notebook(zh_dir / "03_scratch.ipynb", "没有这样的行\n")
    notebook(zh_dir / "04_bilstm.ipynb", "不是表格里的笔记本\n")
    notebook(zh_dir / "06_done_right.ipynb",
             msg("fill_in.line", lang="zh", model="掩蔽输入的双向 LSTM", both="68.1%", left="42.7%",
                 context="10+10 个字符 对 10 个字符", size="54,845 对 54,845 个参数") + "\n")
    notebook(tmp_path / "notebooks" / "01_counts.ipynb", "fill-in, held-out text: English: both sides "
             f"10.0%, left only 5.0%{TAIL}\n")
    monkeypatch.setattr(fill_in_table, "NOTEBOOK_DIRS", {"en": tmp_path / "notebooks", "zh": zh_dir})
    plan = tmp_path / "LECTURE.zh-CN.md"
    plan.write_text(PLAN.replace("Before.", "之前。"), encoding="utf-8")
    assert fill_in_table.main(["--check", "--plan", str(plan)]) == 1
    assert fill_in_table.main(["--plan", str(plan)]) == 0, "the zh notebooks by default"
    text = plan.read_text(encoding="utf-8")
    assert ("| 模型类别 | 笔记本 | 模型 | 上下文（两侧对仅左侧） | 规模（两侧对仅左侧） | 两侧 | 仅左侧 | "
            "看到右侧带来的提升 |") in text
    assert ("| 计数（n 元语法） | 01 | 计数，每侧 8 个字符 | 8+8 个字符 对 8 个字符 | 9 对 8 个存储的计数 | "
            "84.5% | 59.1% | +25.4 个百分点 |") in text
    assert ("| 长短期记忆网络（Gluon） | 06 | 掩蔽输入的双向 LSTM | 10+10 个字符 对 10 个字符 | "
            "54,845 对 54,845 个参数 | 68.1% | 42.7% | +25.4 个百分点 |") in text, "06 is read by default"
    zh_line = "填空，留出文本：<model>：两侧 X%，仅左侧 Y%；上下文 <C>；规模 <S>"
    assert f"尚未测量：03_scratch.ipynb 的输出中没有 `{zh_line}` 这样的行。" in text
    assert "由 `tools/fill_in_table.py` 从笔记本已提交的输出中收集。" in text
    assert "English" not in text and "04_bilstm" not in text and "points" not in text
    assert f"03_scratch.ipynb: no '{zh_line}' line" in capsys.readouterr().err
    assert fill_in_table.main(["--check", "--plan", str(plan)]) == 0
    assert fill_in_table.main(["--check", "--plan", str(plan), "--lang", "en"]) == 1, "English words"


def test_the_plan_name_says_the_language(tmp_path, capsys):
    assert fill_in_table.plan_language(Path("LECTURE.md")) == "en"
    assert fill_in_table.plan_language(Path("LECTURE.zh-CN.md")) == "zh"
    assert fill_in_table.plan_language(Path("x/LECTURE.zh.md")) == "zh"
    plan = tmp_path / "LECTURE.fr.md"
    plan.write_text(PLAN)
    assert fill_in_table.main(["--plan", str(plan)]) == 1
    assert "no edition of language 'fr'" in capsys.readouterr().err and plan.read_text() == PLAN
    assert fill_in_table.main(["--plan", str(plan), "--lang", "zh",
                               str(notebook(tmp_path / "02_hmm.ipynb", "x\n"))]) == 0
    assert "（尚无结果）" in plan.read_text(encoding="utf-8")


def test_the_real_zh_plan_has_the_markers_and_is_current():
    plan = ROOT / "LECTURE.zh-CN.md"
    if not (ROOT / "notebooks" / "zh").exists() or not plan.exists():
        pytest.skip("notebooks/zh or LECTURE.zh-CN.md does not exist (the Chinese edition, issue 15)")
    assert fill_in_table.main(["--check", "--plan", str(plan)]) == 0, \
        "run tools/fill_in_table.py --plan LECTURE.zh-CN.md"
