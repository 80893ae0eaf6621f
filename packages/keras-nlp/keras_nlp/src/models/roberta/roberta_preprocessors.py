# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RoBERTa preprocessors: `<s> a </s></s> b </s>` packing, no segment ids."""

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.models.masked_language_model import MaskedLanguageModelPreprocessor
from keras_nlp.src.models.roberta.roberta_tokenizer import RobertaTokenizer
from keras_nlp.src.models.span_labeler import SpanLabelerPreprocessor
from keras_nlp.src.models.text_classifier import TextClassifierPreprocessor
from keras_nlp.src.models.token_classifier import TokenClassifierPreprocessor

INPUT_NAMES = ("input_ids", "input_mask")


class _RobertaPacking:
    """What every RoBERTa preprocessor shares (a mixin)."""

    tokenizer_cls = RobertaTokenizer
    special_tokens = ("<s>", "</s>", "<pad>")
    model_input_names = INPUT_NAMES
    pair_separator_count = 2


@api_export("keras_nlp.models.RobertaPreprocessor", stability="experimental")
class RobertaPreprocessor(_RobertaPacking, TextClassifierPreprocessor):
    """Turns raw strings or string pairs into `RobertaEncoder` inputs.

    Tokenizes with a `RobertaTokenizer` and packs `<s> a </s>` or, for
    pairs, `<s> a </s></s> b </s>` (RoBERTa's two separators), padded with
    `<pad>`, as HuggingFace's RoBERTa tokenizers do. Returns `input_ids`
    and `input_mask`: RoBERTa has no segment embeddings.

    Args:
        tokenizer: a `RobertaTokenizer`.
        sequence_length: int. Length of the packed inputs (>= 3).
        truncate: `"round_robin"` or `"waterfall"`.

    Call arguments:
        x: a batch of strings, one string, or a tuple of string batches.
        y: optional labels, passed through.
        sample_weight: optional sample weights, passed through.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> preprocessor = keras_nlp.models.RobertaPreprocessor(
    ...     tokenizer, sequence_length=8)
    >>> preprocessor((["ab"], ["ab ab"]))["input_ids"].numpy().tolist()
    [[0, 8, 2, 2, 8, 9, 2, 1]]
    """


@api_export("keras_nlp.models.RobertaMaskedLMPreprocessor", stability="experimental")
class RobertaMaskedLMPreprocessor(_RobertaPacking, MaskedLanguageModelPreprocessor):
    """Raw text to masked-language-model examples for RoBERTa.

    `MaskedLanguageModelPreprocessor` with RoBERTa's packing and inputs
    (`input_ids`, `input_mask`, plus `masked_positions`); `<mask>` replaces
    the chosen tokens.

    Args:
        tokenizer: a `RobertaTokenizer`.
        sequence_length: int. Length of the packed inputs.
        truncate: `"round_robin"` or `"waterfall"`.
        mask_selection_rate: float. Fraction of tokens to predict.
        mask_selection_length: int. Maximum predictions per sequence.
        mask_token_rate: float. Share of chosen tokens replaced by `<mask>`.
        random_token_rate: float. Share replaced by a random token.
        seed: int or None. Seed of the masking.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> preprocessor = keras_nlp.models.RobertaMaskedLMPreprocessor(
    ...     tokenizer, sequence_length=6, mask_selection_length=2, seed=1)
    >>> x, y, w = preprocessor(["ab ab"])
    >>> y.shape
    TensorShape([1, 2])
    """

    special_tokens = ("<s>", "</s>", "<pad>", "<mask>")


@api_export("keras_nlp.models.RobertaSpanLabelerPreprocessor", stability="experimental")
class RobertaSpanLabelerPreprocessor(_RobertaPacking, SpanLabelerPreprocessor):
    """Packs questions and contexts into windows for RoBERTa QA.

    `SpanLabelerPreprocessor` with RoBERTa's packing, `<s> question
    </s></s> context </s>`. It also returns `input_type_ids` (1 on context
    tokens): `RobertaSpanLabeler` uses it to restrict answers to the
    context, and does not pass it to the encoder. Context offsets come from
    `RobertaTokenizer.tokenize_with_offsets`.

    Args:
        tokenizer: a `RobertaTokenizer`.
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows.
        max_question_length: int. Questions are cut to this many tokens.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> preprocessor = keras_nlp.models.RobertaSpanLabelerPreprocessor(
    ...     tokenizer, sequence_length=8, max_question_length=2)
    >>> preprocessor((["ab"], ["ab ab"]))["input_ids"].numpy().tolist()
    [[0, 8, 2, 2, 8, 9, 2, 1]]
    """

    model_input_names = ("input_ids", "input_mask", "input_type_ids")


@api_export(
    "keras_nlp.models.RobertaTokenClassifierPreprocessor",
    stability="experimental",
)
class RobertaTokenClassifierPreprocessor(_RobertaPacking, TokenClassifierPreprocessor):
    """Turns sentences of words, and word-level tags, into RoBERTa inputs.

    `TokenClassifierPreprocessor` with RoBERTa's inputs. Each word is
    tokenized with a space before it, as HuggingFace's RoBERTa tokenizers
    do for pre-split words (`is_split_into_words=True`,
    `add_prefix_space=True`).

    Args:
        tokenizer: a `RobertaTokenizer`.
        sequence_length: int. Length of the packed inputs.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(vocab, ["a b", "Ġ ab"])
    >>> preprocessor = keras_nlp.models.RobertaTokenClassifierPreprocessor(
    ...     tokenizer, sequence_length=5)
    >>> preprocessor([["ab", "ab"]])["input_ids"].numpy().tolist()
    [[0, 9, 9, 2, 1]]
    """

    special_tokens = ("<s>", "</s>", "<pad>", "<unk>")

    def tokenize_words(self, words):
        """Every word with a space before it (so `"Ġ"`-initial tokens)."""
        spaces = tf.fill(tf.shape(words), " ")
        return self.tokenizer.tokenize(tf.strings.join([spaces, words]))
