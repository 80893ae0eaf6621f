# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_preprocessing.src.layers.category_encoding import CategoryEncoding
from keras_preprocessing.src.layers.normalization import Normalization
from keras_preprocessing.src.layers.string_lookup import StringLookup
from keras_preprocessing.src.layers.text_vectorization import TextVectorization
from keras_preprocessing.src.stages.model_splitting import get_main_stage
from keras_preprocessing.src.stages.model_splitting import get_preprocessing_stage
from keras_preprocessing.src.stages.model_splitting import lift_preprocessing_stage
from keras_preprocessing.src.stages.preprocessing_stage import PreprocessingStage


def _two_branch_model():
    num = keras.Input((2,), name="num")
    txt = keras.Input((1,), dtype="string", name="txt")
    norm = Normalization()
    norm.adapt(np.array([[0.0, 1.0], [2.0, 5.0]]))
    lookup = StringLookup(vocabulary=["a", "b", "c"])
    normed = norm(num)
    encoded = CategoryEncoding(max_tokens=5)(lookup(txt))
    h = keras.layers.concatenate(
        [keras.layers.Dense(3)(normed), keras.layers.Dense(3)(encoded), num]
    )
    return keras.Model([num, txt], keras.layers.Dense(1)(h))


def test_sequential_split():
    vec = TextVectorization(mode="count", tokens=8)
    vec.adapt(["a b c", "b c d"])
    model = keras.Sequential(
        [
            keras.Input((1,), dtype="string"),
            vec,
            keras.layers.Dense(4),
            keras.layers.Dense(1),
        ]
    )
    pre, main = get_preprocessing_stage(model), get_main_stage(model)
    assert pre is vec
    assert [type(x) for x in main.layers] == [keras.layers.Dense, keras.layers.Dense]
    x = np.array([["a b"], ["d d q"]])
    np.testing.assert_allclose(main(pre(x)), model(x), atol=1e-6)


def test_sequential_split_with_two_preprocessing_layers_and_none():
    norm1, norm2 = (
        Normalization(mean=1.0, variance=4.0),
        Normalization(mean=0.0, variance=9.0),
    )
    model = keras.Sequential([keras.Input((1,)), norm1, norm2, keras.layers.Dense(1)])
    pre = get_preprocessing_stage(model)
    assert isinstance(pre, PreprocessingStage) and pre.stage_layers == [norm1, norm2]
    x = np.array([[3.0], [7.0]], "float32")
    np.testing.assert_allclose(get_main_stage(model)(pre(x)), model(x), atol=1e-6)
    plain = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    assert get_preprocessing_stage(plain) is None and get_main_stage(plain) is plain


def test_functional_multi_branch_split_with_raw_pass_through():
    model = _two_branch_model()
    pre, main = get_preprocessing_stage(model), get_main_stage(model)
    x = [np.array([[1.0, 2.0], [0.0, 9.0]], "float32"), np.array([["b"], ["zz"]])]
    outs = pre(x)
    assert (
        len(outs) == 3
    )  # normed, encoded and the raw `num` that the main part also reads
    assert len(main.inputs) == 3
    np.testing.assert_allclose(main(outs), model(x), atol=1e-6)
    # The main stage shares the weights of the model.
    dense_names = {w.path for w in main.trainable_weights}
    assert dense_names == {w.path for w in model.trainable_weights}


def test_lift_into_tf_data_and_train_main_stage():
    model = _two_branch_model()
    rng = np.random.default_rng(0)
    nums = rng.normal(size=(32, 2)).astype("float32")
    txts = rng.choice(["a", "b", "c"], size=(32, 1))
    ys = (nums[:, :1] > 0).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices(((nums, txts), ys)).batch(8)
    lifted, main = lift_preprocessing_stage(model, ds)
    element = next(iter(lifted))
    assert element[0][1].dtype == tf.float32  # already encoded in the pipeline
    main.compile(keras.optimizers.SGD(0.1), "mse")
    before = model([nums, txts]).numpy()
    main.fit(lifted, epochs=2, verbose=0)
    after = model([nums, txts]).numpy()
    assert not np.allclose(before, after)  # training the main stage trained the model
    np.testing.assert_allclose(
        main(get_preprocessing_stage(model)([nums, txts])), after, atol=1e-5
    )


def test_bad_input():
    with pytest.raises(TypeError, match="Keras model"):
        get_preprocessing_stage(Normalization())
    with pytest.raises(TypeError, match="tf.data.Dataset"):
        lift_preprocessing_stage(_two_branch_model(), np.ones((2, 2)))
