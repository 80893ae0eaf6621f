# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import json
import os
import sys

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from keras_cv.src.datasets import coco as coco_module
from keras_cv.src.datasets import local_files


def _save(path, size, mode="RGB", value=100, exif_orientation=None):
    height, width = size
    os.makedirs(os.path.dirname(path), exist_ok=True)
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    data = np.full((height, width, channels), value, "uint8")
    if mode == "RGBA":
        data[..., 3] = 0  # fully transparent: the colour values must survive
    image = Image.fromarray(data[..., 0] if mode == "L" else data, mode)
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(path, exif=exif)
    else:
        image.save(path)


def _elements(data):
    return list(data.dataset.as_numpy_iterator())


# ------------------------------------------------------------------ COCO


def _coco_fixture(tmp_path):
    images = tmp_path / "images"
    _save(str(images / "a.png"), (40, 60))
    _save(str(images / "b.png"), (30, 20), mode="L", value=7)
    _save(str(images / "c.png"), (50, 50), mode="RGBA", value=9)
    square = [[10, 10, 30, 10, 30, 30, 10, 30]]  # polygon: x, y pairs
    coco = {
        "images": [
            {"id": 11, "file_name": "a.png", "height": 40, "width": 60},
            {"id": 12, "file_name": "b.png", "height": 30, "width": 20},
            {"id": 13, "file_name": "c.png", "height": 50, "width": 50},
        ],
        "annotations": [
            {
                "id": 1,
                "image_id": 11,
                "category_id": 5,
                "bbox": [10, 5, 20, 15],
                "iscrowd": 0,
                "area": 300,
                "segmentation": square,
            },
            # A crowd region, with an uncompressed RLE: 40 pixels then 2360.
            {
                "id": 2,
                "image_id": 11,
                "category_id": 9,
                "bbox": [0, 0, 1, 40],
                "iscrowd": 1,
                "area": 40,
                "segmentation": {"size": [40, 60], "counts": [0, 40, 2360]},
            },
            # Extends past the right edge of b.png: clipped to 20.
            {
                "id": 3,
                "image_id": 12,
                "category_id": 9,
                "bbox": [2, 3, 25, 4],
                "iscrowd": 0,
                "area": 100,
                "segmentation": [[2, 3, 19, 3, 19, 7, 2, 7]],
            },
        ],
        "categories": [{"id": 9, "name": "dog"}, {"id": 5, "name": "cat"}],
    }
    path = tmp_path / "ann.json"
    path.write_text(json.dumps(coco))
    return str(path), str(images), coco


def test_coco_boxes_labels_crowd_and_conversion(tmp_path):
    path, images, _ = _coco_fixture(tmp_path)
    data = local_files.load_coco_json(path, images)
    assert data.class_names == ["cat", "dog"]  # increasing category id
    assert data.category_ids == [5, 9]
    a, b, c = _elements(data)
    assert a["image_ids"] == 11
    np.testing.assert_allclose(
        a["bounding_boxes"]["boxes"], [[10, 5, 30, 20], [0, 0, 1, 40]]
    )
    np.testing.assert_array_equal(a["bounding_boxes"]["labels"], [0, 1])
    np.testing.assert_array_equal(a["bounding_boxes"]["is_crowd"], [0, 1])
    np.testing.assert_allclose(b["bounding_boxes"]["boxes"], [[2, 3, 20, 7]])
    # Grayscale repeated on three channels, RGBA loses alpha, sizes kept.
    assert b["images"].shape == (30, 20, 3) and np.all(b["images"] == 7)
    assert c["images"].shape == (50, 50, 3) and np.all(c["images"] == 9)
    assert c["bounding_boxes"]["boxes"].shape == (0, 4)
    assert a["images"].dtype == np.float32


def test_coco_options(tmp_path):
    path, images, _ = _coco_fixture(tmp_path)
    no_crowd = _elements(local_files.load_coco_json(path, images, include_crowd=False))
    np.testing.assert_array_equal(no_crowd[0]["bounding_boxes"]["labels"], [0])
    dropped = _elements(local_files.load_coco_json(path, images, include_empty=False))
    assert [e["image_ids"] for e in dropped] == [11, 12]
    padded = _elements(
        local_files.load_coco_json(
            path, images, max_boxes=3, bounding_box_format="xywh"
        )
    )
    np.testing.assert_allclose(
        padded[0]["bounding_boxes"]["boxes"],
        [[10, 5, 20, 15], [0, 0, 1, 40], [-1, -1, -1, -1]],
    )
    np.testing.assert_array_equal(padded[2]["bounding_boxes"]["labels"], [-1, -1, -1])
    with pytest.raises(ValueError, match="max_boxes=1"):
        local_files.load_coco_json(path, images, max_boxes=1)
    with pytest.raises(ValueError, match="max_boxes"):
        local_files.load_coco_json(path, images, max_boxes=0)


def test_coco_masks_match_pycocotools(tmp_path):
    from pycocotools.coco import COCO

    path, images, _ = _coco_fixture(tmp_path)
    reference = COCO(path)
    data = local_files.load_coco_json(path, images, include_masks=True)
    for element in _elements(data):
        anns = reference.loadAnns(
            reference.getAnnIds(imgIds=[int(element["image_ids"])])
        )
        expected = [reference.annToMask(a) for a in anns]
        assert element["instance_masks"].shape[0] == len(expected)
        for got, want in zip(element["instance_masks"], expected):
            np.testing.assert_array_equal(got, want)
    first = _elements(data)[0]["instance_masks"]
    assert first[0][12:28, 12:28].all() and not first[0][:8].any()  # filled square
    assert first[1].sum() == 40 and first[1][:, 0].all()  # RLE: first column


def test_coco_bad_files_are_named(tmp_path):
    path, images, coco = _coco_fixture(tmp_path)
    with open(os.path.join(images, "a.png"), "wb") as f:
        f.write(b"not a png at all")
    with pytest.raises(ValueError, match="a.png"):
        local_files.load_coco_json(path, images)
    os.remove(os.path.join(images, "a.png"))
    with pytest.raises(ValueError, match="not found.*a.png"):
        local_files.load_coco_json(path, images)
    coco["annotations"][0]["category_id"] = 77
    (tmp_path / "bad.json").write_text(json.dumps(coco))
    with pytest.raises(ValueError, match="category_id 77"):
        local_files.load_coco_json(str(tmp_path / "bad.json"), images)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        local_files.load_coco_json(str(tmp_path / "broken.json"), images)


def test_coco_truncated_image_is_named(tmp_path):
    path, images, _ = _coco_fixture(tmp_path)
    full = open(os.path.join(images, "a.png"), "rb").read()
    with open(os.path.join(images, "a.png"), "wb") as f:
        f.write(full[: len(full) // 2])
    with pytest.raises(ValueError, match="Cannot decode image file.*a.png"):
        local_files.load_coco_json(path, images)


def test_exif_orientation_is_applied(tmp_path):
    # Stored 20 wide x 40 high; orientation 6 (rotate 90) shows 40 x 20.
    _save(str(tmp_path / "r.jpg"), (40, 20), exif_orientation=6)
    image = local_files.read_image(str(tmp_path / "r.jpg"))
    assert image.shape == (20, 40, 3)
    frame = pd.DataFrame(
        {
            "path": ["r.jpg"],
            "xmin": [0],
            "ymin": [0],
            "xmax": [39],
            "ymax": [19],
            "label": ["x"],
        }
    )
    (element,) = _elements(local_files.load_csv(frame, image_dir=str(tmp_path)))
    assert element["images"].shape == (20, 40, 3)
    np.testing.assert_allclose(element["bounding_boxes"]["boxes"], [[0, 0, 39, 19]])
    (element,) = _elements(
        local_files.load_csv(frame, image_dir=str(tmp_path), exif_transpose=False)
    )
    assert element["images"].shape == (40, 20, 3)
    np.testing.assert_allclose(
        element["bounding_boxes"]["boxes"], [[0, 0, 20, 19]]
    )  # clipped


def test_export_coco_json_round_trip(tmp_path):
    path, images, original = _coco_fixture(tmp_path)
    data = local_files.load_coco_json(path, images)
    out = tmp_path / "out"
    exported = coco_module.export_coco_json(
        data.dataset,
        str(out / "ann.json"),
        data.class_names,
        image_dir=str(out),
        category_ids=data.category_ids,
    )
    assert exported["categories"] == [
        {"id": 5, "name": "cat"},
        {"id": 9, "name": "dog"},
    ]
    again = local_files.load_coco_json(str(out / "ann.json"), str(out))
    assert (
        again.class_names == data.class_names
        and again.category_ids == data.category_ids
    )
    for x, y in zip(_elements(data), _elements(again)):
        assert x["image_ids"] == y["image_ids"]
        np.testing.assert_array_equal(x["images"], y["images"])
        for key in ("boxes", "labels", "is_crowd"):
            np.testing.assert_allclose(
                x["bounding_boxes"][key], y["bounding_boxes"][key]
            )
    crowd = [a["iscrowd"] for a in exported["annotations"]]
    assert crowd == [0, 1, 0]


# ------------------------------------------------------------ Pascal VOC

_VOC = """<annotation>
  <filename>{name}</filename>
  <size><width>{w}</width><height>{h}</height><depth>3</depth></size>
  {objects}
</annotation>"""
_OBJ = """<object><name>{cls}</name><difficult>{d}</difficult>
  <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>"""


def _voc_fixture(tmp_path):
    root = tmp_path / "voc"
    (root / "Annotations").mkdir(parents=True)
    (root / "ImageSets" / "Main").mkdir(parents=True)
    _save(str(root / "JPEGImages" / "1.jpg"), (40, 60))
    _save(str(root / "JPEGImages" / "2.jpg"), (25, 35))
    objects = _OBJ.format(cls="person", d=0, x1=11, y1=6, x2=30, y2=20) + _OBJ.format(
        cls="bird", d=1, x1=1, y1=1, x2=60, y2=40
    )
    (root / "Annotations" / "1.xml").write_text(
        _VOC.format(name="1.jpg", w=60, h=40, objects=objects)
    )
    (root / "Annotations" / "2.xml").write_text(
        _VOC.format(name="2.jpg", w=35, h=25, objects="")
    )
    (root / "ImageSets" / "Main" / "val.txt").write_text("2\n")
    return str(root)


def test_pascal_voc(tmp_path):
    root = _voc_fixture(tmp_path)
    data = local_files.load_pascal_voc(root)
    assert data.class_names == ["bird", "person"]
    first, second = _elements(data)
    # 1-based inclusive corners become 0-based: xmin - 1, ymin - 1.
    np.testing.assert_allclose(
        first["bounding_boxes"]["boxes"], [[10, 5, 30, 20], [0, 0, 60, 40]]
    )
    np.testing.assert_array_equal(first["bounding_boxes"]["labels"], [1, 0])
    np.testing.assert_array_equal(first["bounding_boxes"]["difficult"], [0, 1])
    assert second["images"].shape == (25, 35, 3)
    easy = _elements(
        local_files.load_pascal_voc(
            root, include_difficult=False, class_names=["bird", "person"]
        )
    )
    np.testing.assert_array_equal(easy[0]["bounding_boxes"]["labels"], [1])
    (only,) = _elements(local_files.load_pascal_voc(root, split="val"))
    assert only["images"].shape == (25, 35, 3)
    with pytest.raises(ValueError, match="'bird'.*not in `class_names`"):
        local_files.load_pascal_voc(root, class_names=["person"])
    with pytest.raises(ValueError, match="Split file not found"):
        local_files.load_pascal_voc(root, split="nope")


def test_pascal_voc_refuses_entities(tmp_path):
    root = _voc_fixture(tmp_path)
    (tmp_path / "voc" / "Annotations" / "1.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]>'
        "<annotation><filename>1.jpg</filename><object><name>&x;</name></object></annotation>"
    )
    with pytest.raises(ValueError, match="DOCTYPE"):
        local_files.load_pascal_voc(root)
    (tmp_path / "voc" / "Annotations" / "1.xml").write_text("<annotation><object>")
    with pytest.raises(ValueError, match="Cannot parse.*1.xml"):
        local_files.load_pascal_voc(root)


# ------------------------------------------------------------------ YOLO


def test_yolo(tmp_path):
    _save(str(tmp_path / "images" / "train" / "a.png"), (40, 60))
    _save(str(tmp_path / "images" / "train" / "b.png"), (20, 20))
    (tmp_path / "labels" / "train").mkdir(parents=True)
    # cx=20/60, cy=12.5/40, w=20/60, h=15/40 -> [10, 5, 30, 20]
    (tmp_path / "labels" / "train" / "a.txt").write_text(
        f"1 {20 / 60} {12.5 / 40} {20 / 60} {15 / 40}\n0 0.5 0.5 1.0 1.0\n"
    )
    (tmp_path / "labels" / "classes.txt").write_text("car\nbus\n")
    data = local_files.load_yolo(str(tmp_path / "images" / "train"))
    assert data.class_names == ["car", "bus"]
    a, b = _elements(data)
    np.testing.assert_allclose(
        a["bounding_boxes"]["boxes"], [[10, 5, 30, 20], [0, 0, 60, 40]], atol=1e-4
    )
    np.testing.assert_array_equal(a["bounding_boxes"]["labels"], [1, 0])
    assert b["bounding_boxes"]["boxes"].shape == (0, 4)  # no label file: empty
    assert (
        len(
            _elements(
                local_files.load_yolo(
                    str(tmp_path / "images" / "train"), include_empty=False
                )
            )
        )
        == 1
    )
    (tmp_path / "labels" / "train" / "b.txt").write_text("0 0.5 0.5\n")
    with pytest.raises(ValueError, match="b.txt.*line 1"):
        local_files.load_yolo(str(tmp_path / "images" / "train"))
    (tmp_path / "labels" / "train" / "b.txt").write_text("5 0.5 0.5 0.1 0.1\n")
    with pytest.raises(ValueError, match="class 5.*2 names"):
        local_files.load_yolo(str(tmp_path / "images" / "train"))


# ------------------------------------------------------------------- CSV


def test_csv_and_dataframe(tmp_path):
    _save(str(tmp_path / "a.png"), (40, 60))
    _save(str(tmp_path / "b.png"), (30, 30))
    frame = pd.DataFrame(
        {
            "path": ["a.png", "b.png", "a.png"],
            "xmin": [10, None, 1],
            "ymin": [5, None, 2],
            "xmax": [30, None, 3],
            "ymax": [20, None, 4],
            "label": ["zebra", None, "ant"],
        }
    )
    frame.to_csv(tmp_path / "boxes.csv", index=False)
    for source in (frame, str(tmp_path / "boxes.csv")):
        data = local_files.load_csv(source, image_dir=str(tmp_path))
        assert data.class_names == ["ant", "zebra"]
        a, b = _elements(data)
        np.testing.assert_allclose(
            a["bounding_boxes"]["boxes"], [[10, 5, 30, 20], [1, 2, 3, 4]]
        )
        np.testing.assert_array_equal(a["bounding_boxes"]["labels"], [1, 0])
        assert b["bounding_boxes"]["labels"].shape == (0,)
    bad = frame.copy()
    bad.loc[0, "xmax"] = 2  # xmax < xmin
    with pytest.raises(ValueError, match="a.png.*xmax < xmin"):
        local_files.load_csv(bad, image_dir=str(tmp_path))
    with pytest.raises(ValueError, match="lacks the columns"):
        local_files.load_csv(frame.drop(columns=["label"]))
    missing = frame.copy()
    missing.loc[1, "path"] = "gone.png"
    with pytest.raises(ValueError, match="gone.png"):
        local_files.load_csv(missing, image_dir=str(tmp_path))


def test_batches_with_ragged_and_padded_boxes(tmp_path):
    path, images, _ = _coco_fixture(tmp_path)
    data = local_files.load_coco_json(path, images, max_boxes=2)
    import tensorflow as tf

    batch = next(
        iter(
            data.dataset.map(
                lambda e: {**e, "images": tf.image.resize(e["images"], (32, 32))}
            ).batch(3)
        )
    )
    assert batch["bounding_boxes"]["boxes"].shape == (3, 2, 4)
    ragged = local_files.load_coco_json(path, images).dataset.ragged_batch(3)
    batch = next(iter(ragged))
    assert batch["bounding_boxes"]["boxes"].row_lengths().numpy().tolist() == [2, 1, 0]


def test_load_csv_without_pandas_names_the_extra(monkeypatch, tmp_path):
    # pandas is the optional keras-cv[pandas] extra (it was not a dependency
    # at all: a plain install failed with "No module named 'pandas'").
    (tmp_path / "boxes.csv").write_text("path,xmin,ymin,xmax,ymax,label\n")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "keras-cv\[pandas\]"'):
        local_files.load_csv(str(tmp_path / "boxes.csv"))


def test_coco_crowd_regions_evaluate_like_pycocotools_through_augmentation(tmp_path):
    # Loaded crowd flags survive a ragged tf.data pipeline with an
    # augmentation layer, and evaluate_coco on them equals pycocotools on
    # the JSON file itself.
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    from keras_cv.src.augmentation.keras_wrappers import RandomColorJitter
    from keras_cv.src.bounding_box import converters
    from keras_cv.src.metrics.coco_evaluation import evaluate_coco

    rng = np.random.default_rng(7)
    images, annotations, detections = [], [], []
    for i in range(8):
        height, width = (int(v) for v in rng.integers(48, 90, 2))
        _save(str(tmp_path / "images" / f"{i}.png"), (height, width))
        images.append(
            {"id": 100 + i, "file_name": f"{i}.png", "height": height, "width": width}
        )
        for _ in range(int(rng.integers(0, 5))):
            w, h = rng.uniform(4, 30, 2)
            x, y = rng.uniform(0, width - w), rng.uniform(0, height - h)
            category = int(rng.choice([3, 8]))
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": 100 + i,
                    "category_id": category,
                    "bbox": [x, y, w, h],
                    "iscrowd": int(rng.random() < 0.35),
                    "area": w * h,
                }
            )
            for _ in range(int(rng.integers(1, 4))):
                jx, jy = rng.normal(0, 3, 2)
                jw, jh = np.exp(rng.normal(0, 0.2, 2))
                detections.append(
                    {
                        "image_id": 100 + i,
                        "category_id": category,
                        "bbox": [x + jx, y + jy, w * jw, h * jh],
                        "score": float(rng.random()),
                    }
                )
    path = tmp_path / "annotations.json"
    path.write_text(
        json.dumps(
            {
                "images": images,
                "annotations": annotations,
                "categories": [{"id": 8, "name": "b"}, {"id": 3, "name": "a"}],
            }
        )
    )
    assert any(a["iscrowd"] for a in annotations)
    assert not all(a["iscrowd"] for a in annotations)

    data = local_files.load_coco_json(str(path), str(tmp_path / "images"))
    layer = RandomColorJitter(brightness_factor=0.3, seed=1)
    # Per image (the sizes differ), then in ragged batches.
    dataset = data.dataset.map(lambda element: layer(element)).ragged_batch(3)
    truth = {"boxes": [], "labels": [], "is_crowd": []}
    order = []
    for batch in dataset:
        ragged = converters.to_ragged(batch["bounding_boxes"])
        for key in truth:
            truth[key].extend(np.asarray(v) for v in ragged[key].to_list())
        order.extend(int(i) for i in batch["image_ids"])
    assert order == [100 + i for i in range(8)]
    flags = np.concatenate([np.reshape(f, -1) for f in truth["is_crowd"]])
    assert flags.sum() == sum(a["iscrowd"] for a in annotations)

    predicted = {"boxes": [], "labels": [], "scores": []}
    for image_id in order:
        mine = [d for d in detections if d["image_id"] == image_id]
        xywh = np.array([d["bbox"] for d in mine], "float64").reshape(-1, 4)
        predicted["boxes"].append(
            np.concatenate([xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], axis=1)
        )
        predicted["labels"].append(
            np.array([data.category_ids.index(d["category_id"]) for d in mine])
        )
        predicted["scores"].append(np.array([d["score"] for d in mine]))
    ours = evaluate_coco(truth, predicted)

    reference = COCO(str(path))
    evaluation = COCOeval(reference, reference.loadRes(detections), "bbox")
    evaluation.evaluate()
    evaluation.accumulate()
    evaluation.summarize()
    np.testing.assert_allclose(list(ours.values()), evaluation.stats, atol=1e-6)
    # The flags matter: without them the crowd regions count as objects.
    without = evaluate_coco(
        {"boxes": truth["boxes"], "labels": truth["labels"]}, predicted
    )
    assert list(without.values()) != list(ours.values())
