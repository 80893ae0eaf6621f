# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ALBERT against `transformers` (testdata/make_fixture.py), and its tasks,
preprocessors and conversion."""

import json
import os

import numpy as np
import pytest
from safetensors.numpy import load_file

import keras_nlp
from keras_nlp.src.models.albert import albert_converter
from keras_nlp.src.models.albert.albert_encoder import AlbertEncoder
from keras_nlp.src.models.albert.albert_tasks import AlbertClassifier
from keras_nlp.src.models.albert.albert_tasks import AlbertMaskedLM
from keras_nlp.src.models.albert.albert_tasks import AlbertPreprocessor
from keras_nlp.src.models.albert.albert_tasks import AlbertSpanLabeler
from keras_nlp.src.models.albert.albert_tasks import AlbertTokenClassifier
from keras_nlp.src.models.albert.albert_tokenizer import AlbertTokenizer
from keras_nlp.src.models.checkpoint_reference_test import CheckpointReference

HERE = os.path.dirname(__file__)
TINY = os.path.join(HERE, "testdata", "tiny_albert")
GROUPS = os.path.join(HERE, "testdata", "tiny_albert_groups")
SPIECE = os.path.join(
    os.path.dirname(os.path.dirname(HERE)),
    "tokenizers",
    "testdata",
    "albert_spiece.model",
)


INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")


@pytest.mark.parametrize("directory", [TINY, GROUPS])
def test_encoder_matches_transformers(directory):
    reference = CheckpointReference(directory, INPUT_NAMES)
    encoder = keras_nlp.convert.from_huggingface(directory)
    assert type(encoder) is AlbertEncoder
    with open(os.path.join(directory, "config.json")) as f:
        groups = json.load(f)["num_hidden_groups"]
    assert len(encoder.transformer_layers) == groups
    # Padding positions hold arbitrary ids; the real ones must match.
    outputs = reference.check_encoder(encoder, where=reference.real)
    reference.assert_close(outputs["pooled_output"], "pooled_output")


def test_task_heads_match_transformers():
    reference = CheckpointReference(TINY, INPUT_NAMES)
    inputs, real = reference.inputs, reference.real
    encoder = keras_nlp.convert.from_huggingface(TINY)
    allowed = real & (inputs["input_type_ids"] == 1)
    allowed[:, 0] = True
    reference.check_heads(
        albert_converter,
        AlbertClassifier(encoder, 3),
        AlbertSpanLabeler(encoder),
        AlbertTokenClassifier(encoder, 4),
        span_where=allowed,
        token_where=real,
    )
    masked_lm = AlbertMaskedLM(encoder)
    tensors = load_file(os.path.join(TINY, "model.safetensors"))
    albert_converter.load_task_head(
        masked_lm, {k: v for k, v in tensors.items() if k.startswith("predictions.")}
    )
    positions = np.tile(np.arange(5, dtype="int32"), (4, 1))
    logits = masked_lm(
        {**inputs, "masked_positions": positions}, training=False
    ).numpy()
    lengths = real.sum(axis=1)
    for row in range(4):
        valid = positions[row] < lengths[row]
        np.testing.assert_allclose(
            logits[row][valid],
            reference.outputs["mlm_logits"][row][positions[row][valid]],
            atol=1e-5,
        )


def test_to_huggingface_round_trip(tmp_path):
    inputs = CheckpointReference(GROUPS, INPUT_NAMES).inputs
    encoder = keras_nlp.convert.from_huggingface(GROUPS)
    directory = keras_nlp.convert.to_huggingface(encoder, str(tmp_path / "out"))
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == "albert" and config["num_hidden_groups"] == 2
    restored = keras_nlp.convert.from_huggingface(directory)
    np.testing.assert_allclose(
        restored(inputs)["pooled_output"].numpy(),
        encoder(inputs)["pooled_output"].numpy(),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match=r"\['num_groups'\] are set by"):
        keras_nlp.convert.from_huggingface(TINY, num_groups=3)


def test_groups_must_divide_layers():
    with pytest.raises(ValueError, match="must divide `num_layers`"):
        AlbertEncoder(
            vocab_size=10,
            hidden_size=8,
            num_layers=3,
            num_attention_heads=2,
            inner_dim=8,
            num_groups=2,
        )


def test_preprocessor_frames_like_transformers():
    # `pair_ids` are AlbertTokenizerFast's framed pairs (with [CLS]/[SEP]).
    path = os.path.join(os.path.dirname(SPIECE), "hf_sentence_piece_reference.json")
    with open(path, encoding="utf-8") as f:
        reference = json.load(f)
    texts = reference["texts"]["albert"]
    case = reference["cases"]["albert"]
    tokenizer = AlbertTokenizer(SPIECE)
    preprocessor = AlbertPreprocessor(tokenizer, sequence_length=512)
    out = preprocessor((texts[:40], texts[40:80]))
    ids, mask = out["input_ids"].numpy(), out["input_mask"].numpy()
    got = [row[m == 1].tolist() for row, m in zip(ids, mask)]
    singles = tokenizer(texts[:80]).to_list()
    checked = 0
    for i, (ours, theirs) in enumerate(zip(got, case["pair_ids"])):
        a, b = singles[i], singles[40 + i]
        assert ours == [2] + a + [3] + b + [3]
        # Lines where the tokenizer breaks a score tie otherwise are left
        # out (see albert_tokenizer_test.py).
        if a == case["ids"][i] and b == case["ids"][40 + i]:
            assert ours == theirs
            checked += 1
    assert checked >= 38


@pytest.mark.large  # fit, save and SavedModel export: ~30-60 s on 2 cores
def test_classifier_from_checkpoint_fits_raw_strings_and_exports(tmp_path):
    import keras
    import tensorflow as tf

    classifier = AlbertClassifier.from_preset(TINY, num_classes=2, sequence_length=12)
    assert isinstance(classifier.preprocessor.tokenizer, AlbertTokenizer)
    assert AlbertClassifier.presets["albert_base_en_uncased"]["source"] == (
        "hf://albert/albert-base-v2"
    )
    texts = ["The quick fox", "a lazy dog [MASK]", "Café déjà vu", "中文 text"]
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


@pytest.mark.large  # ~4 CPU s alone; XLM-R's test is the default check
def test_span_labeler_preprocessor_finds_the_answer_in_raw_text():
    # Accents (stripped by the tokenizer), a 2-byte character before the
    # answer and several windows: the labelled tokens' byte offsets cut
    # exactly the answer from the raw context, in the windows that hold it.
    from keras_nlp.src.models.albert.albert_tasks import AlbertSpanLabelerPreprocessor

    preprocessor = AlbertSpanLabelerPreprocessor(
        AlbertTokenizer(SPIECE),
        sequence_length=24,
        doc_stride=8,
        max_question_length=6,
    )
    context = (
        "Ça commence: the Eiffel Tower, in Paris, was finished in 1889 by "
        "Gustave Eiffel's company."
    )
    spans = _answer_spans(preprocessor, "When was it finished?", context, "1889")
    assert len(spans) > 2 and "1889" in spans
    assert set(spans) == {None, "1889"}


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
def test_convert_builds_the_albert_tokenizer_of_a_checkpoint(tmp_path):
    # `keras_nlp.convert.tokenizer_from_huggingface` dispatches on the
    # checkpoint's model_type ("albert") to albert_converter.
    tokenizer = keras_nlp.convert.tokenizer_from_huggingface(TINY, sequence_length=6)
    assert type(tokenizer) is AlbertTokenizer
    text = ["Café déjà vu [MASK]"]
    np.testing.assert_array_equal(
        tokenizer(text).numpy(), AlbertTokenizer(SPIECE, sequence_length=6)(text)
    )
    with open(os.path.join(TINY, "config.json")) as f:
        (tmp_path / "config.json").write_text(f.read())
    with pytest.raises(ValueError, match="No spiece.model in"):
        keras_nlp.convert.tokenizer_from_huggingface(tmp_path)


def test_encoder_saved_before_the_shared_parts_loads_with_equal_outputs():
    # Written by the AlbertEncoder that wired its layers by hand (before it
    # was built on FamilyEncoder, EncoderEmbeddings and
    # TransformerEncoderStack): same weight names, same config keys.
    import keras

    saved = os.path.join(
        os.path.dirname(__file__), "testdata", "saved_before_shared_parts"
    )
    expected = np.load(os.path.join(saved, "outputs.npz"))
    inputs = {k: expected[k] for k in ("input_ids", "input_mask", "input_type_ids")}
    restored = keras.saving.load_model(os.path.join(saved, "albert_encoder.keras"))
    assert type(restored) is AlbertEncoder
    outputs = restored(inputs)
    for name in ("sequence_output", "pooled_output"):
        np.testing.assert_allclose(outputs[name].numpy(), expected[name], atol=1e-6)
    with open(os.path.join(saved, "config.json")) as f:
        config = json.load(f)
    rebuilt = AlbertEncoder.from_config(config)
    assert rebuilt.get_config() == restored.get_config()
    rebuilt.set_weights(restored.get_weights())
    np.testing.assert_allclose(
        rebuilt(inputs)["pooled_output"].numpy(), expected["pooled_output"], atol=1e-6
    )
