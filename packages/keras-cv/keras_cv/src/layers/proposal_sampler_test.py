# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.testing import TestCase
from keras_cv.src.layers.proposal_sampler import ProposalSampler


def _check_sample(test, indicators, indices, fraction, size):
    """Checks one image's sample against the sampling rules."""
    indicators = np.asarray(indicators)
    indices = np.asarray(indices)
    chosen = indices[indices >= 0]
    test.assertEqual(
        len(set(chosen.tolist())), len(chosen), "an index was picked twice"
    )
    # Padding only at the end.
    test.assertTrue((indices[len(chosen) :] == -1).all())
    n_pos_avail = int((indicators == 1).sum())
    n_neg_avail = int((indicators == -1).sum())
    want_pos = min(n_pos_avail, int(fraction * size + 1e-6))
    want_neg = min(n_neg_avail, size - want_pos)
    kinds = indicators[chosen]
    test.assertEqual(int((kinds == 1).sum()), want_pos)
    test.assertEqual(int((kinds == -1).sum()), want_neg)
    test.assertEqual(
        len(chosen), want_pos + want_neg, "an ignored candidate was picked"
    )
    # Positives first.
    test.assertTrue((kinds[:want_pos] == 1).all())


class ProposalSamplerTest(TestCase):
    def test_layer(self):
        data = np.array([[1, -1, -1, -2, 1, -1, -1, -1, 1, -1]] * 2, "int32")
        self.run_layer_test(
            ProposalSampler,
            {"positive_fraction": 0.25, "batch_size": 4, "seed": 3},
            data,
            expected_output_shape=(2, 4),
            expected_output_dtype="int32",
        )

    def test_hand_computed_counts(self):
        indicators = np.array(
            [
                [1, 1, 1, 1, -1, -1, -1, -1, -1, -2],  # enough of both
                [1, -2, -2, -1, -2, -2, -2, -2, -2, -2],  # too few of both
                [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1],  # no positives
                [1, 1, 1, 1, 1, 1, 1, 1, -2, -1],  # too few negatives
            ],
            "int32",
        )
        sampler = ProposalSampler(positive_fraction=0.5, batch_size=6, seed=0)
        out = sampler(indicators).numpy()
        for row, sample in zip(indicators, out):
            _check_sample(self, row, sample, 0.5, 6)
        # Row 1: one positive (0), one negative (3), then padding.
        self.assertEqual(out[1].tolist(), [0, 3, -1, -1, -1, -1])
        # Row 2: six negatives, no positives.
        self.assertEqual(len(set(out[2].tolist())), 6)
        # Row 3: three positives at most; one negative; two free slots.
        self.assertEqual(out[3][4:].tolist(), [-1, -1])
        self.assertEqual(out[3][3], 9)

    def test_fewer_candidates_than_batch_size_and_unbatched(self):
        sampler = ProposalSampler(positive_fraction=0.5, batch_size=5)
        out = sampler(np.array([1, -1], "int32")).numpy()
        self.assertEqual(out.tolist(), [0, 1, -1, -1, -1])

    def test_extreme_fractions(self):
        indicators = np.array([[1, 1, -1, -1, 1, -1]], "int32")
        none = ProposalSampler(positive_fraction=0.0, batch_size=3)(indicators).numpy()[
            0
        ]
        self.assertEqual(sorted(none.tolist()), [2, 3, 5])
        all_pos = ProposalSampler(positive_fraction=1.0, batch_size=3)(
            indicators
        ).numpy()[0]
        self.assertEqual(sorted(all_pos.tolist()), [0, 1, 4])

    def test_custom_indicators(self):
        sampler = ProposalSampler(0.5, 2, positive_indicator=2, negative_indicator=0)
        out = sampler(np.array([0, 1, 2, 1], "int32")).numpy()
        self.assertEqual(out.tolist(), [2, 0])

    def test_seeded_and_random_in_training(self):
        indicators = np.array([[1] * 50 + [-1] * 50], "int32")
        a = ProposalSampler(0.5, 8, seed=11)
        b = ProposalSampler(0.5, 8, seed=11)
        draws_a = [a(indicators, training=True).numpy() for _ in range(3)]
        draws_b = [b(indicators, training=True).numpy() for _ in range(3)]
        for x, y in zip(draws_a, draws_b):
            self.assertAllEqual(x, y)
        # Fresh samples on each training call.
        self.assertFalse(np.array_equal(draws_a[0], draws_a[1]))
        # Inference draws are repeatable.
        self.assertAllEqual(a(indicators), a(indicators))
        # Uniform choice: every positive is picked about equally often.
        counts = np.zeros(100)
        for _ in range(200):
            counts[a(indicators, training=True).numpy()[0]] += 1
        self.assertGreater(counts[:50].min(), 0)
        self.assertLess(counts[:50].max(), 3 * counts[:50].mean())

    def test_inside_tf_function(self):
        sampler = ProposalSampler(0.5, 4, seed=2)

        @tf.function
        def draw(x):
            return sampler(x, training=True)

        data = tf.constant([[1, -1, -1, 1, -1, 1]])
        first, second = draw(data).numpy(), draw(data).numpy()
        _check_sample(self, data.numpy()[0], first[0], 0.5, 4)
        _check_sample(self, data.numpy()[0], second[0], 0.5, 4)

    def test_bad_arguments(self):
        for fraction in (-0.1, 1.5):
            with pytest.raises(ValueError, match=r"positive_fraction.*\[0, 1\]"):
                ProposalSampler(positive_fraction=fraction, batch_size=4)
        with pytest.raises(TypeError, match="positive_fraction"):
            ProposalSampler(positive_fraction="half", batch_size=4)
        with pytest.raises(ValueError, match="batch_size"):
            ProposalSampler(positive_fraction=0.5, batch_size=0)
        with pytest.raises(ValueError, match="must differ"):
            ProposalSampler(0.5, 4, positive_indicator=1, negative_indicator=1)
        sampler = ProposalSampler(0.5, 4)
        with pytest.raises(TypeError, match="int tensor"):
            sampler(np.array([0.5, 1.0]))
        with pytest.raises(ValueError, match=r"\[N\] or \[B, N\]"):
            sampler(np.zeros((1, 2, 3), "int32"))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from([1, -1, -2]), min_size=1, max_size=40),
    st.floats(0.0, 1.0),
    st.integers(1, 16),
)
def test_sampling_rules_hold(indicators, fraction, size):
    sampler = ProposalSampler(fraction, size, seed=5)
    out = sampler(np.array([indicators], "int32"), training=True).numpy()[0]
    _check_sample(TestCase(), indicators, out, fraction, size)
