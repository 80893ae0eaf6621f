# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from keras_cv.src.callbacks.coco_evaluation import COCOEvaluation
from keras_cv.src.datasets import coco
from keras_cv.src.datasets import shapes


class _JitteredOracle:
    """Returns the ground truth of each batch, moved and rescored."""

    bounding_box_format = "xyxy"

    def __init__(self, data, rng):
        self.data = data
        self.rng = rng
        self.seen = 0

    def predict_on_batch(self, images):
        n = images.shape[0]
        boxes = self.data["boxes"][self.seen : self.seen + n].copy()
        labels = self.data["labels"][self.seen : self.seen + n].copy()
        self.seen += n
        boxes += self.rng.normal(0, 2.0, boxes.shape).astype("float32")
        scores = self.rng.uniform(0.1, 1.0, labels.shape).astype("float32")
        # Drop some detections and relabel others, so AP is not trivial.
        labels[:, 0] = np.where(
            self.rng.uniform(size=n) < 0.2, (labels[:, 0] + 1) % 3, labels[:, 0]
        )
        keep = (labels >= 0) & (self.rng.uniform(size=labels.shape) < 0.85)
        order = np.argsort(~keep, axis=1, kind="stable")

        def take(a):
            return np.take_along_axis(a, order if a.ndim == 2 else order[..., None], 1)

        return {
            "boxes": take(boxes),
            "labels": take(labels),
            "scores": take(scores),
            "num_detections": keep.sum(1),
        }


def test_matches_pycocotools(tmp_path):
    _, val = shapes.load(num_train=1, num_validation=24, image_size=64, seed=4)
    data = next(iter(val.batch(24)))
    data = {
        "boxes": data["bounding_boxes"]["boxes"].numpy(),
        "labels": data["bounding_boxes"]["labels"].numpy(),
    }
    callback = COCOEvaluation(val.batch(5), verbose=0)
    oracle = _JitteredOracle(data, np.random.default_rng(0))
    callback.set_model(oracle)
    logs = {}
    callback.on_epoch_end(0, logs)
    assert oracle.seen == 24

    # Reference: the same detections through pycocotools.
    coco.export_coco_json(val, str(tmp_path / "gt.json"), shapes.class_names())
    gt = COCO(str(tmp_path / "gt.json"))
    replay = _JitteredOracle(data, np.random.default_rng(0))
    results = []
    for start in range(0, 24, 5):
        det = replay.predict_on_batch(np.zeros((min(5, 24 - start), 1)))
        for i in range(len(det["num_detections"])):
            for k in range(int(det["num_detections"][i])):
                x1, y1, x2, y2 = (float(v) for v in det["boxes"][i, k])
                results.append(
                    {
                        "image_id": start + i,
                        "category_id": int(det["labels"][i, k]),
                        "bbox": [x1, y1, x2 - x1, y2 - y1],
                        "score": float(det["scores"][i, k]),
                    }
                )
    evaluator = COCOeval(gt, gt.loadRes(results), "bbox")
    evaluator.evaluate()
    evaluator.accumulate()
    evaluator.summarize()
    np.testing.assert_allclose(callback.results["AP"], evaluator.stats[0], atol=1e-6)
    np.testing.assert_allclose(callback.results["AP50"], evaluator.stats[1], atol=1e-6)
    np.testing.assert_allclose(logs["val_AP75"], evaluator.stats[2], atol=1e-6)
    assert 0.2 < callback.results["AP"] < 0.95


def test_frequency_and_train_end():
    _, val = shapes.load(num_train=1, num_validation=4, image_size=32, seed=1)
    data = next(iter(val.batch(4)))
    data = {
        "boxes": data["bounding_boxes"]["boxes"].numpy(),
        "labels": data["bounding_boxes"]["labels"].numpy(),
    }

    class Exact(_JitteredOracle):
        def predict_on_batch(self, images):
            n = images.shape[0]
            out = {
                "boxes": self.data["boxes"][:n],
                "labels": self.data["labels"][:n],
                "scores": np.ones(self.data["labels"][:n].shape, "float32"),
                "num_detections": (self.data["labels"][:n] >= 0).sum(1),
            }
            return out

    callback = COCOEvaluation(val.batch(4), frequency=2, verbose=0)
    callback.set_model(Exact(data, None))
    callback.set_params({"epochs": 3})
    callback.on_epoch_end(0, {})
    assert callback.results is None
    callback.on_epoch_end(1, {})
    assert callback.results["AP"] == pytest.approx(1.0)
    callback.results = None
    callback.on_epoch_end(2, {})
    assert callback.results is None
    callback.on_train_end()
    assert callback.results["AP50"] == pytest.approx(1.0)
    # The last epoch was evaluated already: nothing more at the end.
    callback.results = None
    callback.on_train_begin()
    callback.on_epoch_end(0, {})
    callback.on_epoch_end(1, {})
    callback.results = None
    callback.on_train_end()
    assert callback.results is None


def test_early_stop_reports_the_epoch_that_ran(capsys):
    # Training planned for 60 epochs stops after epoch 11: the end-of-training
    # evaluation is of epoch 11, and says so (it said "epoch 60").
    _, val = shapes.load(num_train=1, num_validation=4, image_size=32, seed=1)
    data = next(iter(val.batch(4)))
    data = {
        "boxes": data["bounding_boxes"]["boxes"].numpy(),
        "labels": data["bounding_boxes"]["labels"].numpy(),
    }
    callback = COCOEvaluation(val.batch(4), frequency=5, verbose=1)
    callback.set_model(_JitteredOracle(data, np.random.default_rng(0)))
    callback.set_params({"epochs": 60})
    callback.on_train_begin()
    for epoch in range(11):
        callback.model.seen = 0
        callback.on_epoch_end(epoch, {})
    callback.model.seen = 0
    logs = {}
    callback.on_train_end(logs)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "COCOEvaluation (epoch 5)",
        "COCOEvaluation (epoch 10)",
        "COCOEvaluation (epoch 11 of 60, training stopped early)",
    ]
    assert logs["val_AP"] == callback.results["AP"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="frequency"):
        COCOEvaluation(None, frequency=0)
    _, val = shapes.load(num_train=1, num_validation=2, image_size=32)
    callback = COCOEvaluation(val, verbose=0)
    callback.set_model(_JitteredOracle({}, None))
    with pytest.raises(ValueError, match="batched"):
        callback.evaluate()
