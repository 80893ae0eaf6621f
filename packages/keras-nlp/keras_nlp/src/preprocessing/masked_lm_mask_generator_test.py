# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.preprocessing.masked_lm_mask_generator import MaskedLMMaskGenerator

SPECIAL = [0, 1, 2, 3]  # pad, cls, sep, mask


def _batch(rows=64, length=40, seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(10, 200, size=(rows, length)).astype("int32")
    ids[:, 0] = 1
    lengths = rng.integers(5, length, size=rows)
    for r, n in enumerate(lengths):
        ids[r, n - 1] = 2
        ids[r, n:] = 0
    return ids, lengths


class MaskedLMMaskGeneratorTest(TestCase):
    def _masker(self, **kwargs):
        args = dict(
            vocabulary_size=200,
            mask_selection_rate=0.15,
            mask_token_id=3,
            mask_selection_length=8,
            unselectable_token_ids=SPECIAL,
            seed=5,
        )
        args.update(kwargs)
        return MaskedLMMaskGenerator(**args)

    def test_counts_positions_and_never_special(self):
        ids, lengths = _batch()
        out = self._masker()(ids)
        positions = out["mask_positions"].numpy()
        weights = out["mask_weights"].numpy()
        mask_ids = out["mask_ids"].numpy()
        corrupted = out["token_ids"].numpy()
        for r, n in enumerate(lengths):
            selectable = n - 2
            want = min(8, max(1, round(0.15 * selectable)))
            self.assertEqual(int(weights[r].sum()), want)
            chosen = positions[r][weights[r] > 0]
            # Ascending, distinct, inside the real tokens, never special.
            self.assertEqual(chosen.tolist(), sorted(set(chosen.tolist())))
            self.assertTrue(np.all((chosen >= 1) & (chosen <= n - 2)))
            self.assertEqual(
                mask_ids[r][weights[r] > 0].tolist(), ids[r][chosen].tolist()
            )
            self.assertTrue(np.all(positions[r][weights[r] == 0] == 0))
            # Only chosen positions change; specials and padding never do.
            unchanged = np.ones(ids.shape[1], bool)
            unchanged[chosen] = False
            self.assertEqual(
                corrupted[r][unchanged].tolist(), ids[r][unchanged].tolist()
            )

    def test_80_10_10_split(self):
        ids = np.tile(np.arange(10, 110, dtype="int32"), (200, 1))
        masker = self._masker(mask_selection_rate=0.2, mask_selection_length=20)
        out = masker(ids)
        chosen = out["mask_weights"].numpy() > 0
        new = np.take_along_axis(
            out["token_ids"].numpy(), out["mask_positions"].numpy(), 1
        )[chosen]
        old = out["mask_ids"].numpy()[chosen]
        total = chosen.sum()
        self.assertEqual(total, 200 * 20)
        masked = np.mean(new == 3)
        kept = np.mean(new == old)
        randomized = 1 - masked - kept
        # 4000 draws: binomial standard deviation < 0.007.
        self.assertAllClose(masked, 0.8, atol=0.03)
        self.assertAllClose(kept, 0.1 + 0.1 * 0.01, atol=0.03)
        self.assertAllClose(randomized, 0.1, atol=0.03)
        # Random replacements are never special tokens.
        self.assertFalse(np.isin(new[(new != 3) & (new != old)], SPECIAL).any())

    def test_fresh_masks_every_epoch_and_reproducible(self):
        ids, _ = _batch(rows=8)

        def run():
            masker = self._masker()
            ds = tf.data.Dataset.from_tensor_slices(ids).batch(4).map(masker)
            return [
                np.concatenate([b["mask_positions"].numpy() for b in ds])
                for _ in range(2)
            ]

        first, second = run()
        self.assertFalse(np.array_equal(first, second))
        again = run()
        self.assertAllEqual(again[0], first)
        self.assertAllEqual(again[1], second)

    def test_ragged_and_unbatched(self):
        masker = self._masker(mask_selection_rate=0.5, mask_selection_length=2)
        out = masker(tf.ragged.constant([[1, 50, 60, 2], [1, 70, 2]]))
        self.assertIsInstance(out["token_ids"], tf.RaggedTensor)
        self.assertEqual(out["token_ids"].row_lengths().numpy().tolist(), [4, 3])
        self.assertEqual(out["mask_weights"].numpy().sum(axis=1).tolist(), [1, 1])
        single = masker(np.array([1, 50, 60, 70, 2, 0], "int32"))
        self.assertEqual(single["mask_positions"].shape, (2,))

    def test_config_and_serialization(self):
        masker = self._masker()
        config = masker.get_config()
        revived = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(masker), safe_mode=True
        )
        self.assertEqual(revived.get_config(), config)
        self.assertEqual(masker.weights, [])

    def test_bad_arguments(self):
        for rate in (-0.1, 1.5, "0.2", True):
            with self.assertRaisesRegex(ValueError, r"mask_selection_rate.*\[0, 1\]"):
                self._masker(mask_selection_rate=rate)
        with self.assertRaisesRegex(ValueError, "sum to"):
            self._masker(mask_token_rate=0.9, random_token_rate=0.2)
        with self.assertRaisesRegex(ValueError, "mask_token_id"):
            self._masker(mask_token_id=500)
        with self.assertRaisesRegex(TypeError, "integer token ids"):
            self._masker()(np.array([["a"]]))

    def test_zero_selection_rate_selects_nothing(self):
        # keras-nlp 0.15 accepts a rate of 0 (no masking), as we accept
        # `mask_selection_length=0`.
        ids = np.array([[2, 9, 10, 11, 3, 0]])
        out = self._masker(mask_selection_rate=0.0, mask_selection_length=3)(ids)
        self.assertAllEqual(out["token_ids"], ids)
        self.assertAllEqual(out["mask_positions"], [[0, 0, 0]])
        self.assertAllEqual(out["mask_weights"], [[0.0, 0.0, 0.0]])

    def test_python_rows_of_different_lengths_stay_ragged(self):
        masker = self._masker(
            mask_selection_rate=1.0,
            mask_selection_length=3,
            mask_token_rate=1.0,
            random_token_rate=0.0,
        )
        out = masker([[1, 40, 41, 2], [1, 42, 2]])
        self.assertIsInstance(out["token_ids"], tf.RaggedTensor)
        self.assertEqual(out["token_ids"].to_list(), [[1, 3, 3, 2], [1, 3, 2]])
        self.assertEqual(out["mask_positions"].numpy().tolist(), [[1, 2, 0], [1, 0, 0]])
        # Rows of one length give a dense tensor, as before.
        dense = masker([[1, 40, 2], [1, 41, 2]])
        self.assertIsInstance(dense["token_ids"], tf.Tensor)

    def test_selection_length_zero_masks_nothing(self):
        ids, _ = _batch(rows=4, length=12)
        out = self._masker(mask_selection_length=0)(ids)
        self.assertEqual(out["mask_positions"].shape, (4, 0))
        self.assertAllEqual(out["token_ids"], ids)
        with self.assertRaisesRegex(ValueError, ">= 0"):
            self._masker(mask_selection_length=-1)

    def test_config_keeps_unselectable_order(self):
        masker = self._masker(unselectable_token_ids=[9, 4, 9, 0])
        self.assertEqual(masker.get_config()["unselectable_token_ids"], [9, 4, 0])
        with self.assertRaisesRegex(
            ValueError, r"Mask token id.*Received: mask_token_id=200"
        ):
            self._masker(mask_token_id=200)
