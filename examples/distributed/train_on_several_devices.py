# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Train a detector and a BERT classifier on several devices or machines.

The code of the guide "Train on several GPUs or machines"
(`docs/guides/distributed-training.md`):

1. pick a `tf.distribute` strategy: `MultiWorkerMirroredStrategy` when
   `TF_CONFIG` names a cluster, else `MirroredStrategy` over the GPUs (or,
   on a machine without GPUs, over the CPU split into logical devices, so
   that the code path can be tried anywhere);
2. scale the batch and the learning rate with the number of replicas;
3. build, compile and fit a RetinaNet on the generated shapes dataset and
   a BertClassifier on raw text inside the strategy's scope, with
   `keras.callbacks.BackupAndRestore` so that a killed run resumes;
4. evaluate, save and reload the models.

    python examples/distributed/train_on_several_devices.py [--quick] [--cpus N]

For several machines, start the same command on each with its `TF_CONFIG`
(see the guide).
"""

import argparse
import json
import os
import tempfile

import keras
import tensorflow as tf

import keras_applications
import keras_cv
import keras_nlp

FULL = dict(per_replica_batch=8, num_train=256, num_validation=32, epochs=4)
QUICK = dict(per_replica_batch=2, num_train=16, num_validation=8, epochs=1)


# --8<-- [start:devices]
def split_cpu(count):
    """On a machine without GPUs, splits the CPU into `count` logical devices.

    Must run before TensorFlow initialises (before the first tensor or
    model); MirroredStrategy then has `count` replicas, which exercises the
    distributed code path (it is not faster: the devices share the cores).
    """
    if count > 1 and not tf.config.list_physical_devices("GPU"):
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * count
        )


# --8<-- [end:devices]


# --8<-- [start:strategy]
def choose_strategy():
    """All the workers of the cluster in TF_CONFIG, else this machine's devices."""
    if "TF_CONFIG" in os.environ:
        # One process per machine, each with the same code; created first thing.
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.MirroredStrategy()  # every GPU (or logical CPU) here


# --8<-- [end:strategy]


def main(quick=False, cpus=2, output_dir=None):
    config = QUICK if quick else FULL
    split_cpu(cpus)
    strategy = choose_strategy()
    output_dir = output_dir or tempfile.mkdtemp(prefix="distributed_")
    keras.utils.set_random_seed(0)

    # --8<-- [start:batch]
    replicas = strategy.num_replicas_in_sync
    # The batch given to `fit` is the global batch: each replica gets
    # `per_replica_batch` of it. Keep the per-replica batch that fits one
    # device and scale the learning rate with the global batch (linear rule,
    # a starting point to tune).
    global_batch = config["per_replica_batch"] * replicas
    learning_rate = 1e-3 * replicas
    # --8<-- [end:batch]
    print(
        f"{type(strategy).__name__}: {replicas} replicas, global batch {global_batch}"
    )

    # --8<-- [start:detector]
    train_ds, val_ds = keras_cv.datasets.shapes.load(
        num_train=config["num_train"],
        num_validation=config["num_validation"],
        image_size=64,
        min_size=0.25,
        max_size=0.5,
        seed=0,
    )
    # drop_remainder: every step splits the same global batch evenly.
    train = train_ds.shuffle(256, seed=0).batch(global_batch, drop_remainder=True)
    val = val_ds.batch(global_batch)
    with strategy.scope():  # variables (model and optimizer) are mirrored
        detector = keras_cv.models.RetinaNet(
            keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3)),
            num_classes=3,
            max_level=5,
            fpn_filters=32,
            head_filters=32,
            head_depth=2,
            # Batch statistics over the global batch, not each replica's.
            synchronized_batch_norm=True,
        )
        detector.compile(
            optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=10.0)
        )
    detector_history = detector.fit(
        train,
        validation_data=val,
        epochs=config["epochs"],
        callbacks=[
            # A process killed mid-run restarts from the last backup.
            keras.callbacks.BackupAndRestore(
                os.path.join(output_dir, "backup_detector"), save_freq=2
            ),
            keras_cv.callbacks.COCOEvaluation(val, verbose=0),
        ],
        verbose=0,
    )
    # --8<-- [end:detector]

    # --8<-- [start:bert]
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + (
        "a good bad film great awful plot was the".split()
    )
    texts = ["a good film", "the plot was awful", "great film", "a bad plot"]
    labels = [1, 0, 1, 0]
    texts, labels = (
        texts * (config["num_train"] // 4),
        labels * (config["num_train"] // 4),
    )
    with strategy.scope():
        classifier = keras_nlp.models.BertClassifier(
            keras_nlp.encoders.BertEncoder(
                vocab_size=len(vocabulary),
                hidden_size=32,
                num_layers=2,
                num_attention_heads=2,
                inner_dim=64,
                max_sequence_length=16,
            ),
            num_classes=2,
            preprocessor=keras_nlp.models.BertPreprocessor(
                keras_nlp.tokenizers.WordPieceTokenizer(vocabulary), sequence_length=16
            ),
        )
        classifier.compile(
            optimizer=keras.optimizers.AdamW(learning_rate),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    # Raw strings in: the tokenizer runs in the tf.data pipeline that Keras
    # distributes; `batch_size` is the global batch.
    classifier_history = classifier.fit(
        texts,
        labels,
        batch_size=global_batch,
        epochs=config["epochs"],
        callbacks=[
            keras.callbacks.BackupAndRestore(
                os.path.join(output_dir, "backup_classifier"), save_freq=2
            )
        ],
        verbose=0,
    )
    # --8<-- [end:bert]

    # --8<-- [start:save]
    # Saved files hold plain weights: load them under any strategy (or none).
    path = os.path.join(output_dir, "detector.keras")
    detector.save(path)
    with strategy.scope():
        restored = keras.models.load_model(path)
    restored_loss = restored.evaluate(val, verbose=0)
    # --8<-- [end:save]

    figures = {
        "replicas": replicas,
        "global_batch": global_batch,
        "detector_loss": detector_history.history["loss"][-1],
        "detector_val_ap": detector_history.history["val_AP"][-1],
        "detector_restored_val_loss": float(restored_loss),
        "detector_val_loss": detector_history.history["val_loss"][-1],
        "classifier_loss": classifier_history.history["loss"][-1],
        "classifier_accuracy": classifier_history.history["accuracy"][-1],
    }
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny settings")
    parser.add_argument(
        "--cpus", type=int, default=2, help="logical CPU devices if there is no GPU"
    )
    main(**vars(parser.parse_args()))
