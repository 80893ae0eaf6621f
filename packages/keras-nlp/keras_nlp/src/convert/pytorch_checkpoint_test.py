# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The reader (now `keras_core.checkpoints`) on keras-nlp's fixtures, through
the old `keras_nlp.src.convert.pytorch_checkpoint` name."""

import os

import numpy as np
import safetensors.numpy

import keras_core.checkpoints
from keras_nlp.src.convert import pytorch_checkpoint
from keras_nlp.src.convert.pytorch_checkpoint import load_pytorch_checkpoint

TESTDATA = os.path.join(os.path.dirname(__file__), "testdata")


def test_old_name_is_the_keras_core_reader():
    assert load_pytorch_checkpoint is keras_core.checkpoints.load_pytorch_checkpoint
    assert (
        pytorch_checkpoint.read_pytorch_shapes
        is keras_core.checkpoints.read_pytorch_shapes
    )


def test_reads_the_same_tensors_as_transformers_wrote():
    # The .bin of the pre-training fixture holds a BERT body; compare a few
    # tensors against the reference outputs' implied shapes and each other.
    tensors = load_pytorch_checkpoint(
        os.path.join(TESTDATA, "tiny_bert_pretraining_bin", "pytorch_model.bin")
    )
    assert tensors["bert.embeddings.word_embeddings.weight"].shape == (99, 32)
    assert tensors["bert.encoder.layer.1.intermediate.dense.weight"].shape == (37, 32)
    assert all(v.dtype == np.float32 for v in tensors.values())
    # The tied decoder shares the embedding storage: same values.
    np.testing.assert_array_equal(
        tensors["cls.predictions.decoder.weight"],
        tensors["bert.embeddings.word_embeddings.weight"],
    )


def test_safetensors_and_bin_fixtures_agree_in_format():
    # Both fixture formats load to float32 arrays keyed by HuggingFace names.
    st = safetensors.numpy.load_file(
        os.path.join(TESTDATA, "tiny_bert", "model.safetensors")
    )
    bin_ = load_pytorch_checkpoint(
        os.path.join(TESTDATA, "tiny_bert_pretraining_bin", "pytorch_model.bin")
    )
    body = {k[len("bert.") :]: v for k, v in bin_.items() if k.startswith("bert.")}
    assert sorted(body) == sorted(st)
    for name in st:
        assert body[name].shape == st[name].shape, name
