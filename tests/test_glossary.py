"""tools/glossary.py: zh texts use d2l-zh's terms, never a variant the glossary rules out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import glossary  # noqa: E402

from d2l_birnn import i18n  # noqa: E402

TERMS = glossary.load()


def by_english(name):
    return next(t for t in TERMS if t.english == name)


def test_the_glossary_has_d2l_zh_terms_and_consistent_rows():
    assert by_english("hidden state").chinese == "隐状态"
    assert "隐藏状态" in by_english("hidden state").ruled_out
    for english, chinese in [("perplexity", "困惑度"), ("token", "词元"), ("vocabulary", "词表"),
                             ("minibatch", "小批量"), ("epoch", "迭代周期"),
                             ("gradient clipping", "梯度裁剪"), ("time step", "时间步"),
                             ("dynamic programming", "动态规划"), ("forward recursion", "前向递归"),
                             ("backward recursion", "后向递归"),
                             ("hidden Markov model (HMM)", "隐马尔可夫模型"),
                             ("bidirectional recurrent neural network", "双向循环神经网络")]:
        assert by_english(english).chinese == chinese
    chosen = [part.strip() for t in TERMS for part in t.chinese.split("/")]
    for term in TERMS:
        assert term.d2l_zh, f"{term.english}: say where d2l-zh uses it"
        for bad in term.ruled_out:     # a ruled-out variant inside a chosen term would flag it
            assert not any(bad in good for good in chosen), (term.english, bad)
    assert len({t.english for t in TERMS}) == len(TERMS)


def test_a_ruled_out_term_is_flagged_with_the_fix():
    found = glossary.violations("第一行\n双向循环神经网络的隐藏状态", "x.md", TERMS)
    assert found == ["x.md:2: '隐藏状态' is ruled out for 'hidden state': write 隐状态 "
                     f"(d2l-zh: {by_english('hidden state').d2l_zh})"]
    assert glossary.violations("每个时间步的隐状态", "x.md", TERMS) == []


def test_quotations_of_the_notes_may_keep_their_words():
    quoted = ("学习笔记写道：“当前的隐藏状态放入下一个时间步的状态中去”。\n> 将两个隐藏状态合并在一起\n"
              "「隐层」")
    assert glossary.violations(quoted, "x.md", TERMS) == []
    assert len(glossary.violations(quoted + "\n但隐藏状态不行", "x.md", TERMS)) == 1


def make_notebook(path, markdown):
    cells = [{"cell_type": "markdown", "id": "m1", "metadata": {}, "source": markdown},
             {"cell_type": "code", "id": "c1", "metadata": {}, "outputs": [],
              "execution_count": None, "source": ["hidden = '隐藏状态'  # code is not checked"]}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")


def test_planted_terms_in_each_kind_of_zh_text_are_found(tmp_path, monkeypatch):
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    make_notebook(tmp_path / "notebooks" / "zh" / "01_x.ipynb", ["# 标题\n", "训练 10 个轮次"])
    (tmp_path / "README.zh-CN.md").write_text("用梯度截断训练\n", encoding="utf-8")
    (tmp_path / "LECTURE.zh-CN.md").write_text("讲解隐藏状态\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE", {"test.planted": ("vocabulary", "词汇表")})
    problems = glossary.check(glossary.zh_texts(tmp_path), TERMS)
    assert len(problems) == 4, problems
    assert any(p.startswith("notebooks/zh/01_x.ipynb [cell m1]:2: '轮次'") for p in problems)
    assert any(p.startswith("README.zh-CN.md:1: '梯度截断'") for p in problems)
    assert any(p.startswith("LECTURE.zh-CN.md:1: '隐藏状态'") for p in problems)
    assert any(p.startswith("d2l_birnn/locale/zh.po [test.planted]:1: '词汇表'") for p in problems)


def test_a_planted_term_in_the_pytorch_edition_in_chinese_is_found(tmp_path):
    """notebooks/zh/pytorch (the PyTorch edition in Chinese) is checked like notebooks/zh."""
    (tmp_path / "notebooks" / "zh" / "pytorch").mkdir(parents=True)
    make_notebook(tmp_path / "notebooks" / "zh" / "pytorch" / "03_x.ipynb", ["`nn.LSTM` 的隐藏状态"])
    problems = [p for p in glossary.check(glossary.zh_texts(tmp_path), TERMS)
                if p.startswith("notebooks/")]
    assert len(problems) == 1 and problems[0].startswith(
        "notebooks/zh/pytorch/03_x.ipynb [cell m1]:1: '隐藏状态'"), problems


def test_a_malformed_glossary_is_refused(tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_text("english\tchinese\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        glossary.load(bad)
    bad.write_text("\t".join(glossary.COLUMNS) + "\nhidden state\t\t\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"g.tsv:2: expected 5 tab-separated columns"):
        glossary.load(bad)


def test_the_catalogue_follows_the_glossary():
    assert glossary.check(((f"d2l_birnn/locale/zh.po [{k}]", zh) for k, (_, zh) in i18n.CATALOGUE.items()),
                          TERMS) == []


def test_the_real_zh_texts_follow_the_glossary():
    if not (ROOT / "notebooks" / "zh").exists() and not (ROOT / "README.zh-CN.md").exists():
        pytest.skip("notebooks/zh and README.zh-CN.md do not exist yet (issue 15); the catalogue "
                    "is checked by test_the_catalogue_follows_the_glossary")
    problems = glossary.check(glossary.zh_texts())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("bad, good", [
    ("用遮蔽的输入训练", "用掩蔽的输入训练"),
    ("掩码语言模型", "掩蔽语言模型"),
    ("隐藏层大小相同", "隐藏单元数相同"),
    ("d2l 的即时执行循环", "d2l 的命令式循环"),
    ("只有反向方向读到未来", "只有反向读到未来"),
    ("第 2 层的前向方向", "第 2 层的前向"),
    ("双向层的后向隐藏单元", "双向层的反向隐藏单元"),
    ("在时光机器上训练", "在《时光机器》上训练"),
    ("笔记中的 BiLSTM", "学习笔记中的 BiLSTM"),                 # the study notes, never bare 笔记
    ("本笔记本按笔记训练", "本笔记本按学习笔记训练"),
    ("在笔记本电脑上运行", "在手提电脑上运行"),
    ("**它说明了什么。** 单向网络", "**结果说明。** 单向网络"),    # one rendering of "What it shows"
    ("**这说明了什么。** 两个模型", "**结果说明。** 两个模型"),
    ("要讲：三个模型", "讲：三个模型"),                          # the speaker notes' labels
    ("现场运行。引述：x = aaabd_ca", "现场运行。引用：x = aaabd_ca"),
    ("引用数字：一元语法", "引用：一元语法"),
    ("（不到一秒）。问：需要多久？", "（不到一秒）。提问：需要多久？"),
])
def test_planted_term_violations_are_caught(bad, good):
    assert glossary.violations(bad, "x.md", TERMS), bad
    assert glossary.violations(good, "x.md", TERMS) == [], good


def test_hmm_backward_keeps_its_name():
    for text in ["前向递归和后向递归", "后向消息 $\\rho_t$", "前向-后向算法", "后向 $\\hat\\rho_t$（归一化）",
                 "后向概率", "一遍后向计算"]:
        assert glossary.violations(text, "x.md", TERMS) == [], text


def test_planted_typography_problems_are_caught():
    broken = "第一句话，\n接着写下去。\n"
    assert glossary.typography(broken, "x.md") == [
        "x.md:1: hard line break inside a Chinese paragraph: join the line with the next"]
    assert glossary.typography("# 标题\n正文。\n\n* 第一项\n* 第二项\n\n| 表 |\n| 格 |\n", "x.md") == []
    assert glossary.typography("正文：\n$$\nx = 1\n$$\n```\n代码，\n代码\n```\n", "x.md") == []
    assert len(glossary.typography("* 第一项，\n  接着写\n", "x.md")) == 1
    # a break after code, math or a Latin word inside a Chinese paragraph is a stray space too
    for after_code in ("使用 `fast=False`\n则使用命令式循环。", "输出 $h_t$\n的形状", "使用 MXNet\n函数。"):
        assert len(glossary.typography(after_code, "x.md")) == 1, after_code
    assert glossary.typography("English line one\nEnglish line two\n", "x.md") == []
    assert glossary.violations("所有内容都在问：这些字母能告诉我们什么", "x.md", TERMS) == []
    italics = glossary.typography("这是*强调*的词，_这里_。", "x.md")
    assert len(italics) == 2 and all("italics" in p for p in italics)
    assert glossary.typography("**结果说明。** *The Time Machine* 和 $a*b*c$、`x_y_z`", "x.md") == []
    half = glossary.typography("模型,数据;问题?对!比如:这样(括号)", "x.md")
    assert [p.split("'")[1] for p in half] == [",", ";", "?", "!", ":", "(", ")"]
    fine = "共 1,000 个词元，见 https://a.b/c?d=e(1) 和 `f(x, y)`、$f(a,b)$"
    assert glossary.typography(fine, "x.md") == []
    assert glossary.typography("笔记写道：“填空的时候,可以看未来”\n> 引文,照原样\n", "x.md") == []


def test_typography_is_part_of_the_check_of_zh_texts(tmp_path):
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    make_notebook(tmp_path / "notebooks" / "zh" / "01_x.ipynb", ["这是*斜体*，\n", "断行"])
    (tmp_path / "README.zh-CN.md").write_text("半角,逗号\n", encoding="utf-8")
    problems = [p for p in glossary.check(glossary.zh_texts(tmp_path), TERMS)
                if not p.startswith("d2l_birnn/")]
    assert len(problems) == 3, problems


def test_zh_notebooks_link_the_chinese_lesson_plan_and_readme():
    """Issue 18.6: a zh notebook points to LECTURE.zh-CN.md and README.zh-CN.md, never to the
    English files."""
    import re

    paths = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
    if not paths:
        pytest.skip("no notebooks/zh yet")
    targets = []
    for path in paths:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"]) + cell.get("metadata", {}).get("speaker_notes", "")
            targets += [(path.name, t) for t in re.findall(r"\]\(([^)\s]*(?:LECTURE|README)[^)\s]*)\)", text)]
    assert targets, "the zh notebooks link the lesson plan"
    english = [(name, t) for name, t in targets if ".zh-CN.md" not in t]
    assert not english, english
