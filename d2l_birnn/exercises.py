"""In-class exercises: ``d2l.check('02.1', answer)`` and ``d2l.answer('02.1')``.

Each exercise is answerable in about three minutes. Its check cell in the
notebook holds only the student's answer, never the solution: the expected
value is computed here, at check time, by the package's own code (a Gluon
layer's parameter count, a shape from ``BiRNNScratch``, a chain length from
``d2l_birnn.cost``), or, for a word answer, compared by its SHA-256. A wrong
answer gets a hint, never the answer; ``d2l.answer(id)`` shows the answer and
its explanation when the student asks for it.

(The explanations below are the teacher's copy: a student who opens this file
on purpose can read them, as with the ``<details>`` answers of the notebooks.)

Every text a student sees is in the notebook's language: the question, hint and explanation
here are the English source, and the message catalogue (``d2l_birnn/locale/``) holds each one
under ``exercise.<id>.question`` / ``.hint`` / ``.explanation`` with its translation
(``tests/test_exercises.py`` checks that the catalogue's English is the text here, so a changed
English text makes its translation stale). Word answers are accepted in Chinese and English in
both editions (:data:`WORD_SYNONYMS`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from .i18n import msg


@dataclass(frozen=True)
class Exercise:
    """One exercise. ``kind``: 'number' (within ``rel_tol``), 'shape' (a tuple),
    'word' (compared by SHA-256 after lower-casing and stripping; a Chinese answer such as 更差 is
    first mapped to its English word by ``WORD_SYNONYMS``, so one hash serves both languages) or
    'function' (called on ``cases()``, each ``(args, expected)``; results compared with
    ``numpy.allclose``)."""

    id: str
    where: str              # notebook and heading
    question: str
    kind: str
    expected: Callable[[], Any] | None = None   # number or shape, computed at check time
    word_sha256: str = ""
    cases: Callable[[], list] | None = None
    rel_tol: float = 1e-3
    hint: str = ""
    explanation: str = ""
    extra: dict = field(default_factory=dict)


# Word answers in Chinese, each mapped to the English word before hashing, so that one SHA-256
# per exercise checks both languages (in either edition). Both choices of every word question are
# listed, so the table tells nothing about which one is right.
WORD_SYNONYMS = {
    "更好": "better", "较好": "better", "更佳": "better", "好": "better", "更优": "better",
    "更差": "worse", "较差": "worse", "更糟": "worse", "差": "worse", "更坏": "worse",
}


def _normalize_word(word: str) -> str:
    """``word`` stripped, lower-cased, trailing punctuation removed, a Chinese synonym replaced by
    its English word (``WORD_SYNONYMS``): '更差。' and ' Worse ' both become 'worse'."""
    plain = word.strip().lower().rstrip(".!。！").strip()
    return WORD_SYNONYMS.get(plain, plain)


def _sha(word: str) -> str:
    """SHA-256 of the normalised word (``_normalize_word``): Chinese and English answers agree."""
    return hashlib.sha256(_normalize_word(word).encode()).hexdigest()


# ---------------------------------------------------------------------------
# Expected answers, computed by the package at check time
# ---------------------------------------------------------------------------
def _contexts_two_sided() -> int:
    from .data import time_machine_text

    return len(set(time_machine_text())) ** 4  # the characters of the text, four positions


def _forward_cases() -> list:
    import numpy as np

    from .hmm import HMM

    rng = np.random.default_rng(7)
    cases = []
    for k, V in ((2, 3), (3, 4), (5, 2)):
        hmm = HMM(rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k), size=k),
                  rng.dirichlet(np.ones(V), size=k))
        x = rng.integers(0, V, size=2)
        pi1 = hmm.start
        # The package's unscaled message at t = 2 is P(h_2, x_1): pi_1 * b_{x_1} pushed through A.
        messages = hmm.forward(x)
        pi2 = np.exp(messages.log_scale[1]) * messages.messages[1]
        cases.append(((pi1, hmm.trans, hmm.emit[:, x[0]]), pi2))
    return cases


def _in_pytorch() -> bool:
    """Judge with PyTorch when the PyTorch edition is loaded and MXNet is not: the same answers
    (checked equal in tests/test_exercises.py), without loading the other framework."""
    import sys

    return "d2l_birnn.torch" in sys.modules and sys.modules.get("mxnet") is None


def _birnn_h_shape() -> tuple:
    if _in_pytorch():
        import torch

        from .torch.scratch import BiRNNScratch as TorchBiRNN

        H, _ = TorchBiRNN(10, (16, 8)).hidden_states(torch.zeros(5, 32, 10))
        return tuple(H[0].shape)
    from mxnet import np

    from .mxnet.scratch import BiRNNScratch

    net = BiRNNScratch(10, (16, 8))
    H, _ = net.hidden_states(np.zeros((5, 32, 10)))  # (T, n, d)
    return tuple(H[0].shape)


def _bigru_parameters() -> int:
    if _in_pytorch():
        from torch import nn

        return sum(p.numel() for p in nn.GRU(28, 64, num_layers=2, bidirectional=True).parameters())
    from mxnet.gluon import rnn

    from .mxnet.models import count_parameters

    layer = rnn.GRU(64, num_layers=2, bidirectional=True, input_size=28)
    layer.initialize()
    return count_parameters(layer)


def _layer2_input_weights() -> int:
    if _in_pytorch():
        from torch import nn

        return nn.LSTM(28, 256, num_layers=2, bidirectional=True).weight_ih_l1.numel()
    from mxnet.gluon import rnn

    layer = rnn.LSTM(256, num_layers=2, bidirectional=True, input_size=28)
    layer.initialize()
    return int(math.prod(layer.collect_params()[
        next(k for k in layer.collect_params() if k.endswith("l1_i2h_weight"))].shape))


def _first_output_steps() -> int:
    from .cost import chain_lengths

    return chain_lengths(100, bidirectional=True, num_layers=3)["first_output"]


# Notebook 06 (bidirectional models done right)
EX06_LEFT, EX06_RIGHT = (0.6, 0.3, 0.1), (0.2, 0.2, 0.6)   # P(e), P(a), P(o) of the two LMs
EX06_LENGTHS = (3, 5, 9)


def _combined_o() -> float:
    import numpy as np

    from .blanks import combine_predictions

    return float(combine_predictions(np.array([EX06_LEFT]), np.array([EX06_RIGHT]))[0, 2])


def _positions_reading_padding() -> int:
    from .padded_batches import positions_reading_padding

    return positions_reading_padding(EX06_LENGTHS)


def _viterbi_step_cases() -> list:
    """delta_2(j) = max over h_1 of log P(h_1, h_2 = j, x_1, x_2), from the package's path scores."""
    import numpy as np

    from .hmm import HMM

    rng = np.random.default_rng(11)
    cases = []
    for k, V in ((2, 3), (3, 4), (4, 2)):
        hmm = HMM.random(k, V, rng)
        x = rng.integers(0, V, size=2)
        delta1 = np.log(hmm.start) + np.log(hmm.emit[:, x[0]])
        delta2 = np.array([max(hmm.path_log_probability([i, j], x) for i in range(k))
                           for j in range(k)])
        cases.append(((delta1, np.log(hmm.trans), np.log(hmm.emit[:, x[1]])), delta2))
    return cases


EXERCISES = {e.id: e for e in [
    Exercise(
        "01.1", "01, Section 2 (Measured: filling blanks in held-out text)",
        "A two-sided count model with two characters on each side looks up a context of four "
        "characters. The text has only lower-case letters and the space. How many different "
        "contexts are possible?",
        "number", expected=_contexts_two_sided, rel_tol=0,
        hint="how many different characters can stand at each of the four positions?",
        explanation="27 characters, four positions: 27**4 = 531,441 contexts, far more than the "
                    "156,084 training characters, so most contexts are never seen: that is why "
                    "accuracy stops growing at n = 6 and falls after it."),
    Exercise(
        "02.1", "02, Section 3 (The forward and backward recursions)",
        "Write forward_step(pi, A, b) that returns the next forward message "
        "pi_{t+1}(h') = sum_h pi_t(h) P(x_t | h) P(h' | h), where pi is (k,), A[h, h'] = "
        "P(h' | h) is (k, k) and b[h] = P(x_t | h) is (k,). One line of NumPy.",
        "function", cases=_forward_cases,
        hint="multiply pi by b element-wise, then push the result through A with a vector-matrix "
             "product (which side of A?)",
        explanation="def forward_step(pi, A, b): return (pi * b) @ A. Each of the k outputs is a "
                    "sum over k states: k**2 multiply-adds per step, O(k**2 T) in all."),
    Exercise(
        "03.1", "03, Section 1 (The model)",
        "A bidirectional RNN has h_f = 16 hidden units forward and h_b = 8 backward, and reads a "
        "minibatch of n = 32 sequences of d = 10 features. What is the shape of H_t? "
        "Answer with a tuple.",
        "shape", expected=_birnn_h_shape,
        hint="H_t concatenates the two directions' states for every sequence of the minibatch",
        explanation="(32, 24): n rows, h_f + h_b columns (forward half first)."),
    Exercise(
        "03.2", "03, Section 2 (Is it right? Equal to Gluon's fused layers)",
        "How many parameters does rnn.GRU(64, num_layers=2, bidirectional=True) have with d = 28 "
        "inputs (no output layer)?",
        "number", expected=_bigru_parameters, rel_tol=0,
        hint="per direction and layer: G h (d_l + h + 2) with G = 3 gates for a GRU; what does "
             "layer 2 read?",
        explanation="Layer 1: 2 x 3 x 64 x (28 + 64 + 2) = 36,096; layer 2 reads 2h = 128 inputs: "
                    "2 x 3 x 64 x (128 + 64 + 2) = 74,496; in all 110,592."),
    Exercise(
        "04.1", "04, Section 3 (Why: the answer is in the input)",
        "With the future cut off (past only, as in generation), does the notes' BiLSTM predict "
        "the next held-out character better or worse than the one-way LSTM trained at the same "
        "learning rate? Answer 'better' or 'worse'.",
        "word", word_sha256=_sha("worse"),
        hint="what did the BiLSTM learn to rely on during training, and is it there now?",
        explanation="worse: it learned to copy x_{t+1} from the future in its input (the backward "
                    "direction, and in layer 2 the forward one too); without the future it has little "
                    "else (notebook 04: 31.1% vs 35.1%, one run of each model: each takes minutes to "
                    "train, so the gap is not measured against seed-to-seed spread)."),
    Exercise(
        "04.2", "04, Section 4 (What the second direction costs)",
        "In the notes' BiLSTM (h = 256, 2 layers), how many numbers are in the input weight "
        "matrix of ONE direction of layer 2 (4 gates)?",
        "number", expected=_layer2_input_weights, rel_tol=0,
        hint="layer 2 reads the concatenated output of layer 1: how wide is it?",
        explanation="4h x 2h = 1024 x 512 = 524,288 (a one-way LSTM's layer 2: 1024 x 256)."),
    Exercise(
        "05.1", "05, Section 1 (The price in sequential steps)",
        "A 3-layer bidirectional RNN reads T = 100 steps. How many sequential cell evaluations "
        "must happen before its first output o_1 exists?",
        "number", expected=_first_output_steps, rel_tol=0,
        hint="layer 2's backward chain starts at t = T, where it needs layer 1's forward state at T; "
             "follow the chain back from o_1 and count the steps in each layer",
        explanation="300 = L x T, along a path that alternates direction: o_1 needs layer 3's backward "
                    "chain from t = T down to 1 (100 steps); it starts at T, where it needs layer 2's "
                    "forward state at T, so layer 2's whole forward chain from t = 1 (100 steps); that "
                    "starts at t = 1, where it needs layer 1's backward state at 1, the end of layer 1's "
                    "backward chain from T (100 steps). (A one-way 3-layer RNN: 3; "
                    "cost.chain_lengths(100, True, 3)['first_output'] counts it.)"),
    Exercise(
        "06.1", "06, Section 1 (Two language models, trained separately)",
        "For a blank, the forward LM gives P(e), P(a), P(o) = 0.6, 0.3, 0.1 and the backward LM "
        "gives 0.2, 0.2, 0.6 (nothing else has any probability). Combined as a product, "
        "renormalised: what probability does 'o' get?",
        "number", expected=_combined_o, rel_tol=1e-6,
        hint="multiply the two distributions entry by entry, then divide by the sum of the "
             "three products",
        explanation="0.25: the products are 0.12, 0.06, 0.06 (sum 0.24); 'o' gets 0.06 / 0.24. "
                    "Each LM alone prefers another letter ('e' and 'o'); together 'e' wins, "
                    "with 0.5."),
    Exercise(
        "06.2", "06, Section 2 (Variable-length batches)",
        "Three sequences of lengths 3, 5 and 9 are padded at the end to 9 and read by a fused "
        "bidirectional layer that ignores their lengths. At how many real (non-pad) positions "
        "has the backward state read padding?",
        "number", expected=_positions_reading_padding, rel_tol=0,
        hint="the backward direction starts at position 9 of every row: which real positions "
             "come after a pad in its reading order?",
        explanation="8: every position of the two shorter sequences (3 + 5); the backward "
                    "recursion reaches each of them only after reading the pads behind it. The "
                    "sequence of length 9 has no padding."),
    Exercise(
        "06.3", "06, Section 3 (Decoding: Viterbi beside forward-backward)",
        "Write viterbi_step(delta, log_A, log_b) that returns delta_{t+1}(j) = max_i "
        "[delta_t(i) + log A[i, j]] + log b[j], where delta is (k,), log_A is (k, k) and "
        "log_b[j] = log P(x_{t+1} | j) is (k,). One line of NumPy.",
        "function", cases=_viterbi_step_cases,
        hint="add delta as a column to log_A (delta[:, None] + log_A), take the max over the "
             "previous state (which axis?), then add log_b",
        explanation="def viterbi_step(delta, log_A, log_b): return (delta[:, None] + "
                    "log_A).max(axis=0) + log_b. The forward step of 02.1 with sum replaced "
                    "by max and products by sums of logs; O(k**2) per step."),
]}


def text(exercise_id: str, part: str) -> str:
    """An exercise's ``part`` ('question', 'hint' or 'explanation') in the edition's language."""
    ex = _get(exercise_id)
    if part not in ("question", "hint", "explanation"):
        raise ValueError(f"part={part!r}: choose 'question', 'hint' or 'explanation'")
    return msg(f"exercise.{ex.id}.{part}")


def _sentence(text: str) -> str:
    """``text`` ending in a full stop of the edition's language (unless it ends in one already)."""
    return text if text.endswith((".", "?", "。", "？")) else text + msg("exercise.full_stop")


def _get(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISES:
        raise ValueError(f"no exercise {exercise_id!r}; there are {sorted(EXERCISES)}")
    return EXERCISES[exercise_id]


def _judge(ex: Exercise, answer) -> tuple[bool, str]:
    """(right?, what to tell the student without giving the answer away)."""
    import numpy as np

    if ex.kind == "word":
        return _sha(str(answer)) == ex.word_sha256, ""
    if ex.kind == "function":
        if not callable(answer):
            return False, msg("exercise.note.pass_function")
        for i, (args, want) in enumerate(ex.cases(), 1):
            try:
                got = answer(*args)
            except Exception as e:  # a student's bug: say which case and what happened
                return False, msg("exercise.note.case_raised", i=i, error=f"{type(e).__name__}: {e}")
            if np.shape(got) != np.shape(want) or not np.allclose(got, want, rtol=1e-6, atol=1e-12):
                return False, msg("exercise.note.case_wrong", i=i, n=len(ex.cases()), shape=np.shape(got))
        return True, ""
    want = ex.expected()
    if ex.kind == "shape":
        try:
            return tuple(int(v) for v in answer) == tuple(want), ""
        except TypeError:
            return False, msg("exercise.note.tuple")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False, msg("exercise.note.number")
    return math.isclose(value, want, rel_tol=ex.rel_tol, abs_tol=1e-9), ""


def is_right(exercise_id: str, answer) -> bool:
    """Whether ``answer`` to exercise ``exercise_id`` is right (prints nothing)."""
    return _judge(_get(exercise_id), answer)[0]


def check(exercise_id: str, answer) -> None:
    """Print whether ``answer`` to exercise ``exercise_id`` is right.

    A wrong answer gets a hint, not the solution (``d2l.answer(id)`` shows it). Returns None, so
    that a notebook's check cell shows the verdict only (:func:`is_right` gives the bool).
    """
    ex = _get(exercise_id)
    right, note = _judge(ex, answer)
    if right:
        print(msg("exercise.right", id=exercise_id))
    else:
        note = _sentence(note) + (" " if note and msg("exercise.full_stop") == "." else "") if note else ""
        print(msg("exercise.not_yet", id=exercise_id, note=note, hint=_sentence(text(exercise_id, "hint"))))


def question(exercise_id: str) -> str:
    """The text of an exercise in the edition's language (for slides and the lesson plan)."""
    return text(exercise_id, "question")


def answer(exercise_id: str) -> None:
    """Print the answer and its explanation, in the edition's language (only when asked)."""
    print(msg("exercise.answer", id=exercise_id, text=text(exercise_id, "explanation")))


__all__ = ["EXERCISES", "Exercise", "answer", "check", "question", "text"]
