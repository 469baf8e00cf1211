"""d2l-birnn: the companion package of the bidirectional RNN notebooks.

``import d2l_birnn as d2l`` gives the d2l API that the study notes use
(``load_data_time_machine``, ``RNNModel``, ``train_ch8``, ``predict_ch8``, ...)
on top of ``d2l==1.0.3``, with d2l 0.17's semantics.

Importing this package first chooses MXNet's thread count for this machine
(MXNet reads it once, when it loads) and, on NumPy >= 1.24, restores what
MXNet 1.9.1 needs from NumPy.
"""

from . import runtime as _runtime

_runtime.configure_threads()

from . import compat as _compat  # noqa: E402  (must run before MXNet loads)

numpy_patched = _compat.patch_numpy()  # names restored for MXNet; [] on NumPy < 1.24

from . import colab as _colab  # noqa: E402

_colab.preload_cuda11_if_installed()  # Colab GPU runtimes after a restart; a no-op elsewhere

from d2l.mxnet import Accumulator, Animator, Timer, try_gpu  # noqa: E402

from .data import (  # noqa: E402
    DATA_URL,
    TIME_MACHINE_SHA1,
    TIME_MACHINE_URL,
    SeqDataLoader,
    Vocab,
    count_corpus,
    data_dir,
    download,
    load_corpus_time_machine,
    load_data_time_machine,
    read_time_machine,
    seq_data_iter_random,
    seq_data_iter_sequential,
    tokenize,
)
from .hmm import HMM  # noqa: E402
from .models import BiRNNScratch as BiRNNScratch  # noqa: E402  (re-exported)
from .models import RNNModel  # noqa: E402
from .runtime import budget, describe_run, is_quick, mode_name, set_seed  # noqa: E402
from .training import (  # noqa: E402
    NonFiniteLossError,
    TrainingHistory,
    clip_gradients,
    grad_clipping,
    predict_ch8,
    train_ch8,
    train_epoch_ch8,
)

__version__ = "0.1.0"

__all__ = [
    "Accumulator", "Animator", "DATA_URL", "HMM", "NonFiniteLossError", "RNNModel", "SeqDataLoader",
    "TIME_MACHINE_SHA1", "TIME_MACHINE_URL", "Timer", "TrainingHistory", "Vocab", "budget",
    "clip_gradients", "count_corpus", "data_dir", "describe_run", "download", "grad_clipping", "is_quick",
    "load_corpus_time_machine", "load_data_time_machine", "mode_name", "predict_ch8",
    "read_time_machine", "seq_data_iter_random", "seq_data_iter_sequential", "set_seed",
    "tokenize", "train_ch8", "train_epoch_ch8", "try_gpu",
]
