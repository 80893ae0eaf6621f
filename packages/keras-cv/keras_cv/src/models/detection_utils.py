# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Pieces shared by the detection models (RetinaNet, FasterRCNN).

Helpers, not public API: backbone and argument checks, data unpacking, first-batch validation, ground-truth
preparation, output formatting and SavedModel export.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_cv.src import validation
from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.pad_to_multiple import PadToMultiple

# The RFC that made RetinaNet and FasterRCNN stable.
MODELS_RFC = "20261122-keras-cv-detection-models"

# Images are padded at the bottom/right to a multiple of the P5 stride.
BACKBONE_STRIDE = 32


def deserialize_backbone(config):
    """The backbone of a saved model's config, as a Keras model.

    Backbones are usually `keras_applications` models. `import keras_cv`
    does not import keras_applications (it would add its import time to
    every user's); it is imported here, which registers its classes, the
    first time a saved model's backbone is rebuilt.
    """
    import keras_applications  # noqa: F401  (registers the backbone classes)

    return keras.saving.deserialize_keras_object(config)


def check_backbone(backbone, model_name):
    """Returns `backbone.pyramid_outputs` after checking P3-P5 exist."""
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
            f"{model_name} needs the backbone's pyramid levels P3, P4 and P5 "
            f"(strides 8, 16, 32). The backbone '{backbone.name}' lacks "
            f"{missing}; it has {sorted(pyramid)}."
        )
    return pyramid


def check_compile_metrics(model_name, kwargs):
    """Rejects COCO metrics in `compile`: the model's outputs are raw.

    `compile` metrics receive the raw per-anchor outputs (and Keras would
    re-run the whole COCO evaluation after every batch); the callback
    evaluates decoded detections once per epoch.
    """
    from keras_cv.src.metrics.coco_mean_average_precision import (
        COCOMeanAveragePrecision,
    )

    for key in ("metrics", "weighted_metrics"):
        values = kwargs.get(key)
        if isinstance(values, dict):
            values = list(values.values())
        elif not isinstance(values, (list, tuple)):
            values = [values]
        if any(isinstance(v, COCOMeanAveragePrecision) for v in values):
            raise ValueError(
                f"{model_name}.compile({key}=[COCOMeanAveragePrecision(...)]) "
                "cannot work: compiled metrics receive the raw per-anchor box "
                "offsets and class logits, not decoded detections. Evaluate "
                "detections with the callback instead: `model.fit(..., "
                "callbacks=[keras_cv.callbacks.COCOEvaluation(val_ds)])`, or "
                "call `keras_cv.metrics.evaluate_coco` on `model.predict` "
                f"outputs. Received: {key}={values!r}."
            )


def check_num_classes(num_classes):
    if (
        isinstance(num_classes, bool)
        or not isinstance(num_classes, int)
        or num_classes < 1
    ):
        raise ValueError(
            f"`num_classes` must be a positive int. Received: num_classes={num_classes!r}."
        )


def check_box_coder_weights(weights):
    """The four box-coder divisors as floats, or a ValueError."""
    if (
        not isinstance(weights, (list, tuple))
        or len(weights) != 4
        or any(
            isinstance(w, bool) or not isinstance(w, (int, float)) or w <= 0
            for w in weights
        )
    ):
        raise ValueError(
            "`box_coder_weights` must be four positive numbers (wx, wy, ww, wh) "
            "that divide the encoded offsets, e.g. (10, 10, 5, 5) or torchvision's "
            f"(1, 1, 1, 1). Received: box_coder_weights={weights!r}."
        )
    return tuple(float(w) for w in weights)


def check_anchor_sizes(anchor_sizes, levels):
    """One list of anchor sizes per level as floats (or None), or a ValueError."""
    if anchor_sizes is None:
        return None
    ok = isinstance(anchor_sizes, (list, tuple)) and len(anchor_sizes) == len(levels)
    if ok:
        anchor_sizes = [
            list(s) if isinstance(s, (list, tuple)) else [s] for s in anchor_sizes
        ]
        ok = all(
            len(s) == len(anchor_sizes[0])
            and all(
                not isinstance(v, bool) and isinstance(v, (int, float)) and v > 0
                for v in s
            )
            for s in anchor_sizes
        )
    if not ok:
        raise ValueError(
            "`anchor_sizes` must be None or one list of anchor sizes in pixels "
            f"per pyramid level ({len(levels)} levels, P{levels[0]}-P{levels[-1]}), "
            "the same number of sizes at every level, e.g. torchvision's "
            "((32, 40, 50), (64, 80, 101), (128, 161, 203), (256, 322, 406), "
            f"(512, 645, 812)). Received: anchor_sizes={anchor_sizes!r}."
        )
    return [[float(v) for v in s] for s in anchor_sizes]


def set_batch_norm_momentum(backbone, momentum):
    """Sets `momentum` on every BatchNormalization layer (None: unchanged)."""
    if momentum is None:
        return
    for layer in backbone._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = float(momentum)


def freeze_batch_norm(backbone):
    """Makes every BatchNormalization layer of `backbone` a frozen one.

    A non-trainable Keras BatchNormalization always normalises with its
    moving statistics and never updates them: torchvision's
    `FrozenBatchNorm2d`.
    """
    for layer in backbone._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False


def pyramid_features(
    backbone,
    pyramid,
    images,
    normalization="symmetric",
    image_resize=None,
    min_level=3,
    features=None,
):
    """Normalised, padded images through the backbone: `[C3, C4, C5]`.

    With `image_resize=(min_size, max_size)` the images are first resized
    as torchvision's detection transform does. The padding comes after the
    normalisation (zeros in the backbone's input scale), as in torchvision.
    `features` (backbone tensors) replaces the levels `min_level`-5.
    """
    from keras_cv.src.models import torchvision_compat

    if features is None:
        features = [pyramid[f"P{level}"] for level in range(min_level, 6)]
    features = keras.Model(backbone.inputs, features, name="pyramid_features")
    x = images
    if image_resize is not None:
        x = torchvision_compat.ResizeImages(image_resize, name="resize")(
            keras.ops.cast(x, "float32")
        )
    x = torchvision_compat.normalize(x, normalization)
    x = PadToMultiple(BACKBONE_STRIDE, name="pad")(x)
    return features(x)


def padded_anchors(anchor_generator, images):
    """Anchors of the padded image size (a multiple of the P5 stride)."""
    shape = tf.shape(images)
    stride = BACKBONE_STRIDE
    height = (shape[1] + stride - 1) // stride * stride
    width = (shape[2] + stride - 1) // stride * stride
    return anchor_generator((height, width))


def image_size(images):
    """`(height, width)` of a batch of images as float32 scalars."""
    shape = tf.shape(images)
    return tf.cast(shape[1], "float32"), tf.cast(shape[2], "float32")


def unpack(data):
    """Accepts (x, y[, w]) tuples and {"images", "bounding_boxes"} dicts."""
    if isinstance(data, dict) and "images" in data:
        return data["images"], data.get("bounding_boxes"), None
    if isinstance(data, (list, tuple)):
        if len(data) == 1:
            return unpack(data[0])
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
    return data, None, None


def ground_truth(
    images, bounding_boxes, bounding_box_format, model_name, num_classes=None
):
    """Dense xyxy boxes and int labels (-1 padding) of a batch of targets.

    Checks every batch, also inside the compiled training step: labels must
    be -1 or class ids below `num_classes`, boxes finite (a failed check is
    an assertion that `reraise_graph_errors` turns into a ValueError).
    """
    if bounding_boxes is None:
        raise ValueError(
            f"{model_name}.fit needs targets: pass y={{'boxes': ..., 'labels': ...}} "
            "or a dataset of (images, bounding_boxes) or of "
            "{'images': ..., 'bounding_boxes': ...}."
        )
    if not isinstance(bounding_boxes, dict):
        raise ValueError(
            f"{model_name} expects targets as a dict {{'boxes': ..., 'labels': ...}}. "
            f"Received targets of type {type(bounding_boxes).__name__}."
        )
    dense = converters.to_dense(converters.standardize(bounding_boxes))
    boxes = tf.cast(dense["boxes"], "float32")
    labels = dense["labels"]
    if labels.shape.rank == 3:
        labels = tf.squeeze(labels, -1)
    labels = converters.check_labels(labels, num_classes=num_classes)
    labels = tf.cast(labels, "int32")
    if bounding_box_format != "xyxy":
        height, width = image_size(images)
        boxes = converters.convert_format(
            boxes, bounding_box_format, "xyxy", height=height, width=width
        )
    return boxes, labels


def check_images(images, model_name):
    """Raises a ValueError unless `images` is `(batch, height, width, 3)`."""
    shape = getattr(images, "shape", None)
    if shape is None:
        raise ValueError(
            f"{model_name} expects a batch of images of shape (batch, height, "
            f"width, 3). Received an object of type {type(images).__name__}."
        )
    shape = tuple(shape)
    if len(shape) != 4 or shape[-1] not in (3, None):
        fix = ""
        if len(shape) == 4 and shape[-1] == 1:
            fix = (
                " Grayscale images have one channel: repeat it, e.g. "
                "`tf.image.grayscale_to_rgb(images)` or `np.repeat(images, 3, -1)`."
            )
        elif len(shape) == 4 and shape[-1] == 4:
            fix = " RGBA images have four channels: drop alpha, `images[..., :3]`."
        elif len(shape) == 3:
            fix = " For one image, add a batch axis: `images[None]`."
        raise ValueError(
            f"{model_name} expects RGB images of shape (batch, height, width, "
            f"3). Received images of shape {shape}.{fix}"
        )
    if shape[0] == 0:
        raise ValueError(
            f"{model_name} received an empty batch of images (shape {shape}). "
            "Pass at least one image of shape (height, width, 3)."
        )


def check_predict_input(x, model_name):
    """Eager checks of `predict`'s input before Keras iterates over it."""
    if isinstance(x, dict) and "images" in x:
        x = x["images"]
    if isinstance(x, tf.data.Dataset):
        spec = x.element_spec
        if isinstance(spec, (tuple, list)) and spec:
            spec = spec[0]
        if isinstance(spec, dict) and "images" in spec:
            spec = spec["images"]
        if isinstance(spec, tf.TensorSpec) and spec.shape.rank is not None:
            check_images(_Shape(spec.shape), model_name)
        return
    if x is None or (isinstance(x, (list, tuple)) and len(x) == 0):
        raise ValueError(
            f"{model_name}.predict received no images ({x!r}). Pass a batch of "
            "images of shape (batch, height, width, 3), a list of such "
            "arrays, or a tf.data.Dataset of them."
        )
    if isinstance(x, (list, tuple)) and all(hasattr(v, "shape") for v in x):
        shapes = {tuple(v.shape) for v in x}
        if len(shapes) == 1 and len(next(iter(shapes))) == 3:
            x = np.stack([np.asarray(v) for v in x])
    if not hasattr(x, "shape"):
        try:
            x = np.asarray(x, "float32")
        except (TypeError, ValueError):
            raise ValueError(
                f"{model_name}.predict expects images of shape (batch, height, "
                f"width, 3). Received an object of type {type(x).__name__} "
                "that is not an array of numbers."
            ) from None
    check_images(_Shape(x.shape), model_name)


class _Shape:
    def __init__(self, shape):
        self.shape = tuple(shape)


def build_optimizer(model):
    """Creates the optimizer's variables before `fit` traces the train step.

    With the TensorFlow backend and no distribution strategy, Keras 3.15
    creates them inside the first trace of the train function; because
    variables were created, `tf.function` then traces the train step a
    second time, which doubles the first epoch's tracing time of a
    detector. Building them here, for the variables that are trainable
    now (what Keras would use), leaves one trace. Under a `tf.distribute`
    strategy the variables are created in the model's strategy scope, as
    Keras' own `fit` does (outside it, a mirrored optimizer refuses to
    create them).
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and not optimizer.built and model.built:
        with model.distribute_strategy.scope():
            optimizer.build(model.trainable_variables)


def guarded(method, model_name):
    """Runs a Keras loop (`fit`, `evaluate`, `predict`), reporting failed
    input checks of later batches as ValueErrors with our message."""
    with validation.reraise_graph_errors():
        return method()


def format_detections(boxes, scores, labels, num_detections, images, fmt):
    """Final detection dict in `fmt`, -1 boxes/labels and 0 scores as padding."""
    max_detections = tf.shape(labels)[1]
    valid = tf.range(max_detections)[None, :] < num_detections[:, None]
    if fmt != "xyxy":
        height, width = image_size(images)
        boxes = converters.convert_format(
            boxes, "xyxy", fmt, height=height, width=width
        )
    return {
        "boxes": tf.where(valid[..., None], boxes, -1.0),
        "scores": tf.where(valid, scores, 0.0),
        "labels": tf.where(valid, tf.cast(labels, "int32"), -1),
        "num_detections": tf.cast(num_detections, "int32"),
    }


def export_detector(model, filepath, format, verbose, **kwargs):
    """Writes a SavedModel whose `serve` endpoint returns final detections."""
    if format != "tf_saved_model":
        raise ValueError(
            f"{type(model).__name__}.export writes a TensorFlow SavedModel with "
            "decoding and NMS inside; only format='tf_saved_model' is "
            f"supported. Received: format={format!r}."
        )
    archive = keras.export.ExportArchive()
    archive.track(model)

    def serve(images):
        pixels = tf.cast(images, "float32")
        return model.decode_predictions(model(pixels, training=False), pixels)

    endpoint = archive.add_endpoint(
        "serve",
        serve,
        input_signature=[tf.TensorSpec((None, None, None, 3), tf.uint8)],
    )
    write_saved_model(archive, endpoint, filepath, verbose, **kwargs)


def _spec_text(tensor):
    shape = ", ".join("None" if d is None else str(d) for d in tensor.shape)
    return f"{tensor.dtype.name} ({shape})"


def write_saved_model(archive, endpoint, filepath, verbose, **kwargs):
    """Writes `archive`; with `verbose`, prints its `serve` endpoint in a
    few lines.

    Keras' `write_out(verbose=True)` prints every variable the endpoint
    captures (about 150 lines for a detector); the inputs and outputs are
    what a user needs to call the SavedModel.
    """
    archive.write_out(filepath, verbose=False, **kwargs)
    if not verbose:
        return
    concrete = endpoint.get_concrete_function()
    inputs = ", ".join(
        _spec_text(t)
        for t in concrete.inputs[: len(concrete.structured_input_signature[0])]
    )
    outputs = concrete.structured_outputs
    if isinstance(outputs, dict):
        outputs = ", ".join(f"{k}: {_spec_text(v)}" for k, v in sorted(outputs.items()))
    else:
        outputs = ", ".join(_spec_text(t) for t in tf.nest.flatten(outputs))
    print(
        f"Saved a TensorFlow SavedModel at {str(filepath)!r}.\n"
        f"Endpoint 'serve' (also 'serving_default'): images {inputs}\n"
        f"  returns {outputs}"
    )


def _first_batch(x, y):
    if isinstance(x, tf.data.Dataset):
        element = next(iter(x.take(1)))
        return unpack(element)[:2]
    if isinstance(x, dict) and "images" in x:
        return x["images"], x.get("bounding_boxes")
    return x, y


def validate_training_data(model, x, y):
    """Checks the first batch eagerly, so that errors name the fault."""
    name = type(model).__name__
    try:
        images, boxes = _first_batch(x, y)
    except (TypeError, StopIteration, tf.errors.OpError):
        return  # generators etc.: checked in graph as far as possible
    if images is None or not hasattr(images, "shape"):
        return
    if len(images.shape) != 4:
        raise ValueError(
            f"{name}.fit expects batched images of shape (batch, height, "
            f"width, 3). Received images of shape {tuple(images.shape)}. "
            + (
                "Batch your dataset first, e.g. `dataset.batch(8)`."
                if len(images.shape) == 3
                else ""
            )
        )
    check_images(images, name)
    if boxes is None:
        return
    if not isinstance(boxes, dict):
        raise ValueError(
            f"{name}.fit expects targets as a dict {{'boxes': ..., 'labels': ...}}. "
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
    fmt = model.bounding_box_format
    xyxy = np.asarray(
        converters.convert_format(
            coords[valid], fmt, "xyxy", height=height, width=width
        )
    )
    bad = (xyxy[:, 2] < xyxy[:, 0]) | (xyxy[:, 3] < xyxy[:, 1])
    if bad.any():
        raise ValueError(
            "Some boxes have a negative width or height when read in the "
            f"model's bounding_box_format '{fmt}', e.g. "
            f"{coords[valid][np.argmax(bad)].tolist()}. The boxes are probably "
            "in another format: convert them with "
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
