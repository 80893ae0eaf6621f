# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import keras
import numpy as np
import tensorflow as tf

from keras_cv.src.models import detection_utils


def _archive():
    model = keras.Sequential(
        [keras.Input((None, None, 3))]
        + [keras.layers.Conv2D(4, 3, padding="same") for _ in range(6)]
    )
    archive = keras.export.ExportArchive()
    archive.track(model)

    def serve(images):
        features = model(tf.cast(images, "float32"))
        return {
            "scores": tf.reduce_mean(features, [1, 2]),
            "count": tf.shape(images)[0],
        }

    endpoint = archive.add_endpoint(
        "serve", serve, input_signature=[tf.TensorSpec((None, None, None, 3), tf.uint8)]
    )
    return archive, endpoint


def test_export_summary_is_short(tmp_path, capsys):
    archive, endpoint = _archive()
    detection_utils.write_saved_model(archive, endpoint, str(tmp_path / "a"), True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        f"Saved a TensorFlow SavedModel at {str(tmp_path / 'a')!r}.",
        "Endpoint 'serve' (also 'serving_default'): images uint8 (None, None, None, 3)",
        "  returns count: int32 (), scores: float32 (None, 4)",
    ]
    served = tf.saved_model.load(str(tmp_path / "a"))
    out = served.serve(tf.constant(np.zeros((2, 5, 5, 3), "uint8")))
    assert int(out["count"]) == 2
    # Keras' own verbose listing prints every captured variable (two per
    # layer here; about 150 lines for a detector).
    archive, _ = _archive()
    archive.write_out(str(tmp_path / "b"), verbose=True)
    assert len(capsys.readouterr().out.splitlines()) > len(lines) + 12
    detection_utils.write_saved_model(archive, endpoint, str(tmp_path / "c"), False)
    assert capsys.readouterr().out == ""
