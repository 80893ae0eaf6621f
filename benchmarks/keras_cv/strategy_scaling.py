# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Training steps per second on 1 and 2 replicas: a detector and a BERT task.

Configuration (fixed, seed 0, TensorFlow backend, float32): the CPU (or,
with 2 GPUs, the GPUs) as 2 devices; the same global batch on one device
(no strategy) and on `tf.distribute.MirroredStrategy` over both.

- RetinaNet: ResNet18 backbone, `max_level=5`, 64-channel pyramid and
  heads of depth 2, 128x128 images of the generated shapes dataset, global
  batch 8, SGD.
- BertClassifier: 2-layer BERT, hidden size 128, sequence length 64,
  global batch 32 of preprocessed token ids, SGD.

`fit` on the global batch repeated: 2 warm-up steps, then `--steps` steps
timed together.
Figures: `*_steps_per_s_1` and `*_steps_per_s_2` (higher is better) and
their ratio `*_scaling` (2 replicas / 1).

**Reading the ratio.** On a machine without GPUs the 2 devices are logical
CPU devices that share the same cores: a ratio below 1 then measures the
overhead of running our training steps under a strategy (per-replica
steps, all-reduce of gradients and normalisers), not a speed-up. On 2 GPUs
the ratio is the speed-up a user gets (ideally close to 2).

    python benchmarks/keras_cv/strategy_scaling.py --impl ours [--steps 10] [--quick]

There is no peer: the figure of interest is the scaling of our own code.
"""

import argparse
import json
import time

SEED = 0
NOTE = (
    "On a machine whose 2 devices are logical CPU devices sharing the same "
    "cores, the 2/1 ratio shows the overhead of the strategy, not a speed-up."
)


def _devices():
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if len(gpus) >= 2:
        return ["/gpu:0", "/gpu:1"], "gpu"
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )
    return ["/cpu:0", "/cpu:1"], "logical_cpu"


def _steps_per_second(model, batch, warmup, steps):
    """`fit` on the batch repeated: the distributed input path users take."""
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensors(batch).repeat()
    model.fit(dataset, steps_per_epoch=warmup, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0)
    return steps / (time.perf_counter() - start)


def _retinanet(size):
    import keras

    import keras_applications
    import keras_cv

    model = keras_cv.models.RetinaNet(
        keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3)),
        num_classes=3,
        max_level=5,
        fpn_filters=size["filters"],
        head_filters=size["filters"],
        head_depth=2,
    )
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    return model


def _retinanet_batch(size):
    from keras_cv.src.datasets import shapes

    data = shapes.generate(size["images"], image_size=size["image_size"], seed=SEED)
    return data["images"].astype("float32"), {
        "boxes": data["boxes"],
        "labels": data["labels"],
    }


def _bert(size):
    import keras

    import keras_nlp

    model = keras_nlp.models.BertClassifier(
        keras_nlp.encoders.BertEncoder(
            vocab_size=1000,
            hidden_size=size["hidden"],
            num_layers=2,
            num_attention_heads=2,
            inner_dim=4 * size["hidden"],
            max_sequence_length=size["length"],
        ),
        num_classes=2,
    )
    model.compile(
        optimizer=keras.optimizers.SGD(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _bert_batch(size):
    import numpy as np

    rng = np.random.RandomState(SEED)
    shape = (size["batch"], size["length"])
    x = {
        "input_ids": rng.randint(5, 1000, size=shape).astype("int32"),
        "input_mask": np.ones(shape, "int32"),
        "input_type_ids": np.zeros(shape, "int32"),
    }
    return x, rng.randint(0, 2, size=size["batch"])


def run(steps, quick):
    devices, kind = _devices()
    import keras
    import tensorflow as tf

    detector = dict(images=8, image_size=128, filters=64)
    bert = dict(batch=32, length=64, hidden=128)
    if quick:
        detector = dict(images=2, image_size=64, filters=8)
        bert = dict(batch=4, length=16, hidden=16)
    # One strategy for the whole program: two MirroredStrategy objects in a
    # process can reuse the same collective instance keys.
    strategy = tf.distribute.MirroredStrategy(devices)
    figures = {}
    for name, build, batch in (
        ("retinanet", lambda: _retinanet(detector), _retinanet_batch(detector)),
        ("bert_classifier", lambda: _bert(bert), _bert_batch(bert)),
    ):
        keras.utils.set_random_seed(SEED)
        one = _steps_per_second(build(), batch, 2, steps)
        with strategy.scope():
            keras.utils.set_random_seed(SEED)
            model = build()
        two = _steps_per_second(model, batch, 2, steps)
        figures[f"{name}_steps_per_s_1"] = one
        figures[f"{name}_steps_per_s_2"] = two
        figures[f"{name}_scaling"] = two / one
    return {
        "benchmark": "keras_cv/strategy_scaling",
        "impl": "ours",
        "config": {
            "devices": kind,
            "retinanet": detector,
            "bert_classifier": bert,
            "steps": steps,
            "seed": SEED,
        },
        "figures": figures,
        "higher_is_better": {name: True for name in figures},
        "note": NOTE if kind == "logical_cpu" else "2 GPUs: the ratio is the speed-up.",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--impl", choices=("ours",), required=True, help="no peer: ours only"
    )
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="tiny models")
    args = parser.parse_args(argv)
    result = run(args.steps, args.quick)
    print(result["note"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
