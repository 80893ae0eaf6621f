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
from keras_cv.src.models import mask_rcnn
from keras_cv.src.models import torchvision_compat as tv
from keras_cv.src.models.mask_rcnn import MaskRCNN

SMALL = dict(
    fpn_filters=16,
    head_units=32,
    mask_filters=16,
    rpn_batch_size=64,
    roi_batch_size=32,
    num_proposals=64,
    test_num_proposals=32,
    max_detections=8,
    seed=1,
)


def _model(**kwargs):
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    return MaskRCNN(backbone, num_classes=3, **{**SMALL, **kwargs})


def _data(n=2, size=64, seed=0):
    data = shapes.generate(
        n, image_size=size, seed=seed, min_size=0.25, max_size=0.5, return_masks=True
    )
    return data["images"].astype("float32"), {
        "boxes": data["boxes"],
        "labels": data["labels"],
        "masks": data["instance_masks"],
    }


# ------------------------------------------------------- NumPy references
def _np_value(mask, y, x):
    """The sampling rule of mask_rcnn: bilinear between pixel centres,
    edge pixels within the map, zero outside `[0, h] x [0, w]`."""
    h, w = mask.shape
    if y < 0 or y > h or x < 0 or x > w:
        return 0.0
    py = min(max(y - 0.5, 0.0), h - 1.0)
    px = min(max(x - 0.5, 0.0), w - 1.0)
    y0, x0 = int(np.floor(py)), int(np.floor(px))
    y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
    wy, wx = py - y0, px - x0
    return (
        mask[y0, x0] * (1 - wy) * (1 - wx)
        + mask[y0, x1] * (1 - wy) * wx
        + mask[y1, x0] * wy * (1 - wx)
        + mask[y1, x1] * wy * wx
    )


def _np_target(mask, box, size):
    x1, y1, x2, y2 = box
    out = np.zeros((size, size), "float32")
    for i in range(size):
        y = y1 + (i + 0.5) * (y2 - y1) / size
        for j in range(size):
            x = x1 + (j + 0.5) * (x2 - x1) / size
            out[i, j] = _np_value(mask.astype("float64"), y, x) >= 0.5
    return out


def _np_paste(mask, box, height, width):
    x1, y1, x2, y2 = box
    size = mask.shape[0]
    out = np.zeros((height, width), "float32")
    for i in range(height):
        y = i + 0.5
        if not y1 <= y <= y2:
            continue
        for j in range(width):
            x = j + 0.5
            if not x1 <= x <= x2:
                continue
            out[i, j] = _np_value(
                mask, (y - y1) / (y2 - y1) * size, (x - x1) / (x2 - x1) * size
            )
    return out


class MaskTargetsTest(TestCase):
    def test_hand_computed(self):
        masks = np.zeros((1, 2, 32, 32), "uint8")
        masks[0, 0, 8:24, 8:24] = 1  # a square, pixels 8..23
        masks[0, 1, :, :16] = 1  # the left half of the image
        boxes = np.array([[[8.0, 8.0, 24.0, 24.0], [0.0, 0.0, 32.0, 32.0]]])
        out = mask_rcnn.mask_targets(masks, boxes, [[0, 1]]).numpy()
        self.assertEqual(out.shape, (1, 2, 28, 28))
        # The box of the square sees nothing but the square.
        self.assertTrue((out[0, 0] == 1).all())
        # The whole image: left 14 columns set, right 14 clear.
        self.assertTrue((out[0, 1][:, :14] == 1).all())
        self.assertTrue((out[0, 1][:, 14:] == 0).all())
        # The matched index picks the mask: the square's mask in the
        # whole-image box is the central half of the grid.
        center = mask_rcnn.mask_targets(masks, boxes[:, 1:], [[0]]).numpy()[0, 0]
        self.assertTrue((center[7:21, 7:21] == 1).all())
        self.assertEqual(center.sum(), 14 * 14)

    def test_against_numpy_reference(self):
        rng = np.random.default_rng(0)
        masks = (rng.random((2, 3, 20, 24)) > 0.5).astype("uint8")
        masks[:, :, 5:15, 6:18] = 1  # and a solid block
        # Boxes with fractional corners, some reaching outside the image.
        x1 = rng.uniform(-6, 16, (2, 5))
        y1 = rng.uniform(-6, 12, (2, 5))
        boxes = np.stack(
            [x1, y1, x1 + rng.uniform(2, 14, (2, 5)), y1 + rng.uniform(2, 14, (2, 5))],
            -1,
        ).astype("float32")
        indices = rng.integers(0, 3, (2, 5))
        size = 7
        out = mask_rcnn.mask_targets(masks, boxes, indices, mask_size=size).numpy()
        for b in range(2):
            for k in range(5):
                expected = _np_target(masks[b, indices[b, k]], boxes[b, k], size)
                self.assertAllEqual(out[b, k], expected, msg=f"box {b},{k}")


class PasteMasksTest(TestCase):
    def test_hand_computed(self):
        ones = np.ones((1, 1, 28, 28), "float32")
        out = mask_rcnn.paste_masks(ones, [[[8.0, 8.0, 24.0, 24.0]]], 32, 40).numpy()
        expected = np.zeros((32, 40))
        expected[8:24, 8:24] = 1  # the pixels whose centres lie in the box
        self.assertAllClose(out[0, 0], expected)

    def test_against_numpy_reference(self):
        rng = np.random.default_rng(1)
        masks = rng.random((2, 3, 6, 6)).astype("float32")
        x1 = rng.uniform(-4, 10, (2, 3))
        y1 = rng.uniform(-4, 8, (2, 3))
        boxes = np.stack(
            [x1, y1, x1 + rng.uniform(1, 12, (2, 3)), y1 + rng.uniform(1, 12, (2, 3))],
            -1,
        ).astype("float32")
        out = mask_rcnn.paste_masks(masks, boxes, 14, 17).numpy()
        self.assertEqual(out.shape, (2, 3, 14, 17))
        for b in range(2):
            for k in range(3):
                self.assertAllClose(
                    out[b, k],
                    _np_paste(masks[b, k], boxes[b, k], 14, 17),
                    atol=1e-5,
                    msg=f"mask {b},{k}",
                )


class TorchvisionPasteTest(TestCase):
    """`torchvision_compat.paste_masks`, hand-computed (the parity tests in
    convert/torchvision_test.py compare it with torchvision itself)."""

    def test_box_is_expanded_and_resized(self):
        ones = np.ones((1, 1, 28, 28), "float32")
        box = [[[10.0, 20.0, 38.0, 48.0]]]
        out = tv.paste_masks(ones, box, 64, 64).numpy()[0, 0]
        # 28 px scaled by 30/28 about the centre (24, 34): x 9..39, y 19..49
        # inclusive, i.e. 31 px, onto which the zero-padded 30-cell grid is
        # resized: cell (d + 0.5) * 30 / 31 - 0.5 for pixel d of the box.
        edge = 1.5 * 30 / 31 - 0.5
        self.assertAllClose(
            out[34, [8, 9, 10, 24, 38, 39, 40]], [0, 0, edge, 1, edge, 0, 0]
        )
        self.assertAllClose(out[[18, 19, 20, 48, 49, 50], 24], [0, 0, edge, edge, 0, 0])
        expected = np.zeros((64, 64), bool)
        expected[20:49, 10:39] = True
        self.assertAllEqual(out >= 0.5, expected)

    def test_truncates_towards_zero_and_cuts_to_the_image(self):
        ones = np.ones((1, 2, 28, 28), "float32")
        boxes = [[[0.0, 0.0, 14.0, 14.0], [50.0, 40.0, 64.0, 48.0]]]
        out = tv.paste_masks(ones, boxes, 48, 64).numpy()[0]
        # x: centre 7, half 7.5 -> -0.5 truncated to 0 (not floor's -1) and
        # 14.5 to 14: 15 px; pixel 0 reads cell 0.5 * 30 / 15 - 0.5 = 0.5,
        # halfway between the zero padding and the mask.
        self.assertAllClose(out[0, 7, :3], [0.5, 1.0, 1.0])
        self.assertEqual(out[0, 7, 15], 0.0)
        # The second box passes the image's right and bottom edges.
        self.assertEqual(out[1].shape, (48, 64))
        self.assertEqual(out[1, 44, 63], 1.0)


class TorchvisionOptionsTest(TestCase):
    def _tv_model(self, **kwargs):
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
            score_threshold=0.0,
        )
        return MaskRCNN(backbone, num_classes=3, **{**SMALL, **options, **kwargs})

    def test_predict_masks_in_the_given_images_and_round_trip(self):
        model = self._tv_model()
        images, _ = _data(1, size=64)
        big = tf.image.resize(images, (96, 128)).numpy()
        raw = model(big, training=False)
        found = model.decode_predictions(raw, big)
        count = int(found["num_detections"][0])
        self.assertGreater(count, 0)
        self.assertEqual(tuple(found["masks"].shape), (1, 8, 96, 128))
        # Detections are mapped back to the given 96x128 images (resized to
        # 48x64 inside); the masks are pasted with those boxes.
        boxes = raw["detection_boxes"].numpy()[0, :count]
        self.assertLessEqual(boxes[:, 2].max(), 128.0)
        self.assertLessEqual(boxes[:, 3].max(), 96.0)
        resized, _, _, _ = model._detect(raw, big, map_back=False)
        self.assertAllClose(resized.numpy()[0, :count] * 2.0, boxes, atol=1e-4)
        probs = tv.paste_masks(tf.sigmoid(raw["mask_logits"]), boxes[None], 96, 128)
        self.assertAllEqual(found["masks"].numpy()[0, :count], probs.numpy()[0] >= 0.5)
        config = model.get_config()
        self.assertEqual(config["post_processing"], "torchvision")
        self.assertEqual(config["image_resize"], [48, 80])
        self.assertEqual(MaskRCNN.from_config(config).get_config(), config)

    @pytest.mark.large
    def test_export_serves_torchvision_masks(self):
        model = self._tv_model()
        rng = np.random.default_rng(0)
        images = rng.uniform(0, 255, (1, 96, 128, 3)).astype("uint8")
        path = os.path.join(self.get_temp_dir(), "served")
        model.export(path, verbose=False)
        served = tf.saved_model.load(path)
        out = served.serve(tf.constant(images))
        expected = model.predict_on_batch(images.astype("float32"))
        self.assertEqual(tuple(out["masks"].shape), (1, 8, 96, 128))
        self.assertAllEqual(out["masks"], expected["masks"])
        self.assertAllClose(out["boxes"], expected["boxes"], atol=1e-3)

    def test_mask_targets_come_from_the_given_images(self):
        # With image_resize, proposals live in the resized images; the mask
        # targets are cropped from the given masks with boxes mapped back,
        # so training on 2x images gives the targets of the 1x images.
        model = self._tv_model(image_resize=(64, 64))
        # Constant mask logits of 3: the mask loss measures the targets only.
        logits = model.mask_head.get_layer("mask_logits")
        logits.kernel.assign(np.zeros(logits.kernel.shape, "float32"))
        logits.bias.assign(np.full(logits.bias.shape, 3.0, "float32"))
        images, targets = _data(1, size=64)
        big_images = tf.image.resize(images, (128, 128)).numpy()
        big_masks = np.repeat(np.repeat(targets["masks"], 2, axis=2), 2, axis=3)
        big = {
            "boxes": targets["boxes"] * 2.0,
            "labels": targets["labels"],
            "masks": big_masks,
        }
        losses = model.compute_losses(big_images, big, training=False)
        reference = self._tv_model(image_resize=None)
        reference.set_weights(model.get_weights())
        expected = reference.compute_losses(
            tf.image.resize(big_images, (64, 64)).numpy(), targets, training=False
        )
        # Equal up to the edges of the 2x nearest-upsampled masks.
        self.assertAllClose(losses["mask_loss"], expected["mask_loss"], rtol=0.02)


class MaskLossTest(TestCase):
    def test_loss_uses_the_class_channel(self):
        rng = np.random.default_rng(2)
        targets = (rng.random((1, 3, 4, 4)) > 0.5).astype("float32")
        logits = rng.normal(size=(1, 3, 4, 4, 3)).astype("float32")
        classes = np.array([[2, 0, 1]])
        weights = np.array([[1.0, 1.0, 0.0]])  # the third ROI does not count

        def bce(z, t):
            return np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))

        expected = (
            bce(logits[0, 0, ..., 2], targets[0, 0])
            + bce(logits[0, 1, ..., 0], targets[0, 1])
        ) / 2.0
        loss = mask_rcnn.mask_loss(logits, targets, classes, weights)
        self.assertAllClose(loss, expected, atol=1e-6)
        # Perfect logits on the right channel, wrong ones elsewhere: ~0.
        perfect = np.where(targets[..., None] > 0, -20.0, 20.0).repeat(3, -1)
        for k, c in enumerate(classes[0]):
            perfect[0, k, ..., c] = np.where(targets[0, k] > 0, 20.0, -20.0)
        self.assertLess(
            float(mask_rcnn.mask_loss(perfect, targets, classes, weights)), 1e-6
        )
        self.assertGreater(
            float(mask_rcnn.mask_loss(perfect, targets, (classes + 1) % 3, weights)),
            5.0,
        )
        # No positive ROI: zero loss, not NaN.
        self.assertEqual(
            float(mask_rcnn.mask_loss(logits, targets, classes, 0 * weights)), 0.0
        )

    def test_match_ground_truth_respects_the_class(self):
        gt_boxes = np.array(
            [[[0, 0, 10, 10], [0, 0, 12, 10], [20, 20, 30, 30]]], "float32"
        )
        gt_labels = np.array([[0, 1, 1]])
        rois = np.array([[[0, 0, 12, 10], [0, 0, 12, 10], [21, 20, 30, 30]]], "float32")
        # ROI 0 overlaps row 1 best but is labelled class 0 (target 1): row 0.
        matched = mask_rcnn.match_ground_truth(
            rois, gt_boxes, gt_labels, np.array([[1, 2, 2]])
        )
        self.assertEqual(matched.numpy().tolist(), [[0, 1, 2]])


class MaskRCNNTest(TestCase):
    @pytest.mark.large  # default-suite time budget
    def test_outputs_saving_and_decoding(self):
        model = _model()
        images, _ = _data(2)
        out = model(images)
        self.assertEqual(tuple(out["rois"].shape), (2, 32, 4))
        self.assertEqual(tuple(out["mask_logits"].shape), (2, 8, 28, 28))
        self.assertEqual(tuple(out["detection_boxes"].shape), (2, 8, 4))
        # Config, .keras and preset round trips.
        self.run_model_test(model, images, run_tf_data_check=False)
        # decode_predictions (what predict and export run): the FasterRCNN
        # dict plus full-image binary masks, zero past num_detections, each
        # set pixel inside its box.
        raw = model(images)
        found = {k: v.numpy() for k, v in model.decode_predictions(raw, images).items()}
        self.assertEqual(found["masks"].shape, (2, 8, 64, 64))
        self.assertEqual(found["masks"].dtype, np.uint8)
        self.assertTrue(set(np.unique(found["masks"])) <= {0, 1})
        self.assertGreater(int(found["num_detections"].min()), 0)
        for b in range(2):
            n = int(found["num_detections"][b])
            self.assertTrue((found["masks"][b, n:] == 0).all())
            for k in range(n):
                x1, y1, x2, y2 = found["boxes"][b, k]
                ys, xs = np.nonzero(found["masks"][b, k])
                self.assertTrue(((ys + 0.5 >= y1) & (ys + 0.5 <= y2)).all())
                self.assertTrue(((xs + 0.5 >= x1) & (xs + 0.5 <= x2)).all())
        # The detections are those of the FasterRCNN decoding of the same
        # raw outputs, and the masks the pasted logits of their class.
        boxes, _, labels, _ = model._detect(raw, images)
        self.assertAllClose(found["boxes"][:, :2], boxes[:, :2], atol=1e-4)
        self.assertAllEqual(found["labels"][:, :2], labels[:, :2])
        probs = mask_rcnn.paste_masks(tf.sigmoid(raw["mask_logits"]), boxes, 64, 64)
        self.assertAllEqual(found["masks"][:, :2], probs.numpy()[:, :2] >= 0.5)
        # mask_threshold=None: probabilities instead.
        model.mask_threshold = None
        soft = model.decode_predictions(raw, images)["masks"].numpy()
        self.assertEqual(soft.dtype, np.float32)
        self.assertAllClose(soft[:, :2], probs.numpy()[:, :2], atol=1e-6)
        for b in range(2):
            self.assertTrue((soft[b, int(found["num_detections"][b]) :] == 0).all())

    @pytest.mark.large  # about 60 s on 2 cores; the example's quick run trains too
    def test_losses_reach_every_weight_and_fit_lowers_the_loss(self):
        model = _model(seed=3)
        images, targets = _data(2, seed=1)
        with tf.GradientTape() as tape:
            losses = model.compute_losses(images, targets, training=True)
        grads = tape.gradient(losses["loss"], model.trainable_variables)
        missing = [
            v.path for v, g in zip(model.trainable_variables, grads) if g is None
        ]
        self.assertFalse(missing)
        # Untrained mask logits are ~0: per-pixel cross-entropy ~ log 2.
        self.assertAllClose(losses["mask_loss"], np.log(2.0), atol=0.02)
        names = (
            "rpn_class_loss",
            "rpn_box_loss",
            "roi_class_loss",
            "roi_box_loss",
            "mask_loss",
        )
        self.assertAllClose(
            losses["loss"], sum(float(losses[k]) for k in names), atol=1e-4
        )
        # A few joint training steps lower the total and the mask loss.
        model.compile(optimizer=keras.optimizers.Adam(2e-3, global_clipnorm=10.0))
        batch = {
            "images": images,
            "bounding_boxes": {"boxes": targets["boxes"], "labels": targets["labels"]},
            "instance_masks": targets["masks"],
        }
        history = model.fit(batch, epochs=4, batch_size=2, verbose=0).history
        self.assertLess(history["loss"][-1], history["loss"][0])
        self.assertLess(history["mask_loss"][-1], history["mask_loss"][0])
        # Images without objects: no mask loss, no NaN.
        empty = {
            "boxes": np.full((2, 1, 4), -1.0, "float32"),
            "labels": np.full((2, 1), -1),
            "masks": np.zeros((2, 1, 64, 64), "uint8"),
        }
        losses = model.compute_losses(images, empty, training=True)
        self.assertEqual(float(losses["mask_loss"]), 0.0)

    def test_bad_inputs(self):
        model = _model()
        for bad in (0, 2.5, True):
            with pytest.raises(ValueError, match="mask_filters"):
                _model(mask_filters=bad)
        for bad in (1.5, -0.1, "high"):
            with pytest.raises(ValueError, match="mask_threshold"):
                _model(mask_threshold=bad)
        with pytest.raises(ValueError, match="computes its own losses"):
            model.compile(loss="mse")
        model.compile()
        images, targets = _data(2)
        no_masks = {"boxes": targets["boxes"], "labels": targets["labels"]}
        with pytest.raises(ValueError, match="instance mask per"):
            model.fit(images, no_masks)
        with pytest.raises(ValueError, match="instance mask per"):
            model.compute_losses(images, no_masks)
        small = {**targets, "masks": targets["masks"][:, :, :32, :32]}
        with pytest.raises(ValueError, match="spatial size of the images"):
            model.fit(images, small)
        with pytest.raises(ValueError, match="spatial size of the images"):
            model.compute_losses(images, small)
        with pytest.raises(ValueError, match="height, width"):
            model.fit(images, {**targets, "masks": targets["masks"][:, 0]})
        with pytest.raises(ValueError, match="binary"):
            model.fit(images, {**targets, "masks": targets["masks"] * 3})
        with pytest.raises(ValueError, match="one mask per"):
            model.fit(images, {**targets, "masks": targets["masks"][:, :0]})
        with pytest.raises(ValueError, match="num_classes=3"):
            bad = {**targets, "labels": np.full_like(targets["labels"], 3)}
            model.fit(images, bad)
        with pytest.raises(ValueError, match="tf_saved_model"):
            model.export(os.path.join(self.get_temp_dir(), "x"), format="onnx")

    @pytest.mark.large  # over 4 s; default-suite time budget
    def test_export_serves_predict(self):
        model = _model(mask_threshold=None)
        images, _ = _data(2)
        found = model.predict(images, verbose=0)
        path = os.path.join(self.get_temp_dir(), "served")
        model.export(path, verbose=False)
        reloaded = tf.saved_model.load(path)  # keep it alive while serving
        served = reloaded.serve(tf.cast(images, tf.uint8))
        self.assertEqual(sorted(served), sorted(found))
        self.assertAllEqual(served["num_detections"], found["num_detections"])
        self.assertAllEqual(served["labels"], found["labels"])
        self.assertAllClose(served["boxes"], found["boxes"], atol=1e-3)
        self.assertAllClose(served["masks"], found["masks"], atol=1e-4)

    @pytest.mark.large
    def test_overfits_masks(self):
        # 8 images, trained to memorise them: inference-mode mask AP50 high.
        images, targets = _data(8, seed=3)
        model = _model(seed=2)
        model.compile(optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=10.0))
        model.fit(images, targets, epochs=60, batch_size=4, verbose=0)
        found = model.predict(images, verbose=0)
        stats = evaluate_coco(
            {"masks": targets["masks"], "labels": targets["labels"]},
            {k: found[k] for k in ("masks", "labels", "scores", "num_detections")},
            iou_type="segm",
        )
        self.assertGreater(stats["AP50"], 0.8)


def test_mask_head_batch_norm_option():
    model = _model(mask_normalization="batch", norm_epsilon=1e-5)
    conv = model.mask_head.get_layer("mask_conv1")
    norm = model.mask_head.get_layer("mask_conv4_bn")
    assert not conv.use_bias and conv.activation is keras.activations.linear
    assert norm.epsilon == 1e-5
    images = np.zeros((1, 64, 64, 3), "float32")
    assert model(images, training=False)["mask_logits"].shape[-2:] == (28, 28)
    config = model.get_config()
    assert config["mask_normalization"] == "batch"
    assert MaskRCNN.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="`mask_normalization` of MaskRCNN"):
        _model(mask_normalization="group")
