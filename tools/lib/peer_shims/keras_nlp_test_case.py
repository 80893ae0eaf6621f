# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Our stand-in for keras-nlp 0.15's test base class (written by us).

It offers the methods the peer's tokenizer, packer and preprocessor tests
call, with the checks they are documented to make: tensors, ragged tensors
and byte strings compare as plain Python values; a preprocessing layer must
survive a config round trip and give the same output eagerly, mapped over
an unbatched `tf.data` dataset and over a batched one; preset tests are out
of scope (they download the peer's presets).
"""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from absl.testing import parameterized


def _plain(x):
    """Tensors, ragged tensors, arrays and bytes -> nested Python values."""
    if isinstance(x, tf.RaggedTensor):
        return _plain(x.to_list())
    if isinstance(x, (tf.Tensor, tf.Variable)):
        return _plain(x.numpy())
    if isinstance(x, np.ndarray):
        return _plain(x.tolist())
    if isinstance(x, np.generic):
        return _plain(x.item())
    if isinstance(x, bytes):
        return x.decode("utf-8", errors="replace")
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "__array__"):
        return _plain(np.asarray(x))
    return x


class TestCase(tf.test.TestCase, parameterized.TestCase):
    def assertAllEqual(self, x1, x2, msg=None):
        self.assertEqual(_plain(x1), _plain(x2), msg=msg)

    def assertAllClose(self, x1, x2, atol=1e-6, rtol=1e-6, msg=None):
        a, b = _plain(x1), _plain(x2)
        try:
            np.testing.assert_allclose(
                np.asarray(a, dtype=float),
                np.asarray(b, dtype=float),
                atol=atol,
                rtol=rtol,
                err_msg=msg or "",
            )
        except (TypeError, ValueError):
            self.assertEqual(a, b, msg=msg)

    def assertNotAllEqual(self, x1, x2, msg=None):
        self.assertNotEqual(_plain(x1), _plain(x2), msg=msg)

    def assertDTypeEqual(self, x, expected_dtype, msg=None):
        dtype = keras.backend.standardize_dtype(x.dtype)
        self.assertEqual(dtype, keras.backend.standardize_dtype(expected_dtype), msg)

    def get_test_data_dir(self):
        return os.path.join(
            os.environ["PEER_SRC"], "keras_nlp", "src", "tests", "test_data"
        )

    def run_serialization_test(self, instance):
        config = instance.get_config()
        revived = type(instance).from_config(config)
        self.assertEqual(
            json.dumps(config, sort_keys=True, default=str),
            json.dumps(revived.get_config(), sort_keys=True, default=str),
        )
        serialized = keras.saving.serialize_keras_object(instance)
        revived = keras.saving.deserialize_keras_object(
            json.loads(json.dumps(serialized))
        )
        self.assertEqual(
            json.dumps(serialized, sort_keys=True, default=str),
            json.dumps(
                keras.saving.serialize_keras_object(revived),
                sort_keys=True,
                default=str,
            ),
        )

    def run_preprocessing_layer_test(
        self,
        cls,
        init_kwargs,
        input_data,
        expected_output=None,
        expected_detokenize_output=None,
    ):
        layer = cls(**init_kwargs)
        self.run_serialization_test(layer)
        if isinstance(input_data, tuple):
            output = layer(*input_data)
        else:
            output = layer(input_data)
        if hasattr(layer, "detokenize") and hasattr(layer, "tokenize"):
            expected = expected_detokenize_output or input_data
            self.assertAllEqual(layer.detokenize(output), expected)
        dataset = tf.data.Dataset.from_tensor_slices(input_data)
        unbatched = dataset.map(layer).ragged_batch(1000).get_single_element()
        self.assertAllClose(output, unbatched)
        batched = dataset.batch(1000).map(layer).get_single_element()
        self.assertAllClose(output, batched)
        if expected_output:
            self.assertAllClose(output, expected_output)

    def run_preprocessor_test(
        self,
        cls,
        init_kwargs,
        input_data,
        expected_output=None,
        expected_detokenize_output=None,
        token_id_key="token_ids",
    ):
        self.run_preprocessing_layer_test(
            cls,
            init_kwargs,
            input_data,
            expected_output=expected_output,
            expected_detokenize_output=expected_detokenize_output,
        )
        layer = cls(**init_kwargs)

        def length():
            output = (
                layer(*input_data)
                if isinstance(input_data, tuple)
                else (layer(input_data))
            )
            x, _, _ = keras.utils.unpack_x_y_sample_weight(output)
            return x[token_id_key].shape[-1]

        self.assertEqual(length(), layer.sequence_length)
        layer.sequence_length = 17
        self.assertEqual(length(), 17)

    def run_preset_test(self, *args, **kwargs):
        pytest.skip("out of scope: needs the peer's downloadable presets")
