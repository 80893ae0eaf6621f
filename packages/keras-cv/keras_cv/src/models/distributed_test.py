# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The models under `tf.distribute` strategies, in subprocesses.

Each test runs one script (`tools.lib.distributed`): 2 logical CPU devices
for `MirroredStrategy`, or 2 worker processes on 127.0.0.1 (`TF_CONFIG`,
one device each) for `MultiWorkerMirroredStrategy`.

Global-batch correctness: from the same initial weights and data, SGD
steps on a 2-replica strategy with global batch 4 give the weights of one
device with batch 4, to float32 round-off (max abs difference `ATOL`).
Batch statistics are the exception: BatchNormalization normalises each
replica's share unless `synchronized_batch_norm=True` (the tests use it
where the model has batch norm, or a backbone without it); Adam's
first steps and gradient clipping (Keras clips each replica's gradient
before the sum) also amplify or change small differences, so the
comparisons use plain SGD.
"""

import pytest

from tools.lib import distributed

# Max abs weight difference between one device and 2 replicas after two
# SGD steps (learning rate 0.01). Round-off alone is ~1e-8; the bugs this
# guards against (losses divided per replica) move weights by ~1e-2.
ATOL = 2e-5

SETUP = """
import keras_applications
import keras_cv
from keras_cv.src.datasets import shapes

ATOL = {atol}


@keras.saving.register_keras_serializable("distributed_test")
class TinyBackbone(keras_applications.Backbone):
    def __init__(self, batch_norm=False, **kwargs):
        inputs = keras.Input((None, None, 3))
        x = inputs
        pyramid = {{}}
        for level in range(1, 6):
            x = keras.layers.Conv2D(
                8, 3, strides=2, padding="same", name=f"conv{{level}}"
            )(x)
            if batch_norm:
                x = keras.layers.BatchNormalization(name=f"bn{{level}}")(x)
            x = keras.layers.ReLU(name=f"relu{{level}}")(x)
            if level >= 2:
                pyramid[f"P{{level}}"] = x
        super().__init__(inputs, x, pyramid, **kwargs)
        self.batch_norm = batch_norm

    def get_config(self):
        return {{"name": self.name, "trainable": self.trainable,
                "batch_norm": self.batch_norm}}


def detection_data(n=8, size=64, seed=0, masks=False):
    data = shapes.generate(n, image_size=size, seed=seed, min_size=0.25,
                           max_size=0.5, return_masks=masks)
    targets = {{"boxes": data["boxes"], "labels": data["labels"]}}
    if masks:
        targets["masks"] = data["instance_masks"]
    return data["images"].astype("float32"), targets, data


strategy = tf.distribute.MirroredStrategy()
assert strategy.num_replicas_in_sync == 2, strategy.num_replicas_in_sync


def max_difference(a, b):
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y))))
               for x, y in zip(a, b))


def same_as_one_device(build, dataset, sample, name):
    single = build()
    single(sample)
    initial = [np.array(w) for w in single.get_weights()]
    single.compile(optimizer=keras.optimizers.SGD(0.01))
    one = single.fit(dataset, epochs=1, verbose=0, shuffle=False).history
    with strategy.scope():
        replicated = build()
        replicated(sample)
        replicated.set_weights(initial)
        replicated.compile(optimizer=keras.optimizers.SGD(0.01))
    two = replicated.fit(dataset, epochs=1, verbose=0, shuffle=False).history
    result = {{
        "difference": max_difference(single.get_weights(), replicated.get_weights()),
        "moved": max_difference(single.get_weights(), initial),
        "loss_one_device": one["loss"][0],
        "loss_two_replicas": two["loss"][0],
    }}
    report(**{{name: result}})
    return replicated


def lifecycle(build, train, validation, sample, name, extra_callbacks=()):
    # Build and compile inside the scope, fit on a distributed dataset and
    # on Keras' own distribution of a tf.data input, then evaluate,
    # predict, save, reload (inside a scope) and export.
    with strategy.scope():
        model = build()
        model.compile()
    distributed = strategy.experimental_distribute_dataset(train)
    history = model.fit(distributed, epochs=1, verbose=0)
    history = model.fit(train, epochs=1, verbose=0, validation_data=validation,
                        callbacks=list(extra_callbacks))
    evaluated = model.evaluate(validation, verbose=0, return_dict=True)
    predicted = model.predict(sample, verbose=0)
    path = os.path.join(WORK_DIR, name + ".keras")
    model.save(path)
    with strategy.scope():
        loaded = keras.models.load_model(path)
    reloaded = loaded.predict(sample, verbose=0)
    history_loaded = loaded.fit(train, epochs=1, verbose=0).history
    model.export(os.path.join(WORK_DIR, name + "_served"), verbose=False)
    reloaded_export = tf.saved_model.load(os.path.join(WORK_DIR, name + "_served"))
    served = reloaded_export.serve(tf.cast(sample, tf.uint8))
    result = {{
        "history": {{k: [float(x) for x in v] for k, v in history.history.items()}},
        "evaluated": {{k: float(v) for k, v in evaluated.items()}},
        "reloaded_fit_loss": float(history_loaded["loss"][0]),
        "predict_keys": sorted(predicted) if isinstance(predicted, dict) else ["array"],
    }}
    flat = lambda p: p if not isinstance(p, dict) else p[sorted(p)[0]]
    result["reloaded_matches"] = bool(np.allclose(flat(predicted), flat(reloaded),
                                                  atol=1e-4))
    served = {{k: np.asarray(v) for k, v in served.items()}}
    if isinstance(predicted, dict):
        result["served_matches"] = bool(all(
            np.allclose(served[k], predicted[k], atol=1e-3) for k in predicted))
    else:
        result["served_matches"] = bool(np.array_equal(
            served["segmentation_masks"], predicted))
    report(**{{name: result}})
    return model
"""


def _run(code, timeout=900):
    return distributed.run(SETUP.format(atol=ATOL) + code, devices=2, timeout=timeout)


def _assert_same(result):
    # The steps moved the weights, and both runs moved them alike.
    assert result["moved"] > 1e-3, result
    assert result["difference"] < ATOL, result
    assert abs(result["loss_one_device"] - result["loss_two_replicas"]) < 1e-4, result


@pytest.mark.large  # over 4 s; default-suite time budget
def test_retinanet_mirrored_matches_one_device():
    # Focal and box losses divided by the positives of the global batch
    # (not of each replica), GroupNorm's custom gradient, label encoding
    # inside the step: all as on one device. (Kept small: the default
    # suite's detector check; the rest of the lifecycle is `large`.)
    result = _run(
        """
images, targets, _ = detection_data()
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
build = lambda: keras_cv.models.RetinaNet(
    TinyBackbone(), num_classes=3, max_level=5, fpn_filters=8,
    head_filters=8, head_depth=1)
same_as_one_device(build, dataset, images[:1], "retinanet")
"""
    )
    _assert_same(result["retinanet"])


@pytest.mark.large
def test_retinanet_evaluate_and_predict_match_one_device():
    result = _run(
        """
images, targets, _ = detection_data()
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
build = lambda: keras_cv.models.RetinaNet(
    TinyBackbone(), num_classes=3, max_level=5, fpn_filters=8,
    head_filters=8, head_depth=1)
with strategy.scope():
    model = build()
one = build()
one.set_weights(model.get_weights())
one.compile()
model.compile()  # outside the scope: the default optimizer is made inside it
history = model.fit(dataset, epochs=1, verbose=0).history
report(fitted=history["loss"][0])
one.set_weights(model.get_weights())
report(evaluated=model.evaluate(dataset, verbose=0),
       evaluated_one_device=one.evaluate(dataset, verbose=0))
detections = model.predict(images[:4], verbose=0)
expected = one.predict(images[:4], verbose=0)
# Keras' predict_on_batch under a strategy returned one copy per replica.
on_batch = model.predict_on_batch(images[:4])
report(on_batch_rows=len(on_batch["num_detections"]), on_batch_matches=bool(
    np.allclose(on_batch["scores"], expected["scores"], atol=1e-5)))
report(predict_matches=bool(np.allclose(detections["scores"], expected["scores"],
                                        atol=1e-5)),
       num_detections=[int(n) for n in detections["num_detections"]])
"""
    )
    assert result["fitted"] > 0
    assert abs(result["evaluated"] - result["evaluated_one_device"]) < 1e-4, result
    assert result["predict_matches"], result
    assert len(result["num_detections"]) == 4
    assert result["on_batch_rows"] == 4, result
    assert result["on_batch_matches"], result


@pytest.mark.large
def test_retinanet_lifecycle_and_synchronized_batch_norm():
    result = _run(
        """
images, targets, _ = detection_data()
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
# A backbone with batch norm: synchronized statistics give the weights
# (and moving statistics) of one device.
build = lambda: keras_cv.models.RetinaNet(
    TinyBackbone(batch_norm=True), num_classes=3, max_level=5, fpn_filters=8,
    head_filters=8, head_depth=1, synchronized_batch_norm=True)
same_as_one_device(build, dataset, images[:1], "synchronized")
# Without synchronization each replica normalises its own 2 images.
build_plain = lambda: keras_cv.models.RetinaNet(
    TinyBackbone(batch_norm=True), num_classes=3, max_level=5, fpn_filters=8,
    head_filters=8, head_depth=1)
same_as_one_device(build_plain, dataset, images[:1], "per_replica")
callback = keras_cv.callbacks.COCOEvaluation(dataset.take(1), verbose=0)
lifecycle_model = lifecycle(build, dataset, dataset, images[:2], "lifecycle", [callback])
report(coco=callback.results)
# Label encoding inside tf.data, by a model built in the strategy's scope,
# feeds a distributed dataset: each replica gets its half of the targets.
model = lifecycle_model
encoded = dataset.map(lambda x, y: (x, model.encode_targets(x, y)))
shapes_seen = []
for x, y in strategy.experimental_distribute_dataset(encoded):
    local = strategy.experimental_local_results(y[0])
    shapes_seen.append([list(t.shape) for t in local])
eager = model.encode_targets(images[:4], {k: v[:4] for k, v in targets.items()})
first = next(iter(encoded))[1]
report(encoded_matches=bool(all(np.allclose(a, b) for a, b in zip(first, eager))))
report(encoded_shapes=shapes_seen)
"""
    )
    _assert_same(result["synchronized"])
    # Per-replica statistics legitimately differ from one device.
    assert result["per_replica"]["difference"] > ATOL, result
    lifecycle = result["lifecycle"]
    assert lifecycle["reloaded_matches"] and lifecycle["served_matches"], lifecycle
    assert "val_loss" in lifecycle["history"], lifecycle
    assert 0.0 <= result["coco"]["AP"] <= 1.0
    assert all(len(local) == 2 for local in result["encoded_shapes"]), result
    assert result["encoded_shapes"][0][0][0] == 2, result
    assert result["encoded_matches"], result


@pytest.mark.large
def test_faster_rcnn_and_mask_rcnn_mirrored():
    # Deterministic sampling (every anchor and proposal sampled) so that the
    # two runs see the same samples; the RPN, region-head and mask losses
    # are divided by the counts of the global batch.
    result = _run(
        """
small = dict(fpn_filters=8, head_units=16, rpn_batch_size=2048,
             roi_batch_size=128, num_proposals=32, test_num_proposals=16, seed=1)
images, targets, _ = detection_data()
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
build = lambda: keras_cv.models.FasterRCNN(TinyBackbone(), num_classes=3, **small)
same_as_one_device(build, dataset, images[:1], "faster_rcnn")
lifecycle(build, dataset, dataset, images[:2], "faster_rcnn_lifecycle")

mimages, mtargets, _ = detection_data(masks=True)
mdataset = tf.data.Dataset.from_tensor_slices((mimages, mtargets)).batch(4)
mbuild = lambda: keras_cv.models.MaskRCNN(
    TinyBackbone(), num_classes=3, mask_filters=8, max_detections=8, **small)
same_as_one_device(mbuild, mdataset, mimages[:1], "mask_rcnn")
lifecycle(mbuild, mdataset, mdataset, mimages[:2], "mask_rcnn_lifecycle")
"""
    )
    for name in ("faster_rcnn", "mask_rcnn"):
        _assert_same(result[name])
        lifecycle = result[name + "_lifecycle"]
        assert lifecycle["reloaded_matches"], lifecycle
        assert lifecycle["served_matches"], lifecycle


@pytest.mark.large
def test_deeplab_mirrored_counts_labelled_pixels_globally():
    # One replica's images have far more ignored pixels than the other's:
    # the loss must average over the labelled pixels of the global batch.
    # Batch norm is synchronized (DeepLab's head normalises batches).
    result = _run(
        """
_, _, data = detection_data(masks=True, size=32)
images = data["images"].astype("float32")
masks = data["segmentation_masks"].astype("int32")
masks[0:2, :24] = 255  # ignored pixels in the first replica's images
dataset = tf.data.Dataset.from_tensor_slices((images, masks)).batch(4)
build = lambda: keras_cv.models.DeepLabV3Plus(
    TinyBackbone(batch_norm=True), num_classes=4, low_level="P2",
    high_level="P4", dilation_rates=[1, 2], pooling_channels=8,
    low_level_channels=4, decoder_channels=8, dropout=0.0,
    synchronized_batch_norm=True)
same_as_one_device(build, dataset, images[:1], "deeplab")
lifecycle(build, dataset, dataset, images[:2], "deeplab_lifecycle")
"""
    )
    _assert_same(result["deeplab"])
    lifecycle = result["deeplab_lifecycle"]
    assert lifecycle["reloaded_matches"] and lifecycle["served_matches"], lifecycle


BACKUP = """
import signal

images, targets, _ = detection_data(n=16)
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
with strategy.scope():
    model = keras_cv.models.RetinaNet(
        TinyBackbone(), num_classes=3, max_level=5, fpn_filters=8,
        head_filters=8, head_depth=1)
    model.compile(optimizer=keras.optimizers.SGD(0.01))


class Preempt(keras.callbacks.Callback):
    # Kills the process (as a preemption does) in the middle of epoch 1.
    def on_train_batch_begin(self, batch, logs=None):
        if os.environ.get("KILL") and self.epoch == 1 and batch == 3:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        report(epochs=_RESULT.get("epochs", []) + [epoch],
               iterations_at_epoch_begin=_RESULT.get(
                   "iterations_at_epoch_begin", []) + [
                   int(model.optimizer.iterations.numpy())])


backup = keras.callbacks.BackupAndRestore(os.path.join(WORK_DIR, "backup"),
                                          save_freq=2)
model.fit(dataset, epochs=3, verbose=0, callbacks=[backup, Preempt()])
report(final_iterations=int(model.optimizer.iterations.numpy()))
"""


def _kill_and_resume(script):
    import tempfile

    with tempfile.TemporaryDirectory() as work_dir:
        killed = distributed.Process(
            script, devices=2, env={"KILL": "1"}, work_dir=work_dir
        )
        first = killed.wait(timeout=900, check=False)
        assert killed.returncode == -9, (killed.returncode, killed.stderr[-3000:])
        resumed = distributed.Process(script, devices=2, work_dir=work_dir).wait(900)
    return first, resumed


def _assert_resumed(first, resumed):
    # 4 batches per epoch, a backup every 2 batches: killed before batch 3
    # of epoch 1, the last backup was after batch 1 of epoch 1 (6 steps).
    assert first["epochs"] == [0, 1], first
    assert "final_iterations" not in first
    # Keras restores the weights and optimizer of that backup and runs
    # epoch 1 again from its start, then epoch 2.
    assert resumed["epochs"] == [1, 2], resumed
    assert resumed["iterations_at_epoch_begin"][0] == 6, resumed
    assert resumed["final_iterations"] == 6 + 8, resumed


@pytest.mark.large
def test_retinanet_killed_mid_epoch_resumes_with_backup_and_restore():
    first, resumed = _kill_and_resume(SETUP.format(atol=ATOL) + BACKUP)
    _assert_resumed(first, resumed)


MULTI_WORKER = """
images, targets, _ = detection_data()
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
build = lambda: keras_cv.models.RetinaNet(
    TinyBackbone(), num_classes=3, max_level=5, fpn_filters=8,
    head_filters=8, head_depth=1)
with workers.scope():
    model = build()
    initial = [np.array(w) for w in model.get_weights()]
    model.compile(optimizer=keras.optimizers.SGD(0.01))
history = model.fit(dataset, epochs=1, verbose=0)
evaluated = model.evaluate(dataset, verbose=0)
detections = model.predict(images[:4], verbose=0)
model.save(os.path.join(WORK_DIR, f"model_{TASK_INDEX}.keras"))
report(task=TASK_INDEX, loss=history.history["loss"][0], evaluated=evaluated,
       predicted_rows=len(detections["num_detections"]))
if TASK_INDEX == 0:
    single = build()
    single.set_weights(initial)
    single.compile(optimizer=keras.optimizers.SGD(0.01))
    one = single.fit(dataset, epochs=1, verbose=0).history
    report(difference=max_difference(single.get_weights(), model.get_weights()),
           moved=max_difference(single.get_weights(), initial),
           loss_one_device=one["loss"][0])
"""


@pytest.mark.large
def test_retinanet_multi_worker_matches_one_device():
    # Two worker processes on 127.0.0.1 (TF_CONFIG), one device each.
    setup = SETUP.format(atol=ATOL).replace(
        "strategy = tf.distribute.MirroredStrategy()\n"
        "assert strategy.num_replicas_in_sync == 2, strategy.num_replicas_in_sync\n",
        "workers = tf.distribute.MultiWorkerMirroredStrategy()\n"
        "assert workers.num_replicas_in_sync == 2\n",
    )
    results = distributed.run_workers(setup + MULTI_WORKER, num_workers=2, timeout=1500)
    assert [r["task"] for r in results] == [0, 1]
    chief = results[0]
    assert chief["moved"] > 1e-3, chief
    assert chief["difference"] < ATOL, chief
    assert abs(chief["loss"] - chief["loss_one_device"]) < 1e-4, chief
    assert results[0]["evaluated"] == pytest.approx(results[1]["evaluated"])
    assert chief["predicted_rows"] == 4


def _multi_worker_setup():
    return SETUP.format(atol=ATOL).replace(
        "strategy = tf.distribute.MirroredStrategy()\n"
        "assert strategy.num_replicas_in_sync == 2, strategy.num_replicas_in_sync\n",
        "workers = tf.distribute.MultiWorkerMirroredStrategy()\n"
        "assert workers.num_replicas_in_sync == 2\n",
    )


# The steps of `MULTI_WORKER` for any model: build and compile in the
# scope, fit, evaluate, predict and save in every worker; the chief also
# trains one device from the same initial weights with the same global
# batches and compares.
MULTI_WORKER_MODEL = """
def multi_worker(build, dataset, sample, name):
    with workers.scope():
        model = build()
        model(sample)
        initial = [np.array(w) for w in model.get_weights()]
        model.compile(optimizer=keras.optimizers.SGD(0.01))
    history = model.fit(dataset, epochs=1, verbose=0, shuffle=False)
    evaluated = model.evaluate(dataset, verbose=0)
    predicted = model.predict(sample, verbose=0)
    model.save(os.path.join(WORK_DIR, f"{name}_{TASK_INDEX}.keras"))
    rows = (len(predicted["num_detections"]) if isinstance(predicted, dict)
            else len(predicted))
    result = dict(task=TASK_INDEX, loss=history.history["loss"][0],
                  evaluated=evaluated, predicted_rows=rows)
    if isinstance(predicted, dict) and "masks" in predicted:
        result["masks_dtype"] = str(predicted["masks"].dtype)
    if TASK_INDEX == 0:
        single = build()
        single(sample)
        single.set_weights(initial)
        single.compile(optimizer=keras.optimizers.SGD(0.01))
        one = single.fit(dataset, epochs=1, verbose=0, shuffle=False).history
        result.update(
            difference=max_difference(single.get_weights(), model.get_weights()),
            moved=max_difference(single.get_weights(), initial),
            loss_one_device=one["loss"][0])
    report(task=TASK_INDEX, **{name: result})
"""


def _assert_multi_worker(results, name, rows):
    assert [r["task"] for r in results] == [0, 1]
    chief = results[0][name]
    assert chief["moved"] > 1e-3, chief
    assert chief["difference"] < ATOL, chief
    assert abs(chief["loss"] - chief["loss_one_device"]) < 1e-4, chief
    assert results[0][name]["evaluated"] == pytest.approx(results[1][name]["evaluated"])
    assert chief["predicted_rows"] == rows, chief


@pytest.mark.large
def test_faster_rcnn_and_mask_rcnn_multi_worker_match_one_device():
    # As `test_faster_rcnn_and_mask_rcnn_mirrored`, on two worker processes.
    results = distributed.run_workers(
        _multi_worker_setup()
        + MULTI_WORKER_MODEL
        + """
small = dict(fpn_filters=8, head_units=16, rpn_batch_size=2048,
             roi_batch_size=128, num_proposals=32, test_num_proposals=16, seed=1)
images, targets, _ = detection_data()
dataset = tf.data.Dataset.from_tensor_slices((images, targets)).batch(4)
build = lambda: keras_cv.models.FasterRCNN(TinyBackbone(), num_classes=3, **small)
multi_worker(build, dataset, images[:4], "faster_rcnn")

mimages, mtargets, _ = detection_data(masks=True)
mdataset = tf.data.Dataset.from_tensor_slices((mimages, mtargets)).batch(4)
mbuild = lambda: keras_cv.models.MaskRCNN(
    TinyBackbone(), num_classes=3, mask_filters=8, max_detections=8, **small)
multi_worker(mbuild, mdataset, mimages[:4], "mask_rcnn")
""",
        num_workers=2,
        timeout=1500,
    )
    for name in ("faster_rcnn", "mask_rcnn"):
        _assert_multi_worker(results, name, rows=4)
    # Keras gathers predict's outputs from the workers with collective ops,
    # which took no uint8 masks.
    assert results[0]["mask_rcnn"]["masks_dtype"] == "uint8", results[0]


@pytest.mark.large
def test_deeplab_multi_worker_matches_one_device():
    # As `test_deeplab_mirrored_counts_labelled_pixels_globally`, on two
    # worker processes: two images of the first global batch are mostly
    # ignored pixels, so the workers' labelled-pixel counts differ.
    results = distributed.run_workers(
        _multi_worker_setup()
        + MULTI_WORKER_MODEL
        + """
_, _, data = detection_data(masks=True, size=32)
images = data["images"].astype("float32")
masks = data["segmentation_masks"].astype("int32")
masks[0:2, :24] = 255
dataset = tf.data.Dataset.from_tensor_slices((images, masks)).batch(4)
build = lambda: keras_cv.models.DeepLabV3Plus(
    TinyBackbone(batch_norm=True), num_classes=4, low_level="P2",
    high_level="P4", dilation_rates=[1, 2], pooling_channels=8,
    low_level_channels=4, decoder_channels=8, dropout=0.0,
    synchronized_batch_norm=True)
multi_worker(build, dataset, images[:4], "deeplab")
""",
        num_workers=2,
        timeout=1500,
    )
    _assert_multi_worker(results, "deeplab", rows=4)
