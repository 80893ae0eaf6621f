# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import tensorflow as tf

import keras_nlp
from keras_core.testing import TestCase


class LegacyPreprocessingLayersTest(TestCase):
    def test_each_warns_and_names_the_new_location(self):
        cases = [
            ("MultiSegmentPacker", dict(sequence_length=5, start_value=1, end_value=2)),
            ("StartEndPacker", dict(sequence_length=5, start_value=1)),
            (
                "MaskedLMMaskGenerator",
                dict(
                    vocabulary_size=20,
                    mask_selection_rate=0.5,
                    mask_token_id=3,
                    mask_selection_length=2,
                ),
            ),
        ]
        for name, kwargs in cases:
            with self.assertWarnsRegex(
                DeprecationWarning, f"keras_nlp.preprocessing.{name}"
            ):
                layer = getattr(keras_nlp.layers, name)(**kwargs)
            self.assertIsInstance(layer, getattr(keras_nlp.preprocessing, name))

    def test_multi_segment_packer_returns_a_tuple(self):
        with self.assertWarns(DeprecationWarning):
            old = keras_nlp.layers.MultiSegmentPacker(
                7, start_value="[CLS]", end_value="[SEP]", pad_value="[PAD]"
            )
        new = keras_nlp.preprocessing.MultiSegmentPacker(
            7, start_value="[CLS]", end_value="[SEP]", pad_value="[PAD]"
        )
        pair = ([["how", "are", "you"]], [["fine"]])
        token_ids, segment_ids = old(pair)
        expected = new(pair)
        self.assertEqual(
            token_ids.numpy().astype(str).tolist(),
            [["[CLS]", "how", "are", "you", "[SEP]", "fine", "[SEP]"]],
        )
        self.assertAllEqual(token_ids, expected["token_ids"])
        self.assertAllEqual(segment_ids, expected["segment_ids"])

    def test_saved_models_keep_their_own_class(self, tmp_path=None):
        # Both packers in one .keras file: each revives as what was saved.
        with self.assertWarns(DeprecationWarning):
            old = keras_nlp.layers.MultiSegmentPacker(6, start_value=1, end_value=2)
        new = keras_nlp.preprocessing.MultiSegmentPacker(6, start_value=1, end_value=2)
        inputs = keras.Input(shape=(3,), dtype="int32")
        old_ids, _ = old(inputs)
        outputs = {"old": old_ids, "new": new(inputs)["token_ids"]}
        model = keras.Model(inputs, outputs)
        path = os.path.join(self.get_temp_dir(), "packers.keras")
        model.save(path)
        with self.assertWarns(DeprecationWarning):
            revived = keras.models.load_model(path)
        x = np.array([[5, 6, 7]], "int32")
        out = revived(tf.constant(x))
        self.assertEqual(out["old"].numpy().tolist(), [[1, 5, 6, 7, 2, 0]])
        self.assertEqual(out["new"].numpy().tolist(), [[1, 5, 6, 7, 2, 0]])
        kinds = sorted(type(layer).__module__ for layer in revived.layers[1:])
        self.assertIn("keras_nlp.src.layers.legacy_preprocessing", kinds)
        self.assertIn("keras_nlp.src.preprocessing.multi_segment_packer", kinds)
