# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLM-RoBERTa against `transformers` (testdata/make_fixture.py): encoder and
task heads; conversion both ways; the checkpoint's tokenizer and packing
against `XLMRobertaTokenizerFast`; preprocessors also on a plain
SentencePiece model trained here with XLM-RoBERTa's special-token layout."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

import keras_nlp
from keras_nlp.src.models.checkpoint_reference_test import CheckpointReference
from keras_nlp.src.models.roberta import roberta_converter

TINY = os.path.join(os.path.dirname(__file__), "testdata", "tiny_xlm_roberta")
REF = CheckpointReference(TINY, ("input_ids", "input_mask"))
with open(os.path.join(TINY, "tokenized.json"), encoding="utf-8") as _f:
    TOKENIZED = json.load(_f)
INPUTS = REF.inputs


def test_encoder_and_heads_match_transformers():
    encoder = keras_nlp.convert.from_huggingface(TINY)
    assert type(encoder) is keras_nlp.encoders.XLMRobertaEncoder
    REF.check_encoder(encoder)
    REF.check_heads(
        roberta_converter,
        keras_nlp.models.XLMRobertaClassifier(encoder, 3),
        keras_nlp.models.XLMRobertaSpanLabeler(encoder),
        keras_nlp.models.XLMRobertaTokenClassifier(encoder, 4),
        span_inputs={**INPUTS, "input_type_ids": INPUTS["input_mask"]},
        span_where=REF.real,
    )
    REF.check_masked_lm(
        keras_nlp.models.XLMRobertaMaskedLM(encoder), roberta_converter, ("lm_",)
    )


def test_to_huggingface_writes_xlm_roberta(tmp_path):
    encoder = keras_nlp.convert.from_huggingface(TINY)
    directory = keras_nlp.convert.to_huggingface(encoder, str(tmp_path / "out"))
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == "xlm-roberta"
    assert config["architectures"] == ["XLMRobertaModel"]
    restored = keras_nlp.convert.from_huggingface(directory)
    assert type(restored) is keras_nlp.encoders.XLMRobertaEncoder
    np.testing.assert_allclose(
        restored(INPUTS)["sequence_output"].numpy(),
        encoder(INPUTS)["sequence_output"].numpy(),
        atol=1e-6,
    )


def _tokenizer():
    proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
        ["hallo welt", "bonjour le monde", "hello world", "ada lief"] * 20,
        vocabulary_size=30,
        bos_id=0,
        pad_id=1,
        eos_id=2,
        unk_id=3,
        user_defined_symbols=["<mask>"],
    )
    return keras_nlp.tokenizers.SentencePieceTokenizer(proto)


def test_preprocessors_pack_like_roberta_on_sentence_piece():
    tokenizer = _tokenizer()
    preprocessor = keras_nlp.models.XLMRobertaPreprocessor(tokenizer, 32)
    first = tokenizer(["hallo welt"]).to_list()[0]
    second = tokenizer(["hello"]).to_list()[0]
    ids = preprocessor((["hallo welt"], ["hello"]))["input_ids"].numpy()[0].tolist()
    # <s> a </s></s> b </s> <pad>...
    expected = [0] + first + [2, 2] + second + [2]
    assert ids == expected + [1] * (32 - len(expected))
    masked = keras_nlp.models.XLMRobertaMaskedLMPreprocessor(
        tokenizer, sequence_length=12, mask_selection_length=2, seed=1
    )
    assert masked.special_token_id(tokenizer, "mask") == tokenizer.token_to_id("<mask>")
    tagger = keras_nlp.models.XLMRobertaTokenClassifierPreprocessor(tokenizer, 32)
    ids = tagger([["hallo", "welt"]])["input_ids"].numpy()[0].tolist()
    assert ids[0] == 0 and ids.count(2) == 1 and ids[-1] == 1
    with pytest.raises(ValueError, match="lacks"):
        plain = keras_nlp.tokenizers.compute_sentence_piece_proto(
            ["hallo welt"] * 20, vocabulary_size=12
        )
        keras_nlp.models.XLMRobertaMaskedLMPreprocessor(
            keras_nlp.tokenizers.SentencePieceTokenizer(plain), sequence_length=8
        )


def test_presets_name_the_hub_checkpoints():
    presets = keras_nlp.models.XLMRobertaClassifier.presets
    assert presets["xlm_roberta_base_multi"]["source"] == (
        "hf://FacebookAI/xlm-roberta-base"
    )
    with pytest.raises(ValueError, match="Unknown XLM-RoBERTa preset"):
        keras_nlp.models.XLMRobertaClassifier.from_preset("xlm_roberta_tiny_multi")


@pytest.mark.large  # default-suite time budget
def test_tokenizer_from_checkpoint_folder():
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY, sequence_length=5)
    assert type(tokenizer) is keras_nlp.tokenizers.XLMRobertaTokenizer
    assert tokenizer.vocabulary_size() == 4002  # the embedding table's rows
    assert (tokenizer.cls_token_id, tokenizer.pad_token_id) == (0, 1)
    assert (tokenizer.sep_token_id, tokenizer.unk_token_id) == (2, 3)
    assert tokenizer.mask_token_id == 4001
    assert tokenizer(["a"]).shape == (1, 5)


def test_tokenizer_from_folder_without_sentencepiece_model(tmp_path):
    with open(os.path.join(TINY, "config.json")) as f:
        config = f.read()
    (tmp_path / "config.json").write_text(config)
    with pytest.raises(ValueError, match="No sentencepiece.bpe.model in"):
        keras_nlp.convert.tokenizer_from_huggingface(tmp_path)


@pytest.mark.large  # over 4 s; default-suite time budget
def test_classifier_from_checkpoint_packs_like_transformers():
    length = TOKENIZED["sequence_length"]
    classifier = keras_nlp.models.XLMRobertaClassifier.from_preset(
        TINY, num_classes=2, sequence_length=length
    )
    preprocessor = classifier.preprocessor
    assert type(preprocessor) is keras_nlp.models.XLMRobertaPreprocessor
    assert type(preprocessor.tokenizer) is keras_nlp.tokenizers.XLMRobertaTokenizer
    single = preprocessor(TOKENIZED["texts"])
    np.testing.assert_array_equal(
        single["input_ids"].numpy(), np.array(TOKENIZED["input_ids"])
    )
    np.testing.assert_array_equal(
        single["input_mask"].numpy(), np.array(TOKENIZED["input_ids"]) != 1
    )
    first, second = zip(*TOKENIZED["pairs"])
    pairs = preprocessor((list(first), list(second)))
    np.testing.assert_array_equal(
        pairs["input_ids"].numpy(), np.array(TOKENIZED["pair_input_ids"])
    )
    dataset = (
        tf.data.Dataset.from_tensor_slices(TOKENIZED["texts"])
        .batch(4)
        .map(preprocessor)
    )
    np.testing.assert_array_equal(
        next(iter(dataset))["input_ids"].numpy(), np.array(TOKENIZED["input_ids"])
    )


@pytest.mark.large  # from_preset and one epoch of fit: ~20 s on a busy machine
def test_classifier_from_checkpoint_fits_raw_strings():
    classifier = keras_nlp.models.XLMRobertaClassifier.from_preset(
        TINY, num_classes=2, sequence_length=TOKENIZED["sequence_length"]
    )
    history = classifier.fit(
        TOKENIZED["texts"], [0, 1, 0, 1], batch_size=4, epochs=1, verbose=0
    )
    assert np.isfinite(history.history["loss"][0])
    assert classifier.predict(["ein Satz"], verbose=0).shape == (1, 2)


def test_span_labeler_preprocessor_finds_the_answer_in_raw_text():
    # XLMRobertaTokenizer gives offsets: the labelled tokens' byte offsets
    # cut the answer from the raw context. A SentencePieceTokenizer gives
    # none: refused when built, not an AttributeError inside tf.function.
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY)
    preprocessor = keras_nlp.models.XLMRobertaSpanLabelerPreprocessor(
        tokenizer, sequence_length=24, doc_stride=8, max_question_length=6
    )
    context = "Der Eiffelturm in Paris wurde 1889 fertig, sagt Zoë."
    spans = _answer_spans(preprocessor, "Wann?", context, "Zoë")
    assert "Zoë" in spans and set(spans) <= {None, "Zoë"}
    with pytest.raises(ValueError, match="tokenize_with_offsets"):
        keras_nlp.models.XLMRobertaSpanLabelerPreprocessor(_tokenizer(), 16)


def _answer_spans(preprocessor, question, context, answer):
    """The bytes of `context` between each window's labelled answer tokens
    (None for a window labelled 0, not holding the whole answer)."""
    start = context.index(answer)
    out = preprocessor.windows((question, context), ([start], [answer]))
    data = context.encode("utf-8")
    spans = []
    for starts, ends, i, j in zip(
        out["token_starts"].numpy(),
        out["token_ends"].numpy(),
        out["start"].numpy(),
        out["end"].numpy(),
    ):
        spans.append(None if i == 0 else data[starts[i] : ends[j]].decode("utf-8"))
    return spans


@pytest.mark.large  # default-suite time budget
def test_named_preset_downloads_sentencepiece_model_converts_and_caches(
    tmp_path, monkeypatch
):
    from keras_core.testing import LocalHubServer

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf_cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    names = ["config.json", "model.safetensors", "sentencepiece.bpe.model"]
    files = {}
    for name in names:
        with open(os.path.join(TINY, name), "rb") as f:
            files[name] = f.read()
    with LocalHubServer() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        server.add_repo("FacebookAI/xlm-roberta-base", files)
        classifier = keras_nlp.models.XLMRobertaClassifier.from_preset(
            "xlm_roberta_base_multi", num_classes=2, sequence_length=16
        )
    # Offline, the converted cache (encoder and tokenizer presets) is used.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = keras_nlp.models.XLMRobertaClassifier.from_preset(
        "xlm_roberta_base_multi", num_classes=2, sequence_length=16
    )
    for model in (classifier, again):
        tokenizer = model.preprocessor.tokenizer
        assert type(tokenizer) is keras_nlp.tokenizers.XLMRobertaTokenizer
        ids = model.preprocessor(TOKENIZED["texts"])["input_ids"].numpy()
        np.testing.assert_array_equal(ids, np.array(TOKENIZED["input_ids"]))
