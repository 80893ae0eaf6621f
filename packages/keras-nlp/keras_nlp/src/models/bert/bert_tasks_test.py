# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BertPreprocessor, BertClassifier and BertMaskedLM end to end on raw text."""

import json
import os
import subprocess
import sys
import warnings
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_core import presets
from keras_core.testing import TestCase
from keras_nlp.src.models.bert.bert_classifier import BertClassifier
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_masked_lm import BertMaskedLM
from keras_nlp.src.models.bert.bert_masked_lm import BertMaskedLMPreprocessor
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.bert.bert_span_labeler import BertSpanLabeler
from keras_nlp.src.models.bert.bert_token_classifier import BertTokenClassifier
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "a",
    "good",
    "bad",
    "film",
    "great",
    "awful",
    "plot",
    "was",
    "the",
    "!",
]
TEXTS = [
    "a good film",
    "the plot was awful",
    "great film !",
    "a bad plot",
    "good good film",
    "awful awful",
    "the film was great",
    "bad film",
]
LABELS = [1, 0, 1, 0, 1, 0, 1, 0]


def _encoder():
    return BertEncoder(
        vocab_size=len(VOCAB),
        hidden_size=16,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=32,
        max_sequence_length=12,
        type_vocab_size=2,
        output_dropout=0.0,
        attention_dropout=0.0,
    )


def _classifier():
    preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=12)
    return BertClassifier(_encoder(), num_classes=2, preprocessor=preprocessor)


class BertPreprocessorTest(TestCase):
    def test_single_and_pairs_hand_computed(self):
        preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=8)
        x = preprocessor(["a good film"])
        self.assertEqual(x["input_ids"].numpy().tolist(), [[2, 5, 6, 8, 3, 0, 0, 0]])
        self.assertEqual(x["input_mask"].numpy().tolist(), [[1, 1, 1, 1, 1, 0, 0, 0]])
        x, y = preprocessor((["a good film"], ["bad plot"]), tf.constant([1]))
        self.assertEqual(x["input_ids"].numpy().tolist(), [[2, 5, 6, 8, 3, 7, 11, 3]])
        self.assertEqual(
            x["input_type_ids"].numpy().tolist(), [[0, 0, 0, 0, 0, 1, 1, 1]]
        )
        self.assertEqual(y.numpy().tolist(), [1])

    def test_config_round_trip_and_tf_data(self):
        preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=8)
        revived = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(preprocessor), safe_mode=True
        )
        self.assertEqual(revived.get_config(), preprocessor.get_config())
        ds = (
            tf.data.Dataset.from_tensor_slices((TEXTS, LABELS))
            .batch(4)
            .map(preprocessor)
        )
        x, y = next(iter(ds))
        self.assertAllEqual(x["input_ids"], preprocessor(TEXTS[:4])["input_ids"])

    def test_bad_vocabulary(self):
        with self.assertRaisesRegex(ValueError, r"lacks \['\[CLS\]', '\[SEP\]'\]"):
            BertPreprocessor(WordPieceTokenizer(["[PAD]", "[UNK]", "a"]))


class BertClassifierTest(TestCase):
    # Over 20 s (fit, .keras, preset and SavedModel export, each traced anew);
    # the default suite keeps test_model_harness_on_encoder_inputs (.keras and
    # preset round trips) and the docstring example (fit and predict).
    @pytest.mark.large
    def test_fit_predict_evaluate_save_preset_export(self):
        classifier = _classifier()
        # Compiled with defaults at construction.
        self.assertIsInstance(classifier.optimizer, keras.optimizers.AdamW)
        classifier.compile(
            optimizer=keras.optimizers.Adam(3e-3),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        kernel = classifier.get_layer("logits").kernel.numpy()
        history = classifier.fit(TEXTS, LABELS, epochs=2, batch_size=4, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"]).all())
        # Raw strings reached the model: the head was trained.
        self.assertGreater(
            np.abs(classifier.get_layer("logits").kernel.numpy() - kernel).max(), 1e-4
        )
        expected = classifier.predict(TEXTS, verbose=0)
        self.assertEqual(expected.shape, (8, 2))
        # The same through a dataset of (string, label) pairs, unbatched.
        ds = tf.data.Dataset.from_tensor_slices((TEXTS, LABELS))
        _, accuracy = classifier.evaluate(ds, verbose=0)
        self.assertAllClose(accuracy, np.mean(expected.argmax(-1) == np.array(LABELS)))
        pair_logits = classifier.predict((TEXTS[:2], TEXTS[2:4]), verbose=0)
        self.assertEqual(pair_logits.shape, (2, 2))

        directory = self.get_temp_dir()
        path = os.path.join(directory, "classifier.keras")
        classifier.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored.predict(TEXTS, verbose=0), expected)

        preset = os.path.join(directory, "preset")
        classifier.save_to_preset(preset)
        from_preset = BertClassifier.from_preset(preset)
        self.assertIsInstance(from_preset, BertClassifier)
        self.assertAllClose(from_preset.predict(TEXTS, verbose=0), expected)

        served = os.path.join(directory, "served")
        classifier.export(served)
        loaded = tf.saved_model.load(served)
        logits = loaded.signatures["serving_default"](text=tf.constant(TEXTS))["logits"]
        self.assertAllClose(logits, expected, atol=1e-5)

    @pytest.mark.large  # a fresh interpreter imports TensorFlow (~20 s under load)
    def test_exported_savedmodel_needs_tensorflow_text_and_not_keras_nlp(self):
        # What the guides say: loading the SavedModel needs TensorFlow Text's
        # ops registered (`import tensorflow_text`), and nothing of ours.
        classifier = _classifier()
        served = os.path.join(self.get_temp_dir(), "served")
        classifier.export(served)
        expected = classifier.predict(TEXTS[:2], verbose=0)
        script = (
            "import json, sys\n"
            "import tensorflow as tf\n"
            "try:\n"
            "    tf.saved_model.load(sys.argv[1])\n"
            "    without = 'loaded'\n"
            "except Exception as error:\n"
            "    without = f'{type(error).__name__}: {error}'\n"
            "import tensorflow_text  # registers the tokenizer ops\n"
            "loaded = tf.saved_model.load(sys.argv[1])\n"
            "logits = loaded.signatures['serving_default'](\n"
            "    text=tf.constant(json.loads(sys.argv[2])))['logits']\n"
            "ours = sorted(m for m in sys.modules if m.startswith('keras_'))\n"
            "print('RESULT ' + json.dumps([without, logits.numpy().tolist(), ours]))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, served, json.dumps(TEXTS[:2])],
            capture_output=True,
            text=True,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
            timeout=600,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        line = [x for x in result.stdout.splitlines() if x.startswith("RESULT ")][-1]
        without, logits, ours = json.loads(line[len("RESULT ") :])
        self.assertIn("Op type not registered", without)
        # One of TensorFlow Text's tokenizer ops (which one is met first varies).
        self.assertRegex(without, r"'(RegexSplit|Wordpiece|Normalize)\w*'")
        self.assertAllClose(np.array(logits), expected, atol=1e-5)
        self.assertEqual(ours, [])

    @pytest.mark.large  # default-suite time budget
    def test_sentence_pairs_with_segment_ids(self):
        # Entailment-style (premise, hypothesis) pairs, as load_glue yields.
        premises = ["the film was great", "a bad plot", "good film", "awful"]
        hypotheses = ["a good film", "the plot was great", "a film", "great"]
        labels = [1, 0, 1, 0]
        classifier = _classifier()
        ds = tf.data.Dataset.from_tensor_slices(((premises, hypotheses), labels))
        x, y = next(iter(ds.batch(4).map(classifier.preprocessor)))
        # [CLS] the film was great [SEP] a good film [SEP] [PAD]...
        self.assertEqual(
            x["input_ids"].numpy()[0].tolist(), [2, 13, 8, 12, 9, 3, 5, 6, 8, 3, 0, 0]
        )
        self.assertEqual(
            x["input_type_ids"].numpy()[0].tolist(),
            [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0],
        )
        # round_robin truncation to 12 keeps the two segments balanced.
        long_x = classifier.preprocessor((["a " * 9], ["film " * 9]))
        self.assertEqual(
            long_x["input_type_ids"].numpy()[0].tolist(), [0] * 7 + [1] * 5
        )
        history = classifier.fit(ds, epochs=1, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"]).all())
        # Segment ids reach the encoder: swapping the segments, or flipping
        # the segment ids, changes the logits.
        preprocessor = classifier.preprocessor
        forward = np.asarray(classifier(preprocessor((premises, hypotheses))))
        swapped = np.asarray(classifier(preprocessor((hypotheses, premises))))
        self.assertEqual(forward.shape, (4, 2))
        self.assertGreater(np.abs(forward - swapped).max(), 1e-6)
        inputs = preprocessor((premises, hypotheses))
        flipped = dict(inputs, input_type_ids=1 - inputs["input_type_ids"])
        self.assertGreater(
            np.abs(forward - np.asarray(classifier(flipped))).max(), 1e-6
        )

    def test_vocabulary_is_an_asset_of_keras_files_and_presets(self):
        classifier = _classifier()
        x = classifier.preprocessor(TEXTS)
        expected = classifier(x)
        path = os.path.join(self.get_temp_dir(), "asset_classifier.keras")
        classifier.save(path)
        with zipfile.ZipFile(path) as archive:
            config_text = archive.read("config.json").decode()
            vocab_files = [
                n for n in archive.namelist() if n.endswith("/vocabulary.txt")
            ]
        self.assertLen(vocab_files, 1)
        preset = os.path.join(self.get_temp_dir(), "asset_preset")
        classifier.save_to_preset(preset)
        with open(os.path.join(preset, "config.json")) as f:
            preset_config = f.read()
        vocab_path = [
            os.path.join(root, name)
            for root, _, names in os.walk(os.path.join(preset, "assets"))
            for name in names
        ]
        self.assertLen(vocab_path, 1)
        with open(vocab_path[0], encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines(), VOCAB)
        for text in (config_text, preset_config):
            self.assertNotIn('"awful"', text)
            self.assertNotIn('"plot"', text)
        for restored in (
            keras.saving.load_model(path, safe_mode=True),
            BertClassifier.from_preset(preset),
        ):
            restored_x = restored.preprocessor(TEXTS)
            self.assertAllEqual(restored_x["input_ids"], x["input_ids"])
            self.assertAllClose(restored(restored_x), expected)

    def test_model_harness_on_encoder_inputs(self):
        classifier = _classifier()
        x = classifier.preprocessor(TEXTS[:2])
        self.run_model_test(classifier, x, expected_output_shape=(2, 2))

    def test_bad_inputs(self):
        classifier = _classifier()
        with self.assertRaisesRegex(ValueError, r"num_classes=2"):
            classifier.fit(TEXTS, [0, 1, 2, 0, 1, 0, 1, 0], verbose=0)
        bad = tf.data.Dataset.from_tensor_slices((TEXTS, [5] * 8))
        with self.assertRaisesRegex(ValueError, r"num_classes=2\).*\[5 5"):
            classifier.fit(bad, verbose=0)
        with self.assertRaisesRegex(ValueError, "num_classes"):
            BertClassifier(_encoder(), num_classes=1)
        with self.assertRaisesRegex(ValueError, "vocab_size"):
            BertClassifier(
                BertEncoder(
                    vocab_size=99,
                    hidden_size=16,
                    num_layers=1,
                    num_attention_heads=2,
                    inner_dim=32,
                ),
                2,
                BertPreprocessor(WordPieceTokenizer(VOCAB)),
            )
        # A preset of another model type.
        other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        path = os.path.join(self.get_temp_dir(), "dense")
        presets.save_to_preset(other, path)
        with self.assertRaisesRegex(ValueError, "not a BERT model"):
            BertClassifier.from_preset(path, num_classes=2)
        with self.assertRaisesRegex(ValueError, "preprocessor"):
            BertClassifier(_encoder(), 2).export(self.get_temp_dir() + "/x")


class BertMaskedLMTest(TestCase):
    # Over 20 s; masking labels and one training step stay in the default
    # suite through test_masked_positions_and_one_step below.
    @pytest.mark.large
    def test_pretrain_then_fine_tune_through_a_preset(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        preprocessor = BertMaskedLMPreprocessor(
            tokenizer, sequence_length=12, mask_selection_length=3, seed=3
        )
        x, y, w = preprocessor(TEXTS)
        # Labels are the original ids at the masked positions.
        original = BertPreprocessor(tokenizer, 12)(TEXTS)["input_ids"].numpy()
        positions = x["masked_positions"].numpy()
        chosen = w.numpy() > 0
        self.assertAllEqual(
            np.take_along_axis(original, positions, 1)[chosen], y.numpy()[chosen]
        )
        masked_lm = BertMaskedLM(_encoder(), preprocessor)
        history = masked_lm.fit(TEXTS, epochs=1, batch_size=8, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"]).all())

        inputs = dict(x)
        expected = masked_lm(inputs)
        path = os.path.join(self.get_temp_dir(), "mlm.keras")
        masked_lm.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        self.assertAllClose(restored(inputs), expected)

        preset = os.path.join(self.get_temp_dir(), "mlm_preset")
        masked_lm.save_to_preset(preset)
        self.assertAllClose(BertMaskedLM.from_preset(preset)(inputs), expected)
        classifier = BertClassifier.from_preset(preset, num_classes=3)
        self.assertAllClose(
            classifier.encoder.get_embedding_table(),
            masked_lm.encoder.get_embedding_table(),
        )
        self.assertEqual(classifier.predict(TEXTS[:2], verbose=0).shape, (2, 3))
        with self.assertRaisesRegex(ValueError, "num_classes"):
            BertClassifier.from_preset(preset)

    def test_seeded_masking_in_the_fit_pipeline_is_reproducible(self):
        # The tf.data pipeline `fit` builds from raw strings used to call the
        # preprocessor in parallel, so its seeded random generator gave its
        # draws to the batches in a varying order: other masks every time.
        def masked_batches():
            preprocessor = BertMaskedLMPreprocessor(
                WordPieceTokenizer(VOCAB), sequence_length=12, seed=3
            )
            model = BertMaskedLM(_encoder(), preprocessor)
            dataset = model._preprocess(TEXTS * 8, batch_size=2)[0]
            return [batch[0]["input_ids"].numpy() for batch in dataset]

        first, second = masked_batches(), masked_batches()
        self.assertEqual(len(first), len(TEXTS) * 4)
        for a, b in zip(first, second):
            self.assertAllEqual(a, b)

    def test_masked_positions_and_one_step(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        preprocessor = BertMaskedLMPreprocessor(
            tokenizer, sequence_length=12, mask_selection_length=3, seed=5
        )
        x, y, w = preprocessor(TEXTS)
        original = BertPreprocessor(tokenizer, 12)(TEXTS)["input_ids"].numpy()
        chosen = w.numpy() > 0
        positions = x["masked_positions"].numpy()
        self.assertAllEqual(
            np.take_along_axis(original, positions, 1)[chosen], y.numpy()[chosen]
        )
        masked_lm = BertMaskedLM(_encoder(), preprocessor)
        loss = masked_lm.train_on_batch(x, y, sample_weight=w)
        self.assertTrue(np.all(np.isfinite(loss)))

    def test_token_level_heads_leave_the_pooler_out_of_training(self):
        # Before: every fit warned "Gradients do not exist for variables
        # ['pooler_dense/kernel', 'pooler_dense/bias'] ... did you forget to
        # provide a loss": the masked-LM head reads token vectors only.
        tokenizer = WordPieceTokenizer(VOCAB)
        preprocessor = BertMaskedLMPreprocessor(
            tokenizer, sequence_length=12, mask_selection_length=3, seed=5
        )
        encoder = _encoder()
        masked_lm = BertMaskedLM(encoder, preprocessor)
        pooler = [v.path for v in encoder.pooler_layer.weights]
        trained = [v.path for v in masked_lm.trainable_weights]
        self.assertTrue(pooler and not set(pooler) & set(trained))
        self.assertEqual(
            {v.path for v in encoder.trainable_weights} - set(pooler),
            {v.path for v in encoder.trainable_weights} & set(trained),
        )
        self.assertEqual(
            {v.path for v in masked_lm.weights},
            {v.path for v in masked_lm.trainable_weights}
            | {v.path for v in masked_lm.non_trainable_weights},
        )
        # A classifier on the same encoder reads the pooler and trains it.
        classifier = BertClassifier(encoder, num_classes=2)
        self.assertTrue(set(pooler) <= {v.path for v in classifier.trainable_weights})
        # The other token-level heads leave it out too.
        for task in (BertTokenClassifier(encoder, 3), BertSpanLabeler(encoder)):
            trained = {v.path for v in task.trainable_weights}
            self.assertFalse(set(pooler) & trained, type(task).__name__)
            self.assertTrue(set(pooler) <= {v.path for v in task.non_trainable_weights})

    @pytest.mark.large  # default-suite time budget (models/task_test.py covers it)
    def test_masked_lm_training_step_leaves_the_pooler_alone_without_warning(self):
        tokenizer = WordPieceTokenizer(VOCAB)
        preprocessor = BertMaskedLMPreprocessor(
            tokenizer, sequence_length=12, mask_selection_length=3, seed=5
        )
        encoder = _encoder()
        masked_lm = BertMaskedLM(encoder, preprocessor)
        pooler = [v.path for v in encoder.pooler_layer.weights]
        before = {v.path: v.numpy() for v in encoder.weights}
        x, y, w = preprocessor(TEXTS)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            masked_lm.train_on_batch(x, y, sample_weight=w)
        messages = [str(c.message) for c in caught]
        self.assertFalse([m for m in messages if "Gradients do not exist" in m])
        for v in encoder.weights:
            changed = not np.array_equal(before[v.path], v.numpy())
            self.assertEqual(changed, v.path not in pooler, v.path)

    def test_bad_inputs(self):
        with self.assertRaisesRegex(ValueError, "MASK"):
            BertMaskedLMPreprocessor(
                WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"])
            )
        preprocessor = BertMaskedLMPreprocessor(WordPieceTokenizer(VOCAB), 12)
        masked_lm = BertMaskedLM(_encoder(), preprocessor)
        with self.assertRaisesRegex(ValueError, "labels from the text"):
            masked_lm.fit(TEXTS, LABELS, verbose=0)
