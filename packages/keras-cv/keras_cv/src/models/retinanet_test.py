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
from keras_cv.src.metrics.coco_mean_average_precision import COCOMeanAveragePrecision
from keras_cv.src.models.retinanet import RetinaNet

SMALL = dict(max_level=5, fpn_filters=16, head_filters=16, head_depth=1)


def _backbone():
    return keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))


def _model(**kwargs):
    return RetinaNet(_backbone(), num_classes=3, **{**SMALL, **kwargs})


def _data(n=8, size=64, seed=0):
    data = shapes.generate(n, image_size=size, seed=seed, min_size=0.25, max_size=0.5)
    return data["images"].astype("float32"), {
        "boxes": data["boxes"],
        "labels": data["labels"],
    }


class RetinaNetTest(TestCase):
    def test_outputs_one_row_per_anchor(self):
        model = _model()
        out = model(np.zeros((2, 64, 64, 3), "float32"))
        # 9 anchors at each location of P3-P5: (8*8 + 4*4 + 2*2) * 9.
        self.assertEqual(tuple(out["box"].shape), (2, 756, 4))
        self.assertEqual(tuple(out["classification"].shape), (2, 756, 3))
        # Sizes that are not multiples of 32 are padded inside.
        out = model(np.zeros((1, 50, 70, 3), "float32"))
        self.assertEqual(tuple(out["box"].shape), (1, (8 * 12 + 4 * 6 + 2 * 3) * 9, 4))
        # The prior: every class starts at probability 0.01.
        self.assertAllClose(
            tf.sigmoid(out["classification"]), np.full((1, 1134, 3), 0.01), atol=0.01
        )

    def test_backbone_batch_norm_momentum(self):
        backbone = _backbone()
        RetinaNet(backbone, num_classes=2, **SMALL)
        bns = [
            layer
            for layer in backbone._flatten_layers()
            if isinstance(layer, keras.layers.BatchNormalization)
        ]
        self.assertGreater(len(bns), 10)
        self.assertTrue(all(b.momentum == 0.9 for b in bns))
        backbone = _backbone()
        RetinaNet(backbone, num_classes=2, batch_norm_momentum=None, **SMALL)
        bns = [
            layer
            for layer in backbone._flatten_layers()
            if isinstance(layer, keras.layers.BatchNormalization)
        ]
        self.assertTrue(all(b.momentum == 0.99 for b in bns))

    def test_encode_targets(self):
        model = _model(anchor_scales=[1.0], aspect_ratios=[1.0])
        anchors = model._anchors(tf.zeros((1, 64, 64, 3))).numpy()
        # 32x32 anchors at P3 (stride 8): anchor 0 is [-12, -12, 20, 20].
        exact = anchors[9]  # P3 row 1, col 1... any anchor will do
        tiny = [40.0, 40.0, 44.0, 44.0]  # IoU < 0.4 with every anchor
        boxes = np.array([[exact, tiny, [-1, -1, -1, -1]]], "float32")
        labels = np.array([[2, 1, -1]], "int32")
        cls, box, cls_w, box_w = model.encode_targets(
            tf.zeros((1, 64, 64, 3)), {"boxes": boxes, "labels": labels}
        )
        cls, box, cls_w, box_w = (np.asarray(t)[0] for t in (cls, box, cls_w, box_w))
        positives = np.nonzero(box_w)[0]
        self.assertIn(9, positives)
        np.testing.assert_array_equal(cls[9], [0, 0, 1])
        np.testing.assert_allclose(box[9], [0, 0, 0, 0], atol=1e-5)
        # The tiny box is force-matched to exactly one anchor, with label 1.
        tiny_matches = [a for a in positives if cls[a, 1] == 1]
        self.assertLen(tiny_matches, 1)
        # Its encoded target decodes back to the tiny box.
        decoded = model.box_coder.decode(
            box[tiny_matches[0]][None], anchors[tiny_matches[0]][None]
        )
        np.testing.assert_allclose(decoded[0], tiny, atol=1e-3)
        # Negatives have all-zero class targets, weight 1; no padding match.
        negatives = (box_w == 0) & (cls_w == 1)
        self.assertTrue((cls[negatives] == 0).all())
        self.assertTrue(negatives.sum() > 0)
        self.assertEqual(int(box_w.sum()), len(positives))

    def test_encode_targets_equals_the_primitives(self):
        # The model's fused AnchorTargetAssigner against the chain it
        # replaces (IouSimilarity, force-matching BoxMatcher, TargetGather,
        # BoxCoder): ties (a duplicate box), padding, an all-padded image.
        model = _model()
        images = tf.zeros((3, 64, 64, 3))
        anchors = model._anchors(images)
        rng = np.random.default_rng(0)
        xy = rng.uniform(0, 50, (3, 5, 2))
        boxes = np.concatenate([xy, xy + rng.uniform(4, 30, (3, 5, 2))], -1)
        boxes = boxes.astype("float32")
        boxes[0, 4] = boxes[0, 1]
        labels = rng.integers(0, 3, (3, 5)).astype("int32")
        labels[1, 3:] = -1
        boxes[1, 3:] = -1.0
        labels[2] = -1
        cls, box, cls_w, box_w = model.encode_targets(
            images, {"boxes": boxes, "labels": labels}
        )
        iou = model.similarity(anchors, boxes, mask=(labels < 0)[:, None, :])
        idx, ind = model.matcher(iou)
        ref_labels = model.target_gather(labels, idx, mask=ind != 1, mask_value=-1)
        ref_box = model.box_coder.encode(model.target_gather(boxes, idx), anchors[None])
        ref_box = tf.where((ind == 1)[..., None], ref_box, 0.0)
        np.testing.assert_array_equal(cls, tf.one_hot(ref_labels, 3))
        np.testing.assert_array_equal(cls_w, tf.cast(ind != -2, "float32"))
        np.testing.assert_array_equal(box_w, tf.cast(ind == 1, "float32"))
        # log(w) - log(wa) instead of log(w / wa): float rounding apart.
        np.testing.assert_allclose(box, ref_box, rtol=0, atol=2e-5)
        box_w, cls_w = np.asarray(box_w), np.asarray(cls_w)
        self.assertTrue((box_w[0] == 1).any() and (cls_w[0] == 0).any())

    def test_decoding_returns_anchor_with_high_score(self):
        model = _model(anchor_scales=[1.0], aspect_ratios=[1.0], score_threshold=0.5)
        images = tf.zeros((2, 64, 64, 3))
        anchors = model._anchors(images).numpy()
        num = anchors.shape[0]
        logits = np.full((2, num, 3), -10.0, "float32")
        logits[0, 5, 2] = 3.0
        logits[1, 20, 0] = 2.0
        logits[1, 21, 1] = 1.0
        raw = {"box": np.zeros((2, num, 4), "float32"), "classification": logits}
        out = model.decode_predictions(raw, images)
        np.testing.assert_array_equal(out["num_detections"], [1, 2])
        clipped = np.clip(anchors, 0, 64)
        np.testing.assert_allclose(out["boxes"][0, 0], clipped[5], atol=1e-5)
        self.assertEqual(int(out["labels"][0, 0]), 2)
        self.assertAllClose(out["scores"][0, 0], 1 / (1 + np.exp(-3.0)))
        np.testing.assert_array_equal(out["labels"][1, :3], [0, 1, -1])
        np.testing.assert_allclose(out["boxes"][0, 1], [-1, -1, -1, -1])

    @pytest.mark.large
    def test_fit_predict_save_export(self):
        images, targets = _data(8)
        model = _model()
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        history = model.fit(images, targets, batch_size=4, epochs=3, verbose=0)
        losses = history.history["loss"]
        self.assertLess(losses[-1], losses[0])

        detections = model.predict(images[:4], verbose=0)
        self.assertEqual(
            sorted(detections), ["boxes", "labels", "num_detections", "scores"]
        )
        self.assertEqual(detections["boxes"].shape, (4, 100, 4))
        on_batch = model.predict_on_batch(images[:4])
        self.assertAllClose(on_batch, detections, atol=1e-4)
        # Dataset of {"images", "bounding_boxes"} dicts works too.
        train, _ = shapes.load(num_train=4, num_validation=0, image_size=64)
        model.fit(train.batch(2), epochs=1, verbose=0)
        ds_pred = model.predict(train.batch(2), verbose=0)
        self.assertEqual(ds_pred["boxes"].shape, (4, 100, 4))

        # .keras round trip (safe mode) and presets keep the raw outputs.
        self.run_model_test(model, images[:2], run_tf_data_check=False)

        # SavedModel: uint8 in, the same detections out, any image size.
        path = os.path.join(self.get_temp_dir(), "served")
        model.export(path, verbose=False)
        served = tf.saved_model.load(path)
        pixels = (
            np.random.default_rng(0).integers(0, 256, (2, 50, 70, 3)).astype("uint8")
        )
        expected = model.predict_on_batch(pixels.astype("float32"))
        got = served.serve(tf.constant(pixels))
        for key in expected:
            self.assertAllClose(got[key], expected[key], atol=1e-4)
        sig = served.signatures["serving_default"](tf.constant(pixels[:1]))
        self.assertAllClose(sig["num_detections"], expected["num_detections"][:1])

    def test_keras_round_trip_with_mobilenet(self):
        # Another backbone family. Export and fit run in the large test and
        # in the example's quick run.
        backbone = keras_applications.MobileNetV3Small(
            include_top=False, input_shape=(None, None, 3)
        )
        model = RetinaNet(backbone, num_classes=2, **SMALL)
        images = (
            np.random.default_rng(1).uniform(0, 255, (2, 64, 64, 3)).astype("float32")
        )
        self.run_model_test(
            model, images, run_tf_data_check=False, run_preset_check=False
        )

    def test_head_convolution(self):
        images = np.random.default_rng(2).uniform(0, 255, (1, 64, 64, 3))
        separable = _model()  # the default
        dense = _model(head_convolution="dense")
        self.assertEqual(separable.head_convolution, "separable")
        head = separable.get_layer("classification_head")
        self.assertEqual(
            [tuple(w.shape) for w in head.convs[0].weights],
            [(3, 3, 16, 1), (1, 1, 16, 16)],  # depthwise, then pointwise
        )
        head = dense.get_layer("classification_head")
        self.assertEqual(
            [tuple(w.shape) for w in head.convs[0].weights], [(3, 3, 16, 16)]
        )
        # One 16-channel convolution in each of the two heads:
        # dense 3*3*16*16 = 2304 weights, separable 3*3*16 + 16*16 = 400.
        self.assertEqual(
            dense.count_params() - separable.count_params(), 2 * (2304 - 400)
        )
        # A config saved before the option existed describes dense heads,
        # and the saved weights fit them.
        config = dense.get_config()
        del config["head_convolution"]
        restored = RetinaNet.from_config(config)
        self.assertEqual(restored.head_convolution, "dense")
        restored.set_weights(dense.get_weights())
        self.assertAllClose(restored(images)["box"], dense(images)["box"])
        with self.assertRaisesRegex(ValueError, "head_convolution.*'depthwise'"):
            _model(head_convolution="depthwise")

    def test_other_box_format(self):
        images, targets = _data(4)
        boxes = targets["boxes"]
        center = np.where(
            targets["labels"][..., None] >= 0,
            np.stack(
                [
                    (boxes[..., 0] + boxes[..., 2]) / 2,
                    (boxes[..., 1] + boxes[..., 3]) / 2,
                    boxes[..., 2] - boxes[..., 0],
                    boxes[..., 3] - boxes[..., 1],
                ],
                -1,
            ),
            -1.0,
        )
        xyxy_model = _model()
        model = _model(bounding_box_format="center_xywh")
        model.set_weights(xyxy_model.get_weights())
        a = xyxy_model.encode_targets(images, targets)
        b = model.encode_targets(images, {"boxes": center, "labels": targets["labels"]})
        self.assertAllClose(a, b, atol=1e-4)
        da = xyxy_model.decode_predictions(xyxy_model(images), images)
        db = model.decode_predictions(model(images), images)
        n = int(da["num_detections"][0])
        x = da["boxes"][0, :n]
        self.assertAllClose(
            db["boxes"][0, :n],
            np.stack(
                [
                    (x[:, 0] + x[:, 2]) / 2,
                    (x[:, 1] + x[:, 3]) / 2,
                    x[:, 2] - x[:, 0],
                    x[:, 3] - x[:, 1],
                ],
                -1,
            ),
            atol=1e-3,
        )

    def test_bad_inputs(self):
        images, targets = _data(4)
        model = _model()
        model.compile()
        with self.assertRaisesRegex(ValueError, "batch"):
            model.fit(
                images[0],
                {"boxes": targets["boxes"][0], "labels": targets["labels"][0]},
            )
        with self.assertRaisesRegex(ValueError, "num_classes=3"):
            bad = dict(targets, labels=np.where(targets["labels"] >= 0, 3, -1))
            model.fit(images, bad, verbose=0)
        with self.assertRaisesRegex(ValueError, "another format"):
            b = targets["boxes"]
            xywh = np.stack(
                [b[..., 0], b[..., 1], b[..., 2] - b[..., 0], b[..., 3] - b[..., 1]], -1
            )
            model.fit(images, {"boxes": xywh, "labels": targets["labels"]}, verbose=0)
        with self.assertRaisesRegex(ValueError, "relative"):
            model.fit(
                images,
                {"boxes": targets["boxes"] / 64.0, "labels": targets["labels"]},
                verbose=0,
            )
        with self.assertRaisesRegex(ValueError, "pyramid_outputs"):
            plain = keras.Sequential(
                [keras.Input((None, None, 3)), keras.layers.Conv2D(4, 3)]
            )
            RetinaNet(plain, num_classes=3)
        with self.assertRaisesRegex(ValueError, "loss"):
            model.compile(loss="mse")
        with self.assertRaisesRegex(ValueError, "COCOEvaluation"):
            model.compile(metrics=[COCOMeanAveragePrecision()])
        with self.assertRaisesRegex(ValueError, "num_classes"):
            RetinaNet(_backbone(), num_classes=0)
        with self.assertRaisesRegex(ValueError, "format"):
            RetinaNet(_backbone(), num_classes=2, bounding_box_format="xyz")


@pytest.mark.large
@pytest.mark.parametrize("head_convolution", ["dense", "separable"])
def test_heads_call_one_graph_function(head_convolution):
    # In a traced training step, the classification and box heads call one
    # graph function at each level (and one gradient function), traced and
    # instantiated once.
    model = _model(head_convolution=head_convolution)
    images = tf.zeros((1, 64, 64, 3))

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            out = model(images, training=True)
            loss = tf.reduce_sum(out["box"]) + tf.reduce_sum(out["classification"])
        return tape.gradient(loss, model.trainable_variables)

    graph = step.get_concrete_function(images).graph
    names = [
        op.get_attr("f").name
        for op in graph.get_operations()
        if op.type in ("PartitionedCall", "StatefulPartitionedCall")
    ]
    heads = [name for name in names if "graph_forward" in name]
    # 2 heads x 3 levels (P3-P5), forward and gradient.
    assert len(heads) == 2 * 3 * 2, names
    assert len(set(heads)) == 2, heads


def test_fast_group_norm_matches_keras():
    # The heads' GroupNorm (closed-form gradient) against Keras' layer:
    # same outputs and gradients for inputs, gamma and beta.
    from keras_cv.src.models.retinanet import _GroupNorm

    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(1.0, 3.0, (2, 5, 7, 16)), "float32")
    weight = tf.constant(rng.normal(size=x.shape), "float32")
    ours = _GroupNorm(groups=4)
    reference = keras.layers.GroupNormalization(groups=4)
    ours.build(x.shape)
    reference.build(x.shape)
    gamma = rng.normal(size=16).astype("float32")
    beta = rng.normal(size=16).astype("float32")
    for layer in (ours, reference):
        layer.gamma.assign(gamma)
        layer.beta.assign(beta)
    results = []
    for layer in (ours, reference):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
            loss = tf.reduce_sum(y * weight)
        results.append((y, *tape.gradient(loss, [x, layer.gamma, layer.beta])))
    for a, b in zip(*results):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-4)


# ------------------------------------------------- torchvision-compatible options

TORCHVISION_OPTIONS = dict(
    head_convolution="dense",
    head_normalization=None,
    extra_levels_input="C5",
    extra_levels_padding="symmetric",
    anchor_sizes=((32, 40), (64, 80), (128, 161)),
    anchor_layout="torchvision",
    box_coder_weights=(1, 1, 1, 1),
    normalization="imagenet",
    image_resize=(48, 80),
    freeze_batch_norm=True,
    batch_norm_momentum=None,
    post_processing="torchvision",
)


def _tv_model(**kwargs):
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3), variant="torchvision"
    )
    return RetinaNet(
        backbone, num_classes=3, **{**SMALL, **TORCHVISION_OPTIONS, **kwargs}
    )


def test_torchvision_options_resize_inside_and_map_boxes_back():
    model = _tv_model(score_threshold=0.0)
    # 64x96 -> 48x72 inside (shorter side to 48), padded to 64x96: P3-P5
    # hold (8*12 + 4*6 + 2*3) locations of 2 sizes x 3 ratios.
    raw = model(np.zeros((1, 64, 96, 3), "float32"))
    assert tuple(raw["box"].shape) == (1, (8 * 12 + 4 * 6 + 2 * 3) * 6, 4)
    images, _ = _data(n=2, size=64)
    big = tf.image.resize(images, (128, 192)).numpy()
    detections = model.predict_on_batch(big)
    count = int(detections["num_detections"][0])
    assert count > 0
    boxes = np.asarray(detections["boxes"][0][:count])
    # Clipped to the resized image, then scaled back to 128x192 pixels.
    assert boxes.min() >= 0 and boxes[:, 2].max() <= 192 and boxes[:, 3].max() <= 128
    assert boxes[:, 2].max() > 72  # beyond the resized width: mapped back


def test_torchvision_options_config_round_trip():
    model = _tv_model()
    config = model.get_config()
    restored = RetinaNet.from_config(config)
    assert restored.get_config() == config
    assert restored.image_resize == (48, 80)


@pytest.mark.large
def test_torchvision_options_train_and_save(tmp_path):
    model = _tv_model()
    bns = [
        layer
        for layer in model.backbone._flatten_layers()
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert bns and not any(layer.trainable for layer in bns)  # frozen
    assert model.get_layer("fpn").extra == []  # max_level 5: no extra level
    images, targets = _data(n=2, size=64)
    before = [w.numpy().copy() for w in bns[0].weights]
    model.compile(optimizer="adam")
    model.fit(images, targets, epochs=1, batch_size=2, verbose=0)
    for old, new in zip(before, bns[0].weights):
        np.testing.assert_array_equal(old, new.numpy())  # statistics unchanged
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        loaded(images)["classification"], model(images)["classification"], atol=1e-5
    )


def test_p6_from_c5_with_symmetric_padding():
    model = _tv_model(max_level=7, anchor_sizes=[[32]] * 5, aspect_ratios=(1.0,))
    fpn = model.get_layer("fpn")
    # P6 reads the 512 channels of ResNet-18's C5.
    assert tuple(fpn.extra[0].kernel.shape) == (3, 3, 512, 16)
    raw = model(np.zeros((1, 64, 96, 3), "float32"))
    # 48x72 -> padded 64x96: P3-P7 of 8x12, 4x6, 2x3, 1x2, 1x1.
    assert tuple(raw["box"].shape) == (1, 96 + 24 + 6 + 2 + 1, 4)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            dict(head_normalization="batch"),
            "`head_normalization` of RetinaNet must be one of",
        ),
        (dict(extra_levels_input="C4"), "`extra_levels_input` of RetinaNet"),
        (dict(extra_levels_padding="valid"), "`extra_levels_padding` of RetinaNet"),
        (dict(anchor_layout="detectron"), "`anchor_layout` of RetinaNet"),
        (dict(normalization="caffe"), "`normalization` of RetinaNet"),
        (dict(post_processing="soft_nms"), "`post_processing` of RetinaNet"),
        (
            dict(image_resize=800),
            r"`image_resize` of RetinaNet must be None or `\(min_size",
        ),
        (dict(image_resize=(1333, 800)), "min_size <= max_size"),
        (
            dict(box_coder_weights=(1, 1, 1)),
            "`box_coder_weights` must be four positive",
        ),
        (
            dict(anchor_sizes=((32,), (64,))),
            "one list of anchor sizes in pixels per pyramid level",
        ),
        (dict(anchor_sizes=((32, 40), (64,), (128,))), "the same number of sizes"),
    ],
)
def test_torchvision_option_errors(kwargs, message, shared_backbone):
    # The arguments are checked before the backbone is touched.
    with pytest.raises(ValueError, match=message):
        RetinaNet(shared_backbone, num_classes=3, **{**SMALL, **kwargs})


def test_freeze_batch_norm_must_be_a_bool(shared_backbone):
    with pytest.raises(TypeError, match="`freeze_batch_norm` must be a bool"):
        RetinaNet(shared_backbone, num_classes=3, freeze_batch_norm="yes", **SMALL)


@pytest.fixture(scope="module")
def shared_backbone():
    return _backbone()


def test_default_options_unchanged():
    config = _model().get_config()
    assert config["head_normalization"] == "group"
    assert config["anchor_layout"] == "keras_cv"
    assert config["box_coder_weights"] == [10.0, 10.0, 5.0, 5.0]
    assert config["normalization"] == "symmetric"
    assert config["image_resize"] is None
    assert config["post_processing"] == "keras_cv"
    assert config["extra_levels_input"] == "P5"
    assert not config["freeze_batch_norm"]
