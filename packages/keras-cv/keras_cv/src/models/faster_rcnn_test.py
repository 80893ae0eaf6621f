# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_applications
from keras_core.testing import TestCase
from keras_cv.src.datasets import shapes
from keras_cv.src.metrics.coco_evaluation import evaluate_coco
from keras_cv.src.metrics.coco_mean_average_precision import COCOMeanAveragePrecision
from keras_cv.src.models.faster_rcnn import FasterRCNN

SMALL = dict(
    fpn_filters=16,
    head_units=32,
    rpn_batch_size=64,
    roi_batch_size=32,
    num_proposals=64,
    test_num_proposals=32,
    seed=1,
)


def _model(**kwargs):
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    return FasterRCNN(backbone, num_classes=3, **{**SMALL, **kwargs})


def _data(n=4, size=64, seed=0):
    data = shapes.generate(n, image_size=size, seed=seed, min_size=0.25, max_size=0.5)
    return data["images"].astype("float32"), {
        "boxes": data["boxes"],
        "labels": data["labels"],
    }


class FasterRCNNTest(TestCase):
    def test_raw_outputs_and_saving(self):
        model = _model()
        images, _ = _data(2)
        out = model(images)
        # 6 anchors at each location of P3-P6 on 64x64: (8*8 + 4*4 + 2*2 + 1) * 6.
        self.assertEqual(tuple(out["rpn_box"].shape), (2, 510, 4))
        self.assertEqual(tuple(out["rpn_classification"].shape), (2, 510))
        self.assertEqual(tuple(out["rois"].shape), (2, 32, 4))
        self.assertEqual(tuple(out["box"].shape), (2, 32, 3, 4))
        self.assertEqual(tuple(out["classification"].shape), (2, 32, 4))
        # Proposals lie inside the image.
        rois = out["rois"].numpy()
        self.assertTrue((rois >= 0).all() and (rois <= 64).all())
        # Sizes that are not multiples of 32 are padded inside.
        odd = model(np.zeros((1, 50, 70, 3), "float32"))
        self.assertEqual(
            tuple(odd["rpn_box"].shape), (1, (8 * 12 + 4 * 6 + 2 * 3 + 1 * 2) * 6, 4)
        )
        # Config, .keras and preset round trips (predict returns detections,
        # so the tf.data check of raw outputs does not apply).
        self.run_model_test(model, images, run_tf_data_check=False)

    def test_losses_reach_every_trainable_weight(self):
        model = _model()
        images, targets = _data(2)
        with tf.GradientTape() as tape:
            losses = model.compute_losses(images, targets, training=True)
        grads = tape.gradient(losses["loss"], model.trainable_variables)
        missing = [
            v.path for v, g in zip(model.trainable_variables, grads) if g is None
        ]
        self.assertFalse(missing)
        self.assertAllClose(
            losses["loss"],
            sum(
                float(losses[k])
                for k in (
                    "rpn_class_loss",
                    "rpn_box_loss",
                    "roi_class_loss",
                    "roi_box_loss",
                )
            ),
            atol=1e-4,
        )
        # Untrained objectness starts near p = 0.5: binary cross-entropy ~ log 2.
        self.assertAllClose(losses["rpn_class_loss"], np.log(2.0), atol=0.05)
        # And the region head near uniform over 4 classes: ~ log 4.
        self.assertAllClose(losses["roi_class_loss"], np.log(4.0), atol=0.1)
        # No ground truth at all: only classification losses remain.
        empty = {
            "boxes": np.full((2, 1, 4), -1.0, "float32"),
            "labels": np.full((2, 1), -1),
        }
        losses = model.compute_losses(images, empty, training=True)
        self.assertEqual(float(losses["rpn_box_loss"]), 0.0)
        self.assertEqual(float(losses["roi_box_loss"]), 0.0)

    def test_decoding_hand_built_outputs(self):
        model = _model(score_threshold=0.3)
        images = tf.zeros((1, 64, 64, 3))
        logits = np.full((1, 3, 4), -10.0, "float32")
        logits[0, 0, 3] = 10.0  # roi 0 is class 2 (index 3 with background 0)
        logits[0, 1, 1] = 1.0  # roi 1 is class 0, less sure
        logits[0, 2, 0] = 10.0  # roi 2 is background
        deltas = np.zeros((1, 3, 3, 4), "float32")
        deltas[0, 1, 0] = [
            10.0,
            0.0,
            0.0,
            0.0,
        ]  # class-0 box of roi 1 moves right by 1 width
        raw = {
            "rois": np.array(
                [[[4, 4, 20, 20], [30, 30, 40, 50], [0, 0, 10, 10]]], "float32"
            ),
            "classification": logits,
            "box": deltas,
        }
        out = model.decode_predictions(raw, images)
        self.assertEqual(int(out["num_detections"][0]), 2)
        self.assertAllClose(
            out["boxes"][0, :2], [[4, 4, 20, 20], [40, 30, 50, 50]], atol=1e-4
        )
        self.assertEqual(out["labels"].numpy()[0, :3].tolist(), [2, 0, -1])

        def softmax(z):
            return np.exp(z) / np.exp(z).sum()

        self.assertAllClose(
            out["scores"][0, :2],
            [softmax(logits[0, 0])[3], softmax(logits[0, 1])[1]],
            atol=1e-5,
        )
        self.assertAllClose(out["boxes"][0, 2], [-1, -1, -1, -1])

    def test_bad_inputs(self):
        plain = keras.Sequential(
            [keras.Input((None, None, 3)), keras.layers.Conv2D(4, 3)]
        )
        with pytest.raises(ValueError, match="pyramid_outputs"):
            FasterRCNN(plain, num_classes=3)
        model = _model()
        for bad in (0, 2.5, True):
            with pytest.raises(ValueError, match="num_classes"):
                FasterRCNN(model.backbone, num_classes=bad)
        with pytest.raises(ValueError, match="computes its own losses"):
            model.compile(loss="mse")
        with pytest.raises(ValueError, match="COCOEvaluation"):
            model.compile(metrics=[COCOMeanAveragePrecision()])
        with pytest.raises(ValueError, match="weighted_metrics"):
            model.compile(weighted_metrics={"box": COCOMeanAveragePrecision()})
        model.compile()
        images, targets = _data(2)
        with pytest.raises(ValueError, match="Batch your dataset"):
            model.fit(images[0], targets)
        bad = {"boxes": targets["boxes"], "labels": np.full_like(targets["labels"], 3)}
        with pytest.raises(ValueError, match="num_classes=3"):
            model.fit(images, bad)
        with pytest.raises(ValueError, match="dict"):
            model.fit(images, targets["boxes"])
        with pytest.raises(ValueError, match="tf_saved_model"):
            model.export(os.path.join(self.get_temp_dir(), "x"), format="onnx")

    @pytest.mark.large
    def test_fit_predict_export_and_learning(self):
        # Overfits 8 images: inference-mode detections must match them well.
        images, targets = _data(8, size=64, seed=3)
        model = _model(seed=2)
        model.compile(optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=10.0))
        model.fit(images, targets, epochs=60, batch_size=4, verbose=0)
        detections = model.predict(images, verbose=0)
        stats = evaluate_coco(targets, detections)
        self.assertGreater(stats["AP50"], 0.8)
        path = os.path.join(self.get_temp_dir(), "served")
        model.export(path, verbose=False)
        served = tf.saved_model.load(path)
        out = served.serve(tf.cast(images, tf.uint8))
        self.assertAllEqual(out["num_detections"], detections["num_detections"])
        self.assertAllClose(out["boxes"], detections["boxes"], atol=1e-3)


# ------------------------------------------------- torchvision-compatible options


def _tv_model(**kwargs):
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3), variant="torchvision"
    )
    options = dict(
        min_level=2,
        extra_level="max_pool",
        anchor_sizes=((16,), (32,), (64,), (128,), (256,)),
        anchor_layout="torchvision",
        normalization="imagenet",
        image_resize=(48, 80),
        freeze_batch_norm=True,
        batch_norm_momentum=None,
        post_processing="torchvision",
        rpn_pre_nms_top_k=50,
    )
    return FasterRCNN(backbone, num_classes=3, **{**SMALL, **options, **kwargs})


@pytest.mark.large
def test_torchvision_options_predict_and_round_trip():
    model = _tv_model(score_threshold=0.0)
    # P2-P6 from 64x96 input resized to 48x72 and padded to 64x96:
    # (16*24 + 8*12 + 4*6 + 2*3 + 1*2) locations, 3 anchors each.
    raw = model(np.zeros((1, 64, 96, 3), "float32"), training=False)
    assert tuple(raw["rpn_box"].shape) == (1, (384 + 96 + 24 + 6 + 2) * 3, 4)
    assert raw["rois"].shape[1] == model.test_num_proposals
    images, _ = _data(n=1, size=64)
    big = tf.image.resize(images, (128, 192)).numpy()
    detections = model.predict_on_batch(big)
    count = int(detections["num_detections"][0])
    boxes = np.asarray(detections["boxes"][0][:count])
    assert count > 0 and boxes.min() >= 0
    assert boxes[:, 2].max() <= 192 and boxes[:, 3].max() <= 128
    config = model.get_config()
    assert config["min_level"] == 2 and config["post_processing"] == "torchvision"
    assert FasterRCNN.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(min_level=1), "`min_level` of FasterRCNN must be one of"),
        (dict(extra_level="pool"), "`extra_level` of FasterRCNN"),
        (dict(post_processing="detectron"), "`post_processing` of FasterRCNN"),
        (dict(image_resize=(0, 10)), "`image_resize` of FasterRCNN"),
        (
            dict(anchor_sizes=((32,),)),
            "one list of anchor sizes in pixels per pyramid level",
        ),
        (dict(fpn_normalization="group"), "`fpn_normalization` of FasterRCNN"),
        (dict(head_normalization="sync"), "`head_normalization` of FasterRCNN"),
        (dict(rpn_depth=0), "`rpn_depth` of FasterRCNN must be an int >= 1"),
        (dict(head_conv_depth=-1), "`head_conv_depth` of FasterRCNN"),
        (dict(head_dense_depth=0), "`head_dense_depth` of FasterRCNN"),
        (dict(norm_epsilon=-1.0), "`norm_epsilon` of FasterRCNN"),
    ],
)
def test_torchvision_option_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _model(**kwargs)


def _mobilenet_backbone():
    return keras_applications.MobileNetV3Large(
        include_top=False,
        input_shape=(None, None, 3),
        variant="torchvision",
        include_preprocessing=False,
    )


def _mobilenet_model(backbone=None, **kwargs):
    options = dict(
        fpn_inputs=("expanded_conv_12", "P5"),
        extra_level="max_pool",
        anchor_sizes=((32, 64),) * 3,
        anchor_layout="torchvision",
        normalization="imagenet",
        post_processing="torchvision",
        rpn_pre_nms_top_k=50,
        rpn_score_threshold=0.05,
    )
    return FasterRCNN(
        backbone or _mobilenet_backbone(),
        num_classes=3,
        **{**SMALL, **options, **kwargs},
    )


@pytest.mark.large  # about 5 s idle: two models built; the parity test covers the path
def test_fpn_inputs_of_equal_stride_train_and_round_trip():
    model = _mobilenet_model()
    assert model.rpn_levels == [5, 5, 6] and model.roi_levels == [5]
    # 64x96: two maps of 2x3 at stride 32 and one of 1x2, 2 sizes x 3 ratios.
    raw = model(np.zeros((1, 64, 96, 3), "float32"), training=False)
    assert tuple(raw["rpn_box"].shape) == (1, (6 + 6 + 2) * 6, 4)
    # The region head pools from the first map of stride 32 (features[13]
    # in torchvision), as torchvision's MultiScaleRoIAlign does.
    stage_one = model.stage_one(np.zeros((1, 64, 96, 3), "float32"))
    assert sorted(k for k in stage_one if k.startswith("P")) == ["P5"]
    images, targets = _data(n=2, size=64)
    losses = model.compute_losses(images, targets, training=True)
    assert all(np.isfinite(float(v)) for v in losses.values())
    config = model.get_config()
    assert config["fpn_inputs"] == ["expanded_conv_12", "P5"]
    assert config["rpn_score_threshold"] == 0.05
    assert FasterRCNN.from_config(config).get_config() == config

    # `rpn_score_threshold` drops proposals of lower objectness.
    kept = {}
    for threshold in (0.0, 0.5, 0.99):
        model.rpn_score_threshold = threshold
        rois = model(images[:1], training=False)["rois"][0].numpy()
        kept[threshold] = int((np.abs(rois).sum(1) > 0).sum())
    assert kept[0.99] <= kept[0.5] <= kept[0.0] and kept[0.0] > kept[0.99]


def test_fpn_inputs_errors():
    backbone = _mobilenet_backbone()
    for kwargs, message in [
        (
            dict(fpn_inputs=("expanded_conv_99", "P5")),
            "has no pyramid level or layer named 'expanded_conv_99'",
        ),
        (dict(fpn_inputs=("P5", "P4")), "strides 4 to 32.*of strides \\[32, 16\\]"),
        (dict(fpn_inputs=("P3", "P5")), "of strides \\[8, 32\\]"),
        (dict(fpn_inputs="P5"), "`fpn_inputs` of FasterRCNN must be None or"),
        (dict(rpn_score_threshold=1.0), "`rpn_score_threshold` of FasterRCNN"),
    ]:
        with pytest.raises(ValueError, match=message):
            _mobilenet_model(backbone, **kwargs)


@pytest.mark.large
def test_torchvision_options_train():
    model = _tv_model()
    images, targets = _data(n=2, size=64)
    model.compile(optimizer="adam")
    history = model.fit(images, targets, epochs=2, batch_size=2, verbose=0)
    losses = history.history["loss"]
    assert all(np.isfinite(losses))


def test_v2_options_build_train_and_round_trip():
    # torchvision's Faster R-CNN v2 layout, scaled down: batch norms in the
    # FPN and the region head's convolutions, two RPN convolutions, one
    # dense layer.
    model = _model(
        fpn_normalization="batch",
        rpn_depth=2,
        head_conv_depth=2,
        head_dense_depth=1,
        head_normalization="batch",
        norm_epsilon=1e-5,
    )
    layers = {layer.name for layer in model.roi_head.layers}
    assert {"box_conv1", "box_conv1_bn", "box_conv2_bn", "fc1"} <= layers
    assert "fc2" not in layers
    assert model.stage_one.get_layer("rpn_conv2").kernel.shape == (3, 3, 16, 16)
    fpn = model.stage_one.get_layer("fpn")
    assert fpn.normalization == "batch" and fpn.lateral_norms[0].epsilon == 1e-5
    images, targets = _data(n=2, size=64)
    losses = model.compute_losses(images, targets, training=True)
    assert all(np.isfinite(float(v)) for v in losses.values())
    config = model.get_config()
    assert config["head_conv_depth"] == 2 and config["fpn_normalization"] == "batch"
    rebuilt = FasterRCNN.from_config(config)
    assert rebuilt.get_config() == config
    assert len(rebuilt.weights) == len(model.weights)
