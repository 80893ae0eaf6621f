# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Detection datasets from your own annotated images.

Four loaders read the common annotation layouts (a COCO JSON file, a
Pascal VOC folder, a YOLO folder, a CSV file or pandas DataFrame) and all
return the same thing: a `DetectionData` holding an unbatched `tf.data`
dataset of `{"images", "bounding_boxes": {"boxes", "labels", ...},
"image_ids"}` and the class names, label `k` being `class_names[k]`.

Shared behaviour (one code path, `_build`):

- Images are decoded with Pillow. The EXIF orientation is applied
  (`PIL.ImageOps.exif_transpose`), so boxes are read in the image as a
  viewer shows it. Every image becomes 3-channel RGB: grayscale is
  repeated on the three channels, the alpha channel of RGBA / LA images is
  dropped (the colour values are kept as stored, not blended on a
  background), palette images are expanded, 16-bit grayscale is scaled to
  0-255. Images keep their own size.
- Missing, unreadable or corrupt image files raise a `ValueError` naming
  the file, when the loader is called (`verify_images=True`, the default,
  decodes every image once up front) or at the latest when the image is
  read.
- Boxes are clipped to the image; a box left with no area is dropped with
  a warning. Boxes whose coordinates are reversed (xmax < xmin) are an
  error naming the file.
- `max_boxes=None` gives one `(num_boxes, 4)` tensor per image (batch with
  `dataset.ragged_batch(n)`); `max_boxes=N` pads every image to N rows
  with -1 (boxes and labels), the dense convention of `keras_cv.bounding_box`.
"""

import collections
import json
import os
import warnings

import numpy as np

from keras_core import api_export
from keras_cv.src.bounding_box import converters
from keras_cv.src.datasets import extras

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp")


@api_export("keras_cv.datasets.DetectionData", stability="experimental")
class DetectionData(
    collections.namedtuple("DetectionData", ["dataset", "class_names", "category_ids"])
):
    """What the detection loaders return.

    Attributes:
        dataset: an unbatched `tf.data.Dataset` of `{"images": float32
            (height, width, 3) in 0-255, "bounding_boxes": {"boxes": float32
            (num_boxes, 4), "labels": int32 (num_boxes,), and per-format
            flags}, "image_ids": int64}`.
        class_names: list of class names; label `k` is `class_names[k]`.
        category_ids: the annotation file's id of each label (COCO category
            ids; `0..num_classes-1` for the other formats). Pass it to
            `keras_cv.datasets.export_coco_json` to write the original ids.

    Example:

    ```python
    import os, tempfile
    import pandas as pd
    from PIL import Image

    root = tempfile.mkdtemp()
    Image.new("RGB", (32, 24)).save(os.path.join(root, "a.png"))
    frame = pd.DataFrame({"path": ["a.png"], "xmin": [1], "ymin": [2],
                          "xmax": [9], "ymax": [8], "label": ["cat"]})
    dataset, class_names, category_ids = keras_cv.datasets.load_csv(frame, image_dir=root)
    print(class_names, category_ids)  # ['cat'] [0]
    ```
    """

    __slots__ = ()


class _Record:
    __slots__ = (
        "path",
        "image_id",
        "boxes",
        "labels",
        "flags",
        "segmentations",
        "size",
    )

    def __init__(
        self, path, image_id, boxes, labels, flags=None, segmentations=None, size=None
    ):
        self.path = path
        self.image_id = image_id
        self.boxes = np.asarray(boxes, "float64").reshape(-1, 4)  # xyxy pixels
        self.labels = np.asarray(labels, "int64").reshape(-1)
        self.flags = flags or {}
        self.segmentations = segmentations
        self.size = size  # (height, width) declared by the annotations


# ----------------------------------------------------------------- images


def _to_rgb(image):
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        pixels = np.asarray(image, "float64")
        scale = 257.0 if mode.startswith("I;16") or pixels.max(initial=0) > 255 else 1.0
        gray = np.clip(np.round(pixels / scale), 0, 255).astype("uint8")
        return np.repeat(gray[..., None], 3, axis=-1)
    if mode != "RGB":
        image = image.convert("RGB")
    return np.asarray(image, "uint8")


def read_image(path, exif_transpose=True):
    """Reads an image file as uint8 RGB, `(height, width, 3)`.

    Raises a `ValueError` naming the file when it is missing or cannot be
    decoded.
    """
    from PIL import Image
    from PIL import ImageOps

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(
            f"Image file not found: {path!r}. The annotations reference it; "
            "check the image folder argument or remove the entry from the "
            "annotations."
        )
    try:
        with Image.open(path) as image:
            if exif_transpose:
                image = ImageOps.exif_transpose(image)
            image.load()
            return _to_rgb(image)
    except Exception as e:  # Pillow raises many types for corrupt files.
        raise ValueError(
            f"Cannot decode image file {path!r} ({type(e).__name__}: {e}). "
            "The file is corrupt or not an image; replace or remove it."
        ) from None


def _image_size(path, exif_transpose=True):
    """(height, width) as a viewer shows it, from the header only."""
    from PIL import Image

    if not os.path.isfile(path):
        read_image(path)  # raises the not-found error
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1) if exif_transpose else 1
    except Exception as e:
        raise ValueError(
            f"Cannot decode image file {path!r} ({type(e).__name__}: {e}). "
            "The file is corrupt or not an image; replace or remove it."
        ) from None
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return height, width


# ------------------------------------------------------------- common path


def _check_common(bounding_box_format, max_boxes):
    bounding_box_format = converters.validate_format(bounding_box_format)
    if max_boxes is not None and (
        isinstance(max_boxes, bool) or not isinstance(max_boxes, int) or max_boxes < 1
    ):
        raise ValueError(
            "`max_boxes` must be None (one ragged row of boxes per image) or a "
            f"positive int (pad every image to that many boxes with -1). "
            f"Received: max_boxes={max_boxes!r}."
        )
    return bounding_box_format


def _segmentation_mask(segmentation, height, width):
    from pycocotools import mask as mask_utils

    if isinstance(segmentation, list):
        if not segmentation:
            return np.zeros((height, width), "uint8")
        rles = mask_utils.frPyObjects(segmentation, height, width)
        rle = mask_utils.merge(rles)
    elif isinstance(segmentation, dict) and isinstance(
        segmentation.get("counts"), list
    ):
        rle = mask_utils.frPyObjects(segmentation, height, width)
    elif isinstance(segmentation, dict):
        rle = dict(segmentation)
        if isinstance(rle["counts"], str):
            rle["counts"] = rle["counts"].encode("ascii")
    else:
        raise ValueError(
            "A COCO `segmentation` must be a list of polygons or an RLE dict "
            f"with 'size' and 'counts'. Received: {segmentation!r:.100}."
        )
    return np.asarray(mask_utils.decode(rle), "uint8").reshape(height, width)


def _build(
    records,
    class_names,
    category_ids,
    bounding_box_format,
    max_boxes,
    include_empty,
    verify_images,
    exif_transpose=True,
    include_masks=False,
):
    import tensorflow as tf

    if not include_empty:
        records = [r for r in records if len(r.labels)]
    if not records:
        raise ValueError(
            "No images to load: the annotations list no image"
            + ("" if include_empty else " with at least one box (include_empty=False)")
            + ". Check the paths you passed."
        )
    dropped, first_dropped = 0, None
    sizes, rows = [], []
    for r in records:
        if verify_images:
            height, width = read_image(r.path, exif_transpose).shape[:2]
        else:
            height, width = _image_size(r.path, exif_transpose)
        if r.size is not None and tuple(r.size) != (height, width):
            raise ValueError(
                f"Image {r.path!r} is {height}x{width} (height x width"
                + (", after applying its EXIF orientation" if exif_transpose else "")
                + f") but its annotations say {r.size[0]}x{r.size[1]}. Fix the "
                "annotation file"
                + (
                    ", or pass exif_transpose=False if the boxes were drawn on "
                    "the stored pixels."
                    if exif_transpose
                    else "."
                )
            )
        boxes = r.boxes.copy()
        if len(boxes) and (
            not np.all(np.isfinite(boxes))
            or np.any(boxes[:, 2] < boxes[:, 0])
            or np.any(boxes[:, 3] < boxes[:, 1])
        ):
            bad = boxes[
                ~np.isfinite(boxes).all(1)
                | (boxes[:, 2] < boxes[:, 0])
                | (boxes[:, 3] < boxes[:, 1])
            ][0]
            raise ValueError(
                f"The annotations of {r.path!r} hold the box "
                f"[xmin, ymin, xmax, ymax]={bad.tolist()}, which is not finite "
                "or has xmax < xmin or ymax < ymin. Fix or remove it."
            )
        if len(r.labels) and r.labels.min() < 0:
            raise ValueError(
                f"The annotations of {r.path!r} hold the negative label "
                f"{int(r.labels.min())}. Labels are class indices >= 0."
            )
        boxes[:, 0::2] = np.clip(boxes[:, 0::2], 0, width)
        boxes[:, 1::2] = np.clip(boxes[:, 1::2], 0, height)
        keep = (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
        if not keep.all():
            dropped += int((~keep).sum())
            first_dropped = first_dropped or r.path
        if max_boxes is not None and int(keep.sum()) > max_boxes:
            raise ValueError(
                f"Image {r.path!r} has {int(keep.sum())} boxes but "
                f"max_boxes={max_boxes}. Raise `max_boxes`, or pass "
                "max_boxes=None for ragged boxes."
            )
        sizes.append((height, width))
        rows.append(keep)
    if dropped:
        warnings.warn(
            f"Dropped {dropped} box(es) with no area inside their image "
            f"(first in {first_dropped!r}).",
            stacklevel=3,
        )

    flag_names = sorted({k for r in records for k in r.flags})
    boxes_list, labels_list, flags_list, masks_index = (
        [],
        [],
        {k: [] for k in flag_names},
        [],
    )
    for r, keep, (height, width) in zip(records, rows, sizes):
        boxes = r.boxes[keep].copy()
        boxes[:, 0::2] = np.clip(boxes[:, 0::2], 0, width)
        boxes[:, 1::2] = np.clip(boxes[:, 1::2], 0, height)
        boxes = np.asarray(
            converters.convert_format(
                boxes.astype("float32"),
                "xyxy",
                bounding_box_format,
                height=height,
                width=width,
            ),
            "float32",
        ).reshape(-1, 4)
        labels = r.labels[keep].astype("int32")
        flags = {
            k: np.asarray(r.flags.get(k, np.zeros(len(r.labels))), "int32")[keep]
            for k in flag_names
        }
        if include_masks:
            segmentations = r.segmentations or [None] * len(r.labels)
            masks_index.append([s for s, k in zip(segmentations, keep) if k])
        if max_boxes is not None:
            pad = max_boxes - len(labels)
            boxes = np.concatenate([boxes, -np.ones((pad, 4), "float32")])
            labels = np.concatenate([labels, -np.ones((pad,), "int32")])
            flags = {
                k: np.concatenate([v, -np.ones((pad,), "int32")])
                for k, v in flags.items()
            }
        boxes_list.append(boxes)
        labels_list.append(labels)
        for k in flag_names:
            flags_list[k].append(flags[k])

    def stack(values, inner_shape, dtype):
        if max_boxes is not None:
            return tf.constant(np.stack(values), dtype)
        flat = np.concatenate(values).reshape((-1,) + inner_shape).astype(dtype)
        return tf.RaggedTensor.from_row_lengths(flat, [len(v) for v in values])

    slices = {
        "index": np.arange(len(records), dtype="int64"),
        "image_ids": np.asarray([r.image_id for r in records], "int64"),
        "bounding_boxes": {
            "boxes": stack(boxes_list, (4,), "float32"),
            "labels": stack(labels_list, (), "int32"),
            **{k: stack(v, (), "int32") for k, v in flags_list.items()},
        },
    }
    paths = [r.path for r in records]

    def load_image(index):
        return read_image(paths[int(index)], exif_transpose)

    def load_masks(index):
        index = int(index)
        height, width = sizes[index]
        segs = masks_index[index]
        masks = np.zeros((max_boxes or len(segs), height, width), "uint8")
        for i, seg in enumerate(segs):
            if seg is None:
                raise ValueError(
                    f"An annotation of {paths[index]!r} has no `segmentation`; "
                    "pass include_masks=False or add the masks."
                )
            masks[i] = _segmentation_mask(seg, height, width)
        return masks

    def convert(element):
        index = element.pop("index")
        image = tf.py_function(load_image, [index], tf.uint8)
        image.set_shape([None, None, 3])
        element["images"] = tf.cast(image, "float32")
        if include_masks:
            masks = tf.py_function(load_masks, [index], tf.uint8)
            masks.set_shape([max_boxes, None, None])
            element["instance_masks"] = masks
        return element

    dataset = tf.data.Dataset.from_tensor_slices(slices).map(
        convert, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True
    )
    return DetectionData(dataset, list(class_names), list(category_ids))


def _check_names(class_names, argument="class_names"):
    if isinstance(class_names, (str, bytes)) or not all(
        isinstance(n, str) for n in class_names
    ):
        raise TypeError(
            f"`{argument}` must be a list of strings, one per class. "
            f"Received: {class_names!r:.200}."
        )
    names = list(class_names)
    if len(set(names)) != len(names):
        raise ValueError(f"`{argument}` holds duplicate names: {names!r:.200}.")
    return names


# -------------------------------------------------------------------- COCO


@api_export("keras_cv.datasets.load_coco_json", stability="experimental")
def load_coco_json(
    annotation_file,
    image_dir,
    bounding_box_format="xyxy",
    include_crowd=True,
    include_empty=True,
    include_masks=False,
    max_boxes=None,
    verify_images=True,
    exif_transpose=True,
):
    """Loads a detection dataset from a COCO JSON file and an image folder.

    Category ids (any integers, possibly with gaps) become contiguous labels
    `0..num_classes-1` in increasing id order; `category_ids[k]` of the
    result maps label `k` back. Each box carries an `"is_crowd"` flag (1 for
    COCO `iscrowd` regions), kept so that `keras_cv.metrics.evaluate_coco`
    can ignore detections on them as the COCO protocol does. Drop crowd
    regions before training (`include_crowd=False`, or filter on the flag).
    See the module notes for image conversion and errors.

    Args:
        annotation_file: path to the COCO JSON file (`images`,
            `annotations`, `categories`).
        image_dir: folder that the images' `file_name`s are relative to.
        bounding_box_format: format of the returned boxes.
        include_crowd: keep `iscrowd` regions (flagged in `"is_crowd"`).
        include_empty: keep images that have no annotation.
        include_masks: add `"instance_masks"`, uint8 `(num_boxes, height,
            width)`, decoded from the polygons or RLE (for Mask R-CNN).
        max_boxes: None for ragged boxes, or pad to this many with -1.
        verify_images: decode every image once when called, so that a bad
            file is reported immediately.
        exif_transpose: apply the EXIF orientation of each image.

    Returns:
        A `keras_cv.datasets.DetectionData`.

    Example:

    ```python
    import json, os, tempfile
    import numpy as np
    from PIL import Image

    root = tempfile.mkdtemp()
    Image.fromarray(np.zeros((40, 60, 3), "uint8")).save(os.path.join(root, "a.png"))
    coco = {"images": [{"id": 7, "file_name": "a.png", "height": 40, "width": 60}],
            "annotations": [{"id": 1, "image_id": 7, "category_id": 3,
                             "bbox": [10, 5, 20, 15], "iscrowd": 0}],
            "categories": [{"id": 3, "name": "cat"}]}
    with open(os.path.join(root, "train.json"), "w") as f:
        json.dump(coco, f)
    data = keras_cv.datasets.load_coco_json(os.path.join(root, "train.json"), root)
    sample = next(iter(data.dataset))
    print(data.class_names, sample["bounding_boxes"]["boxes"].numpy())  # [[10 5 30 20]]
    ```
    """
    bounding_box_format = _check_common(bounding_box_format, max_boxes)
    annotation_file = os.fspath(annotation_file)
    try:
        with open(annotation_file, "rb") as f:
            coco = json.load(f)
    except FileNotFoundError:
        raise ValueError(
            f"COCO annotation file not found: {annotation_file!r}."
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(
            f"{annotation_file!r} is not valid JSON ({e}). Pass a COCO annotation file."
        ) from None
    missing = [
        k
        for k in ("images", "categories")
        if not isinstance(coco, dict) or k not in coco
    ]
    if missing:
        raise ValueError(
            f"{annotation_file!r} is not a COCO annotation file: it lacks "
            f"{missing}. Expected keys 'images', 'annotations', 'categories'."
        )
    categories = sorted(coco["categories"], key=lambda c: int(c["id"]))
    category_ids = [int(c["id"]) for c in categories]
    class_names = [str(c.get("name", c["id"])) for c in categories]
    label_of = {cid: k for k, cid in enumerate(category_ids)}
    per_image = collections.defaultdict(list)
    image_ids = {int(im["id"]) for im in coco["images"]}
    for ann in coco.get("annotations", []):
        image_id = int(ann["image_id"])
        if image_id not in image_ids:
            raise ValueError(
                f"Annotation {ann.get('id')!r} of {annotation_file!r} refers to "
                f"image_id {image_id}, which is not in 'images'."
            )
        if int(ann["category_id"]) not in label_of:
            raise ValueError(
                f"Annotation {ann.get('id')!r} of {annotation_file!r} has "
                f"category_id {ann['category_id']}, which is not in "
                f"'categories' (ids {category_ids})."
            )
        if not include_crowd and ann.get("iscrowd", 0):
            continue
        per_image[image_id].append(ann)
    image_dir = os.fspath(image_dir)
    records = []
    for im in coco["images"]:
        anns = per_image[int(im["id"])]
        xywh = np.asarray([a["bbox"] for a in anns], "float64").reshape(-1, 4)
        boxes = np.concatenate([xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], axis=1)
        size = (
            (int(im["height"]), int(im["width"]))
            if "height" in im and "width" in im
            else None
        )
        records.append(
            _Record(
                os.path.join(image_dir, im["file_name"]),
                int(im["id"]),
                boxes,
                [label_of[int(a["category_id"])] for a in anns],
                {"is_crowd": [int(bool(a.get("iscrowd", 0))) for a in anns]},
                [a.get("segmentation") for a in anns] if include_masks else None,
                size,
            )
        )
    return _build(
        records,
        class_names,
        category_ids,
        bounding_box_format,
        max_boxes,
        include_empty,
        verify_images,
        exif_transpose,
        include_masks,
    )


# -------------------------------------------------------------- Pascal VOC


def _parse_xml(path):
    """Parses an XML file with expat, refusing any DOCTYPE or entity
    declaration (no entity expansion, no external resources)."""
    import xml.parsers.expat  # imported when used: keeps `import keras_cv` cheap
    from xml.etree import ElementTree

    builder = ElementTree.TreeBuilder()
    parser = xml.parsers.expat.ParserCreate()

    def refuse(*args):
        raise ValueError(
            f"{path!r} declares a DOCTYPE or entities, which Pascal VOC files "
            "never do; refusing to parse it (entity expansion is unsafe)."
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError as e:
        raise ValueError(
            f"Cannot parse the XML annotation file {path!r}: {e}."
        ) from None
    return builder.close()


def _number(obj, tag, path):
    text = obj.findtext(tag)
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(
            f"{path!r}: expected a number in <{tag}>, found {text!r}."
        ) from None


@api_export("keras_cv.datasets.load_pascal_voc", stability="experimental")
def load_pascal_voc(
    directory,
    split=None,
    class_names=None,
    bounding_box_format="xyxy",
    include_difficult=True,
    include_empty=True,
    max_boxes=None,
    verify_images=True,
    exif_transpose=True,
):
    """Loads a detection dataset from a Pascal VOC folder.

    The folder holds `Annotations/*.xml` and `JPEGImages/` (the VOC
    layout, with `ImageSets/Main/<split>.txt` listing the image stems of a
    split), or XML files next to their images. Each `<object>` gives a
    `<name>` and a `<bndbox>` of 1-based inclusive pixel coordinates,
    returned as `xmin - 1, ymin - 1, xmax, ymax` (0-based corners). Each box
    carries a `"difficult"` flag. XML is parsed with expat and any DOCTYPE
    or entity declaration is refused.

    Args:
        directory: the VOC folder.
        split: None for every XML file, or a split name read from
            `ImageSets/Main/<split>.txt`.
        class_names: list of names (label `k` is `class_names[k]`); by
            default the sorted names found. A name not in the list is an error.
        bounding_box_format: format of the returned boxes.
        include_difficult: keep objects marked `<difficult>1`.
        include_empty: keep images without objects.
        max_boxes: None for ragged boxes, or pad to this many with -1.
        verify_images: decode every image once when called.
        exif_transpose: apply the EXIF orientation of each image.

    Returns:
        A `keras_cv.datasets.DetectionData`.

    Example:

    ```python
    import os, tempfile
    from PIL import Image

    root = tempfile.mkdtemp()
    os.makedirs(os.path.join(root, "Annotations"))
    os.makedirs(os.path.join(root, "JPEGImages"))
    Image.new("RGB", (60, 40)).save(os.path.join(root, "JPEGImages", "1.jpg"))
    with open(os.path.join(root, "Annotations", "1.xml"), "w") as f:
        f.write("<annotation><filename>1.jpg</filename><object><name>dog</name>"
                "<difficult>0</difficult><bndbox><xmin>11</xmin><ymin>6</ymin>"
                "<xmax>30</xmax><ymax>20</ymax></bndbox></object></annotation>")
    data = keras_cv.datasets.load_pascal_voc(root)
    batch = next(iter(data.dataset.ragged_batch(8)))
    print(batch["bounding_boxes"]["boxes"])  # [[[10.0, 5.0, 30.0, 20.0]]]
    ```
    """
    bounding_box_format = _check_common(bounding_box_format, max_boxes)
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"Pascal VOC folder not found: {directory!r}.")
    annotations = os.path.join(directory, "Annotations")
    xml_dir = annotations if os.path.isdir(annotations) else directory
    if split is not None:
        split_file = os.path.join(directory, "ImageSets", "Main", f"{split}.txt")
        if not os.path.isfile(split_file):
            raise ValueError(
                f"Split file not found: {split_file!r}. Pass split=None to read "
                "every XML file, or one of the splits listed in ImageSets/Main."
            )
        with open(split_file) as f:
            stems = [line.split()[0] for line in f if line.strip()]
        xml_files = [os.path.join(xml_dir, s + ".xml") for s in stems]
    else:
        xml_files = sorted(
            os.path.join(xml_dir, n)
            for n in os.listdir(xml_dir)
            if n.lower().endswith(".xml")
        )
    if not xml_files:
        raise ValueError(f"No .xml annotation files in {xml_dir!r}.")
    parsed = []
    for xml_path in xml_files:
        if not os.path.isfile(xml_path):
            raise ValueError(
                f"Annotation file not found: {xml_path!r} (listed in split {split!r})."
            )
        root = _parse_xml(xml_path)
        stem = os.path.splitext(os.path.basename(xml_path))[0]
        filename = root.findtext("filename") or stem + ".jpg"
        candidates = [
            os.path.join(directory, "JPEGImages", filename),
            os.path.join(os.path.dirname(xml_path), filename),
        ]
        path = next((c for c in candidates if os.path.isfile(c)), candidates[0])
        objects = []
        for obj in root.iter("object"):
            name = (obj.findtext("name") or "").strip()
            box = obj.find("bndbox")
            if not name or box is None:
                raise ValueError(
                    f"{xml_path!r}: every <object> needs a <name> and a <bndbox>."
                )
            difficult = int(float(obj.findtext("difficult") or 0))
            if difficult and not include_difficult:
                continue
            coords = [
                _number(box, t, xml_path) for t in ("xmin", "ymin", "xmax", "ymax")
            ]
            objects.append(
                (name, [coords[0] - 1, coords[1] - 1, coords[2], coords[3]], difficult)
            )
        parsed.append((path, objects))
    found = sorted({name for _, objs in parsed for name, _, _ in objs})
    if class_names is None:
        class_names = found
    class_names = _check_names(class_names)
    label_of = {n: k for k, n in enumerate(class_names)}
    records = []
    for index, (path, objects) in enumerate(parsed):
        unknown = [n for n, _, _ in objects if n not in label_of]
        if unknown:
            raise ValueError(
                f"The annotations of {path!r} name the class {unknown[0]!r}, "
                f"which is not in `class_names` {class_names}. Add it, or pass "
                "class_names=None to use the names found."
            )
        records.append(
            _Record(
                path,
                index,
                [b for _, b, _ in objects],
                [label_of[n] for n, _, _ in objects],
                {"difficult": [d for _, _, d in objects]},
            )
        )
    return _build(
        records,
        class_names,
        range(len(class_names)),
        bounding_box_format,
        max_boxes,
        include_empty,
        verify_images,
        exif_transpose,
    )


# -------------------------------------------------------------------- YOLO


def _read_names_file(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


@api_export("keras_cv.datasets.load_yolo", stability="experimental")
def load_yolo(
    image_dir,
    label_dir=None,
    class_names=None,
    bounding_box_format="xyxy",
    include_empty=True,
    max_boxes=None,
    verify_images=True,
    exif_transpose=True,
):
    """Loads a detection dataset from a YOLO folder.

    Every image `<stem>.<ext>` of `image_dir` has an optional text file
    `<stem>.txt` in `label_dir` with one line per object: `class cx cy w h`,
    the centre and size normalised by the image width and height (the image
    as shown, after its EXIF orientation). An image without a label file has
    no objects.

    Args:
        image_dir: folder of images (sorted by file name).
        label_dir: folder of `.txt` files; by default the `labels` folder
            that mirrors an `images` folder (`.../images/train` ->
            `.../labels/train`) when it exists, else `image_dir`.
        class_names: list of names, or a path to a file with one name per
            line; by default `classes.txt` in `label_dir` or its parent if
            present, else `"0"`, `"1"`, ... up to the largest class found.
        bounding_box_format: format of the returned boxes.
        include_empty: keep images without objects.
        max_boxes: None for ragged boxes, or pad to this many with -1.
        verify_images: decode every image once when called.
        exif_transpose: apply the EXIF orientation of each image.

    Returns:
        A `keras_cv.datasets.DetectionData`.

    Example:

    ```python
    import os, tempfile
    from PIL import Image

    root = tempfile.mkdtemp()
    os.makedirs(os.path.join(root, "images", "train"))
    os.makedirs(os.path.join(root, "labels", "train"))
    Image.new("RGB", (60, 40)).save(os.path.join(root, "images", "train", "a.png"))
    with open(os.path.join(root, "labels", "train", "a.txt"), "w") as f:
        f.write("1 0.5 0.5 0.5 0.5\\n")
    with open(os.path.join(root, "labels", "classes.txt"), "w") as f:
        f.write("car\\nbus\\n")
    data = keras_cv.datasets.load_yolo(os.path.join(root, "images", "train"))
    sample = next(iter(data.dataset))
    print(data.class_names, sample["bounding_boxes"]["boxes"])  # [[15 10 45 30]]
    ```
    """
    bounding_box_format = _check_common(bounding_box_format, max_boxes)
    image_dir = os.fspath(image_dir)
    if not os.path.isdir(image_dir):
        raise ValueError(f"Image folder not found: {image_dir!r}.")
    if label_dir is None:
        parts = os.path.normpath(os.path.abspath(image_dir)).split(os.sep)
        label_dir = image_dir
        if "images" in parts:
            i = len(parts) - 1 - parts[::-1].index("images")
            mirrored = os.sep.join(parts[:i] + ["labels"] + parts[i + 1 :])
            if os.path.isdir(mirrored):
                label_dir = mirrored
    label_dir = os.fspath(label_dir)
    if not os.path.isdir(label_dir):
        raise ValueError(f"Label folder not found: {label_dir!r}.")
    if isinstance(class_names, (str, os.PathLike)):
        class_names = _read_names_file(class_names)
    elif class_names is None:
        for candidate in (
            os.path.join(label_dir, "classes.txt"),
            os.path.join(os.path.dirname(os.path.abspath(label_dir)), "classes.txt"),
        ):
            if os.path.isfile(candidate):
                class_names = _read_names_file(candidate)
                break
    images = sorted(
        n for n in os.listdir(image_dir) if n.lower().endswith(IMAGE_EXTENSIONS)
    )
    if not images:
        raise ValueError(f"No images ({', '.join(IMAGE_EXTENSIONS)}) in {image_dir!r}.")
    parsed = []
    for name in images:
        path = os.path.join(image_dir, name)
        label_file = os.path.join(label_dir, os.path.splitext(name)[0] + ".txt")
        rows = []
        if os.path.isfile(label_file):
            with open(label_file) as f:
                for line_number, line in enumerate(f, 1):
                    fields = line.split()
                    if not fields:
                        continue
                    try:
                        if len(fields) != 5:
                            raise ValueError
                        cls = int(fields[0])
                        values = [float(v) for v in fields[1:]]
                    except ValueError:
                        raise ValueError(
                            f"{label_file!r} line {line_number}: expected "
                            f"'class cx cy w h' (an int and four numbers), found "
                            f"{line.strip()!r}. Segmentation-style lines "
                            "(polygons) are not supported."
                        ) from None
                    if (
                        cls < 0
                        or not all(np.isfinite(values))
                        or values[2] < 0
                        or values[3] < 0
                    ):
                        raise ValueError(
                            f"{label_file!r} line {line_number}: class must be "
                            "a non-negative int and w, h non-negative numbers; "
                            f"found {line.strip()!r}."
                        )
                    rows.append([cls] + values)
        parsed.append((path, np.asarray(rows, "float64").reshape(-1, 5)))
    max_class = max((int(r[:, 0].max()) for _, r in parsed if len(r)), default=-1)
    if class_names is None:
        class_names = [str(i) for i in range(max_class + 1)]
    class_names = _check_names(class_names)
    if max_class >= len(class_names):
        path = next(
            p for p, r in parsed if len(r) and r[:, 0].max() >= len(class_names)
        )
        raise ValueError(
            f"The labels of {path!r} use class {max_class} but `class_names` "
            f"has {len(class_names)} names. Pass one name per class."
        )
    records = []
    for index, (path, rows) in enumerate(parsed):
        height, width = _image_size(path, exif_transpose) if len(rows) else (1, 1)
        cx, cy, w, h = (rows[:, i] for i in range(1, 5))
        boxes = np.stack(
            [
                (cx - w / 2) * width,
                (cy - h / 2) * height,
                (cx + w / 2) * width,
                (cy + h / 2) * height,
            ],
            axis=1,
        )
        records.append(_Record(path, index, boxes, rows[:, 0].astype("int64")))
    return _build(
        records,
        class_names,
        range(len(class_names)),
        bounding_box_format,
        max_boxes,
        include_empty,
        verify_images,
        exif_transpose,
    )


# --------------------------------------------------------------- CSV / pandas

_CSV_COLUMNS = ("path", "xmin", "ymin", "xmax", "ymax", "label")


@api_export("keras_cv.datasets.load_csv", stability="experimental")
def load_csv(
    source,
    image_dir=None,
    class_names=None,
    bounding_box_format="xyxy",
    include_empty=True,
    max_boxes=None,
    verify_images=True,
    exif_transpose=True,
):
    """Loads a detection dataset from a CSV file or a pandas DataFrame.

    One row per box with the columns `path, xmin, ymin, xmax, ymax, label`
    (pixel corners of the image as shown, after its EXIF orientation). A row
    whose coordinates and label are empty lists an image without boxes.
    Images come in order of first appearance.

    Args:
        source: path to a CSV file, or a `pandas.DataFrame`.
        image_dir: folder that relative paths are relative to (by default
            the CSV file's folder, or the working directory for a DataFrame).
        class_names: list of names. By default the sorted names found when
            labels are strings, or `"0"`, `"1"`, ... when they are ints.
        bounding_box_format: format of the returned boxes.
        include_empty: keep images without boxes.
        max_boxes: None for ragged boxes, or pad to this many with -1.
        verify_images: decode every image once when called.
        exif_transpose: apply the EXIF orientation of each image.

    Returns:
        A `keras_cv.datasets.DetectionData`.

    Example:

    ```python
    import os, tempfile
    import pandas as pd
    from PIL import Image

    root = tempfile.mkdtemp()
    Image.new("L", (64, 48)).save(os.path.join(root, "a.jpg"))  # grayscale
    frame = pd.DataFrame({"path": ["a.jpg", "a.jpg"], "xmin": [4, 0],
                          "ymin": [2, 0], "xmax": [30, 8], "ymax": [20, 8],
                          "label": ["dog", "cat"]})
    data = keras_cv.datasets.load_csv(frame, image_dir=root, max_boxes=4)
    sample = next(iter(data.dataset))
    print(sample["images"].shape, sample["bounding_boxes"]["labels"])  # (48, 64, 3) [1 0 -1 -1]
    ```
    """
    pd = extras.require("pandas", "`keras_cv.datasets.load_csv`")

    bounding_box_format = _check_common(bounding_box_format, max_boxes)
    if isinstance(source, pd.DataFrame):
        frame = source
        base = os.getcwd() if image_dir is None else os.fspath(image_dir)
    elif isinstance(source, (str, os.PathLike)):
        source = os.fspath(source)
        if not os.path.isfile(source):
            raise ValueError(f"CSV file not found: {source!r}.")
        frame = pd.read_csv(source)
        base = (
            os.path.dirname(os.path.abspath(source))
            if image_dir is None
            else os.fspath(image_dir)
        )
    else:
        raise TypeError(
            "`source` must be a path to a CSV file or a pandas DataFrame. "
            f"Received an object of type {type(source).__name__}."
        )
    missing = [c for c in _CSV_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"The CSV / DataFrame lacks the columns {missing}. Expected the "
            f"columns {list(_CSV_COLUMNS)}; received {list(frame.columns)}."
        )
    coords = frame[["xmin", "ymin", "xmax", "ymax"]]
    empty = coords.isna().all(axis=1) & frame["label"].isna()
    partial = (coords.isna().any(axis=1) | frame["label"].isna()) & ~empty
    if partial.any():
        row = int(np.flatnonzero(partial.to_numpy())[0])
        raise ValueError(
            f"Row {row} ({frame.iloc[row].to_dict()}) has some but not all of "
            "xmin, ymin, xmax, ymax, label. Fill them all, or leave them all "
            "empty to list an image without boxes."
        )
    try:
        values = coords[~empty].to_numpy("float64")
    except (TypeError, ValueError):
        raise ValueError(
            "The columns xmin, ymin, xmax, ymax must hold numbers."
        ) from None
    labels = frame["label"][~empty]
    string_labels = labels.map(lambda v: isinstance(v, str)).any()
    if string_labels:
        labels = labels.astype(str)
        if class_names is None:
            class_names = sorted(set(labels))
        class_names = _check_names(class_names)
        label_of = {n: k for k, n in enumerate(class_names)}
        unknown = sorted(set(labels) - set(label_of))
        if unknown:
            raise ValueError(
                f"Labels {unknown} are not in `class_names` {class_names}. Add "
                "them, or pass class_names=None to use the names found."
            )
        label_values = labels.map(label_of).to_numpy("int64")
    else:
        numeric = labels.to_numpy("float64")
        if len(numeric) and (np.any(numeric != np.round(numeric)) or numeric.min() < 0):
            raise ValueError("Integer labels must be non-negative whole numbers.")
        label_values = numeric.astype("int64")
        top = int(label_values.max()) if len(label_values) else -1
        if class_names is None:
            class_names = [str(i) for i in range(top + 1)]
        class_names = _check_names(class_names)
        if top >= len(class_names):
            raise ValueError(
                f"Label {top} is used but `class_names` has {len(class_names)} names."
            )
    order, boxes_of, labels_of = [], {}, {}
    for path in frame["path"]:
        if path not in boxes_of:
            order.append(path)
            boxes_of[path], labels_of[path] = [], []
    for path, box, label in zip(frame["path"][~empty], values, label_values):
        boxes_of[path].append(box)
        labels_of[path].append(label)
    records = [
        _Record(os.path.join(base, str(p)), i, boxes_of[p], labels_of[p])
        for i, p in enumerate(order)
    ]
    return _build(
        records,
        class_names,
        range(len(class_names)),
        bounding_box_format,
        max_boxes,
        include_empty,
        verify_images,
        exif_transpose,
    )
