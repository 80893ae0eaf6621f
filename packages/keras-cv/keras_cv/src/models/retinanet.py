# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RetinaNet: a single-stage detector with a feature pyramid and focal loss."""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_core.presets import PresetMixin
from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.nms_detection_decoder import NMSDetectionDecoder
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.target_gather import TargetGather

_BOX_SCALE_FACTORS = [10.0, 10.0, 5.0, 5.0]
_BACKBONE_STRIDE = 32  # the coarsest backbone level used (P5)


def _check_backbone(backbone):
    pyramid = getattr(backbone, "pyramid_outputs", None)
    if not isinstance(backbone, keras.Model) or not isinstance(pyramid, dict):
        raise ValueError(
            "`backbone` must be a Keras model with `pyramid_outputs` (a dict "
            "from level name 'P3', 'P4', 'P5' to feature maps), such as "
            "`keras_applications.ResNet18(include_top=False, input_shape="
            f"(None, None, 3))`. Received: {type(backbone).__name__} "
            f"{getattr(backbone, 'name', '')!r}"
            + ("" if pyramid is None else f" with pyramid_outputs={pyramid!r}")
            + ". Wrap your own network in `keras_applications.Backbone` to name its levels."
        )
    missing = [level for level in ("P3", "P4", "P5") if level not in pyramid]
    if missing:
        raise ValueError(
            "RetinaNet needs the backbone's pyramid levels P3, P4 and P5 "
            f"(strides 8, 16, 32). The backbone '{backbone.name}' lacks "
            f"{missing}; it has {sorted(pyramid)}."
        )
    return pyramid


class _FeaturePyramid(keras.layers.Layer):
    """Top-down feature pyramid on P3-P5 plus extra levels by striding."""

    def __init__(self, filters, max_level, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.max_level = max_level
        self.lateral = [
            keras.layers.Conv2D(filters, 1, name=f"lateral_P{i}") for i in (3, 4, 5)
        ]
        self.output_convs = [
            keras.layers.Conv2D(filters, 3, padding="same", name=f"output_P{i}")
            for i in (3, 4, 5)
        ]
        self.extra = [
            keras.layers.Conv2D(
                filters, 3, strides=2, padding="same", name=f"output_P{i}"
            )
            for i in range(6, max_level + 1)
        ]

    def build(self, input_shapes):
        for conv, shape in zip(self.lateral, input_shapes):
            conv.build(shape)
        shape = (None, None, None, self.filters)
        for conv in self.output_convs + self.extra:
            conv.build(shape)

    def call(self, features):
        c3, c4, c5 = features
        p5 = self.lateral[2](c5)
        p4 = self.lateral[1](c4) + _upsample_like(p5, c4)
        p3 = self.lateral[0](c3) + _upsample_like(p4, c3)
        outputs = [conv(p) for conv, p in zip(self.output_convs, (p3, p4, p5))]
        x = outputs[-1]
        for index, conv in enumerate(self.extra):
            x = conv(x if index == 0 else keras.ops.relu(x))
            outputs.append(x)
        return outputs


def _upsample_like(x, reference):
    x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)
    shape = keras.ops.shape(reference)
    return x[:, : shape[1], : shape[2], :]


class _PredictionHead(keras.layers.Layer):
    """Convolutions shared by all pyramid levels, with GroupNorm."""

    def __init__(
        self, filters, depth, output_filters, bias_initializer, groups, **kwargs
    ):
        super().__init__(**kwargs)
        self.convs = [
            keras.layers.Conv2D(
                filters,
                3,
                padding="same",
                use_bias=False,
                kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                name=f"conv_{i}",
            )
            for i in range(depth)
        ]
        # GroupNorm has no moving statistics: training and inference modes
        # compute the same function, and it is shared across levels safely.
        self.norms = [
            keras.layers.GroupNormalization(groups=groups, name=f"norm_{i}")
            for i in range(depth)
        ]
        self.output_conv = keras.layers.Conv2D(
            output_filters,
            3,
            padding="same",
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
            bias_initializer=bias_initializer,
            name="output",
        )
        self.filters = filters

    def build(self, input_shape):
        shape = (None, None, None, input_shape[-1])
        for conv, norm in zip(self.convs, self.norms):
            conv.build(shape)
            shape = (None, None, None, self.filters)
            norm.build(shape)
        self.output_conv.build(shape)

    def call(self, x):
        for conv, norm in zip(self.convs, self.norms):
            x = keras.ops.relu(norm(conv(x)))
        return self.output_conv(x)


@api_export("keras_cv.models.RetinaNet", stability="experimental")
class RetinaNet(PresetMixin, keras.Model):
    """RetinaNet single-stage object detector.

    A backbone from `keras_applications` gives feature maps at strides 8,
    16 and 32 (its `pyramid_outputs` P3-P5); a feature pyramid network
    merges them top-down and adds coarser levels up to `max_level`; two
    small convolutional heads, shared by all levels, predict for every
    anchor the class logits and the box offsets. Training targets are built
    inside the model from `{"boxes", "labels"}` with keras-cv's primitives
    (anchors, IoU, matching with every ground-truth box force-matched to an
    anchor, target gathering, box encoding); the loss is the focal loss
    plus a box regression loss, both summed and divided by the number of
    positive anchors. `predict` returns final detections (decoding and
    per-class non-max suppression included).

    Training from scratch holds in inference mode: the heads use
    GroupNormalization (no moving statistics), and the backbone's
    BatchNormalization layers get `batch_norm_momentum` (0.9 by default),
    so that their moving statistics follow the weights within a few tens of
    steps instead of lagging by hundreds. Models trained for a few hundred
    steps thus score in inference mode what they score in training mode.
    For a pretrained, frozen backbone pass `batch_norm_momentum=None`.

    Images are float pixel values in [0, 255] of any size (padded inside to
    a multiple of 32 at the bottom and right, which does not move boxes).

    Reference: [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002).

    Args:
        backbone: a `keras_applications` backbone (or any Keras model with
            `pyramid_outputs` P3, P4, P5), built with
            `input_shape=(None, None, 3)` for images of any size.
        num_classes: number of object classes (no background class).
        bounding_box_format: the format of the boxes given to `fit` and
            returned by `predict`, e.g. `"xyxy"`.
        max_level: the coarsest pyramid level (5 to 7); levels above 5 are
            strided convolutions on P5.
        fpn_filters: channels of the feature pyramid.
        head_filters: channels of the head convolutions.
        head_depth: number of 3x3 convolutions in each head before its
            output convolution.
        anchor_size: anchor side at scale 1, in units of the level stride.
        anchor_scales: anchor scales at each location.
        aspect_ratios: anchor width/height ratios at each location.
        positive_threshold: IoU from which an anchor is positive.
        negative_threshold: IoU below which an anchor is background;
            anchors in between are ignored.
        batch_norm_momentum: momentum set on every BatchNormalization layer
            of the backbone, or `None` to leave them as they are.
        max_detections: most detections returned per image.
        score_threshold: lowest score of a returned detection.
        nms_iou_threshold: IoU above which non-max suppression drops the
            lower-scoring box of the same class.
        pre_nms_top_k: number of highest-scoring anchors kept before NMS.

    Call arguments:
        images: float tensor `(batch, height, width, 3)`.

    Returns (of `call`):
        `{"box": (batch, num_anchors, 4), "classification": (batch,
        num_anchors, num_classes)}`: raw box offsets and class logits.
        `predict` and `predict_on_batch` return `{"boxes", "scores",
        "labels", "num_detections"}` instead, padded with -1 labels (and
        -1 boxes, 0 scores) past `num_detections`.

    Examples:

    ```python
    import keras_applications

    backbone = keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))
    model = keras_cv.models.RetinaNet(
        backbone, num_classes=3, bounding_box_format="xyxy",
        max_level=5, fpn_filters=32, head_filters=32, head_depth=1)  # small, for the example
    model.compile(optimizer="adam")
    images = np.zeros((2, 64, 64, 3), "float32")
    raw = model(images)  # {"box": (2, 756, 4), "classification": (2, 756, 3)}
    # model.fit(images, {"boxes": boxes, "labels": labels}, epochs=10)
    # detections = model.predict(images)  # {"boxes", "scores", "labels", "num_detections"}
    ```
    """

    def __init__(
        self,
        backbone,
        num_classes,
        bounding_box_format="xyxy",
        max_level=7,
        fpn_filters=256,
        head_filters=256,
        head_depth=4,
        anchor_size=4.0,
        anchor_scales=(1.0, 2 ** (1 / 3), 2 ** (2 / 3)),
        aspect_ratios=(0.5, 1.0, 2.0),
        positive_threshold=0.5,
        negative_threshold=0.4,
        batch_norm_momentum=0.9,
        max_detections=100,
        score_threshold=0.05,
        nms_iou_threshold=0.5,
        pre_nms_top_k=1000,
        **kwargs,
    ):
        if isinstance(backbone, dict):
            backbone = keras.saving.deserialize_keras_object(backbone)
        pyramid = _check_backbone(backbone)
        if (
            isinstance(num_classes, bool)
            or not isinstance(num_classes, int)
            or num_classes < 1
        ):
            raise ValueError(
                f"`num_classes` must be a positive int. Received: num_classes={num_classes!r}."
            )
        bounding_box_format = converters.validate_format(bounding_box_format)
        if max_level not in (5, 6, 7):
            raise ValueError(
                f"`max_level` must be 5, 6 or 7. Received: max_level={max_level!r}."
            )
        if batch_norm_momentum is not None:
            for layer in backbone._flatten_layers(include_self=False, recursive=True):
                if isinstance(layer, keras.layers.BatchNormalization):
                    layer.momentum = float(batch_norm_momentum)

        images = keras.Input((None, None, 3), name="images")
        features = keras.Model(
            backbone.inputs,
            [pyramid[level] for level in ("P3", "P4", "P5")],
            name="pyramid_features",
        )
        self.levels = list(range(3, max_level + 1))
        self.num_anchors_per_location = len(anchor_scales) * len(aspect_ratios)
        fpn = _FeaturePyramid(fpn_filters, max_level, name="fpn")
        groups = math.gcd(head_filters, 32)
        prior = 0.01
        class_head = _PredictionHead(
            head_filters,
            head_depth,
            self.num_anchors_per_location * num_classes,
            keras.initializers.Constant(-math.log((1 - prior) / prior)),
            groups,
            name="classification_head",
        )
        box_head = _PredictionHead(
            head_filters,
            head_depth,
            self.num_anchors_per_location * 4,
            "zeros",
            groups,
            name="box_head",
        )
        x = keras.ops.cast(images, "float32") / 127.5 - 1.0
        x = _PadToMultiple(_BACKBONE_STRIDE, name="pad")(x)
        pyramid_maps = fpn(features(x))
        boxes, logits = [], []
        for p in pyramid_maps:
            boxes.append(keras.layers.Reshape((-1, 4))(box_head(p)))
            logits.append(keras.layers.Reshape((-1, num_classes))(class_head(p)))
        outputs = {
            "box": keras.layers.Concatenate(axis=1, name="box")(boxes),
            "classification": keras.layers.Concatenate(axis=1, name="classification")(
                logits
            ),
        }
        super().__init__(inputs=images, outputs=outputs, **kwargs)

        self.backbone = backbone
        self.num_classes = num_classes
        self.bounding_box_format = bounding_box_format
        self.max_level = max_level
        self.fpn_filters = fpn_filters
        self.head_filters = head_filters
        self.head_depth = head_depth
        self.anchor_size = float(anchor_size)
        self.anchor_scales = [float(s) for s in anchor_scales]
        self.aspect_ratios = [float(r) for r in aspect_ratios]
        self.positive_threshold = float(positive_threshold)
        self.negative_threshold = float(negative_threshold)
        self.batch_norm_momentum = batch_norm_momentum
        self.max_detections = int(max_detections)
        self.score_threshold = float(score_threshold)
        self.nms_iou_threshold = float(nms_iou_threshold)
        self.pre_nms_top_k = int(pre_nms_top_k)

        strides = [2**level for level in self.levels]
        self.anchor_generator = AnchorGenerator(
            anchor_sizes=[self.anchor_size * s for s in strides],
            scales=self.anchor_scales,
            aspect_ratios=self.aspect_ratios,
            strides=strides,
            bounding_box_format="xyxy",
        )
        self.similarity = IouSimilarity(bounding_box_format="xyxy")
        self.matcher = BoxMatcher(
            positive_threshold=self.positive_threshold,
            negative_threshold=self.negative_threshold,
            force_match_for_each_col=True,
        )
        self.target_gather = TargetGather()
        self.box_coder = BoxCoder(
            scale_factors=_BOX_SCALE_FACTORS, bounding_box_format="xyxy"
        )
        self.decoder = NMSDetectionDecoder(
            bounding_box_format="xyxy",
            from_logits=True,
            pre_nms_top_k=self.pre_nms_top_k,
            pre_nms_score_threshold=self.score_threshold,
            nms_iou_threshold=self.nms_iou_threshold,
            max_num_detections=self.max_detections,
            box_scale_factors=_BOX_SCALE_FACTORS,
        )

    # ------------------------------------------------------------------ anchors
    def _anchors(self, images):
        shape = tf.shape(images)
        stride = _BACKBONE_STRIDE
        height = (shape[1] + stride - 1) // stride * stride
        width = (shape[2] + stride - 1) // stride * stride
        return self.anchor_generator((height, width))

    # ------------------------------------------------------------------ compile
    def compile(
        self,
        optimizer="adam",
        classification_loss="focal",
        box_loss="smoothl1",
        box_loss_weight=1.0,
        **kwargs,
    ):
        """Configures training; every argument has a sensible default.

        Args:
            optimizer: any Keras optimizer or name. With `"adam"` the learning
                rate is 1e-3 and gradients are clipped to norm 10.
            classification_loss: `"focal"` (alpha 0.25, gamma 2) or a Keras
                loss object taking `(one_hot_targets, logits)`.
            box_loss: `"smoothl1"` (Huber with delta 1 on encoded offsets) or
                a Keras loss object taking `(encoded_targets, offsets)`.
            box_loss_weight: weight of the box loss in the total.
            **kwargs: other `keras.Model.compile` arguments (`metrics`,
                `jit_compile`, ...). `loss` is not accepted: the model
                computes its own.
        """
        if "loss" in kwargs:
            raise ValueError(
                "RetinaNet computes its own loss; pass `classification_loss` "
                "and `box_loss` instead of `loss`. Received: "
                f"loss={kwargs['loss']!r}."
            )
        if optimizer == "adam":
            optimizer = keras.optimizers.Adam(learning_rate=1e-3, global_clipnorm=10.0)
        if classification_loss == "focal":
            classification_loss = keras.losses.BinaryFocalCrossentropy(
                apply_class_balancing=True,
                alpha=0.25,
                gamma=2.0,
                from_logits=True,
                reduction=None,
            )
        elif isinstance(classification_loss, str):
            raise ValueError(
                "`classification_loss` must be 'focal' or a Keras loss object. "
                f"Received: {classification_loss!r}."
            )
        if box_loss == "smoothl1":
            box_loss = keras.losses.Huber(delta=1.0, reduction=None)
        elif isinstance(box_loss, str):
            raise ValueError(
                f"`box_loss` must be 'smoothl1' or a Keras loss object. Received: {box_loss!r}."
            )
        self.classification_loss = classification_loss
        self.box_loss = box_loss
        self.box_loss_weight = float(box_loss_weight)
        super().compile(optimizer=optimizer, **kwargs)

    # ------------------------------------------------------------------ targets
    def encode_targets(self, images, bounding_boxes):
        """Builds the per-anchor training targets of a batch.

        Args:
            images: the batch of images (only its shape is used).
            bounding_boxes: `{"boxes": (batch, max_boxes, 4), "labels":
                (batch, max_boxes)}` in `bounding_box_format`, padded with
                label -1 (ragged tensors are accepted).

        Returns:
            `(class_targets, box_targets, class_weights, box_weights)`:
            one-hot classes `(batch, num_anchors, num_classes)`, encoded box
            offsets `(batch, num_anchors, 4)`, and the weight of each anchor
            in the classification loss (0 for ignored anchors) and in the box
            loss (1 for positive anchors only).
        """
        bounding_boxes = converters.to_dense(converters.standardize(bounding_boxes))
        boxes = tf.cast(bounding_boxes["boxes"], "float32")
        labels = tf.cast(bounding_boxes["labels"], "int32")
        if labels.shape.rank == 3:
            labels = tf.squeeze(labels, -1)
        shape = tf.shape(images)
        height = tf.cast(shape[1], "float32")
        width = tf.cast(shape[2], "float32")
        if self.bounding_box_format != "xyxy":
            boxes = converters.convert_format(
                boxes, self.bounding_box_format, "xyxy", height=height, width=width
            )
        anchors = self._anchors(images)
        padding = labels < 0
        iou = self.similarity(anchors, boxes, mask=padding[:, None, :])
        match_indices, indicators = self.matcher(iou)
        positive = indicators == 1
        ignored = indicators == -2
        matched_labels = self.target_gather(
            labels, match_indices, mask=~positive, mask_value=-1
        )
        class_targets = tf.one_hot(matched_labels, self.num_classes)
        matched_boxes = self.target_gather(boxes, match_indices)
        box_targets = self.box_coder.encode(matched_boxes, anchors[None])
        box_targets = tf.where(positive[..., None], box_targets, 0.0)
        class_weights = tf.cast(~ignored, "float32")
        box_weights = tf.cast(positive, "float32")
        return class_targets, box_targets, class_weights, box_weights

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        if y is None:
            raise ValueError(
                "RetinaNet.fit needs targets: pass y={'boxes': ..., 'labels': ...} "
                "or a dataset of (images, bounding_boxes) or of "
                "{'images': ..., 'bounding_boxes': ...}."
            )
        tf.debugging.assert_less(
            tf.cast(
                tf.reduce_max(converters.to_dense(converters.standardize(y))["labels"]),
                "int32",
            ),
            self.num_classes,
            message=f"A label is >= num_classes={self.num_classes}.",
        )
        class_targets, box_targets, class_weights, box_weights = self.encode_targets(
            x, y
        )
        num_positive = tf.maximum(tf.reduce_sum(box_weights), 1.0)
        cls_loss = self.classification_loss.call(
            class_targets, tf.cast(y_pred["classification"], "float32")
        ) * float(self.num_classes)  # the Keras losses average over classes
        cls_loss = tf.reduce_sum(cls_loss * class_weights) / num_positive
        box_loss = (
            self.box_loss.call(box_targets, tf.cast(y_pred["box"], "float32")) * 4.0
        )
        box_loss = tf.reduce_sum(box_loss * box_weights) / num_positive
        total = cls_loss + self.box_loss_weight * box_loss
        losses = self.losses
        if losses:
            total = total + tf.add_n([tf.cast(x, "float32") for x in losses])
        return total

    # --------------------------------------------------------------- train step
    def train_step(self, data):
        x, y, sample_weight = _unpack(data)
        return super().train_step((x, y, sample_weight))

    def test_step(self, data):
        x, y, sample_weight = _unpack(data)
        return super().test_step((x, y, sample_weight))

    def fit(self, x=None, y=None, *args, validation_data=None, **kwargs):
        _validate_training_data(self, x, y)
        return super().fit(x, y, *args, validation_data=validation_data, **kwargs)

    # ------------------------------------------------------------------ predict
    def decode_predictions(self, raw_outputs, images):
        """Turns raw outputs into final detections (decoding and NMS).

        Uses `keras_cv.layers.NMSDetectionDecoder` (per-class NMS) on the
        anchors of `images`' size; boxes are clipped to the images.
        """
        anchors = self._anchors(images)
        shape = tf.shape(images)
        height = tf.cast(shape[1], "float32")
        width = tf.cast(shape[2], "float32")
        out = self.decoder(
            raw_outputs["box"],
            raw_outputs["classification"],
            anchors,
            image_shape=tf.stack([height, width]),
        )
        out = dict(out)
        if self.bounding_box_format != "xyxy":
            valid = out["labels"] >= 0
            boxes = converters.convert_format(
                out["boxes"],
                "xyxy",
                self.bounding_box_format,
                height=height,
                width=width,
            )
            out["boxes"] = tf.where(valid[..., None], boxes, -1.0)
        out["labels"] = tf.cast(out["labels"], "int32")
        out["num_detections"] = tf.cast(out["num_detections"], "int32")
        return out

    def predict_step(self, data):
        x, _, _ = _unpack(data)
        raw = self(x, training=False)
        return self.decode_predictions(raw, x)

    def export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
        """Exports a SavedModel that serves final detections.

        The `serve` endpoint (also the `serving_default` signature) takes
        `uint8` images `(batch, height, width, 3)` of any size and returns
        `{"boxes", "scores", "labels", "num_detections"}` in
        `bounding_box_format`, decoding and non-max suppression included:
        `tf.saved_model.load(filepath).serve(images)` equals
        `model.predict(images)`. Only `format="tf_saved_model"` is
        supported.

        Args:
            filepath: the directory to write.
            format: `"tf_saved_model"`.
            verbose: print a summary of the endpoint.
        """
        if format != "tf_saved_model":
            raise ValueError(
                "RetinaNet.export writes a TensorFlow SavedModel with "
                "decoding and NMS inside; only format='tf_saved_model' is "
                f"supported. Received: format={format!r}."
            )
        archive = keras.export.ExportArchive()
        archive.track(self)

        def serve(images):
            pixels = tf.cast(images, "float32")
            return self.decode_predictions(self(pixels, training=False), pixels)

        archive.add_endpoint(
            "serve",
            serve,
            input_signature=[tf.TensorSpec((None, None, None, 3), tf.uint8)],
        )
        archive.write_out(filepath, verbose=verbose, **kwargs)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "backbone": keras.saving.serialize_keras_object(self.backbone),
            "num_classes": self.num_classes,
            "bounding_box_format": self.bounding_box_format,
            "max_level": self.max_level,
            "fpn_filters": self.fpn_filters,
            "head_filters": self.head_filters,
            "head_depth": self.head_depth,
            "anchor_size": self.anchor_size,
            "anchor_scales": self.anchor_scales,
            "aspect_ratios": self.aspect_ratios,
            "positive_threshold": self.positive_threshold,
            "negative_threshold": self.negative_threshold,
            "batch_norm_momentum": self.batch_norm_momentum,
            "max_detections": self.max_detections,
            "score_threshold": self.score_threshold,
            "nms_iou_threshold": self.nms_iou_threshold,
            "pre_nms_top_k": self.pre_nms_top_k,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["backbone"] = keras.saving.deserialize_keras_object(config["backbone"])
        return cls(**config)


class _PadToMultiple(keras.layers.Layer):
    """Zero-pads height and width at the bottom/right to a multiple."""

    def __init__(self, multiple, **kwargs):
        super().__init__(**kwargs)
        self.multiple = multiple

    def call(self, x):
        shape = keras.ops.shape(x)
        m = self.multiple
        pad_h = (m - shape[1] % m) % m
        pad_w = (m - shape[2] % m) % m
        return tf.pad(x, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]])

    def compute_output_shape(self, shape):
        def up(d):
            return (
                None
                if d is None
                else (d + self.multiple - 1) // self.multiple * self.multiple
            )

        return (shape[0], up(shape[1]), up(shape[2]), shape[3])

    def get_config(self):
        return {**super().get_config(), "multiple": self.multiple}


def _unpack(data):
    """Accepts (x, y[, w]) tuples and {"images", "bounding_boxes"} dicts."""
    if isinstance(data, dict) and "images" in data:
        return data["images"], data.get("bounding_boxes"), None
    if isinstance(data, (list, tuple)):
        if len(data) == 1:
            return _unpack(data[0])
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
    return data, None, None


def _first_batch(x, y):
    if isinstance(x, tf.data.Dataset):
        element = next(iter(x.take(1)))
        return _unpack(element)[:2]
    if isinstance(x, dict) and "images" in x:
        return x["images"], x.get("bounding_boxes")
    return x, y


def _validate_training_data(model, x, y):
    """Checks the first batch eagerly, so that errors name the fault."""
    try:
        images, boxes = _first_batch(x, y)
    except (TypeError, StopIteration, tf.errors.OpError):
        return  # generators etc.: checked in graph as far as possible
    if images is None or not hasattr(images, "shape"):
        return
    if len(images.shape) != 4:
        raise ValueError(
            "RetinaNet.fit expects batched images of shape (batch, height, "
            f"width, 3). Received images of shape {tuple(images.shape)}. "
            + (
                "Batch your dataset first, e.g. `dataset.batch(8)`."
                if len(images.shape) == 3
                else ""
            )
        )
    if boxes is None:
        return
    if not isinstance(boxes, dict):
        raise ValueError(
            "RetinaNet.fit expects targets as a dict {'boxes': ..., 'labels': ...}. "
            f"Received targets of type {type(boxes).__name__}."
        )
    bb = converters.to_dense(converters.standardize(boxes))
    labels = np.asarray(bb["labels"])
    coords = np.asarray(bb["boxes"], "float32")
    if labels.ndim == 3:
        labels = labels[..., 0]
    valid = labels >= 0
    if valid.any() and labels.max() >= model.num_classes:
        raise ValueError(
            f"Found label {int(labels.max())} but the model has "
            f"num_classes={model.num_classes} (labels must be in "
            f"[0, {model.num_classes - 1}], and -1 marks padding). Build the "
            "model with a larger `num_classes` or fix the labels."
        )
    if not valid.any():
        return
    height, width = int(images.shape[1]), int(images.shape[2])
    xyxy = np.asarray(
        converters.convert_format(
            coords[valid], model.bounding_box_format, "xyxy", height=height, width=width
        )
    )
    fmt = model.bounding_box_format
    if (xyxy[:, 2] < xyxy[:, 0]).any() or (xyxy[:, 3] < xyxy[:, 1]).any():
        raise ValueError(
            f"Some boxes have a negative width or height when read in the "
            f"model's bounding_box_format '{fmt}', e.g. {coords[valid][np.argmax((xyxy[:, 2] < xyxy[:, 0]) | (xyxy[:, 3] < xyxy[:, 1]))].tolist()}. "
            "The boxes are probably in another format: convert them with "
            f"`keras_cv.bounding_box.convert_format(boxes, source=..., target='{fmt}')`."
        )
    if (
        not fmt.startswith("rel_")
        and max(height, width) > 4
        and np.abs(coords[valid]).max() <= 1.0
    ):
        raise ValueError(
            f"All box coordinates are within [0, 1] but the model's "
            f"bounding_box_format '{fmt}' is in pixels (images are "
            f"{height}x{width}). The boxes are probably relative: build the "
            f"model with bounding_box_format='rel_{fmt}' or convert them to pixels."
        )
