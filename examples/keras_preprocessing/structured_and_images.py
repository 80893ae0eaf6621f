# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Structured data and images with keras-preprocessing, end to end.

1. A Titanic-style table (the synthetic CSV bundled with the package):
   string, integer and numeric columns, a crossed and hashed feature, and a
   linear model, written with preprocessing layers instead of feature
   columns. Training lifts the preprocessing into the `tf.data` pipeline;
   the saved model still takes raw columns.
2. An image classifier trained from a directory of images this script
   writes (horizontal vs vertical stripes), loaded and augmented by an
   `ImagePipeline`, with a PNG preview of the augmentations.
3. Segmentation: a folder of images and a folder of masks (a bright disc on
   noise and its mask), paired by file name with `mask_directory=`,
   augmented with one transformation per image and mask, and a small fully
   convolutional model trained on them; the same data loaded as two
   separately seeded streams (the original design's form) is checked to
   line up pixel for pixel.

Run: `python examples/keras_preprocessing/structured_and_images.py`.
"""

import os
import tempfile

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from keras_preprocessing import datasets
from keras_preprocessing import image
from keras_preprocessing import layers
from keras_preprocessing import models

# --8<-- [start:columns]
STRING_COLUMNS = ["sex", "class", "deck", "embark_town", "alone"]
INTEGER_COLUMNS = ["n_siblings_spouses", "parch"]
NUMERIC_COLUMNS = ["age", "fare"]
# --8<-- [end:columns]


# --8<-- [start:titanic_model]
def build_titanic_model(train_df):
    inputs, encoded = {}, []
    for key in STRING_COLUMNS:
        inputs[key] = keras.Input((1,), dtype="string", name=key)
        vocab = sorted(train_df[key].astype(str).unique())
        ids = layers.StringLookup(vocabulary=vocab, num_oov_indices=0, mask_token=None)(
            inputs[key]
        )
        encoded.append(layers.CategoryEncoding(len(vocab), output_mode="count")(ids))
    for key in INTEGER_COLUMNS:
        inputs[key] = keras.Input((1,), dtype="int64", name=key)
        vocab = sorted(int(v) for v in train_df[key].unique())
        ids = layers.IntegerLookup(
            vocabulary=vocab, num_oov_indices=0, mask_value=None
        )(inputs[key])
        encoded.append(layers.CategoryEncoding(len(vocab), output_mode="count")(ids))
    for key in NUMERIC_COLUMNS:
        inputs[key] = keras.Input((1,), dtype="float32", name=key)
        norm = layers.Normalization()
        norm.adapt(train_df[key].to_numpy("float32")[:, None])
        encoded.append(norm(inputs[key]))
    age_x_sex = layers.Hashing(num_bins=100)(
        layers.CategoryCrossing()([inputs["age"], inputs["sex"]])
    )
    encoded.append(layers.CategoryEncoding(100, output_mode="count")(age_x_sex))
    logit = keras.layers.Add()(
        [
            keras.layers.Dense(1, kernel_initializer="zeros", use_bias=False)(e)
            for e in encoded
        ]
    )
    return keras.Model(
        inputs,
        keras.layers.Dense(1, activation="sigmoid")(logit),
        name="titanic_linear",
    )


# --8<-- [end:titanic_model]


# --8<-- [start:titanic_dataset]
def titanic_dataset(df, batch_size=32):
    features = {k: df[k].astype(str).to_numpy()[:, None] for k in STRING_COLUMNS}
    features.update({k: df[k].to_numpy("int64")[:, None] for k in INTEGER_COLUMNS})
    features.update({k: df[k].to_numpy("float32")[:, None] for k in NUMERIC_COLUMNS})
    return tf.data.Dataset.from_tensor_slices(
        (features, df["survived"].to_numpy("float32"))
    ).batch(batch_size)


# --8<-- [end:titanic_dataset]


def structured(quick, output_dir):
    # --8<-- [start:lift]
    train_df, eval_df = datasets.load_titanic("train"), datasets.load_titanic("eval")
    model = build_titanic_model(train_df)
    lifted, main = models.lift_preprocessing_stage(
        model, titanic_dataset(train_df).shuffle(16, seed=0)
    )
    main.compile(
        keras.optimizers.Ftrl(learning_rate=0.5),
        "binary_crossentropy",
        metrics=["accuracy"],
    )
    epochs = 4 if quick else 20
    print(
        f"[titanic] training the main stage for {epochs} epochs; preprocessing runs in tf.data"
    )
    main.fit(lifted, epochs=epochs, verbose=0)
    # --8<-- [end:lift]
    # --8<-- [start:serve]
    # The full model (preprocessing included) takes raw columns.
    predictions = model.predict(titanic_dataset(eval_df), verbose=0)[:, 0]
    accuracy = float(np.mean((predictions > 0.5) == eval_df["survived"].to_numpy()))
    base_rate = max(eval_df["survived"].mean(), 1 - eval_df["survived"].mean())
    path = os.path.join(output_dir, "titanic.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    batch = next(iter(titanic_dataset(eval_df)))[0]
    round_trip_error = float(np.max(np.abs(restored(batch) - model(batch))))
    print(
        f"[titanic] eval accuracy {accuracy:.3f} (base rate {base_rate:.3f}); saved {path}"
    )
    # --8<-- [end:serve]
    return {
        "titanic_eval_accuracy": float(accuracy),
        "titanic_base_rate": float(base_rate),
        "titanic_round_trip_max_error": round_trip_error,
    }


def write_stripe_images(directory, per_class, size=32, seed=0):
    """Writes `per_class` PNGs of horizontal and of vertical stripes."""
    rng = np.random.default_rng(seed)
    for label in ("horizontal", "vertical"):
        os.makedirs(os.path.join(directory, label), exist_ok=True)
        for i in range(per_class):
            period = rng.integers(4, 9)
            phase = rng.integers(0, period)
            stripes = ((np.arange(size) + phase) // (period // 2)) % 2
            pattern = (
                np.tile(stripes[:, None], (1, size))
                if label == "horizontal"
                else np.tile(stripes[None, :], (size, 1))
            )
            color = rng.integers(80, 256, size=3)
            pixels = pattern[..., None] * color + rng.normal(0, 20, (size, size, 3))
            Image.fromarray(np.clip(pixels, 0, 255).astype("uint8")).save(
                os.path.join(directory, label, f"{i}.png")
            )


def images(quick, output_dir):
    root = os.path.join(output_dir, "stripes")
    per_class = 40 if quick else 200
    write_stripe_images(root, per_class)
    print(f"[images] wrote {2 * per_class} images under {root}")
    # --8<-- [start:pipeline]
    pipeline = image.ImagePipeline(
        [
            keras.layers.RandomFlip("horizontal_and_vertical"),
            keras.layers.RandomTranslation(0.1, 0.1, fill_mode="reflect"),
            keras.layers.RandomContrast(0.2),
            keras.layers.Rescaling(1 / 255),
        ],
        seed=7,
    )
    preview = pipeline.preview(
        [os.path.join(root, c, "0.png") for c in ("horizontal", "vertical")],
        save_to_directory=output_dir,
        save_prefix="augmentation_preview",
    )
    print(f"[images] augmentation preview: {preview}")
    # --8<-- [end:pipeline]
    # --8<-- [start:from_directory]
    train, val = pipeline.from_directory(
        root,
        image_size=(32, 32),
        batch_size=16,
        validation_split=0.25,
        subset="both",
        seed=3,
    )
    # --8<-- [end:from_directory]
    # --8<-- [start:image_model]
    model = keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(16, 5, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(
        keras.optimizers.Adam(3e-3), "categorical_crossentropy", metrics=["accuracy"]
    )
    epochs = 6 if quick else 15
    history = model.fit(train, validation_data=val, epochs=epochs, verbose=0)
    accuracy = float(history.history["val_accuracy"][-1])
    print(f"[images] validation accuracy after {epochs} epochs: {accuracy:.3f}")
    # --8<-- [end:image_model]
    return {
        "image_val_accuracy": accuracy,
        "preview_png_kib": os.path.getsize(preview) / 1024,
    }


def write_disc_images(image_dir, mask_dir, count, size=32, seed=0):
    """Writes `count` noisy images with one bright disc, and the disc masks."""
    rng = np.random.default_rng(seed)
    os.makedirs(image_dir, exist_ok=True)
    os.makedirs(mask_dir, exist_ok=True)
    rows, cols = np.mgrid[:size, :size]
    for i in range(count):
        cy, cx = rng.integers(8, size - 8, size=2)
        radius = rng.integers(4, 9)
        mask = ((rows - cy) ** 2 + (cols - cx) ** 2 <= radius**2).astype("uint8")
        pixels = rng.normal(90, 35, (size, size, 3)) + mask[..., None] * 90
        Image.fromarray(np.clip(pixels, 0, 255).astype("uint8")).save(
            os.path.join(image_dir, f"scan_{i:03d}.jpg"), quality=95
        )
        Image.fromarray(mask).save(os.path.join(mask_dir, f"scan_{i:03d}.png"))


def segmentation(quick, output_dir):
    image_dir = os.path.join(output_dir, "discs", "images")
    mask_dir = os.path.join(output_dir, "discs", "masks")
    count = 48 if quick else 240
    write_disc_images(image_dir, mask_dir, count)
    print(
        f"[segmentation] wrote {count} images and masks under {os.path.dirname(image_dir)}"
    )
    # --8<-- [start:seg_pipeline]
    spatial = image.ImagePipeline(
        [
            keras.layers.RandomFlip("horizontal_and_vertical"),
            keras.layers.RandomRotation(0.25, fill_mode="reflect"),
        ]
    )
    pipeline = image.ImagePipeline(
        [spatial, keras.layers.RandomContrast(0.2), keras.layers.Rescaling(1 / 255)],
        seed=5,
    )
    train, val = pipeline.from_directory(
        image_dir,
        mask_directory=mask_dir,
        image_size=(32, 32),
        batch_size=4,
        validation_split=0.25,
        subset="both",
    )
    # --8<-- [end:seg_pipeline]
    # --8<-- [start:seg_streams]
    # The original design's form: two streams, one seed, shared spatial layers
    # (unshuffled here, so both loaders list the files in the same order).
    streams = tf.data.Dataset.zip(
        (
            pipeline.from_directory(
                image_dir,
                targets=None,
                image_size=(32, 32),
                batch_size=8,
                seed=11,
                shuffle=False,
            ),
            image.ImagePipeline([spatial]).from_directory(
                mask_dir,
                targets=None,
                image_size=(32, 32),
                batch_size=8,
                seed=11,
                shuffle=False,
                as_masks=True,
            ),
        )
    )
    joint = pipeline.from_directory(
        image_dir,
        mask_directory=mask_dir,
        image_size=(32, 32),
        batch_size=8,
        seed=11,
        shuffle=False,
    )
    mismatched = 0
    for (_, masks_a), (_, masks_b) in zip(streams.take(2), joint.take(2)):
        mismatched += int(tf.reduce_sum(tf.cast(masks_a != masks_b, "int32")))
    print(
        f"[segmentation] two seeded streams vs paired loading: {mismatched} mask pixels differ"
    )
    # --8<-- [end:seg_streams]
    # --8<-- [start:seg_model]
    # Standardizing the pixels (statistics adapted on a few training batches)
    # keeps the model from settling on "all background" at the start.
    norm = layers.Normalization()
    norm.adapt(train.map(lambda x, m: x).take(4))
    inputs = keras.Input((32, 32, 3))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(norm(inputs))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    outputs = keras.layers.Conv2D(2, 1, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(
        keras.optimizers.Adam(1e-2),
        "sparse_categorical_crossentropy",
        metrics=[keras.metrics.MeanIoU(2, sparse_y_pred=False, name="iou")],
    )
    epochs = 6 if quick else 12
    history = model.fit(train, validation_data=val, epochs=epochs, verbose=0)
    iou = float(history.history["val_iou"][-1])
    print(f"[segmentation] validation mean IoU after {epochs} epochs: {iou:.3f}")
    # --8<-- [end:seg_model]
    return {
        "segmentation_val_mean_iou": iou,
        "two_stream_mask_mismatch_pixels": mismatched,
    }


def main(quick=False, output_dir=None):
    """Runs both workflows and returns their figures."""
    keras.utils.set_random_seed(0)
    output_dir = output_dir or os.path.join(
        tempfile.gettempdir(), "keras_preprocessing_demo"
    )
    os.makedirs(output_dir, exist_ok=True)
    figures = {}
    figures.update(structured(quick, output_dir))
    figures.update(images(quick, output_dir))
    figures.update(segmentation(quick, output_dir))
    print(figures)
    return figures


if __name__ == "__main__":
    main()
