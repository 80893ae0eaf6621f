# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DistilBERT preprocessors: BERT's packing without segment ids."""

from keras_core import api_export
from keras_nlp.src.models.masked_language_model import MaskedLanguageModelPreprocessor
from keras_nlp.src.models.span_labeler import SpanLabelerPreprocessor
from keras_nlp.src.models.text_classifier import TextClassifierPreprocessor
from keras_nlp.src.models.token_classifier import TokenClassifierPreprocessor

INPUT_NAMES = ("input_ids", "input_mask")


@api_export("keras_nlp.models.DistilBertPreprocessor", stability="experimental")
class DistilBertPreprocessor(TextClassifierPreprocessor):
    """Turns raw strings or string pairs into `DistilBertEncoder` inputs.

    Tokenizes with a `WordPieceTokenizer` and packs `[CLS] a [SEP] (b
    [SEP])` like `BertPreprocessor`, but returns only `input_ids` and
    `input_mask`: DistilBERT has no segment embeddings.

    Args:
        tokenizer: a `WordPieceTokenizer` whose vocabulary holds `[CLS]`,
            `[SEP]` and `[PAD]`.
        sequence_length: int. Length of the packed inputs (>= 3).
        truncate: `"round_robin"` or `"waterfall"`.

    Call arguments:
        x: a batch of strings, one string, or a tuple of string batches.
        y: optional labels, passed through.
        sample_weight: optional sample weights, passed through.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "good", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=6)
    >>> preprocessor(["a good film"])["input_ids"].numpy().tolist()
    [[2, 4, 5, 6, 3, 0]]
    """

    model_input_names = INPUT_NAMES


@api_export("keras_nlp.models.DistilBertMaskedLMPreprocessor", stability="experimental")
class DistilBertMaskedLMPreprocessor(MaskedLanguageModelPreprocessor):
    """Raw text to masked-language-model examples for DistilBERT.

    `MaskedLanguageModelPreprocessor` with DistilBERT's inputs
    (`input_ids`, `input_mask`, plus `masked_positions`).

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]`, `[PAD]`
            and `[MASK]`.
        sequence_length: int. Length of the packed inputs.
        truncate: `"round_robin"` or `"waterfall"`.
        mask_selection_rate: float. Fraction of tokens to predict.
        mask_selection_length: int. Maximum predictions per sequence.
        mask_token_rate: float. Share of chosen tokens replaced by `[MASK]`.
        random_token_rate: float. Share replaced by a random token.
        seed: int or None. Seed of the masking.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertMaskedLMPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=6,
    ...     mask_selection_length=2, seed=1)
    >>> x, y, w = preprocessor(["a film"])
    >>> y.shape
    TensorShape([1, 2])
    """

    model_input_names = INPUT_NAMES


@api_export(
    "keras_nlp.models.DistilBertSpanLabelerPreprocessor", stability="experimental"
)
class DistilBertSpanLabelerPreprocessor(SpanLabelerPreprocessor):
    """Packs questions and contexts into windows for DistilBERT QA.

    `SpanLabelerPreprocessor` for DistilBERT. It also returns
    `input_type_ids` (1 on context tokens): `DistilBertSpanLabeler` uses it
    to restrict answers to the context, and does not pass it to the
    encoder.

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]` and `[PAD]`.
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows.
        max_question_length: int. Questions are cut to this many tokens.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada"]
    >>> preprocessor = keras_nlp.models.DistilBertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     max_question_length=3)
    >>> sorted(preprocessor((["Who ran?"], ["Ada ran"])))
    ['input_ids', 'input_mask', 'input_type_ids']
    """

    model_input_names = ("input_ids", "input_mask", "input_type_ids")


@api_export(
    "keras_nlp.models.DistilBertTokenClassifierPreprocessor",
    stability="experimental",
)
class DistilBertTokenClassifierPreprocessor(TokenClassifierPreprocessor):
    """Turns sentences of words, and word-level tags, into DistilBERT inputs.

    `TokenClassifierPreprocessor` with DistilBERT's inputs (`input_ids`,
    `input_mask`).

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]`, `[PAD]`
            and `[UNK]`.
        sequence_length: int. Length of the packed inputs.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "wrote"]
    >>> preprocessor = keras_nlp.models.DistilBertTokenClassifierPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=5)
    >>> sorted(preprocessor([["Ada", "wrote"]]))
    ['input_ids', 'input_mask']
    """

    model_input_names = INPUT_NAMES
