# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Start from a COCO-trained detector: load torchvision's RetinaNet weights,
detect objects in an image and draw them, fine-tune the model on the
synthetic shapes with a new classification head, evaluate it with the COCO
metrics and export it as a SavedModel.

    python examples/keras_cv/retinanet_from_coco.py [--quick] [--image PATH]

The first run downloads torchvision's weight file (146 MB) once and
converts it; later runs load the converted preset from `$KERAS_HOME`.
"""

import argparse
import os
import tempfile
import time

import keras

import keras_cv
from examples.keras_cv.retinanet_shapes import export_and_compare
from examples.keras_cv.retinanet_shapes import load_shapes

PRESET = "retinanet_resnet50_fpn_coco"

# The 80 COCO classes, in the order of their category ids 1..90 (ten ids
# are unused). torchvision's COCO detectors predict the category id.
_COCO_CLASSES = (
    "person bicycle car motorcycle airplane bus train truck boat "
    "traffic_light fire_hydrant stop_sign parking_meter bench bird cat dog "
    "horse sheep cow elephant bear zebra giraffe backpack umbrella handbag "
    "tie suitcase frisbee skis snowboard sports_ball kite baseball_bat "
    "baseball_glove skateboard surfboard tennis_racket bottle wine_glass cup "
    "fork knife spoon bowl banana apple sandwich orange broccoli carrot "
    "hot_dog pizza donut cake chair couch potted_plant bed dining_table "
    "toilet tv laptop mouse remote keyboard cell_phone microwave oven "
    "toaster sink refrigerator book clock vase scissors teddy_bear "
    "hair_drier toothbrush"
).split()
_UNUSED_IDS = (12, 26, 29, 30, 45, 66, 68, 69, 71, 83)


def coco_class_names():
    """Names indexed by COCO category id (0 and the unused ids: "-")."""
    names, classes = ["-"], iter(_COCO_CLASSES)
    for category_id in range(1, 91):
        names.append("-" if category_id in _UNUSED_IDS else next(classes))
    return [name.replace("_", " ") for name in names]


# --8<-- [start:config]
# Fine-tuning on 128x128 shapes: 640 training and 128 validation images,
# a frozen backbone and a new classification head for the 3 shape classes.
FULL = dict(
    image_size=128,
    num_train=640,
    num_validation=128,
    epochs=3,
    batch_size=8,
    learning_rate=1e-4,
)
# --8<-- [end:config]
QUICK = dict(
    image_size=64,
    num_train=16,
    num_validation=8,
    epochs=1,
    batch_size=8,
    learning_rate=1e-4,
)


def _example_image(path, size):
    """The image at `path`, or a synthetic shapes image if None."""
    if path is not None:
        return keras.utils.img_to_array(keras.utils.load_img(path))
    data = keras_cv.datasets.shapes.generate(1, image_size=size, seed=7)
    return data["images"][0].astype("float32")


def main(quick=False, preset=PRESET, image=None, output_dir=None):
    config = dict(QUICK if quick else FULL)
    output_dir = output_dir or tempfile.mkdtemp(prefix="retinanet_from_coco_")
    os.makedirs(output_dir, exist_ok=True)
    keras.utils.set_random_seed(0)
    print(f"RetinaNet from COCO weights, fine-tuned on shapes: {config}")

    # --8<-- [start:load]
    # preset = "retinanet_resnet50_fpn_coco": torchvision's retinanet_resnet50_fpn
    # COCO weights (box AP 36.4), downloaded once, converted and cached in
    # $KERAS_HOME/presets/torchvision/.
    model = keras_cv.models.RetinaNet.from_preset(preset)
    # --8<-- [end:load]

    # --8<-- [start:detect]
    picture = _example_image(image, config["image_size"])  # (height, width, 3)
    detections = model.predict(picture[None], verbose=0)
    found = int(detections["num_detections"][0])
    png = os.path.join(output_dir, "coco_detections.png")
    keras_cv.visualization.plot_detections(
        picture[None],
        detections,
        path=png,
        class_names=coco_class_names(),
        score_threshold=0.5,
    )
    print(f"{found} detections (score >= 0.05); drew those >= 0.5 in {png}")
    # --8<-- [end:detect]

    train, val = load_shapes(config)
    # --8<-- [start:fine_tune]
    # The same model, fed the shapes at their own size (no resize to 800).
    coco = keras_cv.models.RetinaNet.from_preset(preset, image_resize=None)
    model = keras_cv.models.replace_classification_head(
        coco, num_classes=3, freeze_backbone=True
    )
    steps = config["epochs"] * (config["num_train"] // config["batch_size"])
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(config["learning_rate"], steps)
        )
    )
    evaluation = keras_cv.callbacks.COCOEvaluation(val, frequency=config["epochs"])
    start = time.time()
    model.fit(train, epochs=config["epochs"], callbacks=[evaluation], verbose=2)
    train_seconds = time.time() - start
    # --8<-- [end:fine_tune]

    # --8<-- [start:evaluate]
    stats = evaluation.results  # inference mode, all validation images
    print(
        f"fine-tuned {steps} steps in {train_seconds:.0f} s; validation: "
        f"mAP@[.5:.95]={stats['AP']:.3f} AP50={stats['AP50']:.3f}"
    )
    sample = next(iter(val))
    images = sample["images"][:4]
    shapes_detections = model.predict(images, verbose=0)
    keras_cv.visualization.plot_detections(
        images,
        shapes_detections,
        path=os.path.join(output_dir, "shapes_detections.png"),
        class_names=keras_cv.datasets.shapes.class_names(),
        score_threshold=0.5,
        ground_truth={k: v[:4] for k, v in sample["bounding_boxes"].items()},
    )
    # --8<-- [end:evaluate]

    # --8<-- [start:export]
    same = export_and_compare(model, images, shapes_detections, output_dir)
    # --8<-- [end:export]
    return {
        "coco_detections": found,
        "val_map": float(stats["AP"]),
        "val_ap50": float(stats["AP50"]),
        "train_seconds": float(train_seconds),
        "export_matches_predict": float(same),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--image", default=None, help="an image file to detect on")
    args = parser.parse_args()
    print(main(quick=args.quick, image=args.image))
