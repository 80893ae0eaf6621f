# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Train a detector on your own data: from a folder of images and annotations
(COCO JSON, Pascal VOC, YOLO or CSV) to a trained, evaluated, visualised,
saved and exported RetinaNet.

    python examples/keras_cv/train_on_own_data.py --format coco --data DIR
    python examples/keras_cv/train_on_own_data.py --format yolo --demo [--quick]

With `--demo`, a small annotated dataset is first written to DIR (a temporary
folder by default) in the chosen format, so that the script runs anywhere.
Only `load_own_data` depends on the format; everything after it is one code
path.
"""

import argparse
import json
import os
import tempfile

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from PIL import Image

import keras_applications
import keras_cv

FORMATS = ("coco", "voc", "yolo", "csv")

FULL = dict(
    num_images=120, image_size=128, epochs=8, batch_size=8, model_size={}, max_boxes=16
)
QUICK = dict(
    num_images=12,
    image_size=64,
    epochs=1,
    batch_size=4,
    model_size=dict(fpn_filters=8, head_filters=8, head_depth=1),
    max_boxes=8,
)


# --8<-- [start:demo]
def write_demo_files(directory, fmt, num_images=12, image_size=64, seed=0):
    """Writes shapes images (two sizes, some grayscale) and their boxes in
    `fmt` to `directory`, as an annotation tool would. Returns `directory`."""
    data = keras_cv.datasets.shapes.generate(
        num_images, image_size=image_size, seed=seed, min_size=0.2, max_size=0.5
    )
    names = keras_cv.datasets.shapes.class_names()
    image_dir = {
        "coco": "images",
        "voc": "JPEGImages",
        "yolo": os.path.join("images", "train"),
        "csv": "images",
    }[fmt]
    os.makedirs(os.path.join(directory, image_dir), exist_ok=True)
    rows, coco_images, coco_annotations, voc = [], [], [], {}
    for i, (pixels, boxes, labels) in enumerate(
        zip(data["images"], data["boxes"], data["labels"])
    ):
        boxes, labels = boxes[labels >= 0], labels[labels >= 0]
        image = Image.fromarray(pixels)
        if i % 3 == 1:  # mixed sizes: every third image is enlarged by 1.5
            scale = 1.5
            image = image.resize((int(image_size * scale),) * 2)
            boxes = boxes * scale
        if i % 4 == 2:
            image = image.convert("L")  # grayscale images are converted to RGB
        file_name = f"img_{i:03d}.png"
        image.save(os.path.join(directory, image_dir, file_name))
        width, height = image.size
        coco_images.append(
            {"id": i + 1, "file_name": file_name, "width": width, "height": height}
        )
        yolo_lines = []
        for box, label in zip(boxes.tolist(), labels.tolist()):
            x1, y1, x2, y2 = box
            rows.append([f"{image_dir}/{file_name}", x1, y1, x2, y2, names[label]])
            coco_annotations.append(
                {
                    "id": len(coco_annotations) + 1,
                    "image_id": i + 1,
                    "category_id": 10 + label,  # ids need not start at 0
                    "bbox": [x1, y1, x2 - x1, y2 - y1],
                    "area": (x2 - x1) * (y2 - y1),
                    "iscrowd": 0,
                }
            )
            cx, cy = (x1 + x2) / 2 / width, (y1 + y2) / 2 / height
            yolo_lines.append(
                f"{label} {cx:.6f} {cy:.6f} {(x2 - x1) / width:.6f} {(y2 - y1) / height:.6f}"
            )
        if not len(labels):
            rows.append([f"{image_dir}/{file_name}", None, None, None, None, None])
        voc[file_name] = (width, height, list(zip(boxes.tolist(), labels.tolist())))
        if fmt == "yolo":
            label_dir = os.path.join(directory, "labels", "train")
            os.makedirs(label_dir, exist_ok=True)
            with open(os.path.join(label_dir, f"img_{i:03d}.txt"), "w") as f:
                f.write("\n".join(yolo_lines) + "\n")
    if fmt == "coco":
        categories = [{"id": 10 + k, "name": n} for k, n in enumerate(names)]
        with open(os.path.join(directory, "annotations.json"), "w") as f:
            json.dump(
                {
                    "images": coco_images,
                    "annotations": coco_annotations,
                    "categories": categories,
                },
                f,
            )
    elif fmt == "yolo":
        with open(os.path.join(directory, "labels", "classes.txt"), "w") as f:
            f.write("\n".join(names) + "\n")
    elif fmt == "csv":
        pd.DataFrame(
            rows, columns=["path", "xmin", "ymin", "xmax", "ymax", "label"]
        ).to_csv(os.path.join(directory, "boxes.csv"), index=False)
    else:
        os.makedirs(os.path.join(directory, "Annotations"), exist_ok=True)
        for file_name, (width, height, objects) in voc.items():
            xml = [f"<annotation><filename>{file_name}</filename>"]
            xml.append(f"<size><width>{width}</width><height>{height}</height></size>")
            for (x1, y1, x2, y2), label in objects:
                # VOC corners are 1-based and inclusive.
                xml.append(
                    f"<object><name>{names[label]}</name><difficult>0</difficult>"
                    f"<bndbox><xmin>{x1 + 1}</xmin><ymin>{y1 + 1}</ymin>"
                    f"<xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>"
                )
            xml.append("</annotation>")
            stem = os.path.splitext(file_name)[0]
            with open(os.path.join(directory, "Annotations", stem + ".xml"), "w") as f:
                f.write("".join(xml))
    return directory


# --8<-- [end:demo]


# --8<-- [start:load]
def load_own_data(fmt, directory, class_names=None):
    """The only format-specific step: returns a `DetectionData`.

    `class_names` fixes the label order for the formats that name classes in
    text (by default: sorted names for VOC and CSV, `classes.txt` for YOLO);
    COCO takes its categories from the JSON file.
    """
    if fmt == "coco":
        return keras_cv.datasets.load_coco_json(
            os.path.join(directory, "annotations.json"),
            os.path.join(directory, "images"),
        )
    if fmt == "voc":
        return keras_cv.datasets.load_pascal_voc(directory, class_names=class_names)
    if fmt == "yolo":
        return keras_cv.datasets.load_yolo(
            os.path.join(directory, "images", "train"), class_names=class_names
        )
    if fmt == "csv":
        return keras_cv.datasets.load_csv(
            os.path.join(directory, "boxes.csv"), class_names=class_names
        )
    raise ValueError(f"`fmt` must be one of {FORMATS}. Received: {fmt!r}.")


# --8<-- [end:load]


# --8<-- [start:pipeline]
def prepare(dataset, image_size, batch_size, max_boxes, training):
    """Resizes (keeping the aspect ratio, boxes moved along), drops crowd and
    difficult boxes for training, keeps the crowd flags for evaluation, and
    batches with -1 padding."""
    resize = keras_cv.augmentation.Resizing(
        image_size, image_size, bounding_box_format="xyxy", pad_to_aspect_ratio=True
    )

    def clean(element):
        boxes = element["bounding_boxes"]
        keep = tf.ones_like(boxes["labels"], tf.bool)
        for flag in ("is_crowd", "difficult"):
            if training and flag in boxes:
                keep &= boxes[flag] == 0
        kept = {
            "boxes": tf.boolean_mask(boxes["boxes"], keep),
            "labels": tf.boolean_mask(boxes["labels"], keep),
        }
        if not training:
            # COCO crowd regions: evaluate_coco ignores detections on them.
            # (Per-box entries such as this flag move with their boxes
            # through the augmentation layers.)
            crowd = boxes.get("is_crowd", tf.zeros_like(boxes["labels"]))
            kept["is_crowd"] = tf.cast(crowd, "int32")
        return resize({"images": element["images"], "bounding_boxes": kept})

    dataset = dataset.map(clean, num_parallel_calls=tf.data.AUTOTUNE)
    if training:
        dataset = dataset.shuffle(256, seed=0)
    box_shapes = {"boxes": [max_boxes, 4], "labels": [max_boxes]}
    box_padding = {"boxes": -1.0, "labels": -1}
    if not training:
        box_shapes["is_crowd"] = [max_boxes]
        box_padding["is_crowd"] = -1
    dataset = dataset.padded_batch(
        batch_size,
        padded_shapes={
            "images": [image_size, image_size, 3],
            "bounding_boxes": box_shapes,
        },
        padding_values={"images": 0.0, "bounding_boxes": box_padding},
    )
    if training:
        # Box-aware augmentation: boxes move with the pixels, boxes pushed
        # out of the image become padding rows (label -1). Mosaic and MixUp
        # (keras_cv.augmentation.Mosaic / MixUp) also work here; they return
        # 4x / 2x as many box rows.
        augmentations = [
            keras_cv.augmentation.RandomFlip(
                "horizontal", bounding_box_format="xyxy", seed=1
            ),
            keras_cv.augmentation.RandomZoom(
                (-0.2, 0.2), bounding_box_format="xyxy", seed=2
            ),
            keras_cv.augmentation.RandomColorJitter(
                value_range=(0, 255),
                brightness_factor=0.1,
                contrast_factor=0.1,
                saturation_factor=(0.4, 0.6),
                hue_factor=0.02,
                bounding_box_format="xyxy",
                seed=3,
            ),
        ]

        def augment(batch):
            for layer in augmentations:
                batch = layer(batch, training=True)
            return batch

        dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)


# --8<-- [end:pipeline]


def main(fmt="coco", data_dir=None, demo=True, quick=False, output_dir=None):
    config = dict(QUICK if quick else FULL)
    output_dir = output_dir or tempfile.mkdtemp(prefix="own_data_")
    os.makedirs(output_dir, exist_ok=True)
    keras.utils.set_random_seed(0)
    if demo:
        data_dir = write_demo_files(
            data_dir or os.path.join(output_dir, "data"),
            fmt,
            num_images=config["num_images"],
            image_size=config["image_size"],
        )
    # The demo's labels follow the shapes dataset's class order.
    names = keras_cv.datasets.shapes.class_names() if demo else None
    data = load_own_data(fmt, data_dir, class_names=names)
    num_images = int(data.dataset.cardinality())
    num_val = max(1, num_images // 5)
    print(f"{num_images} images, classes {data.class_names}")

    # --8<-- [start:split]
    val_raw = data.dataset.take(num_val)
    train_raw = data.dataset.skip(num_val)
    size, bs, mb = config["image_size"], config["batch_size"], config["max_boxes"]
    train = prepare(train_raw, size, bs, mb, training=True)
    val = prepare(val_raw, size, bs, mb, training=False)
    # --8<-- [end:split]

    # --8<-- [start:model]
    # weights="imagenet" gives a pretrained backbone when it can be fetched;
    # the demo starts from scratch so that it runs offline.
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(None, None, 3)
    )
    model = keras_cv.models.RetinaNet(
        backbone=backbone,
        num_classes=len(data.class_names),
        bounding_box_format="xyxy",
        max_level=5,
        **config["model_size"],
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=10.0))
    history = model.fit(train, epochs=config["epochs"], verbose=2)
    # --8<-- [end:model]

    # --8<-- [start:evaluate]
    truth, found, images = [], [], []
    for batch in val:
        detections = model.predict(batch["images"], verbose=0)
        for i in range(len(batch["images"])):
            real = batch["bounding_boxes"]["labels"][i].numpy() >= 0
            truth.append(
                (
                    batch["bounding_boxes"]["boxes"][i].numpy()[real],
                    batch["bounding_boxes"]["labels"][i].numpy()[real],
                    batch["bounding_boxes"]["is_crowd"][i].numpy()[real],
                )
            )
            n = int(detections["num_detections"][i])
            found.append(
                (
                    detections["boxes"][i][:n],
                    detections["labels"][i][:n],
                    detections["scores"][i][:n],
                )
            )
        images.append(batch["images"].numpy())
    stats = keras_cv.metrics.evaluate_coco(
        {
            "boxes": [t[0] for t in truth],
            "labels": [t[1] for t in truth],
            "is_crowd": [t[2] for t in truth],
        },
        {
            "boxes": [f[0] for f in found],
            "labels": [f[1] for f in found],
            "scores": [f[2] for f in found],
        },
    )
    print(f"validation mAP={stats['AP']:.3f} AP50={stats['AP50']:.3f}")
    # --8<-- [end:evaluate]

    # --8<-- [start:visualise]
    first = np.concatenate(images)[:4]
    png = os.path.join(output_dir, "detections.png")
    keras_cv.visualization.plot_detections(
        first,
        model.predict(first, verbose=0),
        path=png,
        class_names=data.class_names,
        score_threshold=0.3,
    )
    # --8<-- [end:visualise]

    # --8<-- [start:save]
    keras_path = os.path.join(output_dir, "detector.keras")
    model.save(keras_path)
    reloaded = keras.models.load_model(keras_path)  # compile state included
    same = np.allclose(
        reloaded.predict(first, verbose=0)["boxes"],
        model.predict(first, verbose=0)["boxes"],
        atol=1e-4,
    )
    model.export(os.path.join(output_dir, "served"), verbose=False)
    # --8<-- [end:save]
    return {
        "num_images": num_images,
        "class_names": list(data.class_names),
        "final_loss": float(history.history["loss"][-1]),
        "val_map": float(stats["AP"]),
        "reload_matches": bool(same),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--format", choices=FORMATS, default="coco")
    parser.add_argument("--data", default=None, help="the annotated folder")
    parser.add_argument("--demo", action="store_true", help="write demo data first")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not args.demo and args.data is None:
        parser.error("pass --data DIR, or --demo to generate a dataset")
    print(main(args.format, args.data, demo=args.demo, quick=args.quick))
