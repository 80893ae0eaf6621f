# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import h5py
import keras
import numpy as np
import pytest
from keras.src.legacy.saving import legacy_h5_format

from examples.keras_applications import fine_tune


def test_pretrained_backbone_from_a_local_imagenet_file(tmp_path, monkeypatch):
    # The offline path the guide describes: the keras.applications file on disk.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    peer = keras.applications.MobileNetV3Small(
        include_top=False, weights=None, input_shape=(None, None, 3)
    )
    path = str(tmp_path / "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5")
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, peer)
    backbone = fine_tune.pretrained_backbone("MobileNetV3Small", weights=path)
    images = np.random.uniform(0, 255, (1, 64, 64, 3)).astype("float32")
    np.testing.assert_allclose(
        backbone(images, training=False), peer(images, training=False), atol=1e-5
    )


def test_generated_shapes_are_distinct_classes():
    images, labels = fine_tune.make_images(40, seed=0)
    assert images.shape == (40, fine_tune.IMAGE_SIZE, fine_tune.IMAGE_SIZE, 3)
    assert images.min() >= 0 and images.max() <= 255
    assert set(labels.tolist()) <= set(range(len(fine_tune.SHAPES)))
    again, _ = fine_tune.make_images(40, seed=0)
    np.testing.assert_array_equal(images, again)  # deterministic


# About 30 s on 2 cores; the recipe itself is covered by fine_tuning_test.py /
# the model tests in the default suite.
@pytest.mark.large
def test_quick_run():
    figures = fine_tune.main(quick=True)
    assert set(figures) == {
        "source_val_accuracy",
        "head_only_val_accuracy",
        "fine_tuned_val_accuracy",
        "from_scratch_val_accuracy",
        "frozen_backbone_weight_change",
        "fine_tuned_backbone_weight_change",
        "fine_tuned_batch_norm_statistics_change",
    }
    for key in (
        "source_val_accuracy",
        "head_only_val_accuracy",
        "fine_tuned_val_accuracy",
        "from_scratch_val_accuracy",
    ):
        assert 0.0 <= figures[key] <= 1.0
    # Freezing keeps the backbone exactly as loaded from the preset; unfreezing trains it.
    assert figures["frozen_backbone_weight_change"] == 0.0
    assert figures["fine_tuned_backbone_weight_change"] > 0.0
    assert figures["fine_tuned_batch_norm_statistics_change"] == 0.0


@pytest.mark.large
def test_fine_tuning_helps_in_every_seed():
    """Full settings, three seeds: fine-tuning never ends below the frozen
    backbone with its head, nor below training from scratch.

    Each seed takes a few CPU minutes (2-core machine). The figures are
    printed so that the guide's table can be updated from them.
    """
    figures = {seed: fine_tune.main(quick=False, seed=seed) for seed in (1, 2, 3)}
    for seed, f in figures.items():
        print(
            f"seed {seed}: source {f['source_val_accuracy']:.3f}, head only "
            f"{f['head_only_val_accuracy']:.3f}, fine-tuned "
            f"{f['fine_tuned_val_accuracy']:.3f}, from scratch "
            f"{f['from_scratch_val_accuracy']:.3f}"
        )
    for seed, f in figures.items():
        assert f["fine_tuned_val_accuracy"] >= f["head_only_val_accuracy"], (seed, f)
        assert f["fine_tuned_val_accuracy"] >= f["from_scratch_val_accuracy"], (seed, f)
        assert f["fine_tuned_batch_norm_statistics_change"] == 0.0, (seed, f)
