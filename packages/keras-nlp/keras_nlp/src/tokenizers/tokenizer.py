# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The base class of every keras-nlp tokenizer."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_core.presets import PresetMixin

RFC = "20261122-keras-nlp-tokenizers-and-tasks"


class FromAssets:
    """Stands for a vocabulary that `load_assets` will provide.

    `from_config` passes it as the vocabulary of a tokenizer whose config
    (written by `get_config`) does not hold the vocabulary itself, only its
    size and the ids of its special tokens, which preprocessors built around
    the tokenizer need before the assets are read.
    """

    def __init__(self, vocabulary_size, special_token_ids):
        self.vocabulary_size = vocabulary_size
        self.special_token_ids = dict(special_token_ids or {})


def pending_vocabulary_error(tokenizer):
    return ValueError(
        f"{type(tokenizer).__name__} '{tokenizer.name}' was rebuilt from a "
        "config, which does not hold its vocabulary: the vocabulary is an "
        "asset. Load the whole object with `keras.saving.load_model` (a "
        "`.keras` file) or `from_preset` (a preset directory), which read "
        "`assets/`, or construct the tokenizer with its vocabulary."
    )


def asset_mismatch_error(path, expected, found):
    """The error for assets that differ from what the tokenizer's config says.

    `expected` words the config's side (size and special token ids),
    `found` the side of the file at `path`.
    """
    return ValueError(
        f"{path!r} does not match the tokenizer's config: the config expects "
        f"{expected}, the file has {found}. The assets were modified or mixed "
        "up; restore the original file."
    )


def to_string_tensor(inputs, what="inputs"):
    """Converts str, bytes, lists of them, arrays or tensors to a string tensor.

    Returns `(tensor, unbatched)` where `unbatched` is True for a scalar input.
    """
    if isinstance(inputs, (tf.Tensor, tf.RaggedTensor)):
        if inputs.dtype != tf.string:
            raise TypeError(
                f"`{what}` must be strings. Received a tensor of dtype "
                f"{inputs.dtype.name}. Pass raw text (str, a list of str, or a "
                "tf.string tensor); token ids go to `detokenize`."
            )
        return inputs, inputs.shape.rank == 0
    if isinstance(inputs, (str, bytes)):
        return tf.constant(inputs), True
    if isinstance(inputs, np.ndarray) and inputs.dtype.kind not in ("U", "S", "O"):
        raise TypeError(
            f"`{what}` must be strings. Received a NumPy array of dtype "
            f"{inputs.dtype}. Pass raw text; token ids go to `detokenize`."
        )
    if isinstance(inputs, (list, tuple, np.ndarray)):
        values = list(inputs) if not isinstance(inputs, np.ndarray) else inputs
        flat = values if not isinstance(values, np.ndarray) else values.ravel()
        # Checking the set of types first is several times faster on long
        # lists of str; the loop only runs to name a bad element.
        kinds = set(map(type, flat))
        if kinds <= {str, bytes, np.str_, np.bytes_}:
            return tf.constant(values, dtype=tf.string), False
        for value in flat:
            if not isinstance(value, (str, bytes, np.str_, np.bytes_)):
                raise TypeError(
                    f"`{what}` must be strings. Received an element of type "
                    f"{type(value).__name__}: {value!r}. Pass a list of str."
                )
        return tf.constant(values, dtype=tf.string), False
    raise TypeError(
        f"`{what}` must be a str, a list of str, a NumPy string array or a "
        f"tf.string tensor. Received: {type(inputs).__name__}."
    )


def to_string_batch(inputs):
    """`to_string_tensor` for tokenizers that work on batches: returns
    `(rank-1 strings, unbatched)`, a scalar input given one more dimension;
    anything of another rank is refused."""
    strings, unbatched = to_string_tensor(inputs)
    if strings.shape.rank not in (0, 1, None):
        raise ValueError(
            "`inputs` must be a str or a batch of str (rank 0 or 1). "
            f"Received shape {strings.shape}."
        )
    if unbatched:
        strings = tf.expand_dims(strings, 0)
    return strings, unbatched


def _python_ids(inputs, what):
    """Nested Python lists of ids -> a (ragged) int64 tensor, types checked."""

    def check(value, depth):
        if isinstance(value, (list, tuple)):
            if depth > 2:
                raise ValueError(
                    f"`{what}` must be a sequence of token ids (rank 1) or a "
                    "batch of them (rank 2). Received more nesting levels."
                )
            for item in value:
                check(item, depth + 1)
            return
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, np.integer)
        ):
            raise TypeError(
                f"`{what}` must be integer token ids. Received an element of "
                f"type {type(value).__name__}: {value!r}. Float ids are never "
                "rounded or truncated: convert them with care (e.g. "
                "`np.asarray(ids).astype('int32')` after checking they are "
                "whole numbers)."
            )
        if not -(2**63) <= int(value) < 2**63:
            raise ValueError(
                f"`{what}` holds the id {int(value)}, which does not fit in "
                "int64 and cannot be a token id."
            )

    check(inputs, 0)
    try:
        return tf.ragged.constant(inputs, dtype=tf.int64)
    except ValueError as error:
        raise ValueError(
            f"`{what}` must be a sequence of token ids (rank 1) or a batch of "
            f"them (rank 2), with every row nested alike. Received: "
            f"{inputs!r:.200}."
        ) from error


def token_id_tensor(inputs, what="inputs"):
    """Token ids (lists, NumPy, tensors, ragged) -> an integer tensor.

    Raises a `TypeError` for anything but integers (floats are never
    truncated, booleans are not ids) and a `ValueError` for ranks other than
    1 (one sequence) and 2 (a batch).
    """
    if isinstance(inputs, (tf.Tensor, tf.RaggedTensor)):
        ids = inputs
    elif isinstance(inputs, np.ndarray):
        if inputs.dtype.kind not in "iu":
            raise TypeError(
                f"`{what}` must be integer token ids. Received a NumPy array "
                f"of dtype {inputs.dtype}. Float ids are never rounded or "
                "truncated; pass an integer array."
            )
        ids = tf.convert_to_tensor(inputs)
    elif isinstance(inputs, (list, tuple)):
        ids = _python_ids(list(inputs), what)
    elif isinstance(inputs, (int, np.integer)) and not isinstance(inputs, bool):
        raise ValueError(
            f"`{what}` must be a sequence of token ids (rank 1) or a batch of "
            f"them (rank 2). Received the single id {inputs!r}; pass "
            f"[{inputs!r}]."
        )
    else:
        raise TypeError(
            f"`{what}` must be integer token ids (a list, a NumPy array or a "
            f"tensor). Received: {type(inputs).__name__}."
        )
    if not ids.dtype.is_integer:
        raise TypeError(
            f"`{what}` must be integer token ids. Received dtype "
            f"{ids.dtype.name}. Float ids are never rounded or truncated; "
            "cast them to an integer dtype yourself if they are whole numbers."
        )
    rank = ids.shape.rank
    if rank is not None and rank not in (1, 2):
        raise ValueError(
            f"`{what}` must be a sequence of token ids (rank 1) or a batch of "
            f"them (rank 2). Received rank {rank} (shape {ids.shape})."
        )
    return ids


def id_range_message(name, vocabulary_size):
    return (
        f"{name} received token ids outside the vocabulary. Valid ids are 0 "
        f"to {vocabulary_size - 1} (vocabulary_size={vocabulary_size}). Map "
        "or drop the out-of-range ids (e.g. ids produced by a model with a "
        "larger output layer) before detokenizing."
    )


def check_ids_in_vocabulary(ids, vocabulary_size, name):
    """Raises (or, in a graph, asserts) that `0 <= ids < vocabulary_size`.

    Eagerly, a `ValueError` names the offending ids and the valid range. In
    a traced function (`tf.function`, `tf.data`) the check is a graph
    assertion that fails with `tf.errors.InvalidArgumentError` carrying the
    same text and the offending ids. Returns `ids`, made to depend on the
    assertion.
    """
    message = id_range_message(name, vocabulary_size)
    flat = ids.flat_values if isinstance(ids, tf.RaggedTensor) else ids
    if tf.executing_eagerly() and hasattr(flat, "numpy"):
        values = np.asarray(flat.numpy()).reshape(-1)
        bad = values[(values < 0) | (values >= vocabulary_size)]
        if bad.size:
            shown = sorted(set(bad.tolist()))
            listed = ", ".join(str(v) for v in shown[:10])
            more = f" (and {len(shown) - 10} more)" if len(shown) > 10 else ""
            raise ValueError(f"{message} Received ids: [{listed}]{more}.")
        return ids
    flat = tf.reshape(flat, [-1])
    bad_mask = tf.logical_or(flat < 0, flat >= tf.cast(vocabulary_size, flat.dtype))
    check = tf.debugging.Assert(
        tf.logical_not(tf.reduce_any(bad_mask)),
        [message + " Received ids:", tf.boolean_mask(flat, bad_mask)],
        summarize=10,
    )
    with tf.control_dependencies([check]):
        if isinstance(ids, tf.RaggedTensor):
            return ids.with_flat_values(tf.identity(ids.flat_values))
        return tf.identity(ids)


@api_export("keras_nlp.tokenizers.Tokenizer", stability="stable", rfc=RFC)
class Tokenizer(PresetMixin, keras.layers.Layer):
    """Base class of the keras-nlp tokenizers: strings in, token ids out.

    A tokenizer is a Keras layer without weights, so it can be used in a
    `tf.data` pipeline (`dataset.map(tokenizer)`), inside a Functional model
    taking `tf.string` inputs, or eagerly on Python lists. Calling it is the
    same as calling `tokenize`. Subclasses implement `tokenize`,
    `detokenize`, `get_vocabulary`, `vocabulary_size`, `id_to_token` and
    `token_to_id`.

    Tokenizers hold no variables. Their vocabulary (or model file) is an
    asset, not part of their config: `.keras` files and presets write it to
    their `assets/` through `save_assets` and read it back through
    `load_assets`, so the config stays small. `from_config` alone gives a
    tokenizer that knows its settings, vocabulary size and special token ids
    but cannot tokenize until its assets are loaded.

    Examples:

    >>> tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(
    ...     vocabulary=["[UNK]", "the", "qu", "##ick"])
    >>> tokenizer(["the quick"]).to_list()
    [[1, 2, 3]]
    """

    def __init__(self, dtype="int32", **kwargs):
        if dtype not in ("int32", "int64", "string"):
            raise ValueError(
                "`dtype` must be 'int32', 'int64' (token ids) or 'string' "
                f"(token pieces). Received: dtype={dtype!r}."
            )
        super().__init__(dtype=None, **kwargs)
        self._output_dtype = dtype
        # Strings in: tell Keras not to cast or convert the inputs.
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.built = True

    @property
    def output_dtype(self):
        return self._output_dtype

    def tokenize(self, inputs):
        raise NotImplementedError

    def detokenize(self, inputs):
        raise NotImplementedError

    def get_vocabulary(self):
        raise NotImplementedError

    def vocabulary_size(self):
        return len(self.get_vocabulary())

    def id_to_token(self, id):
        vocabulary = self.get_vocabulary()
        if not isinstance(id, (int, np.integer)) or not 0 <= id < len(vocabulary):
            raise ValueError(
                f"`id` must be an int in [0, {len(vocabulary)}). Received: {id!r}."
            )
        return vocabulary[int(id)]

    def token_to_id(self, token):
        index = self._token_index()
        if token not in index:
            raise ValueError(
                f"Token {token!r} is not in the vocabulary of {len(index)} tokens."
            )
        return index[token]

    def _token_index(self):
        if getattr(self, "_index_cache", None) is None:
            self._index_cache = {t: i for i, t in enumerate(self.get_vocabulary())}
        return self._index_cache

    def call(self, inputs):
        return self.tokenize(inputs)

    def compute_output_spec(self, inputs):
        # Symbolic call in a Functional model: ragged ids unless padded.
        length = getattr(self, "sequence_length", None)
        shape = tuple(inputs.shape) + (length,)
        return keras.KerasTensor(shape, dtype=self._output_dtype, ragged=length is None)

    def _format_tokens(self, tokens):
        """Ragged ids -> the output: pieces for `dtype="string"`, padded.

        For subclasses that set `_vocab_tensor` (the piece of every id) and
        `sequence_length` (pad with 0 or "" and truncate to it, or None).
        """
        if self._output_dtype == "string":
            tokens = tokens.with_flat_values(
                tf.gather(self._vocab_tensor, tokens.flat_values)
            )
        if self.sequence_length is not None:
            pad = "" if self._output_dtype == "string" else 0
            tokens = tokens.to_tensor(
                default_value=pad, shape=[None, self.sequence_length]
            )
        return tokens

    # The vocabulary (or model) as an asset. Subclasses keep what a config
    # without it promised in `_pending` (a `FromAssets`, or None once the
    # vocabulary is there) and say whether they hold it (`loaded`).

    def _asset_path(self, dir_path, file_name, loaded, what):
        """The path of `file_name` in the assets being loaded, or None.

        None means there is nothing to read: the file is absent but the
        tokenizer was built with its `what` (an old config holding it
        inline). Raises when both are missing.
        """
        path = None if dir_path is None else os.path.join(dir_path, file_name)
        if path is not None and os.path.isfile(path):
            return path
        if loaded:
            return None
        raise ValueError(
            f"{type(self).__name__} '{self.name}' has no {file_name} in the "
            "assets of the file or preset being loaded, and its config does "
            f"not hold the {what}. The file is incomplete: save the model again."
        )

    def _asset_config(self, key, summary):
        """The config entries that stand for the vocabulary asset.

        `key` (the vocabulary argument) is None: the vocabulary itself is
        saved by `save_assets`. The config keeps its size and special token
        ids, which preprocessors need before it is loaded. `summary` is
        `(vocabulary_size, special_token_ids)` of the vocabulary held, or
        None while it is pending.
        """
        if summary is None:
            pending = self._pending
            summary = pending.vocabulary_size, dict(pending.special_token_ids)
        return {
            key: None,
            "vocabulary_size": summary[0],
            "special_token_ids": summary[1],
        }

    @classmethod
    def _config_with_assets(cls, config, key, what, inline=False):
        """`config` for `cls(**config)`, with a pending vocabulary if needed.

        Without the vocabulary under `key` (nor `inline` in another form),
        `key` gets a `FromAssets` built from the config's `vocabulary_size`
        and `special_token_ids`, for `load_assets` to fill.
        """
        config = dict(config)
        size = config.pop("vocabulary_size", None)
        special_ids = config.pop("special_token_ids", None)
        if config.get(key) is None and not inline:
            if size is None:
                raise ValueError(
                    f"This {cls.__name__} config has neither {what} nor a "
                    "`vocabulary_size`. Pass a config written by `get_config`."
                )
            config[key] = FromAssets(size, special_ids)
        return config

    def get_config(self):
        config = super().get_config()
        config.pop("dtype", None)
        config["dtype"] = self._output_dtype
        return config
