# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes weight files of small detectors and their outputs: a saved-file guard.

`models/saved_detectors_test.py` builds the same models, loads the weight
files written here (the `model.weights.h5` of a `.keras` file or a preset)
and checks that they give the outputs recorded here. Keras finds a variable in
a saved file by its path, which is made of attribute names and of the
snake-cased class names of the layers; a refactor that renames a layer
class or attribute silently breaks every model users saved (and every
cached torchvision preset). Run this once with the code whose files must
stay loadable, commit its output, and never regenerate it to make the test
pass:

    PYTHONPATH=packages/keras-cv:packages/keras-core:packages/keras-applications \
    KERAS_BACKEND=tensorflow .venv/bin/python \
    packages/keras-cv/keras_cv/src/models/testdata/make_saved_detectors.py
"""

import os

import keras
import numpy as np

import keras_applications
from keras_cv.src.models.faster_rcnn import FasterRCNN
from keras_cv.src.models.mask_rcnn import MaskRCNN
from keras_cv.src.models.retinanet import RetinaNet

HERE = os.path.dirname(os.path.abspath(__file__))


def tiny_backbone(min_level=3):
    """Strided convolutions with batch normalization, levels P2-P5."""
    inputs = keras.Input((None, None, 3))
    x = inputs
    pyramid = {}
    for level in range(1, 6):
        x = keras.layers.Conv2D(4, 3, strides=2, padding="same", name=f"conv{level}")(x)
        x = keras.layers.BatchNormalization(name=f"bn{level}")(x)
        x = keras.layers.ReLU(name=f"relu{level}")(x)
        if level >= min_level:
            pyramid[f"P{level}"] = x
    return keras_applications.Backbone(inputs, x, pyramid, name="tiny_backbone")


TWO_STAGE = dict(
    fpn_filters=8,
    head_units=8,
    test_num_proposals=12,
    max_detections=6,
    score_threshold=0.0,
)

# name -> constructor of a model; each covers other layer classes.
MODELS = {
    "retinanet_separable_group": lambda: RetinaNet(
        tiny_backbone(),
        num_classes=3,
        max_level=7,
        fpn_filters=8,
        head_filters=8,
        head_depth=2,
        score_threshold=0.0,
    ),
    "retinanet_torchvision_v1": lambda: RetinaNet(
        tiny_backbone(),
        num_classes=3,
        max_level=7,
        fpn_filters=8,
        head_filters=8,
        head_depth=2,
        head_convolution="dense",
        head_normalization=None,
        extra_levels_input="C5",
        extra_levels_padding="symmetric",
        anchor_layout="torchvision",
        box_coder_weights=(1, 1, 1, 1),
        normalization="imagenet",
        image_resize=(48, 80),
        post_processing="torchvision",
        score_threshold=0.0,
    ),
    "faster_rcnn": lambda: FasterRCNN(tiny_backbone(), num_classes=3, **TWO_STAGE),
    "faster_rcnn_torchvision": lambda: FasterRCNN(
        tiny_backbone(min_level=2),
        num_classes=3,
        min_level=2,
        extra_level="max_pool",
        anchor_layout="torchvision",
        anchor_sizes=((8,), (16,), (32,), (64,), (128,)),
        normalization="imagenet",
        image_resize=(48, 80),
        freeze_batch_norm=True,
        post_processing="torchvision",
        **TWO_STAGE,
    ),
    "mask_rcnn": lambda: MaskRCNN(
        tiny_backbone(), num_classes=3, mask_filters=4, **TWO_STAGE
    ),
}


def images():
    rng = np.random.default_rng(7)
    return rng.uniform(0, 255, size=(2, 40, 56, 3)).astype("float32")


def randomize(model, seed):
    """Every variable (moving statistics too) gets distinct random values."""
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        shape = tuple(variable.shape)
        if "moving_variance" in variable.path:
            value = rng.uniform(0.5, 1.5, shape)
        else:
            value = rng.normal(0.0, 0.2, shape)
        variable.assign(value.astype(variable.dtype))


def outputs(model, x):
    """The raw outputs that do not depend on proposal tie-breaking."""
    raw = model(x, training=False)
    keep = ("box", "classification", "rpn_box", "rpn_classification")
    return {k: np.asarray(v) for k, v in raw.items() if k in keep}


def main():
    x = images()
    for index, (name, make) in enumerate(MODELS.items()):
        keras.utils.set_random_seed(index)
        model = make()
        randomize(model, index)
        model.save_weights(os.path.join(HERE, f"saved_{name}.weights.h5"))
        np.savez_compressed(
            os.path.join(HERE, f"saved_{name}_outputs.npz"), **outputs(model, x)
        )
        print(name, sum(int(np.prod(v.shape)) for v in model.weights), "values")


if __name__ == "__main__":
    main()
