# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A callback that scores a detector with the COCO metrics during `fit`."""

import keras
import numpy as np

from keras_core import api_export
from keras_cv.src.metrics.coco_evaluation import evaluate_coco

_PREFIX = "val_"


def _batches(dataset):
    for element in dataset:
        if isinstance(element, dict):
            yield element["images"], element["bounding_boxes"]
        else:
            yield element[0], element[1]


@api_export("keras_cv.callbacks.COCOEvaluation", stability="experimental")
class COCOEvaluation(keras.callbacks.Callback):
    """Evaluates a detector on a dataset with the COCO metrics during `fit`.

    At the end of every `frequency`-th epoch (and at the end of training,
    after the last epoch that ran, also when training stopped early),
    runs the model's `predict_on_batch` (inference mode: moving statistics,
    final detections) over every image of `dataset`, then computes the 12
    COCO statistics with `keras_cv.metrics.evaluate_coco` over all images,
    including those without detections. The results are added to the epoch
    logs as `val_AP`, `val_AP50`, ... (so `ModelCheckpoint` and
    `EarlyStopping` can monitor them) and kept in `self.results`.

    Args:
        dataset: a batched `tf.data.Dataset` of `{"images",
            "bounding_boxes": {"boxes", "labels"}}` or of `(images,
            bounding_boxes)` pairs, in the model's `bounding_box_format`.
        frequency: evaluate every this many epochs.
        verbose: print the statistics when evaluated.

    Examples:

    ```python
    train_ds, val_ds = keras_cv.datasets.shapes.load(num_train=8, num_validation=4)
    callback = keras_cv.callbacks.COCOEvaluation(val_ds.batch(4), frequency=5)
    # model.fit(train_ds.batch(8), epochs=10, callbacks=[callback])
    # callback.results["AP"], or the logs' "val_AP", after every 5th epoch
    ```
    """

    def __init__(self, dataset, frequency=1, verbose=1):
        super().__init__()
        if (
            isinstance(frequency, bool)
            or not isinstance(frequency, int)
            or frequency < 1
        ):
            raise ValueError(
                f"`frequency` must be a positive int. Received: frequency={frequency!r}."
            )
        self.dataset = dataset
        self.frequency = frequency
        self.verbose = verbose
        self.results = None
        self._last_epoch = None
        self._finished_epoch = None

    def evaluate(self, model=None):
        """Returns the COCO statistics of `model` (default: the fitted one)."""
        model = model or self.model
        fmt = getattr(model, "bounding_box_format", "xyxy")
        gt_boxes, gt_labels = [], []
        dt = {"boxes": [], "scores": [], "labels": []}
        for images, bounding_boxes in _batches(self.dataset):
            if len(images.shape) != 4:
                raise ValueError(
                    "COCOEvaluation needs a batched dataset (images of shape "
                    f"(batch, height, width, 3)). Received images of shape "
                    f"{tuple(images.shape)}: call `dataset.batch(n)` first."
                )
            detections = model.predict_on_batch(images)
            labels = bounding_boxes.get("labels", bounding_boxes.get("classes"))
            boxes = bounding_boxes["boxes"]
            if hasattr(boxes, "to_list"):
                boxes, labels = boxes.to_list(), labels.to_list()
            for i in range(len(detections["num_detections"])):
                n = int(detections["num_detections"][i])
                dt["boxes"].append(np.asarray(detections["boxes"][i])[:n])
                dt["scores"].append(np.asarray(detections["scores"][i])[:n])
                dt["labels"].append(np.asarray(detections["labels"][i])[:n])
                gt_l = np.asarray(labels[i]).reshape(-1)
                keep = gt_l >= 0
                gt_boxes.append(np.asarray(boxes[i], "float32").reshape(-1, 4)[keep])
                gt_labels.append(gt_l[keep])
        image_shape = tuple(images.shape[1:3]) if fmt.startswith("rel_") else None
        return evaluate_coco(
            {"boxes": gt_boxes, "labels": gt_labels},
            dt,
            bounding_box_format=fmt,
            image_shape=image_shape,
        )

    def _run(self, epoch, logs, at_end=False):
        self.results = {k: float(v) for k, v in self.evaluate().items()}
        self._last_epoch = epoch
        if logs is not None:
            logs.update({_PREFIX + k: v for k, v in self.results.items()})
        if self.verbose:
            when = f"epoch {epoch + 1}"
            planned = self.params.get("epochs") if self.params else None
            if at_end and planned is not None and epoch + 1 < planned:
                when += f" of {planned}, training stopped early"
            print(
                f"COCOEvaluation ({when}): "
                f"AP={self.results['AP']:.4f} AP50={self.results['AP50']:.4f} "
                f"AP75={self.results['AP75']:.4f}"
            )

    def on_train_begin(self, logs=None):
        self._last_epoch = None
        self._finished_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        self._finished_epoch = epoch
        if (epoch + 1) % self.frequency == 0:
            self._run(epoch, logs)

    def on_train_end(self, logs=None):
        # The last epoch that ran (training may have stopped early), if it
        # was not evaluated already.
        epoch = self._finished_epoch
        if epoch is not None and self._last_epoch != epoch:
            self._run(epoch, logs, at_end=True)
