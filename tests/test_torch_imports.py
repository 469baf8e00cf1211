"""One package, two editions: importing one never imports the other framework (fresh processes)."""

import re
import subprocess
import sys

import pytest


def _loaded(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return set(out.split())


def test_the_pytorch_edition_never_imports_mxnet():
    pytest.importorskip("torch")
    loaded = _loaded("from d2l_birnn import torch as d2l; import torch; from torch import nn; "
                     "d2l.set_seed(0); it, vocab = d2l.load_data_time_machine(4, 5, max_tokens=200); "
                     "net = d2l.RNNModel(nn.LSTM(len(vocab), 4), len(vocab)); "
                     "d2l.train_ch8(net, it, vocab, 1, 1, d2l.try_gpu(), plot=False, verbose=False); "
                     "d2l.BiRNNScratch(3, 2)(torch.zeros(2, 1, 3))")
    assert "d2l_birnn.torch" in loaded and "torch" in loaded
    assert not {"mxnet", "d2l", "torchvision"} & loaded


def test_the_mxnet_edition_never_imports_pytorch():
    pytest.importorskip("mxnet")
    loaded = _loaded("import d2l_birnn as d2l; from mxnet.gluon import rnn; from mxnet import npx; "
                     "npx.set_np(); d2l.set_seed(0); it, vocab = d2l.load_data_time_machine(4, 5, "
                     "max_tokens=200); net = d2l.RNNModel(rnn.LSTM(4), len(vocab)); "
                     "d2l.train_ch8(net, it, vocab, 1, 1, d2l.try_gpu(), plot=False, verbose=False); "
                     "d2l.BiRNNScratch")
    assert "mxnet" in loaded
    assert not {"torch", "d2l_birnn.torch"} & loaded


def test_the_editions_sit_in_their_own_folders():
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "d2l_birnn"
    assert (package / "torch" / "__init__.py").is_file()
    assert (package / "mxnet" / "__init__.py").is_file()
    for path in (package / "torch").glob("*.py"):
        assert "import mxnet" not in path.read_text(encoding="utf-8"), path
        assert "from mxnet" not in path.read_text(encoding="utf-8"), path
        assert not re.search(r"^\s*(from|import) (\.\.mxnet|d2l_birnn\.mxnet)",
                             path.read_text(encoding="utf-8"), re.M), path


CORE = ["blanks", "padded_batches", "task_data", "task_sizes", "seeds", "checkpoint_meta", "fill_in",
        "ngram", "hmm", "generated_text", "data", "runtime", "cost", "pretrained", "doctor",
        "exercises", "plotting", "widgets", "validation", "i18n", "fonts", "compat", "colab", "forwarding"]


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_neither_framework(module):
    loaded = _loaded(f"import d2l_birnn.{module}")
    assert f"d2l_birnn.{module}" in loaded
    assert not {"mxnet", "torch", "d2l", "d2l_birnn.mxnet", "d2l_birnn.torch"} & loaded


def test_the_core_holds_no_framework_code():
    """Framework code sits in d2l_birnn/mxnet/ and d2l_birnn/torch/. In the core only
    ``exercises`` (it judges three answers with the framework the notebook has loaded),
    ``colab`` (it checks a fresh MXNet install in a child process) and the command line
    ``__main__`` (its ``doctor`` is the MXNet edition's report) may name one. (The MXNet names
    that core modules give, such as ``d2l_birnn.cost.time_forward_backward``, are looked up by
    ``d2l_birnn.forwarding`` on first use.)"""
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "d2l_birnn"
    core = sorted(p.stem for p in package.glob("*.py"))
    assert set(CORE) <= set(core), "a core module named in CORE is gone"
    assert not set(core) - set(CORE) - {"__init__", "__main__"}, "add the new core module to CORE"
    framework = re.compile(r"^\s*(from|import) (mxnet|torch|d2l\.mxnet|d2l\.torch|d2l)\b"
                           r"|^\s*from \.(mxnet|torch)\b", re.M)
    for name in sorted(set(core) - {"exercises", "colab", "__init__", "__main__"}):
        hits = framework.findall((package / f"{name}.py").read_text(encoding="utf-8"))
        assert not hits, f"d2l_birnn/{name}.py imports framework code: {hits}"


@pytest.mark.parametrize("module,names", [
    ("data", ["SeqDataLoader", "load_data_time_machine", "seq_data_iter_random",
              "seq_data_iter_sequential"]),
    ("runtime", ["set_seed", "describe_run"]),
    ("cost", ["time_forward_backward", "measure_forward_backward", "measure_mxnet_baseline",
              "make_recurrent_layer", "training_speed_job"]),
    ("pretrained", ["load_pretrained", "save_pretrained", "save_or_compare_pretrained",
                    "check_shipped", "PRETRAINED_DIR"]),
    ("doctor", ["collect", "run_doctor"])])
def test_the_core_names_of_the_mxnet_edition_are_its_functions(module, names):
    """The notes' API keeps its paths (``d2l_birnn.cost.time_forward_backward`` in notebook 05):
    the core module gives the MXNet module's own objects, on first use."""
    import importlib

    core = importlib.import_module(f"d2l_birnn.{module}")
    mxnet_module = importlib.import_module(f"d2l_birnn.mxnet.{module}")
    for name in names:
        assert getattr(core, name) is getattr(mxnet_module, name), (module, name)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = core.no_such_name


def test_the_mxnet_modules_sit_in_their_folder_and_keep_their_old_names():
    pytest.importorskip("mxnet")
    import importlib
    from pathlib import Path

    import d2l_birnn

    package = Path(d2l_birnn.__file__).resolve().parent
    for name in d2l_birnn.MXNET_MODULES:
        new = importlib.import_module(f"d2l_birnn.mxnet.{name}")
        assert importlib.import_module(f"d2l_birnn.{name}") is new, name
        assert Path(new.__file__).resolve().is_relative_to(package / "mxnet"), new.__file__
        assert not (package / f"{name}.py").exists() and not (package / name).exists(), name
    from d2l_birnn import tasks
    from d2l_birnn.tasks.models import TokenTagger
    assert tasks.TokenTagger is TokenTagger and tasks.__name__ == "d2l_birnn.mxnet.tasks"


def test_without_pytorch_the_edition_says_how_to_get_it():
    import importlib.util

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("PyTorch is installed here")
    result = subprocess.run([sys.executable, "-c", "from d2l_birnn import torch"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "the PyTorch edition (from d2l_birnn import torch) needs PyTorch" in result.stderr
    assert "pip install torch" in result.stderr
