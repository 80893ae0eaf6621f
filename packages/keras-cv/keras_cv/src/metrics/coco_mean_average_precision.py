# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A stateful Keras metric computing the COCO statistics over many batches."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import validate_format
from keras_cv.src.metrics.coco_evaluation import METRIC_NAMES
from keras_cv.src.metrics.coco_evaluation import check_image_shape
from keras_cv.src.metrics.coco_evaluation import evaluate_coco

try:  # where XLA compiles the calling function (no public equivalent)
    from tensorflow.python.ops.control_flow_util import (
        GraphOrParentsInXlaContext as _in_xla_context,
    )
except ImportError:  # pragma: no cover - other TensorFlow layouts

    def _in_xla_context(graph):
        return False


_GT_KEYS = ("boxes", "labels")
_PRED_KEYS = ("boxes", "labels", "scores")


def _dense(value, fill):
    if isinstance(value, tf.RaggedTensor):
        return value.to_tensor(default_value=fill)
    return tf.convert_to_tensor(value)


def _standard(data, role):
    if (
        not isinstance(data, dict)
        and hasattr(data, "shape")
        or isinstance(data, np.ndarray)
    ):
        # Packed tensors, the form Keras `compile` can pass: boxes in the
        # first 4 columns, then the label, then (predictions) the score.
        data = _dense(data, -1)
        width = 6 if role == "y_pred" else 5
        # Ground truth may carry extra columns (e.g. to match a loss's shape).
        bad = data.shape[-1] != width if role == "y_pred" else data.shape[-1] < width
        if data.shape[-1] is not None and bad:
            raise ValueError(
                f"A packed `{role}` tensor must have a last dimension of {width} "
                + (
                    "(4 box coordinates, label, score)"
                    if role == "y_pred"
                    else "(4 box coordinates, label)"
                )
                + f". Received shape {tuple(data.shape)}."
            )
        packed = {"boxes": data[..., :4], "labels": data[..., 4]}
        if role == "y_pred":
            packed["scores"] = data[..., 5]
        data = packed
    if not isinstance(data, dict):
        raise TypeError(
            f"COCOMeanAveragePrecision expects `{role}` to be a dict such as "
            "{'boxes': ..., 'labels': ...}"
            + (" with 'scores'" if role == "y_pred" else "")
            + f". Received an object of type {type(data).__name__}."
        )
    data = dict(data)
    if "classes" in data and "labels" not in data:
        data["labels"] = data.pop("classes")
    if "confidence" in data and "scores" not in data:
        data["scores"] = data.pop("confidence")
    keys = _PRED_KEYS if role == "y_pred" else _GT_KEYS
    missing = [k for k in keys if k not in data]
    if missing:
        raise ValueError(
            f"`{role}` is missing the entries {missing}. Received keys: {sorted(data)}."
        )
    out = {k: _dense(data[k], -1) for k in keys}
    if role == "y_pred" and "num_detections" in data:
        out["num_detections"] = tf.convert_to_tensor(data["num_detections"])
    return out


def _check_not_compiled_by_xla():
    if _in_xla_context(tf.compat.v1.get_default_graph()):
        raise ValueError(
            "COCOMeanAveragePrecision cannot run inside an XLA-compiled "
            "function: it hands every batch to NumPy (`tf.py_function`), which "
            "XLA cannot compile. Compile the model with `jit_compile=False`, "
            "e.g. `model.compile(..., metrics=[metric], jit_compile=False)`, or "
            "evaluate outside the model with `keras_cv.callbacks.COCOEvaluation` "
            "or `keras_cv.metrics.evaluate_coco`. Received: a call from a "
            "function compiled with `jit_compile=True`."
        )


@api_export("keras_cv.metrics.COCOMeanAveragePrecision", stability="stable", rfc=RFC)
class COCOMeanAveragePrecision(keras.metrics.Metric):
    """COCO mean average precision (and the other COCO statistics) over batches.

    A stateful metric: `update_state` stores the ground truth and predictions
    of each batch (on the host), and `result` runs `evaluate_coco` on all
    of them, so every image seen since the last `reset_state` counts,
    including images without predictions or without ground truth. Works
    eagerly and in `model.compile(metrics=[...])` / `evaluate`; compile with
    `jit_compile=False` (the default on CPU), since the batches are handed
    to NumPy: inside an XLA-compiled step it raises a `ValueError` saying
    so. Keras `compile` hands a metric one output tensor, so there pack the
    boxes as `[B, N, 5]` ground truth (4 coordinates, label) and
    `[B, N, 6]` predictions (4 coordinates, label, score), padded with
    label -1.

    Args:
        bounding_box_format: the format of the boxes.
        image_shape: `(height, width)`, needed for relative formats.
        stat: the statistic returned by `result()`: one of `"AP"`, `"AP50"`,
            `"AP75"`, `"APs"`, `"APm"`, `"APl"`, `"ARmax1"`, `"ARmax10"`,
            `"ARmax100"`, `"ARs"`, `"ARm"`, `"ARl"`. All twelve are
            available from `all_results()`.
        name: the metric name.

    Call arguments (of `update_state`):
        y_true: dict `{"boxes", "labels"}` (dense -1 padded or ragged), or
            a packed `[B, N, 5]` tensor.
        y_pred: dict `{"boxes", "labels", "scores"}`, optionally with
            `"num_detections"` (as returned by `NMSDetectionDecoder`), or a
            packed `[B, N, 6]` tensor.

    Examples:

    >>> metric = keras_cv.metrics.COCOMeanAveragePrecision(bounding_box_format="xyxy")
    >>> metric.update_state(
    ...     {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[2]]},
    ...     {"boxes": [[[1.0, 0.0, 10.0, 10.0]]], "labels": [[2]],
    ...      "scores": [[0.8]]})
    >>> round(float(metric.result()), 4)
    0.9
    """

    def __init__(
        self,
        bounding_box_format="xyxy",
        image_shape=None,
        stat="AP",
        name="coco_map",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.bounding_box_format = validate_format(bounding_box_format)
        if stat not in METRIC_NAMES:
            raise ValueError(
                f"`stat` must be one of {', '.join(METRIC_NAMES)}. Received: stat={stat!r}."
            )
        self.stat = stat
        checked = check_image_shape(image_shape)
        self.image_shape = None if checked is None else tuple(int(v) for v in checked)
        self._batches = []

    def _store(self, *arrays):
        arrays = [np.asarray(a) for a in arrays]
        self._batches.append(arrays)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = _standard(y_true, "y_true")
        y_pred = _standard(y_pred, "y_pred")
        inputs = [
            y_true["boxes"],
            y_true["labels"],
            y_pred["boxes"],
            y_pred["labels"],
            y_pred["scores"],
        ]
        num_det = y_pred.get("num_detections")
        if num_det is None:
            num_det = tf.fill(
                tf.shape(y_pred["labels"])[:1], tf.shape(y_pred["labels"])[1]
            )
        inputs.append(num_det)
        if tf.executing_eagerly():
            self._store(*[t.numpy() for t in inputs])
        else:
            _check_not_compiled_by_xla()

            def store(*tensors):
                self._store(*[t.numpy() for t in tensors])
                return np.int32(0)

            tf.py_function(store, inputs, Tout=tf.int32, name="coco_map_store")

    def all_results(self):
        """The 12 COCO statistics (a dict) over every stored batch."""
        if not self._batches:
            return {k: -1.0 for k in METRIC_NAMES}
        gt_boxes, gt_labels, dt_boxes, dt_labels, dt_scores = [], [], [], [], []
        for gb, gl, db, dl, ds, nd in self._batches:
            for i in range(len(gb)):
                gt_boxes.append(gb[i].reshape(-1, 4))
                gt_labels.append(gl[i].reshape(-1))
                n = int(nd[i])
                dt_boxes.append(db[i].reshape(-1, 4)[:n])
                dt_labels.append(dl[i].reshape(-1)[:n])
                dt_scores.append(ds[i].reshape(-1)[:n])
        return evaluate_coco(
            {"boxes": gt_boxes, "labels": gt_labels},
            {"boxes": dt_boxes, "labels": dt_labels, "scores": dt_scores},
            bounding_box_format=self.bounding_box_format,
            image_shape=self.image_shape,
        )

    def result(self):
        if tf.executing_eagerly():
            return tf.constant(self.all_results()[self.stat], "float32")
        _check_not_compiled_by_xla()
        value = tf.py_function(
            lambda: np.float32(self.all_results()[self.stat]), [], Tout=tf.float32
        )
        value.set_shape(())
        return value

    def reset_state(self):
        self._batches = []

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "bounding_box_format": self.bounding_box_format,
                "image_shape": self.image_shape,
                "stat": self.stat,
            }
        )
        return config
