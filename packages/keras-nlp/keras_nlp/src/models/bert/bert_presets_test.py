# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named BERT presets and hf:// sources against a local hub server."""

import os

import numpy as np
import pytest

import keras_nlp
from keras_core import presets
from keras_core.testing import LocalHubServer

TINY_BERT = os.path.join(
    os.path.dirname(__file__), "..", "..", "convert", "testdata", "tiny_bert"
)
TINY_BERT_BIN = os.path.join(
    os.path.dirname(__file__),
    "..",
    "..",
    "convert",
    "testdata",
    "tiny_bert_pretraining_bin",
)


def _files(directory, names):
    return {name: open(os.path.join(directory, name), "rb").read() for name in names}


@pytest.fixture
def hub(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf_cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with LocalHubServer() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def _reference_outputs(encoder, directory):
    # transformers' outputs for this checkpoint (convert/testdata/make_fixture.py).
    ref = np.load(os.path.join(directory, "reference.npz"))
    inputs = {k: ref[k] for k in ("input_ids", "input_mask", "input_type_ids")}
    return encoder(inputs)["sequence_output"].numpy(), ref["sequence_output"]


def test_presets_table_is_listed():
    table = keras_nlp.models.BertClassifier.presets
    assert (
        table["bert_base_en_uncased"]["source"] == "hf://google-bert/bert-base-uncased"
    )
    assert table["bert_base_en"]["source"] == "hf://google-bert/bert-base-cased"
    assert (
        table["bert_large_en_uncased"]["source"]
        == "hf://google-bert/bert-large-uncased"
    )
    assert table["bert_base_multi"]["source"] == (
        "hf://google-bert/bert-base-multilingual-cased"
    )
    assert table["bert_small_en_uncased"]["source"] == (
        "hf://google/bert_uncased_L-4_H-512_A-8"
    )
    assert all(entry["description"] for entry in table.values())


def test_named_preset_downloads_converts_and_caches(hub, tmp_path, monkeypatch):
    commit = hub.add_repo(
        "google-bert/bert-base-uncased",
        _files(TINY_BERT, ["config.json", "model.safetensors", "vocab.txt"]),
    )
    classifier = keras_nlp.models.BertClassifier.from_preset(
        "bert_base_en_uncased", num_classes=3, sequence_length=16
    )
    ours, reference = _reference_outputs(classifier.encoder, TINY_BERT)
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    assert classifier.preprocessor.sequence_length == 16
    logits = classifier(classifier.preprocessor(["the cat sat"]), training=False)
    assert tuple(logits.shape) == (1, 3)
    converted = (
        tmp_path / "keras_home" / "presets" / "hf" / "google-bert--bert-base-uncased"
    )
    assert sorted(os.listdir(converted)) == [commit]
    assert sorted(os.listdir(converted / commit / "keras_nlp_bert")) == [
        "encoder",
        "tokenizer",
    ]
    # Offline: the converted preset loads with no request at all.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    before = len(hub.requests)
    again = keras_nlp.models.BertClassifier.from_preset(
        "bert_base_en_uncased", num_classes=3
    )
    assert len(hub.requests) == before
    np.testing.assert_allclose(
        _reference_outputs(again.encoder, TINY_BERT)[0], reference, atol=1e-5
    )


def test_offline_without_cache_says_what_to_download(hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(
        FileNotFoundError, match="hf download google-bert/bert-base-cased"
    ):
        keras_nlp.models.BertClassifier.from_preset("bert_base_en", num_classes=2)
    assert hub.requests == []


def test_safetensors_preferred_over_pickle(hub):
    files = _files(TINY_BERT, ["config.json", "model.safetensors", "vocab.txt"])
    files["pytorch_model.bin"] = b"not even a pickle: never read"
    hub.add_repo("org/both", files)
    keras_nlp.models.BertClassifier.from_preset("hf://org/both", num_classes=2)
    assert not any("pytorch_model.bin" in r["path"] for r in hub.requests)


def test_pickle_checkpoint_is_read_without_executing_it(hub):
    hub.add_repo(
        "org/bin-only",
        _files(TINY_BERT_BIN, ["config.json", "pytorch_model.bin", "vocab.txt"]),
    )
    classifier = keras_nlp.models.BertClassifier.from_preset(
        "hf://org/bin-only", num_classes=2
    )
    ours, reference = _reference_outputs(classifier.encoder, TINY_BERT_BIN)
    np.testing.assert_allclose(ours, reference, atol=1e-5)


def test_revision_pin_and_our_own_preset_on_the_hub(hub, tmp_path):
    first = hub.add_repo(
        "org/bert", _files(TINY_BERT, ["config.json", "model.safetensors", "vocab.txt"])
    )
    classifier = keras_nlp.models.BertClassifier.from_preset(
        f"hf://org/bert@{first}", num_classes=2, sequence_length=8
    )
    # A preset of ours, pushed to the hub, loads directly (no conversion).
    path = tmp_path / "classifier"
    classifier.save_to_preset(path)
    presets.upload_preset(path, "org/bert")
    restored = keras_nlp.models.BertClassifier.from_preset("hf://org/bert")
    inputs = classifier.preprocessor(["the cat", "sat on the mat"])
    assert restored.preprocessor.sequence_length == 8
    np.testing.assert_allclose(
        restored(inputs, training=False), classifier(inputs, training=False), atol=1e-6
    )
    # The pinned revision still converts the original checkpoint.
    again = keras_nlp.models.BertClassifier.from_preset(
        f"hf://org/bert@{first}", num_classes=2
    )
    np.testing.assert_allclose(
        _reference_outputs(again.encoder, TINY_BERT)[0],
        _reference_outputs(classifier.encoder, TINY_BERT)[0],
        atol=1e-6,
    )


def test_local_huggingface_folder_converts_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    classifier = keras_nlp.models.BertClassifier.from_preset(
        TINY_BERT, num_classes=2, sequence_length=8
    )
    ours, reference = _reference_outputs(classifier.encoder, TINY_BERT)
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    assert sorted(os.listdir(TINY_BERT)) == [
        "config.json",
        "model.safetensors",
        "reference.npz",
        "vocab.txt",
    ]  # nothing written next to the checkpoint


def test_token_classifier_and_span_labeler_build_on_a_checkpoint(hub):
    hub.add_repo(
        "google-bert/bert-base-uncased",
        _files(TINY_BERT, ["config.json", "model.safetensors", "vocab.txt"]),
    )
    tagger = keras_nlp.models.BertTokenClassifier.from_preset(
        "bert_base_en_uncased", num_classes=5, label_names=list("OABCD")
    )
    assert tagger.preprocessor.sequence_length == 24  # min(128, checkpoint max)
    _, reference = _reference_outputs(tagger.encoder, TINY_BERT)
    np.testing.assert_allclose(
        _reference_outputs(tagger.encoder, TINY_BERT)[0], reference, atol=1e-5
    )
    labeler = keras_nlp.models.BertSpanLabeler.from_preset(
        "bert_base_en_uncased", max_question_length=8, doc_stride=8, max_answer_length=5
    )
    assert labeler.preprocessor.sequence_length == 24
    np.testing.assert_allclose(
        _reference_outputs(labeler.encoder, TINY_BERT)[0], reference, atol=1e-5
    )
    with pytest.raises(ValueError, match="pass `num_classes`"):
        keras_nlp.models.BertTokenClassifier.from_preset("bert_base_en_uncased")
    with pytest.raises(
        ValueError, match="Cannot override num_classes.*BertSpanLabeler"
    ):
        keras_nlp.models.BertSpanLabeler.from_preset(
            "bert_base_en_uncased", num_classes=2
        )


def test_errors(hub):
    with pytest.raises(
        ValueError, match="Unknown BERT preset 'bert_huge'.*bert_base_en_uncased"
    ):
        keras_nlp.models.BertClassifier.from_preset("bert_huge", num_classes=2)
    hub.add_repo(
        "org/bert", _files(TINY_BERT, ["config.json", "model.safetensors", "vocab.txt"])
    )
    with pytest.raises(ValueError, match="pass `num_classes`"):
        keras_nlp.models.BertClassifier.from_preset("hf://org/bert")
    with pytest.raises(ValueError, match="sequence_length=64 is longer than.*<= 24"):
        keras_nlp.models.BertClassifier.from_preset(
            "hf://org/bert", num_classes=2, sequence_length=64
        )
    default = keras_nlp.models.BertClassifier.from_preset(
        "hf://org/bert", num_classes=2
    )
    assert default.preprocessor.sequence_length == 24  # the checkpoint's maximum
    with pytest.raises(ValueError, match="Cannot override num_layers"):
        keras_nlp.models.BertClassifier.from_preset(
            "hf://org/bert", num_classes=2, num_layers=1
        )
    hub.add_repo("org/no-weights", _files(TINY_BERT, ["config.json", "vocab.txt"]))
    with pytest.raises(
        ValueError, match="neither model.safetensors nor pytorch_model.bin"
    ):
        keras_nlp.models.BertClassifier.from_preset(
            "hf://org/no-weights", num_classes=2
        )
    with pytest.raises(
        ValueError, match="hf://org/missing: repository 'org/missing' not found"
    ):
        keras_nlp.models.BertClassifier.from_preset("hf://org/missing", num_classes=2)
