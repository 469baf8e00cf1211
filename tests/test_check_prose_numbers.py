"""tools/check_prose_numbers.py: every number in the prose is printed by its notebook."""

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_prose_numbers as checker  # noqa: E402


def markdown(text, metadata=None):
    return {"cell_type": "markdown", "metadata": metadata or {}, "source": text}


def code(source, *printed, html=None):
    outputs = [{"output_type": "stream", "name": "stdout", "text": line + "\n"} for line in printed]
    if html is not None:
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"text/html": html, "text/plain": "a table"}})
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": outputs,
            "execution_count": 1}


def write(tmp_path, cells, metadata=None, name="nb.ipynb"):
    path = tmp_path / name
    path.write_text(json.dumps({"cells": cells, "metadata": metadata or {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


def problems(tmp_path, cells, metadata=None):
    return checker.check_notebook(write(tmp_path, cells, metadata))


def table_html(rows, index_name="n"):
    # A pandas table as a notebook displays it: the index name in a second header row.
    frame = pd.DataFrame(rows).T
    frame.index.name = index_name
    return frame.to_html()


# Notebook 01's character table (cell 10 of the committed run) and what cell 11 printed.
CHARS = table_html({n: {"left-only accuracy": acc_l, "two-sided accuracy": acc_2,
                        "left-only bits": bits_l, "two-sided bits": bits_2}
                    for n, acc_l, acc_2, bits_l, bits_2 in [
                        (3, 0.513, 0.840, 2.210, 0.881), (4, 0.573, 0.845, 2.032, 0.874),
                        (5, 0.591, 0.845, 2.056, 0.877), (6, 0.596, 0.845, 2.156, 0.878)]})


@pytest.mark.parametrize("written", ["84.47", "84.5", "84", "about 84.5%"])
def test_rounded_numbers_pass(tmp_path, written):
    cells = [code("print(x)", "accuracy 84.47"), markdown(f"The model reaches {written} here.")]
    assert problems(tmp_path, cells) == []


@pytest.mark.parametrize("written", ["0.88", "87.8%", "88%"])
def test_fractions_may_be_written_as_percentages(tmp_path, written):
    cells = [code("print(x)", "bits 0.878"), markdown(f"It is {written} of the way.")]
    assert problems(tmp_path, cells) == []


@pytest.mark.parametrize("written", ["84.6", "84.470", "85.5%", "0.87"])
def test_planted_wrong_number_fails(tmp_path, written):
    cells = [code("print(x)", "accuracy 84.47 and 0.878"), markdown(f"We measured {written}.")]
    found = problems(tmp_path, cells)
    assert [v.number for v in found] == [written] and "not printed" in found[0].reason
    assert found[0].cell == 1


def test_a_percentage_is_not_a_bare_integer(tmp_path):
    cells = [code("print(x)", "passages of 50 words"), markdown("Accuracy stays at 50%.")]
    assert [v.number for v in problems(tmp_path, cells)] == ["50%"]


def test_round_numbers_after_about_may_round_by_at_most_five_percent(tmp_path):
    cells = [code("print(x)", "4,327 word types; perplexity 69.44; gap 16")]
    ok = markdown("About 4,300 types, a perplexity near 70.")
    assert problems(tmp_path, cells + [ok]) == []
    bad = markdown("A gap of about 20 points; 4,300 types.")
    assert [v.number for v in problems(tmp_path, cells + [bad])] == ["20", "4,300"]


def test_ordinary_language_and_structure_are_not_checked(tmp_path):
    text = ("## 3. Two directions\n\n1. One layer, 2 layers, `x = 12345`, notebook 04, Section 10.4, "
            "d2l-zh 9.4, cell [33], Schuster & Paliwal 1997, (2005), MXNet 1.9.1, on 2026-11-27.\n"
            "$x_{123} + 2h$ and $O(k^2 T)$ and $$\\sum_{t=1}^{T} h_{17}$$ [link](https://x.org/99)\n")
    assert problems(tmp_path, [markdown(text)]) == []


def test_chinese_references_and_years_are_not_checked(tmp_path):
    text = "见 d2l-zh 第9.4节和第10章；Schuster 与 Paliwal 于1997年提出。准确率为84.6%。"
    cells = [code("print(x)", "accuracy 84.47"), markdown(text)]
    assert [v.number for v in problems(tmp_path, cells)] == ["84.6%"]


def test_plain_values_in_math_are_checked(tmp_path):
    cells = [code("print(x)", "35 steps"), markdown("Here $35^2 = 1225$, $\\approx 3.3$ and $0.95$.")]
    assert [v.number for v in problems(tmp_path, cells)] == ["1225", "3.3", "0.95"]


def test_facts_from_metadata_and_inline_markers(tmp_path):
    text = "Introduced in 1997 <!-- fact 1997: Schuster & Paliwal -->; the notes train 500 epochs."
    cells = [markdown(text, {"numbers": {"facts": {"500": "the notes' num_epochs"}}})]
    assert problems(tmp_path, cells) == []
    assert [v.number for v in problems(tmp_path, [markdown(text)])] == ["500"]
    assert problems(tmp_path, [markdown(text)], {"numbers": {"facts": {"500": "notes"}}}) == []


def test_derived_facts_are_computed_from_printed_numbers(tmp_path):
    printed = code("print(x)", "two-sided 78.0% vs left-only 57.3%")
    good = markdown("Both sides win by 21 points. <!-- fact 21 = 78.0 - 57.3 -->")
    assert problems(tmp_path, [printed, good]) == []
    wrong = markdown("Both sides win by 25 points. <!-- fact 25 = 78.0 - 57.3 -->")
    assert "does not round to 25" in problems(tmp_path, [printed, wrong])[0].reason
    unprinted = markdown("Both sides win by 21 points. <!-- fact 21 = 78.0 - 57.0 -->")
    assert "57.0 is not printed" in problems(tmp_path, [printed, unprinted])[0].reason


def test_planted_mispairing_fails(tmp_path):
    table = code("display(chars)", html=CHARS)
    right = markdown("Left-only counts reach 59.6% at $n = 6$, with 2.16 bits.")
    assert problems(tmp_path, [table, right]) == []
    wrong = markdown("Left-only counts reach 59.6% at $n = 6$, with 2.03 bits.")
    found = problems(tmp_path, [table, wrong])
    assert [v.number for v in found] == ["2.03"] and "paired with n=6" in found[0].reason


def test_learning_rate_pairs_with_its_row(tmp_path):
    rows = code("print(x)", "LSTM, lr 1   0.348  9.44", "LSTM, lr 2   0.326  68.15")
    assert problems(tmp_path, [rows, markdown("At lr 2 the accuracy is 0.326.")]) == []
    found = problems(tmp_path, [rows, markdown("At lr 2 the accuracy is 0.348.")])
    assert [v.number for v in found] == ["0.348"]


def test_learning_rate_pairs_with_its_row_in_chinese(tmp_path):
    rows = code("print(x)", "LSTM，学习率 1   0.348  9.44", "LSTM，学习率 2   0.326  68.15")
    assert problems(tmp_path, [rows, markdown("学习率 2 时精度为 0.326。")]) == []
    found = problems(tmp_path, [rows, markdown("学习率 2 时精度为 0.348。")])
    assert [v.number for v in found] == ["0.348"]


def test_declared_pairs_must_share_a_line(tmp_path):
    table = code("display(chars)", html=CHARS)
    good = markdown("The best left-only model is right 59.6% of the time. <!-- pair n=6 | 59.6% -->")
    assert problems(tmp_path, [table, good]) == []
    bad = markdown("The best model: 2.03 bits. <!-- pair n=6 | 2.03 -->",
                   {"numbers": {"pairs": [["n=5", "0.878"]]}})
    assert sorted(v.number for v in problems(tmp_path, [table, bad])) == ["n=5 | 0.878", "n=6 | 2.03"]


def test_a_declared_pair_replaces_the_automatic_one(tmp_path):
    # "4 + 1 characters (73%) beat n = 5": the automatic rule would pair 73% with n = 5.
    lines = code("print(x)", "5 left + 0 right: 59.1% held-out accuracy",
                 "4 left + 1 right: 73.4% held-out accuracy")
    table = code("display(chars)", html=CHARS)
    text = "Left-only $n = 5$ is beaten by 4 + 1 characters, 73% vs 59%."
    assert [v.number for v in problems(tmp_path, [lines, table, markdown(text)])] == ["73%"]
    declared = markdown(text + " <!-- pair 4 left + 1 right | 73.4% -->")
    assert problems(tmp_path, [lines, table, declared]) == []


def test_inline_facts_keep_thousands_separators(tmp_path):
    text = "The unit tests run 100,000 steps and 1,997 more. <!-- fact 100,000, 1,997: tests -->"
    assert problems(tmp_path, [markdown(text)]) == []


def test_regression_01_best_line_pairs_n6_with_the_minimum_bits(tmp_path):
    # Issue 11: notebook 01, cell 11 printed the minima over n next to the argmax n = 6.
    cells = [code("display(chars)", html=CHARS),
             code("print(...)", "best left-only: 59.6% at n=6, 2.03 bits; best two-sided: 84.5% "
                  "at n=6, 0.87 bits")]
    found = problems(tmp_path, cells)
    assert [(v.cell, v.number) for v in found] == [(1, "2.03"), (1, "0.87")]
    assert "row 'n=4" in found[0].reason


def test_regression_05_part_of_a_whole_from_another_row(tmp_path):
    # Issue 11: notebook 05, cell 6: "the white upper triangle, 630 of the 35^2 = 1225 pairs".
    chains = code("print(chains.to_string())", "unidirectional, 1 layer   1   1  35   630",
                  "bidirectional, 1 layer   35   1  35  1225")
    text = markdown("The white upper triangle, 630 of the\n$35^2 = 1225$ pairs.")
    assert [v.number for v in problems(tmp_path, [chains, text])] == ["630 of 1225"]
    fixed = markdown("A unidirectional network has 630 dependent pairs; a bidirectional one 1225.")
    assert problems(tmp_path, [chains, fixed]) == []


def test_regression_03_a_value_read_off_a_plot(tmp_path):
    # Issue 11: notebook 03, cell 35: "the loss starts near log 28 = 3.3" (the plot starts at 2.6).
    found = problems(tmp_path, [code("plot()", "28 characters"),
                                markdown("the loss starts near $\\log 28 \\approx 3.3$")])
    assert [v.number for v in found] == ["3.3"]


def test_full_mode_values_in_code_must_be_printed(tmp_path):
    ok = code("print(d2l.full_mode_value(1.16))", "perplexity 25.0 -> 1.16")
    assert problems(tmp_path, [ok]) == []
    stale = code("print(d2l.full_mode_value(value=1.21, label='perplexity'))\n"
                 "d2l.budget(full=500, quick=3)",
                 "perplexity 25.0 -> 1.16")
    assert [v.number for v in problems(tmp_path, [stale])] == ["1.21"]


def test_command_line_check_mode(tmp_path, capsys):
    good = write(tmp_path, [code("print(x)", "accuracy 84.47"), markdown("84.5")], name="good.ipynb")
    bad = write(tmp_path, [code("print(x)", "accuracy 84.47"), markdown("91.5")], name="bad.ipynb")
    assert checker.main([str(good), "--check"]) == 0
    assert checker.main([str(bad)]) == 0  # a report only
    assert checker.main([str(bad), "--check"]) == 1
    report = capsys.readouterr().out
    assert "[1] 91.5: not printed by this notebook" in report and "How to add a number" in report
    with pytest.raises(SystemExit):
        checker.main([str(tmp_path / "missing.ipynb")])
    assert "does not exist" in capsys.readouterr().err


def test_default_notebooks_are_every_edition():
    paths = checker.default_notebooks()
    names = {p.relative_to(ROOT / "notebooks").as_posix() for p in paths}
    english = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert len(english) >= 6 and english <= names
    assert {f"zh/{n}" for n in english} <= names, "the Chinese edition is checked too"
    for folder in ("pytorch", "zh/pytorch"):   # the PyTorch editions, as far as they exist
        written = {f"{folder}/{p.name}" for p in (ROOT / "notebooks" / folder).glob("[0-9]*.ipynb")}
        assert written <= names, f"notebooks/{folder} is checked too"


def test_a_pytorch_edition_is_checked_against_its_own_outputs(tmp_path):
    """Prose shared with the MXNet source that quotes the MXNet run's number fails in the
    PyTorch edition, whose run printed another: such prose must be made framework-specific
    (tools/edition.py) and quote the edition's own number."""
    mxnet = write(tmp_path, [code("print(acc)", "accuracy 60.8"),
                             markdown("The BiRNN fills 60.8% of the blanks.")], name="03_mx.ipynb")
    (tmp_path / "pytorch").mkdir()
    pytorch = write(tmp_path / "pytorch", [code("print(acc)", "accuracy 59.6"),
                                           markdown("The BiRNN fills 60.8% of the blanks.")],
                    name="03_mx.ipynb")
    assert checker.check_notebook(mxnet) == []
    assert [v.number for v in checker.check_notebook(pytorch)] == ["60.8%"]
    fixed = write(tmp_path / "pytorch", [code("print(acc)", "accuracy 59.6"),
                                         markdown("The BiRNN fills 59.6% of the blanks.")],
                  name="03_mx.ipynb")
    assert checker.check_notebook(fixed) == []


@pytest.mark.parametrize("path", checker.default_notebooks(),
                         ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_committed_notebooks(path):
    violations = checker.check_notebook(path)
    assert not violations, "\n".join(str(v) for v in violations)


def test_numbers_in_speaker_notes_kept_in_metadata_are_checked(tmp_path):
    """Speaker notes live in a cell's metadata (tools/self_study.py): their numbers are checked
    as prose, and a violation says it is in the notes."""
    printed = code("print(acc)", "accuracy 84.47")
    printed["metadata"]["speaker_notes"] = "Say: 84.5% here, and 91.2% with more data."
    found = problems(tmp_path, [printed, markdown("The model gets 84.5%.")])
    assert [(v.cell, v.number) for v in found] == [(0, "91.2%")]
    assert found[0].context.startswith("(speaker notes)")
    printed["metadata"]["speaker_notes"] = "Say: 84.5% <!-- fact 91.2: a cited run -->, or 91.2%."
    assert problems(tmp_path, [printed]) == []
