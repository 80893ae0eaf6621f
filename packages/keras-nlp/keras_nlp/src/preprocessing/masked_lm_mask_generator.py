# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""On-the-fly masking for masked-language-model pretraining."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.preprocessing._utils import to_ragged_ids
from keras_nlp.src.tokenizers.tokenizer import RFC


def _is_ragged_list(inputs):
    """A Python list of rows of different lengths (ragged in, ragged out)."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        return False
    if not all(isinstance(row, (list, tuple)) for row in inputs):
        return False
    return len({len(row) for row in inputs}) > 1


@api_export(
    "keras_nlp.preprocessing.MaskedLMMaskGenerator", stability="stable", rfc=RFC
)
class MaskedLMMaskGenerator(keras.layers.Layer):
    """Chooses and corrupts tokens for masked-language-model pretraining.

    For every sequence, `round(mask_selection_rate * n)` of its `n`
    selectable tokens (at least one unless the rate is 0, at most
    `mask_selection_length`) are chosen uniformly at random; tokens in `unselectable_token_ids` (padding,
    `[CLS]`, `[SEP]`, ...) are never chosen. Each chosen token is replaced by
    `mask_token_id` with probability `mask_token_rate` (0.8), by a random
    non-special token with probability `random_token_rate` (0.1), and left
    unchanged otherwise, as in BERT. The model must predict the original
    tokens at the chosen positions.

    Masks are drawn from a random generator whose state advances on every
    call, so mapping this layer over a `tf.data.Dataset` gives new masks in
    every epoch (dynamic masking, as in RoBERTa) while a fixed `seed` keeps
    the whole run reproducible.

    Reference: [Devlin et al., 2019](https://arxiv.org/abs/1810.04805),
    [Liu et al., 2019](https://arxiv.org/abs/1907.11692).

    Args:
        vocabulary_size: int. Random replacements are drawn from
            `[0, vocabulary_size)` minus `unselectable_token_ids`.
        mask_selection_rate: float in [0, 1]. Fraction of tokens chosen
            (0 selects nothing, as `mask_selection_length=0` does).
        mask_token_id: int. The `[MASK]` id.
        mask_selection_length: int. Maximum number of chosen tokens per
            sequence; the size of the `mask_positions` output (0 chooses
            nothing).
        unselectable_token_ids: list of int. Never chosen (default `[0]`).
        mask_token_rate: float. Probability of replacing with `[MASK]`.
        random_token_rate: float. Probability of replacing with a random
            token. `mask_token_rate + random_token_rate <= 1`.
        seed: int or None. Seed of the random generator.

    Call arguments:
        inputs: token ids `(batch_size, sequence_length)` (dense or ragged)
            or one sequence `(sequence_length,)`.

    Returns:
        A dict with `token_ids` (the corrupted ids, same shape as the input;
        ragged for a `tf.RaggedTensor` or a list of rows of different
        lengths),
        `mask_positions` `(batch_size, mask_selection_length)` (ascending,
        padded with 0), `mask_ids` (the original ids there, padded with 0)
        and `mask_weights` (1.0 for real predictions, 0.0 for padding).

    Examples:

    >>> masker = keras_nlp.preprocessing.MaskedLMMaskGenerator(
    ...     vocabulary_size=100, mask_selection_rate=0.5, mask_token_id=4,
    ...     mask_selection_length=3, unselectable_token_ids=[0, 2, 3], seed=1)
    >>> out = masker([[2, 10, 11, 12, 13, 3, 0]])
    >>> out["mask_positions"].shape
    TensorShape([1, 3])
    >>> float(out["mask_weights"].numpy().sum())
    2.0
    """

    def __init__(
        self,
        vocabulary_size,
        mask_selection_rate,
        mask_token_id,
        mask_selection_length,
        unselectable_token_ids=(0,),
        mask_token_rate=0.8,
        random_token_rate=0.1,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(vocabulary_size, int) or vocabulary_size < 1:
            raise ValueError(
                f"`vocabulary_size` must be a positive int. Received: {vocabulary_size!r}."
            )
        if (
            isinstance(mask_selection_rate, bool)
            or not isinstance(mask_selection_rate, (int, float))
            or not 0 <= mask_selection_rate <= 1
        ):
            raise ValueError(
                "`mask_selection_rate` must be a number in [0, 1] (0 selects "
                f"nothing). Received: {mask_selection_rate!r}. BERT uses 0.15."
            )
        if not isinstance(mask_selection_length, int) or mask_selection_length < 0:
            raise ValueError(
                "`mask_selection_length` must be an int >= 0 (0 selects "
                f"nothing). Received: {mask_selection_length!r}."
            )
        if not 0 <= mask_token_id < vocabulary_size:
            raise ValueError(
                f"Mask token id should be in [0, vocabulary_size) = [0, "
                f"{vocabulary_size}). Received: mask_token_id={mask_token_id}. "
                "Pass the id of `[MASK]` in your vocabulary."
            )
        if (
            mask_token_rate < 0
            or random_token_rate < 0
            or mask_token_rate + random_token_rate > 1 + 1e-9
        ):
            raise ValueError(
                "`mask_token_rate` and `random_token_rate` must be >= 0 and sum to "
                f"at most 1. Received: {mask_token_rate!r} and {random_token_rate!r}."
            )
        # Config keeps the caller's order; duplicates dropped.
        self._unselectable_order = list(
            dict.fromkeys(int(i) for i in unselectable_token_ids)
        )
        unselectable = sorted(self._unselectable_order)
        allowed = sorted(set(range(vocabulary_size)) - set(unselectable))
        if not allowed:
            raise ValueError(
                "Every id is in `unselectable_token_ids`; there is nothing to "
                "mask or to draw random replacements from."
            )
        self.vocabulary_size = vocabulary_size
        self.mask_selection_rate = float(mask_selection_rate)
        self.mask_token_id = int(mask_token_id)
        self.mask_selection_length = mask_selection_length
        self.unselectable_token_ids = unselectable
        self.mask_token_rate = float(mask_token_rate)
        self.random_token_rate = float(random_token_rate)
        self.seed = seed
        with tf.init_scope():
            if seed is None:
                generator = tf.random.Generator.from_non_deterministic_state()
            else:
                generator = tf.random.Generator.from_seed(seed)
            self._allowed_ids = tf.constant(allowed, tf.int32)
            self._unselectable = tf.constant(unselectable or [-1], tf.int32)
        # Kept out of Keras' weight tracking: the state is not a model weight.
        object.__setattr__(self, "_generator", generator)
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    def call(self, inputs):
        ragged, unbatched = to_ragged_ids(inputs)
        was_ragged = isinstance(inputs, tf.RaggedTensor) or (_is_ragged_list(inputs))
        input_dtype = ragged.dtype
        ragged = tf.cast(ragged, tf.int32)
        ids = ragged.to_tensor(default_value=-1)
        valid = ragged.with_flat_values(
            tf.ones_like(ragged.flat_values, tf.bool)
        ).to_tensor(default_value=False)
        special = tf.reduce_any(
            tf.equal(ids[..., tf.newaxis], self._unselectable), axis=-1
        )
        selectable = tf.logical_and(valid, tf.logical_not(special))
        shape = tf.shape(ids)
        length = shape[1]

        # How many to choose per row: round(rate * n), at least 1 (none for
        # a rate of 0), capped.
        n = tf.reduce_sum(tf.cast(selectable, tf.float32), axis=1)
        count = tf.cast(tf.round(n * self.mask_selection_rate), tf.int32)
        at_least = min(1, self.mask_selection_length) if self.mask_selection_rate else 0
        count = tf.minimum(tf.maximum(count, at_least), self.mask_selection_length)
        count = tf.minimum(count, tf.cast(n, tf.int32))
        # Choose the `count` selectable positions with the smallest scores.
        scores = self._generator.uniform(shape, dtype=tf.float32)
        scores = tf.where(selectable, scores, 2.0)
        k = tf.minimum(self.mask_selection_length, length)
        _, order = tf.math.top_k(-scores, k=k)
        rank = tf.range(k)[tf.newaxis, :]
        chosen = rank < count[:, tf.newaxis]
        # Positions in ascending order, padding (big sentinel) last.
        positions = tf.where(chosen, order, length + 1)
        positions = tf.sort(positions, axis=1)
        chosen = positions <= length
        positions = tf.where(chosen, positions, 0)
        pad = self.mask_selection_length - k
        positions = tf.pad(positions, [[0, 0], [0, pad]])
        chosen = tf.pad(chosen, [[0, 0], [0, pad]])
        original = tf.gather(ids, positions, batch_dims=1)
        original = tf.where(chosen, original, 0)

        # 80% [MASK], 10% random token, 10% unchanged.
        draw = self._generator.uniform(tf.shape(positions), dtype=tf.float32)
        random_index = self._generator.uniform(
            tf.shape(positions), maxval=tf.size(self._allowed_ids), dtype=tf.int32
        )
        random_ids = tf.gather(self._allowed_ids, random_index)
        replacement = tf.where(
            draw < self.mask_token_rate,
            self.mask_token_id,
            tf.where(
                draw < self.mask_token_rate + self.random_token_rate,
                random_ids,
                original,
            ),
        )
        batch_index = tf.broadcast_to(
            tf.range(shape[0])[:, tf.newaxis], tf.shape(positions)
        )
        scatter_index = tf.stack([batch_index, positions], axis=-1)
        scatter_index = tf.boolean_mask(scatter_index, chosen)
        corrupted = tf.tensor_scatter_nd_update(
            ids, scatter_index, tf.boolean_mask(replacement, chosen)
        )
        if was_ragged:
            corrupted = tf.RaggedTensor.from_tensor(
                corrupted, lengths=ragged.row_lengths()
            )
        else:
            corrupted = tf.where(valid, corrupted, ids)
        outputs = {
            "token_ids": tf.cast(corrupted, input_dtype),
            "mask_positions": positions,
            "mask_ids": tf.cast(original, input_dtype),
            "mask_weights": tf.cast(chosen, tf.float32),
        }
        if unbatched:
            outputs = {key: value[0] for key, value in outputs.items()}
        return outputs

    def compute_output_spec(self, inputs):
        batch = tuple(inputs.shape[:-1])
        masked = batch + (self.mask_selection_length,)
        return {
            "token_ids": keras.KerasTensor(inputs.shape, dtype=inputs.dtype),
            "mask_positions": keras.KerasTensor(masked, dtype="int32"),
            "mask_ids": keras.KerasTensor(masked, dtype=inputs.dtype),
            "mask_weights": keras.KerasTensor(masked, dtype="float32"),
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "vocabulary_size": self.vocabulary_size,
                "mask_selection_rate": self.mask_selection_rate,
                "mask_token_id": self.mask_token_id,
                "mask_selection_length": self.mask_selection_length,
                "unselectable_token_ids": list(self._unselectable_order),
                "mask_token_rate": self.mask_token_rate,
                "random_token_rate": self.random_token_rate,
                "seed": self.seed,
            }
        )
        return config
