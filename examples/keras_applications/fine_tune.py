# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Image classification fine-tuning with a keras_applications backbone.

The workflow a user follows with a pretrained backbone, end to end and
offline:

1. "Pretrain" a ResNet18 backbone on a source task (the source task is a
   generated one, so that the example runs offline: telling apart four
   shapes drawn in bright colors), and save the backbone as a preset
   directory.
2. Load the preset for a target task with few labelled images (the same
   shapes in other colors and noise), recompute its batch normalization
   statistics on the new images (`keras_applications.recalibrate_batch_norm`),
   freeze it (`keras_applications.freeze_backbone`), put Keras augmentation
   layers in front and a new classification head on top, and train the head.
3. Unfreeze the backbone with its batch normalization kept frozen
   (`keras_applications.unfreeze_backbone`) and fine-tune everything with a
   fresh optimizer and a learning rate 100 times lower than the head's.
4. For comparison, train the same architecture from random weights on the
   same few target images for as many epochs: what the preset is worth.

Run it with `python examples/keras_applications/fine_tune.py [--quick] [--seed N]`.
"""

import argparse
import tempfile

import keras
import numpy as np

import keras_applications

IMAGE_SIZE = 32
SHAPES = ("disk", "square", "triangle", "cross")


# --8<-- [start:pretrained]
def pretrained_backbone(name="ResNet50", weights="imagenet"):
    """A backbone with the ImageNet weights keras.applications publishes.

    `weights="imagenet"` downloads the file once (same URL and hash as
    `keras.applications`) into `~/.keras/models` (`$KERAS_HOME/models`),
    shared with keras.applications' own cache. Offline, copy that file
    there, or pass its local path as `weights`.
    """
    return getattr(keras_applications, name)(
        include_top=False, weights=weights, input_shape=(None, None, 3)
    )


# --8<-- [end:pretrained]


def make_images(count, seed, palette="bright", noise=0.05):
    """Draws `count` images of one of four shapes; returns (images, labels).

    Images are float32 in [0, 255], shape (count, 32, 32, 3); labels index
    `SHAPES`. `palette="bright"` draws saturated shapes on a dark background,
    `"tinted"` paler shapes on a grey-tinted background with less contrast
    (the target domain).
    """
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE].astype("float32")
    images = np.empty((count, IMAGE_SIZE, IMAGE_SIZE, 3), "float32")
    labels = rng.integers(0, len(SHAPES), size=count)
    for i, label in enumerate(labels):
        radius = rng.uniform(0.15, 0.3) * IMAGE_SIZE
        cy, cx = rng.uniform(radius + 2, IMAGE_SIZE - radius - 2, size=2)
        dy, dx = yy - cy, xx - cx
        if label == 0:
            mask = dy**2 + dx**2 <= radius**2
        elif label == 1:
            mask = (np.abs(dy) <= radius * 0.8) & (np.abs(dx) <= radius * 0.8)
        elif label == 2:
            mask = (
                (dy <= radius * 0.7)
                & (dy >= -radius)
                & (np.abs(dx) <= (dy + radius) * 0.6)
            )
        else:
            arm = radius * 0.3
            mask = ((np.abs(dy) <= arm) & (np.abs(dx) <= radius)) | (
                (np.abs(dx) <= arm) & (np.abs(dy) <= radius)
            )
        if palette == "bright":
            background = rng.uniform(0.0, 0.2, size=3)
            color = rng.uniform(0.6, 1.0, size=3)
        else:
            background = rng.uniform(0.25, 0.45, size=3)
            color = np.clip(background + rng.uniform(0.3, 0.5, size=3), 0.0, 1.0)
        image = np.where(mask[..., None], color, background)
        image = image + rng.normal(0.0, noise, size=image.shape)
        images[i] = np.clip(image, 0.0, 1.0) * 255.0
    return images, labels.astype("int32")


# --8<-- [start:classifier]
def _classifier(backbone, num_classes):
    """Augmentation -> rescaling -> backbone -> pooled features -> Dense."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3), name="images")
    x = keras.layers.RandomFlip("horizontal_and_vertical", name="flip")(inputs)
    x = keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", name="shift")(x)
    # Inputs of roughly unit variance: batch normalization statistics then
    # settle within a few hundred steps (momentum 0.99).
    x = keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name="rescale")(x)
    x = backbone(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.Dropout(0.2, name="dropout")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="classifier")(
        x
    )
    return keras.Model(inputs, outputs, name="shape_classifier")


# --8<-- [end:classifier]


def rescale(images):
    """What the classifier's `Rescaling` layer does: [0, 255] to [-1, 1]."""
    return images / 127.5 - 1.0


def _compile(model, learning_rate):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def _accuracy(model, images, labels):
    return float(model.evaluate(images, labels, batch_size=64, verbose=0)[1])


def main(quick=False, seed=7):
    """Runs the workflow; returns its figures (accuracies, weight changes)."""
    keras.utils.set_random_seed(seed)
    n_source, n_target, n_val = (64, 32, 32) if quick else (800, 320, 200)
    epochs_source, epochs_head, epochs_fine = (1, 1, 1) if quick else (10, 5, 5)
    print(f"[fine_tune] generating {n_source} source and {n_target} target images")
    source_x, source_y = make_images(n_source, seed=0, palette="bright")
    source_val_x, source_val_y = make_images(n_val, seed=1, palette="bright")
    target_x, target_y = make_images(n_target, seed=2, palette="tinted", noise=0.03)
    target_val_x, target_val_y = make_images(
        n_val, seed=3, palette="tinted", noise=0.03
    )

    # 1. Pretraining on the source task, then a preset.
    # --8<-- [start:pretrain]
    backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3)
    )
    pretrain = _classifier(backbone, len(SHAPES))
    # A learning rate decaying to zero: the preset ends in a settled state
    # (a preset of varying quality makes every later figure vary with it).
    steps = epochs_source * -(-n_source // 32)
    _compile(pretrain, keras.optimizers.schedules.CosineDecay(2e-3, steps))
    print(
        f"[fine_tune] pretraining {backbone.name} on the source task ({epochs_source} epochs)"
    )
    pretrain.fit(source_x, source_y, batch_size=32, epochs=epochs_source, verbose=0)
    # Batch normalization trained in training mode: exact statistics for inference.
    keras_applications.recalibrate_batch_norm(backbone, rescale(source_x))
    source_accuracy = _accuracy(pretrain, source_val_x, source_val_y)
    print(f"[fine_tune] source validation accuracy: {source_accuracy:.3f}")
    preset_dir = tempfile.mkdtemp(prefix="fine_tune_") + "/resnet18_shapes"
    backbone.save_to_preset(preset_dir)
    print(f"[fine_tune] saved the backbone as a preset in {preset_dir}")
    # --8<-- [end:pretrain]

    # 2. Target task: load the preset, freeze it, train a new head.
    # --8<-- [start:head]
    backbone = keras_applications.ResNet18.from_preset(preset_dir)
    # The target images have other statistics: normalise them as pretraining
    # normalised the source images, BEFORE training anything under them.
    keras_applications.recalibrate_batch_norm(backbone, rescale(target_x))
    keras_applications.freeze_backbone(backbone)
    model = _classifier(backbone, len(SHAPES))
    before = [keras.ops.convert_to_numpy(w) for w in backbone.weights]
    _compile(model, 1e-2)
    print(f"[fine_tune] training the head, backbone frozen ({epochs_head} epochs)")
    model.fit(target_x, target_y, batch_size=32, epochs=epochs_head, verbose=0)
    frozen_change = max(
        float(np.abs(keras.ops.convert_to_numpy(w) - b).max())
        for w, b in zip(backbone.weights, before)
    )
    head_accuracy = _accuracy(model, target_val_x, target_val_y)
    print(f"[fine_tune] target validation accuracy, head only: {head_accuracy:.3f}")
    # --8<-- [end:head]

    # 3. Unfreeze and fine-tune everything with a small learning rate.
    # --8<-- [start:fine_tune]
    keras_applications.unfreeze_backbone(backbone)  # batch normalization stays frozen
    # A fresh optimizer, a learning rate 100 times lower than the head's,
    # decaying to zero so that the last steps settle instead of wandering.
    steps = epochs_fine * -(-n_target // 32)
    _compile(model, keras.optimizers.schedules.CosineDecay(1e-4, steps))
    print(f"[fine_tune] fine-tuning the whole model ({epochs_fine} epochs)")
    model.fit(target_x, target_y, batch_size=32, epochs=epochs_fine, verbose=0)
    # No recalibration here: the weights were fine-tuned for the frozen statistics.
    fine_accuracy = _accuracy(model, target_val_x, target_val_y)
    print(f"[fine_tune] target validation accuracy, fine-tuned: {fine_accuracy:.3f}")
    # --8<-- [end:fine_tune]
    changes = {
        w.path: float(np.abs(keras.ops.convert_to_numpy(w) - b).max())
        for w, b in zip(backbone.weights, before)
    }
    fine_change = max(changes.values())
    moving_change = max(v for k, v in changes.items() if "moving_" in k)

    # 4. Baseline: the same model from random weights, target images only.
    # --8<-- [start:scratch]
    scratch_backbone = keras_applications.ResNet18(
        include_top=False, input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3)
    )
    scratch = _classifier(scratch_backbone, len(SHAPES))
    _compile(scratch, 2e-3)
    print(
        "[fine_tune] baseline: training from random weights on the target images "
        f"({epochs_head + epochs_fine} epochs)"
    )
    scratch.fit(
        target_x, target_y, batch_size=32, epochs=epochs_head + epochs_fine, verbose=0
    )
    keras_applications.recalibrate_batch_norm(scratch_backbone, rescale(target_x))
    scratch_accuracy = _accuracy(scratch, target_val_x, target_val_y)
    print(
        f"[fine_tune] target validation accuracy, from scratch: {scratch_accuracy:.3f}"
    )
    # --8<-- [end:scratch]
    return {
        "source_val_accuracy": source_accuracy,
        "head_only_val_accuracy": head_accuracy,
        "fine_tuned_val_accuracy": fine_accuracy,
        "from_scratch_val_accuracy": scratch_accuracy,
        "frozen_backbone_weight_change": frozen_change,
        "fine_tuned_backbone_weight_change": fine_change,
        "fine_tuned_batch_norm_statistics_change": moving_change,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny settings")
    parser.add_argument(
        "--seed", type=int, default=7, help="random seed (weights, order)"
    )
    args = parser.parse_args()
    print(main(quick=args.quick, seed=args.seed))
