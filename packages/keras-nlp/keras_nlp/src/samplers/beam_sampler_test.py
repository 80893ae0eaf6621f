# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Beam search against an exhaustive search and an independent reference."""

import itertools

import numpy as np
import pytest
import tensorflow as tf

from keras_nlp.src.samplers.beam_sampler import BeamSampler
from keras_nlp.src.samplers.greedy_sampler import GreedySampler

VOCAB, LENGTH, END = 4, 4, 3


class ToyModel:
    """A deterministic next-token model whose logits depend on the prefix.

    logits(position i) = bias + sum over p < i of W[p, token_p]. Runs in
    TensorFlow (with or without a cache of the running sum) and in NumPy
    (for the references).
    """

    def __init__(self, seed=0, vocab=VOCAB, length=LENGTH, end_bias=0.0):
        rng = np.random.RandomState(seed)
        self.vocab = vocab
        self.weights = rng.normal(scale=1.5, size=(length, vocab, vocab)).astype(
            "float32"
        )
        self.bias = rng.normal(size=(vocab,)).astype("float32")
        self.bias[END] += end_bias

    def numpy_log_probs(self, prefix):
        logits = self.bias.astype("float64").copy()
        for position, token in enumerate(prefix):
            logits += self.weights[position, token]
        logits -= logits.max()
        return logits - np.log(np.exp(logits).sum())

    def next(self, ids, cache, index):
        one_hot = tf.one_hot(ids, self.vocab)  # (B, L, V)
        before = tf.cast(tf.range(tf.shape(ids)[1]) < index, "float32")
        one_hot = one_hot * before[None, :, None]
        logits = tf.einsum("blv,lvw->bw", one_hot, self.weights) + self.bias
        return logits, cache

    def cached_next(self, ids, cache, index):
        # The cache holds the running sum; only the newest token is added.
        previous = tf.gather(ids, index - 1, axis=1)
        rows = tf.gather(tf.gather(self.weights, index - 1), previous)
        total = cache["sum"] + rows
        return total + self.bias, hidden_unused(total), {"sum": total}


def hidden_unused(x):
    return x


def exhaustive(model, prompt, length, alpha):
    """Every hypothesis with its normalized score, best first."""
    hypotheses = {}
    for tokens in itertools.product(range(model.vocab), repeat=length - len(prompt)):
        log_prob, seq = 0.0, list(prompt)
        for token in tokens:
            log_prob += model.numpy_log_probs(seq)[token]
            seq.append(token)
            if token == END:
                break
        generated = len(seq) - len(prompt)
        hypotheses[tuple(seq)] = log_prob / generated**alpha
    return sorted(hypotheses.items(), key=lambda item: -item[1])


def reference_beam(model, prompt, length, beams, alpha, early_stopping):
    """A plain-Python beam search with the documented rules."""
    alive = [(tuple(prompt), 0.0)]
    finished = []
    done = False
    max_generated = length - len(prompt)
    for step in range(1, max_generated + 1):
        candidates = []
        for seq, log_prob in alive:
            scores = model.numpy_log_probs(seq)
            candidates += [(seq + (v,), log_prob + scores[v]) for v in range(VOCAB)]
        candidates.sort(key=lambda c: -c[1])
        candidates = candidates[: 2 * beams]
        alive = []
        for rank, (seq, log_prob) in enumerate(candidates):
            if seq[-1] == END:
                if rank < beams:
                    finished.append((seq, log_prob / step**alpha))
            else:
                alive.append((seq, log_prob))
        alive = alive[:beams]
        finished = sorted(finished, key=lambda f: -f[1])[:beams]
        if len(finished) == beams:
            if early_stopping:
                done = True
                break
            best = max(lp for _, lp in alive)
            bound = best / (max_generated if alpha > 0 else step) ** alpha
            if finished[-1][1] >= bound:
                done = True
                break
    if not done:
        finished += [(seq, lp / max_generated**alpha) for seq, lp in alive]
    return sorted(finished, key=lambda f: -f[1])[:beams]


def _prompts():
    # Row 0: a one-token prompt; row 1: a two-token prompt (longer prompts
    # are kept, not generated, and never scored).
    prompt = np.array([[1, 0, 0, 0], [2, 1, 0, 0]], "int32")
    mask = np.array([[1, 0, 0, 0], [1, 1, 0, 0]], bool)
    return prompt, mask, [[1], [2, 1]]


def _strip(seq, prompt_length):
    seq = list(seq)
    for i in range(prompt_length, len(seq)):
        if seq[i] == END:
            return tuple(seq[: i + 1])
    return tuple(seq)


@pytest.mark.parametrize("alpha", [0.0, 1.0, 2.0, -0.5])
def test_full_width_beam_equals_exhaustive_search(alpha):
    model = ToyModel(seed=1, end_bias=1.0)
    prompt, mask, rows = _prompts()
    beams = VOCAB ** (LENGTH - 2)  # wide enough to keep every prefix
    sampler = BeamSampler(num_beams=beams, length_penalty=alpha, return_all_beams=True)
    ids, scores = sampler(model.next, prompt, mask=mask, end_token_id=END)
    for row, row_prompt in enumerate(rows):
        expected = exhaustive(model, row_prompt, LENGTH, alpha)
        count = min(beams, len(expected))
        got = [_strip(ids[row, i].numpy(), len(row_prompt)) for i in range(count)]
        assert got == [seq for seq, _ in expected[:count]]
        np.testing.assert_allclose(
            scores[row, :count], [s for _, s in expected[:count]], rtol=1e-5
        )
        # Everything after the end token is padding.
        best = ids[row, 0].numpy()
        stripped = _strip(best, len(row_prompt))
        assert list(best[len(stripped) :]) == [0] * (LENGTH - len(stripped))


@pytest.mark.parametrize(
    "beams,alpha,early_stopping",
    [
        (2, 0.0, False),
        (2, 1.0, False),
        (3, 1.0, True),
        (2, 2.0, True),
        (3, -0.5, False),
    ],
)
def test_narrow_beam_equals_reference(beams, alpha, early_stopping):
    length = 6
    model = ToyModel(seed=3, length=length, end_bias=0.5)
    prompt = np.array([[1, 0, 0, 0, 0, 0], [2, 1, 2, 0, 0, 0]], "int32")
    mask = prompt > 0
    sampler = BeamSampler(
        num_beams=beams,
        length_penalty=alpha,
        early_stopping=early_stopping,
        return_all_beams=True,
    )
    ids, scores = sampler(model.next, prompt, mask=mask, end_token_id=END)
    for row, row_prompt in enumerate([[1], [2, 1, 2]]):
        expected = reference_beam(
            model, row_prompt, length, beams, alpha, early_stopping
        )
        got = [
            _strip(ids[row, i].numpy(), len(row_prompt)) for i in range(len(expected))
        ]
        assert got == [seq for seq, _ in expected]
        np.testing.assert_allclose(
            scores[row, : len(expected)], [s for _, s in expected], rtol=1e-5
        )


def test_greedy_equals_single_beam():
    model = ToyModel(seed=5, length=6, end_bias=0.3)
    prompt = np.array([[1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]])
    mask = np.array([[1, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]])
    greedy = GreedySampler()(model.next, prompt, mask=mask, end_token_id=END)
    # Greedy by hand, in NumPy.
    for row, length in enumerate([1, 2, 1]):
        seq = list(prompt[row, :length])
        while len(seq) < 6 and (len(seq) == length or seq[-1] != END):
            seq.append(int(np.argmax(model.numpy_log_probs(seq))))
        seq += [0] * (6 - len(seq))
        assert greedy[row].numpy().tolist() == seq
    for sampler in (
        BeamSampler(num_beams=1, length_penalty=0.0),
        BeamSampler(num_beams=1, length_penalty=1.0, early_stopping=True),
    ):
        beam = sampler(model.next, prompt, mask=mask, end_token_id=END)
        np.testing.assert_array_equal(beam, greedy)


def test_cache_is_repeated_and_reordered_per_beam():
    model = ToyModel(seed=7, length=6)
    prompt = np.array([[1, 0, 0, 0, 0, 0], [3, 2, 0, 0, 0, 0]], "int32")
    mask = prompt > 0
    # The cache covers the positions before `index - 1`: none here, since
    # generation starts at index 1 and `next` reads the token at index - 1.
    cache = {"sum": tf.zeros((2, VOCAB))}
    sampler = BeamSampler(num_beams=3, return_all_beams=True)
    plain = sampler(model.next, prompt, mask=mask, end_token_id=END)
    cached = sampler(
        model.cached_next, prompt, cache=cache, mask=mask, end_token_id=END
    )
    np.testing.assert_array_equal(plain[0], cached[0])
    np.testing.assert_allclose(plain[1], cached[1], rtol=1e-5)


def _table_next(table):
    """Next-token log-probs from `table[index, previous token]`."""
    log_table = tf.math.log(tf.constant(table, "float32"))

    def next_token(ids, cache, index):
        previous = tf.gather(ids, index - 1, axis=1)
        return tf.gather(log_table[index], previous), cache

    return next_token


def test_early_stopping_hand_checked():
    # Tokens: 0 other, 1 "a", 2 end. At position 1 the end token is the
    # most likely (0.5) but "a" (0.45) is followed by the end with 0.9.
    table = np.full((4, 3, 3), 1 / 3)
    table[1, 0] = [0.05, 0.45, 0.5]
    table[2, 1] = [0.05, 0.05, 0.9]
    next_token = _table_next(table)
    prompt = np.zeros((1, 4), "int32")

    def run(**kwargs):
        sampler = BeamSampler(num_beams=1, return_all_beams=True, **kwargs)
        ids, scores = sampler(next_token, prompt, index=1, end_token_id=2)
        return ids[0, 0].numpy().tolist(), float(scores[0, 0])

    # Stops at the first finished hypothesis: [end], score log(0.5).
    ids, score = run(length_penalty=1.0, early_stopping=True)
    assert ids == [0, 2, 0, 0]
    np.testing.assert_allclose(score, np.log(0.5), rtol=1e-5)
    # Without early stopping, the live beam "a" could still reach
    # log(0.45) / 3 > log(0.5): search goes on and finds "a end",
    # log(0.45 * 0.9) / 2 = -0.452.
    ids, score = run(length_penalty=1.0, early_stopping=False)
    assert ids == [0, 1, 2, 0]
    np.testing.assert_allclose(score, np.log(0.45 * 0.9) / 2, rtol=1e-5)
    # With length_penalty=0 the bound log(0.45) < log(0.5) ends the search.
    ids, score = run(length_penalty=0.0, early_stopping=False)
    assert ids == [0, 2, 0, 0]


def test_jit_compile_gives_the_same_result():
    model = ToyModel(seed=2, length=6, end_bias=0.5)
    prompt = np.array([[1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0]], "int32")
    sampler = BeamSampler(num_beams=3)
    plain = sampler(model.next, prompt, mask=prompt > 0, end_token_id=END)
    compiled = sampler(
        model.next, prompt, mask=prompt > 0, end_token_id=END, jit_compile=True
    )
    np.testing.assert_array_equal(plain, compiled)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"num_beams": 0}, "num_beams=0"),
        ({"num_beams": -2}, "num_beams=-2"),
        ({"num_beams": 2.5}, "num_beams=2.5"),
        ({"length_penalty": "long"}, "length_penalty='long'"),
        ({"early_stopping": "yes"}, "early_stopping='yes'"),
        ({"temperature": 0.0}, "temperature=0.0"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BeamSampler(**kwargs)


def test_bad_call_arguments():
    model = ToyModel()
    with pytest.raises(ValueError, match="Pass `index`"):
        BeamSampler()(model.next, np.zeros((1, 4), "int32"))
    with pytest.raises(ValueError, match="prompt.shape"):
        BeamSampler()(model.next, np.zeros((4,), "int32"), index=1)
    with pytest.raises(TypeError, match="callable"):
        BeamSampler()("model", np.zeros((1, 4), "int32"), index=1)

    def bad_next(ids, cache, index):
        return tf.zeros((1, 4))

    with pytest.raises(ValueError, match=r"\(logits, cache\)"):
        BeamSampler()(bad_next, np.zeros((1, 4), "int32"), index=1)
