"""Where bidirectional RNNs belong: data sets and small Gluon models for three tasks.

* **Filling a blank** (:class:`BlankFiller`, scored on :func:`masked_windows`):
  predict each character from the characters around it.
* **Tagging each token** (:func:`word_end_tags`, :class:`TokenTagger`): with the
  spaces removed, say of every letter whether it ends a word, which the
  letters *after* it decide.
* **Encoding a sequence** (:meth:`final_states`, :func:`encode_passages`,
  :class:`PositionProbe`, :class:`SequenceClassifier`): turn a passage into
  the final states of both directions, and ask what can be read from them
  (every character back, or which half of the book it is from, with
  :func:`half_passages`).

Every data set is built from a training text and a held-out text that the
caller split beforehand (``data.split_train_test``), or (in
:func:`half_passages`) from blocks set aside in advance, so nothing held out is
ever trained on. The models are an embedding, one LSTM layer (one or two
directions) and a dense layer; :func:`matching_hidden_size` gives the
unidirectional hidden size with the same number of parameters as a
bidirectional model.

The package is split by job: :mod:`d2l_birnn.task_data` builds the data and
:mod:`d2l_birnn.task_sizes` counts parameters (both framework-free, shared with the
PyTorch edition), :mod:`.models` holds the Gluon models, :mod:`.training` trains and
applies them and :mod:`.seeds` repeats a comparison over seeds (MXNet seeded); each
name is also available as ``tasks.NAME``.
"""

from ...task_data import MASK, char_vocab, cut_rows, half_passages, join_words, masked_windows, word_end_tags
from ...task_sizes import closest_hidden_size, matching_hidden_size, model_parameter_count
from .models import BlankFiller, PositionProbe, SequenceClassifier, TokenTagger
from .seeds import SEEDS, over_seeds, per_seed
from .training import cosine_similarity, encode_passages, fit, label_accuracy, predict_labels

__all__ = ["BlankFiller", "MASK", "PositionProbe", "SEEDS", "SequenceClassifier", "TokenTagger",
           "char_vocab", "closest_hidden_size", "cosine_similarity", "cut_rows", "encode_passages", "fit",
           "half_passages", "join_words", "label_accuracy", "masked_windows",
           "matching_hidden_size", "model_parameter_count", "over_seeds", "per_seed", "predict_labels",
           "word_end_tags"]
