# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Greedy decoding: the most likely token at every step."""

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.samplers.sampler import RFC
from keras_nlp.src.samplers.sampler import Sampler


@api_export("keras_nlp.samplers.GreedySampler", stability="stable", rfc=RFC)
class GreedySampler(Sampler):
    """Greedy decoding: always the most likely next token.

    Deterministic and the cheapest decoder; it equals `BeamSampler` with
    `num_beams=1`. The temperature does not change the result.

    Args:
        temperature: float > 0. Accepted for a uniform interface; it does
            not change the most likely token. Defaults to `1.0`.

    Call arguments:
        Those of `keras_nlp.samplers.Sampler`.

    Examples:

    >>> import numpy as np
    >>> import tensorflow as tf
    >>> import keras_nlp
    >>> logits = tf.constant([[0.0, 1.0, 3.0, 2.0]])
    >>> def next_token(ids, cache, index):
    ...     return tf.repeat(logits, tf.shape(ids)[0], axis=0), cache
    >>> sampler = keras_nlp.samplers.GreedySampler()
    >>> sampler(next_token, np.zeros((1, 3), "int32"), index=1).numpy()
    array([[0, 2, 2]], dtype=int32)
    """

    def get_next_token(self, logits, seed):
        return tf.argmax(logits, axis=-1, output_type=tf.int32)
