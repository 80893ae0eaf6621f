# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Balanced random sampling of positive and negative anchors or proposals."""

import keras
import tensorflow as tf

from keras_core import api_export

RFC = "20261122-keras-cv-two-stage-detection"


def check_int(value, name, minimum):
    """Returns `value` as an int, or raises a ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(
            f"`{name}` must be an int >= {minimum}. Received: {name}={value!r}."
        )
    return int(value)


@api_export("keras_cv.layers.ProposalSampler", stability="stable", rfc=RFC)
class ProposalSampler(keras.layers.Layer):
    """Picks a fixed-size, balanced set of positive and negative candidates.

    Two-stage detectors train their region proposal network and their
    region head on a small sample of anchors or proposals instead of all of
    them, so that the many easy background candidates do not swamp the few
    objects. Given the match indicators of `BoxMatcher` (positive, negative
    or ignored for each candidate), this layer returns the indices of at
    most `batch_size` candidates per image: up to
    `floor(positive_fraction * batch_size)` positives chosen at random, then
    random negatives to fill the rest. Ignored candidates (any other
    indicator value) are never chosen. Chosen positives come first; when an
    image has too few candidates, the remaining slots hold -1.

    Randomness: with `training=True` every call draws new samples from the
    layer's seed generator (a fixed `seed` makes the sequence of draws
    reproducible). Otherwise the draw depends only on `seed` and the input,
    so that evaluation is repeatable.

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497), section 3.1.3.

    Args:
        positive_fraction: the largest share of positives in a sample, in
            [0, 1]; 0.5 gives up to one positive per negative.
        batch_size: the number of candidates sampled per image.
        positive_indicator: the indicator value of positive candidates.
        negative_indicator: the indicator value of negative candidates.
        seed: an int seed, or `None` for a random one.

    Call arguments:
        matched_indicators: int tensor `[N]` or `[B, N]`.
        training: whether to draw fresh samples (see above).

    Input shape:
        `[N]` or `[B, N]`.

    Output shape:
        `[batch_size]` or `[B, batch_size]` int32 indices into the `N` axis,
        padded with -1.

    Examples:

    >>> sampler = keras_cv.layers.ProposalSampler(positive_fraction=0.5, batch_size=4, seed=1)
    >>> indices = sampler([1, -1, -2, -1, 1, 1, 1]).numpy().tolist()
    >>> all(i in (0, 4, 5, 6) for i in indices[:2])  # two of the four positives first
    True
    >>> sorted(indices[2:])  # then the two negatives; the ignored index 2 never
    [1, 3]
    """

    def __init__(
        self,
        positive_fraction,
        batch_size,
        positive_indicator=1,
        negative_indicator=-1,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._allow_non_tensor_positional_args = True
        if isinstance(positive_fraction, bool) or not isinstance(
            positive_fraction, (int, float)
        ):
            raise TypeError(
                "`positive_fraction` must be a number in [0, 1]. Received: "
                f"positive_fraction={positive_fraction!r} of type {type(positive_fraction).__name__}."
            )
        if not 0.0 <= float(positive_fraction) <= 1.0:
            raise ValueError(
                "`positive_fraction` must be in [0, 1] (the largest share of "
                "positives in each sample, e.g. 0.25 or 0.5). Received: "
                f"positive_fraction={positive_fraction!r}."
            )
        self.positive_fraction = float(positive_fraction)
        self.batch_size = check_int(batch_size, "batch_size", 1)
        self.positive_indicator = int(positive_indicator)
        self.negative_indicator = int(negative_indicator)
        if self.positive_indicator == self.negative_indicator:
            raise ValueError(
                "`positive_indicator` and `negative_indicator` must differ. "
                f"Received both equal to {self.positive_indicator}."
            )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._fixed_seed = [0 if seed is None else int(seed), 7]
        self.max_positives = int(self.positive_fraction * self.batch_size + 1e-6)

    def _random_keys(self, shape, training):
        if training:
            seed = self.seed_generator.next()
            seed = tf.cast(tf.convert_to_tensor(seed), "int32")
        else:
            seed = tf.constant(self._fixed_seed, "int32")
        return tf.random.stateless_uniform(shape, seed=seed)

    def call(self, matched_indicators, training=None):
        indicators = tf.convert_to_tensor(matched_indicators)
        if indicators.dtype.is_floating or indicators.dtype == tf.bool:
            raise TypeError(
                "`matched_indicators` must be an int tensor (the indicators "
                f"of `BoxMatcher`). Received dtype {indicators.dtype.name}."
            )
        indicators = tf.cast(indicators, "int32")
        if indicators.shape.rank not in (1, 2):
            raise ValueError(
                "`matched_indicators` must be [N] or [B, N]. Received shape "
                f"{tuple(indicators.shape)}."
            )
        batched = indicators.shape.rank == 2
        if not batched:
            indicators = indicators[None]
        size = self.batch_size
        # Room for `size` picks even when N < size.
        num = tf.shape(indicators)[1]
        pad = tf.maximum(size - num, 0)
        indicators = tf.pad(indicators, [[0, 0], [0, pad]], constant_values=-(2**30))
        keys = self._random_keys(tf.shape(indicators), bool(training))
        positive = tf.equal(indicators, self.positive_indicator)
        negative = tf.equal(indicators, self.negative_indicator)
        num_pos = tf.minimum(
            tf.reduce_sum(tf.cast(positive, "int32"), 1), self.max_positives
        )
        num_neg = tf.minimum(
            tf.reduce_sum(tf.cast(negative, "int32"), 1), size - num_pos
        )
        # Random order within each group; candidates outside it sort last.
        _, pos_order = tf.math.top_k(tf.where(positive, keys, -1.0), k=size)
        _, neg_order = tf.math.top_k(tf.where(negative, keys, -1.0), k=size)
        slots = tf.range(size)[None, :]
        from_neg = tf.maximum(slots - num_pos[:, None], 0)
        picked = tf.where(
            slots < num_pos[:, None],
            pos_order,
            tf.gather(neg_order, from_neg, batch_dims=1),
        )
        valid = slots < (num_pos + num_neg)[:, None]
        picked = tf.where(valid, picked, -1)
        return picked if batched else picked[0]

    def compute_output_spec(self, matched_indicators, training=None):
        shape = tuple(matched_indicators.shape[:-1]) + (self.batch_size,)
        return keras.KerasTensor(shape, dtype="int32")

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "positive_fraction": self.positive_fraction,
                "batch_size": self.batch_size,
                "positive_indicator": self.positive_indicator,
                "negative_indicator": self.negative_indicator,
                "seed": self.seed,
            }
        )
        return config
