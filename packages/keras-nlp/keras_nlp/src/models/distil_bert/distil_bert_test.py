# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DistilBERT against `transformers` (testdata/make_fixture.py), and its
tasks, presets and conversion."""

import json
import os
import shutil

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_nlp
from keras_core.testing import LocalHubServer
from keras_nlp.src.models.checkpoint_reference_test import CheckpointReference
from keras_nlp.src.models.distil_bert import distil_bert_converter

TINY = os.path.join(os.path.dirname(__file__), "testdata", "tiny_distil_bert")
REF = CheckpointReference(TINY, ("input_ids", "input_mask"))
REFERENCE, INPUTS, REAL = REF.outputs, REF.inputs, REF.real


def _encoder():
    return keras_nlp.convert.from_huggingface(TINY)


def test_encoder_matches_transformers_on_a_padded_batch():
    encoder = _encoder()
    assert type(encoder) is keras_nlp.encoders.DistilBertEncoder
    outputs = REF.check_encoder(encoder, where=REAL)
    REF.assert_close(outputs["sequence_output"], "sequence_output")


def test_task_heads_match_transformers():
    encoder = _encoder()
    # All real tokens count as context, so no position is masked there.
    REF.check_heads(
        distil_bert_converter,
        keras_nlp.models.DistilBertClassifier(encoder, 3),
        keras_nlp.models.DistilBertSpanLabeler(encoder),
        keras_nlp.models.DistilBertTokenClassifier(encoder, 4),
        span_inputs={**INPUTS, "input_type_ids": INPUTS["input_mask"]},
        span_where=REAL,
        token_where=REAL,
    )
    # The LM head is in the checkpoint itself.
    REF.check_masked_lm(
        keras_nlp.models.DistilBertMaskedLM(encoder),
        distil_bert_converter,
        ("vocab_", "vocab_projector"),
        where=REAL,
    )


def test_to_huggingface_round_trip_and_config(tmp_path):
    encoder = _encoder()
    directory = keras_nlp.convert.to_huggingface(encoder, str(tmp_path / "out"))
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == "distilbert" and config["dim"] == 32
    restored = keras_nlp.convert.from_huggingface(directory)
    np.testing.assert_allclose(
        restored(INPUTS)["sequence_output"].numpy(),
        encoder(INPUTS)["sequence_output"].numpy(),
        atol=1e-6,
    )


def test_bad_checkpoints_are_named(tmp_path):
    directory = tmp_path / "ckpt"
    shutil.copytree(TINY, directory)
    with open(directory / "config.json") as f:
        config = json.load(f)
    with open(directory / "config.json", "w") as f:
        json.dump({**config, "dim": 64, "n_heads": 4}, f)
    with pytest.raises(ValueError, match=r"DistilBERT with hidden_size=64.*missing|"):
        keras_nlp.convert.from_huggingface(directory)
    with pytest.raises(ValueError, match="word_embeddings.weight' has shape"):
        keras_nlp.convert.from_huggingface(directory)
    with open(directory / "config.json", "w") as f:
        json.dump({**config, "model_type": "t5"}, f)
    with pytest.raises(ValueError, match=r"'distilbert'"):
        keras_nlp.convert.from_huggingface(directory)
    with pytest.raises(ValueError, match=r"\['hidden_size'\] are set by"):
        keras_nlp.convert.from_huggingface(TINY, hidden_size=8)


def test_encoder_inputs_and_errors():
    encoder = keras_nlp.encoders.DistilBertEncoder(
        vocab_size=10,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=16,
        max_sequence_length=6,
    )
    ids = np.array([[2, 5, 3, 0]], "int32")
    mask = (ids > 0).astype("int32")
    reference = encoder({"input_ids": ids, "input_mask": mask})["sequence_output"]
    # keras-hub's names, and BERT-style dicts with segment ids, are accepted.
    for inputs in (
        {"token_ids": ids, "padding_mask": mask.astype(bool)},
        {"input_ids": ids, "input_mask": mask, "input_type_ids": 0 * ids},
        [ids, mask],
    ):
        np.testing.assert_allclose(encoder(inputs)["sequence_output"], reference)
    # Padding does not change real positions.
    longer = np.concatenate([ids, [[7]]], axis=1) * np.array([[1, 1, 1, 1, 0]])
    out = encoder({"input_ids": longer, "input_mask": (longer > 0).astype("int32")})
    np.testing.assert_allclose(
        out["sequence_output"][:, :3], reference[:, :3], atol=1e-6
    )
    with pytest.raises(ValueError, match=r"input_ids` must lie in \[0, vocab_size=10"):
        encoder({"input_ids": ids + 9, "input_mask": mask})
    with pytest.raises(ValueError, match="max_sequence_length=6"):
        encoder(
            {
                "input_ids": np.ones((1, 7), "int32"),
                "input_mask": np.ones((1, 7), "int32"),
            }
        )
    with pytest.raises(ValueError, match="lack \\['input_mask'\\]"):
        encoder({"input_ids": ids})
    with pytest.raises(ValueError, match="divisible"):
        keras_nlp.encoders.DistilBertEncoder(vocab_size=10, hidden_size=10)
    restored = keras_nlp.encoders.DistilBertEncoder.from_config(encoder.get_config())
    assert restored.get_config() == encoder.get_config()


def test_family_checks_name_distil_bert_classes():
    bert = keras_nlp.encoders.BertEncoder(
        vocab_size=10, hidden_size=8, num_layers=1, num_attention_heads=2, inner_dim=8
    )
    with pytest.raises(TypeError, match="keras_nlp.encoders.DistilBertEncoder"):
        keras_nlp.models.DistilBertClassifier(bert, 2)
    with pytest.raises(TypeError, match="generic task"):
        keras_nlp.models.TextClassifier(bert, 2)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"]
    tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocab)
    distil = keras_nlp.encoders.DistilBertEncoder(
        vocab_size=5, hidden_size=8, num_layers=1, num_attention_heads=2, inner_dim=8
    )
    with pytest.raises(TypeError, match="DistilBertPreprocessor or None"):
        keras_nlp.models.DistilBertClassifier(
            distil, 2, keras_nlp.models.BertPreprocessor(tokenizer, 8)
        )


def _raw_data():
    rng = np.random.RandomState(0)
    texts, labels = [], []
    for _ in range(32):
        label = rng.randint(2)
        words = [f"tok{rng.randint(0, 10) + 10 * label}" for _ in range(5)]
        texts.append(" ".join(words))
        labels.append(label)
    return texts, np.array(labels)


@pytest.mark.large  # fit, save and SavedModel export: ~30-60 s on 2 cores
def test_classifier_fits_raw_strings_saves_and_exports(tmp_path):
    classifier = keras_nlp.models.DistilBertClassifier.from_preset(
        TINY, num_classes=2, sequence_length=12
    )
    assert isinstance(classifier.preprocessor, keras_nlp.models.DistilBertPreprocessor)
    texts, labels = _raw_data()
    classifier.fit(texts, labels, epochs=1, batch_size=8, verbose=0)
    expected = classifier.predict(texts[:4], verbose=0)
    path = str(tmp_path / "classifier.keras")
    classifier.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is keras_nlp.models.DistilBertClassifier
    np.testing.assert_allclose(
        restored.predict(texts[:4], verbose=0), expected, atol=1e-5
    )
    classifier.export(str(tmp_path / "served"))
    served = tf.saved_model.load(str(tmp_path / "served"))
    logits = served.signatures["serving_default"](text=tf.constant(texts[:4]))
    np.testing.assert_allclose(logits["logits"].numpy(), expected, atol=1e-5)


@pytest.mark.large  # fit, save and SavedModel export: ~30-60 s on 2 cores
def test_span_labeler_and_tagger_export_raw_strings(tmp_path):
    labeler = keras_nlp.models.DistilBertSpanLabeler.from_preset(
        TINY, sequence_length=16, max_question_length=4
    )
    answers = labeler.predict_answers(["tok1 tok2"], ["tok3 tok4 tok5 tok6"])
    labeler.export(str(tmp_path / "qa"))
    served = tf.saved_model.load(str(tmp_path / "qa")).signatures["serving_default"]
    out = served(
        question=tf.constant(["tok1 tok2"]),
        context=tf.constant(["tok3 tok4 tok5 tok6"]),
    )
    assert out["text"].numpy()[0].decode() == answers[0]["text"]

    tagger = keras_nlp.models.DistilBertTokenClassifier.from_preset(
        TINY, num_classes=2, label_names=["O", "X"], sequence_length=8
    )
    tagger.fit([["tok1", "tok2"]], [["X", "O"]], verbose=0)
    tags = tagger.predict_tags(["tok1 tok2"])
    tagger.export(str(tmp_path / "tags"))
    served = tf.saved_model.load(str(tmp_path / "tags")).signatures["serving_default"]
    out = served(text=tf.constant(["tok1 tok2"]))
    assert [t.decode() for t in out["tags"].numpy()[0]] == tags[0]


@pytest.mark.large  # pretraining fit and a preset round trip: ~40 s on 2 cores
def test_masked_lm_pretrains_from_raw_strings_then_classifier_from_its_preset(
    tmp_path,
):
    encoder = _encoder()
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY)
    masked_lm = keras_nlp.models.DistilBertMaskedLM(
        encoder,
        keras_nlp.models.DistilBertMaskedLMPreprocessor(
            tokenizer, sequence_length=10, mask_selection_length=3, seed=0
        ),
    )
    texts, _ = _raw_data()
    history = masked_lm.fit(texts, epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    masked_lm.save_to_preset(str(tmp_path / "lm"))
    classifier = keras_nlp.models.DistilBertClassifier.from_preset(
        str(tmp_path / "lm"), num_classes=2
    )
    assert classifier.preprocessor.sequence_length == 10
    assert sorted(classifier.preprocessor(["tok1"])) == ["input_ids", "input_mask"]


def _files(directory, names):
    return {name: open(os.path.join(directory, name), "rb").read() for name in names}


def test_named_preset_downloads_converts_and_caches(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf_cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    table = keras_nlp.models.DistilBertClassifier.presets
    assert table["distil_bert_base_en_uncased"]["source"] == (
        "hf://distilbert/distilbert-base-uncased"
    )
    with LocalHubServer() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        commit = server.add_repo(
            "distilbert/distilbert-base-uncased",
            _files(TINY, ["config.json", "model.safetensors", "vocab.txt"]),
        )
        classifier = keras_nlp.models.DistilBertClassifier.from_preset(
            "distil_bert_base_en_uncased", num_classes=2, sequence_length=16
        )
    sequence = classifier.encoder(INPUTS, training=False)["sequence_output"]
    np.testing.assert_allclose(
        sequence.numpy(), REFERENCE["sequence_output"], atol=1e-5
    )
    cached = tmp_path / "keras_home" / "presets" / "hf"
    cached = cached / "distilbert--distilbert-base-uncased" / commit
    assert (cached / "keras_nlp_distil_bert" / "encoder").is_dir()
    # Offline, the converted cache is used.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = keras_nlp.models.DistilBertClassifier.from_preset(
        "distil_bert_base_en_uncased", num_classes=2
    )
    assert again.preprocessor.sequence_length == 24  # the checkpoint's maximum
    with pytest.raises(ValueError, match="Unknown DistilBERT preset"):
        keras_nlp.models.DistilBertClassifier.from_preset(
            "distil_bert_huge", num_classes=2
        )
