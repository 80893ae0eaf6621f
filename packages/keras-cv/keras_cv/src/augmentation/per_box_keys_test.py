# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Per-box entries other than boxes and labels (`is_crowd`, `difficult`,
...) travel with their box through every augmentation layer."""

import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.augmentation import affine
from keras_cv.src.augmentation import jittered_resize
from keras_cv.src.augmentation import keras_wrappers
from keras_cv.src.augmentation import mix
from keras_cv.src.bounding_box import converters

LAYERS = {
    "RandomFlip": lambda: keras_wrappers.RandomFlip("horizontal", seed=1),
    "Resizing": lambda: keras_wrappers.Resizing(24, 40),
    "RandomTranslation": lambda: keras_wrappers.RandomTranslation(0.4, 0.4, seed=2),
    "RandomColorJitter": lambda: keras_wrappers.RandomColorJitter(
        brightness_factor=0.2, seed=3
    ),
    "RandomCutout": lambda: keras_wrappers.RandomCutout(seed=4),
    "RandomRotation": lambda: affine.RandomRotation(0.2, seed=5),
    "RandomShear": lambda: affine.RandomShear(0.3, 0.3, seed=6),
    "RandomZoom": lambda: affine.RandomZoom((-0.6, 0.3), seed=7),
    "JitteredResize": lambda: jittered_resize.JitteredResize(24, 24, seed=8),
    "RandomCrop": lambda: jittered_resize.RandomCrop(16, 16, seed=9),
    "Mosaic": lambda: mix.Mosaic(seed=10),
    "MixUp": lambda: mix.MixUp(seed=11),
}


def _examples(count=6, size=32, seed=0):
    """Images with 0-3 boxes each; every box has a unique label, so each
    output row can be traced back to its input box and its attributes."""
    rng = np.random.default_rng(seed)
    examples, attributes, next_label = [], {}, 0
    for _ in range(count):
        n = int(rng.integers(0, 4))
        x0 = rng.uniform(0, size - 8, (n, 2))
        wh = rng.uniform(3, 8, (n, 2))
        boxes = np.concatenate([x0, x0 + wh], axis=1).astype("float32")
        labels = np.arange(next_label, next_label + n, dtype="int32")
        next_label += n
        crowd = rng.integers(0, 2, n).astype(bool)
        difficult = rng.integers(0, 2, n).astype("int32")
        score = rng.uniform(0, 1, (n, 2)).astype("float32")  # a wider entry
        for k in range(n):
            attributes[int(labels[k])] = (bool(crowd[k]), int(difficult[k]), score[k])
        examples.append(
            {
                "images": rng.uniform(0, 255, (size, size, 3)).astype("float32"),
                "bounding_boxes": {
                    "boxes": boxes.reshape(n, 4),
                    "labels": labels,
                    "is_crowd": crowd,
                    "difficult": difficult,
                    "score": score.reshape(n, 2),
                },
            }
        )
    return examples, attributes


def _dataset(examples):
    def gen():
        yield from examples

    # Images of one size: `ragged_batch` keeps them dense, boxes ragged.
    signature = {
        "images": tf.TensorSpec(examples[0]["images"].shape, "float32"),
        "bounding_boxes": {
            "boxes": tf.TensorSpec((None, 4), "float32"),
            "labels": tf.TensorSpec((None,), "int32"),
            "is_crowd": tf.TensorSpec((None,), "bool"),
            "difficult": tf.TensorSpec((None,), "int32"),
            "score": tf.TensorSpec((None, 2), "float32"),
        },
    }
    return tf.data.Dataset.from_generator(gen, output_signature=signature)


def _check_rows(bounding_boxes, attributes):
    """Each row's attributes are those of the input box with its label;
    padding rows (label -1) have padding attributes."""
    labels = np.asarray(bounding_boxes["labels"]).reshape(-1)
    crowd = np.asarray(bounding_boxes["is_crowd"]).reshape(-1)
    difficult = np.asarray(bounding_boxes["difficult"]).reshape(-1)
    score = np.asarray(bounding_boxes["score"]).reshape(-1, 2)
    assert labels.shape == crowd.shape == difficult.shape == score.shape[:1]
    kept = 0
    for label, c, d, s in zip(labels, crowd, difficult, score):
        if label < 0:
            assert not c and d == -1 and (s == -1).all()
            continue
        kept += 1
        want = attributes[int(label)]
        assert (bool(c), int(d)) == want[:2], label
        np.testing.assert_allclose(s, want[2])
    return kept


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_per_box_entries_follow_their_boxes_in_tf_data(name):
    examples, attributes = _examples()
    layer = LAYERS[name]()
    ds = _dataset(examples).ragged_batch(3).map(layer)
    kept = 0
    for batch in ds:
        bb = batch["bounding_boxes"]
        assert sorted(bb) == ["boxes", "difficult", "is_crowd", "labels", "score"]
        kept += _check_rows(bb, attributes)
        # to_ragged drops the same rows from every entry.
        ragged = converters.to_ragged(bb)
        assert ragged["is_crowd"].row_lengths().numpy().tolist() == (
            ragged["labels"].row_lengths().numpy().tolist()
        )
    assert kept > 0


@pytest.mark.parametrize("name", sorted(set(LAYERS) - {"Mosaic", "MixUp"}))
def test_per_box_entries_unbatched(name):
    examples, attributes = _examples(count=1, seed=3)
    examples[0]["bounding_boxes"] = {
        "boxes": np.array([[2, 2, 9, 9], [20, 18, 30, 31]], "float32"),
        "labels": np.array([100, 101], "int32"),
        "is_crowd": np.array([True, False]),
        "difficult": np.array([0, 1], "int32"),
        "score": np.array([[0.1, 0.2], [0.3, 0.4]], "float32"),
    }
    attributes = {100: (True, 0, [0.1, 0.2]), 101: (False, 1, [0.3, 0.4])}
    out = LAYERS[name]()(examples[0])
    _check_rows(out["bounding_boxes"], attributes)


def test_entries_of_dropped_boxes_are_dropped_with_them():
    # The inference crop of RandomCrop(16, 28) on a 16x40 image keeps
    # columns 6-33: the first box leaves the image, the second is clipped.
    data = {
        "images": np.zeros((16, 40, 3), "float32"),
        "bounding_boxes": {
            "boxes": [[1.0, 1.0, 5.0, 5.0], [30.0, 1.0, 39.0, 9.0]],
            "labels": [4, 7],
            "is_crowd": [0, 1],
        },
    }
    layer = jittered_resize.RandomCrop(16, 28, seed=0)
    out = layer(data, training=False)["bounding_boxes"]
    assert out["labels"].numpy().tolist() == [-1, 7]
    assert out["boxes"].numpy().tolist() == [[-1, -1, -1, -1], [24, 1, 28, 9]]
    assert out["is_crowd"].numpy().tolist() == [-1, 1]
    ragged = converters.to_ragged({k: v[None] for k, v in out.items()})
    assert ragged["is_crowd"].to_list() == [[1]]


def test_mosaic_and_mix_up_concatenate_entries_like_boxes():
    data = {
        "images": np.zeros((2, 16, 16, 3), "float32"),
        "bounding_boxes": {
            "boxes": [[[1.0, 1.0, 5.0, 5.0]], [[8.0, 8.0, 12.0, 12.0]]],
            "labels": [[3], [7]],
            "difficult": [[1], [0]],
        },
    }
    out = mix.MixUp(seed=1)(data)["bounding_boxes"]
    assert out["labels"].numpy().tolist() == [[3, 7], [7, 3]]
    assert out["difficult"].numpy().tolist() == [[1, 0], [0, 1]]
    out = mix.Mosaic(seed=1)(data)["bounding_boxes"]
    assert out["difficult"].shape == (2, 4)
    for labels, difficult in zip(out["labels"].numpy(), out["difficult"].numpy()):
        for label, flag in zip(labels, difficult):
            assert flag == {3: 1, 7: 0, -1: -1}[label]


@pytest.mark.parametrize(
    "entry",
    [
        np.array([1, 0, 1], "int32"),  # one per image, not per box
        np.array([[1], [0]], "int32"),  # too few rows
        np.int32(1),  # a scalar
    ],
)
def test_entries_that_are_not_per_box_are_refused(entry):
    data = {
        "images": np.zeros((2, 16, 16, 3), "float32"),
        "bounding_boxes": {
            "boxes": np.zeros((2, 2, 4), "float32"),
            "labels": np.zeros((2, 2), "int32"),
            "image_id": entry,
        },
    }
    with pytest.raises(ValueError, match="must hold one entry per box"):
        keras_wrappers.RandomFlip(seed=1)(data)


def test_ragged_entry_with_other_row_lengths_is_refused():
    boxes = tf.ragged.constant(
        [[[1.0, 1, 4, 4], [2, 2, 6, 6]], [[1.0, 1, 3, 3]]], ragged_rank=1
    )
    data = {
        "images": np.zeros((2, 16, 16, 3), "float32"),
        "bounding_boxes": {
            "boxes": boxes,
            "labels": tf.ragged.constant([[1, 2], [3]]),
            "is_crowd": tf.ragged.constant([[1], [0, 1]]),
        },
    }
    with pytest.raises(
        (ValueError, tf.errors.InvalidArgumentError),
        match="must hold one entry per box",
    ):
        mix.Mosaic(seed=1)(data)
