# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Nucleus (top-p) sampling."""

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.samplers.sampler import RFC
from keras_nlp.src.samplers.sampler import SeededSampler
from keras_nlp.src.samplers.sampler import check_positive_int
from keras_nlp.src.samplers.top_k_sampler import sample_from_logits


@api_export("keras_nlp.samplers.TopPSampler", stability="stable", rfc=RFC)
class TopPSampler(SeededSampler):
    """Nucleus sampling: a random draw from the smallest likely set of mass `p`.

    At each step the tokens are sorted by probability and the shortest
    prefix whose total probability reaches `p` (the "nucleus") is kept;
    the draw is made from it after renormalizing. Unlike top-k the number
    of candidates adapts: few when the model is confident, many when it is
    not. The most likely token is always in the nucleus.

    Reference:
        [Holtzman et al., 2020. The Curious Case of Neural Text Degeneration](https://arxiv.org/abs/1904.09751)

    Args:
        p: float in (0, 1]. Probability mass of the nucleus. `1.0` samples
            from the full distribution. Defaults to `0.9`.
        k: int or None. When set, only the `k` most likely tokens are
            considered first (a cheaper sort for large vocabularies; the
            nucleus is then cut from them). Defaults to `None`.
        seed: int or None. Seed of the draws. Defaults to `None`.
        temperature: float > 0. Divides the logits before the softmax.
            Defaults to `1.0`.

    Call arguments:
        As for `keras_nlp.samplers.Sampler`: the next-token function, the
        prompt buffer, and optionally the cache, start index, prompt mask,
        end and padding ids and `jit_compile`.

    Examples:

    >>> import numpy as np
    >>> import tensorflow as tf
    >>> import keras_nlp
    >>> probs = tf.constant([[0.5, 0.3, 0.15, 0.05]])
    >>> def next_token(ids, cache, index):
    ...     return tf.repeat(tf.math.log(probs), tf.shape(ids)[0], axis=0), cache
    >>> sampler = keras_nlp.samplers.TopPSampler(p=0.7, seed=1)
    >>> out = sampler(next_token, np.zeros((4, 5), "int32"), index=1).numpy()
    >>> set(out[:, 1:].ravel().tolist()) <= {0, 1}
    True
    """

    def __init__(self, p=0.9, k=None, seed=None, temperature=1.0):
        super().__init__(seed=seed, temperature=temperature)
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 < p <= 1.0:
            raise ValueError(
                "`p` must be a probability in (0, 1]: the mass of the most "
                f"likely tokens to sample from. Received: p={p!r}. Use e.g. "
                "p=0.9; p=1.0 samples from the whole distribution."
            )
        self.p = float(p)
        self.k = (
            None
            if k is None
            else check_positive_int(
                "k", k, "Pass None to consider all tokens, or e.g. k=50."
            )
        )

    def get_next_token(self, logits, seed):
        vocab = tf.shape(logits)[-1]
        k = vocab if self.k is None else tf.minimum(self.k, vocab)
        values, indices = tf.math.top_k(logits, k=k, sorted=True)
        probs = tf.nn.softmax(values, axis=-1)
        # Keep a token when the mass before it is below p: the smallest
        # prefix reaching p, always including the most likely token.
        before = tf.cumsum(probs, axis=-1, exclusive=True)
        keep = before < self.p
        values = tf.where(keep, values, tf.fill(tf.shape(values), -1e9))
        choice = sample_from_logits(values, seed)
        return tf.gather(indices, choice, batch_dims=1)

    def get_config(self):
        config = super().get_config()
        config.update({"p": self.p, "k": self.k})
        return config
