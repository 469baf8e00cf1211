"""python -m d2l_birnn doctor: reports the environment, one fix-it line per problem."""

import subprocess
import sys

import pytest

from d2l_birnn import data, doctor


def _doctor(env_extra, monkeypatch=None):
    import os

    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "d2l_birnn", "doctor"], env=env,
                          capture_output=True, text=True)


def test_doctor_reports_versions_and_passes_here():
    result = _doctor({})
    assert result.returncode == 0, result.stdout
    for fact in ("Python", "NumPy", "MXNet", "d2l", "Threads", "The Time Machine", "Jupyter kernel",
                 "Mode", "GPUs MXNet sees", "NumPy compatibility layer"):
        assert fact in result.stdout
    assert "All good." in result.stdout


def test_doctor_flags_missing_data_and_bad_mode(tmp_path):
    result = _doctor({data.DATA_ENV: str(tmp_path), "D2L_BIRNN_QUICK": "perhaps"})
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert len(problems) == 2
    assert any("python -m d2l_birnn fetch" in line for line in problems)
    assert any("D2L_BIRNN_QUICK" in line for line in problems)


def test_doctor_flags_a_wrong_data_file(tmp_path):
    (tmp_path / "timemachine.txt").write_text("something else")
    result = _doctor({data.DATA_ENV: str(tmp_path)})
    assert result.returncode == 1 and "WRONG sha1" in result.stdout


@pytest.mark.skipif(tuple(int(v) for v in __import__('numpy').__version__.split('.')[:2]) >= (1, 24),
                    reason='with NumPy >= 1.24, importing MXNet before d2l_birnn fails outright '
                           '(d2l_birnn.compat must patch NumPy first), so there is nothing left to flag')
def test_doctor_flags_mxnet_imported_first():
    code = ("import os; os.environ.pop('OMP_NUM_THREADS', None); import mxnet, d2l_birnn; "
            "from d2l_birnn import doctor; facts, problems = doctor.collect(); print(problems)")
    import os

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert "import d2l_birnn as d2l` first" in out


def test_collect_returns_facts():
    facts, problems = doctor.collect()
    assert dict(facts)["d2l"] == "1.0.3"


def test_doctor_speaks_the_editions_language(tmp_path):
    """In the Chinese edition every line of the report has Chinese, values line up (a Chinese
    character is two columns wide), and the fix-it lines are Chinese too."""
    import re
    import unicodedata

    result = _doctor({"D2L_BIRNN_LANG": "zh"})
    assert result.returncode == 0, result.stdout
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[-1] == "一切正常。" and "All good" not in result.stdout
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in lines), result.stdout
    def column(line):   # display column where the value starts (after the label's padding)
        label = re.match(r"^(.*?\S)\s{2,}", line).group(1)
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label) + \
            len(line[len(label):]) - len(line[len(label):].lstrip())
    assert len({column(line) for line in lines[:-1]}) == 1, result.stdout
    missing = _doctor({"D2L_BIRNN_LANG": "zh", data.DATA_ENV: str(tmp_path)})
    assert "1 个问题：" in missing.stdout and "《时光机器》的文本还没有下载" in missing.stdout


def test_doctor_reports_a_bad_language_setting_in_english():
    result = _doctor({"D2L_BIRNN_LANG": "fr"})
    assert result.returncode == 1 and "D2L_BIRNN_LANG='fr' is not a language" in result.stdout
    assert "1 problem(s):" in result.stdout
