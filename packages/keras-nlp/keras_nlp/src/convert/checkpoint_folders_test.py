# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Truncated, corrupt or crafted checkpoint folders for `from_huggingface`.

Every such folder must give a `ValueError` naming the file, before any
model is built or any large array allocated.
"""

import json
import os
import pickle
import shutil
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_nlp.src.convert.huggingface import from_huggingface
from keras_nlp.src.convert.huggingface import to_huggingface
from keras_nlp.src.convert.pytorch_checkpoint import load_pytorch_checkpoint
from keras_nlp.src.models.bert.bert_encoder import BertEncoder

_SOURCE = []


def _checkpoint(tmp_path):
    """A tiny HF-style checkpoint folder (config.json + model.safetensors)."""
    if not _SOURCE:
        encoder = BertEncoder(
            vocab_size=12,
            hidden_size=4,
            num_layers=1,
            num_attention_heads=2,
            inner_dim=8,
            max_sequence_length=6,
        )
        _SOURCE.append(to_huggingface(encoder, str(tmp_path / "source")))
    directory = tmp_path / "checkpoint"
    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(_SOURCE[0], directory)
    return directory


@pytest.fixture
def checkpoint(tmp_path):
    return _checkpoint(tmp_path)


@pytest.fixture
def forbid_building(checkpoint, monkeypatch):
    """Fails the test if `from_huggingface` builds an encoder."""

    def refuse(**kwargs):
        raise AssertionError(f"a model was built: {kwargs}")

    # BERT's converter (registered for model_type "bert") builds the encoder.
    from keras_nlp.src.models.bert import bert_converter

    monkeypatch.setattr(bert_converter, "BertEncoder", refuse)


def test_truncated_files_are_named(checkpoint, forbid_building):
    directory = checkpoint
    config = (directory / "config.json").read_bytes()
    weights = (directory / "model.safetensors").read_bytes()
    for length in (0, 1, len(config) // 2, len(config) - 2):
        (directory / "config.json").write_bytes(config[:length])
        with pytest.raises(ValueError, match=r"config\.json is truncated or corrupt"):
            from_huggingface(directory)
    (directory / "config.json").write_bytes(config)
    for length in (0, 5, 8, 40, len(weights) // 2, len(weights) - 1):
        (directory / "model.safetensors").write_bytes(weights[:length])
        with pytest.raises(
            ValueError, match=r"model\.safetensors is truncated or corrupt"
        ):
            from_huggingface(directory)


def test_config_that_does_not_fit_the_weights_fails_before_building(
    checkpoint, forbid_building
):
    # A config claiming 4M tokens used to build a 6.7 GB model first.
    directory = checkpoint
    config = json.loads((directory / "config.json").read_text())
    config["vocab_size"] = 4_000_000
    (directory / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError) as info:
        from_huggingface(directory)
    message = str(info.value)
    assert "'embeddings.word_embeddings.weight' has shape (12, 4)" in message
    assert "(4000000, 4)" in message and "Nothing was built" in message
    for key, value in (("hidden_size", -4), ("num_hidden_layers", "2")):
        bad = dict(config, vocab_size=12, **{key: value})
        (directory / "config.json").write_text(json.dumps(bad))
        with pytest.raises(ValueError, match=f"{key}=.* must be a positive int"):
            from_huggingface(directory)


def _pickle_tensor(numel, offset, size, stride):
    """torch.save's pickle of {'w': float tensor}, with any metadata."""

    def encode(value):
        return pickle.dumps(value, protocol=2)[2:-1]

    def tuple_of(values):
        return b"(" + b"".join(encode(v) for v in values) + b"t"

    out = b"\x80\x02}(X\x01\x00\x00\x00w"
    out += b"ctorch._utils\n_rebuild_tensor_v2\n("
    out += b"(X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
    out += b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpu" + encode(numel) + b"tQ"
    out += encode(offset) + tuple_of(size) + tuple_of(stride)
    out += b"\x89ccollections\nOrderedDict\n)RtRu."
    return out


def _write_bin(path, pickled, raw):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", pickled)
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/data/0", raw)


def test_pickle_metadata_is_checked_before_allocating(tmp_path):
    path = tmp_path / "pytorch_model.bin"
    one = np.ones(1, "<f4").tobytes()
    # A valid broadcast-free tensor still loads.
    _write_bin(path, _pickle_tensor(6, 0, (2, 3), (3, 1)), np.arange(6, dtype="<f4"))
    assert load_pytorch_checkpoint(path)["w"].shape == (2, 3)
    cases = [
        # 4 bytes of storage expanded to 2 GiB, and far beyond.
        ((1, 0, (2**14, 2**15), (0, 0)), "expands a storage of 1 elements"),
        ((1, 0, (2**40, 2**20), (0, 0)), "more than the"),
        ((1, 0, (3,), (1,)), "does not fit in its storage"),
        ((1, 5, (1,), (1,)), "does not fit in its storage"),
        ((1, 0, (2,), (-1,)), "invalid shape"),
        ((1, -1, (1,), (1,)), "invalid shape"),
        ((1, 0, (2, 2), (1,)), "strides"),
        ((1000, 0, (10, 10), (10, 1)), "holds 4 bytes but its tensors need 4000"),
    ]
    for args, text in cases:
        _write_bin(path, _pickle_tensor(*args), one)
        with pytest.raises(ValueError, match=text) as info:
            load_pytorch_checkpoint(path)
        assert "pytorch_model.bin" in str(info.value)
        if "bytes" not in text:
            assert "tensor 'w'" in str(info.value)


def test_pytorch_folder_is_checked_before_building(checkpoint, forbid_building):
    directory = checkpoint
    os.remove(directory / "model.safetensors")
    _write_bin(
        directory / "pytorch_model.bin",
        _pickle_tensor(1, 0, (2**14, 2**15), (0, 0)),
        np.ones(1, "<f4").tobytes(),
    )
    with pytest.raises(ValueError, match="tensor 'w' of shape"):
        from_huggingface(directory)
    with open(directory / "pytorch_model.bin", "r+b") as f:
        f.truncate(30)
    with pytest.raises(ValueError, match=r"pytorch_model\.bin .*truncated or corrupt"):
        from_huggingface(directory)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    which=st.sampled_from(["config.json", "model.safetensors"]),
    cut=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    flips=st.lists(
        st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)),
        max_size=3,
    ),
)
def test_corrupt_checkpoint_fuzz(tmp_path, which, cut, flips):
    directory = _checkpoint(tmp_path)
    path = directory / which
    data = bytearray(path.read_bytes())
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    if not flips:
        data = data[: int(cut * len(data))]
    path.write_bytes(bytes(data))
    try:
        encoder = from_huggingface(directory)
    except ValueError as error:
        # The file is named (or, for a readable but changed config, the
        # setting that no longer fits).
        assert which in str(error) or "config.json" in str(error), error
        return
    # A corruption that keeps the file valid (e.g. inside tensor data or
    # JSON whitespace) loads: a documented result, never a crash.
    assert encoder.count_params() > 0
