# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ELECTRA preprocessors and tasks: the generic ones on `ElectraEncoder`.

The discriminator is the encoder; there is no masked-LM task (ELECTRA's
masked LM is its generator, a separate model).
"""

import keras

from keras_core import api_export
from keras_nlp.src.models.electra import electra_presets
from keras_nlp.src.models.electra.electra_encoder import ElectraEncoder
from keras_nlp.src.models.span_labeler import SpanLabeler
from keras_nlp.src.models.span_labeler import SpanLabelerPreprocessor
from keras_nlp.src.models.task import dense_head
from keras_nlp.src.models.text_classifier import TextClassifier
from keras_nlp.src.models.text_classifier import TextClassifierPreprocessor
from keras_nlp.src.models.token_classifier import TokenClassifier
from keras_nlp.src.models.token_classifier import TokenClassifierPreprocessor

_PRESETS = electra_presets.ELECTRA_PRESETS
_HUB = electra_presets.HUB_PRESETS


@api_export("keras_nlp.models.ElectraPreprocessor", stability="experimental")
class ElectraPreprocessor(TextClassifierPreprocessor):
    """Turns raw strings or string pairs into `ElectraEncoder` inputs.

    Packs `[CLS] a [SEP] (b [SEP])` with a `WordPieceTokenizer`, exactly as
    `BertPreprocessor` (ELECTRA uses BERT's vocabulary and inputs).

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]` and `[PAD]`.
        sequence_length: int. Length of the packed inputs (>= 3).
        truncate: `"round_robin"` or `"waterfall"`.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "film"]
    >>> preprocessor = keras_nlp.models.ElectraPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=5)
    >>> preprocessor(["a film"])["input_ids"].numpy().tolist()
    [[2, 4, 5, 3, 0]]
    """


@api_export("keras_nlp.models.ElectraSpanLabelerPreprocessor", stability="experimental")
class ElectraSpanLabelerPreprocessor(SpanLabelerPreprocessor):
    """Packs questions and contexts into windows for ELECTRA QA.

    `SpanLabelerPreprocessor` for ELECTRA.

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]` and `[PAD]`.
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows.
        max_question_length: int. Questions are cut to this many tokens.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada"]
    >>> preprocessor = keras_nlp.models.ElectraSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     max_question_length=3)
    >>> preprocessor((["Who ran?"], ["Ada ran"]))["input_type_ids"].numpy().tolist()
    [[0, 0, 0, 0, 0, 1, 1, 1]]
    """


@api_export(
    "keras_nlp.models.ElectraTokenClassifierPreprocessor", stability="experimental"
)
class ElectraTokenClassifierPreprocessor(TokenClassifierPreprocessor):
    """Turns sentences of words, and word-level tags, into ELECTRA inputs.

    `TokenClassifierPreprocessor` for ELECTRA.

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]`, `[PAD]`
            and `[UNK]`.
        sequence_length: int. Length of the packed inputs.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "wrote"]
    >>> preprocessor = keras_nlp.models.ElectraTokenClassifierPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=5)
    >>> preprocessor([["Ada", "wrote"]])["input_ids"].numpy().tolist()
    [[2, 4, 5, 3, 0]]
    """


@api_export("keras_nlp.models.ElectraClassifier", stability="experimental")
class ElectraClassifier(TextClassifier):
    """An ELECTRA discriminator with a classification head, from raw text.

    `TextClassifier` on `ElectraEncoder` with ELECTRA's head (it has no
    pooler): the first token's output, dropout, a dense layer with GELU,
    dropout, and a dense layer giving `num_classes` logits, as
    `transformers`' `ElectraForSequenceClassification`.

    Args:
        encoder: a `keras_nlp.encoders.ElectraEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: an `ElectraPreprocessor` or None.
        dropout: float. Dropout rate in the head.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "good", "bad", "film"]
    >>> preprocessor = keras_nlp.models.ElectraPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.ElectraEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> classifier = keras_nlp.models.ElectraClassifier(encoder, 2, preprocessor)
    >>> classifier.predict(["good film"], verbose=0).shape
    (1, 2)
    """

    backbone_cls = ElectraEncoder
    preprocessor_cls = ElectraPreprocessor
    presets = _PRESETS
    hub_presets = _HUB

    # The head reads `sequence_output[:, 0]` only (see TextClassifier).
    first_position_head = True

    @classmethod
    def classification_head(cls, outputs, num_classes, dropout):
        """First token, dropout, dense + GELU, dropout, dense."""
        sequence = outputs["sequence_output"]
        x = keras.layers.Dropout(dropout, name="head_dropout")(sequence[:, 0, :])
        x = keras.layers.Dense(
            sequence.shape[-1],
            activation=keras.activations.gelu,
            kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            name="classifier_dense",
        )(x)
        return dense_head(x, num_classes, dropout, "logits", "classifier_dropout")


@api_export("keras_nlp.models.ElectraSpanLabeler", stability="experimental")
class ElectraSpanLabeler(SpanLabeler):
    """An ELECTRA discriminator for extractive question answering.

    `SpanLabeler` on `ElectraEncoder`: a dense layer with 2 outputs on the
    sequence output, as `transformers`' `ElectraForQuestionAnswering`.

    Args:
        encoder: a `keras_nlp.encoders.ElectraEncoder`.
        preprocessor: an `ElectraSpanLabelerPreprocessor` or None.
        max_answer_length: int. Longest answer, in tokens.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.ElectraEncoder(
    ...     vocab_size=10, hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> labeler = keras_nlp.models.ElectraSpanLabeler(encoder)
    >>> sorted(labeler.output_names)
    ['end', 'start']
    """

    backbone_cls = ElectraEncoder
    preprocessor_cls = ElectraSpanLabelerPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.ElectraTokenClassifier", stability="experimental")
class ElectraTokenClassifier(TokenClassifier):
    """An ELECTRA discriminator for token classification (NER, tagging).

    `TokenClassifier` on `ElectraEncoder`: dropout and a dense layer on
    every token, as `transformers`' `ElectraForTokenClassification`.

    Args:
        encoder: a `keras_nlp.encoders.ElectraEncoder`.
        num_classes: int >= 2. Number of tags.
        preprocessor: an `ElectraTokenClassifierPreprocessor` or None.
        label_names: list of str or None. The name of every tag id.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.ElectraEncoder(
    ...     vocab_size=10, hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> keras_nlp.models.ElectraTokenClassifier(encoder, 3).output_shape
    (None, None, 3)
    """

    backbone_cls = ElectraEncoder
    preprocessor_cls = ElectraTokenClassifierPreprocessor
    presets = _PRESETS
    hub_presets = _HUB
