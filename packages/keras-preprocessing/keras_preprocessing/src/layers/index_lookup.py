# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared behaviour of StringLookup and IntegerLookup on top of Keras's lookups.

Keras's `IndexLookup` does the table work. This module adds what the design
asks and Keras does differently: `num_oov_indices=0` maps unknown tokens to
-1 (Keras raises), vocabulary files with a repeated token fail with the token
and its line numbers, and `adapt(reset_state=False)` continues counting from
the previous `adapt` (Keras forgets the counts when it finalizes), also after
a `.keras` reload: the counts are saved as an asset next to the vocabulary.
"""

import os

import numpy as np
import tensorflow as tf


def read_vocabulary_file(path, parse=str, what="token"):
    """Reads one token per line, naming the token and lines of any repeat."""
    if not os.path.exists(path):
        raise ValueError(
            f"Vocabulary file {path!r} does not exist. Pass an existing file with one {what} per line."
        )
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    tokens, seen = [], {}
    for number, line in enumerate(lines, start=1):
        try:
            token = parse(line)
        except ValueError:
            raise ValueError(
                f"Line {number} of vocabulary file {path!r} is {line!r}, which is not a valid {what}. "
                f"Each line must hold one {what}."
            ) from None
        if token in seen:
            raise ValueError(
                f"Vocabulary file {path!r} repeats the {what} {token!r}: line {number} and line {seen[token]}. "
                f"Each {what} may appear once; remove the repeated line."
            )
        seen[token] = number
        tokens.append(token)
    return tokens


def check_vocabulary_list(vocabulary, what="token"):
    seen = {}
    for position, token in enumerate(vocabulary):
        if token in seen:
            raise ValueError(
                f"The vocabulary repeats the {what} {token!r} at positions {seen[token]} and {position}. "
                f"Each {what} may appear once."
            )
        seen[token] = position


def dtype_kind(x):
    """'string', 'integer', 'float', 'bool' or 'other' for a tensor or array."""
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "USO":
        return "string"
    try:
        dtype = tf.as_dtype(dtype)
    except TypeError:
        return "other"
    if dtype == tf.string:
        return "string"
    if dtype.is_bool:
        return "bool"
    if dtype.is_integer:
        return "integer"
    if dtype.is_floating:
        return "float"
    return "other"


def check_learned_vocabulary(layer, lookup):
    """Raises if `adapt` would leave `lookup` (a Keras lookup) with no vocabulary.

    Keras then fails later, at the first call, with "Table not initialized"
    (or at import with "keys and values cannot be empty"); this says why at
    `adapt` time. `layer` is the layer the user adapted (named in the error).
    """
    if lookup._has_input_vocabulary:
        return
    tokens, _ = lookup.token_counts.export()
    tokens = tokens.numpy().tolist()
    special_tokens = [t for t in (lookup.mask_token, lookup.oov_token) if t is not None]
    special = set(special_tokens)
    special |= {t.encode("utf-8") for t in special_tokens if isinstance(t, str)}
    learned = [t for t in tokens if t not in special]
    room = None
    if lookup.max_tokens:
        room = lookup.max_tokens - lookup._token_start_index()
    if learned and (room is None or room > 0):
        return
    if learned:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) has max_tokens="
            f"{lookup.max_tokens}, which leaves no room for a vocabulary: the mask "
            f"and OOV indices take {lookup._token_start_index()}. Pass a larger "
            "`max_tokens` (the vocabulary size plus those indices), or None."
        )
    shown = ", ".join(repr(t) for t in special_tokens)
    text = type(layer).__name__ == "TextVectorization"
    raise ValueError(
        f"`adapt` of layer '{layer.name}' ({type(layer).__name__}) found no "
        "tokens to learn a vocabulary from: the data was empty"
        + (f" or held only the special tokens ({shown})" if shown else "")
        + (" after standardization and splitting" if text else "")
        + ". The layer would fail at its first call. Adapt on data with at "
        "least one real token, or pass `vocabulary=`."
    )


def snapshot_counts(lookup):
    """Exports the token counts Keras is about to clear in `finalize_state`."""
    tokens, counts = lookup.token_counts.export()
    snap = {"counts": (tokens, counts)}
    if lookup.output_mode == "tf_idf":
        snap["docs"] = lookup.token_document_counts.export()
        snap["num_documents"] = lookup.num_documents.numpy()
    return snap


COUNTS_ASSET = "adapt_counts.npz"


def _pack(keys):
    """Keys as an array NumPy can save without pickling.

    Strings become one byte blob plus their lengths (fixed-width byte
    arrays would drop trailing NUL bytes).
    """
    keys = np.asarray(keys)
    if keys.dtype.kind not in ("O", "S", "U"):
        return {"keys": keys}
    encoded = [k if isinstance(k, bytes) else str(k).encode("utf-8") for k in keys]
    blob = np.frombuffer(b"".join(encoded), dtype="uint8")
    return {"blob": blob, "lengths": np.array([len(k) for k in encoded], "int64")}


def _unpack(arrays, prefix):
    if f"{prefix}keys" in arrays:
        return arrays[f"{prefix}keys"]
    blob = arrays[f"{prefix}blob"].tobytes()
    ends = np.cumsum(arrays[f"{prefix}lengths"])
    starts = ends - arrays[f"{prefix}lengths"]
    return np.array(
        [blob[a:b] for a, b in zip(starts.tolist(), ends.tolist())], dtype=object
    )


def save_counts(snap, dir_path):
    """Writes the adapt counts to the `.keras` assets, so that a reloaded
    layer can continue with `adapt(data, reset_state=False)`."""
    if snap is None:
        return
    arrays = {}
    for name in ("counts", "docs"):
        if name in snap:
            keys, values = snap[name]
            for key, value in _pack(np.asarray(keys)).items():
                arrays[f"{name}_{key}"] = value
            arrays[f"{name}_values"] = np.asarray(values)
    if "num_documents" in snap:
        arrays["num_documents"] = np.asarray(snap["num_documents"])
    np.savez(os.path.join(dir_path, COUNTS_ASSET), **arrays)


def load_counts(dir_path, key_dtype):
    """Reads the counts written by `save_counts` (None if there are none)."""
    path = os.path.join(dir_path, COUNTS_ASSET)
    if not os.path.exists(path):
        return None
    with np.load(path, allow_pickle=False) as arrays:
        snap = {}
        for name in ("counts", "docs"):
            if f"{name}_values" in arrays:
                keys = _unpack(arrays, f"{name}_")
                snap[name] = (
                    tf.constant(keys, dtype=key_dtype),
                    tf.constant(arrays[f"{name}_values"]),
                )
        if "num_documents" in arrays:
            snap["num_documents"] = arrays["num_documents"]
    return snap


def restore_counts(lookup, snap):
    tokens, counts = snap["counts"]
    if tokens.shape[0]:
        lookup.token_counts.insert(tokens, counts)
    if "docs" in snap:
        tokens, counts = snap["docs"]
        if tokens.shape[0]:
            lookup.token_document_counts.insert(tokens, counts)
        lookup.num_documents.assign(snap["num_documents"])


class LookupMixin:
    """Adapt hooks and fixes shared by our StringLookup and IntegerLookup."""

    _keras_class = None  # set by subclasses

    def _init_lookup_state(self, has_vocabulary):
        self._snapshot = None
        self._is_adapted = has_vocabulary

    def reset_state(self):
        self._snapshot = None
        self._keras_class.reset_state(self)

    def _adapt_checkpoint(self):
        # Between adapts the counts live in the snapshot (Keras empties its
        # tables when it finalizes); `update_state` restores them.
        return self._snapshot

    def _adapt_restore(self, checkpoint):
        self._keras_class.reset_state(self)
        self._snapshot = checkpoint

    def update_state(self, data):
        if self._has_input_vocabulary:
            raise ValueError(
                f"Layer '{self.name}' was given a fixed `vocabulary`; it cannot be adapted. "
                "Create it without `vocabulary` to learn one from data."
            )
        if self._snapshot is not None:
            restore_counts(self, self._snapshot)
            self._snapshot = None
        self._keras_class.update_state(self, data)

    def finalize_state(self):
        check_learned_vocabulary(self, self)
        snapshot = None if self._has_input_vocabulary else snapshot_counts(self)
        # Keras's finalize_state ends with reset_state(), which clears the
        # snapshot attribute: keep it in a local until then.
        self._keras_class.finalize_state(self)
        self._snapshot = snapshot

    def call(self, inputs):
        kind = dtype_kind(inputs)
        expected = "integer" if self.invert else self._input_kind
        if kind != expected:
            what = "indices" if self.invert else f"{expected}s"
            hint = (
                " Floats are refused rather than truncated: cast integral values "
                "with `.astype('int64')`, or bucketize continuous ones with "
                "Discretization."
                if kind == "float"
                else ""
            )
            raise TypeError(
                f"{type(self).__name__} '{self.name}'"
                + (" (invert=True)" if self.invert else "")
                + f" looks up {what}; received {kind} inputs (dtype "
                f"{getattr(getattr(inputs, 'dtype', None), 'name', getattr(inputs, 'dtype', None))})."
                + hint
            )
        return self._keras_class.call(self, inputs)

    def _lookup_dense(self, inputs):
        if self.num_oov_indices != 0 or self.invert:
            return self._keras_class._lookup_dense(self, inputs)
        # Keras asserts that every input is in the vocabulary; the design maps
        # unknown inputs to -1 so that encodings can drop them.
        if tf.executing_eagerly() and not isinstance(inputs, tf.Tensor):
            return tf.zeros_like(inputs, dtype=self._value_dtype)
        lookups = self.lookup_table.lookup(inputs)
        if self.mask_token is not None:
            lookups = tf.where(
                tf.equal(inputs, self._mask_key), self._mask_value, lookups
            )
        return lookups

    def save_assets(self, dir_path):
        self._keras_class.save_assets(self, dir_path)
        if not self._has_input_vocabulary:
            save_counts(self._snapshot, dir_path)

    def load_assets(self, dir_path):
        self._keras_class.load_assets(self, dir_path)
        if not self._has_input_vocabulary:
            self._snapshot = load_counts(dir_path, self.vocabulary_dtype)
        self._is_adapted = True

    def _lookup_config(self):
        vocabulary = self.input_vocabulary
        if vocabulary is not None:
            vocabulary = [
                v.item() if isinstance(v, np.generic) else v for v in vocabulary
            ]
        return vocabulary
