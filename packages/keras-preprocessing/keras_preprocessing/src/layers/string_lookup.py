# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Maps string tokens to integer indices (and back)."""

import keras

from keras_core import api_export
from keras_preprocessing.src.layers.index_lookup import LookupMixin
from keras_preprocessing.src.layers.index_lookup import check_vocabulary_list
from keras_preprocessing.src.layers.index_lookup import read_vocabulary_file
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer

CATEGORICAL_RFC = "20261122-keras-categorical-inputs"


@api_export(
    "keras_preprocessing.layers.StringLookup", stability="stable", rfc=CATEGORICAL_RFC
)
class StringLookup(LookupMixin, PreprocessingLayer, keras.layers.StringLookup):
    """Maps strings from a vocabulary to integer indices.

    The replacement of `categorical_column_with_vocabulary_list` and
    `..._with_vocabulary_file`. The vocabulary is given (a list, or a file
    with one token per line) or learned by `adapt` (most frequent first).
    Index layout: the mask token (if any) is 0, then `num_oov_indices`
    out-of-vocabulary indices, then the vocabulary. With
    `num_oov_indices=0` unknown tokens map to -1, which `CategoryEncoding`
    drops. The lookup itself is `keras.layers.StringLookup`'s; this class
    changes the defaults and behaviours the design fixes: the mask token
    defaults to `""`, unknown tokens with `num_oov_indices=0` give -1 (Keras
    raises), a vocabulary file with a repeated token names the token and
    its lines, and `adapt(reset_state=False)` continues counting (also
    after a `.keras` reload: the token counts are saved with the layer).

    Args:
        max_tokens: maximum vocabulary size including the mask and OOV
            indices; `None` for no limit.
        num_oov_indices: number of OOV indices; more than one hashes unknown
            tokens among them; 0 maps them to -1.
        mask_token: token mapped to index 0 (default `""`); `None` for no
            mask index.
        oov_token: token returned for OOV indices when `invert=True`.
        vocabulary: optional list of tokens or path of a text file.
        encoding: text encoding of the strings (default `"utf-8"`).
        invert: map indices back to tokens.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a string tensor (or int tensor with `invert=True`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input, int64 indices (or strings with `invert=True`).

    Examples:

    ```python
    from keras_preprocessing.layers import StringLookup

    layer = StringLookup(vocabulary=["a", "b", "c", "d"])
    layer([["a", "c", "d"], ["d", "z", "b"]])  # [[2, 4, 5], [5, 1, 3]]
    ```
    """

    _keras_class = keras.layers.StringLookup
    _input_kind = "string"
    requires_adapt = True

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token="",
        oov_token="[UNK]",
        vocabulary=None,
        encoding="utf-8",
        invert=False,
        **kwargs,
    ):
        if isinstance(vocabulary, str):
            vocabulary = read_vocabulary_file(vocabulary, str, "token")
        elif vocabulary is not None:
            vocabulary = [
                v.decode(encoding) if isinstance(v, bytes) else str(v)
                for v in list(vocabulary)
            ]
            check_vocabulary_list(vocabulary, "token")
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(
                f"`num_oov_indices` must be an int >= 0. Received: num_oov_indices={num_oov_indices!r}."
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            encoding=encoding,
            invert=invert,
            **kwargs,
        )
        self._init_lookup_state(vocabulary is not None)

    def _standardize_adapt_batch(self, batch):
        if isinstance(batch, (dict, list, tuple)) or batch.dtype != "string":
            raise TypeError(
                f"StringLookup '{self.name}' adapts on strings; received {getattr(batch, 'dtype', type(batch))}. "
                "Use IntegerLookup for integer categories, or convert the column with `.astype(str)`."
            )
        return batch

    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config.update(
            {
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "mask_token": self.mask_token,
                "oov_token": self.oov_token,
                "vocabulary": self._lookup_config(),
                "encoding": self.encoding,
                "invert": self.invert,
            }
        )
        return config
