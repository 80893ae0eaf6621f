# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Out-of-range, non-finite, empty and wrongly typed inputs (issue 20)."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_preprocessing.src.image.image_pipeline import ImagePipeline
from keras_preprocessing.src.image.random_stretch import RandomWidth
from keras_preprocessing.src.layers.category_crossing import CategoryCrossing
from keras_preprocessing.src.layers.category_encoding import CategoryEncoding
from keras_preprocessing.src.layers.discretization import Discretization
from keras_preprocessing.src.layers.hashing import Hashing
from keras_preprocessing.src.layers.integer_lookup import IntegerLookup
from keras_preprocessing.src.layers.normalization import Normalization
from keras_preprocessing.src.layers.string_lookup import StringLookup
from keras_preprocessing.src.layers.text_vectorization import TextVectorization
from keras_preprocessing.src.stages.preprocessing_stage import PreprocessingStage
from keras_preprocessing.src.utils.timeseries_dataset import timeseries_dataset

# --- CategoryEncoding ---------------------------------------------------------


@pytest.mark.parametrize("bad", [-2, -3, -(2**40), 3, 4, 2**40])
def test_category_encoding_refuses_indices_out_of_range(bad):
    with pytest.raises(ValueError, match=f"in \\[0, 3\\).*outside it: {bad}"):
        CategoryEncoding(max_tokens=3)(np.array([[0, bad]]))


def test_category_encoding_still_drops_minus_one_as_documented():
    out = CategoryEncoding(max_tokens=3, output_mode="count")(np.array([[0, -1, 0]]))
    np.testing.assert_array_equal(out, [[2, 0, 0]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_category_encoding_refuses_float_indices(dtype):
    with pytest.raises(TypeError, match="expects integer indices"):
        CategoryEncoding(max_tokens=3)(np.array([[0.0, 1.7]], dtype))


def test_category_encoding_range_check_in_tf_data():
    layer = CategoryEncoding(max_tokens=3)
    ds = tf.data.Dataset.from_tensor_slices(np.array([[0, 1], [2, -4]])).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="an index below -1"):
        list(ds.map(layer))
    ds = tf.data.Dataset.from_tensor_slices(np.array([[0, 1], [2, 7]])).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="index >= max_tokens=3"):
        list(ds.map(layer))


def test_category_encoding_adapt_refuses_out_of_range_indices():
    with pytest.raises(ValueError, match="outside it: -5"):
        CategoryEncoding(max_tokens=3, output_mode="tf-idf").adapt(np.array([[-5, 1]]))


@pytest.mark.parametrize("weights_shape", [(3, 2), (2, 1), (1, 3), (6,)])
def test_category_encoding_count_weights_must_match_the_inputs(weights_shape):
    with pytest.raises(ValueError, match="must have the shape of `inputs`"):
        CategoryEncoding(3, output_mode="count")(
            np.array([[0, 1, 2], [0, 1, 2]]), count_weights=np.ones(weights_shape)
        )


# --- adapt on non-finite values -----------------------------------------------


@pytest.mark.parametrize(
    "value, kind", [(np.nan, "1 NaN"), (np.inf, "1 \\+inf"), (-np.inf, "1 -inf")]
)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_normalization_adapt_refuses_non_finite_values(value, kind, dtype):
    data = np.ones((6, 2), dtype)
    data[4, 1] = value
    layer = Normalization()
    with pytest.raises(ValueError) as info:
        layer.adapt(data)
    message = str(info.value)
    assert (
        "received 1 non-finite value(s)" in message
        and kind.replace("\\", "") in message
    )
    assert "index (4, 1) (sample 4 of the data)" in message


def test_adapt_names_the_batch_of_a_dataset_and_counts_every_value():
    data = np.arange(40, dtype="float32").reshape(20, 2)
    data[13] = np.nan
    data[17, 0] = np.inf
    ds = tf.data.Dataset.from_tensor_slices(data).batch(5)
    with pytest.raises(ValueError, match="batch 2, index \\(3, 0\\) \\(sample 13"):
        Normalization().adapt(ds)
    with pytest.raises(
        ValueError, match="received 3 non-finite value\\(s\\) \\(2 NaN, 1"
    ):
        Normalization().adapt(data)


def test_adapt_from_a_generator_refuses_non_finite_values():
    def batches():
        yield np.ones((3, 1))
        yield np.array([[1.0], [np.nan]])

    with pytest.raises(ValueError, match="batch 1, index \\(1, 0\\) \\(sample 4"):
        Normalization().adapt(batches())


def test_discretization_skips_nan_with_a_count_and_refuses_infinity():
    data = np.array([np.nan, 1.0, 2.0, 3.0, np.nan, 4.0])
    layer = Discretization(bins=2)
    with pytest.warns(UserWarning, match="skipped 2 NaN value\\(s\\) of 6"):
        layer.adapt(data)
    np.testing.assert_allclose(layer.bin_boundaries, [np.quantile([1, 2, 3, 4], 0.5)])
    for bad in (np.inf, -np.inf):
        with pytest.raises(ValueError, match="non-finite"):
            Discretization(bins=2).adapt(np.array([1.0, bad, 2.0]))
    with pytest.raises(
        ValueError, match="no values to learn boundaries from \\(2 of 2"
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Discretization(bins=2).adapt(np.array([np.nan, np.nan]))


def test_discretization_call_puts_nan_in_no_bin():
    out = Discretization(bins=[0.0, 1.0])(np.array([[np.nan], [-np.inf], [np.inf]]))
    np.testing.assert_array_equal(out, [[[0, 0, 0]], [[1, 0, 0]], [[0, 0, 1]]])


def test_discretization_refuses_nan_boundaries_and_bad_strategies():
    with pytest.raises(ValueError, match="must not contain NaN"):
        Discretization(bins=[0.0, float("nan")])
    with pytest.raises(TypeError, match="returned float32 values"):
        Discretization(bins=[0.0, 1.0], strategy=lambda v, b: v)(np.array([[0.5]]))
    with pytest.raises(ValueError, match="bin index outside \\[0, 3\\)"):
        Discretization(
            bins=[0.0, 1.0], strategy=lambda v, b: tf.cast(v * 0 + 7, "int32")
        )(np.array([[0.5]]))


def test_image_pipeline_adapt_refuses_non_finite_pixels():
    images = np.random.default_rng(0).random((4, 8, 8, 3)).astype("float32")
    images[2, 5, 1, 0] = np.nan
    pipeline = ImagePipeline([keras.layers.Rescaling(1 / 255.0), Normalization()])
    with pytest.raises(ValueError, match="1 NaN.*index \\(2, 5, 1, 0\\)"):
        pipeline.adapt(images)
    images[2, 5, 1, 0] = np.inf
    ds = tf.data.Dataset.from_tensor_slices(images).batch(2)
    with pytest.raises(ValueError, match="1 \\+inf.*batch 1, index \\(0, 5, 1, 0\\)"):
        ImagePipeline([Normalization()]).adapt(ds)


def test_functional_stage_adapt_refuses_non_finite_values():
    num = keras.Input((1,))
    cat = keras.Input((1,), dtype="string")
    stage = PreprocessingStage(
        inputs=[num, cat], outputs=[Normalization()(num), StringLookup()(cat)]
    )
    with pytest.raises(ValueError, match="non-finite"):
        stage.adapt([np.array([[1.0], [np.nan]]), np.array([["a"], ["b"]])])


def test_normalization_statistics_that_overflow_float32_are_refused():
    with pytest.raises(ValueError, match="does not fit in float32"):
        Normalization().adapt(np.array([[1e39], [1.0]], "float64"))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(mean=0.0, variance=-1.0), "finite and non-negative"),
        (dict(mean=np.nan, variance=1.0), "`mean` must be finite"),
        (dict(mean=0.0, variance=np.inf), "`variance` must be finite"),
    ],
)
def test_normalization_refuses_bad_fixed_statistics(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Normalization(**kwargs)


def test_normalization_call_checks_dtype_and_feature_size():
    with pytest.raises(TypeError, match="needs numeric inputs"):
        Normalization(mean=0.0, variance=1.0)(np.array([["a"]]))
    layer = Normalization()
    layer.adapt(np.ones((4, 3)))
    with pytest.raises(ValueError, match="built for inputs of shape \\(4, 3\\)"):
        layer(np.ones((2, 2)))
    with pytest.raises(ValueError, match="cannot apply `mean` of shape \\(3,\\)"):
        Normalization(mean=[0.0, 1.0, 2.0], variance=[1.0, 1.0, 1.0])(np.ones((2, 2)))


# --- lookups adapted on nothing -----------------------------------------------


@pytest.mark.parametrize(
    "make, data",
    [
        (StringLookup, [""]),
        (StringLookup, ["[UNK]", "", "[UNK]"]),
        (lambda: StringLookup(mask_token=None), ["[UNK]"]),
        (IntegerLookup, [0, 0]),
        (IntegerLookup, [-1, 0]),
        (TextVectorization, ["!!!", "...", "  "]),
        (TextVectorization, [""]),
        (lambda: TextVectorization(mode="tfidf"), ["?"]),
        (lambda: TextVectorization(mode="count", ngrams=2), [". ,"]),
    ],
)
def test_lookups_adapted_on_no_tokens_fail_at_adapt(make, data):
    layer = make()
    with pytest.raises(ValueError, match="found no tokens to learn a vocabulary"):
        layer.adapt(np.array(data))


def test_lookup_max_tokens_without_room_fails_at_adapt():
    with pytest.raises(ValueError, match="max_tokens=2, which leaves no room"):
        StringLookup(max_tokens=2).adapt(np.array(["a", "b"]))


# --- wrong dtypes at call time ------------------------------------------------


@pytest.mark.parametrize(
    "layer, inputs, match",
    [
        (lambda: IntegerLookup(vocabulary=[1, 2, 3]), [[1.7]], "received float inputs"),
        (lambda: IntegerLookup(vocabulary=[1, 2, 3]), [[1.0]], "received float inputs"),
        (
            lambda: IntegerLookup(vocabulary=[1, 2, 3]),
            [["a"]],
            "received string inputs",
        ),
        (lambda: StringLookup(vocabulary=["a"]), [[1]], "received integer inputs"),
        (lambda: StringLookup(vocabulary=["a"], invert=True), [["a"]], "invert=True"),
        (lambda: Normalization(mean=0.0, variance=1.0), [["x"]], "numeric inputs"),
    ],
)
def test_wrong_input_dtypes_raise_type_errors(layer, inputs, match):
    layer = layer()
    with pytest.raises(TypeError, match=match):
        layer(np.array(inputs))


def test_text_vectorization_refuses_numbers():
    layer = TextVectorization()
    layer.adapt(np.array(["a b"]))
    with pytest.raises(TypeError, match="vectorizes strings; received integer"):
        layer(np.array([[1]]))


def test_integer_lookup_refuses_a_float_vocabulary():
    with pytest.raises(TypeError, match="refused rather than truncated"):
        IntegerLookup(vocabulary=[1.5, 2.7])


@pytest.mark.parametrize("layer", [lambda: CategoryCrossing(), lambda: Hashing(5)])
def test_crossing_inputs_of_different_batch_sizes_raise(layer):
    with pytest.raises(ValueError, match="same batch size.*\\[2, 1\\]"):
        layer()([np.array([["a"], ["b"]]), np.array([["x"]])])


def test_crossing_batch_check_in_tf_data():
    a = tf.data.Dataset.from_tensor_slices(np.array([["a"], ["b"]])).batch(2)
    b = tf.data.Dataset.from_tensor_slices(np.array([["x"]])).batch(2)
    ds = tf.data.Dataset.zip((a, b)).map(lambda x, y: CategoryCrossing()([x, y]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="same batch size"):
        list(ds)


def test_random_width_refuses_non_finite_factors():
    for factor in (float("nan"), float("inf"), (0.1, float("nan"))):
        with pytest.raises(ValueError, match="must be finite"):
            RandomWidth(factor)


def test_timeseries_targets_without_a_time_axis():
    with pytest.raises(ValueError, match="received targets of shape \\(\\)"):
        timeseries_dataset(np.arange(10), 5, length=3)


# --- property test: random bad values into adapt and call ---------------------

_SPECIAL = st.sampled_from([np.nan, np.inf, -np.inf, -1e30, 1e30, -3.0, 0.0, 7.5])


@st.composite
def _float_batches(draw):
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(1, 3))
    values = draw(
        st.lists(
            st.one_of(st.floats(-1e6, 1e6, allow_nan=False), _SPECIAL),
            min_size=rows * cols,
            max_size=rows * cols,
        )
    )
    dtype = draw(st.sampled_from(["float32", "float64", "int64", "<U3"]))
    array = np.array(values, "float64").reshape(rows, cols)
    if dtype == "int64":
        array = np.nan_to_num(array, posinf=5, neginf=-5).astype("int64")
    elif dtype == "<U3":
        array = array.astype("<U3")
    else:
        with np.errstate(over="ignore"):
            array = array.astype(dtype)
    return array


def _check_outcome(make, data, probe):
    layer = make()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            layer.adapt(data)
        out = layer(probe)
    except (ValueError, TypeError):
        return
    out = np.asarray(
        tf.sparse.to_dense(out) if isinstance(out, tf.SparseTensor) else out
    )
    if out.dtype.kind == "f" and np.issubdtype(np.asarray(probe).dtype, np.number):
        # No NaN that was not in the input.
        assert np.isfinite(out).all() or not np.isfinite(np.asarray(probe, float)).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_float_batches(), probe=_float_batches())
def test_numeric_layers_never_return_nan_from_finite_inputs_or_crash(data, probe):
    _check_outcome(Normalization, data, probe)
    _check_outcome(lambda: Discretization(bins=3), data, probe)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    indices=st.lists(
        st.one_of(st.integers(-(2**62), 2**62), st.integers(-3, 5)),
        min_size=1,
        max_size=8,
    ),
    as_float=st.booleans(),
)
def test_category_encoding_accepts_exactly_the_documented_indices(indices, as_float):
    x = np.array([indices], "float64" if as_float else "int64")
    layer = CategoryEncoding(max_tokens=4, output_mode="count")
    valid = not as_float and all(-1 <= i < 4 for i in indices)
    if not valid:
        with pytest.raises((ValueError, TypeError)):
            layer(x)
        return
    expected = np.bincount([i for i in indices if i >= 0], minlength=4)
    np.testing.assert_array_equal(layer(x), [expected])


def test_adapted_lookup_preset_round_trip_with_counts_asset(tmp_path):
    # The adapt counts are an `.npz` asset, which keras-core presets accept.
    from keras_core.presets import from_preset
    from keras_core.presets import save_to_preset

    layer = StringLookup()
    layer.adapt(np.array(["b", "a", "a"]))
    layer(np.array([["a"]]))
    save_to_preset(layer, tmp_path / "lookup")
    restored = from_preset(tmp_path / "lookup")
    np.testing.assert_array_equal(
        restored(np.array([["a"], ["b"], ["z"]])), [[2], [3], [1]]
    )
    restored.adapt(np.array(["b", "b", "b"]), reset_state=False)
    assert restored.get_vocabulary()[2:] == ["b", "a"]


def _two_batches(first, second):
    yield first
    yield second


@pytest.mark.parametrize(
    "make, good, bad, more",
    [
        (
            Normalization,
            np.array([[1.0], [3.0]]),
            np.array([[100.0], [np.nan]]),
            np.array([[5.0], [7.0]]),
        ),
        (
            lambda: Discretization(bins=2),
            np.array([1.0, 3.0]),
            np.array([100.0, np.inf]),
            np.array([5.0, 7.0]),
        ),
        (
            StringLookup,
            np.array(["a", "a", "b"]),
            np.array([1, 2]),  # the wrong dtype, after a good batch
            np.array(["c", "c", "c"]),
        ),
        (
            lambda: CategoryEncoding(4, output_mode="tf-idf"),
            np.array([[0, 1]]),
            np.array([[2, 9]]),
            np.array([[3, 3]]),
        ),
    ],
)
def test_a_failed_resumed_adapt_leaves_no_partial_statistics(make, good, bad, more):
    resumed, reference = make(), make()
    resumed.adapt(good)
    with pytest.raises((ValueError, TypeError)):
        # The first batch is fine; the second fails after the first was counted.
        resumed.adapt(_two_batches(good, bad), reset_state=False)
    resumed.adapt(more, reset_state=False)
    reference.adapt(_two_batches(good, more))
    for mine, theirs in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(mine, theirs, rtol=1e-6)
    if isinstance(resumed, StringLookup):
        assert resumed.get_vocabulary() == reference.get_vocabulary()
