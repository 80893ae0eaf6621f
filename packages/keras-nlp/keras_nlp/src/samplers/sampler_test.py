# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Greedy, top-k and top-p sampling; the registry and serialization."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_nlp.src.samplers import sampler as sampler_lib
from keras_nlp.src.samplers.beam_sampler import BeamSampler
from keras_nlp.src.samplers.greedy_sampler import GreedySampler
from keras_nlp.src.samplers.top_k_sampler import TopKSampler
from keras_nlp.src.samplers.top_p_sampler import TopPSampler

PROBS = np.array([0.04, 0.4, 0.1, 0.25, 0.06, 0.15])  # sorted: 1, 3, 5, 2, 4, 0


def _fixed_next(probs):
    log_probs = tf.math.log(tf.constant([probs], "float32"))

    def next_token(ids, cache, index):
        return tf.repeat(log_probs, tf.shape(ids)[0], axis=0), cache

    return next_token


def _frequencies(sampler, rows=4000, steps=2):
    prompt = np.zeros((rows, 1 + steps), "int32")
    out = sampler(_fixed_next(PROBS), prompt, index=1).numpy()[:, 1:].ravel()
    return np.bincount(out, minlength=len(PROBS)) / out.size, out.size


def _check_distribution(sampler, support):
    freq, n = _frequencies(sampler)
    expected = np.zeros_like(PROBS)
    expected[support] = PROBS[support] / PROBS[support].sum()
    outside = np.setdiff1d(np.arange(len(PROBS)), support)
    assert freq[outside].sum() == 0, f"sampled outside {support}: {freq}"
    sigma = np.sqrt(expected * (1 - expected) / n)
    np.testing.assert_array_less(np.abs(freq - expected), 5 * sigma + 1e-9)


@pytest.mark.parametrize("k,support", [(1, [1]), (2, [1, 3]), (4, [1, 3, 5, 2])])
def test_top_k_distribution(k, support):
    _check_distribution(TopKSampler(k=k, seed=k), support)


@pytest.mark.parametrize(
    "p,k,support",
    [
        (0.3, None, [1]),  # the most likely token alone already has 0.4
        (0.6, None, [1, 3]),  # 0.4 + 0.25 >= 0.6
        (0.75, None, [1, 3, 5]),  # 0.8 >= 0.75
        (1.0, None, [0, 1, 2, 3, 4, 5]),
        (0.99, 2, [1, 3]),  # k cuts first
    ],
)
def test_top_p_distribution(p, k, support):
    _check_distribution(TopPSampler(p=p, k=k, seed=3), support)


def test_temperature_sharpens():
    # With temperature 0.5 the probabilities become proportional to p ** 2.
    freq, n = _frequencies(TopKSampler(k=6, seed=0, temperature=0.5))
    expected = PROBS**2 / (PROBS**2).sum()
    sigma = np.sqrt(expected * (1 - expected) / n)
    np.testing.assert_array_less(np.abs(freq - expected), 5 * sigma + 1e-9)


def test_seeded_calls_are_reproducible():
    prompt = np.zeros((8, 6), "int32")
    next_token = _fixed_next(PROBS)
    first, second = TopPSampler(p=0.9, seed=7), TopPSampler(p=0.9, seed=7)
    a1, a2 = first(next_token, prompt, index=1), first(next_token, prompt, index=1)
    b1 = second(next_token, prompt, index=1)
    np.testing.assert_array_equal(a1, b1)  # same seed, same sequence of calls
    assert not np.array_equal(a1, a2)  # a second call draws new tokens


def _counting_next():
    """token at i = token at i - 1 + 1 (mod 6), with certainty."""
    table = tf.constant(np.roll(np.eye(6), 1, axis=1) * 20.0, "float32")

    def next_token(ids, cache, index):
        return tf.gather(table, tf.gather(ids, index - 1, axis=1)), cache

    return next_token


@pytest.mark.parametrize(
    "sampler",
    [GreedySampler(), TopKSampler(k=3, seed=1), TopPSampler(p=0.5, seed=1)],
    ids=["greedy", "top_k", "top_p"],
)
def test_end_tokens_and_prompts_of_different_lengths(sampler):
    prompt = np.array(
        [[1, 0, 0, 0, 0, 0, 0], [2, 3, 0, 0, 0, 0, 0], [5, 4, 3, 0, 0, 0, 0]]
    )
    mask = prompt > 0
    out = sampler(_counting_next(), prompt, mask=mask, end_token_id=4, pad_token_id=0)
    # Row 0 counts 2, 3, 4 (end) then pads; row 1 continues after its
    # prompt; row 2's prompt contains the end id, which does not stop it.
    assert out.numpy().tolist() == [
        [1, 2, 3, 4, 0, 0, 0],
        [2, 3, 4, 0, 0, 0, 0],
        [5, 4, 3, 4, 0, 0, 0],
    ]


def test_several_end_tokens_and_no_end():
    prompt = np.array([[0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]])
    greedy = GreedySampler()
    out = greedy(_counting_next(), prompt, index=1, end_token_id=[3, 5])
    assert out.numpy().tolist() == [[0, 1, 2, 3, 0, 0], [2, 3, 0, 0, 0, 0]]
    out = greedy(_counting_next(), prompt, index=1)
    assert out.numpy().tolist() == [[0, 1, 2, 3, 4, 5], [2, 3, 4, 5, 0, 1]]


@pytest.mark.parametrize(
    "cls,kwargs,message",
    [
        (TopKSampler, {"k": 0}, "k=0"),
        (TopKSampler, {"k": -3}, "k=-3"),
        (TopKSampler, {"seed": "x"}, "seed='x'"),
        (TopPSampler, {"p": 0.0}, r"p=0\.0"),
        (TopPSampler, {"p": 1.5}, r"p=1\.5"),
        (TopPSampler, {"p": -0.2}, r"p=-0\.2"),
        (TopPSampler, {"p": 0.5, "k": 0}, "k=0"),
        (GreedySampler, {"temperature": -1.0}, "temperature=-1.0"),
    ],
)
def test_bad_arguments(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_bad_end_token():
    with pytest.raises(ValueError, match="end_token_id"):
        GreedySampler()(_counting_next(), np.zeros((1, 3)), index=1, end_token_id="x")


@pytest.mark.parametrize(
    "sampler",
    [
        GreedySampler(temperature=0.7),
        BeamSampler(num_beams=3, length_penalty=0.6, early_stopping=True),
        TopKSampler(k=7, seed=3),
        TopPSampler(p=0.8, k=20, seed=None),
    ],
)
def test_serialization_round_trip(sampler):
    config = sampler_lib.serialize(sampler)
    assert config["registered_name"] == f"keras_nlp>{type(sampler).__name__}"
    for restored in (
        sampler_lib.get(config),
        keras.saving.deserialize_keras_object(config, safe_mode=True),
        sampler_lib.get(
            {"class_name": type(sampler).__name__, "config": sampler.get_config()}
        ),
    ):
        assert type(restored) is type(sampler)
        assert restored.get_config() == sampler.get_config()


def test_get_by_name():
    assert isinstance(sampler_lib.get("greedy"), GreedySampler)
    assert isinstance(sampler_lib.get("beam"), BeamSampler)
    assert isinstance(sampler_lib.get("top_k"), TopKSampler)
    assert isinstance(sampler_lib.get("TopPSampler"), TopPSampler)
    sampler = TopKSampler(k=2)
    assert sampler_lib.get(sampler) is sampler
    with pytest.raises(ValueError, match="Unknown sampler 'nucleus'"):
        sampler_lib.get("nucleus")
    with pytest.raises(TypeError, match="Received: 3"):
        sampler_lib.get(3)
    with pytest.raises(TypeError, match="Sampler"):
        sampler_lib.serialize("beam")
