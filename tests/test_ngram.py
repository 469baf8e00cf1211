"""Tests for d2l_birnn.ngram: counting, backoff, scores and the held-out split."""

from __future__ import annotations

import numpy as np
import pytest

from d2l_birnn import data, ngram
from d2l_birnn.data import Vocab


def ids_of(text: str, vocab: Vocab) -> np.ndarray:
    return np.array(vocab[list(text)])


# ---------------------------------------------------------------------------
# Held-out split
# ---------------------------------------------------------------------------
def test_split_train_test_is_first_and_last_part():
    text = "abcdefghij"
    train, test = data.split_train_test(text, 0.9)
    assert (train, test) == ("abcdefghi", "j")
    train, test = data.split_train_test(list(range(20)), 0.75)
    assert train == list(range(15)) and test == list(range(15, 20))


def test_split_train_test_on_the_book_holds_out_the_end():
    text = data.time_machine_text()
    train, test = data.split_train_test(text)
    assert train + test == text                       # nothing lost, nothing repeated
    assert len(train) == int(0.9 * len(text))
    assert text.endswith(test) and not text.startswith(test)
    assert set(text) == set("abcdefghijklmnopqrstuvwxyz ")
    assert "  " not in text


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.1])
def test_split_train_test_rejects_bad_fractions(fraction):
    with pytest.raises(ValueError, match="train_fraction"):
        data.split_train_test("abcdef", fraction)
    with pytest.raises(ValueError, match="too short"):
        data.split_train_test("ab", 0.1)


def test_held_out_text_is_never_counted():
    """A model fitted on the training part knows nothing of the held-out part:
    it counted the training tokens only, a context that occurs only in the
    held-out text backs off, and scoring held-out text changes no count."""
    text = "the cat sat on the mat " * 20 + "a dog zzz ran"
    train, test = data.split_train_test(text, 0.9)
    assert "zzz" in test and "zzz" not in train
    vocab = Vocab(list(text))
    model = ngram.CountFiller(2, 2, len(vocab)).fit(ids_of(train, vocab))
    unigram_total = model._tables[0].num_positions
    assert unigram_total == len(train)                 # counted on the training text only
    i = test.index("zzz") + 1                          # the middle z: context "zz" unseen
    probs = model.probabilities(ids_of(test, vocab), [i])[0]
    backoff = ngram.CountFiller(0, 0, len(vocab)).fit(ids_of(train, vocab))
    np.testing.assert_allclose(probs, backoff.probabilities(ids_of(test, vocab), [i])[0])
    snapshot = [(t.keys.copy(), t.counts.copy()) for t in model._tables]
    ngram.fill_scores(model, ids_of(test, vocab), np.arange(2, len(test) - 2))
    for (keys, counts), table in zip(snapshot, model._tables):
        np.testing.assert_array_equal(keys, table.keys)
        np.testing.assert_array_equal(counts, table.counts)


# ---------------------------------------------------------------------------
# Chains and counting
# ---------------------------------------------------------------------------
def test_context_chain():
    assert ngram.context_chain(3, 0) == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert ngram.context_chain(2, 2) == [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2)]
    assert ngram.context_chain(1, 3) == [(0, 0), (0, 1), (0, 2), (1, 2), (1, 3)]
    assert ngram.context_chain(0, 0) == [(0, 0)]
    with pytest.raises(ValueError, match="left must be an int >= 0"):
        ngram.context_chain(-1, 0)


def test_counts_match_a_brute_force_count():
    text = "abracadabra arbadacarba"
    vocab = Vocab(list(text))
    ids = ids_of(text, vocab)
    model = ngram.CountFiller(2, 2, len(vocab)).fit(ids)
    for level, (a, b) in enumerate(model.levels):
        table = model._tables[level]
        assert table.num_positions == len(text) - a - b
        assert table.totals.sum() == len(text) - a - b
        contexts = {(text[i - a:i], text[i + 1:i + 1 + b]) for i in range(a, len(text) - b)}
        assert len(table.keys) == len(contexts)
    # plug-in entropy of the longest context: every 2+2 context here has one follower
    assert model.conditional_entropy()[-1] == pytest.approx(0.0)
    assert model.conditional_entropy()[0] > 2.0        # character frequencies


def test_witten_bell_estimate_by_hand():
    # "ab" twice followed by "c", once by "d": context (1, 0) = "b"
    text = "abcabcabd"
    vocab = Vocab(list(text))
    V = len(vocab)
    ids = ids_of(text, vocab)
    model = ngram.CountFiller(1, 0, V).fit(ids)
    probs = model.probabilities(ids_of("bx", vocab), [1])[0]   # left context "b"
    counts = {t: text.count(t) for t in "abcd"}
    p0 = {t: (counts.get(t, 0) + 4 / V) / (len(text) + 4) for t in vocab.idx_to_token}
    # after "b": c twice, d once -> total 3, 2 types
    expected_c = (2 + 2 * p0["c"]) / (3 + 2)
    expected_a = (0 + 2 * p0["a"]) / (3 + 2)
    assert probs[vocab["c"]] == pytest.approx(expected_c)
    assert probs[vocab["a"]] == pytest.approx(expected_a)
    assert probs.sum() == pytest.approx(1.0)
    assert (probs > 0).all()


def test_blank_itself_is_never_read():
    text = "the time traveller was expounding a recondite matter to us"
    vocab = Vocab(list(text))
    ids = ids_of(text, vocab)
    model = ngram.CountFiller(3, 3, len(vocab)).fit(ids)
    positions = np.arange(3, len(ids) - 3)
    scrambled = ids.copy()
    scrambled[10] = vocab["z"] if "z" in vocab.token_to_idx else 0
    a = model.probabilities(ids, [10])
    b = model.probabilities(scrambled, [10])
    np.testing.assert_array_equal(a, b)
    assert (model.predict(ids, positions) == ids[positions]).mean() > 0.9   # seen text


def test_two_sided_beats_left_only_on_held_out_book_text():
    text = data.time_machine_text()[:60000]
    train, test = data.split_train_test(text)
    vocab = Vocab(list(train))
    tr, te = ids_of(train, vocab), ids_of(test, vocab)
    positions = ngram.blank_positions(len(te), 3, 2000, seed=0)
    left = ngram.fill_scores(ngram.CountFiller(3, 0, len(vocab)).fit(tr), te, positions)
    both = ngram.fill_scores(ngram.CountFiller(3, 3, len(vocab)).fit(tr), te, positions)
    assert both["accuracy"][-1] > left["accuracy"][-1] + 0.2
    assert both["cross_entropy"][-1] < left["cross_entropy"][-1]
    # level 0 of both is the same frequency model
    assert both["accuracy"][0] == left["accuracy"][0]
    assert 0 < left["cross_entropy"][0] < np.log2(len(vocab))


def test_blank_near_the_end_backs_off():
    text = "abcabcabc"
    vocab = Vocab(list(text))
    ids = ids_of(text, vocab)
    model = ngram.CountFiller(2, 2, len(vocab)).fit(ids)
    end = model.probabilities(ids, [len(ids) - 1])[0]          # no right context fits
    short = ngram.CountFiller(1, 0, len(vocab)).fit(ids).probabilities(ids, [len(ids) - 1])[0]
    np.testing.assert_allclose(end, short)


def test_bad_input_is_refused():
    vocab = Vocab(list("abc"))
    with pytest.raises(RuntimeError, match="not been fitted"):
        ngram.CountFiller(1, 1, len(vocab)).predict([1, 2, 3], [1])
    with pytest.raises(ValueError, match="vocab_size"):
        ngram.CountFiller(1, 1, 1)
    with pytest.raises(ValueError, match=r"token ids must lie in \[0, 4\)"):
        ngram.CountFiller(1, 0, len(vocab)).fit([1, 2, 9])
    with pytest.raises(ValueError, match="too few"):
        ngram.CountFiller(2, 2, len(vocab)).fit([1, 2, 3])
    model = ngram.CountFiller(1, 0, len(vocab)).fit([1, 2, 3, 1, 2, 3])
    with pytest.raises(ValueError, match="positions must be"):
        model.predict([1, 2, 3], [5])
    with pytest.raises(ValueError, match="not in this model's chain"):
        model.level_of(2, 0)
    with pytest.raises(ValueError, match="no blanks"):
        ngram.fill_scores(model, [1, 2, 3], [])


def test_blank_positions():
    pos = ngram.blank_positions(100, 5)
    assert pos[0] == 5 and pos[-1] == 94
    some = ngram.blank_positions(100, 5, 10, seed=3)
    assert len(some) == 10 and len(set(some)) == 10 and (np.diff(some) > 0).all()
    np.testing.assert_array_equal(some, ngram.blank_positions(100, 5, 10, seed=3))
    with pytest.raises(ValueError, match="smaller margin"):
        ngram.blank_positions(8, 4)


# ---------------------------------------------------------------------------
# Typed blanks
# ---------------------------------------------------------------------------
def test_split_blank():
    assert ngram.split_blank("I am _ hungry!") == ("word", ["i", "am"], ["hungry"])
    assert ngram.split_blank("_ is a colour") == ("word", [], ["is", "a", "colour"])
    kind, left, right = ngram.split_blank("the time trav_ller")
    assert kind == "char" and "".join(left) == "the time trav" and "".join(right) == "ller"
    for bad in ("no blank", "two _ blanks _", 3):
        with pytest.raises(ValueError, match="exactly one '_'"):
            ngram.split_blank(bad)


def test_blank_guesser_fills_book_phrases():
    train, _ = data.split_train_test(data.time_machine_text())
    guesser = ngram.BlankGuesser(train[:80000], max_chars=4, max_words=2)
    out = guesser.guess("the time trav_ller")
    assert out["kind"] == "char"
    assert out["two-sided"][0][0] == "e" and out["left-only"][0][0] == "e"
    out = guesser.guess("the _ traveller", k=2)
    assert out["kind"] == "word" and out["two-sided"][0][0] == "time" and len(out["left-only"]) == 2
    # with nothing after the blank, both models are the same left-only model
    out = guesser.guess("i am _")
    assert out["left-only"] == out["two-sided"]
    probs = [p for _, p in out["left-only"]]
    assert probs == sorted(probs, reverse=True) and all(0 < p < 1 for p in probs)
    with pytest.raises(ValueError, match="non-empty string"):
        ngram.BlankGuesser("  ")


def test_words_of():
    assert ngram.words_of("Mr. Green said: 'Hello'") == ["mr", "green", "said", "hello"]
