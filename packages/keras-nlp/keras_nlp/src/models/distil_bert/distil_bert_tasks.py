# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DistilBERT tasks: the generic tasks on `DistilBertEncoder`."""

import keras

from keras_core import api_export
from keras_nlp.src.models.distil_bert import distil_bert_presets
from keras_nlp.src.models.distil_bert.distil_bert_encoder import DistilBertEncoder
from keras_nlp.src.models.distil_bert.distil_bert_preprocessors import (
    DistilBertMaskedLMPreprocessor,
)
from keras_nlp.src.models.distil_bert.distil_bert_preprocessors import (
    DistilBertPreprocessor,
)
from keras_nlp.src.models.distil_bert.distil_bert_preprocessors import (
    DistilBertSpanLabelerPreprocessor,
)
from keras_nlp.src.models.distil_bert.distil_bert_preprocessors import (
    DistilBertTokenClassifierPreprocessor,
)
from keras_nlp.src.models.masked_language_model import MaskedLanguageModel
from keras_nlp.src.models.span_labeler import SpanLabeler
from keras_nlp.src.models.task import dense_head
from keras_nlp.src.models.text_classifier import TextClassifier
from keras_nlp.src.models.token_classifier import TokenClassifier

_PRESETS = distil_bert_presets.DISTIL_BERT_PRESETS
_HUB = distil_bert_presets.HUB_PRESETS


@api_export("keras_nlp.models.DistilBertClassifier", stability="experimental")
class DistilBertClassifier(TextClassifier):
    """A DistilBERT encoder with a classification head, trained from raw text.

    `TextClassifier` on `DistilBertEncoder`, with DistilBERT's head (it has
    no pooler): the first token's output, a dense layer with ReLU,
    dropout, and a dense layer giving `num_classes` logits, as
    `transformers`' `DistilBertForSequenceClassification`. Takes raw
    strings (or pairs) in `fit`, `evaluate`, `predict`; `export` writes a
    string-in SavedModel; `from_preset` takes names from `presets`.

    Args:
        encoder: a `keras_nlp.encoders.DistilBertEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: a `DistilBertPreprocessor` or None (then the model
            takes `input_ids` and `input_mask`).
        dropout: float. Dropout rate before the last dense layer.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "good", "bad", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> classifier = keras_nlp.models.DistilBertClassifier(encoder, 2, preprocessor)
    >>> history = classifier.fit(["a good film", "a bad film"], [1, 0], verbose=0)
    >>> classifier.predict(["good film"], verbose=0).shape
    (1, 2)
    """

    backbone_cls = DistilBertEncoder
    preprocessor_cls = DistilBertPreprocessor
    presets = _PRESETS
    hub_presets = _HUB

    # The head reads `sequence_output[:, 0]` only (see TextClassifier).
    first_position_head = True

    @classmethod
    def classification_head(cls, outputs, num_classes, dropout):
        """First token, dense + ReLU (`pre_classifier`), dropout, dense."""
        sequence = outputs["sequence_output"]
        hidden = keras.layers.Dense(
            sequence.shape[-1],
            activation="relu",
            kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            name="pre_classifier",
        )(sequence[:, 0, :])
        return dense_head(hidden, num_classes, dropout, "logits", "classifier_dropout")


@api_export("keras_nlp.models.DistilBertMaskedLM", stability="experimental")
class DistilBertMaskedLM(MaskedLanguageModel):
    """DistilBERT with a masked-language-model head, trained from raw text.

    `MaskedLanguageModel` on `DistilBertEncoder`: the head (dense,
    activation, layer normalization, output tied to the word embeddings)
    has the layout of `transformers`' `DistilBertForMaskedLM`.

    Args:
        encoder: a `keras_nlp.encoders.DistilBertEncoder`.
        preprocessor: a `DistilBertMaskedLMPreprocessor` or None.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertMaskedLMPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     mask_selection_length=2)
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> masked_lm = keras_nlp.models.DistilBertMaskedLM(encoder, preprocessor)
    >>> history = masked_lm.fit(["a good film"] * 4, verbose=0)
    """

    backbone_cls = DistilBertEncoder
    preprocessor_cls = DistilBertMaskedLMPreprocessor
    presets = _PRESETS


@api_export("keras_nlp.models.DistilBertSpanLabeler", stability="experimental")
class DistilBertSpanLabeler(SpanLabeler):
    """DistilBERT for extractive question answering.

    `SpanLabeler` on `DistilBertEncoder`: dropout and a dense layer with 2
    outputs (start and end logits) on the sequence output, as
    `transformers`' `DistilBertForQuestionAnswering`, with positions outside
    the context masked.

    Args:
        encoder: a `keras_nlp.encoders.DistilBertEncoder`.
        preprocessor: a `DistilBertSpanLabelerPreprocessor` or None.
        max_answer_length: int. Longest answer, in tokens.
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada"]
    >>> preprocessor = keras_nlp.models.DistilBertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     max_question_length=3)
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> labeler = keras_nlp.models.DistilBertSpanLabeler(encoder, preprocessor)
    >>> len(labeler.predict_answers(["Who ran?"], ["Ada ran"]))
    1
    """

    backbone_cls = DistilBertEncoder
    preprocessor_cls = DistilBertSpanLabelerPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.DistilBertTokenClassifier", stability="experimental")
class DistilBertTokenClassifier(TokenClassifier):
    """DistilBERT for token classification (named entities, tagging).

    `TokenClassifier` on `DistilBertEncoder`: dropout and a dense layer on
    every token, as `transformers`' `DistilBertForTokenClassification`.

    Args:
        encoder: a `keras_nlp.encoders.DistilBertEncoder`.
        num_classes: int >= 2. Number of tags.
        preprocessor: a `DistilBertTokenClassifierPreprocessor` or None.
        label_names: list of str or None. The name of every tag id.
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "wrote", "code"]
    >>> preprocessor = keras_nlp.models.DistilBertTokenClassifierPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> tagger = keras_nlp.models.DistilBertTokenClassifier(
    ...     encoder, 2, preprocessor, label_names=["O", "B-PER"])
    >>> len(tagger.predict_tags([["Ada", "wrote"]])[0])
    2
    """

    backbone_cls = DistilBertEncoder
    preprocessor_cls = DistilBertTokenClassifierPreprocessor
    presets = _PRESETS
    hub_presets = _HUB
