# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import os
import shutil
import struct
import subprocess
import sys

import numpy as np
import pytest
import safetensors.numpy

from keras_nlp.src.convert.huggingface import from_huggingface
from keras_nlp.src.convert.huggingface import read_checkpoint_tensors
from keras_nlp.src.convert.huggingface import to_huggingface
from keras_nlp.src.convert.huggingface import tokenizer_from_huggingface
from keras_nlp.src.models.bert.bert_encoder import BertEncoder

TESTDATA = os.path.join(os.path.dirname(__file__), "testdata")
FIXTURES = ("tiny_bert", "tiny_bert_pretraining_bin")


def _compare_with_reference(directory, atol=1e-5, **overrides):
    encoder = from_huggingface(directory, **overrides)
    ref = np.load(os.path.join(directory, "reference.npz"))
    outputs = encoder(
        {name: ref[name] for name in ("input_ids", "input_mask", "input_type_ids")}
    )
    errors = {
        "sequence_output": np.abs(
            outputs["sequence_output"].numpy() - ref["sequence_output"]
        ).max(),
        "pooled_output": np.abs(
            outputs["pooled_output"].numpy() - ref["pooled_output"]
        ).max(),
    }
    for i, (ours, theirs) in enumerate(
        zip(outputs["encoder_outputs"], ref["encoder_outputs"])
    ):
        errors[f"layer_{i}"] = np.abs(ours.numpy() - theirs).max()
    return encoder, ref, errors


@pytest.mark.parametrize("fixture", FIXTURES)
def test_matches_transformers_on_padded_batches(fixture):
    # Reference outputs of HuggingFace transformers (testdata/make_fixture.py).
    _, ref, errors = _compare_with_reference(os.path.join(TESTDATA, fixture))
    assert (ref["input_mask"] == 0).any(), "the reference batch must be padded"
    for name, error in errors.items():
        assert error <= 1e-5, f"{fixture}: {name} differs from transformers by {error}"


def test_the_exact_gelu_matters():
    # The tanh approximation is measurably off on an exact-GELU checkpoint,
    # so the comparison above would catch the wrong activation.
    _, _, errors = _compare_with_reference(
        os.path.join(TESTDATA, "tiny_bert"), inner_activation="gelu_approximate"
    )
    assert errors["sequence_output"] > 1e-4


def test_activation_and_prefix_are_read_from_the_checkpoint():
    exact = from_huggingface(os.path.join(TESTDATA, "tiny_bert"))
    tanh = from_huggingface(os.path.join(TESTDATA, "tiny_bert_pretraining_bin"))
    assert exact.get_config()["inner_activation"] == "gelu"
    assert tanh.get_config()["inner_activation"] == "gelu_approximate"
    assert exact.get_config()["max_sequence_length"] == 24
    assert exact.get_config()["type_vocab_size"] == 3


def test_overrides_and_mixed_precision():
    directory = os.path.join(TESTDATA, "tiny_bert")
    _, _, errors = _compare_with_reference(
        directory, atol=0.1, dtype="mixed_bfloat16", output_dropout=0.0
    )
    assert errors["pooled_output"] < 0.1
    with pytest.raises(ValueError, match=r"\['vocab_size'\] are set by the checkpoint"):
        from_huggingface(directory, vocab_size=10)


MODELS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "models")


@pytest.mark.parametrize(
    "fixture,argument,value",
    [
        ("albert/testdata/tiny_albert", "num_groups", 2),
        ("albert/testdata/tiny_albert", "embedding_width", 8),
        ("electra/testdata/tiny_electra", "embedding_width", 8),
        ("distil_bert/testdata/tiny_distil_bert", "inner_dim", 8),
        ("roberta/testdata/tiny_roberta", "padding_id", 0),
        ("roberta/testdata/tiny_roberta", "type_vocab_size", 2),
    ],
)
def test_each_family_refuses_overrides_of_its_weight_shapes(fixture, argument, value):
    # The arguments that shape the weights come from each encoder's
    # constructor; overriding one fails before any weight is read.
    with pytest.raises(ValueError, match=rf"\['{argument}'\] are set by the check"):
        from_huggingface(os.path.join(MODELS, fixture), **{argument: value})


def test_to_huggingface_writes_the_same_tensors(tmp_path):
    source = os.path.join(TESTDATA, "tiny_bert")
    encoder = from_huggingface(source)
    to_huggingface(encoder, tmp_path)
    original = safetensors.numpy.load_file(os.path.join(source, "model.safetensors"))
    exported = safetensors.numpy.load_file(os.path.join(tmp_path, "model.safetensors"))
    assert sorted(exported) == sorted(original)
    for name, value in original.items():
        np.testing.assert_array_equal(exported[name], value, err_msg=name)
    with open(os.path.join(source, "config.json")) as f:
        original_config = json.load(f)
    with open(os.path.join(tmp_path, "config.json")) as f:
        exported_config = json.load(f)
    for key, value in exported_config.items():
        if key in original_config and key not in ("architectures", "initializer_range"):
            assert original_config[key] == value, key
    # And back: the same outputs.
    shutil.copy(os.path.join(source, "reference.npz"), tmp_path)
    _, _, errors = _compare_with_reference(str(tmp_path))
    assert max(errors.values()) <= 1e-5


def test_to_huggingface_of_a_new_encoder_round_trips(tmp_path):
    encoder = BertEncoder(
        vocab_size=30,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=12,
        max_sequence_length=6,
        type_vocab_size=2,
        inner_activation="relu",
    )
    to_huggingface(encoder, tmp_path)
    restored = from_huggingface(tmp_path)
    ids = np.array([[2, 5, 7, 0]])
    inputs = [ids, (ids > 0).astype("int32"), np.zeros_like(ids)]
    np.testing.assert_array_equal(
        restored(inputs)["sequence_output"], encoder(inputs)["sequence_output"]
    )
    with pytest.raises(ValueError, match="factorised"):
        to_huggingface(
            BertEncoder(
                vocab_size=30,
                hidden_size=8,
                num_layers=1,
                num_attention_heads=2,
                inner_dim=12,
                embedding_width=4,
            ),
            tmp_path,
        )


def _copy_fixture(tmp_path, name="tiny_bert"):
    directory = tmp_path / name
    shutil.copytree(os.path.join(TESTDATA, name), directory)
    return directory


def test_missing_and_mismatched_tensors_are_named(tmp_path):
    directory = _copy_fixture(tmp_path)
    tensors = safetensors.numpy.load_file(directory / "model.safetensors")
    del tensors["encoder.layer.1.attention.self.key.bias"]
    tensors["encoder.layer.0.intermediate.dense.weight"] = np.zeros((36, 32), "float32")
    safetensors.numpy.save_file(tensors, directory / "model.safetensors")
    with pytest.raises(ValueError) as info:
        from_huggingface(directory)
    message = str(info.value)
    assert (
        "missing tensor 'encoder.layer.1.attention.self.key.bias' (expected shape (32,))"
        in message
    )
    assert (
        "'encoder.layer.0.intermediate.dense.weight' has shape (36, 32) but the config implies (37, 32)"
        in message
    )


def test_config_that_disagrees_with_the_weights(tmp_path):
    directory = _copy_fixture(tmp_path)
    with open(directory / "config.json") as f:
        config = json.load(f)
    config["vocab_size"] = 100
    with open(directory / "config.json", "w") as f:
        json.dump(config, f)
    with pytest.raises(
        ValueError,
        match=r"word_embeddings.weight' has shape \(99, 32\) but the config implies \(100, 32\)",
    ):
        from_huggingface(directory)


def test_bad_directories(tmp_path):
    with pytest.raises(ValueError, match="not a directory"):
        from_huggingface(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="No config.json"):
        from_huggingface(tmp_path)
    directory = _copy_fixture(tmp_path)
    os.remove(directory / "model.safetensors")
    with pytest.raises(
        ValueError, match="expected model.safetensors or pytorch_model.bin"
    ):
        from_huggingface(directory)
    with open(directory / "config.json") as f:
        config = json.load(f)
    for key, value, pattern in (
        ("model_type", "gpt2", "BERT checkpoints"),
        ("hidden_act", "gelu_fast", "hidden_act='gelu_fast' is not supported"),
        ("position_embedding_type", "relative_key", "absolute position"),
    ):
        with open(directory / "config.json", "w") as f:
            json.dump({**config, key: value}, f)
        with pytest.raises(ValueError, match=pattern):
            from_huggingface(directory)


def test_checkpoint_without_pooler_warns(tmp_path):
    directory = _copy_fixture(tmp_path)
    tensors = safetensors.numpy.load_file(directory / "model.safetensors")
    tensors = {k: v for k, v in tensors.items() if not k.startswith("pooler.")}
    safetensors.numpy.save_file(tensors, directory / "model.safetensors")
    with pytest.warns(UserWarning, match="no pooler"):
        encoder = from_huggingface(directory)
    ref = np.load(directory / "reference.npz")
    out = encoder([ref["input_ids"], ref["input_mask"], ref["input_type_ids"]])
    assert np.abs(out["sequence_output"].numpy() - ref["sequence_output"]).max() <= 1e-5


def test_bfloat16_safetensors_are_widened(tmp_path):
    values = np.array([[1.0, -2.5], [0.15625, 3e38]], "float32")
    bf16 = (values.view(np.uint32) >> 16).astype("<u2")
    header = json.dumps(
        {"w": {"dtype": "BF16", "shape": [2, 2], "data_offsets": [0, 8]}}
    ).encode()
    (tmp_path / "model.safetensors").write_bytes(
        struct.pack("<Q", len(header)) + header + bf16.tobytes()
    )
    tensors = read_checkpoint_tensors(tmp_path)
    np.testing.assert_allclose(tensors["w"], values, rtol=1e-2)
    assert tensors["w"].dtype == np.float32


def test_tokenizer_from_the_checkpoint_vocabulary(tmp_path):
    directory = os.path.join(TESTDATA, "tiny_bert")
    with open(os.path.join(directory, "vocab.txt")) as f:
        vocab = f.read().split("\n")
    tokenizer = tokenizer_from_huggingface(directory)
    ids = tokenizer(["TOK3 tok10 [MASK] unknownword"]).to_list()[0]
    assert ids == [
        vocab.index("tok3"),
        vocab.index("tok10"),
        vocab.index("[MASK]"),
        vocab.index("[UNK]"),
    ]
    # A cased checkpoint keeps the case (and so misses the lowercase pieces).
    cased = _copy_fixture(tmp_path)
    with open(cased / "tokenizer_config.json", "w") as f:
        json.dump({"do_lower_case": False}, f)
    assert tokenizer_from_huggingface(cased, sequence_length=3)(
        ["TOK3 tok3"]
    ).numpy().tolist() == [[vocab.index("[UNK]"), vocab.index("tok3"), 0]]
    with pytest.raises(ValueError, match="No vocab.txt"):
        tokenizer_from_huggingface(tmp_path)


@pytest.mark.large
def test_regenerated_checkpoint_matches(tmp_path):
    """Creates fresh checkpoints with transformers and compares (slow).

    Uses the interpreter in $KERAS_NLP_REFERENCE_PYTHON if set, this one if
    it has transformers, otherwise builds a throw-away virtual environment
    with torch, transformers and safetensors from PyPI.
    """
    python = os.environ.get("KERAS_NLP_REFERENCE_PYTHON")
    if not python:
        try:
            import transformers  # noqa: F401

            python = sys.executable
        except ImportError:
            venv = tmp_path / "venv"
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            python = str(venv / "bin" / "python")
            subprocess.run(
                [
                    python,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "torch==2.13.0",
                    "transformers",
                    "safetensors",
                    "numpy",
                ],
                check=True,
            )
    output = tmp_path / "fixtures"
    script = os.path.join(TESTDATA, "make_fixture.py")
    subprocess.run([python, script, "--output", str(output), "--seed", "7"], check=True)
    for fixture in FIXTURES:
        _, _, errors = _compare_with_reference(str(output / fixture))
        assert max(errors.values()) <= 1e-5, (fixture, errors)
