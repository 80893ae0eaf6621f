# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DeepLabV3+: semantic segmentation with atrous pyramid pooling and a decoder."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_core.presets import PresetMixin
from keras_cv.src.layers.spatial_pyramid_pooling import RFC
from keras_cv.src.layers.spatial_pyramid_pooling import ConvNormAct
from keras_cv.src.layers.spatial_pyramid_pooling import SpatialPyramidPooling
from keras_cv.src.layers.spatial_pyramid_pooling import check_dilation_rates
from keras_cv.src.models import detection_utils as utils
from keras_cv.src.models import distribution
from keras_cv.src.models.compile_state import CompileStateMixin
from keras_cv.src.models.optimizer import Adam

_LEVELS = ("P2", "P3", "P4", "P5")


class _ResizeLike(keras.layers.Layer):
    """Bilinearly resizes `x` to the height and width of `reference`."""

    def call(self, x, reference):
        shape = tf.shape(reference)
        return tf.cast(tf.image.resize(x, shape[1:3], method="bilinear"), x.dtype)

    def compute_output_shape(self, x_shape, reference_shape):
        return (x_shape[0], reference_shape[1], reference_shape[2], x_shape[-1])


def _pyramid(backbone, low_level, high_level, name):
    pyramid = getattr(backbone, "pyramid_outputs", None)
    if not isinstance(backbone, keras.Model) or not isinstance(pyramid, dict):
        raise ValueError(
            "`backbone` must be a Keras model with `pyramid_outputs` (a dict "
            "from level name 'P2' ... 'P5' to feature maps), such as "
            "`keras_applications.ResNet18(include_top=False, input_shape="
            f"(None, None, 3))`. Received: {type(backbone).__name__} "
            f"{getattr(backbone, 'name', '')!r}. Wrap your own network in "
            "`keras_applications.Backbone` to name its levels."
        )
    for arg, level in (("low_level", low_level), ("high_level", high_level)):
        if level not in pyramid:
            raise ValueError(
                f"DeepLabV3Plus uses the backbone's level `{arg}`={level!r}, "
                f"but backbone '{backbone.name}' has the levels {sorted(pyramid)}. "
                f"Pass `{arg}` as one of them."
            )
    if _LEVELS.index(low_level) >= _LEVELS.index(high_level):
        raise ValueError(
            "`low_level` must be finer (smaller stride) than `high_level`. "
            f"Received: low_level={low_level!r}, high_level={high_level!r}."
        )
    return keras.Model(
        backbone.inputs, [pyramid[low_level], pyramid[high_level]], name=name
    )


@api_export("keras_cv.models.DeepLabV3Plus", stability="stable", rfc=RFC)
class DeepLabV3Plus(
    distribution.DistributedTrainingMixin, CompileStateMixin, PresetMixin, keras.Model
):
    """DeepLabV3+ semantic segmentation model.

    Predicts a class for every pixel. A backbone from `keras_applications`
    gives a coarse, semantically strong feature map (`high_level`, P5 by
    default) and a fine one (`low_level`, P2, stride 4). Atrous spatial
    pyramid pooling (`keras_cv.layers.SpatialPyramidPooling`) gathers
    context on the coarse map; the result is upsampled to the fine map,
    concatenated with a narrow projection of it, refined by two 3x3
    convolutions and turned into per-class logits, which are upsampled
    bilinearly to the input size.

    `fit` takes `{"images", "segmentation_masks"}` dicts (extra keys such as
    `"bounding_boxes"` are ignored) or `(images, masks)` tuples; masks hold
    class ids `(batch, height, width, 1)` (or without the last axis), and
    pixels equal to `ignore_index` do not count in the default loss.
    `predict` returns the per-pixel class map, `export` a SavedModel that
    does the same from uint8 images.

    Training from scratch holds in inference mode: every batch
    normalization layer (backbone and head) gets `batch_norm_momentum`
    (0.9 by default), so moving statistics follow the weights within tens of
    steps. For a pretrained, frozen backbone pass `batch_norm_momentum=None`.

    Images are float pixel values in [0, 255] of any size; the model scales
    them to [-1, 1] itself.

    Reference: [Chen et al., 2018, Encoder-Decoder with Atrous Separable
    Convolution for Semantic Image Segmentation](https://arxiv.org/abs/1802.02611).

    Args:
        backbone: a `keras_applications` backbone (or any Keras model with
            `pyramid_outputs`), built with `input_shape=(None, None, 3)` for
            images of any size.
        num_classes: number of classes, background included.
        low_level: the backbone level of the decoder's fine features.
        high_level: the backbone level fed to the pyramid pooling.
        dilation_rates: atrous rates of the pyramid pooling branches. Fit
            them to the size of the `high_level` map: a 3x3 branch with
            rate r spans 2r + 1 cells, and a branch wider than the map sees
            mostly padding. The defaults (6, 12, 18) suit a 32x32 map
            (512-pixel images at P4); for 128-pixel images at P4 (an 8x8
            map) rates such as (2, 4, 6) work far better.
        pooling_channels: channels of the pyramid pooling.
        low_level_channels: channels of the projected fine features.
        decoder_channels: channels of the decoder convolutions.
        dropout: dropout rate after the pyramid pooling.
        ignore_index: mask value of pixels without a label (not trained on,
            not counted by metrics built with the same index).
        batch_norm_momentum: momentum set on every batch normalization
            layer, or `None` to leave the backbone's as they are.
        synchronized_batch_norm: if True, every batch normalization layer
            (backbone and head) computes its batch statistics over the
            global batch when trained under a `tf.distribute` strategy (an
            all-reduce per layer), instead of over each replica's share.
            Use it when the batch per replica is small (a few images); it
            changes nothing on one device.

    Call arguments:
        images: float tensor `(batch, height, width, 3)`.
        training: whether batch normalization and dropout run in training mode.

    Returns (of `call`):
        logits `(batch, height, width, num_classes)`. `predict` returns the
        class map instead: int32 `(batch, height, width, 1)`.

    Examples:

    ```python
    import keras_applications

    backbone = keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))
    model = keras_cv.models.DeepLabV3Plus(
        backbone, num_classes=4, dilation_rates=[1, 2],
        pooling_channels=16, low_level_channels=8, decoder_channels=16)  # small
    model.compile()  # Adam, sparse cross-entropy ignoring `ignore_index`
    images = np.zeros((2, 64, 64, 3), "float32")
    logits = model(images)  # (2, 64, 64, 4)
    class_map = model.class_map(logits)  # int32 (2, 64, 64, 1), as `predict` returns
    # model.fit({"images": images, "segmentation_masks": masks}, epochs=10)
    # model.export("served/")  # uint8 images in, class maps out
    ```
    """

    def __init__(
        self,
        backbone,
        num_classes,
        low_level="P2",
        high_level="P5",
        dilation_rates=(6, 12, 18),
        pooling_channels=256,
        low_level_channels=48,
        decoder_channels=256,
        dropout=0.1,
        ignore_index=255,
        batch_norm_momentum=0.9,
        synchronized_batch_norm=False,
        **kwargs,
    ):
        if isinstance(backbone, dict):
            backbone = utils.deserialize_backbone(backbone)
        if (
            isinstance(num_classes, bool)
            or not isinstance(num_classes, int)
            or num_classes < 2
        ):
            raise ValueError(
                "`num_classes` must be an int >= 2 (background counts as a "
                f"class). Received: num_classes={num_classes!r}."
            )
        if isinstance(ignore_index, bool) or not isinstance(ignore_index, int):
            raise ValueError(
                f"`ignore_index` must be an int. Received: ignore_index={ignore_index!r}."
            )
        if 0 <= ignore_index < num_classes:
            raise ValueError(
                f"`ignore_index`={ignore_index} is a class id (num_classes="
                f"{num_classes}); pick a value outside [0, {num_classes - 1}], "
                "e.g. 255 or -1."
            )
        dilation_rates = check_dilation_rates(dilation_rates)
        distribution.check_synchronized_batch_norm(synchronized_batch_norm)
        features = _pyramid(backbone, low_level, high_level, "pyramid_features")

        images = keras.Input((None, None, 3), name="images")
        x = keras.ops.cast(images, "float32") / 127.5 - 1.0
        fine, coarse = features(x)
        context = SpatialPyramidPooling(
            dilation_rates=dilation_rates,
            num_channels=pooling_channels,
            dropout=dropout,
            name="spatial_pyramid_pooling",
        )(coarse)
        context = _ResizeLike(name="upsample_context")(context, fine)
        fine = ConvNormAct(low_level_channels, 1, name="low_level_projection")(fine)
        y = keras.layers.Concatenate(name="decoder_concat")([context, fine])
        y = ConvNormAct(decoder_channels, 3, name="decoder_conv1")(y)
        y = ConvNormAct(decoder_channels, 3, name="decoder_conv2")(y)
        y = keras.layers.Conv2D(num_classes, 1, name="classifier")(y)
        logits = _ResizeLike(name="upsample_logits", dtype="float32")(y, images)
        super().__init__(inputs=images, outputs=logits, **kwargs)

        # Kept for `get_config` only, not tracked as a sublayer: the model's
        # layers are those of its graph, which stops at `high_level`, so the
        # backbone's stages above it add no (gradient-less) weights.
        object.__setattr__(self, "backbone", backbone)
        self.num_classes = num_classes
        self.low_level = low_level
        self.high_level = high_level
        self.dilation_rates = dilation_rates
        self.pooling_channels = pooling_channels
        self.low_level_channels = low_level_channels
        self.decoder_channels = decoder_channels
        self.dropout = dropout
        self.ignore_index = ignore_index
        self.batch_norm_momentum = batch_norm_momentum
        self.synchronized_batch_norm = synchronized_batch_norm
        distribution.synchronize_batch_norm(self, synchronized_batch_norm)
        if batch_norm_momentum is not None:
            for layer in self._flatten_layers(include_self=False, recursive=True):
                if isinstance(layer, keras.layers.BatchNormalization):
                    layer.momentum = float(batch_norm_momentum)

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="adam", loss="auto", metrics=None, **kwargs):
        """Configures training; the defaults suit training from scratch.

        Args:
            optimizer: any Keras optimizer or name; `"adam"` means Adam with
                learning rate 1e-3.
            loss: `"auto"` for sparse categorical cross-entropy on the logits
                that skips pixels equal to `ignore_index`, or any Keras loss
                taking `(masks, logits)`.
            metrics: Keras metrics, e.g.
                `[keras_cv.metrics.MeanIoU(num_classes, ignore_index=...)]`.
            **kwargs: other `keras.Model.compile` arguments.
        """
        optimizer = distribution.resolve_optimizer(
            self, optimizer, lambda: Adam(learning_rate=1e-3)
        )
        if isinstance(loss, str) and loss == "auto":
            loss = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, ignore_class=self.ignore_index
            )
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics, **kwargs)

    # ------------------------------------------------------------ train / eval
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        # The default loss averages over the labelled pixels of the global
        # batch (Keras' own averages per replica under a strategy).
        total = distribution.global_batch_loss(self, y, y_pred, sample_weight)
        if total is None:
            return super().compute_loss(x, y, y_pred, sample_weight, training)
        return total

    def _check_masks_in_graph(self, masks):
        masks = tf.cast(masks, "int32")
        valid = tf.logical_or(
            tf.logical_and(masks >= 0, masks < self.num_classes),
            masks == self.ignore_index,
        )
        return tf.debugging.Assert(
            tf.reduce_all(valid),
            [
                f"segmentation_masks values must be in [0, {self.num_classes - 1}] "
                f"or equal ignore_index={self.ignore_index}; max value:",
                tf.reduce_max(masks),
            ],
        )

    def train_step(self, data):
        x, y, sample_weight = _unpack(data)
        if y is not None:
            y = _standardize_masks(x, y, self)
            with tf.control_dependencies([self._check_masks_in_graph(y)]):
                y = tf.identity(y)
        return super().train_step((x, y, sample_weight))

    def test_step(self, data):
        x, y, sample_weight = _unpack(data)
        if y is not None:
            y = _standardize_masks(x, y, self)
        return super().test_step((x, y, sample_weight))

    def fit(self, x=None, y=None, *args, validation_data=None, **kwargs):
        _validate_training_data(self, x, y)
        utils.build_optimizer(self)
        return super().fit(x, y, *args, validation_data=validation_data, **kwargs)

    # ------------------------------------------------------------------ predict
    def predict_step(self, data):
        x, _, _ = _unpack(data)
        return self.class_map(self(x, training=False))

    @staticmethod
    def class_map(logits):
        """Turns logits `(batch, h, w, num_classes)` into int32 class ids
        `(batch, h, w, 1)`."""
        return tf.cast(tf.argmax(logits, axis=-1), "int32")[..., None]

    def export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
        """Exports a SavedModel that serves per-pixel class maps.

        The `serve` endpoint (also the `serving_default` signature) takes
        `uint8` images `(batch, height, width, 3)` of any size and returns
        `{"segmentation_masks": int32 (batch, height, width, 1)}` (the argmax
        is inside): `tf.saved_model.load(filepath).serve(images)` equals
        `model.predict(images)`. Only `format="tf_saved_model"` is supported.

        Args:
            filepath: the directory to write.
            format: `"tf_saved_model"`.
            verbose: print a summary of the endpoint.
            **kwargs: passed to `keras.export.ExportArchive.write_out`.
        """
        if format != "tf_saved_model":
            raise ValueError(
                "DeepLabV3Plus.export writes a TensorFlow SavedModel with the "
                "class map inside; only format='tf_saved_model' is supported. "
                f"Received: format={format!r}."
            )
        archive = keras.export.ExportArchive()
        archive.track(self)

        def serve(images):
            logits = self(tf.cast(images, "float32"), training=False)
            return {"segmentation_masks": self.class_map(logits)}

        endpoint = archive.add_endpoint(
            "serve",
            serve,
            input_signature=[tf.TensorSpec((None, None, None, 3), tf.uint8)],
        )
        utils.write_saved_model(archive, endpoint, filepath, verbose, **kwargs)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "backbone": keras.saving.serialize_keras_object(self.backbone),
            "num_classes": self.num_classes,
            "low_level": self.low_level,
            "high_level": self.high_level,
            "dilation_rates": list(self.dilation_rates),
            "pooling_channels": self.pooling_channels,
            "low_level_channels": self.low_level_channels,
            "decoder_channels": self.decoder_channels,
            "dropout": self.dropout,
            "ignore_index": self.ignore_index,
            "batch_norm_momentum": self.batch_norm_momentum,
            "synchronized_batch_norm": self.synchronized_batch_norm,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["backbone"] = utils.deserialize_backbone(config["backbone"])
        return cls(**config)


def _unpack(data):
    """Accepts (x, y[, w]) tuples and {"images", "segmentation_masks"} dicts."""
    if isinstance(data, dict) and "images" in data:
        return data["images"], data.get("segmentation_masks"), None
    if isinstance(data, (list, tuple)):
        if len(data) == 1:
            return _unpack(data[0])
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
    return data, None, None


def _mask_error(images_shape, masks_shape):
    return ValueError(
        "`segmentation_masks` must be (batch, height, width, 1) or (batch, "
        "height, width) with the height and width of the images. Received "
        f"masks of shape {tuple(masks_shape)} for images of shape "
        f"{tuple(images_shape)}. Resize the masks to the images with "
        "nearest-neighbour interpolation (e.g. apply the same "
        "keras_cv.augmentation layer to both in one dict)."
    )


def _standardize_masks(images, masks, model):
    masks = tf.convert_to_tensor(masks)
    images_shape = images.shape
    if masks.shape.rank == 3:
        masks = masks[..., None]
    if masks.shape.rank != 4 or masks.shape[-1] not in (1, None):
        raise _mask_error(images_shape, masks.shape)
    for a, b in zip(masks.shape[1:3], images_shape[1:3]):
        if a is not None and b is not None and a != b:
            raise _mask_error(images_shape, masks.shape)
    return masks


def _first_batch(x, y):
    if isinstance(x, tf.data.Dataset):
        element = next(iter(x.take(1)))
        return _unpack(element)[:2]
    if isinstance(x, dict) and "images" in x:
        return x["images"], x.get("segmentation_masks")
    return x, y


def check_mask_values(masks, num_classes, ignore_index, where="segmentation_masks"):
    """Raises ValueError if a mask value is neither a class nor `ignore_index`."""
    masks = np.asarray(masks)
    bad = ((masks < 0) | (masks >= num_classes)) & (masks != ignore_index)
    if bad.any():
        values = sorted(set(np.unique(masks[bad]).tolist()))[:5]
        raise ValueError(
            f"`{where}` holds the values {values}, which are neither class ids "
            f"in [0, {num_classes - 1}] (num_classes={num_classes}) nor the "
            f"ignore_index {ignore_index}. Use a larger `num_classes`, or map "
            f"unlabelled pixels to {ignore_index}."
        )


def _validate_training_data(model, x, y):
    """Checks the first batch eagerly, so that errors name the fault."""
    try:
        images, masks = _first_batch(x, y)
    except (TypeError, StopIteration, tf.errors.OpError):
        return
    if images is None or not hasattr(images, "shape"):
        return
    if len(images.shape) != 4:
        raise ValueError(
            "DeepLabV3Plus.fit expects batched images of shape (batch, height, "
            f"width, 3). Received images of shape {tuple(images.shape)}. "
            + (
                "Batch your dataset first, e.g. `dataset.batch(8)`."
                if len(images.shape) == 3
                else ""
            )
        )
    if masks is None:
        raise ValueError(
            "DeepLabV3Plus.fit needs targets: pass {'images': ..., "
            "'segmentation_masks': ...} or (images, masks)."
        )
    masks = _standardize_masks(tf.convert_to_tensor(images), masks, model)
    check_mask_values(masks, model.num_classes, model.ignore_index)
