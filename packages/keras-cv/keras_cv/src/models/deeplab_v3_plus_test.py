# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_core.testing import TestCase
from keras_cv.src.datasets import shapes
from keras_cv.src.models.deeplab_v3_plus import DeepLabV3Plus
from keras_cv.src.models.deeplab_v3_plus import check_mask_values


def _small_model(**kwargs):
    # A small backbone keeps the test fast; any keras_applications one works.
    backbone = keras_applications.MobileNetV2(
        include_top=False, input_shape=(None, None, 3), alpha=0.35
    )
    config = dict(
        num_classes=4,
        dilation_rates=[1, 2],
        pooling_channels=8,
        low_level_channels=4,
        decoder_channels=8,
    )
    config.update(kwargs)
    return DeepLabV3Plus(backbone, **config)


def _data(num=4, size=32, seed=0):
    data = shapes.generate(num, image_size=size, seed=seed, return_masks=True)
    return data["images"].astype("float32"), data["segmentation_masks"].astype("int32")


class DeepLabV3PlusTest(TestCase):
    def test_model_harness_and_any_input_size(self):
        model = _small_model()
        images, _ = _data(2, 32)
        self.run_model_test(
            model, images, expected_output_shape=(2, 32, 32, 4), run_tf_data_check=False
        )
        # Sizes that are not multiples of the backbone stride.
        self.assertEqual(
            tuple(model(np.zeros((1, 37, 50, 3), "float32")).shape), (1, 37, 50, 4)
        )

    def test_default_loss_ignores_the_ignore_index(self):
        model = _small_model()
        model.compile()
        images, masks = _data(2, 32)
        masks[:, :3] = 255
        logits = model(images, training=False)
        log_probs = keras.ops.convert_to_numpy(logits).astype("float64")
        log_probs = log_probs - np.log(np.exp(log_probs).sum(-1, keepdims=True))
        labelled = masks[..., 0] != 255
        picked = np.take_along_axis(
            log_probs, np.where(labelled, masks[..., 0], 0)[..., None], -1
        )[..., 0]
        self.assertAllClose(
            model.compute_loss(images, masks, logits),
            -picked[labelled].mean(),
            atol=1e-4,
        )

    @pytest.mark.large
    def test_fit_predict_export(self):
        model = _small_model()
        model.compile()
        images, masks = _data(4, 32)
        masks[:, :2] = 255  # unlabelled pixels are allowed
        ds = tf.data.Dataset.from_tensor_slices(
            {"images": images, "segmentation_masks": masks, "extra": masks}
        ).batch(2)
        history = model.fit(ds, epochs=1, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"]).all())
        predicted = model.predict(images, verbose=0)
        self.assertEqual(predicted.shape, (4, 32, 32, 1))
        self.assertEqual(predicted.dtype, np.int32)
        np.testing.assert_array_equal(
            predicted, np.argmax(model(images, training=False), -1)[..., None]
        )
        path = self.get_temp_dir() + "/served"
        model.export(path)
        reloaded = tf.saved_model.load(path)
        served = reloaded.serve(tf.constant(images.astype("uint8")))
        np.testing.assert_array_equal(served["segmentation_masks"], predicted)

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match="pyramid_outputs"):
            DeepLabV3Plus(keras.Sequential([keras.layers.Dense(2)]), num_classes=3)
        for rates in ([0, 2], [2.5], [-6, 12], "6,12", []):
            with pytest.raises(ValueError, match="dilation_rates.*positive ints"):
                _small_model(dilation_rates=rates)
        with pytest.raises(ValueError, match="ignore_index"):
            _small_model(ignore_index=2)
        with pytest.raises(ValueError, match="high_level"):
            _small_model(high_level="P6")
        model = _small_model()
        model.compile()
        images, masks = _data(2, 32)
        with pytest.raises(ValueError, match="height and width of the images"):
            model.fit(images, masks[:, :16], verbose=0)
        bad = masks.copy()
        bad[0, 0, 0] = 4
        with pytest.raises(ValueError, match=r"values \[4\].*num_classes=4"):
            model.fit({"images": images, "segmentation_masks": bad}, verbose=0)
        with pytest.raises(ValueError, match="batched images"):
            model.fit(tf.data.Dataset.from_tensor_slices((images, masks)), verbose=0)


def test_mask_values_outside_the_classes_are_rejected_except_ignore_index():
    masks = np.zeros((1, 4, 4, 1), "int32")
    masks[0, 0, 0] = 255  # ignore_index: allowed
    masks[0, 1, 1] = 3  # last class: allowed
    check_mask_values(masks, num_classes=4, ignore_index=255)
    for bad in (4, 254, -1):
        wrong = masks.copy()
        wrong[0, 2, 2] = bad
        with pytest.raises(ValueError, match=rf"values \[{bad}\].*num_classes=4"):
            check_mask_values(wrong, num_classes=4, ignore_index=255)
    # With ignore_index=-1, -1 is allowed and 255 is not.
    masks[0, 0, 0] = -1
    check_mask_values(masks, num_classes=4, ignore_index=-1)
    masks[0, 3, 3] = 255
    with pytest.raises(ValueError, match=r"values \[255\]"):
        check_mask_values(masks, num_classes=4, ignore_index=-1)


@pytest.mark.large  # default-suite time budget
def test_backbone_levels_above_high_level_are_not_model_weights(tmp_path):
    # With context from P4, the backbone's last stage computes nothing the
    # model uses: its weights must not be trainable weights of the model
    # (every trainable weight gets a gradient), yet `.keras` still restores.
    model = _small_model(high_level="P4")
    full = _small_model(high_level="P5")
    assert len(model.trainable_weights) < len(full.trainable_weights)
    images, masks = _data(2, 32)
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
            masks, logits
        )
    grads = tape.gradient(loss, model.trainable_weights)
    missing = [w.path for w, g in zip(model.trainable_weights, grads) if g is None]
    assert missing == []
    path = str(tmp_path / "p4.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    np.testing.assert_allclose(
        restored.predict(images, verbose=0), model.predict(images, verbose=0), atol=1e-5
    )
