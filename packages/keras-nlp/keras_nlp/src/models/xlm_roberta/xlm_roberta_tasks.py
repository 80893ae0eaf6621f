# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLM-RoBERTa tasks: RoBERTa's tasks and heads on `XLMRobertaEncoder`."""

from keras_core import api_export
from keras_nlp.src.models.roberta.roberta_tasks import RobertaClassifier
from keras_nlp.src.models.roberta.roberta_tasks import RobertaMaskedLM
from keras_nlp.src.models.roberta.roberta_tasks import RobertaSpanLabeler
from keras_nlp.src.models.roberta.roberta_tasks import RobertaTokenClassifier
from keras_nlp.src.models.xlm_roberta import xlm_roberta_presets
from keras_nlp.src.models.xlm_roberta.xlm_roberta_encoder import XLMRobertaEncoder
from keras_nlp.src.models.xlm_roberta.xlm_roberta_preprocessors import (
    XLMRobertaMaskedLMPreprocessor,
)
from keras_nlp.src.models.xlm_roberta.xlm_roberta_preprocessors import (
    XLMRobertaPreprocessor,
)
from keras_nlp.src.models.xlm_roberta.xlm_roberta_preprocessors import (
    XLMRobertaSpanLabelerPreprocessor,
)
from keras_nlp.src.models.xlm_roberta.xlm_roberta_preprocessors import (
    XLMRobertaTokenClassifierPreprocessor,
)

_PRESETS = xlm_roberta_presets.XLM_ROBERTA_PRESETS
_HUB = xlm_roberta_presets.HUB_PRESETS


@api_export("keras_nlp.models.XLMRobertaClassifier", stability="experimental")
class XLMRobertaClassifier(RobertaClassifier):
    """XLM-RoBERTa with RoBERTa's classification head, from raw text.

    `RobertaClassifier` on `XLMRobertaEncoder` (the head of `transformers`'
    `XLMRobertaForSequenceClassification`).

    Args:
        encoder: a `keras_nlp.encoders.XLMRobertaEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: an `XLMRobertaPreprocessor` or None.
        dropout: float. Dropout rate in the head.

    Example:

    >>> encoder = keras_nlp.encoders.XLMRobertaEncoder(
    ...     vocab_size=30, hidden_size=8, num_layers=1, num_attention_heads=2,
    ...     inner_dim=16, max_sequence_length=8)
    >>> classifier = keras_nlp.models.XLMRobertaClassifier(encoder, 3)
    >>> classifier.output_shape
    (None, 3)
    """

    backbone_cls = XLMRobertaEncoder
    preprocessor_cls = XLMRobertaPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.XLMRobertaMaskedLM", stability="experimental")
class XLMRobertaMaskedLM(RobertaMaskedLM):
    """XLM-RoBERTa with its masked-language-model head.

    `RobertaMaskedLM` on `XLMRobertaEncoder` (the `lm_head` of
    `XLMRobertaForMaskedLM`).

    Args:
        encoder: a `keras_nlp.encoders.XLMRobertaEncoder`.
        preprocessor: an `XLMRobertaMaskedLMPreprocessor` or None.

    Example:

    >>> encoder = keras_nlp.encoders.XLMRobertaEncoder(
    ...     vocab_size=30, hidden_size=8, num_layers=1, num_attention_heads=2,
    ...     inner_dim=16, max_sequence_length=8)
    >>> masked_lm = keras_nlp.models.XLMRobertaMaskedLM(encoder)
    >>> masked_lm.output_shape
    (None, None, 30)
    """

    backbone_cls = XLMRobertaEncoder
    preprocessor_cls = XLMRobertaMaskedLMPreprocessor
    presets = _PRESETS


@api_export("keras_nlp.models.XLMRobertaSpanLabeler", stability="experimental")
class XLMRobertaSpanLabeler(RobertaSpanLabeler):
    """XLM-RoBERTa for extractive question answering.

    `RobertaSpanLabeler` on `XLMRobertaEncoder` (the head of
    `XLMRobertaForQuestionAnswering`).

    Args:
        encoder: a `keras_nlp.encoders.XLMRobertaEncoder`.
        preprocessor: an `XLMRobertaSpanLabelerPreprocessor` or None.
        max_answer_length: int. Longest answer, in tokens.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.XLMRobertaEncoder(
    ...     vocab_size=30, hidden_size=8, num_layers=1, num_attention_heads=2,
    ...     inner_dim=16, max_sequence_length=8)
    >>> sorted(keras_nlp.models.XLMRobertaSpanLabeler(encoder).output_names)
    ['end', 'start']
    """

    backbone_cls = XLMRobertaEncoder
    preprocessor_cls = XLMRobertaSpanLabelerPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.XLMRobertaTokenClassifier", stability="experimental")
class XLMRobertaTokenClassifier(RobertaTokenClassifier):
    """XLM-RoBERTa for token classification (named entities, tagging).

    `RobertaTokenClassifier` on `XLMRobertaEncoder` (the head of
    `XLMRobertaForTokenClassification`).

    Args:
        encoder: a `keras_nlp.encoders.XLMRobertaEncoder`.
        num_classes: int >= 2. Number of tags.
        preprocessor: an `XLMRobertaTokenClassifierPreprocessor` or None.
        label_names: list of str or None. The name of every tag id.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.XLMRobertaEncoder(
    ...     vocab_size=30, hidden_size=8, num_layers=1, num_attention_heads=2,
    ...     inner_dim=16, max_sequence_length=8)
    >>> keras_nlp.models.XLMRobertaTokenClassifier(encoder, 5).output_shape
    (None, None, 5)
    """

    backbone_cls = XLMRobertaEncoder
    preprocessor_cls = XLMRobertaTokenClassifierPreprocessor
    presets = _PRESETS
    hub_presets = _HUB
