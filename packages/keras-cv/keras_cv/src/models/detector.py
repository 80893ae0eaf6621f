# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The base of the detection models: what RetinaNet, FasterRCNN and
MaskRCNN share (steps, Keras loops, export, presets, config, the input
transform and anchors of the torchvision-compatible options)."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_core.presets import PresetMixin
from keras_cv.src.models import detection_utils as utils
from keras_cv.src.models import distribution
from keras_cv.src.models import torchvision_compat as tv
from keras_cv.src.models import torchvision_presets
from keras_cv.src.models.compile_state import CompileStateMixin


def check_options(
    model_name,
    anchor_layout,
    normalization,
    post_processing,
    image_resize,
    box_coder_weights,
    freeze_batch_norm,
):
    """Validates the options every detector has; returns them normalised.

    Returns `(image_resize, box_coder_weights)` as the model stores them.
    """
    tv.check_choice(anchor_layout, tv.ANCHOR_LAYOUTS, "anchor_layout", model_name)
    tv.check_choice(normalization, tv.NORMALIZATIONS, "normalization", model_name)
    tv.check_choice(post_processing, tv.POST_PROCESSINGS, "post_processing", model_name)
    image_resize = tv.check_image_resize(image_resize, model_name)
    box_coder_weights = utils.check_box_coder_weights(box_coder_weights)
    if not isinstance(freeze_batch_norm, bool):
        raise TypeError(
            "`freeze_batch_norm` must be a bool. "
            f"Received: freeze_batch_norm={freeze_batch_norm!r}."
        )
    return image_resize, box_coder_weights


def prepare_backbone(
    backbone, batch_norm_momentum, freeze_batch_norm, synchronized_batch_norm
):
    """Sets the backbone's batch normalizations as the model's options say."""
    utils.set_batch_norm_momentum(backbone, batch_norm_momentum)
    if freeze_batch_norm:
        utils.freeze_batch_norm(backbone)
    synchronized_batch_norm = distribution.check_synchronized_batch_norm(
        synchronized_batch_norm
    )
    distribution.synchronize_batch_norm(backbone, synchronized_batch_norm)
    return synchronized_batch_norm


@api_export("keras_cv.models.Detector", stability="experimental")
class Detector(distribution.DistributedTrainingMixin, CompileStateMixin, PresetMixin):
    """Base of the object detectors: what every detection model shares.

    `keras_cv.models.RetinaNet`, `FasterRCNN` and `MaskRCNN` derive from
    it; a new detector (a keypoint head, another single-stage design) too,
    listed before `keras.Model` (`class MyDetector(Detector, keras.Model)`:
    keeping `keras.Model` out of this class lets a subclass be a Functional
    model, as RetinaNet, or a subclassed one, as FasterRCNN). It provides:

    - `fit`, `evaluate` and `predict` that check the first batch eagerly and
      report failed input checks of later batches as `ValueError`s with the
      model's message; `train_step` / `test_step` that accept `(images,
      targets)` tuples and `{"images", "bounding_boxes"}` dicts and check
      the images, then run Keras' step (which calls `compute_loss`);
      `predict_step`, which returns `decode_predictions(self(images),
      images)`;
    - `export`: a SavedModel whose `serve` endpoint takes uint8 images of
      any size and returns the final detections;
    - `from_preset` with the named torchvision presets (`cls.presets`);
    - `from_config`, which rebuilds the backbone, and the common part of
      `get_config`;
    - for the torchvision-compatible options (`image_resize`,
      `anchor_layout`, ...): the input size the backbone sees, the anchors
      per level and the mapping of boxes between the given and the resized
      images.

    A subclass implements `call` (raw outputs), `compute_loss` (or its own
    `train_step`), `decode_predictions(raw_outputs, images)` and
    `get_config`; it sets the attributes its options use:
    `backbone`, `num_classes`, `bounding_box_format`, `image_resize`,
    `anchor_layout`, `anchor_size`, `anchor_scales`, `anchor_sizes`,
    `aspect_ratios`, `anchor_generator`, `num_anchors_per_location` and
    `anchor_levels` (the pyramid levels that have anchors).

    Example:

    >>> issubclass(keras_cv.models.RetinaNet, keras_cv.models.Detector)
    True
    >>> "faster_rcnn_resnet50_fpn_coco" in keras_cv.models.FasterRCNN.presets
    True
    """

    presets = ()

    # ---------------------------------------------------------------- presets
    @classmethod
    def from_preset(cls, directory, load_weights=True, **config_overrides):
        """Loads a model from a preset directory or a named preset.

        Named presets (`cls.presets`) are torchvision's COCO weights,
        downloaded once from torchvision's URL (verified by the sha256
        prefix in its name), converted by `keras_cv.convert.from_torchvision`
        and cached as a preset in `$KERAS_HOME/presets/torchvision/`; later
        calls, also offline, load the cached preset.

        Args:
            directory: a preset name, a local preset directory or
                `"hf://<org>/<name>[@<revision>]"`.
            load_weights: whether to load the saved weights.
            **config_overrides: config entries to replace, e.g.
                `score_threshold=0.5`.
        """
        if (
            isinstance(directory, str)
            and directory in torchvision_presets.TORCHVISION_PRESETS
        ):
            directory = torchvision_presets.resolve(directory)
        return super().from_preset(
            directory, load_weights=load_weights, **config_overrides
        )

    # ----------------------------------------- input transform and anchors
    def _input_size(self, images):
        """`(height, width)` int32 of the images the backbone sees (resized)."""
        shape = tf.shape(images)
        if self.image_resize is None:
            return shape[1], shape[2]
        return tv.resized_size(shape[1], shape[2], self.image_resize)

    def _level_anchors(self, images):
        """The anchors of each level (xyxy), on the resized, padded size."""
        height, width = self._input_size(images)
        stride = utils.BACKBONE_STRIDE
        padded_h = (height + stride - 1) // stride * stride
        padded_w = (width + stride - 1) // stride * stride
        levels = list(self.anchor_levels)
        if self.anchor_layout == "torchvision":
            sizes = self.anchor_sizes or [
                [self.anchor_size * 2**level * s for s in self.anchor_scales]
                for level in levels
            ]
            return tv.torchvision_anchors(
                padded_h, padded_w, levels, sizes, [self.aspect_ratios] * len(levels)
            )
        anchors = self.anchor_generator((padded_h, padded_w))
        counts = [
            h * w * self.num_anchors_per_location
            for h, w in tv.level_sizes(padded_h, padded_w, levels)
        ]
        return tf.split(anchors, counts, axis=0)

    def _anchors(self, images):
        """All anchors `[num_anchors, 4]` (xyxy) of a batch of images."""
        if self.anchor_layout == "keras_cv" and self.image_resize is None:
            return utils.padded_anchors(self.anchor_generator, images)
        return tf.concat(self._level_anchors(images), axis=0)

    def _to_model_input(self, images, boxes):
        """Scales ground-truth boxes to the resized images (`image_resize`)."""
        if self.image_resize is None:
            return boxes
        shape = tf.shape(images)
        height, width = self._input_size(images)
        return tv.scale_boxes_back(boxes, (height, width), (shape[1], shape[2]))

    def _map_back(self, boxes, images, height, width):
        """Boxes of the resized images in the pixels of `images`."""
        if self.image_resize is None:
            return boxes
        shape = tf.shape(images)
        return tv.scale_boxes_back(boxes, (shape[1], shape[2]), (height, width))

    # ------------------------------------------------------ steps and loops
    def _unpack(self, data):
        """`(images, targets, sample_weight)` of a batch."""
        return utils.unpack(data)

    def train_step(self, data):
        x, y, sample_weight = self._unpack(data)
        utils.check_images(x, type(self).__name__)
        return super().train_step((x, y, sample_weight))

    def test_step(self, data):
        x, y, sample_weight = self._unpack(data)
        utils.check_images(x, type(self).__name__)
        return super().test_step((x, y, sample_weight))

    def predict_step(self, data):
        x, _, _ = self._unpack(data)
        utils.check_images(x, type(self).__name__)
        x = tf.cast(x, "float32")
        return self.decode_predictions(self(x, training=False), x)

    def decode_predictions(self, raw_outputs, images):
        """Turns the raw outputs of `call` into final detections.

        Args:
            raw_outputs: the dict returned by calling the model.
            images: the batch of images (only its shape is used).

        Returns:
            `{"boxes", "scores", "labels", "num_detections"}` in
            `bounding_box_format`, padded with -1 past `num_detections`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `decode_predictions(raw_outputs, "
            "images)`, which `predict` and `export` use."
        )

    def fit(self, x=None, y=None, *args, validation_data=None, **kwargs):
        utils.validate_training_data(self, x, y)
        utils.build_optimizer(self)
        return utils.guarded(
            lambda: super(Detector, self).fit(
                x, y, *args, validation_data=validation_data, **kwargs
            ),
            type(self).__name__,
        )

    def evaluate(self, x=None, y=None, *args, **kwargs):
        return utils.guarded(
            lambda: super(Detector, self).evaluate(x, y, *args, **kwargs),
            type(self).__name__,
        )

    def predict(self, x, *args, **kwargs):
        utils.check_predict_input(x, type(self).__name__)
        return utils.guarded(
            lambda: super(Detector, self).predict(x, *args, **kwargs),
            type(self).__name__,
        )

    def export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
        """Exports a SavedModel that serves final detections.

        The `serve` endpoint (also `serving_default`) takes `uint8` images
        `(batch, height, width, 3)` of any size and returns what `predict`
        returns (`{"boxes", "scores", "labels", "num_detections"}` in
        `bounding_box_format`, decoding and non-max suppression inside):
        `tf.saved_model.load(filepath).serve(images)` equals
        `model.predict(images)`.

        Args:
            filepath: the directory to write.
            format: `"tf_saved_model"` (the only format supported).
            verbose: print a summary of the endpoint.
            **kwargs: passed to `keras.export.ExportArchive.write_out`.
        """
        utils.export_detector(self, filepath, format, verbose, **kwargs)

    # ----------------------------------------------------------------- config
    def get_config(self):
        """The config entries every detector has; subclasses add theirs."""
        return {
            "name": self.name,
            "trainable": self.trainable,
            "backbone": keras.saving.serialize_keras_object(self.backbone),
            "num_classes": self.num_classes,
            "bounding_box_format": self.bounding_box_format,
            "anchor_size": self.anchor_size,
            "anchor_scales": self.anchor_scales,
            "aspect_ratios": self.aspect_ratios,
            "batch_norm_momentum": self.batch_norm_momentum,
            "synchronized_batch_norm": self.synchronized_batch_norm,
            "max_detections": self.max_detections,
            "score_threshold": self.score_threshold,
            "nms_iou_threshold": self.nms_iou_threshold,
            "anchor_sizes": self.anchor_sizes,
            "anchor_layout": self.anchor_layout,
            "box_coder_weights": list(self.box_coder_weights),
            "normalization": self.normalization,
            "image_resize": None
            if self.image_resize is None
            else list(self.image_resize),
            "freeze_batch_norm": self.freeze_batch_norm,
            "post_processing": self.post_processing,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["backbone"] = utils.deserialize_backbone(config["backbone"])
        return cls(**config)
