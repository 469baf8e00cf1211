"""The package as a whole: short functions, NumPy-only modules without MXNet, lazy names."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "d2l_birnn"
MAX_FUNCTION_LINES = 80


def test_no_function_of_the_package_is_over_80_lines():
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} "
                                f"({lines} lines)")
    assert not long, "functions over 80 lines: " + ", ".join(long)


def _modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print(sorted(sys.modules))"],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return {name.strip(" '[]") for name in out.strip().split(",")}


def test_import_hmm_alone_loads_neither_mxnet_nor_pandas_nor_matplotlib():
    loaded = _modules_loaded_by("import d2l_birnn.hmm; from d2l_birnn.hmm import HMM")
    assert "d2l_birnn.hmm" in loaded
    assert not {"mxnet", "pandas", "matplotlib", "d2l"} & loaded


def test_numpy_only_modules_stay_numpy_only():
    loaded = _modules_loaded_by("import d2l_birnn.ngram, d2l_birnn.fill_in, d2l_birnn.validation")
    assert not {"mxnet", "pandas", "matplotlib"} & loaded


def test_mxnet_names_load_on_first_use():
    code = ("import sys, d2l_birnn as d2l; before = 'mxnet' in sys.modules; "
            "f = d2l.train_ch8; m = d2l.RNNModel; s = d2l.BiRNNScratch; "
            "print(before, 'mxnet' in sys.modules, f.__module__, s.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         timeout=300).stdout.split()
    assert out == ["False", "True", "d2l_birnn.mxnet.training", "d2l_birnn.mxnet.scratch"]


def test_unknown_names_raise_attribute_error():
    import d2l_birnn as d2l

    try:
        d2l.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("no AttributeError")
