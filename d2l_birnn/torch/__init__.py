"""The PyTorch edition: ``from d2l_birnn import torch as d2l``.

It gives the names of d2l 0.17.6's PyTorch API (``d2l.torch``, the code d2l-zh 2.0
runs) with their semantics: ``load_data_time_machine``, ``RNNModel``, ``train_ch8``,
``predict_ch8``, ``grad_clipping``, ``try_gpu``; and the package's own parts for
PyTorch: the scratch BiRNN (``BiRNNScratch``), Jacobian heatmaps, evaluation,
checkpoints with exact resume, cost, and ``load_pretrained``.

Where d2l's two editions differ it follows the PyTorch one: ``train_ch8`` keeps
PyTorch's default initialisation (the MXNet edition re-initialises with
Normal(0.01)), and gradient clipping has no epsilon.

The framework-neutral core is shared, not copied: text, vocabulary and the held-out
split (:mod:`d2l_birnn.data`), n-grams, the HMM, the fill-in task, plotting, the
catalogue (``msg``), quick/full mode (``budget``). Importing this module never imports
MXNet; ``import d2l_birnn`` (the MXNet edition) never imports PyTorch.
"""

try:
    import torch as _torch  # noqa: F401
except ModuleNotFoundError as _e:
    if _e.name != "torch":
        raise
    raise ModuleNotFoundError("the PyTorch edition (from d2l_birnn import torch) needs PyTorch, which "
                              "is not installed here: pip install torch (`make setup` installs it)",
                              name="torch") from None

from ..data import (  # noqa: E402, F401  (the core, shared with the MXNet edition)
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
from ..exercises import answer, check  # noqa: E402, F401
from ..hmm import HMM  # noqa: E402, F401
from ..i18n import localize, msg, set_language  # noqa: E402, F401
from ..runtime import budget, full_mode_value, is_quick, mode_name, quick_mode_notice  # noqa: E402, F401
from . import checkpoints, cost, evaluation, jacobians, padding, scratch, two_sided  # noqa: E402, F401
from .data import (  # noqa: E402, F401
    SeqDataLoader,
    load_data_time_machine,
    seq_data_iter_random,
    seq_data_iter_sequential,
)
from .history import NonFiniteLossError, TrainingHistory  # noqa: E402, F401
from .jacobians import jacobian_norms, plot_dependency_heatmaps  # noqa: E402, F401
from .models import RNNModel  # noqa: E402, F401
from .pretrained import (  # noqa: E402, F401
    PretrainedModelError,
    load_pretrained,
    save_or_compare_pretrained,
    use_pretrained,
)
from .runtime import check_device, describe_run, set_seed, try_gpu  # noqa: E402, F401
from .scratch import BiRNNScratch  # noqa: E402, F401
from .training import (  # noqa: E402, F401
    clip_gradients,
    grad_clipping,
    predict_ch8,
    train_ch8,
    train_epoch_ch8,
)

__all__ = [
    "BiRNNScratch", "DATA_URL", "HMM", "NonFiniteLossError", "PretrainedModelError", "RNNModel",
    "SeqDataLoader", "TIME_MACHINE_SHA1", "TIME_MACHINE_URL", "TrainingHistory", "Vocab", "budget",
    "check_device", "clip_gradients", "count_corpus", "data_dir", "describe_run", "download",
    "full_mode_value", "grad_clipping", "is_quick", "jacobian_norms", "load_corpus_time_machine",
    "load_data_time_machine", "load_pretrained", "localize", "mode_name", "msg",
    "plot_dependency_heatmaps", "predict_ch8", "quick_mode_notice", "read_time_machine",
    "seq_data_iter_random", "seq_data_iter_sequential", "set_language", "set_seed",
    "split_train_test", "time_machine_text", "tokenize", "train_ch8", "train_epoch_ch8", "try_gpu",
    "answer", "check", "save_or_compare_pretrained", "use_pretrained",
]
