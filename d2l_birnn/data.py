"""The Time Machine: download, tokens, vocabulary, the held-out split, and minibatches
for any framework.

Semantics follow d2l 0.17 (the version the notes use), so that ``random.seed(s)``
gives the same batches as the book. No framework is imported here: each edition's
iterators (``d2l_birnn.mxnet.data``, ``d2l_birnn.torch.data``) pass their own array
constructor to :func:`random_subsequence_batches` and :func:`sequential_batches`.
The MXNet edition's names (``SeqDataLoader``, ``load_data_time_machine``,
``seq_data_iter_*``) are also reachable here, as the notes' ``d2l`` API has them.
"""

from __future__ import annotations

import collections
import hashlib
import os
import random
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from .forwarding import mxnet_names
from .validation import positive_int

DATA_URL = "https://d2l-data.s3-accelerate.amazonaws.com/"
TIME_MACHINE_URL = DATA_URL + "timemachine.txt"
TIME_MACHINE_SHA1 = "090b5e7e70c295757f55df93cb0a180b9691891a"
DATA_ENV = "D2L_BIRNN_DATA"


# ---------------------------------------------------------------------------
# Download and cache
# ---------------------------------------------------------------------------
def data_dir() -> Path:
    """Directory for downloaded data: ``$D2L_BIRNN_DATA`` or a per-user data dir.

    The default is ``$XDG_DATA_HOME/d2l-birnn`` (``~/.local/share/d2l-birnn``).
    """
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "d2l-birnn"


def sha1_of(path: str | os.PathLike) -> str:
    """Hex SHA-1 of a file's bytes."""
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _move_aside(path: Path) -> Path:
    """Rename a bad file to ``NAME.bad-<time>`` (never delete what a user has)."""
    target = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    path.rename(target)
    return target


def download(url: str, sha1: str, folder: str | os.PathLike | None = None,
             timeout: float = 30.0) -> Path:
    """Return the path of a verified local copy of ``url``, downloading if needed.

    A cached file is used only if its SHA-1 equals ``sha1``; a cached file with
    another hash is moved aside (renamed ``*.bad-*``) and fetched again. The
    download goes to a temporary file that is checked (HTTP status, SHA-1)
    before it replaces anything.

    Raises ``RuntimeError`` naming the URL, the expected SHA-1 and the directory
    to put the file in when the file cannot be fetched or does not match.
    """
    folder = Path(folder) if folder is not None else data_dir()
    fname = folder / url.rsplit("/", 1)[-1]
    if fname.exists():
        if sha1_of(fname) == sha1:
            return fname
        moved = _move_aside(fname)
        print(f"{fname} has the wrong SHA-1; moved it to {moved.name} and downloading again")
    how_to_fix = (
        f"Download {url} yourself and put it at {fname} (its SHA-1 must be {sha1}), "
        f"or set {DATA_ENV} to a directory that holds it."
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RuntimeError(f"cannot create data directory {folder}: {e}. {how_to_fix}") from e
    tmp = fname.with_name(f"{fname.name}.part-{os.getpid()}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as out:
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as e:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"downloading {url} failed: HTTP {e.code} {e.reason}. {how_to_fix}") from e
    except (urllib.error.URLError, OSError) as e:
        tmp.unlink(missing_ok=True)
        reason = getattr(e, "reason", e)
        raise RuntimeError(f"cannot download {url} (no network?): {reason}. {how_to_fix}") from e
    got = sha1_of(tmp)
    if got != sha1:
        tmp.unlink()
        raise RuntimeError(
            f"the file downloaded from {url} has SHA-1 {got}, expected {sha1}; "
            f"it was not saved. {how_to_fix}"
        )
    tmp.replace(fname)
    return fname


def install_local_copy(source: str | os.PathLike, folder: str | os.PathLike | None = None) -> Path:
    """Copy a local ``timemachine.txt`` into the data directory after checking its SHA-1.

    For machines without network (lecture halls, CI). A valid cached copy is
    kept as it is; a wrong-hash source is refused with ``ValueError``.
    """
    source = Path(source)
    if not source.is_file():
        raise ValueError(f"{source} does not exist; give the path of a copy of timemachine.txt")
    got = sha1_of(source)
    if got != TIME_MACHINE_SHA1:
        raise ValueError(f"{source} has SHA-1 {got}, expected {TIME_MACHINE_SHA1}: not The Time "
                         f"Machine text that d2l uses ({TIME_MACHINE_URL})")
    folder = Path(folder) if folder is not None else data_dir()
    target = folder / "timemachine.txt"
    if target.exists():
        if sha1_of(target) == TIME_MACHINE_SHA1:
            return target
        _move_aside(target)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.part-{os.getpid()}")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return target


def time_machine_path() -> Path:
    """Path of the verified *Time Machine* text, downloaded on first use."""
    return download(TIME_MACHINE_URL, TIME_MACHINE_SHA1)


# ---------------------------------------------------------------------------
# Text, tokens, vocabulary
# ---------------------------------------------------------------------------
def read_time_machine() -> list[str]:
    """Lines of *The Time Machine*: letters only, lower case (d2l 0.17)."""
    with open(time_machine_path()) as f:
        lines = f.readlines()
    return [re.sub("[^A-Za-z]+", " ", line).strip().lower() for line in lines]


def tokenize(lines: Sequence[str], token: str = "word") -> list[list[str]]:
    """Split each line into words (``token='word'``) or characters (``'char'``)."""
    if token == "word":
        return [line.split() for line in lines]
    if token == "char":
        return [list(line) for line in lines]
    raise ValueError(f"unknown token type {token!r}: use 'word' or 'char'")


def count_corpus(tokens) -> collections.Counter:
    """Count token frequencies in a list of tokens or a list of token lists."""
    if len(tokens) == 0 or isinstance(tokens[0], list):
        tokens = [tok for line in tokens for tok in line]
    return collections.Counter(tokens)


class Vocab:
    """Vocabulary in the book's order: ``<unk>`` = 0, reserved tokens, then by
    descending frequency (ties in first-seen order).

    (d2l 1.0.3's ``Vocab`` sorts alphabetically instead, which changes every
    index and so every result that depends on them.)
    """

    def __init__(self, tokens=None, min_freq: int = 0, reserved_tokens=None):
        tokens = [] if tokens is None else tokens
        reserved_tokens = [] if reserved_tokens is None else reserved_tokens
        counter = count_corpus(tokens)
        self._token_freqs = sorted(counter.items(), key=lambda x: x[1], reverse=True)
        self.idx_to_token = ["<unk>"] + list(reserved_tokens)
        self.token_to_idx = {tok: idx for idx, tok in enumerate(self.idx_to_token)}
        for tok, freq in self._token_freqs:
            if freq < min_freq:
                break
            if tok not in self.token_to_idx:
                self.idx_to_token.append(tok)
                self.token_to_idx[tok] = len(self.idx_to_token) - 1

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(tok) for tok in tokens]

    def to_tokens(self, indices):
        if not isinstance(indices, (list, tuple)):
            return self.idx_to_token[indices]
        return [self.idx_to_token[int(i)] for i in indices]

    def __repr__(self) -> str:
        return f"Vocab({len(self)} tokens: {self.idx_to_token[:10]}...)"

    @property
    def unk(self) -> int:
        return 0

    @property
    def token_freqs(self) -> list[tuple[str, int]]:
        return self._token_freqs


def load_corpus_time_machine(max_tokens: int = -1) -> tuple[list[int], Vocab]:
    """Character ids of the whole book (170,580 of them) and its 28-token vocab.

    The vocab is built on the full text; ``max_tokens > 0`` keeps only the
    first ``max_tokens`` ids of the corpus.
    """
    lines = read_time_machine()
    tokens = tokenize(lines, "char")
    vocab = Vocab(tokens)
    corpus = [vocab[tok] for line in tokens for tok in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab


# ---------------------------------------------------------------------------
# Minibatches
# ---------------------------------------------------------------------------
def check_batch_shape(num_tokens: int, batch_size, num_steps) -> None:
    """Raise ``ValueError`` unless the corpus gives at least one batch."""
    for name, value in (("batch_size", batch_size), ("num_steps", num_steps)):
        positive_int(name, value)
    # The sequential iterator may skip up to num_steps tokens at the start and
    # needs one extra token for the labels.
    needed = batch_size * num_steps + num_steps + 1
    if num_tokens < needed:
        raise ValueError(
            f"a corpus of {num_tokens} tokens is too short for batch_size={batch_size} x "
            f"num_steps={num_steps} (needs at least {needed}); lower batch_size or num_steps, "
            f"or pass a larger max_tokens"
        )


def random_subsequence_batches(corpus: Sequence[int], batch_size: int, num_steps: int,
                               to_array) -> Iterator:
    """d2l's random sampling, for any framework: yields (to_array(X), to_array(Y)), where X and
    Y are lists of ``batch_size`` lists of ``num_steps`` token ids, Y shifted by one token."""
    corpus = corpus[random.randint(0, num_steps - 1):]
    num_subseqs = (len(corpus) - 1) // num_steps
    initial_indices = list(range(0, num_subseqs * num_steps, num_steps))
    random.shuffle(initial_indices)
    num_batches = num_subseqs // batch_size
    for i in range(0, batch_size * num_batches, batch_size):
        starts = initial_indices[i: i + batch_size]
        X = [corpus[j: j + num_steps] for j in starts]
        Y = [corpus[j + 1: j + 1 + num_steps] for j in starts]
        yield to_array(X), to_array(Y)


def sequential_batches(corpus: Sequence[int], batch_size: int, num_steps: int,
                       to_array) -> Iterator:
    """d2l's sequential partitioning, for any framework: row i of batch b+1 continues row i
    of batch b. Yields (X, Y), each ``to_array(ids).reshape(batch_size, -1)`` cut into
    windows of shape (batch_size, num_steps), with ``Y`` = ``X`` shifted by one token."""
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = to_array(corpus[offset: offset + num_tokens]).reshape(batch_size, -1)
    Ys = to_array(corpus[offset + 1: offset + 1 + num_tokens]).reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i: i + num_steps], Ys[:, i: i + num_steps]


class SeqDataLoaderBase:
    """Iterable over minibatches of a token corpus; a fresh random offset each epoch.

    The part of d2l's ``SeqDataLoader`` that no framework touches: the corpus, the checks
    and the choice of iterator. Each edition's ``SeqDataLoader`` (``d2l_birnn.mxnet.data``,
    ``d2l_birnn.torch.data``) names its two iterators, which make its arrays.

    Attributes: ``corpus`` (list of ids), ``vocab``, ``batch_size``, ``num_steps``,
    ``data_iter_fn`` (the iterator in use).
    """

    random_iter = sequential_iter = None   # set by each edition: staticmethod(iterator)

    def __init__(self, batch_size: int, num_steps: int, use_random_iter: bool = False,
                 max_tokens: int = 10000, corpus=None, vocab=None):
        if corpus is None:
            corpus, vocab = load_corpus_time_machine(max_tokens)
        elif vocab is None:
            raise ValueError("pass the vocab together with a corpus")
        check_batch_shape(len(corpus), batch_size, num_steps)
        self.corpus, self.vocab = corpus, vocab
        self.batch_size, self.num_steps = batch_size, num_steps
        self.use_random_iter = use_random_iter
        self.data_iter_fn = self.random_iter if use_random_iter else self.sequential_iter

    def __iter__(self):
        return self.data_iter_fn(self.corpus, self.batch_size, self.num_steps)


# ---------------------------------------------------------------------------
# The whole book as one string, and the one held-out split every notebook uses
# ---------------------------------------------------------------------------
def time_machine_text() -> str:
    """The whole book as one string: lower-case letters and single spaces.

    The lines of :func:`read_time_machine` with the empty ones
    dropped, joined by spaces (so that words at line ends stay apart; the
    ``load_corpus_time_machine`` corpus glues them together). 173,427 characters.
    """
    return " ".join(line for line in read_time_machine() if line)


def split_train_test(seq: Sequence, train_fraction: float = 0.9) -> tuple:
    """Split a sequence into its first ``train_fraction`` and the rest.

    ``split_train_test(text)`` gives (first 90%, last 10%): the held-out part
    is a contiguous stretch at the end, never used for counting or training.
    Every notebook holds out the same text this way: the last 10% of
    :func:`time_machine_text` (or of its ``load_corpus_time_machine`` corpus).
    Works for strings, lists and arrays; returns two of the same type.
    """
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must lie strictly between 0 and 1, got {train_fraction}")
    cut = int(len(seq) * train_fraction)
    if cut == 0 or cut == len(seq):
        raise ValueError(f"a sequence of {len(seq)} tokens is too short to split at "
                         f"{train_fraction}: one part would be empty")
    return seq[:cut], seq[cut:]


MASK = "<mask>"


def char_vocab(text: str) -> Vocab:
    """Character vocabulary of ``text`` with a ``<mask>`` token (id 1) for blanks."""
    return Vocab(list(text), reserved_tokens=[MASK])


# The notes' MXNet iterators (d2l_birnn/mxnet/data.py), under the names the notes use here.
_MXNET_NAMES = ("SeqDataLoader", "load_data_time_machine", "seq_data_iter_random",
                "seq_data_iter_sequential")
__getattr__ = mxnet_names(__name__, _MXNET_NAMES)
