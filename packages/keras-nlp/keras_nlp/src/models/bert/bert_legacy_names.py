# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-nlp 0.15's BERT model names: `BertTokenizer` and
`BertTextClassifierPreprocessor`.

Both keep 0.15 code running with a `DeprecationWarning` that names our
class: `keras_nlp.tokenizers.WordPieceTokenizer` (with 0.15's defaults
`lowercase=False` and no special tokens recognised in raw text) and
`keras_nlp.models.BertPreprocessor`.
"""

import warnings

import keras
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.tokenizers.word_piece_tokenizer import FromAssets
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer
from keras_nlp.src.tokenizers.word_piece_tokenizer import load_vocabulary
from keras_nlp.src.utils.compat import COMPAT_RFC

_register = keras.saving.register_keras_serializable(package="keras_nlp.models")
_BERT_TOKENS = ("[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]")


@api_export("keras_nlp.models.BertTokenizer", stability="stable", rfc=COMPAT_RFC)
@_register
class BertTokenizer(WordPieceTokenizer):
    """keras-nlp 0.15's BERT tokenizer: a `WordPieceTokenizer` with 0.15's
    defaults.

    Deprecated name: use `keras_nlp.tokenizers.WordPieceTokenizer(vocabulary,
    lowercase=False, special_tokens=[])` for the same ids. As in 0.15, the
    text is not lowercased unless `lowercase=True`, special tokens written
    in raw text are ordinary text unless `special_tokens_in_strings=True`,
    and the vocabulary must hold `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` and
    `[UNK]`.

    Args:
        vocabulary: a list of tokens or the path of a vocabulary file.
        lowercase: bool. Lowercase the text (default False, as in 0.15).
        special_tokens_in_strings: bool. Recognise `[CLS]`, `[MASK]`, ...
            written in the raw text.
        **kwargs: other `WordPieceTokenizer` arguments.

    Example:

    >>> import warnings
    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "The", "the"]
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     tokenizer = keras_nlp.models.BertTokenizer(vocabulary=vocab)
    >>> tokenizer(["The the"]).to_list()
    [[5, 6]]
    """

    def __init__(
        self,
        vocabulary=None,
        lowercase=False,
        special_tokens_in_strings=False,
        **kwargs,
    ):
        warnings.warn(
            "`keras_nlp.models.BertTokenizer` is the keras-nlp 0.15 name; use "
            "`keras_nlp.tokenizers.WordPieceTokenizer(vocabulary, "
            "lowercase=False, special_tokens=[])` for the same ids (our "
            "defaults are lowercase=True and BERT's special tokens recognised "
            "in raw text). The old name still works for now.",
            DeprecationWarning,
            stacklevel=2,
        )
        if "special_tokens" not in kwargs:
            kwargs["special_tokens"] = None if special_tokens_in_strings else []
        if vocabulary is not None and not isinstance(vocabulary, FromAssets):
            vocabulary = load_vocabulary(vocabulary)
            missing = [t for t in _BERT_TOKENS if t not in vocabulary]
            if missing:
                raise ValueError(
                    f"BertTokenizer's vocabulary lacks the BERT special tokens "
                    f"{missing}. Add them to the vocabulary (BERT vocabularies "
                    "start with [PAD], [UNK], [CLS], [SEP], [MASK]), or learn "
                    "one with `keras_nlp.tokenizers.compute_word_piece_vocabulary`."
                )
        super().__init__(vocabulary, lowercase=lowercase, **kwargs)


@api_export(
    "keras_nlp.models.BertTextClassifierPreprocessor",
    stability="stable",
    rfc=COMPAT_RFC,
)
@_register
class BertTextClassifierPreprocessor(BertPreprocessor):
    """keras-nlp 0.15's classifier preprocessor, with 0.15's output keys.

    Deprecated name of `keras_nlp.models.BertPreprocessor`. It packs the
    same ids, but names them as 0.15 did: `token_ids` (our `input_ids`),
    `segment_ids` (`input_type_ids`) and `padding_mask` (`input_mask`, 0/1).
    `BertEncoder` accepts both spellings. As in 0.15, a list of lists is
    refused as ambiguous; pass sentence pairs as a tuple.

    Args:
        tokenizer: a `WordPieceTokenizer` (or `BertTokenizer`).
        sequence_length: int. Length of the packed inputs.
        **kwargs: `BertPreprocessor` arguments, e.g. `truncate`
            (`"round_robin"` or `"waterfall"`).

    Example:

    >>> import warnings
    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "film"]
    >>> tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocab)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     preprocessor = keras_nlp.models.BertTextClassifierPreprocessor(
    ...         tokenizer, sequence_length=5)
    >>> preprocessor(["a film"])["token_ids"].numpy().tolist()
    [[2, 5, 6, 3, 0]]
    """

    def __init__(self, tokenizer, sequence_length=512, **kwargs):
        warnings.warn(
            "`keras_nlp.models.BertTextClassifierPreprocessor` is the "
            "keras-nlp 0.15 name; use `keras_nlp.models.BertPreprocessor`, "
            "whose outputs are named `input_ids`, `input_type_ids` and "
            "`input_mask`. The old name still works for now.",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(tokenizer, sequence_length=sequence_length, **kwargs)

    def call(self, x, y=None, sample_weight=None):
        if (
            isinstance(x, list)
            and x
            and isinstance(x[0], (list, tuple, tf.Tensor))
            and not isinstance(x[0], str)
        ):
            raise ValueError(
                "BertTextClassifierPreprocessor received a list of lists, which "
                "is ambiguous (a batch of sentence pairs, or several segments?). "
                "Pass one batch of strings, or sentence pairs as a tuple "
                "`(first_segments, second_segments)`."
            )
        out = super().call(x)
        inputs = {
            "token_ids": out["input_ids"],
            "segment_ids": out["input_type_ids"],
            "padding_mask": out["input_mask"],
        }
        return keras.utils.pack_x_y_sample_weight(inputs, y, sample_weight)
