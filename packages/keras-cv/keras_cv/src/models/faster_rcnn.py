# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Faster R-CNN: a two-stage detector with a feature pyramid."""

import math

import keras
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.feature_pyramid import FeaturePyramid
from keras_cv.src.layers.iou_similarity import IouSimilarity
from keras_cv.src.layers.proposal_sampler import ProposalSampler
from keras_cv.src.layers.roi_box_head import ROIBoxHead
from keras_cv.src.layers.roi_filter import ROIFilter
from keras_cv.src.layers.roi_pooler import ROIPooler
from keras_cv.src.layers.rpn_head import RPNHead
from keras_cv.src.models import detection_utils as utils
from keras_cv.src.models import distribution
from keras_cv.src.models import torchvision_compat as tv
from keras_cv.src.models import torchvision_presets
from keras_cv.src.models.detector import Detector
from keras_cv.src.models.detector import check_options
from keras_cv.src.models.detector import prepare_backbone
from keras_cv.src.models.optimizer import Adam
from keras_cv.src.ops.anchor_generator import AnchorGenerator
from keras_cv.src.ops.anchor_labeler import AnchorLabeler
from keras_cv.src.ops.box_coder import BoxCoder
from keras_cv.src.ops.box_matcher import BoxMatcher

_ROI_SCALE_FACTORS = [10.0, 10.0, 5.0, 5.0]


def _check_fpn_inputs(fpn_inputs, model_name):
    if fpn_inputs is None:
        return None
    if (
        not isinstance(fpn_inputs, (list, tuple))
        or not fpn_inputs
        or not all(isinstance(n, str) for n in fpn_inputs)
    ):
        raise ValueError(
            f"`fpn_inputs` of {model_name} must be None or a non-empty list of "
            "backbone feature names (pyramid levels such as 'P4' or layer "
            "names), finest first, e.g. ('expanded_conv_12', 'P5'). "
            f"Received: fpn_inputs={fpn_inputs!r}."
        )
    return list(fpn_inputs)


def _check_probability(value, argument, model_name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not (0.0 <= value < 1.0)
    ):
        raise ValueError(
            f"`{argument}` of {model_name} must be a probability in [0, 1). "
            f"Received: {argument}={value!r}."
        )
    return float(value)


def _backbone_features(backbone, pyramid, names, model_name):
    """The backbone tensors named by `fpn_inputs` and their pyramid levels.

    A name is a key of `pyramid_outputs` or a layer name; each level is
    read from the output size on a probe input of 256 x 256 pixels.
    """
    tensors = []
    for name in names:
        if name in pyramid:
            tensors.append(pyramid[name])
            continue
        try:
            layer = backbone.get_layer(name)
        except ValueError:
            layer = None
        if layer is None:
            raise ValueError(
                f"`fpn_inputs` of {model_name}: the backbone '{backbone.name}' "
                f"has no pyramid level or layer named {name!r}. Its pyramid "
                f"levels are {sorted(pyramid)}. Received: fpn_inputs={names!r}."
            )
        tensors.append(layer.output)
    shape = tuple(backbone.inputs[0].shape)
    size = (shape[1] or 256, shape[2] or 256)
    probe = keras.Model(backbone.inputs, tensors)
    specs = probe.compute_output_spec(keras.KerasTensor((1, *size, shape[3])))
    levels = []
    for spec in specs:
        stride = size[0] / spec.shape[1]
        level = int(round(math.log2(stride)))
        levels.append(level)
    if (
        not all(2 <= v <= 5 for v in levels)
        or levels[-1] != 5
        or not all(b - a in (0, 1) for a, b in zip(levels, levels[1:]))
    ):
        strides = [2**v for v in levels]
        raise ValueError(
            f"`fpn_inputs` of {model_name} must be backbone features of "
            "strides 4 to 32, finest first, each the same as the previous "
            "one's or twice it, the last of stride 32. Received: "
            f"fpn_inputs={names!r}, of strides {strides}."
        )
    return tensors, levels


def _smooth_l1(targets, predictions):
    diff = tf.abs(targets - predictions)
    return tf.reduce_sum(tf.where(diff < 1.0, 0.5 * diff * diff, diff - 0.5), axis=-1)


@api_export(
    "keras_cv.models.FasterRCNN",
    stability="stable",
    rfc=utils.MODELS_RFC,
)
class FasterRCNN(Detector, keras.Model):
    """Faster R-CNN two-stage object detector with a feature pyramid.

    Stage one, the region proposal network (RPN), scores every anchor of
    the pyramid levels P3-P6 as object or background and refines it; the
    `ROIFilter` keeps the best non-overlapping proposals. Stage two pools a
    7x7 grid of features for each proposal with `ROIPooler` (from P3, P4 or
    P5 by size) and a small fully connected head classifies it (with a
    background class) and refines its box for each class.

    Training is approximate joint training in one `train_step`: RPN
    targets come from an `AnchorLabeler` on the anchors (256 sampled, up to
    half positive); proposals are decoded from the RPN outputs without
    gradient, the ground-truth boxes are added to them, and a second
    `AnchorLabeler` picks 128 of them (up to a quarter positive) for the
    region head. The four losses (RPN objectness and boxes, region classes
    and boxes) are summed. `predict` returns final detections in the same
    format as `RetinaNet`; `export` serves them from uint8 images.

    Like `RetinaNet`, the backbone's BatchNormalization layers get
    `batch_norm_momentum` so that a model trained from scratch for a few
    hundred steps scores in inference mode what it scores in training.

    Images are float pixel values in [0, 255] of any size (padded inside at
    the bottom and right to a multiple of 32).

    Reference: [Faster R-CNN](https://arxiv.org/abs/1506.01497) and
    [Feature Pyramid Networks](https://arxiv.org/abs/1612.03144).

    Args:
        backbone: a `keras_applications` backbone (or any Keras model with
            `pyramid_outputs` P3, P4, P5), built with
            `input_shape=(None, None, 3)`.
        num_classes: number of object classes (no background class).
        bounding_box_format: the format of the boxes given to `fit` and
            returned by `predict`, e.g. `"xyxy"`.
        fpn_filters: channels of the feature pyramid and of the RPN.
        head_units: width of the two dense layers of the region head.
        anchor_size: anchor side at scale 1, in units of the level stride.
        anchor_scales: anchor scales at each location.
        aspect_ratios: anchor width/height ratios at each location.
        rpn_batch_size: anchors sampled per image for the RPN loss.
        roi_batch_size: proposals sampled per image for the head loss.
        num_proposals: proposals kept per image in training.
        test_num_proposals: proposals kept per image at inference.
        batch_norm_momentum: momentum set on every BatchNormalization layer
            of the backbone, or `None` to leave them as they are.
        synchronized_batch_norm: if True, the backbone's BatchNormalization
            layers compute their batch statistics over the global batch when
            trained under a `tf.distribute` strategy (an all-reduce per
            layer) instead of over each replica's share. Use it when the
            batch per replica is small; it changes nothing on one device.
        max_detections: most detections returned per image.
        score_threshold: lowest score of a returned detection.
        nms_iou_threshold: IoU above which the final per-class NMS drops
            the lower-scoring box.
        seed: seed of the proposal samplers.
        min_level: the finest pyramid level, 3 (default, P3-P6 for the
            RPN, P3-P5 for pooling) or 2 (P2-P6 / P2-P5, as torchvision;
            needs the backbone's P2).
        extra_level: how P6 is made: `"conv"` (default, a stride-2
            convolution on P5) or `"max_pool"` (P5 subsampled by two,
            torchvision's `LastLevelMaxPool`).
        anchor_sizes: None (default: `anchor_size * stride * scale`) or one
            list of anchor sizes in pixels per RPN level, e.g. torchvision's
            `((32,), (64,), (128,), (256,), (512,))`.
        anchor_layout: `"keras_cv"` (default) or `"torchvision"`; see
            `RetinaNet`.
        box_coder_weights: divisors `(wx, wy, ww, wh)` of the region head's
            box offsets, `(10, 10, 5, 5)` by default (also torchvision's).
        normalization: `"symmetric"` (default, `x / 127.5 - 1`) or
            `"imagenet"` (torchvision's ImageNet mean and std).
        image_resize: None (default) or `(min_size, max_size)`: resize
            inside the model as torchvision (see `RetinaNet`); boxes are
            returned in the pixels of the given images.
        freeze_batch_norm: freeze the backbone's batch normalizations
            (torchvision's `FrozenBatchNorm2d`). Defaults to False.
        post_processing: `"keras_cv"` (default) or `"torchvision"`: at
            inference, torchvision's proposal filtering (the
            `rpn_pre_nms_top_k` best anchors of each level, clipping,
            NMS at 0.7 per level, `test_num_proposals` kept), its
            `MultiScaleRoIAlign` (sampling ratio 2, `aligned=False`, level
            `floor(4 + log2(sqrt(area) / 224))`) and its detection
            post-processing (softmax, per-class boxes, score threshold,
            per-class NMS, `max_detections`). Training uses our samplers
            in both modes.
        rpn_pre_nms_top_k: anchors kept per level before the proposal NMS
            with `post_processing="torchvision"` (1000).
        fpn_normalization: `None` (default) or `"batch"`: batch
            normalization after the feature pyramid's lateral and output
            convolutions (see `keras_cv.layers.FeaturePyramid`).
        rpn_depth: number of shared 3x3 convolutions of the RPN head (1;
            see `keras_cv.layers.RPNHead`).
        head_conv_depth: number of 3x3 convolutions (of `fpn_filters`
            channels) of the region head before its dense layers (0; see
            `keras_cv.layers.ROIBoxHead`).
        head_dense_depth: number of dense layers of `head_units` in the
            region head (2).
        head_normalization: `None` (default) or `"batch"`: batch
            normalization after the region head's convolutions.
        norm_epsilon: epsilon of the batch normalizations of the feature
            pyramid and heads (1e-3; PyTorch's 1e-5). Their momentum is
            0.9 (PyTorch's 0.1).
        rpn_score_threshold: with `post_processing="torchvision"`, the
            lowest objectness probability of a proposal at inference
            (torchvision's `rpn_score_thresh`). Defaults to 0 (all kept).
        fpn_inputs: None (default: the backbone's pyramid levels
            P`min_level`-P5) or the backbone features that feed the feature
            pyramid, finest first, each a level of the backbone's
            `pyramid_outputs` (`"P4"`) or the name of one of its layers
            (that layer's output); their strides are read from the
            backbone and must be 4 to 32, each the same as the previous
            one's or twice it, the last 32. The RPN then runs on one
            pyramid map per input plus P6, and the region head pools from
            the first map of each stride. torchvision's MobileNetV3-Large
            FPN uses `("expanded_conv_12", "P5")` of
            `keras_applications.MobileNetV3Large(variant="torchvision")`:
            the first block of stride 32 and the last convolution, two maps
            of stride 32 (`min_level` is then not used).

    `keras_cv.convert.from_torchvision(path, "fasterrcnn_resnet50_fpn")`
    (or `"fasterrcnn_mobilenet_v3_large_fpn"`) sets all of these to
    reproduce torchvision's model;
    `"fasterrcnn_resnet50_fpn_v2"` adds torchvision's v2 architecture
    (`fpn_normalization="batch"`, `rpn_depth=2`, `head_conv_depth=4`,
    `head_dense_depth=1`, `head_normalization="batch"`,
    `norm_epsilon=1e-5`, a backbone with trainable batch norms).

    Call arguments:
        images: float tensor `(batch, height, width, 3)`.
        training: whether the model runs in training mode.

    Returns (of `call`):
        A dict of raw outputs: `"rpn_box"` `(batch, num_anchors, 4)` and
        `"rpn_classification"` `(batch, num_anchors)` for the RPN,
        `"rois"` `(batch, test_num_proposals, 4)` the proposals (xyxy),
        `"box"` `(batch, test_num_proposals, num_classes, 4)` and
        `"classification"` `(batch, test_num_proposals, num_classes + 1)`
        (class 0 is background) for the region head. `predict` and
        `predict_on_batch` return `{"boxes", "scores", "labels",
        "num_detections"}` instead, padded with -1 labels (and -1 boxes,
        0 scores) past `num_detections`.

    Examples:

    >>> import keras_applications, keras_cv
    >>> backbone = keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))
    >>> model = keras_cv.models.FasterRCNN(backbone, num_classes=3, fpn_filters=16,
    ...                                    head_units=32, test_num_proposals=20)
    >>> images = np.zeros((1, 64, 64, 3), "float32")
    >>> targets = {"boxes": np.array([[[8.0, 8.0, 40.0, 40.0]]]), "labels": np.array([[1]])}
    >>> losses = model.compute_losses(images, targets, training=True)  # what fit minimizes
    >>> sorted(losses)
    ['loss', 'roi_box_loss', 'roi_class_loss', 'rpn_box_loss', 'rpn_class_loss']
    >>> detections = model.decode_predictions(model(images), images)  # what predict returns
    >>> sorted(detections), tuple(detections["boxes"].shape)
    (['boxes', 'labels', 'num_detections', 'scores'], (1, 100, 4))

    Training and serving: `model.compile(optimizer="adam")`,
    `model.fit(dataset)` on `{"images", "bounding_boxes"}` batches,
    `model.predict(images)`, `model.export("served/")`.
    """

    def __init__(
        self,
        backbone,
        num_classes,
        bounding_box_format="xyxy",
        fpn_filters=256,
        head_units=1024,
        anchor_size=3.0,
        anchor_scales=(1.0, 2**0.5),
        aspect_ratios=(0.5, 1.0, 2.0),
        rpn_batch_size=256,
        roi_batch_size=128,
        num_proposals=512,
        test_num_proposals=300,
        batch_norm_momentum=0.9,
        max_detections=100,
        score_threshold=0.05,
        nms_iou_threshold=0.5,
        seed=None,
        min_level=3,
        extra_level="conv",
        anchor_sizes=None,
        anchor_layout="keras_cv",
        box_coder_weights=tuple(_ROI_SCALE_FACTORS),
        normalization="symmetric",
        image_resize=None,
        freeze_batch_norm=False,
        post_processing="keras_cv",
        rpn_pre_nms_top_k=1000,
        synchronized_batch_norm=False,
        fpn_normalization=None,
        rpn_depth=1,
        head_conv_depth=0,
        head_dense_depth=2,
        head_normalization=None,
        norm_epsilon=1e-3,
        rpn_score_threshold=0.0,
        fpn_inputs=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(backbone, dict):
            backbone = utils.deserialize_backbone(backbone)
        pyramid = utils.check_backbone(backbone, "FasterRCNN")
        utils.check_num_classes(num_classes)
        name = type(self).__name__
        tv.check_choice(min_level, (2, 3), "min_level", name)
        tv.check_choice(extra_level, ("conv", "max_pool"), "extra_level", name)
        tv.check_choice(fpn_normalization, (None, "batch"), "fpn_normalization", name)
        tv.check_choice(head_normalization, (None, "batch"), "head_normalization", name)
        for argument, value, minimum in (
            ("rpn_depth", rpn_depth, 1),
            ("head_conv_depth", head_conv_depth, 0),
            ("head_dense_depth", head_dense_depth, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ValueError(
                    f"`{argument}` of {name} must be an int >= {minimum}. "
                    f"Received: {argument}={value!r}."
                )
        if (
            isinstance(norm_epsilon, bool)
            or not isinstance(norm_epsilon, (int, float))
            or norm_epsilon < 0
        ):
            raise ValueError(
                f"`norm_epsilon` of {name} must be a non-negative number (the "
                "epsilon of the feature pyramid's and heads' batch "
                f"normalizations). Received: norm_epsilon={norm_epsilon!r}."
            )
        self.image_resize, self.box_coder_weights = check_options(
            name,
            anchor_layout,
            normalization,
            post_processing,
            image_resize,
            box_coder_weights,
            freeze_batch_norm,
        )
        if min_level == 2 and "P2" not in pyramid:
            raise ValueError(
                f"`min_level=2` needs the backbone's pyramid level P2 (stride 4); "
                f"the backbone '{backbone.name}' has {sorted(pyramid)}."
            )
        self.min_level = min_level
        self.extra_level = extra_level
        self.fpn_inputs = _check_fpn_inputs(fpn_inputs, name)
        if self.fpn_inputs is None:
            features, input_levels = None, None
            self.rpn_levels = list(range(min_level, 7))
        else:
            features, input_levels = _backbone_features(
                backbone, pyramid, self.fpn_inputs, name
            )
            self.rpn_levels = input_levels + [6]
        self.roi_levels = sorted(set(self.rpn_levels) - {6})
        self.rpn_score_threshold = _check_probability(
            rpn_score_threshold, "rpn_score_threshold", name
        )
        self.anchor_sizes = utils.check_anchor_sizes(anchor_sizes, self.rpn_levels)
        self.anchor_layout = anchor_layout
        self.normalization = normalization
        self.post_processing = post_processing
        self.freeze_batch_norm = freeze_batch_norm
        self.rpn_pre_nms_top_k = int(rpn_pre_nms_top_k)
        self.fpn_normalization = fpn_normalization
        self.rpn_depth = rpn_depth
        self.head_conv_depth = head_conv_depth
        self.head_dense_depth = head_dense_depth
        self.head_normalization = head_normalization
        self.norm_epsilon = float(norm_epsilon)
        self.backbone = backbone
        self.num_classes = num_classes
        self.bounding_box_format = converters.validate_format(bounding_box_format)
        self.fpn_filters = int(fpn_filters)
        self.head_units = int(head_units)
        self.anchor_size = float(anchor_size)
        self.anchor_scales = [float(s) for s in anchor_scales]
        self.aspect_ratios = [float(r) for r in aspect_ratios]
        self.rpn_batch_size = int(rpn_batch_size)
        self.roi_batch_size = int(roi_batch_size)
        self.num_proposals = int(num_proposals)
        self.test_num_proposals = int(test_num_proposals)
        self.batch_norm_momentum = batch_norm_momentum
        self.max_detections = int(max_detections)
        self.score_threshold = float(score_threshold)
        self.nms_iou_threshold = float(nms_iou_threshold)
        self.seed = seed
        self.synchronized_batch_norm = prepare_backbone(
            backbone, batch_norm_momentum, freeze_batch_norm, synchronized_batch_norm
        )

        # Stage one as a Functional model: pyramid maps and dense RPN outputs.
        sizes = (
            len(self.anchor_sizes[0]) if self.anchor_sizes else len(self.anchor_scales)
        )
        num_anchors = sizes * len(self.aspect_ratios)
        self.num_anchors_per_location = num_anchors
        images = keras.Input((None, None, 3), name="images")
        maps = FeaturePyramid(
            self.fpn_filters,
            max(self.rpn_levels),
            min_level=min_level,
            extra_type=extra_level,
            normalization=fpn_normalization,
            norm_epsilon=self.norm_epsilon,
            input_levels=input_levels,
            name="fpn",
        )(
            utils.pyramid_features(
                backbone,
                pyramid,
                images,
                normalization,
                self.image_resize,
                min_level=min_level,
                features=features,
            )
        )
        # The heads' layers go into the Functional models directly (through
        # `apply_layers`), so that their weights keep the paths of the files
        # saved before the heads were public layers.
        rpn_head = RPNHead(num_anchors, filters=self.fpn_filters, depth=rpn_depth)
        logits, deltas = [], []
        for p in maps:
            level_logits, level_deltas = rpn_head.apply_layers(p)
            logits.append(keras.layers.Reshape((-1,))(level_logits))
            deltas.append(keras.layers.Reshape((-1, 4))(level_deltas))
        outputs = {}
        for level, m in zip(self.rpn_levels, maps):
            # The first map of each level, as torchvision's RoI pooling.
            if level in self.roi_levels and f"P{level}" not in outputs:
                outputs[f"P{level}"] = m
        outputs["rpn_classification"] = keras.layers.Concatenate(axis=1)(logits)
        outputs["rpn_box"] = keras.layers.Concatenate(axis=1)(deltas)
        self.stage_one = keras.Model(images, outputs, name="stage_one")

        # Stage two: the region head on pooled 7x7 grids.
        pooled = keras.Input((7, 7, self.fpn_filters), name="pooled")
        box_head = ROIBoxHead(
            num_classes,
            units=self.head_units,
            conv_depth=head_conv_depth,
            conv_filters=self.fpn_filters,
            dense_depth=head_dense_depth,
            normalization=head_normalization,
            norm_epsilon=self.norm_epsilon,
        )
        head_cls, head_box = box_head.apply_layers(pooled)
        self.roi_head = keras.Model(pooled, [head_cls, head_box], name="roi_head")

        strides = [2**level for level in self.rpn_levels]
        if self.anchor_sizes is None:
            base_sizes = [self.anchor_size * s for s in strides]
            scales = self.anchor_scales
        else:
            base_sizes = [1.0] * len(strides)
            scales = self.anchor_sizes
        self.anchor_generator = AnchorGenerator(
            anchor_sizes=base_sizes,
            scales=scales,
            aspect_ratios=self.aspect_ratios,
            strides=strides,
        )
        self.rpn_coder = BoxCoder()
        self.roi_coder = BoxCoder(scale_factors=list(self.box_coder_weights))
        self.rpn_labeler = AnchorLabeler(
            ProposalSampler(0.5, self.rpn_batch_size, seed=seed),
            BoxMatcher(
                positive_threshold=0.7,
                negative_threshold=0.3,
                force_match_for_each_col=True,
            ),
            IouSimilarity(),
            self.rpn_coder,
            background_label=0,
        )
        self.roi_labeler = AnchorLabeler(
            ProposalSampler(
                0.25, self.roi_batch_size, seed=None if seed is None else seed + 1
            ),
            BoxMatcher(positive_threshold=0.5, negative_threshold=0.5),
            IouSimilarity(),
            self.roi_coder,
            background_label=0,
        )
        self.roi_filter = ROIFilter(
            pre_nms_top_k=2000,
            nms_iou_threshold=0.7,
            num_proposals=self.num_proposals,
            test_pre_nms_top_k=1000,
            test_nms_iou_threshold=0.7,
            test_num_proposals=self.test_num_proposals,
            pre_nms_min_size_threshold=1.0,
            test_pre_nms_min_size_threshold=1.0,
        )
        self.roi_pooler = ROIPooler(
            output_size=(7, 7), canonical_size=112.0, canonical_level=4
        )
        self.loss_trackers = {
            name: keras.metrics.Mean(name=name)
            for name in (
                "loss",
                "rpn_class_loss",
                "rpn_box_loss",
                "roi_class_loss",
                "roi_box_loss",
            )
        }
        self.built = True

    # ---------------------------------------------------------------- forward
    presets = torchvision_presets.names("FasterRCNN")

    @classmethod
    def from_preset(cls, directory, load_weights=True, **config_overrides):
        """Loads a model from a preset directory or a named preset.

        Named presets (`FasterRCNN.presets`) are torchvision's COCO weights:
        `"faster_rcnn_resnet50_fpn_coco"` (torchvision's
        `fasterrcnn_resnet50_fpn`, COCO box AP 37.0),
        `"faster_rcnn_mobilenet_v3_large_fpn_coco"`
        (`fasterrcnn_mobilenet_v3_large_fpn`, box AP 32.8) and
        `"faster_rcnn_mobilenet_v3_large_320_fpn_coco"` (its 320-pixel
        version, box AP 22.8), downloaded once from
        torchvision's URL (verified by the sha256 prefix in its name),
        converted by `keras_cv.convert.from_torchvision` and cached as a
        preset in `$KERAS_HOME/presets/torchvision/`. Its 90 labels are
        torchvision's COCO category ids minus one.

        Args:
            directory: a preset name, a local preset directory or
                `"hf://<org>/<name>[@<revision>]"`.
            load_weights: whether to load the saved weights.
            **config_overrides: config entries to replace, e.g.
                `score_threshold=0.5`.

        Example:

        ```python
        model = keras_cv.models.FasterRCNN.from_preset("faster_rcnn_resnet50_fpn_coco")
        detections = model.predict(images)
        ```
        """
        return super().from_preset(
            directory, load_weights=load_weights, **config_overrides
        )

    @property
    def anchor_levels(self):
        """The pyramid levels that have anchors (the RPN's)."""
        return self.rpn_levels

    def _proposals(self, images, stage_one, training):
        if self.post_processing == "torchvision" and not training:
            height, width = self._input_size(images)
            level_anchors = self._level_anchors(images)
            rois, _ = tv.rpn_proposals(
                tf.cast(tf.stop_gradient(stage_one["rpn_box"]), "float32"),
                tf.cast(tf.stop_gradient(stage_one["rpn_classification"]), "float32"),
                level_anchors,
                tf.cast(height, "float32"),
                tf.cast(width, "float32"),
                self.rpn_pre_nms_top_k,
                0.7,
                self.test_num_proposals,
                score_threshold=self.rpn_score_threshold,
            )
            return tf.concat(level_anchors, axis=0), rois
        anchors = self._anchors(images)
        boxes = self.rpn_coder.decode(
            tf.stop_gradient(stage_one["rpn_box"]), anchors[None]
        )
        height, width = self._input_size(images)
        rois, _ = self.roi_filter(
            boxes,
            tf.stop_gradient(stage_one["rpn_classification"]),
            image_shape=tf.stack([height, width]),
            training=training,
        )
        return anchors, rois

    def _head(self, stage_one, rois, training):
        if self.post_processing == "torchvision":
            # torchvision's MultiScaleRoIAlign (sampling ratio 2, aligned=False).
            pooled = tv.multi_scale_roi_align(
                [stage_one[f"P{k}"] for k in self.roi_levels], rois, self.roi_levels
            )
        else:
            pooled = self.roi_pooler(
                {f"P{k}": stage_one[f"P{k}"] for k in self.roi_levels}, rois
            )
        batch, num = tf.shape(rois)[0], tf.shape(rois)[1]
        flat = tf.reshape(pooled, [-1, 7, 7, self.fpn_filters])
        logits, deltas = self.roi_head(flat, training=training)
        logits = tf.reshape(logits, [batch, num, self.num_classes + 1])
        deltas = tf.reshape(deltas, [batch, num, self.num_classes, 4])
        return logits, deltas

    def call(self, images, training=None):
        stage_one = self.stage_one(images, training=training)
        _, rois = self._proposals(images, stage_one, training)
        logits, deltas = self._head(stage_one, rois, training)
        return {
            "rpn_box": stage_one["rpn_box"],
            "rpn_classification": stage_one["rpn_classification"],
            "rois": rois,
            "box": deltas,
            "classification": logits,
        }

    # ----------------------------------------------------------------- losses
    def compile(self, optimizer="adam", **kwargs):
        """Configures training; the model computes its own four losses.

        Args:
            optimizer: any Keras optimizer or name. With `"adam"` the learning
                rate is 1e-3 and gradients are clipped to norm 10.
            **kwargs: other `keras.Model.compile` arguments (`jit_compile`,
                ...). `loss` is not accepted. Compiled metrics see the raw
                outputs, so `COCOMeanAveragePrecision` is refused there;
                evaluate with `keras_cv.callbacks.COCOEvaluation` instead.
        """
        utils.check_compile_metrics("FasterRCNN", kwargs)
        if "loss" in kwargs:
            raise ValueError(
                "FasterRCNN computes its own losses (RPN and region head); do "
                f"not pass `loss`. Received: loss={kwargs['loss']!r}."
            )
        optimizer = distribution.resolve_optimizer(
            self,
            optimizer,
            lambda: Adam(learning_rate=1e-3, global_clipnorm=10.0),
        )
        super().compile(optimizer=optimizer, **kwargs)

    def _ground_truth(self, images, bounding_boxes):
        boxes, labels = utils.ground_truth(
            images,
            bounding_boxes,
            self.bounding_box_format,
            type(self).__name__,
            self.num_classes,
        )
        valid = labels >= 0
        boxes = tf.where(valid[..., None], boxes, 0.0)
        return boxes, labels, valid

    def compute_losses(self, images, bounding_boxes, training=False):
        """Returns the four losses of a batch as a dict (and their sum).

        Args:
            images: float images `(batch, height, width, 3)`.
            bounding_boxes: `{"boxes", "labels"}` in `bounding_box_format`,
                -1 labels for padding.
            training: run in training mode (fresh samples, training-time
                proposal settings, BatchNorm batch statistics).

        Returns:
            A dict with `"rpn_class_loss"`, `"rpn_box_loss"`,
            `"roi_class_loss"`, `"roi_box_loss"` and their sum `"loss"`.
        """
        losses, _ = self._losses_and_samples(images, bounding_boxes, training)
        return self._with_total(losses)

    def _losses_and_samples(self, images, bounding_boxes, training):
        """The four losses, and what the region head was trained on.

        Subclasses that add heads on the sampled proposals (MaskRCNN) use
        the second dict: `"stage_one"` outputs, `"gt_boxes"` (xyxy),
        `"gt_labels"` (-1 padding), `"sampled_rois"` `[B, S, 4]` (positives
        first), `"class_targets"` `[B, S]` (0 background, label + 1) and
        `"taken"` `[B, S]` (1 for a real sample).
        """
        images = tf.cast(images, "float32")
        gt_boxes, labels, valid = self._ground_truth(images, bounding_boxes)
        gt_boxes = tf.where(
            valid[..., None], self._to_model_input(images, gt_boxes), 0.0
        )
        stage_one = self.stage_one(images, training=training)
        anchors, rois = self._proposals(images, stage_one, training)

        # Stage one: objectness and anchor refinements on sampled anchors.
        objectness = tf.where(valid, 1, -1)
        rpn = self.rpn_labeler.label(anchors, gt_boxes, objectness, training=training)
        rpn_weights = rpn["class_weights"]
        rpn_norm = distribution.global_normaliser(rpn_weights)
        rpn_logits = tf.cast(stage_one["rpn_classification"], "float32")
        rpn_cls = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(rpn["class_targets"] > 0, "float32"), logits=rpn_logits
        )
        rpn_class_loss = tf.reduce_sum(rpn_cls * rpn_weights) / rpn_norm
        rpn_box = _smooth_l1(
            rpn["box_targets"], tf.cast(stage_one["rpn_box"], "float32")
        )
        rpn_box_loss = tf.reduce_sum(rpn_box * rpn["box_weights"]) / rpn_norm

        # Stage two on sampled proposals, ground truth included.
        rois = tf.concat([rois, gt_boxes], axis=1)
        head_labels = tf.where(valid, labels + 1, -1)
        roi = self.roi_labeler.label(rois, gt_boxes, head_labels, training=training)
        sampled = roi["sampled_indices"]
        taken = tf.cast(sampled >= 0, "float32")
        index = tf.maximum(sampled, 0)
        sampled_rois = tf.gather(rois, index, batch_dims=1)
        class_targets = tf.gather(roi["class_targets"], index, batch_dims=1)
        box_targets = tf.gather(roi["box_targets"], index, batch_dims=1)
        box_weights = tf.gather(roi["box_weights"], index, batch_dims=1) * taken
        logits, deltas = self._head(stage_one, tf.stop_gradient(sampled_rois), training)
        roi_norm = distribution.global_normaliser(taken)
        roi_cls = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=class_targets, logits=tf.cast(logits, "float32")
        )
        roi_class_loss = tf.reduce_sum(roi_cls * taken) / roi_norm
        own_class = tf.maximum(class_targets - 1, 0)
        own_deltas = tf.gather(
            tf.cast(deltas, "float32"), own_class, axis=2, batch_dims=2
        )
        roi_box = _smooth_l1(box_targets, own_deltas)
        roi_box_loss = tf.reduce_sum(roi_box * box_weights) / roi_norm

        losses = {
            "rpn_class_loss": rpn_class_loss,
            "rpn_box_loss": rpn_box_loss,
            "roi_class_loss": roi_class_loss,
            "roi_box_loss": roi_box_loss,
        }
        samples = {
            "stage_one": stage_one,
            "gt_boxes": gt_boxes,
            "gt_labels": labels,
            "sampled_rois": sampled_rois,
            "class_targets": class_targets,
            "taken": taken,
        }
        return losses, samples

    def _with_total(self, losses):
        """Adds `"loss"`: the sum of `losses` and of any layer losses."""
        losses = dict(losses)
        total = tf.add_n(list(losses.values()))
        if self.losses:
            total = total + distribution.replica_share(
                tf.add_n([tf.cast(extra, "float32") for extra in self.losses])
            )
        losses["loss"] = total
        return losses

    @property
    def metrics(self):
        return list(self.loss_trackers.values())

    def _record(self, losses):
        for name, tracker in self.loss_trackers.items():
            # Each replica holds its share of the global loss.
            tracker.update_state(distribution.global_value(losses[name]))
        return {name: tracker.result() for name, tracker in self.loss_trackers.items()}

    def train_step(self, data):
        x, y, _ = self._unpack(data)
        utils.check_images(x, type(self).__name__)
        with tf.GradientTape() as tape:
            losses = self.compute_losses(x, y, training=True)
            loss = losses["loss"]
            scaled = (
                self.optimizer.scale_loss(loss)
                if hasattr(self.optimizer, "scale_loss")
                else loss
            )
        grads = tape.gradient(scaled, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        return self._record(losses)

    def test_step(self, data):
        x, y, _ = self._unpack(data)
        utils.check_images(x, type(self).__name__)
        return self._record(self.compute_losses(x, y, training=False))

    # ---------------------------------------------------------------- predict
    def decode_predictions(self, raw_outputs, images):
        """Turns raw outputs into final detections (decoding and NMS).

        Args:
            raw_outputs: the dict returned by calling the model.
            images: the batch of images (only its shape is used).

        Returns:
            `{"boxes", "scores", "labels", "num_detections"}` in
            `bounding_box_format`, padded with -1 past `num_detections`.
        """
        boxes, scores, classes, num = self._detect(raw_outputs, images)
        return utils.format_detections(
            boxes, scores, classes, num, images, self.bounding_box_format
        )

    def _detect(self, raw_outputs, images, map_back=True):
        """Decoding and per-class NMS: `(boxes, scores, classes, num)`.

        Boxes are xyxy pixels, zero past `num` (not yet formatted), in the
        pixels of `images`, or of the resized images (`image_resize`) with
        `map_back=False` (MaskRCNN pools its masks there).
        """
        if not map_back:
            return self._detect_resized(raw_outputs, images)
        height, width = self._input_size(images)
        boxes, scores, classes, num = self._detect_resized(raw_outputs, images)
        return self._map_back(boxes, images, height, width), scores, classes, num

    def _detect_resized(self, raw_outputs, images):
        height, width = self._input_size(images)
        fheight = tf.cast(height, "float32")
        fwidth = tf.cast(width, "float32")
        rois = tf.cast(raw_outputs["rois"], "float32")
        if self.post_processing == "torchvision":
            boxes, scores, classes, num = tv.postprocess_faster_rcnn(
                rois,
                tf.fill([tf.shape(rois)[0]], tf.shape(rois)[1]),
                tf.cast(raw_outputs["classification"], "float32"),
                tf.cast(raw_outputs["box"], "float32"),
                fheight,
                fwidth,
                self.box_coder_weights,
                self.score_threshold,
                self.nms_iou_threshold,
                self.max_detections,
            )
            return boxes, scores, classes, num
        probs = tf.nn.softmax(tf.cast(raw_outputs["classification"], "float32"))[
            ..., 1:
        ]
        real = tf.logical_and(rois[..., 2] > rois[..., 0], rois[..., 3] > rois[..., 1])
        probs = probs * tf.cast(real, "float32")[..., None]
        boxes = self.roi_coder.decode(
            tf.cast(raw_outputs["box"], "float32"), rois[:, :, None, :]
        )
        boxes = tf.clip_by_value(
            boxes, 0.0, tf.stack([fwidth, fheight, fwidth, fheight])
        )
        nmsed = tf.image.combined_non_max_suppression(
            boxes,
            probs,
            max_output_size_per_class=self.max_detections,
            max_total_size=self.max_detections,
            iou_threshold=self.nms_iou_threshold,
            score_threshold=self.score_threshold,
            clip_boxes=False,
        )
        return (
            nmsed.nmsed_boxes,
            nmsed.nmsed_scores,
            nmsed.nmsed_classes,
            nmsed.valid_detections,
        )

    # ----------------------------------------------------------------- config
    def get_config(self):
        return {
            **super().get_config(),
            "fpn_filters": self.fpn_filters,
            "head_units": self.head_units,
            "rpn_batch_size": self.rpn_batch_size,
            "roi_batch_size": self.roi_batch_size,
            "num_proposals": self.num_proposals,
            "test_num_proposals": self.test_num_proposals,
            "seed": self.seed,
            "min_level": self.min_level,
            "extra_level": self.extra_level,
            "rpn_pre_nms_top_k": self.rpn_pre_nms_top_k,
            "fpn_normalization": self.fpn_normalization,
            "rpn_depth": self.rpn_depth,
            "head_conv_depth": self.head_conv_depth,
            "head_dense_depth": self.head_dense_depth,
            "head_normalization": self.head_normalization,
            "norm_epsilon": self.norm_epsilon,
            "rpn_score_threshold": self.rpn_score_threshold,
            "fpn_inputs": self.fpn_inputs,
        }
