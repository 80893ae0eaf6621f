# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A synthetic, offline and deterministic detection and segmentation dataset.

Each image shows a few filled shapes (rectangles, ellipses, triangles) in
random colours on a random background, optionally with Gaussian pixel noise.
The class of an object is its kind of shape, never its colour, so a detector
has to learn geometry. Boxes are the tight pixel bounds of the drawn pixels.

Masks follow the drawn pixels exactly (objects never overlap):

- `segmentation_masks`, `(height, width, 1)`: `0` for background and
  `label + 1` for a pixel of an object of class `label` (so a segmenter of
  the three shapes has `num_classes=4`);
- `instance_masks`, `(max_objects, height, width)`: one binary mask per
  row of `bounding_boxes`, all zeros for padding rows.
"""

import numpy as np

from keras_core import api_export

CLASS_NAMES = ("rectangle", "ellipse", "triangle")
_MAX_PLACEMENT_TRIES = 100


@api_export("keras_cv.datasets.shapes.class_names", stability="experimental")
def class_names():
    """Returns the class names of the shapes dataset, indexed by label.

    Examples:

    >>> class_names()
    ['rectangle', 'ellipse', 'triangle']
    """
    return list(CLASS_NAMES)


def _check_positive_int(value, name, minimum=1):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < minimum
    ):
        raise ValueError(
            f"`{name}` must be an integer >= {minimum}. Received: {name}={value!r}."
        )
    return int(value)


def _check_arguments(
    image_size, min_objects, max_objects, min_size, max_size, noise, shapes
):
    if isinstance(image_size, (int, np.integer)) and not isinstance(image_size, bool):
        image_size = (int(image_size), int(image_size))
    if (
        not isinstance(image_size, (tuple, list))
        or len(image_size) != 2
        or any(
            isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 16
            for d in image_size
        )
    ):
        raise ValueError(
            "`image_size` must be an int or a (height, width) tuple of ints "
            f">= 16. Received: image_size={image_size!r}."
        )
    min_objects = _check_positive_int(min_objects, "min_objects", minimum=0)
    max_objects = _check_positive_int(max_objects, "max_objects")
    if min_objects > max_objects:
        raise ValueError(
            "`min_objects` must be <= `max_objects`. Received: "
            f"min_objects={min_objects}, max_objects={max_objects}."
        )
    if not (0 < min_size <= max_size <= 1):
        raise ValueError(
            "`min_size` and `max_size` are fractions of the image side with "
            "0 < min_size <= max_size <= 1. Received: "
            f"min_size={min_size!r}, max_size={max_size!r}."
        )
    if not (0 <= noise):
        raise ValueError(
            "`noise` is the standard deviation of the pixel noise as a "
            f"fraction of 255 and must be >= 0. Received: noise={noise!r}."
        )
    shapes = tuple(shapes)
    unknown = [s for s in shapes if s not in CLASS_NAMES]
    if unknown or not shapes:
        raise ValueError(
            f"`shapes` must be a non-empty subset of {list(CLASS_NAMES)}. "
            f"Received: shapes={list(shapes)!r}."
        )
    return tuple(int(d) for d in image_size), min_objects, max_objects, shapes


def _draw(draw, kind, x0, y0, x1, y1, rng, fill):
    if kind == "rectangle":
        draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=fill)
    elif kind == "ellipse":
        draw.ellipse([x0, y0, x1 - 1, y1 - 1], fill=fill)
    else:
        # One vertex on the top edge, the other two on the bottom corners:
        # the triangle then touches all four sides of its box.
        apex = x0 + rng.uniform(0.2, 0.8) * (x1 - 1 - x0)
        draw.polygon([(apex, y0), (x0, y1 - 1), (x1 - 1, y1 - 1)], fill=fill)
        if rng.uniform() < 0.5:
            return "flip"
    return None


def _sample_image(rng, height, width, num_objects, min_size, max_size, noise, shapes):
    from PIL import Image  # imported when used: keeps `import keras_cv` cheap
    from PIL import ImageDraw

    background = rng.integers(0, 256, size=3)
    image = Image.new("RGB", (width, height), tuple(int(c) for c in background))
    boxes, labels, masks = [], [], []
    for _ in range(num_objects):
        for _ in range(_MAX_PLACEMENT_TRIES):
            h = int(round(rng.uniform(min_size, max_size) * height))
            w = int(round(rng.uniform(min_size, max_size) * width))
            h, w = max(h, 4), max(w, 4)
            y0 = int(rng.integers(0, height - h + 1))
            x0 = int(rng.integers(0, width - w + 1))
            box = (x0, y0, x0 + w, y0 + h)
            # Objects never overlap, so every drawn pixel stays visible and
            # the box is exactly the bounds of the object's pixels.
            if all(
                box[0] >= b[2] or box[2] <= b[0] or box[1] >= b[3] or box[3] <= b[1]
                for b in boxes
            ):
                break
        else:
            continue
        kind = shapes[int(rng.integers(0, len(shapes)))]
        # A colour far enough from the background to be visible.
        while True:
            colour = rng.integers(0, 256, size=3)
            if np.abs(colour - background).sum() > 150:
                break
        mask = Image.new("L", (width, height), 0)
        flip = _draw(ImageDraw.Draw(mask), kind, x0, y0, x0 + w, y0 + h, rng, 255)
        mask = np.asarray(mask) > 0
        if flip:
            # Triangles point up or down.
            region = mask[y0 : y0 + h, x0 : x0 + w]
            mask[y0 : y0 + h, x0 : x0 + w] = region[::-1]
        ys, xs = np.nonzero(mask)
        if len(xs) == 0:
            continue
        pixels = np.asarray(image).copy()
        pixels[mask] = colour
        image = Image.fromarray(pixels)
        boxes.append((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1))
        labels.append(CLASS_NAMES.index(kind))
        masks.append(mask)
    pixels = np.asarray(image).astype("float32")
    if noise > 0:
        pixels = pixels + rng.normal(0.0, noise * 255.0, size=pixels.shape)
    pixels = np.clip(np.round(pixels), 0, 255).astype("uint8")
    return pixels, boxes, labels, masks


@api_export("keras_cv.datasets.shapes.generate", stability="experimental")
def generate(
    num_images,
    image_size=128,
    min_objects=1,
    max_objects=3,
    min_size=0.15,
    max_size=0.45,
    noise=0.03,
    shapes=CLASS_NAMES,
    seed=0,
    return_masks=False,
):
    """Generates synthetic detection images as NumPy arrays.

    Draws `num_images` images with between `min_objects` and `max_objects`
    non-overlapping filled shapes each. Labels index `CLASS_NAMES`
    (`0` rectangle, `1` ellipse, `2` triangle) whatever subset `shapes` is.
    The same arguments and `seed` always give the same arrays.

    Args:
        num_images: number of images.
        image_size: int or `(height, width)`.
        min_objects: fewest objects per image.
        max_objects: most objects per image; also the padded box count.
        min_size: smallest object side, as a fraction of the image side.
        max_size: largest object side, as a fraction of the image side.
        noise: standard deviation of Gaussian pixel noise, as a fraction of 255.
        shapes: which kinds of shape to draw (subset of `CLASS_NAMES`).
        seed: integer seed.
        return_masks: also return the masks: `"masks"` (a list per image
            of one boolean `(height, width)` array per object),
            `"segmentation_masks"` and `"instance_masks"` (see Returns).

    Returns:
        A dict with `"images"` (uint8, `(num_images, height, width, 3)`),
        `"boxes"` (float32, `(num_images, max_objects, 4)`, `xyxy` pixels)
        and `"labels"` (int32, `(num_images, max_objects)`); rows past an
        image's objects are padding (`-1`). With `return_masks`, also
        `"masks"`, a list (per image) of lists of `(height, width)` bool
        arrays; `"segmentation_masks"` (uint8, `(num_images, height, width,
        1)`, 0 background and `label + 1` on the pixels of each object); and
        `"instance_masks"` (uint8 0/1, `(num_images, max_objects, height,
        width)`, row `k` the pixels of object `k`, zeros for padding rows).
        Asking for masks does not change the images, boxes or labels.

    Examples:

    >>> data = generate(2, image_size=32, seed=1)
    >>> data["images"].shape, data["boxes"].shape
    ((2, 32, 32, 3), (2, 3, 4))
    """
    num_images = _check_positive_int(num_images, "num_images")
    (height, width), min_objects, max_objects, shapes = _check_arguments(
        image_size, min_objects, max_objects, min_size, max_size, noise, shapes
    )
    rng = np.random.default_rng(seed)
    images = np.zeros((num_images, height, width, 3), "uint8")
    boxes = -np.ones((num_images, max_objects, 4), "float32")
    labels = -np.ones((num_images, max_objects), "int32")
    all_masks = []
    for i in range(num_images):
        count = int(rng.integers(min_objects, max_objects + 1))
        pixels, b, lab, m = _sample_image(
            rng, height, width, count, min_size, max_size, noise, shapes
        )
        images[i] = pixels
        if b:
            boxes[i, : len(b)] = np.asarray(b, "float32")
            labels[i, : len(lab)] = lab
        all_masks.append(m)
    result = {"images": images, "boxes": boxes, "labels": labels}
    if return_masks:
        result["masks"] = all_masks
        semantic = np.zeros((num_images, height, width, 1), "uint8")
        instances = np.zeros((num_images, max_objects, height, width), "uint8")
        for i, masks in enumerate(all_masks):
            for k, mask in enumerate(masks):
                semantic[i, mask, 0] = labels[i, k] + 1
                instances[i, k] = mask
        result["segmentation_masks"] = semantic
        result["instance_masks"] = instances
    return result


def _to_dataset(data, bounding_box_format, return_masks=False):
    import tensorflow as tf

    from keras_cv.src.bounding_box import converters

    height, width = data["images"].shape[1:3]
    boxes = data["boxes"]
    if bounding_box_format != "xyxy":
        valid = data["labels"] >= 0
        converted = converters.convert_format(
            boxes, "xyxy", bounding_box_format, height=height, width=width
        )
        boxes = np.where(valid[..., None], np.asarray(converted), -1.0).astype(
            "float32"
        )
    element = {
        "images": data["images"].astype("float32"),
        "bounding_boxes": {"boxes": boxes, "labels": data["labels"]},
    }
    if return_masks:
        element["segmentation_masks"] = data["segmentation_masks"].astype("int32")
        element["instance_masks"] = data["instance_masks"]
    return tf.data.Dataset.from_tensor_slices(element)


@api_export("keras_cv.datasets.shapes.load", stability="experimental")
def load(
    num_train=640,
    num_validation=128,
    image_size=128,
    min_objects=1,
    max_objects=3,
    min_size=0.15,
    max_size=0.45,
    noise=0.03,
    shapes=CLASS_NAMES,
    bounding_box_format="xyxy",
    seed=0,
    return_masks=False,
):
    """Loads the synthetic shapes dataset as two `tf.data.Dataset`s.

    The training and validation images are drawn from independent seeds
    derived from `seed`, so they never repeat each other, and the same
    arguments always give the same datasets. Nothing is downloaded.

    Each element is `{"images": float32 (height, width, 3) in [0, 255],
    "bounding_boxes": {"boxes": float32 (max_objects, 4), "labels": int32
    (max_objects,)}}`, padded with label -1 (and box -1) past the image's
    objects, so `dataset.batch(n)` works directly. Class ids index
    `keras_cv.datasets.shapes.CLASS_NAMES`.

    With `return_masks=True` each element also has `"segmentation_masks"`
    (int32 `(height, width, 1)`: 0 background, `label + 1` on the pixels of
    an object, so `num_classes=4` for a segmenter of all three shapes) and
    `"instance_masks"` (uint8 0/1 `(max_objects, height, width)`, one mask
    per row of `"bounding_boxes"`, zeros for padding rows). The images and
    boxes are the same with or without masks.

    Args:
        num_train: number of training images.
        num_validation: number of validation images (0 for none).
        image_size: int or `(height, width)`.
        min_objects: fewest objects per image.
        max_objects: most objects per image.
        min_size: smallest object side, as a fraction of the image side.
        max_size: largest object side, as a fraction of the image side.
        noise: standard deviation of Gaussian pixel noise, as a fraction of 255.
        shapes: which kinds of shape to draw.
        bounding_box_format: the format of the returned boxes.
        seed: integer seed.
        return_masks: also yield `"segmentation_masks"` and
            `"instance_masks"`.

    Returns:
        `(train_dataset, validation_dataset)`; the second is `None` when
        `num_validation=0`.

    Examples:

    >>> train, val = load(num_train=4, num_validation=2, image_size=32)
    >>> sample = next(iter(train))
    >>> tuple(sample["images"].shape), tuple(sample["bounding_boxes"]["boxes"].shape)
    ((32, 32, 3), (3, 4))
    """
    from keras_cv.src.bounding_box import converters

    bounding_box_format = converters.validate_format(bounding_box_format)
    kwargs = dict(
        image_size=image_size,
        min_objects=min_objects,
        max_objects=max_objects,
        min_size=min_size,
        max_size=max_size,
        noise=noise,
        shapes=shapes,
    )
    seeds = np.random.SeedSequence(seed).spawn(2)
    kwargs["return_masks"] = bool(return_masks)
    train = _to_dataset(
        generate(num_train, seed=np.random.default_rng(seeds[0]), **kwargs),
        bounding_box_format,
        return_masks,
    )
    if not num_validation:
        return train, None
    val = _to_dataset(
        generate(num_validation, seed=np.random.default_rng(seeds[1]), **kwargs),
        bounding_box_format,
        return_masks,
    )
    return train, val
