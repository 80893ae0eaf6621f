# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import sys

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_cv.src.datasets import coco


def _records():
    # Two images in the layout of tfds' coco/2017 (relative yxyx boxes).
    return [
        {
            "image": np.zeros((20, 40, 3), "uint8"),
            "image/id": np.int64(11),
            "image/filename": b"a.jpg",
            "objects": {
                "bbox": np.array(
                    [[0.1, 0.25, 0.5, 0.5], [0.0, 0.0, 1.0, 1.0]], "float32"
                ),
                "label": np.array([3, 7], "int64"),
                "is_crowd": np.array([False, True]),
                "area": np.array([10, 800], "int64"),
                "id": np.array([1, 2], "int64"),
            },
        },
        {
            "image": np.full((10, 10, 3), 255, "uint8"),
            "image/id": np.int64(12),
            "image/filename": b"b.jpg",
            "objects": {
                "bbox": np.zeros((0, 4), "float32"),
                "label": np.zeros((0,), "int64"),
                "is_crowd": np.zeros((0,), bool),
                "area": np.zeros((0,), "int64"),
                "id": np.zeros((0,), "int64"),
            },
        },
    ]


def _as_dataset(self, *args, **kwargs):
    records = _records()
    return tf.data.Dataset.from_generator(
        lambda: iter(records),
        output_signature={
            "image": tf.TensorSpec((None, None, 3), tf.uint8),
            "image/id": tf.TensorSpec((), tf.int64),
            "image/filename": tf.TensorSpec((), tf.string),
            "objects": {
                "bbox": tf.TensorSpec((None, 4), tf.float32),
                "label": tf.TensorSpec((None,), tf.int64),
                "is_crowd": tf.TensorSpec((None,), tf.bool),
                "area": tf.TensorSpec((None,), tf.int64),
                "id": tf.TensorSpec((None,), tf.int64),
            },
        },
    )


def test_load_converts_tfds_records(tmp_path):
    with tfds.testing.mock_data(as_dataset_fn=_as_dataset):
        examples = list(
            coco.load("validation", data_dir=str(tmp_path)).as_numpy_iterator()
        )
        with_crowd = list(
            coco.load(
                "validation",
                data_dir=str(tmp_path),
                include_crowd=True,
                bounding_box_format="xywh",
            ).as_numpy_iterator()
        )
    assert len(examples) == 2
    first = examples[0]
    assert first["images"].shape == (20, 40, 3) and first["images"].dtype == np.float32
    # ymin 0.1*20=2, xmin 0.25*40=10, ymax 0.5*20=10, xmax 0.5*40=20.
    np.testing.assert_allclose(first["bounding_boxes"]["boxes"], [[10, 2, 20, 10]])
    np.testing.assert_array_equal(first["bounding_boxes"]["labels"], [3])
    assert first["image_ids"] == 11
    assert examples[1]["bounding_boxes"]["boxes"].shape == (0, 4)
    np.testing.assert_allclose(
        with_crowd[0]["bounding_boxes"]["boxes"], [[10, 2, 10, 8], [0, 0, 40, 20]]
    )
    np.testing.assert_array_equal(with_crowd[0]["bounding_boxes"]["labels"], [3, 7])


def test_load_with_generated_mock_records(tmp_path):
    # tfds' own random records (inconsistent per-object lengths) still load.
    with tfds.testing.mock_data(
        num_examples=2, policy=tfds.testing.MockPolicy.USE_CODE
    ):
        ds = coco.load("train", data_dir=str(tmp_path))
        for ex in ds:
            assert (
                ex["bounding_boxes"]["boxes"].shape[0]
                == ex["bounding_boxes"]["labels"].shape[0]
            )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"split": "dev"}, "split"),
        ({"version": "2020"}, "version"),
        ({"bounding_box_format": "xyz"}, "format"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        coco.load(**kwargs)


def test_load_without_tensorflow_datasets_names_the_extra(monkeypatch, tmp_path):
    # tensorflow-datasets is the optional keras-cv[tfds] extra.
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", None)
    with pytest.raises(ImportError, match=r'pip install "keras-cv\[tfds\]"'):
        coco.load("validation", data_dir=str(tmp_path))
