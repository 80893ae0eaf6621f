# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLM-RoBERTa preprocessors: RoBERTa's packing on XLM-RoBERTa's
SentencePiece tokenizer (`XLMRobertaTokenizer`, or a plain
`SentencePieceTokenizer` trained with XLM-RoBERTa's special-token layout)."""

from keras_core import api_export
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
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import SentencePieceTokenizer

# A SentencePiece model trained with XLM-RoBERTa's layout has `<s>` as its
# BOS and `</s>` as its EOS piece.
_FALLBACK = {"cls": "bos_token_id", "sep": "eos_token_id"}


class _SentencePieceRoles:
    """Special-token ids of a SentencePiece tokenizer (a mixin).

    `XLMRobertaTokenizer` names them (`cls_token_id` ... `mask_token_id`, in
    fairseq's layout); a plain `SentencePieceTokenizer` has its model's
    BOS / EOS / pad / unk ids and `<mask>` as a piece.
    """

    tokenizer_cls = SentencePieceTokenizer

    @classmethod
    def special_token_id(cls, tokenizer, role):
        """`<role>_token_id` if the tokenizer has it; else `<s>` is its BOS
        (`"cls"`), `</s>` its EOS (`"sep"`) and `"mask"` the piece
        `<mask>`."""
        found = getattr(tokenizer, f"{role}_token_id", None)
        if found is not None:
            return found
        if role in _FALLBACK:
            found = getattr(tokenizer, _FALLBACK[role], None)
            return None if found is None or found < 0 else found
        if role == "mask":
            try:
                found = tokenizer.token_to_id("<mask>")
            except (ValueError, KeyError, AttributeError):
                return None
            return None if found == getattr(tokenizer, "unk_token_id", None) else found
        return None


@api_export("keras_nlp.models.XLMRobertaPreprocessor", stability="experimental")
class XLMRobertaPreprocessor(_SentencePieceRoles, RobertaPreprocessor):
    """Turns raw strings or string pairs into `XLMRobertaEncoder` inputs.

    RoBERTa's packing (`<s> a </s></s> b </s>`, padded with `<pad>`) on
    XLM-RoBERTa's SentencePiece tokenizer, as HuggingFace's
    `XLMRobertaTokenizerFast` packs. Use the `XLMRobertaTokenizer` of the
    checkpoint (`keras_nlp.convert.tokenizer_from_huggingface`, or the
    tasks' `from_preset`), whose ids are fairseq's (`<s>` 0, `<pad>` 1,
    `</s>` 2, `<unk>` 3, `<mask>` last). A plain `SentencePieceTokenizer`
    is accepted too: its model's BOS piece is taken as `<s>`, its EOS as
    `</s>`, its pad id as `<pad>`.

    Args:
        tokenizer: a `keras_nlp.tokenizers.XLMRobertaTokenizer`, or a
            `keras_nlp.tokenizers.SentencePieceTokenizer` whose model has
            BOS, EOS and pad ids.
        sequence_length: int. Length of the packed inputs (>= 3).
        truncate: `"round_robin"` or `"waterfall"`.

    Example:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["hallo welt", "bonjour le monde", "hello world"] * 20,
    ...     vocabulary_size=30, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    >>> tokenizer = keras_nlp.tokenizers.XLMRobertaTokenizer(proto)
    >>> preprocessor = keras_nlp.models.XLMRobertaPreprocessor(
    ...     tokenizer, sequence_length=32)
    >>> ids = preprocessor((["hallo welt"], ["hello"]))["input_ids"].numpy()[0]
    >>> int(ids[0]), ids.tolist().count(2), int(ids[-1])  # <s>, </s>, <pad>
    (0, 3, 1)

    With a plain `SentencePieceTokenizer` trained with that layout:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["hallo welt", "bonjour le monde", "hello world"] * 20,
    ...     vocabulary_size=30, bos_id=0, pad_id=1, eos_id=2, unk_id=3,
    ...     user_defined_symbols=["<mask>"])
    >>> tokenizer = keras_nlp.tokenizers.SentencePieceTokenizer(proto)
    >>> preprocessor = keras_nlp.models.XLMRobertaPreprocessor(
    ...     tokenizer, sequence_length=32)
    >>> ids = preprocessor((["hallo welt"], ["hello"]))["input_ids"].numpy()[0]
    >>> int(ids[0]), ids.tolist().count(2)
    (0, 3)
    """


@api_export("keras_nlp.models.XLMRobertaMaskedLMPreprocessor", stability="experimental")
class XLMRobertaMaskedLMPreprocessor(_SentencePieceRoles, RobertaMaskedLMPreprocessor):
    """Raw text to masked-language-model examples for XLM-RoBERTa.

    `RobertaMaskedLMPreprocessor` on XLM-RoBERTa's tokenizer; masked
    positions get `<mask>` (`mask_token_id`, the last id).

    Args:
        tokenizer: a `keras_nlp.tokenizers.XLMRobertaTokenizer`, or a
            `keras_nlp.tokenizers.SentencePieceTokenizer` whose model has
            BOS, EOS and pad ids and a `<mask>` piece.
        sequence_length: int. Length of the packed inputs.
        **kwargs: the masking arguments of `RobertaMaskedLMPreprocessor`.

    Example:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["hallo welt", "bonjour le monde", "hello world"] * 20,
    ...     vocabulary_size=30, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    >>> tokenizer = keras_nlp.tokenizers.XLMRobertaTokenizer(proto)
    >>> preprocessor = keras_nlp.models.XLMRobertaMaskedLMPreprocessor(
    ...     tokenizer, sequence_length=10, mask_selection_length=2, seed=1)
    >>> x, y, sample_weight = preprocessor(["hallo welt"])
    >>> y.shape
    TensorShape([1, 2])
    """


@api_export(
    "keras_nlp.models.XLMRobertaSpanLabelerPreprocessor", stability="experimental"
)
class XLMRobertaSpanLabelerPreprocessor(
    _SentencePieceRoles, RobertaSpanLabelerPreprocessor
):
    """Packs questions and contexts into windows for XLM-RoBERTa QA.

    `RobertaSpanLabelerPreprocessor` on a SentencePiece tokenizer, which
    must also give byte offsets (`tokenize_with_offsets`) to cut answers
    from the context: `XLMRobertaTokenizer` gives them; a tokenizer
    without them (a plain `SentencePieceTokenizer`) is refused with a
    `ValueError`, and `XLMRobertaSpanLabeler` then runs on tokenized inputs
    (`input_ids`, `input_mask`, `input_type_ids`) with `preprocessor=None`.

    Args:
        tokenizer: a `keras_nlp.tokenizers.XLMRobertaTokenizer` (or another
            SentencePiece tokenizer with the special-token attributes and
            `tokenize_with_offsets`).
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows.
        max_question_length: int. Questions are cut to this many tokens.

    Example:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["hallo welt", "bonjour le monde", "hello world"] * 20,
    ...     vocabulary_size=30, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    >>> tokenizer = keras_nlp.tokenizers.XLMRobertaTokenizer(proto)
    >>> preprocessor = keras_nlp.models.XLMRobertaSpanLabelerPreprocessor(
    ...     tokenizer, sequence_length=32, max_question_length=4)
    >>> x, y = preprocessor(("hallo?", "bonjour le monde"), ([11], ["monde"]))
    >>> int(y["start"][0]), int(y["end"][0])  # "monde", from raw text
    (17, 21)
    """

    @classmethod
    def check_tokenizer(cls, tokenizer, required=None):
        super().check_tokenizer(tokenizer, required)
        if not callable(getattr(tokenizer, "tokenize_with_offsets", None)):
            raise ValueError(
                f"{cls.__name__} needs a tokenizer with `tokenize_with_offsets` "
                "(byte offsets, to cut answers from the context); "
                f"{type(tokenizer).__name__} has none. Use an XLMRobertaTokenizer, or pass "
                "`preprocessor=None` to XLMRobertaSpanLabeler and feed it "
                "tokenized inputs (`input_ids`, `input_mask`, `input_type_ids`)."
            )


@api_export(
    "keras_nlp.models.XLMRobertaTokenClassifierPreprocessor",
    stability="experimental",
)
class XLMRobertaTokenClassifierPreprocessor(
    _SentencePieceRoles, RobertaTokenClassifierPreprocessor
):
    """Turns sentences of words, and word-level tags, into XLM-RoBERTa inputs.

    `RobertaTokenClassifierPreprocessor` on XLM-RoBERTa's tokenizer (each
    word is tokenized on its own, starting a new piece).

    Args:
        tokenizer: a `keras_nlp.tokenizers.XLMRobertaTokenizer`, or a
            `keras_nlp.tokenizers.SentencePieceTokenizer` whose model has
            BOS, EOS, pad and unk ids.
        sequence_length: int. Length of the packed inputs.

    Example:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["hallo welt", "bonjour le monde", "hello world"] * 20,
    ...     vocabulary_size=30, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    >>> tokenizer = keras_nlp.tokenizers.XLMRobertaTokenizer(proto)
    >>> preprocessor = keras_nlp.models.XLMRobertaTokenClassifierPreprocessor(
    ...     tokenizer, sequence_length=8)
    >>> preprocessor([["hallo", "welt"]])["input_ids"].shape
    TensorShape([1, 8])
    """
