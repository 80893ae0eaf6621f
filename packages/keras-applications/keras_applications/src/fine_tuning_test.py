# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_applications.src import fine_tuning

SIZE = 32


def _numpy(variable):
    return keras.ops.convert_to_numpy(variable)


def _snapshot(model):
    return {w.path: _numpy(w).copy() for w in model.weights}


def _changed(model, before):
    return {
        w.path for w in model.weights if not np.array_equal(_numpy(w), before[w.path])
    }


def _is_statistic(path):
    return path.endswith("moving_mean") or path.endswith("moving_variance")


def _is_batch_norm_weight(model, path):
    return any(
        w.path == path
        for layer in fine_tuning.batch_norm_layers(model)
        for w in layer.weights
    )


def _tiny_backbone():
    """A small backbone with batch normalization at the top level and inside
    a subclassed block, so that the tests train in a second."""
    inputs = keras.Input((SIZE, SIZE, 3))
    x = keras.layers.Conv2D(4, 3, strides=4, name="stem_conv")(inputs)
    x = keras.layers.BatchNormalization(name="stem_bn")(x)
    x = keras.layers.ReLU()(x)
    x = keras_applications.layers.ResidualBlock(4, name="block")(x)
    return keras.Model(inputs, x, name="tiny_backbone")


def _classifier(backbone):
    inputs = keras.Input((SIZE, SIZE, 3))
    x = backbone(inputs, training=False)  # Keras 3 ignores this inside `fit`
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(3)(x))


def _data(count=16, seed=0):
    rng = np.random.default_rng(seed)
    # Far from the statistics of a fresh backbone (mean 0, variance 1), so
    # that training-mode batch normalization would move them visibly.
    images = rng.normal(3.0, 2.0, (count, SIZE, SIZE, 3)).astype("float32")
    return images, rng.integers(0, 3, count)


def _fit(model, learning_rate, steps=2):
    model.compile(
        keras.optimizers.Adam(learning_rate),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    images, labels = _data(8 * steps)
    model.fit(images, labels, batch_size=8, epochs=1, shuffle=False, verbose=0)


BACKBONES = {
    "ResNet18": lambda: keras_applications.ResNet18(
        include_top=False, input_shape=(SIZE, SIZE, 3)
    ),
    "ResNet18V2": lambda: keras_applications.ResNet18V2(
        include_top=False, input_shape=(SIZE, SIZE, 3)
    ),
    "MobileNetV2": lambda: keras_applications.MobileNetV2(
        include_top=False, input_shape=(SIZE, SIZE, 3), alpha=0.35
    ),
    "MobileNetV3Small": lambda: keras_applications.MobileNetV3Small(
        include_top=False, input_shape=(SIZE, SIZE, 3), alpha=0.75
    ),
    "EfficientNetB0": lambda: keras_applications.EfficientNetB0(
        include_top=False, input_shape=(SIZE, SIZE, 3)
    ),
}


@pytest.mark.parametrize("name", sorted(BACKBONES))
def test_every_backbone_family_freezes_and_unfreezes(name):
    backbone = BACKBONES[name]()
    layers = fine_tuning.batch_norm_layers(backbone)
    # Independent count: every batch normalization owns one moving mean.
    # This also pins the private Keras traversal `_sublayers` relies on: it
    # must reach the layers inside subclassed blocks.
    means = [w for w in backbone.weights if w.path.endswith("moving_mean")]
    assert len(layers) == len(means) > 0

    as_built = {w.path for w in backbone.trainable_weights}
    keras_applications.freeze_backbone(backbone)
    assert backbone.trainable_weights == []

    keras_applications.unfreeze_backbone(backbone)
    trainable = {w.path for w in backbone.trainable_weights}
    assert trainable == {p for p in as_built if not _is_batch_norm_weight(backbone, p)}
    assert not any(layer.trainable for layer in layers)

    keras_applications.unfreeze_backbone(backbone, batch_norm="trainable")
    assert all(layer.trainable for layer in layers)
    assert {w.path for w in backbone.trainable_weights} == as_built


def test_keras_skips_propagating_an_unchanged_trainable_flag():
    """Why the functions set every nested layer's flag themselves.

    Under the TensorFlow backend, Keras 3.15 skips an attribute assignment
    whose value `is` the current one, so `model.trainable = True` on a
    trainable model leaves a frozen inner layer frozen.
    """
    backbone = _tiny_backbone()
    bn = backbone.get_layer("stem_bn")
    bn.trainable = False
    backbone.trainable = True
    assert not bn.trainable  # the Keras behaviour
    keras_applications.unfreeze_backbone(backbone, batch_norm="trainable")
    assert bn.trainable  # the functions do not depend on it
    keras_applications.freeze_backbone(backbone)
    bn.trainable = True
    keras_applications.freeze_backbone(backbone)
    assert not bn.trainable


def test_frozen_backbone_does_not_change_in_fit():
    backbone = _tiny_backbone()
    model = _classifier(backbone)
    keras_applications.freeze_backbone(backbone)
    before = _snapshot(backbone)
    _fit(model, 1e-2)
    assert _changed(backbone, before) == set()


def test_unfreezing_keeps_batch_norm_statistics_and_trains_the_rest():
    backbone = _tiny_backbone()
    model = _classifier(backbone)
    keras_applications.freeze_backbone(backbone)
    _fit(model, 1e-2)
    before = _snapshot(backbone)
    keras_applications.unfreeze_backbone(backbone)
    _fit(model, 1e-4)
    changed = _changed(backbone, before)
    bn_weights = {
        w.path
        for layer in fine_tuning.batch_norm_layers(backbone)
        for w in layer.weights
    }
    assert changed.isdisjoint(bn_weights)  # statistics, gamma and beta stay
    kernels = {w.path for w in backbone.weights if w.path.endswith("kernel")}
    assert kernels and kernels <= changed  # every convolution was fine-tuned


def test_trainable_batch_norm_updates_its_statistics():
    # The same fit with batch_norm="trainable" does move the statistics:
    # the test above would notice if freezing stopped working.
    backbone = _tiny_backbone()
    model = _classifier(backbone)
    keras_applications.unfreeze_backbone(backbone, batch_norm="trainable")
    before = _snapshot(backbone)
    _fit(model, 1e-4)
    changed = _changed(backbone, before)
    assert {p for p in before if _is_statistic(p)} <= changed


def test_keras_passes_fit_training_mode_into_a_nested_backbone():
    """Why the recipe works with `trainable` flags, not `training=False`.

    Keras 3 (3.15) passes `training=True` to every layer of a nested
    Functional model during `fit`, although the backbone was called with
    `training=False`; only a non-trainable batch normalization stays in
    inference mode. If a Keras release changes this, the docstrings of
    `unfreeze_backbone` and the guide must change with it.
    """

    def moving_mean_after_fit(freeze_batch_norm):
        inner_in = keras.Input((4,))
        inner = keras.Model(inner_in, keras.layers.BatchNormalization()(inner_in))
        if freeze_batch_norm:
            keras_applications.unfreeze_backbone(inner)
        outer_in = keras.Input((4,))
        outer = keras.Model(
            outer_in, keras.layers.Dense(1)(inner(outer_in, training=False))
        )
        outer.compile("sgd", "mse")
        x = np.full((8, 4), 5.0, "float32")
        outer.fit(x, np.zeros((8, 1)), epochs=1, verbose=0)
        return float(np.abs(_numpy(inner.layers[1].moving_mean)).max())

    assert moving_mean_after_fit(freeze_batch_norm=False) > 0.0  # the Keras behaviour
    assert moving_mean_after_fit(freeze_batch_norm=True) == 0.0  # the recipe


def test_fine_tune_learning_rate_is_applied_with_a_fresh_optimizer():
    # Adam's first step moves every weight with a non-negligible gradient by
    # exactly the learning rate: m / sqrt(v) = g / |g| after bias correction.
    # So after unfreezing and recompiling with a fresh Adam(1e-4), no weight
    # moves by more than 1e-4 in the first step and the convolutions move by
    # nearly that much; the head's optimizer (1e-2, with its moments) is gone.
    backbone = _tiny_backbone()
    model = _classifier(backbone)
    keras_applications.freeze_backbone(backbone)
    _fit(model, 1e-2)
    keras_applications.unfreeze_backbone(backbone)
    learning_rate = 1e-4
    before = _snapshot(model)
    _fit(model, learning_rate, steps=1)
    assert float(model.optimizer.learning_rate) == pytest.approx(learning_rate)
    assert int(model.optimizer.iterations) == 1
    steps = {
        w.path: np.abs(_numpy(w) - before[w.path]).max()
        for w in model.trainable_weights
    }
    # (float32 rounding of `w - lr` allows a relative error of about 1e-4)
    assert max(steps.values()) <= learning_rate * (1 + 1e-3)
    kernel_steps = [v for p, v in steps.items() if p.endswith("kernel")]
    assert min(kernel_steps) > 0.5 * learning_rate


def test_recalibration_matches_numpy_statistics_and_restores_the_layers():
    inputs = keras.Input((5,))
    dense = keras.layers.Dense(5, name="dense")
    x = dense(inputs)
    x = keras.layers.Dropout(0.5, name="dropout")(x)
    bn = keras.layers.BatchNormalization(momentum=0.99, name="bn")
    model = keras.Model(inputs, bn(x))
    model.trainable = False
    rng = np.random.default_rng(3)
    data = rng.normal(2.0, 3.0, (80, 5)).astype("float32")
    gamma, beta = _numpy(bn.gamma).copy(), _numpy(bn.beta).copy()

    used = keras_applications.recalibrate_batch_norm(model, data, batch_size=32)

    assert used == 3  # batches of 32, 32 and 16
    features = _numpy(dense(data))
    batches = [features[:32], features[32:64], features[64:]]
    sizes = np.array([32, 32, 16], "float64")
    # Batch-size weighted average of biased batch statistics, by hand;
    # with the dropout active, the variance would come out about twice as large.
    expected_mean = sum(n * b.mean(0) for n, b in zip(sizes, batches)) / sizes.sum()
    expected_var = sum(n * b.var(0) for n, b in zip(sizes, batches)) / sizes.sum()
    np.testing.assert_allclose(_numpy(bn.moving_mean), expected_mean, rtol=1e-4)
    np.testing.assert_allclose(_numpy(bn.moving_variance), expected_var, rtol=1e-4)
    np.testing.assert_array_equal(_numpy(bn.gamma), gamma)
    np.testing.assert_array_equal(_numpy(bn.beta), beta)
    assert bn.momentum == 0.99 and not bn.trainable
    assert model.get_layer("dropout").rate == 0.5


def test_recalibration_takes_a_dataset_of_input_target_pairs_and_steps():
    inputs = keras.Input((2,))
    bn = keras.layers.BatchNormalization()
    model = keras.Model(inputs, bn(inputs))
    x = np.arange(40, dtype="float32").reshape(20, 2)
    dataset = tf.data.Dataset.from_tensor_slices((x, np.zeros(20))).batch(10)
    assert keras_applications.recalibrate_batch_norm(model, dataset, steps=1) == 1
    np.testing.assert_allclose(_numpy(bn.moving_mean), x[:10].mean(0), rtol=1e-5)
    np.testing.assert_allclose(_numpy(bn.moving_variance), x[:10].var(0), rtol=1e-5)


def test_bad_arguments_say_what_was_expected():
    backbone = keras.Sequential([keras.Input((2,)), keras.layers.BatchNormalization()])
    with pytest.raises(TypeError, match="Keras model or layer as `backbone`.*str"):
        keras_applications.unfreeze_backbone("resnet")
    with pytest.raises(TypeError, match="Keras model or layer as `backbone`"):
        keras_applications.freeze_backbone(None)
    with pytest.raises(ValueError, match="`batch_norm` must be one of.*'train'"):
        keras_applications.unfreeze_backbone(backbone, batch_norm="train")
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
        keras_applications.recalibrate_batch_norm(
            backbone, np.zeros((4, 2)), batch_size=0
        )
    with pytest.raises(ValueError, match="`steps` must be None"):
        keras_applications.recalibrate_batch_norm(backbone, np.zeros((4, 2)), steps=0)
    with pytest.raises(TypeError, match="`data` must be an array"):
        keras_applications.recalibrate_batch_norm(backbone, "images/")
    with pytest.raises(ValueError, match="`data` is empty"):
        keras_applications.recalibrate_batch_norm(backbone, np.zeros((0, 2)))
    no_bn = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="found no BatchNormalization layer"):
        keras_applications.recalibrate_batch_norm(no_bn, np.zeros((4, 2)))
    # A failed call leaves the layers as they were.
    assert backbone.layers[0].momentum == 0.99 and backbone.layers[0].trainable
