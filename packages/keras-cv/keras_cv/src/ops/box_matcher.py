# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Matches rows of a similarity matrix (anchors) to columns (ground truth)."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src import validation
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.static_shapes import known_elements


@api_export("keras_cv.ops.BoxMatcher", stability="stable", rfc=RFC)
class BoxMatcher(keras.layers.Layer):
    """Assigns each anchor to its best ground-truth box, or to none.

    Takes a similarity matrix whose rows are anchors and whose columns are
    ground-truth boxes (e.g. the output of `IouSimilarity`). Each row is
    matched to the column of highest similarity, and labelled by comparing
    that similarity with the thresholds:

    - `similarity >= positive_threshold`: positive (`positive_value`),
    - `negative_threshold <= similarity < positive_threshold`: ignored
      (`ignore_value`): neither trained as object nor as background,
    - `similarity < negative_threshold`: negative (`negative_value`).

    More bands are possible with `thresholds` (ascending) and
    `match_values` (one more value than thresholds): a row whose best
    similarity reaches `k` thresholds gets `match_values[k]`.

    With `force_match_for_each_col=True`, every column whose best
    similarity is above 0 also claims its best row (as a positive), so that
    no object is left without an anchor. Columns whose similarities are all
    0 or below (e.g. -1 padding masked by `IouSimilarity`) are never forced.
    When there are no columns at all, every row is negative. A NaN or
    infinite similarity raises a ValueError (inside `tf.function`/`tf.data`,
    an `InvalidArgumentError` with the same text).

    Args:
        positive_threshold: the similarity at and above which a row is
            positive.
        negative_threshold: the similarity below which a row is negative;
            defaults to `positive_threshold` (no ignore band).
        force_match_for_each_col: give each column at least one row.
        positive_value: the indicator of positive rows.
        negative_value: the indicator of negative rows.
        ignore_value: the indicator of ignored rows.
        thresholds: alternative to the two thresholds: an ascending list.
        match_values: with `thresholds`, the indicator of each band.

    Call arguments:
        similarity_matrix: float tensor `[M, N]` or `[B, M, N]`.

    Returns:
        `(match_indices, match_indicators)`, two int32 tensors `[M]` or
        `[B, M]`: the best column of each row and its indicator.

    Examples:

    >>> matcher = keras_cv.ops.BoxMatcher(positive_threshold=0.5, negative_threshold=0.4)
    >>> idx, ind = matcher([[0.9, 0.1], [0.2, 0.45], [0.1, 0.3]])
    >>> idx.numpy().tolist(), ind.numpy().tolist()
    ([0, 1, 1], [1, -2, -1])
    """

    def __init__(
        self,
        positive_threshold=None,
        negative_threshold=None,
        force_match_for_each_col=False,
        positive_value=1,
        negative_value=-1,
        ignore_value=-2,
        thresholds=None,
        match_values=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        # Lists and Python scalars are accepted as well as tensors.
        self._allow_non_tensor_positional_args = True
        if thresholds is not None:
            if positive_threshold is not None or negative_threshold is not None:
                raise ValueError(
                    "Pass either `thresholds` (with `match_values`) or "
                    "`positive_threshold`/`negative_threshold`, not both. Received: "
                    f"thresholds={thresholds!r}, positive_threshold={positive_threshold!r}, "
                    f"negative_threshold={negative_threshold!r}."
                )
            thresholds = [float(t) for t in thresholds]
            if not thresholds or sorted(thresholds) != thresholds:
                raise ValueError(
                    "`thresholds` must be sorted in ascending order and not "
                    f"empty, such as [0.4, 0.5]. Received: thresholds={thresholds!r}."
                )
            if match_values is None or len(match_values) != len(thresholds) + 1:
                raise ValueError(
                    "`match_values` must be len(thresholds) + 1 long (one "
                    "indicator per band), such as [-1, -2, 1] for "
                    f"thresholds [0.4, 0.5]. Received: thresholds={thresholds!r}, "
                    f"match_values={match_values!r}."
                )
            match_values = [int(v) for v in match_values]
        else:
            if positive_threshold is None:
                raise ValueError(
                    "BoxMatcher needs `positive_threshold` (e.g. 0.5), or "
                    "`thresholds` with `match_values`."
                )
            if negative_threshold is None:
                negative_threshold = positive_threshold
            if float(negative_threshold) > float(positive_threshold):
                raise ValueError(
                    "`negative_threshold` must not exceed `positive_threshold`. "
                    f"Received: negative_threshold={negative_threshold}, "
                    f"positive_threshold={positive_threshold}. Swap them, or set "
                    "them equal for no ignore band."
                )
            thresholds = [float(negative_threshold), float(positive_threshold)]
            match_values = [int(negative_value), int(ignore_value), int(positive_value)]
        self.thresholds = thresholds
        self.match_values = match_values
        self.force_match_for_each_col = bool(force_match_for_each_col)

    def call(self, similarity_matrix):
        sim = tf.convert_to_tensor(similarity_matrix)
        if not sim.dtype.is_floating:
            sim = tf.cast(sim, "float32")
        if sim.shape.rank not in (2, 3):
            raise ValueError(
                "`similarity_matrix` must be [M, N] or [B, M, N] (anchors by "
                f"ground-truth boxes). Received shape {tuple(sim.shape)}."
            )
        # NaN compares False with every threshold: a row of IoU 0.9 with a
        # NaN neighbour could become a negative. Refuse it.
        sim = validation.guard_finite(
            sim, "similarity_matrix", "compute it from finite boxes"
        )
        args = (tuple(self.thresholds), tuple(self.match_values))
        if known_elements(sim.shape) >= FUSED_MIN_ELEMENTS:
            # Large matrices (the known dimensions alone reach the
            # threshold): one fused XLA kernel, compiled once per concrete
            # shape, instead of many passes over [..., M, N].
            return _fused_match(sim, *args, self.force_match_for_each_col)
        return _match(sim, *args, self.force_match_for_each_col)

    def compute_output_shape(self, similarity_shape):
        shape = tuple(similarity_shape[:-1])
        return shape, shape

    def compute_output_spec(self, similarity_matrix):
        shape = tuple(similarity_matrix.shape[:-1])
        return (
            keras.KerasTensor(shape, dtype="int32"),
            keras.KerasTensor(shape, dtype="int32"),
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "force_match_for_each_col": self.force_match_for_each_col,
                "thresholds": self.thresholds,
                "match_values": self.match_values,
            }
        )
        return config


# Size of the similarity matrix from which `BoxMatcher` uses the fused kernel.
FUSED_MIN_ELEMENTS = 1 << 18


def _match(sim, thresholds, match_values, force_match):
    """Best column and indicator of each row (see `BoxMatcher`)."""
    num_cols = tf.shape(sim)[-1]
    static_cols = sim.shape[-1]
    if static_cols is not None and 0 < static_cols <= UNROLL_MAX_COLS:
        best, indices = _best_column_unrolled(sim)
    else:
        best, indices = _best_column(sim)
    indicators = _band_values(_band_count(best, thresholds), match_values)
    if force_match:
        forced_any, forced_col = forced_rows(sim)
        indices = tf.where(forced_any, forced_col, indices)
        indicators = tf.where(
            forced_any, tf.constant(match_values[-1], "int32"), indicators
        )
    if static_cols is None or static_cols == 0:
        indices = tf.minimum(indices, tf.maximum(num_cols - 1, 0))
    return indices, indicators


# Up to this many (static) columns, the best column of each row is found by
# a loop over the columns unrolled in the graph: elementwise over `[..., M]`,
# so that XLA fuses it with the producer of the matrix (e.g. the IoU of
# `IouSimilarity` under an outer `jit_compile`), and without an argmax (a
# variadic reduction that XLA's CPU backend runs slowly).
UNROLL_MAX_COLS = 64


def _best_column_unrolled(sim):
    """Max and first argmax over the last axis, one column at a time."""
    best = sim[..., 0]
    indices = tf.zeros_like(best, dtype="int32")
    for col in range(1, sim.shape[-1]):
        value = sim[..., col]
        better = value > best  # strict: the first column wins ties
        best = tf.where(better, value, best)
        indices = tf.where(better, tf.constant(col, "int32"), indices)
    return best, indices


def _best_column(sim):
    """Max and first argmax over the last axis (any number of columns)."""
    if sim.shape[-1] is not None and sim.shape[-1] > 0:
        padded = sim  # columns exist: no sentinel needed (saves a copy)
    else:
        # A sentinel column makes "no ground truth" an ordinary case.
        sentinel = tf.fill(
            tf.concat([tf.shape(sim)[:-1], [1]], 0),
            tf.constant(-float("inf"), sim.dtype),
        )
        padded = tf.concat([sim, sentinel], axis=-1)
    best = tf.reduce_max(padded, axis=-1)
    indices = tf.argmax(padded, axis=-1, output_type=tf.int32)
    return best, indices


def _band_count(best, thresholds):
    """How many of the (ascending) thresholds `best` reaches (NaN: none)."""
    band = tf.zeros_like(best, dtype="int32")
    for t in thresholds:
        band += tf.cast(best >= tf.constant(t, best.dtype), "int32")
    return band


def _band_values(band, match_values):
    """`match_values[band]`, as a chain of selects (no gather)."""
    indicators = tf.fill(tf.shape(band), tf.constant(match_values[0], "int32"))
    for k, value in enumerate(match_values[1:], start=1):
        indicators = tf.where(band >= k, tf.constant(value, "int32"), indicators)
    return indicators


def forced_rows(sim):
    """Rows claimed by a column as its best row: `(claimed, column)`.

    Every column whose best similarity is above 0 claims its best row
    (the first on ties). A row claimed by several columns goes to the one
    of highest similarity (the first on ties). Works on `[B, M]`-sized
    scatters instead of `[B, M, N]` masks.
    """
    shape = tf.shape(sim)
    num_rows, num_cols = shape[-2], shape[-1]
    batch = tf.reduce_prod(shape[:-2])
    sim3 = tf.reshape(sim, tf.stack([batch, num_rows, num_cols]))
    col_best = tf.reduce_max(sim3, axis=1)  # [b, N]
    rows = tf.range(num_rows, dtype="int32")[:, None]
    # The first best row of each column: a max and a min over matching
    # row indices, much faster than an argmax over the long row axis.
    col_arg = tf.reduce_min(
        tf.where(tf.equal(sim3, col_best[:, None, :]), rows, num_rows), axis=1
    )
    valid = col_best > 0  # False for padding columns (and NaN)
    # Columns that claim nothing write to an extra, discarded row.
    col_arg = tf.where(valid, col_arg, num_rows)
    neg_inf = tf.constant(-float("inf"), sim.dtype)
    value = tf.where(valid, col_best, neg_inf)
    batch_ids = tf.broadcast_to(tf.range(batch)[:, None], tf.shape(col_arg))
    where = tf.stack([batch_ids, col_arg], axis=-1)  # [b, N, 2]
    best_value = tf.tensor_scatter_nd_max(
        tf.fill([batch, num_rows + 1], neg_inf), where, value
    )
    winner = tf.logical_and(valid, tf.equal(value, tf.gather_nd(best_value, where)))
    cols = tf.broadcast_to(tf.range(num_cols)[None, :], tf.shape(col_arg))
    forced_col = tf.tensor_scatter_nd_min(
        tf.fill([batch, num_rows + 1], num_cols),
        where,
        tf.where(winner, cols, num_cols),
    )
    forced_col = tf.reshape(forced_col[:, :num_rows], shape[:-1])
    return forced_col < num_cols, tf.minimum(forced_col, tf.maximum(num_cols - 1, 0))


_fused_match = tf.function(_match, jit_compile=True, autograph=False)
