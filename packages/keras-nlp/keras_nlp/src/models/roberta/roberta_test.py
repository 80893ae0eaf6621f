# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RoBERTa against `transformers` (testdata/make_fixture.py): encoder, task
heads, tokenizer and packing; conversion both ways; raw-text tasks."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_nlp
from keras_nlp.src.models.checkpoint_reference_test import CheckpointReference
from keras_nlp.src.models.roberta import roberta_converter

TINY = os.path.join(os.path.dirname(__file__), "testdata", "tiny_roberta")
REF = CheckpointReference(TINY, ("input_ids", "input_mask"))
REFERENCE, INPUTS, REAL = REF.outputs, REF.inputs, REF.real


def test_encoder_matches_transformers_on_a_padded_batch():
    encoder = keras_nlp.convert.from_huggingface(TINY)
    assert type(encoder) is keras_nlp.encoders.RobertaEncoder
    config = encoder.get_config()
    # 18 position rows: 16 positions after the padding index 1.
    assert config["max_sequence_length"] == 16 and config["padding_id"] == 1
    assert config["norm_epsilon"] == 1e-5
    # Every position, padding included: positions are numbered as there.
    REF.check_encoder(encoder)


def test_task_heads_match_transformers():
    encoder = keras_nlp.convert.from_huggingface(TINY)
    labeler = keras_nlp.models.RobertaSpanLabeler(encoder)
    # All real tokens count as context, so no position is masked there.
    REF.check_heads(
        roberta_converter,
        keras_nlp.models.RobertaClassifier(encoder, 3),
        labeler,
        keras_nlp.models.RobertaTokenClassifier(encoder, 4),
        span_inputs={**INPUTS, "input_type_ids": INPUTS["input_mask"]},
        span_where=REAL,
    )
    REF.check_masked_lm(
        keras_nlp.models.RobertaMaskedLM(encoder), roberta_converter, ("lm_",)
    )
    with pytest.raises(ValueError, match="missing tensor 'qa_outputs.weight'"):
        roberta_converter.load_task_head(labeler, REF.head("token"))


def _preprocessor():
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY)
    assert type(tokenizer) is keras_nlp.tokenizers.RobertaTokenizer
    assert tokenizer.lstrip_special_tokens == ["<mask>"]
    return keras_nlp.models.RobertaPreprocessor(tokenizer, sequence_length=48)


def test_tokenizer_and_packing_match_transformers_eager_and_in_tf_data():
    preprocessor = _preprocessor()
    texts = [str(t) for t in REFERENCE["texts"]]
    single = preprocessor(texts)
    np.testing.assert_array_equal(single["input_ids"].numpy(), REFERENCE["single_ids"])
    np.testing.assert_array_equal(
        single["input_mask"].numpy(), REFERENCE["single_mask"]
    )
    pairs = (
        [str(t) for t in REFERENCE["pair_first"]],
        [str(t) for t in REFERENCE["pair_second"]],
    )
    packed = preprocessor(pairs)
    np.testing.assert_array_equal(packed["input_ids"].numpy(), REFERENCE["pair_ids"])
    np.testing.assert_array_equal(packed["input_mask"].numpy(), REFERENCE["pair_mask"])
    assert sorted(packed) == ["input_ids", "input_mask"]
    dataset = tf.data.Dataset.from_tensor_slices(texts).batch(4).map(preprocessor)
    ids = next(iter(dataset))["input_ids"].numpy()
    np.testing.assert_array_equal(ids, REFERENCE["single_ids"])


def test_offsets_cover_each_token_without_its_leading_space():
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY)
    texts = ["the cat sat", "  café, 東京 🙂"]
    ids, starts, ends = tokenizer.tokenize_with_offsets(texts)
    assert ids.to_list() == tokenizer(texts).to_list()
    for text, row, first, last in zip(
        texts, ids.to_list(), starts.to_list(), ends.to_list()
    ):
        data = text.encode("utf-8")
        # The spans tile the text once leading spaces are put back.
        assert last[-1] == len(data)
        pieces = tokenizer.detokenize([[i] for i in row]).numpy()
        for piece, start, end in zip(pieces, first, last):
            assert piece.lstrip(b" ") == data[start:end] or piece == data[start:end]


def test_to_huggingface_round_trip_and_config_errors(tmp_path):
    encoder = keras_nlp.convert.from_huggingface(TINY)
    directory = keras_nlp.convert.to_huggingface(encoder, str(tmp_path / "out"))
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == "roberta"
    assert config["max_position_embeddings"] == 18 and config["pad_token_id"] == 1
    restored = keras_nlp.convert.from_huggingface(directory)
    np.testing.assert_allclose(
        restored(INPUTS)["sequence_output"].numpy(),
        encoder(INPUTS)["sequence_output"].numpy(),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match=r"\['padding_id'\] are set by"):
        keras_nlp.convert.from_huggingface(TINY, padding_id=0)
    broken = tmp_path / "broken"
    broken.mkdir()
    with open(os.path.join(TINY, "config.json")) as f:
        config = json.load(f)
    config["max_position_embeddings"] = 2
    (broken / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="leaves no position after the padding"):
        keras_nlp.convert.from_huggingface(str(broken))


def test_encoder_checks_inputs_and_arguments():
    encoder = keras_nlp.encoders.RobertaEncoder(
        vocab_size=10,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=8,
        max_sequence_length=6,
    )
    ids = np.array([[0, 5, 2, 1]])
    mask = (ids != 1).astype("int32")
    # keras-hub names (and a boolean mask) are accepted; segment ids ignored.
    a = encoder({"token_ids": ids, "padding_mask": mask.astype(bool)})
    b = encoder({"input_ids": ids, "input_mask": mask, "input_type_ids": 0 * ids})
    np.testing.assert_allclose(a["sequence_output"], b["sequence_output"])
    with pytest.raises(ValueError, match=r"input_ids` must lie in \[0, vocab_size=10"):
        encoder({"input_ids": ids + 9, "input_mask": mask})
    with pytest.raises(ValueError, match="max_sequence_length=6"):
        encoder(
            {
                "input_ids": np.zeros((1, 7), "int32"),
                "input_mask": np.ones((1, 7), "int32"),
            }
        )
    with pytest.raises(ValueError, match="padding_id=10"):
        keras_nlp.encoders.RobertaEncoder(vocab_size=10, padding_id=10)
    with pytest.raises(ValueError, match="divisible"):
        keras_nlp.encoders.RobertaEncoder(
            vocab_size=10, hidden_size=10, num_attention_heads=3
        )


def test_family_checks_and_presets():
    encoder = keras_nlp.encoders.DistilBertEncoder(
        vocab_size=10, hidden_size=8, num_layers=1, num_attention_heads=2, inner_dim=8
    )
    with pytest.raises(TypeError, match="keras_nlp.encoders.RobertaEncoder"):
        keras_nlp.models.RobertaClassifier(encoder, 2)
    presets = keras_nlp.models.RobertaClassifier.presets
    assert presets["roberta_base_en"]["source"] == "hf://FacebookAI/roberta-base"
    assert presets["distil_roberta_base_en"]["source"] == (
        "hf://distilbert/distilroberta-base"
    )
    with pytest.raises(ValueError, match="Unknown RoBERTa preset"):
        keras_nlp.models.RobertaClassifier.from_preset("roberta_huge_en")
    with pytest.raises(ValueError, match="lacks"):
        vocab = {"<s>": 0, "</s>": 1, "a": 2}
        keras_nlp.models.RobertaPreprocessor(
            keras_nlp.tokenizers.RobertaTokenizer(
                vocab, [], special_tokens=["<s>", "</s>"], lstrip_special_tokens=[]
            )
        )


@pytest.mark.large  # fit, save and SavedModel export: ~30-60 s on 2 cores
def test_classifier_from_checkpoint_fits_raw_strings_and_exports(tmp_path):
    classifier = keras_nlp.models.RobertaClassifier.from_preset(
        TINY, num_classes=2, sequence_length=12
    )
    texts = ["the cat sat", "on the mat", "a hat", "the cat in the hat"]
    classifier.fit(texts, [0, 1, 0, 1], epochs=1, verbose=0)
    expected = classifier.predict(texts, verbose=0)
    path = str(tmp_path / "classifier.keras")
    classifier.save(path)
    restored = keras.saving.load_model(path)
    np.testing.assert_allclose(restored.predict(texts, verbose=0), expected, atol=1e-5)
    classifier.export(str(tmp_path / "served"))
    served = tf.saved_model.load(str(tmp_path / "served"))
    logits = served.signatures["serving_default"](text=tf.constant(texts))["logits"]
    np.testing.assert_allclose(logits.numpy(), expected, atol=1e-5)


@pytest.mark.large  # three tasks built, trained briefly and run: ~30 s
def test_span_labeler_tagger_and_masked_lm_from_raw_text():
    labeler = keras_nlp.models.RobertaSpanLabeler.from_preset(
        TINY, sequence_length=16, max_question_length=4, doc_stride=4
    )
    answers = labeler.predict_answers(["who sat?"], ["the cat sat on the mat"])
    assert len(answers) == 1 and answers[0]["text"] in "the cat sat on the mat"
    windows = labeler.preprocessor.windows((["who sat?"], ["the cat sat"]))
    ids = windows["input_ids"].numpy()[0].tolist()
    sep = labeler.preprocessor.tokenizer.sep_token_id
    # <s> question </s></s> context </s>
    assert ids[ids.index(sep) + 1] == sep
    tagger = keras_nlp.models.RobertaTokenClassifier.from_preset(
        TINY, num_classes=3, sequence_length=16
    )
    tagger.fit([["the", "cat"], ["a", "hat"]], [[0, 1], [0, 2]], verbose=0)
    assert len(tagger.predict_tags([["the", "cat", "sat"]])[0]) == 3
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY)
    masked_lm = keras_nlp.models.RobertaMaskedLM(
        keras_nlp.convert.from_huggingface(TINY),
        keras_nlp.models.RobertaMaskedLMPreprocessor(
            tokenizer, sequence_length=16, mask_selection_length=3
        ),
    )
    history = masked_lm.fit(["the cat sat on the mat"] * 4, verbose=0)
    assert np.isfinite(history.history["loss"][0])
