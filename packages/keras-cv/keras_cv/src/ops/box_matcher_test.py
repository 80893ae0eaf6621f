# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from keras_core.testing import TestCase
from keras_cv.src.ops.box_matcher import BoxMatcher


def reference_match(sim, pos, neg, force):
    """Row-by-row matching written from the definition."""
    m, n = sim.shape
    idx = np.zeros(m, int)
    ind = np.full(m, -1)
    for r in range(m):
        if n == 0:
            continue
        idx[r] = int(np.argmax(sim[r]))
        best = sim[r, idx[r]]
        ind[r] = 1 if best >= pos else (-2 if best >= neg else -1)
    if force:
        for c in range(n):
            if sim[:, c].max() > 0:
                r = int(np.argmax(sim[:, c]))
                forced_cols = [
                    k
                    for k in range(n)
                    if sim[:, k].max() > 0 and int(np.argmax(sim[:, k])) == r
                ]
                idx[r] = max(forced_cols, key=lambda k: (sim[r, k], -k))
                ind[r] = 1
    return idx, ind


class BoxMatcherTest(TestCase):
    def test_layer_harness(self):
        sim = np.random.default_rng(1).uniform(0, 1, (2, 6, 3)).astype("float32")
        self.run_layer_test(
            BoxMatcher,
            {
                "positive_threshold": 0.5,
                "negative_threshold": 0.4,
                "force_match_for_each_col": True,
            },
            sim,
            expected_output_shape=((2, 6), (2, 6)),
            expected_output_dtype="int32",
        )

    def test_hand_computed_bands(self):
        sim = [[0.9, 0.1], [0.2, 0.45], [0.1, 0.3], [0.5, 0.4]]
        idx, ind = BoxMatcher(positive_threshold=0.5, negative_threshold=0.4)(sim)
        self.assertAllEqual(idx, [0, 1, 1, 0])
        self.assertAllEqual(ind, [1, -2, -1, 1])
        idx, ind = BoxMatcher(
            0.5, 0.4, positive_value=7, negative_value=0, ignore_value=3
        )(sim)
        self.assertAllEqual(ind, [7, 3, 0, 7])
        idx, ind = BoxMatcher(thresholds=[0.4, 0.5], match_values=[-1, -2, 1])(sim)
        self.assertAllEqual(ind, [1, -2, -1, 1])

    def test_force_match(self):
        # Column 1 has its best row (row 2) below the positive threshold.
        sim = np.array([[0.8, 0.0], [0.1, 0.05], [0.2, 0.3]], "float32")
        _, ind = BoxMatcher(0.5, 0.4)(sim)
        self.assertAllEqual(ind, [1, -1, -1])
        idx, ind = BoxMatcher(0.5, 0.4, force_match_for_each_col=True)(sim)
        self.assertAllEqual(idx, [0, 0, 1])
        self.assertAllEqual(ind, [1, -1, 1])

    def test_padding_columns_are_not_forced(self):
        sim = np.array([[0.1, -1.0], [0.2, -1.0]], "float32")
        idx, ind = BoxMatcher(0.5, 0.4, force_match_for_each_col=True)(sim)
        self.assertAllEqual(idx, [0, 0])
        self.assertAllEqual(ind, [-1, 1])

    def test_empty_ground_truth_is_all_negative(self):
        for force in (False, True):
            idx, ind = BoxMatcher(0.5, 0.4, force_match_for_each_col=force)(
                np.zeros((2, 5, 0), "float32")
            )
            self.assertAllEqual(ind, -np.ones((2, 5)))
            self.assertAllEqual(idx, np.zeros((2, 5)))
        ds = tf.data.Dataset.from_tensors(tf.zeros((4, 0))).map(
            lambda s: BoxMatcher(0.5)(s)[1]
        )
        self.assertAllEqual(next(iter(ds)), [-1, -1, -1, -1])

    def test_bad_input(self):
        with pytest.raises(ValueError, match="must not exceed"):
            BoxMatcher(positive_threshold=0.4, negative_threshold=0.5)
        with pytest.raises(ValueError, match="ascending"):
            BoxMatcher(thresholds=[0.5, 0.4], match_values=[0, 1, 2])
        with pytest.raises(ValueError, match=r"len\(thresholds\) \+ 1"):
            BoxMatcher(thresholds=[0.5], match_values=[0, 1, 2])
        with pytest.raises(ValueError, match="needs `positive_threshold`"):
            BoxMatcher()
        with pytest.raises(ValueError, match=r"\[M, N\]"):
            BoxMatcher(0.5)(np.zeros((3,), "float32"))


@settings(max_examples=30, deadline=None)
@given(
    hnp.arrays(
        "float32",
        st.tuples(st.integers(1, 6), st.integers(0, 4)),
        elements=st.floats(0, 1, width=32, allow_subnormal=False),
    ),
    st.booleans(),
)
def test_matches_reference(sim, force):
    idx, ind = BoxMatcher(0.5, 0.4, force_match_for_each_col=force)(sim)
    ref_idx, ref_ind = reference_match(sim, 0.5, 0.4, force)
    np.testing.assert_array_equal(ind.numpy(), ref_ind)
    if sim.shape[1]:
        # Ties may pick different columns; the chosen similarity must agree.
        rows = np.arange(sim.shape[0])
        np.testing.assert_array_equal(sim[rows, idx.numpy()], sim[rows, ref_idx])


@pytest.mark.parametrize("force", [False, True])
def test_fused_kernel_matches_reference(monkeypatch, force):
    # Large static matrices go through one XLA kernel; lower the size
    # threshold so a small case takes that path, and check it against the
    # row-by-row reference (ties from rounding included).
    from keras_cv.src.ops import box_matcher

    monkeypatch.setattr(box_matcher, "FUSED_MIN_ELEMENTS", 1)
    rng = np.random.default_rng(3)
    sim = np.round(rng.uniform(0, 1, (3, 40, 5)) ** 3, 2).astype("float32")
    sim[1, :, 4] = -1.0  # a padding column: never forced
    idx, ind = BoxMatcher(0.5, 0.4, force_match_for_each_col=force)(sim)
    for b in range(3):
        ref_idx, ref_ind = reference_match(sim[b], 0.5, 0.4, force)
        np.testing.assert_array_equal(ind.numpy()[b], ref_ind)
        rows = np.arange(40)
        np.testing.assert_array_equal(
            sim[b, rows, idx.numpy()[b]], sim[b, rows, ref_idx]
        )


def test_force_match_without_rows_or_columns():
    for shape in [(2, 0, 3), (0, 4), (2, 3, 0)]:
        idx, ind = BoxMatcher(0.5, force_match_for_each_col=True)(
            np.zeros(shape, "float32")
        )
        assert tuple(idx.shape) == shape[:-1]
        assert np.all(ind.numpy() == -1)


def test_fused_kernel_with_unknown_batch(monkeypatch):
    # An unknown batch size (`Dataset.batch` maps): the known dimensions
    # reach the threshold, so the fused kernel runs, compiled at run time.
    from keras_cv.src.ops import box_matcher

    calls = []
    fused = box_matcher._fused_match

    def spy(*args):
        calls.append(args[0].shape)
        return fused(*args)

    monkeypatch.setattr(box_matcher, "_fused_match", spy)
    monkeypatch.setattr(box_matcher, "FUSED_MIN_ELEMENTS", 40 * 5)
    rng = np.random.default_rng(5)
    sim = np.round(rng.uniform(0, 1, (3, 40, 5)) ** 3, 2).astype("float32")
    sim[2, :, 3:] = -1.0  # padding columns
    matcher = BoxMatcher(0.5, 0.4, force_match_for_each_col=True)
    match = tf.function(
        matcher, input_signature=[tf.TensorSpec((None, 40, 5), tf.float32)]
    )
    idx, ind = match(sim)
    assert len(calls) == 1
    rows = np.arange(40)
    for b in range(3):
        ref_idx, ref_ind = reference_match(sim[b], 0.5, 0.4, True)
        np.testing.assert_array_equal(ind.numpy()[b], ref_ind)
        np.testing.assert_array_equal(
            sim[b, rows, idx.numpy()[b]], sim[b, rows, ref_idx]
        )


def _padded_batch(seed, cols):
    """Similarities with rounding ties, padding columns and an all-padded image."""
    rng = np.random.default_rng(seed)
    sim = np.round(rng.uniform(0, 1, (4, 30, cols)) ** 2, 1).astype("float32")
    sim[1, :, cols // 2 :] = -1.0  # padded ground truth (as masked by IouSimilarity)
    sim[2] = -1.0  # every box is padding
    sim[3, :7] = 0.0  # rows that overlap nothing
    return sim


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("cols", [1, 5, 70])  # 70 > UNROLL_MAX_COLS: argmax path
def test_unrolled_column_loop_equals_argmax_and_reference(monkeypatch, force, cols):
    # Up to UNROLL_MAX_COLS static columns, the best column comes from a loop
    # over the columns; otherwise from reduce_max/argmax. Both, eager and
    # compiled (plain graph and XLA), give exactly the row-by-row reference.
    from keras_cv.src.ops import box_matcher

    sim = _padded_batch(cols, cols)
    matcher = BoxMatcher(
        thresholds=[0.2, 0.5, 0.5, 0.8],
        match_values=[-1, -2, 3, 1, 2],
        force_match_for_each_col=force,
    )
    # The reference's bands: how many thresholds the best similarity reaches.
    ref = []
    for b in range(len(sim)):
        ref_idx, _ = reference_match(sim[b], 0.5, 0.4, force)
        best = sim[b].max(axis=1)
        band = (best[:, None] >= np.array([0.2, 0.5, 0.5, 0.8])).sum(1)
        ref_ind = np.array([-1, -2, 3, 1, 2])[band]
        if force:
            forced = ref_idx != sim[b].argmax(axis=1)
            for c in range(cols):
                if sim[b, :, c].max() > 0:
                    forced[int(np.argmax(sim[b, :, c]))] = True
            ref_ind = np.where(forced, 2, ref_ind)
        ref.append((ref_idx, ref_ind))
    results = {}
    for unroll in (box_matcher.UNROLL_MAX_COLS, 0):
        monkeypatch.setattr(box_matcher, "UNROLL_MAX_COLS", unroll)
        results[unroll, "eager"] = matcher(sim)
        results[unroll, "graph"] = tf.function(matcher)(sim)
        results[unroll, "xla"] = tf.function(matcher, jit_compile=True)(sim)
    for idx, ind in results.values():
        for b, (ref_idx, ref_ind) in enumerate(ref):
            np.testing.assert_array_equal(idx.numpy()[b], ref_idx)
            np.testing.assert_array_equal(ind.numpy()[b], ref_ind)
