# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""COCO: loading the real dataset through tensorflow-datasets, and writing
any detection dataset as a COCO-format annotation file."""

import json
import os

import numpy as np

from keras_core import api_export
from keras_cv.src.bounding_box import converters
from keras_cv.src.datasets import extras

_SPLITS = ("train", "validation", "test")


def _convert_example(example, bounding_box_format, include_crowd):
    import tensorflow as tf

    image = example["image"]
    objects = example["objects"]
    # Every per-object field has one row per object; keep the common length
    # so that a malformed record cannot misalign boxes and labels.
    count = tf.reduce_min(
        tf.stack(
            [
                tf.shape(objects["bbox"])[0],
                tf.shape(objects["label"])[0],
                tf.shape(objects["is_crowd"])[0],
            ]
        )
    )
    relative_yxyx = objects["bbox"][:count]
    labels = tf.cast(objects["label"][:count], "int32")
    if not include_crowd:
        keep = tf.logical_not(objects["is_crowd"][:count])
        relative_yxyx = tf.boolean_mask(relative_yxyx, keep)
        labels = tf.boolean_mask(labels, keep)
    height = tf.cast(tf.shape(image)[0], "float32")
    width = tf.cast(tf.shape(image)[1], "float32")
    scale = tf.stack([height, width, height, width])
    yxyx = relative_yxyx * scale
    boxes = converters.convert_format(
        yxyx, "yxyx", bounding_box_format, height=height, width=width
    )
    return {
        "images": tf.cast(image, "float32"),
        "bounding_boxes": {"boxes": tf.cast(boxes, "float32"), "labels": labels},
        "image_ids": example["image/id"],
    }


@api_export("keras_cv.datasets.coco.load", stability="experimental")
def load(
    split="train",
    data_dir=None,
    bounding_box_format="xyxy",
    include_crowd=False,
    version="2017",
    shuffle_files=False,
):
    """Loads COCO detection from a tensorflow-datasets directory.

    Reads the `coco/<version>` dataset that tensorflow-datasets prepared in
    `data_dir` (nothing is downloaded: prepare it beforehand with
    `tfds.builder("coco/2017", data_dir=...).download_and_prepare()`), and
    converts every record to the Keras 3 detection convention: boxes in
    pixels in `bounding_box_format`, integer labels (the 80 COCO classes,
    0-based as tensorflow-datasets numbers them).

    Args:
        split: `"train"`, `"validation"` or `"test"`, or any tfds split
            expression such as `"validation[:100]"`.
        data_dir: the tensorflow-datasets data directory.
        bounding_box_format: the format of the returned boxes.
        include_crowd: keep the boxes marked `is_crowd` (default: dropped).
        version: the COCO release, `"2017"` or `"2014"`.
        shuffle_files: shuffle the record files (training).

    Returns:
        An unbatched `tf.data.Dataset` of `{"images": float32 (h, w, 3),
        "bounding_boxes": {"boxes": float32 (n, 4), "labels": int32 (n,)},
        "image_ids": int64}`; images differ in size and box count, batch
        with `dataset.ragged_batch(...)` or resize first.

    Examples:

    ```python
    import tensorflow_datasets as tfds

    # Random records stand in for a prepared `data_dir` here.
    with tfds.testing.mock_data(num_examples=2, policy=tfds.testing.MockPolicy.USE_CODE):
        val = keras_cv.datasets.coco.load("validation", data_dir="~/tensorflow_datasets")
        sample = next(iter(val))
    print(sample["images"].shape, sample["bounding_boxes"]["boxes"].shape)
    ```
    """
    bounding_box_format = converters.validate_format(bounding_box_format)
    if not isinstance(split, str) or split.split("[")[0].split("+")[0] not in _SPLITS:
        raise ValueError(
            f"`split` must be one of {list(_SPLITS)} (optionally with a "
            "tfds slice such as 'train[:10%]'). "
            f"Received: split={split!r}."
        )
    if version not in ("2014", "2017"):
        raise ValueError(
            f"`version` must be '2014' or '2017'. Received: version={version!r}."
        )
    import tensorflow as tf

    tfds = extras.require("tensorflow_datasets", "`keras_cv.datasets.coco.load`")
    if data_dir is not None:
        data_dir = os.path.expanduser(os.fspath(data_dir))
    dataset = tfds.load(
        f"coco/{version}",
        split=split,
        data_dir=data_dir,
        download=False,
        shuffle_files=shuffle_files,
    )
    return dataset.map(
        lambda example: _convert_example(example, bounding_box_format, include_crowd),
        num_parallel_calls=tf.data.AUTOTUNE,
    )


def _iterate_examples(dataset):
    """Yields (image_shape, boxes, labels, image_id) per image, NumPy."""
    if isinstance(dataset, dict):
        import tensorflow as tf

        dataset = tf.data.Dataset.from_tensor_slices(dataset)
    index = 0
    for element in dataset.as_numpy_iterator():
        images = element["images"]
        boxes = element["bounding_boxes"]["boxes"]
        bb = element["bounding_boxes"]
        labels = bb["labels"] if "labels" in bb else bb["classes"]
        crowd = bb.get("is_crowd")
        ids = element.get("image_ids")
        batched = np.ndim(images) == 4
        if not batched:
            images, boxes, labels = images[None], [boxes], [labels]
            ids = None if ids is None else [ids]
            crowd = None if crowd is None else [crowd]
        for i in range(len(images)):
            image_id = index if ids is None else int(ids[i])
            is_crowd = (
                np.zeros(len(np.asarray(labels[i])), "int64")
                if crowd is None
                else np.asarray(crowd[i])
            )
            yield (
                images[i],
                np.asarray(boxes[i]),
                np.asarray(labels[i]),
                is_crowd,
                image_id,
            )
            index += 1


@api_export("keras_cv.datasets.export_coco_json", stability="experimental")
def export_coco_json(
    dataset,
    path,
    class_names,
    bounding_box_format="xyxy",
    image_dir=None,
    category_ids=None,
):
    """Writes the ground truth of a detection dataset as a COCO JSON file.

    The result loads with `pycocotools.coco.COCO(path)` and any COCO tool.
    Images are numbered in dataset order from 0 (or take `"image_ids"` when
    the elements carry them); categories are numbered as the labels (label
    `k` is category id `k`, named `class_names[k]`, unless `category_ids`
    maps it). Padding rows (label -1) are skipped. Boxes flagged in
    `bounding_boxes["is_crowd"]` are written with `iscrowd: 1`. With
    `image_dir`, the images are written there as `<image_id>.png`, so that
    `keras_cv.datasets.load_coco_json(path, image_dir)` reads the dataset
    back.

    Args:
        dataset: a `tf.data.Dataset` (batched or not) of
            `{"images", "bounding_boxes": {"boxes", "labels"}}`, or such a
            dict of arrays with a leading image axis.
        path: the JSON file to write.
        class_names: list of category names, indexed by label.
        bounding_box_format: the format of the dataset's boxes.
        image_dir: optional folder to write the images to (PNG, values
            rounded and clipped to 0-255).
        category_ids: optional list, the category id of each label (the
            `category_ids` of a `keras_cv.datasets.DetectionData`).

    Returns:
        The COCO dict that was written.

    Examples:

    ```python
    import os, tempfile

    train, val = keras_cv.datasets.shapes.load(num_train=2, num_validation=3)
    path = os.path.join(tempfile.mkdtemp(), "val.json")
    coco = keras_cv.datasets.export_coco_json(
        val, path, class_names=keras_cv.datasets.shapes.class_names())
    print(len(coco["images"]))  # 3
    ```
    """
    bounding_box_format = converters.validate_format(bounding_box_format)
    class_names = list(class_names)
    if category_ids is None:
        category_ids = list(range(len(class_names)))
    category_ids = [int(c) for c in category_ids]
    if len(category_ids) != len(class_names) or len(set(category_ids)) != len(
        category_ids
    ):
        raise ValueError(
            "`category_ids` must hold one distinct id per class name. Received "
            f"{len(category_ids)} ids for {len(class_names)} names: {category_ids}."
        )
    if image_dir is not None:
        from PIL import Image

        image_dir = os.fspath(image_dir)
        os.makedirs(image_dir, exist_ok=True)
    images, annotations = [], []
    for pixels, boxes, labels, is_crowd, image_id in _iterate_examples(dataset):
        shape = pixels.shape
        height, width = int(shape[0]), int(shape[1])
        if image_dir is not None:
            data = np.clip(np.round(np.asarray(pixels, "float64")), 0, 255)
            data = data.astype("uint8")
            if data.ndim == 3 and data.shape[-1] == 1:
                data = data[..., 0]
            Image.fromarray(data).save(os.path.join(image_dir, f"{image_id}.png"))
        images.append(
            {
                "id": image_id,
                "height": height,
                "width": width,
                "file_name": f"{image_id}.png",
            }
        )
        valid = labels >= 0
        if not valid.any():
            continue
        boxes, labels = boxes[valid], labels[valid]
        is_crowd = np.asarray(is_crowd).reshape(-1)[valid]
        if int(labels.max()) >= len(class_names):
            raise ValueError(
                f"Image {image_id} has label {int(labels.max())} but "
                f"`class_names` names only {len(class_names)} classes. Pass "
                "one name per class."
            )
        xywh = np.asarray(
            converters.convert_format(
                boxes.astype("float32"),
                bounding_box_format,
                "xywh",
                height=height,
                width=width,
            )
        )
        for box, label, crowd in zip(xywh, labels, is_crowd):
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": image_id,
                    "category_id": category_ids[int(label)],
                    "bbox": [float(v) for v in box],
                    "area": float(box[2] * box[3]),
                    "iscrowd": int(crowd > 0),
                }
            )
    coco = {
        "images": images,
        "annotations": annotations,
        "categories": [
            {"id": i, "name": str(n)} for i, n in zip(category_ids, class_names)
        ],
    }
    with open(path, "w") as f:
        json.dump(coco, f)
    return coco
