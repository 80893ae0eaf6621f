# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json

import numpy as np
import pytest
from pycocotools.coco import COCO

from keras_cv.src.datasets import coco
from keras_cv.src.datasets import shapes


def test_generate_boxes_are_the_bounds_of_the_drawn_pixels():
    data = shapes.generate(
        6, image_size=(48, 64), max_objects=3, noise=0.0, seed=3, return_masks=True
    )
    assert data["images"].shape == (6, 48, 64, 3)
    assert data["images"].dtype == np.uint8
    for i in range(6):
        masks = data["masks"][i]
        n = len(masks)
        assert 1 <= n <= 3
        assert (data["labels"][i, n:] == -1).all()
        assert (data["boxes"][i, n:] == -1).all()
        for k, mask in enumerate(masks):
            ys, xs = np.nonzero(mask)
            expected = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
            np.testing.assert_array_equal(data["boxes"][i, k], expected)
            # Noise-free: the object's pixels all have one colour that
            # differs from the background at the box corners outside it.
            colours = data["images"][i][mask]
            assert (colours == colours[0]).all()


def test_generate_is_deterministic_and_seed_dependent():
    a = shapes.generate(3, image_size=32, seed=7)
    b = shapes.generate(3, image_size=32, seed=7)
    c = shapes.generate(3, image_size=32, seed=8)
    np.testing.assert_array_equal(a["images"], b["images"])
    np.testing.assert_array_equal(a["boxes"], b["boxes"])
    assert not np.array_equal(a["images"], c["images"])


def test_generate_classes_and_noise():
    data = shapes.generate(30, image_size=32, shapes=("ellipse",), noise=0.0, seed=0)
    labels = data["labels"][data["labels"] >= 0]
    assert set(labels.tolist()) == {1}
    noisy = shapes.generate(30, image_size=32, noise=0.2, seed=0)
    clean = shapes.generate(30, image_size=32, noise=0.0, seed=0)
    assert np.abs(noisy["images"].astype(float) - clean["images"]).mean() > 10
    all_labels = shapes.generate(60, image_size=32, seed=0)["labels"]
    assert set(all_labels[all_labels >= 0].tolist()) == {0, 1, 2}


def test_load_returns_batchable_datasets_in_the_requested_format():
    train, val = shapes.load(
        num_train=5,
        num_validation=3,
        image_size=32,
        bounding_box_format="center_xywh",
        seed=1,
    )
    assert train.cardinality() == 5 and val.cardinality() == 3
    xyxy_train, _ = shapes.load(num_train=5, num_validation=3, image_size=32, seed=1)
    batch = next(iter(train.batch(5)))
    ref = next(iter(xyxy_train.batch(5)))
    assert batch["images"].shape == (5, 32, 32, 3)
    assert batch["images"].dtype.name == "float32"
    boxes = batch["bounding_boxes"]["boxes"].numpy()
    labels = batch["bounding_boxes"]["labels"].numpy()
    x = ref["bounding_boxes"]["boxes"].numpy()
    valid = labels >= 0
    expected = np.stack(
        [
            (x[..., 0] + x[..., 2]) / 2,
            (x[..., 1] + x[..., 3]) / 2,
            x[..., 2] - x[..., 0],
            x[..., 3] - x[..., 1],
        ],
        -1,
    )
    np.testing.assert_allclose(boxes[valid], expected[valid])
    assert (boxes[~valid] == -1).all()
    # Train and validation images differ.
    v = next(iter(val.batch(3)))["images"].numpy()
    assert not any(np.array_equal(v[0], t) for t in batch["images"].numpy())


def test_load_without_validation():
    train, val = shapes.load(num_train=2, num_validation=0, image_size=16)
    assert val is None and train.cardinality() == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"image_size": 8}, "image_size"),
        ({"min_objects": 4, "max_objects": 2}, "min_objects"),
        ({"min_size": 0.5, "max_size": 0.2}, "min_size"),
        ({"shapes": ("hexagon",)}, "shapes"),
        ({"noise": -1.0}, "noise"),
        ({"num_images": 0}, "num_images"),
    ],
)
def test_bad_arguments(kwargs, match):
    kwargs = {"num_images": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        shapes.generate(**kwargs)


def test_export_coco_json_reads_back_with_pycocotools(tmp_path):
    data = shapes.generate(4, image_size=40, seed=2)
    path = str(tmp_path / "gt.json")
    _, val = shapes.load(num_train=1, num_validation=4, image_size=40, seed=2)
    coco.export_coco_json(val.batch(3), path, class_names=shapes.CLASS_NAMES)
    gt = COCO(path)
    assert sorted(gt.getImgIds()) == [0, 1, 2, 3]
    assert [c["name"] for c in gt.loadCats(gt.getCatIds())] == list(shapes.CLASS_NAMES)
    val_np = next(iter(val.batch(4)))
    boxes = val_np["bounding_boxes"]["boxes"].numpy()
    labels = val_np["bounding_boxes"]["labels"].numpy()
    for image_id in range(4):
        anns = gt.loadAnns(gt.getAnnIds(imgIds=[image_id]))
        valid = labels[image_id] >= 0
        assert len(anns) == valid.sum()
        for ann, box, label in zip(
            anns, boxes[image_id][valid], labels[image_id][valid]
        ):
            x, y, w, h = ann["bbox"]
            np.testing.assert_allclose([x, y, x + w, y + h], box)
            assert ann["category_id"] == label
            assert ann["area"] == pytest.approx(w * h)
    with open(path) as f:
        assert json.load(f)["images"][0]["height"] == 40
    del data


def test_export_coco_json_rejects_unknown_labels(tmp_path):
    data = shapes.generate(2, image_size=32, seed=0)
    with pytest.raises(ValueError, match="class_names"):
        coco.export_coco_json(
            {
                "images": data["images"],
                "bounding_boxes": {"boxes": data["boxes"], "labels": data["labels"]},
            },
            str(tmp_path / "x.json"),
            class_names=["only_one"],
        )


def test_generate_masks_match_boxes_labels_and_pixels():
    data = shapes.generate(
        8, image_size=(40, 56), noise=0.0, seed=11, return_masks=True
    )
    plain = shapes.generate(8, image_size=(40, 56), noise=0.0, seed=11)
    # Asking for masks leaves the detection outputs unchanged.
    for key in ("images", "boxes", "labels"):
        np.testing.assert_array_equal(data[key], plain[key])
    semantic = data["segmentation_masks"]
    instances = data["instance_masks"]
    assert semantic.shape == (8, 40, 56, 1) and semantic.dtype == np.uint8
    assert instances.shape == (8, 3, 40, 56) and instances.dtype == np.uint8
    for i in range(8):
        labels = data["labels"][i]
        expected = np.zeros((40, 56), "uint8")
        for k in range(3):
            if labels[k] < 0:
                assert not instances[i, k].any()
                continue
            mask = instances[i, k].astype(bool)
            np.testing.assert_array_equal(mask, data["masks"][i][k])
            ys, xs = np.nonzero(mask)
            np.testing.assert_array_equal(
                data["boxes"][i, k], [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
            )
            expected[mask] = labels[k] + 1
        np.testing.assert_array_equal(semantic[i, ..., 0], expected)
        # Background pixels (class 0) all show the background colour.
        background = data["images"][i][expected == 0]
        assert (background == background[0]).all()


def test_load_with_masks_is_deterministic_and_keeps_boxes():
    kwargs = dict(num_train=4, num_validation=2, image_size=32, seed=5)
    with_masks = next(iter(shapes.load(return_masks=True, **kwargs)[0].batch(4)))
    again = next(iter(shapes.load(return_masks=True, **kwargs)[0].batch(4)))
    without = next(iter(shapes.load(**kwargs)[0].batch(4)))
    assert "segmentation_masks" not in without
    assert tuple(with_masks["segmentation_masks"].shape) == (4, 32, 32, 1)
    assert with_masks["segmentation_masks"].dtype == "int32"
    assert tuple(with_masks["instance_masks"].shape) == (4, 3, 32, 32)
    for key in ("segmentation_masks", "instance_masks", "images"):
        np.testing.assert_array_equal(with_masks[key], again[key])
    np.testing.assert_array_equal(with_masks["images"], without["images"])
    np.testing.assert_array_equal(
        with_masks["bounding_boxes"]["boxes"], without["bounding_boxes"]["boxes"]
    )
    # Classes + 1 on object pixels; every object has pixels in its mask.
    values = set(np.unique(with_masks["segmentation_masks"]).tolist())
    assert values <= {0, 1, 2, 3} and len(values) > 1
