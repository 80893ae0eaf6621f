# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A new detector built from the public parts only (issue 25).

`TinyDetector` imports nothing but `keras_cv`'s public namespace: the
feature pyramid, the prediction heads (with their GroupNormalization),
padding to a multiple, the target-building ops, the public losses, the
NMS decoder and the `Detector` base. It trains, predicts and exports.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_cv

STRIDES = (8, 16, 32)


def _tiny_backbone():
    """Maps of strides 8, 16 and 32 from a few strided convolutions."""
    images = keras.Input((None, None, 3))
    x, maps = images, []
    for i, filters in enumerate((4, 4, 8, 8, 8)):
        x = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        x = keras.layers.ReLU()(x)
        if i >= 2:
            maps.append(x)
    return keras.Model(images, maps)


class TinyDetector(keras_cv.models.Detector, keras.Model):
    """One anchor per location, a 2-level-deep FPN of 8 channels."""

    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.bounding_box_format = "xyxy"
        self.pad = keras_cv.layers.PadToMultiple(32)
        self.features = _tiny_backbone()
        self.fpn = keras_cv.layers.FeaturePyramid(8, max_level=5)
        self.class_head = keras_cv.layers.PredictionHead(
            num_classes, filters=8, depth=1, groups=4
        )
        self.box_head = keras_cv.layers.PredictionHead(4, filters=8, depth=1, groups=4)
        self.anchor_generator = keras_cv.ops.AnchorGenerator(
            anchor_sizes=[4.0 * s for s in STRIDES],
            scales=[1.0],
            aspect_ratios=[1.0],
            strides=list(STRIDES),
        )
        self.similarity = keras_cv.layers.IouSimilarity()
        self.matcher = keras_cv.ops.BoxMatcher(
            positive_threshold=0.5,
            negative_threshold=0.4,
            force_match_for_each_col=True,
        )
        self.gather = keras_cv.ops.TargetGather()
        self.coder = keras_cv.ops.BoxCoder()
        self.focal = keras_cv.losses.FocalLoss(from_logits=True, reduction=None)
        self.smooth_l1 = keras_cv.losses.SmoothL1Loss(reduction=None)
        self.decoder = keras_cv.layers.NMSDetectionDecoder(max_num_detections=10)

    def call(self, images):
        maps = self.fpn(self.features(self.pad(images / 127.5 - 1.0)))
        batch = tf.shape(images)[0]
        box = [tf.reshape(self.box_head(m), (batch, -1, 4)) for m in maps]
        logits = [
            tf.reshape(self.class_head(m), (batch, -1, self.num_classes)) for m in maps
        ]
        return {"box": tf.concat(box, 1), "classification": tf.concat(logits, 1)}

    def anchors(self, images):
        shape = tf.shape(images)
        return self.anchor_generator(
            ((shape[1] + 31) // 32 * 32, (shape[2] + 31) // 32 * 32)
        )

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        anchors = self.anchors(x)
        boxes, labels = y["boxes"], tf.cast(y["labels"], "int32")
        iou = self.similarity(anchors, boxes, mask=(labels < 0)[:, None, :])
        match, indicators = self.matcher(iou)
        positive = indicators == 1
        classes = self.gather(labels, match, mask=~positive, mask_value=-1)
        targets = self.coder.encode(self.gather(boxes, match), anchors[None])
        weights = tf.cast(positive, "float32")
        normaliser = tf.maximum(tf.reduce_sum(weights), 1.0)
        class_loss = self.focal(
            tf.one_hot(classes, self.num_classes), y_pred["classification"]
        ) * tf.cast(indicators != -2, "float32")
        box_loss = self.smooth_l1(targets, y_pred["box"]) * weights
        return (tf.reduce_sum(class_loss) + tf.reduce_sum(box_loss)) / normaliser

    def decode_predictions(self, raw_outputs, images):
        shape = tf.cast(tf.shape(images)[1:3], "float32")
        return self.decoder(
            raw_outputs["box"],
            raw_outputs["classification"],
            self.anchors(images),
            image_shape=shape,
        )


@pytest.mark.large  # trains, predicts and exports: about 40 s under load
def test_a_detector_from_public_parts_trains_predicts_and_exports(tmp_path):
    keras.utils.set_random_seed(0)
    model = TinyDetector(num_classes=2)
    images = np.random.default_rng(0).uniform(0, 255, (2, 64, 96, 3))
    images = images.astype("float32")
    targets = {
        "boxes": np.array(
            [[[8, 8, 40, 40], [0, 0, 0, 0]], [[30, 10, 90, 60], [4, 20, 36, 52]]],
            "float32",
        ),
        "labels": np.array([[0, -1], [1, 0]], "int32"),
    }
    model(images)  # builds the layers
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    before = [w.numpy().copy() for w in model.class_head.weights]
    history = model.fit(images, targets, batch_size=2, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # The heads (and their GroupNormalization) were trained.
    # A 3x3 convolution without bias, its GroupNormalization, the output.
    assert len(before) == 5
    assert any(
        not np.array_equal(a, w.numpy())
        for a, w in zip(before, model.class_head.weights)
    )

    detections = model.predict(images, verbose=0)
    assert detections["boxes"].shape == (2, 10, 4)
    # Images 64x96: 8x12 + 4x6 + 2x3 anchors (padded to a multiple of 32).
    assert model(images)["classification"].shape == (2, 96 + 24 + 6, 2)

    directory = str(tmp_path / "served")
    model.export(directory, verbose=False)
    reloaded = tf.saved_model.load(directory)  # alive while it serves
    served = reloaded.serve(tf.cast(images, tf.uint8))
    expected = model.predict_on_batch(np.floor(images))
    np.testing.assert_array_equal(
        served["num_detections"].numpy(), expected["num_detections"]
    )
    np.testing.assert_allclose(served["boxes"].numpy(), expected["boxes"], atol=1e-3)
