# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-core workflow: train a small model, save it as a preset, reload it.

Shows what every package builds on: a preset directory (config, weights,
assets, hashed metadata) written atomically, verified on load, loaded with
`safe_mode=True` and never downloaded; a tampered file is refused by name.
"""

import pathlib
import shutil
import tempfile
import time

import keras
import numpy as np
import tensorflow as tf

import keras_core
from keras_core import presets


# --8<-- [start:workflow]
def build_model(vocabulary_size=50):
    """Text ids + numeric features -> 3 classes, with an adapted lookup."""
    tokens = keras.Input((6,), dtype="string", name="tokens")
    numbers = keras.Input((4,), name="numbers")
    lookup = keras.layers.StringLookup(max_tokens=vocabulary_size, name="lookup")
    ids = lookup(tokens)
    embedded = keras.layers.GlobalAveragePooling1D()(
        keras.layers.Embedding(vocabulary_size, 8)(ids)
    )
    merged = keras.layers.Concatenate()(
        [embedded, keras.layers.Dense(8, activation="relu")(numbers)]
    )
    outputs = keras.layers.Dense(3, activation="softmax")(merged)
    return keras.Model({"tokens": tokens, "numbers": numbers}, outputs), lookup


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(30)])
    labels = rng.integers(0, 3, size=n)
    # Class c favours words w{10c}..w{10c+9} and a shifted numeric mean.
    token_ids = (labels[:, None] * 10 + rng.integers(0, 10, size=(n, 6))) % 30
    tokens = words[token_ids]
    numbers = rng.normal(labels[:, None], 1.0, size=(n, 4)).astype("float32")
    features = {"tokens": tf.constant(tokens), "numbers": tf.constant(numbers)}
    return tf.data.Dataset.from_tensor_slices((features, labels)).batch(64), tokens


def main(quick=False):
    keras.utils.set_random_seed(7)
    n_train = 256 if quick else 2048
    train, train_tokens = make_data(n_train, seed=1)
    val, _ = make_data(256, seed=2)
    val_inputs = val.map(lambda features, label: features)
    model, lookup = build_model()
    lookup.adapt(train_tokens.reshape(-1))
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(train, epochs=3 if quick else 8, verbose=0)
    accuracy = model.evaluate(val, verbose=0)[1]
    print(
        f"keras-core {keras_core.__version__}: trained a small model, val accuracy {accuracy:.3f}"
    )

    workdir = pathlib.Path(tempfile.mkdtemp(prefix="keras_core_demo_"))
    try:
        preset = workdir / "text_and_numbers"
        start = time.perf_counter()
        presets.save_to_preset(model, preset)
        restored = presets.from_preset(preset)
        seconds = time.perf_counter() - start
        difference = float(
            np.max(
                np.abs(
                    restored.predict(val_inputs, verbose=0)
                    - model.predict(val_inputs, verbose=0)
                )
            )
        )
        metadata = presets.load_preset_metadata(preset)
        print(
            f"saved and reloaded {preset.name}/ in {seconds:.2f} s: files {sorted(metadata['files'])}"
        )
        print(
            f"max |difference| between original and reloaded outputs: {difference:.2e}"
        )
        if difference > 1e-6:
            raise RuntimeError(
                f"reloaded preset gives other outputs (max diff {difference})"
            )

        tampered = workdir / "tampered"
        shutil.copytree(preset, tampered)
        weights = tampered / "model.weights.h5"
        data = bytearray(weights.read_bytes())
        data[-100] ^= 0xFF
        weights.write_bytes(bytes(data))
        try:
            presets.from_preset(tampered)
            raise RuntimeError("a tampered preset was loaded")
        except ValueError as error:
            print(f"tampered preset refused: {str(error)[:90]}...")
        try:
            presets.from_preset("bert_base_en")
            raise RuntimeError("a preset name that is not a directory was accepted")
        except ValueError as error:
            print(f"unknown preset name refused: {str(error)[:90]}...")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "val_accuracy": round(float(accuracy), 4),
        "reload_max_abs_diff": difference,
        "tampered_preset_refused": True,
    }


# --8<-- [end:workflow]
if __name__ == "__main__":
    print(main())
