"""d2l-birnn: the companion package of the bidirectional RNN notebooks.

``import d2l_birnn as d2l`` gives the d2l API that the study notes use
(``load_data_time_machine``, ``RNNModel``, ``train_ch8``, ``predict_ch8``, ...)
on top of ``d2l==1.0.3``, with d2l 0.17's semantics.

Importing this package first chooses MXNet's thread count for this machine
(MXNet reads it once, when it loads) and, on NumPy >= 1.24, restores what
MXNet 1.9.1 needs from NumPy. It does not load MXNet itself: the names that
need it (``RNNModel``, ``train_ch8``, ``try_gpu``, ...) are loaded on first use
(PEP 562), so NumPy-only modules such as ``d2l_birnn.hmm`` import without
MXNet, pandas or matplotlib.

Modules, one idea each. The framework-free core, here: ``data`` (text,
vocabulary, the held-out split, batches for any framework), ``fill_in`` (the one
fill-in task and its scorer), ``ngram`` (count models), ``hmm``, ``task_data``,
``task_sizes`` and ``seeds`` (the three tasks' data sets, model sizes and seed loop),
``blanks`` (combining one-sided predictions of a blank; the leak check),
``padded_batches`` (pad, reverse within lengths, mask), ``generated_text``,
``plotting``, ``widgets`` (the interactive cells of 01 and 02), ``exercises``,
``validation``, ``runtime`` (threads, quick and full mode), ``doctor``, ``cost`` and
``pretrained`` (what both editions' reports, timings and shipped models share),
``compat`` and ``colab`` (setting up MXNet and Colab), ``i18n`` (the message
catalogue: ``d2l.msg``, ``d2l.localize``, ``d2l.set_language``). None of them imports
a framework when it loads (``exercises`` judges three answers with the framework the
notebook has loaded). ``data``, ``runtime``, ``cost``, ``pretrained`` and ``doctor``
also give the MXNet edition's names under their old paths
(``d2l_birnn.cost.time_forward_backward``), loaded on first use (``forwarding``).

The MXNet edition's own modules, in ``d2l_birnn/mxnet/`` and also importable under
their old names (``d2l_birnn.training`` is ``d2l_birnn.mxnet.training``): ``models``
(Gluon ``RNNModel``), ``scratch`` (the BiRNN in ``mxnet.np``), ``conversion`` (Gluon
<-> scratch weights), ``jacobians``, ``training`` (``train_ch8``), ``progress`` (its
live plot), ``checkpoints``, ``evaluation``, ``tasks`` (Gluon models for three tasks),
``two_sided`` (separately trained forward/backward LMs and a masked-input BiLSTM:
notebook 06), ``padding`` (variable-length batches without corrupting the backward
direction); and ``data`` (d2l's MXNet batch iterators), ``runtime`` (seeds, the run
line), ``cost`` (MXNet timings), ``pretrained`` (notebook 04's shipped models, their
files in ``d2l_birnn/mxnet/pretrained/``) and ``doctor`` (the MXNet report).

The PyTorch edition's package is ``d2l_birnn.torch`` (``from d2l_birnn import torch
as d2l``): the same names with d2l 0.17.6's PyTorch semantics; importing it never
loads MXNet, and importing this package never loads PyTorch.

Names in the package: ``np`` is always NumPy; MXNet's NumPy interface is
``mnp`` (``from mxnet import np as mnp``), and ``F.np`` inside ``hybrid_forward``.
The notebooks follow d2l (``from mxnet import np``) where they teach MXNet code.
"""

import importlib
import importlib.abc
import importlib.util
import sys

from . import runtime as _runtime

_runtime.configure_threads()

from . import compat as _compat  # noqa: E402  (must run before MXNet loads)

numpy_patched = _compat.patch_numpy()  # names restored for MXNet; [] on NumPy < 1.24

from . import colab as _colab  # noqa: E402

_colab.preload_cuda11_if_installed()  # Colab GPU runtimes after a restart; a no-op elsewhere

from .data import (  # noqa: E402
    DATA_URL,
    TIME_MACHINE_SHA1,
    TIME_MACHINE_URL,
    Vocab,
    count_corpus,
    data_dir,
    download,
    load_corpus_time_machine,
    read_time_machine,
    split_train_test,
    time_machine_text,
    tokenize,
)
from .hmm import HMM  # noqa: E402
from .i18n import localize, msg, set_language  # noqa: E402  (no MXNet: the message catalogue)
from .runtime import (  # noqa: E402
    budget,
    full_mode_value,
    is_quick,
    mode_name,
    quick_mode_notice,
)

__version__ = "0.1.0"

# The MXNet edition's own modules live in d2l_birnn/mxnet/ (the PyTorch edition's in
# d2l_birnn/torch/); their old names keep working: ``d2l_birnn.training`` *is*
# ``d2l_birnn.mxnet.training`` (one module object, so patching either patches both).
MXNET_MODULES = ("checkpoints", "conversion", "evaluation", "jacobians", "models", "padding",
                 "progress", "scratch", "tasks", "training", "two_sided")


class _MXNetAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``d2l_birnn.<name>[.sub]`` for the names of :data:`MXNET_MODULES` as
    ``d2l_birnn.mxnet.<name>[.sub]``: the same module, under both names."""

    def find_spec(self, fullname, path=None, target=None):
        parts = fullname.split(".")
        if len(parts) < 2 or parts[0] != __name__ or parts[1] not in MXNET_MODULES:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return importlib.import_module(spec.name.replace(f"{__name__}.", f"{__name__}.mxnet.", 1))

    def exec_module(self, module):
        pass   # already run under its own name


if not any(isinstance(f, _MXNetAlias) for f in sys.meta_path):
    sys.meta_path.insert(0, _MXNetAlias())

# Names that need MXNet (or d2l, which loads matplotlib and pandas): {name: module}.
_LAZY = {
    "Accumulator": "d2l.mxnet", "Animator": "d2l.mxnet", "Timer": "d2l.mxnet",
    "try_gpu": "d2l.mxnet",
    "SeqDataLoader": ".mxnet.data", "load_data_time_machine": ".mxnet.data",
    "seq_data_iter_random": ".mxnet.data", "seq_data_iter_sequential": ".mxnet.data",
    "describe_run": ".mxnet.runtime", "set_seed": ".mxnet.runtime",
    "RNNModel": ".mxnet.models", "BiRNNScratch": ".mxnet.scratch",
    "NonFiniteLossError": ".mxnet.training", "TrainingHistory": ".mxnet.training",
    "clip_gradients": ".mxnet.training", "grad_clipping": ".mxnet.training",
    "predict_ch8": ".mxnet.training", "train_ch8": ".mxnet.training",
    "train_epoch_ch8": ".mxnet.training",
    # The shipped models of notebook 04 (d2l_birnn/mxnet/pretrained/) and the in-class exercises.
    "load_pretrained": ".mxnet.pretrained", "use_pretrained": ".pretrained",
    "save_or_compare_pretrained": ".mxnet.pretrained",
    "check": ".exercises", "answer": ".exercises",
}


def __getattr__(name: str):
    """Load an MXNet-dependent name (or submodule) on first use."""
    if name in _LAZY:
        module = _LAZY[name]
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Accumulator", "Animator", "BiRNNScratch", "DATA_URL", "HMM", "NonFiniteLossError", "RNNModel",
    "SeqDataLoader", "TIME_MACHINE_SHA1", "TIME_MACHINE_URL", "Timer", "TrainingHistory", "Vocab",
    "budget", "clip_gradients", "count_corpus", "data_dir", "describe_run", "download",
    "grad_clipping", "is_quick", "load_corpus_time_machine", "load_data_time_machine", "mode_name",
    "predict_ch8", "read_time_machine", "seq_data_iter_random", "seq_data_iter_sequential",
    "set_seed", "split_train_test", "time_machine_text", "tokenize", "train_ch8",
    "train_epoch_ch8", "try_gpu",
    "load_pretrained", "use_pretrained", "save_or_compare_pretrained", "check", "answer",
    "full_mode_value", "quick_mode_notice",
    "msg", "localize", "set_language",
]
