# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RoBERTa tasks: the generic tasks on `RobertaEncoder`."""

import keras

from keras_core import api_export
from keras_nlp.src.layers.masked_lm import MaskedLM
from keras_nlp.src.models.masked_language_model import MaskedLanguageModel
from keras_nlp.src.models.roberta import roberta_presets
from keras_nlp.src.models.roberta.roberta_encoder import RobertaEncoder
from keras_nlp.src.models.roberta.roberta_preprocessors import (
    RobertaMaskedLMPreprocessor,
)
from keras_nlp.src.models.roberta.roberta_preprocessors import RobertaPreprocessor
from keras_nlp.src.models.roberta.roberta_preprocessors import (
    RobertaSpanLabelerPreprocessor,
)
from keras_nlp.src.models.roberta.roberta_preprocessors import (
    RobertaTokenClassifierPreprocessor,
)
from keras_nlp.src.models.span_labeler import SpanLabeler
from keras_nlp.src.models.task import dense_head
from keras_nlp.src.models.text_classifier import TextClassifier
from keras_nlp.src.models.token_classifier import TokenClassifier

_PRESETS = roberta_presets.ROBERTA_PRESETS
_HUB = roberta_presets.HUB_PRESETS


def roberta_classification_head(outputs, num_classes, dropout):
    """RoBERTa's head: `<s>`'s output, dropout, dense + tanh, dropout, dense."""
    sequence = outputs["sequence_output"]
    x = keras.layers.Dropout(dropout, name="head_dropout")(sequence[:, 0, :])
    x = keras.layers.Dense(
        sequence.shape[-1],
        activation="tanh",
        kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.02),
        name="classifier_dense",
    )(x)
    return dense_head(x, num_classes, dropout, "logits", "classifier_dropout")


@api_export("keras_nlp.models.RobertaClassifier", stability="experimental")
class RobertaClassifier(TextClassifier):
    """A RoBERTa encoder with RoBERTa's classification head, from raw text.

    `TextClassifier` on `RobertaEncoder` with the head of `transformers`'
    `RobertaForSequenceClassification` (RoBERTa has no pooler): the output
    at `<s>`, dropout, a dense layer with `tanh`, dropout, and a dense layer
    giving `num_classes` logits. Takes raw strings (or pairs) in `fit`,
    `evaluate` and `predict`; `export` writes a string-in SavedModel;
    `from_preset` takes the names of `presets`.

    Args:
        encoder: a `keras_nlp.encoders.RobertaEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: a `RobertaPreprocessor` or None (then the model takes
            `input_ids` and `input_mask`).
        dropout: float. Dropout rate in the head.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> encoder = keras_nlp.encoders.RobertaEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> classifier = keras_nlp.models.RobertaClassifier(
    ...     encoder, 2, keras_nlp.models.RobertaPreprocessor(tokenizer, 8))
    >>> history = classifier.fit(["ab", "ab ab"], [1, 0], verbose=0)
    >>> classifier.predict(["ab"], verbose=0).shape
    (1, 2)
    """

    backbone_cls = RobertaEncoder
    preprocessor_cls = RobertaPreprocessor
    presets = _PRESETS
    hub_presets = _HUB

    # The head reads `sequence_output[:, 0]` only (see TextClassifier).
    first_position_head = True

    @classmethod
    def classification_head(cls, outputs, num_classes, dropout):
        """`<s>`'s output, dropout, dense + tanh, dropout, dense."""
        return roberta_classification_head(outputs, num_classes, dropout)


@api_export("keras_nlp.models.RobertaMaskedLM", stability="experimental")
class RobertaMaskedLM(MaskedLanguageModel):
    """RoBERTa with its masked-language-model head, trained from raw text.

    `MaskedLanguageModel` on `RobertaEncoder`. The head has the layout of
    `transformers`' `RobertaForMaskedLM` (`lm_head`): dense, GELU, layer
    normalization with the encoder's epsilon, and an output layer tied to
    the word embeddings, with its own bias.

    Args:
        encoder: a `keras_nlp.encoders.RobertaEncoder`.
        preprocessor: a `RobertaMaskedLMPreprocessor` or None.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> encoder = keras_nlp.encoders.RobertaEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> masked_lm = keras_nlp.models.RobertaMaskedLM(
    ...     encoder, keras_nlp.models.RobertaMaskedLMPreprocessor(
    ...         tokenizer, sequence_length=8, mask_selection_length=2))
    >>> history = masked_lm.fit(["ab ab ab"] * 4, verbose=0)
    """

    backbone_cls = RobertaEncoder
    preprocessor_cls = RobertaMaskedLMPreprocessor
    presets = _PRESETS

    @classmethod
    def masked_lm_head(cls, encoder):
        """`MaskedLM` tied to the embeddings, with the encoder's activation
        and layer-norm epsilon (RoBERTa's `lm_head`)."""
        config = encoder.get_config()
        return MaskedLM(
            encoder.get_embedding_table(),
            activation=config["inner_activation"],
            norm_epsilon=config["norm_epsilon"],
            name="masked_lm_head",
            dtype="float32",
        )


@api_export("keras_nlp.models.RobertaSpanLabeler", stability="experimental")
class RobertaSpanLabeler(SpanLabeler):
    """RoBERTa for extractive question answering.

    `SpanLabeler` on `RobertaEncoder`: a dense layer with 2 outputs (start
    and end logits) on the sequence output, as `transformers`'
    `RobertaForQuestionAnswering`, with positions outside the context
    masked.

    Args:
        encoder: a `keras_nlp.encoders.RobertaEncoder`.
        preprocessor: a `RobertaSpanLabelerPreprocessor` or None.
        max_answer_length: int. Longest answer, in tokens.
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> encoder = keras_nlp.encoders.RobertaEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> labeler = keras_nlp.models.RobertaSpanLabeler(
    ...     encoder, keras_nlp.models.RobertaSpanLabelerPreprocessor(
    ...         tokenizer, sequence_length=8, max_question_length=2))
    >>> len(labeler.predict_answers(["ab"], ["ab ab"]))
    1
    """

    backbone_cls = RobertaEncoder
    preprocessor_cls = RobertaSpanLabelerPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.RobertaTokenClassifier", stability="experimental")
class RobertaTokenClassifier(TokenClassifier):
    """RoBERTa for token classification (named entities, tagging).

    `TokenClassifier` on `RobertaEncoder`: dropout and a dense layer on
    every token, as `transformers`' `RobertaForTokenClassification`.

    Args:
        encoder: a `keras_nlp.encoders.RobertaEncoder`.
        num_classes: int >= 2. Number of tags.
        preprocessor: a `RobertaTokenClassifierPreprocessor` or None.
        label_names: list of str or None. The name of every tag id.
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> encoder = keras_nlp.encoders.RobertaEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> tagger = keras_nlp.models.RobertaTokenClassifier(
    ...     encoder, 2, keras_nlp.models.RobertaTokenClassifierPreprocessor(
    ...         tokenizer, sequence_length=8), label_names=["O", "B-X"])
    >>> len(tagger.predict_tags([["ab", "ab"]])[0])
    2
    """

    backbone_cls = RobertaEncoder
    preprocessor_cls = RobertaTokenClassifierPreprocessor
    presets = _PRESETS
    hub_presets = _HUB
