# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import functools

import numpy as np
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_nlp.src.tokenizers.unigram_search import UnigramSearch


def _reference(pieces, scores, unk_id, word):
    """HuggingFace's search, written plainly: a start-ordered forward pass."""
    index = {p: i for i, p in enumerate(pieces) if p}
    unk_score = min(scores) - 10.0
    best = [None] * (len(word) + 1)  # (score, start, id)
    best[0] = (0.0, None, None)
    for start in range(len(word)):
        here = best[start][0]
        single = False
        for end in range(start + 1, len(word) + 1):
            piece = word[start:end]
            if piece not in index:
                continue
            single |= end == start + 1
            score = here + float(np.float32(scores[index[piece]]))
            if best[end] is None or score > best[end][0]:
                best[end] = (score, start, index[piece])
        if not single:
            score = here + unk_score
            if best[start + 1] is None or score > best[start + 1][0]:
                best[start + 1] = (score, start, unk_id)
    tokens, end = [], len(word)
    while end > 0:
        _, start, i = best[end]
        tokens.append((start, end, i))
        end = start
    tokens.reverse()
    # Runs of unknown pieces become one token, looked up as a whole.
    out, run = [], None
    for start, end, i in tokens:
        if i == unk_id:
            run = (run[0] if run else start, end)
            continue
        if run:
            out.append((run[0], run[1], index.get(word[run[0] : run[1]], unk_id)))
            run = None
        out.append((start, end, i))
    if run:
        out.append((run[0], run[1], index.get(word[run[0] : run[1]], unk_id)))
    return out


@functools.cache
def _tie_search():
    # "ab" + "c" and "a" + "bc" score the same (-3): the longest last
    # piece wins, so "a" + "bc". "x" has no piece: unknown, fused.
    pieces = ["<unk>", "a", "b", "c", "ab", "bc", "abc?"]
    scores = [0.0, -1.0, -2.5, -1.0, -2.0, -2.0, -1.0]
    return UnigramSearch(pieces, scores, 0), pieces, scores


def _run(search, words):
    ids, starts, ends = search.search(tf.constant(words, tf.string))
    return [
        list(zip(s, e, i))
        for i, s, e in zip(ids.to_list(), starts.to_list(), ends.to_list())
    ]


def test_exact_tie_goes_to_the_longest_last_piece():
    search, _, _ = _tie_search()
    got = _run(search, ["abc", "xxab", "", "cxyb"])
    assert got == [
        [(0, 1, 1), (1, 3, 5)],
        [(0, 2, 0), (2, 4, 4)],  # two unknown characters, one token
        [],
        [(0, 1, 3), (1, 3, 0), (3, 4, 2)],
    ]


def test_float64_sums_see_ties_that_float32_sums_miss():
    # Scores whose float32 sums round differently by order: the float64
    # sums are exact, so 8 x "aa" and 4 x "aaaa" tie... or not, exactly as
    # HuggingFace computes.
    pieces = ["<unk>", "a", "aa", "aaa", "aaaa"]
    scores = [0.0, -3.1, -5.3, -7.7, -9.9]
    scores = [float(np.float32(s)) for s in scores]
    search = UnigramSearch(pieces, scores, 0)
    words = ["a" * n for n in range(1, 40)]
    want = [_reference(pieces, scores, 0, word) for word in words]
    assert _run(search, words) == want


@st.composite
def _models_and_words(draw):
    alphabet = "abcé中😀"
    pieces = draw(
        st.lists(
            st.text(alphabet, min_size=1, max_size=4),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    # Few distinct scores: many exact ties.
    scores = draw(
        st.lists(
            st.sampled_from([-1.0, -2.0, -3.0, -1.5, -0.5, -2.75]),
            min_size=len(pieces),
            max_size=len(pieces),
        )
    )
    pieces = ["<unk>"] + pieces
    scores = [0.0] + scores
    words = draw(st.lists(st.text(alphabet + "x", max_size=14), min_size=1, max_size=5))
    return pieces, scores, words


@settings(max_examples=30, deadline=None)
@given(_models_and_words())
def test_search_equals_huggingfaces_algorithm(case):
    pieces, scores, words = case
    search = UnigramSearch(pieces, scores, 0)
    want = [_reference(pieces, scores, 0, w) for w in words]
    assert _run(search, words) == want


def test_runs_in_a_traced_function():
    search, _, _ = _tie_search()
    fn = tf.function(search.search, input_signature=[tf.TensorSpec([None], tf.string)])
    ids, _, _ = fn(tf.constant(["abc", "ab"]))
    assert ids.to_list() == [[1, 5], [4]]
