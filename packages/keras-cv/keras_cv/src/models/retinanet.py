# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RetinaNet: a single-stage detector with a feature pyramid and focal loss."""

import math

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.feature_pyramid import FeaturePyramid
from keras_cv.src.layers.group_normalization import GroupNormalization
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.nms_detection_decoder import NMSDetectionDecoder
from keras_cv.src.layers.prediction_head import PredictionHead
from keras_cv.src.losses.box_losses import SmoothL1Loss
from keras_cv.src.losses.focal_loss import FocalLoss
from keras_cv.src.models import detection_utils as utils
from keras_cv.src.models import distribution
from keras_cv.src.models import torchvision_compat as tv
from keras_cv.src.models import torchvision_presets
from keras_cv.src.models.detector import Detector
from keras_cv.src.models.detector import check_options
from keras_cv.src.models.detector import prepare_backbone
from keras_cv.src.models.optimizer import Adam
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.anchor_target_assigner import AnchorTargetAssigner
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher
from keras_cv.src.ops.target_gather import TargetGather

_BOX_SCALE_FACTORS = [10.0, 10.0, 5.0, 5.0]


def _per_anchor(loss, targets, predictions):
    """One loss value per anchor: `[batch, num_anchors]`.

    keras-cv's `FocalLoss` and `SmoothL1Loss` sum over the last axis
    (classes, box coordinates). Keras' own losses (and, as before, any other
    loss object) are taken to average over it and are scaled back to the sum.
    """
    values = loss.call(targets, predictions)
    if isinstance(loss, (FocalLoss, SmoothL1Loss)):
        return values
    return values * tf.cast(tf.shape(predictions)[-1], values.dtype)


class _GroupNorm(GroupNormalization):
    """`keras_cv.layers.GroupNormalization` under the name of its first version.

    Keras finds a saved variable by a path made of the snake-cased class
    names of the layers: RetinaNet files hold the heads' normalisations
    under `__group_norm`. This subclass keeps that path (and adds nothing).
    """


class _PredictionHead(PredictionHead):
    """`keras_cv.layers.PredictionHead` under the name of its first version.

    Keeps the saved weights' path `__prediction_head` (and `__group_norm`
    for its normalisations) of RetinaNet files and presets.
    """

    normalization_class = _GroupNorm


HEAD_CONVOLUTIONS = ("separable", "dense")


@api_export(
    "keras_cv.models.RetinaNet",
    stability="stable",
    rfc=utils.MODELS_RFC,
)
class RetinaNet(Detector, keras.Model):
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
        synchronized_batch_norm: if True, the backbone's BatchNormalization
            layers compute their batch statistics over the global batch when
            trained under a `tf.distribute` strategy (an all-reduce per
            layer) instead of over each replica's share. Use it when the
            batch per replica is small; it changes nothing on one device.
        max_detections: most detections returned per image.
        score_threshold: lowest score of a returned detection.
        nms_iou_threshold: IoU above which non-max suppression drops the
            lower-scoring box of the same class.
        pre_nms_top_k: number of highest-scoring anchors kept before NMS.
        head_convolution: `"separable"` (default) for depthwise-separable
            3x3 convolutions in the heads (a depthwise 3x3 then a pointwise
            1x1, as in EfficientDet's heads): the same receptive field for
            about an eighth of the multiply-adds at 256 channels, which makes
            the training step about twice as fast on a CPU.
            `"dense"` for the paper's full 3x3 convolutions. Configs saved
            without this key load with `"dense"`.
        head_normalization: `"group"` (default): GroupNormalization after
            each head convolution (which then has no bias); `None`: biased
            convolutions and ReLU only, as torchvision's RetinaNet v1.
        extra_levels_input: the input of the P6 convolution: `"P5"`
            (default, the pyramid's P5) or `"C5"` (the backbone's last
            feature map, as torchvision's RetinaNet v2 and the paper).
        extra_levels_padding: padding of the stride-2 P6/P7 convolutions:
            `"same"` (default, TensorFlow's: an even input is padded only
            at the bottom/right) or `"symmetric"` (one pixel on every
            side, PyTorch's `padding=1`).
        anchor_sizes: None (default: `anchor_size * stride * scale`), or
            one list of anchor sizes in pixels per level, e.g.
            torchvision's `((32, 40, 50), (64, 80, 101), (128, 161, 203),
            (256, 322, 406), (512, 645, 812))`; replaces `anchor_size` and
            `anchor_scales`.
        anchor_layout: `"keras_cv"` (default): anchors centred on the
            cells, aspect ratio = width / height, scales varying slowest;
            `"torchvision"`: torchvision's `AnchorGenerator` (aspect ratio
            = height / width, ratios varying slowest, base anchors rounded
            to whole pixels, centred on the cells' top-left corners).
        box_coder_weights: the four divisors `(wx, wy, ww, wh)` of the
            encoded box offsets: `(10, 10, 5, 5)` by default, `(1, 1, 1, 1)`
            in torchvision's RetinaNet.
        normalization: the pixel scaling inside the model: `"symmetric"`
            (default, `x / 127.5 - 1`) or `"imagenet"` (`(x / 255 - mean) /
            std` with ImageNet's statistics, as torchvision).
        image_resize: None (default: images go in at their size) or
            `(min_size, max_size)`: each batch is resized inside the model
            as torchvision's detection transform does (bilinear, shorter
            side to `min_size` unless the longer would exceed `max_size`),
            e.g. `(800, 1333)`; training targets are scaled along and
            `predict` returns boxes in the pixels of the given images.
        freeze_batch_norm: if True, the backbone's batch normalizations are
            frozen (inference statistics, not trained), as torchvision's
            `FrozenBatchNorm2d`. Defaults to False.
        post_processing: `"keras_cv"` (default: `NMSDetectionDecoder` over
            the `pre_nms_top_k` best anchors of the image) or
            `"torchvision"` (torchvision's RetinaNet post-processing: score
            threshold, the `pre_nms_top_k` best of each level, box offsets
            clamped at log(1000/16), per-class NMS, `max_detections`).
        head_norm_epsilon: epsilon of the heads' GroupNormalization: 1e-3
            (default, Keras'), 1e-5 in torchvision's RetinaNet v2.

    To reproduce a torchvision detector with its weights, use
    `keras_cv.convert.from_torchvision` or a named preset
    (`RetinaNet.presets`), which set all of these.

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
        head_convolution="separable",
        head_normalization="group",
        extra_levels_input="P5",
        extra_levels_padding="same",
        anchor_sizes=None,
        anchor_layout="keras_cv",
        box_coder_weights=tuple(_BOX_SCALE_FACTORS),
        normalization="symmetric",
        image_resize=None,
        freeze_batch_norm=False,
        post_processing="keras_cv",
        head_norm_epsilon=1e-3,
        synchronized_batch_norm=False,
        **kwargs,
    ):
        if isinstance(backbone, dict):
            backbone = utils.deserialize_backbone(backbone)
        pyramid = utils.check_backbone(backbone, "RetinaNet")
        if (
            isinstance(head_norm_epsilon, bool)
            or not isinstance(head_norm_epsilon, (int, float))
            or head_norm_epsilon <= 0
        ):
            raise ValueError(
                "`head_norm_epsilon` must be a positive float (1e-3, Keras' "
                "GroupNormalization default; torchvision's GroupNorm uses 1e-5). "
                f"Received: head_norm_epsilon={head_norm_epsilon!r}."
            )
        name = "RetinaNet"
        tv.check_choice(head_normalization, ("group", None), "head_normalization", name)
        tv.check_choice(extra_levels_input, ("P5", "C5"), "extra_levels_input", name)
        tv.check_choice(
            extra_levels_padding, ("same", "symmetric"), "extra_levels_padding", name
        )
        image_resize, box_coder_weights = check_options(
            name,
            anchor_layout,
            normalization,
            post_processing,
            image_resize,
            box_coder_weights,
            freeze_batch_norm,
        )
        utils.check_num_classes(num_classes)
        bounding_box_format = converters.validate_format(bounding_box_format)
        if max_level not in (5, 6, 7):
            raise ValueError(
                f"`max_level` must be 5, 6 or 7. Received: max_level={max_level!r}."
            )
        if head_convolution not in HEAD_CONVOLUTIONS:
            raise ValueError(
                f"`head_convolution` must be one of {HEAD_CONVOLUTIONS}. "
                f"Received: head_convolution={head_convolution!r}."
            )
        synchronized_batch_norm = prepare_backbone(
            backbone, batch_norm_momentum, freeze_batch_norm, synchronized_batch_norm
        )

        images = keras.Input((None, None, 3), name="images")
        self.levels = list(range(3, max_level + 1))
        anchor_sizes = utils.check_anchor_sizes(anchor_sizes, self.levels)
        sizes_per_location = (
            len(anchor_sizes[0]) if anchor_sizes is not None else len(anchor_scales)
        )
        self.num_anchors_per_location = sizes_per_location * len(aspect_ratios)
        fpn = FeaturePyramid(
            fpn_filters,
            max_level,
            extra_input=extra_levels_input,
            extra_padding=extra_levels_padding,
            name="fpn",
        )
        groups = math.gcd(head_filters, 32)
        prior = 0.01
        class_head = _PredictionHead(
            self.num_anchors_per_location * num_classes,
            filters=head_filters,
            depth=head_depth,
            bias_initializer=keras.initializers.Constant(
                -math.log((1 - prior) / prior)
            ),
            groups=groups,
            convolution=head_convolution,
            normalization=head_normalization,
            norm_epsilon=float(head_norm_epsilon),
            name="classification_head",
        )
        box_head = _PredictionHead(
            self.num_anchors_per_location * 4,
            filters=head_filters,
            depth=head_depth,
            bias_initializer="zeros",
            groups=groups,
            convolution=head_convolution,
            normalization=head_normalization,
            norm_epsilon=float(head_norm_epsilon),
            name="box_head",
        )
        # Both heads call one graph function in a traced step (one trace,
        # optimisation and instantiation of it and its gradient).
        box_head.share_function(class_head)
        pyramid_maps = fpn(
            utils.pyramid_features(
                backbone, pyramid, images, normalization, image_resize
            )
        )
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
        self.head_convolution = head_convolution
        self.anchor_size = float(anchor_size)
        self.anchor_scales = [float(s) for s in anchor_scales]
        self.aspect_ratios = [float(r) for r in aspect_ratios]
        self.positive_threshold = float(positive_threshold)
        self.negative_threshold = float(negative_threshold)
        self.batch_norm_momentum = batch_norm_momentum
        self.synchronized_batch_norm = synchronized_batch_norm
        self.max_detections = int(max_detections)
        self.score_threshold = float(score_threshold)
        self.nms_iou_threshold = float(nms_iou_threshold)
        self.pre_nms_top_k = int(pre_nms_top_k)
        self.head_normalization = head_normalization
        self.extra_levels_input = extra_levels_input
        self.extra_levels_padding = extra_levels_padding
        self.anchor_sizes = anchor_sizes
        self.anchor_layout = anchor_layout
        self.box_coder_weights = box_coder_weights
        self.normalization = normalization
        self.image_resize = image_resize
        self.freeze_batch_norm = freeze_batch_norm
        self.post_processing = post_processing
        self.head_norm_epsilon = float(head_norm_epsilon)

        strides = [2**level for level in self.levels]
        if anchor_sizes is None:
            base_sizes = [self.anchor_size * s for s in strides]
            scales = self.anchor_scales
        else:
            base_sizes = [1.0] * len(strides)
            scales = anchor_sizes
        self.anchor_generator = AnchorGenerator(
            anchor_sizes=base_sizes,
            scales=scales,
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
            scale_factors=list(box_coder_weights), bounding_box_format="xyxy"
        )
        # The composition of the four above in one pass (same matches).
        self.target_assigner = AnchorTargetAssigner(
            positive_threshold=self.positive_threshold,
            negative_threshold=self.negative_threshold,
            force_match_for_each_col=True,
            scale_factors=list(box_coder_weights),
            background_class=-1,
            ignore_class=-1,
        )
        self.decoder = NMSDetectionDecoder(
            bounding_box_format="xyxy",
            from_logits=True,
            pre_nms_top_k=self.pre_nms_top_k,
            pre_nms_score_threshold=self.score_threshold,
            nms_iou_threshold=self.nms_iou_threshold,
            max_num_detections=self.max_detections,
            box_scale_factors=list(box_coder_weights),
        )

    presets = torchvision_presets.names("RetinaNet")

    @classmethod
    def from_preset(cls, directory, load_weights=True, **config_overrides):
        """Loads a RetinaNet from a preset directory or a named preset.

        Named presets (`RetinaNet.presets`) are torchvision's COCO weights:
        `"retinanet_resnet50_fpn_coco"` (torchvision's
        `retinanet_resnet50_fpn`, COCO box AP 36.4) and
        `"retinanet_resnet50_fpn_v2_coco"` (`retinanet_resnet50_fpn_v2`,
        41.5). The weight file is
        downloaded once from torchvision's URL (verified by the sha256
        prefix in its name), converted by
        `keras_cv.convert.from_torchvision` and cached as a preset in
        `$KERAS_HOME/presets/torchvision/`; later calls, also offline, load
        the cached preset. The model takes images of any size with pixel
        values in [0, 255], resizes them as torchvision does and returns
        boxes in the pixels of the given images; its 91 labels are COCO's
        category ids (0 is torchvision's unused background index).

        Args:
            directory: a preset name, a local preset directory or
                `"hf://<org>/<name>[@<revision>]"`.
            load_weights: whether to load the saved weights.
            **config_overrides: config entries to replace, e.g.
                `score_threshold=0.5` or `bounding_box_format="xywh"`.

        Example:

        ```python
        model = keras_cv.models.RetinaNet.from_preset("retinanet_resnet50_fpn_coco")
        detections = model.predict(images)  # {"boxes", "scores", "labels", ...}
        ```
        """
        return super().from_preset(
            directory, load_weights=load_weights, **config_overrides
        )

    @property
    def anchor_levels(self):
        """The pyramid levels that have anchors (3 to `max_level`)."""
        return self.levels

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
            classification_loss: `"focal"` (`keras_cv.losses.FocalLoss`
                with alpha 0.25, gamma 2, from logits) or a loss object
                taking `(one_hot_targets, logits)`. A `keras_cv.losses`
                loss gives one value per anchor (summed over classes); any
                other (Keras' losses average over classes) is multiplied
                by `num_classes` to give that sum.
            box_loss: `"smoothl1"` (`keras_cv.losses.SmoothL1Loss` with
                cutoff 1 on encoded offsets) or a loss object taking
                `(encoded_targets, offsets)`, summed over the 4 offsets in
                the same way.
            box_loss_weight: weight of the box loss in the total.
            **kwargs: other `keras.Model.compile` arguments (`metrics`,
                `jit_compile`, ...). `loss` is not accepted: the model
                computes its own. Compiled metrics see the raw outputs, so
                `COCOMeanAveragePrecision` is refused there; evaluate with
                `keras_cv.callbacks.COCOEvaluation` instead.
        """
        utils.check_compile_metrics("RetinaNet", kwargs)
        if "loss" in kwargs:
            raise ValueError(
                "RetinaNet computes its own loss; pass `classification_loss` "
                "and `box_loss` instead of `loss`. Received: "
                f"loss={kwargs['loss']!r}."
            )
        optimizer = distribution.resolve_optimizer(
            self,
            optimizer,
            lambda: Adam(learning_rate=1e-3, global_clipnorm=10.0),
        )
        if classification_loss == "focal":
            classification_loss = FocalLoss(
                alpha=0.25, gamma=2.0, from_logits=True, reduction=None
            )
        elif isinstance(classification_loss, str):
            raise ValueError(
                "`classification_loss` must be 'focal' or a Keras loss object. "
                f"Received: {classification_loss!r}."
            )
        if box_loss == "smoothl1":
            box_loss = SmoothL1Loss(cutoff=1.0, reduction=None)
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
        boxes, labels = utils.ground_truth(
            images, bounding_boxes, self.bounding_box_format, "RetinaNet"
        )
        return self._encode(images, boxes, labels)

    def _encode(self, images, boxes, labels):
        boxes = self._to_model_input(images, boxes)
        anchors = self._anchors(images)
        # IouSimilarity (padding masked), BoxMatcher (force-matching),
        # TargetGather and BoxCoder, fused: see `AnchorTargetAssigner`.
        targets = self.target_assigner(anchors, boxes, labels)
        indicators = targets["match_indicators"]
        positive = indicators == 1
        ignored = indicators == -2
        # -1 (no class) for negative and ignored anchors.
        class_targets = tf.one_hot(targets["class_targets"], self.num_classes)
        box_targets = tf.where(positive[..., None], targets["box_targets"], 0.0)
        class_weights = tf.cast(~ignored, "float32")
        box_weights = tf.cast(positive, "float32")
        return class_targets, box_targets, class_weights, box_weights

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        boxes, labels = utils.ground_truth(
            x, y, self.bounding_box_format, "RetinaNet", self.num_classes
        )
        class_targets, box_targets, class_weights, box_weights = self._encode(
            x, boxes, labels
        )
        # Positives of the global batch: under a tf.distribute strategy each
        # replica's loss is its share of the global loss (see `distribution`).
        num_positive = distribution.global_normaliser(box_weights)
        cls_loss = _per_anchor(
            self.classification_loss,
            class_targets,
            tf.cast(y_pred["classification"], "float32"),
        )
        cls_loss = tf.reduce_sum(cls_loss * class_weights) / num_positive
        box_loss = _per_anchor(
            self.box_loss, box_targets, tf.cast(y_pred["box"], "float32")
        )
        box_loss = tf.reduce_sum(box_loss * box_weights) / num_positive
        total = cls_loss + self.box_loss_weight * box_loss
        losses = self.losses
        if losses:
            total = total + distribution.replica_share(
                tf.add_n([tf.cast(x, "float32") for x in losses])
            )
        return total

    # ------------------------------------------------------------------ predict
    def decode_predictions(self, raw_outputs, images):
        """Turns raw outputs into final detections (decoding and NMS).

        With `post_processing="keras_cv"`, uses
        `keras_cv.layers.NMSDetectionDecoder` (per-class NMS over the
        `pre_nms_top_k` best anchors of the image); with `"torchvision"`,
        torchvision's RetinaNet post-processing (score threshold, the
        `pre_nms_top_k` best of each level, per-class NMS). Boxes are
        clipped to the (resized) images and, with `image_resize`, mapped
        back to the size of `images`.
        """
        height, width = self._input_size(images)
        fheight = tf.cast(height, "float32")
        fwidth = tf.cast(width, "float32")
        box = tf.cast(raw_outputs["box"], "float32")
        logits = tf.cast(raw_outputs["classification"], "float32")
        if self.post_processing == "torchvision":
            boxes, scores, labels, num = tv.postprocess_retinanet(
                box,
                logits,
                self._level_anchors(images),
                fheight,
                fwidth,
                self.box_coder_weights,
                self.score_threshold,
                self.pre_nms_top_k,
                self.nms_iou_threshold,
                self.max_detections,
            )
        else:
            out = self.decoder(
                box,
                logits,
                self._anchors(images),
                image_shape=tf.stack([fheight, fwidth]),
            )
            boxes, scores = out["boxes"], out["scores"]
            labels, num = out["labels"], out["num_detections"]
        boxes = self._map_back(boxes, images, height, width)
        return utils.format_detections(
            boxes, scores, labels, num, images, self.bounding_box_format
        )

    def get_config(self):
        return {
            **super().get_config(),
            "max_level": self.max_level,
            "fpn_filters": self.fpn_filters,
            "head_filters": self.head_filters,
            "head_depth": self.head_depth,
            "head_convolution": self.head_convolution,
            "positive_threshold": self.positive_threshold,
            "negative_threshold": self.negative_threshold,
            "pre_nms_top_k": self.pre_nms_top_k,
            "head_normalization": self.head_normalization,
            "extra_levels_input": self.extra_levels_input,
            "extra_levels_padding": self.extra_levels_padding,
            "head_norm_epsilon": self.head_norm_epsilon,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        # Models saved before `head_convolution` existed have dense heads.
        config.setdefault("head_convolution", "dense")
        return super().from_config(config)
