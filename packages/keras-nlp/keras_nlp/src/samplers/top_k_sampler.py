# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Top-k sampling: draw the next token among the k most likely."""

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.samplers.sampler import RFC
from keras_nlp.src.samplers.sampler import SeededSampler
from keras_nlp.src.samplers.sampler import check_positive_int


def sample_from_logits(logits, seed):
    """One stateless categorical draw per row; returns int32 `(batch,)`."""
    return tf.cast(
        tf.random.stateless_categorical(logits, 1, seed=seed)[:, 0], tf.int32
    )


@api_export("keras_nlp.samplers.TopKSampler", stability="stable", rfc=RFC)
class TopKSampler(SeededSampler):
    """Top-k sampling: a random draw among the `k` most likely tokens.

    At each step the distribution is cut to the `k` tokens with the highest
    logits, renormalized and sampled. Small `k` gives safe, repetitive
    text; large `k` more varied text. Drawing is stateless per step, so a
    fixed `seed` makes a sequence of calls reproducible, also under XLA.

    Reference:
        [Fan et al., 2018. Hierarchical Neural Story Generation](https://arxiv.org/abs/1805.04833)

    Args:
        k: int >= 1. Number of candidate tokens per step. Defaults to `5`.
        seed: int or None. Seed of the draws. Defaults to `None`.
        temperature: float > 0. Divides the logits before the softmax.
            Defaults to `1.0`.

    Call arguments:
        The same as `keras_nlp.samplers.Sampler`'s.

    Examples:

    >>> import numpy as np
    >>> import keras_nlp
    >>> # Tokens 0 and 1 are the two most likely, for every row and step.
    >>> logits = np.array([5.0, 4.0, -9.0, -9.0], "float32")
    >>> next_token = lambda ids, cache, index: (np.tile(logits, (2, 1)), cache)
    >>> sampler = keras_nlp.samplers.TopKSampler(k=2, seed=1)
    >>> out = sampler(next_token, np.zeros((2, 6), "int32"), index=1).numpy()
    >>> set(out[:, 1:].ravel().tolist()) <= {0, 1}
    True
    """

    def __init__(self, k=5, seed=None, temperature=1.0):
        super().__init__(seed=seed, temperature=temperature)
        self.k = check_positive_int(
            "k", k, "Pass the number of most likely tokens to sample from, e.g. k=5."
        )

    def get_next_token(self, logits, seed):
        k = tf.minimum(self.k, tf.shape(logits)[-1])
        values, indices = tf.math.top_k(logits, k=k, sorted=False)
        choice = sample_from_logits(values, seed)
        return tf.gather(indices, choice, batch_dims=1)

    def get_config(self):
        config = super().get_config()
        config["k"] = self.k
        return config
