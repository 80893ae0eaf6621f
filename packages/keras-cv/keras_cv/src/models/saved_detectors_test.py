# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Weight files written by an earlier version still load, to equal outputs.

Keras addresses each saved variable by a path of attribute names and
snake-cased layer class names. The files in `testdata/saved_*` were written
by `testdata/make_saved_detectors.py` before the detection parts became
public layers; moving or renaming a layer must keep them loadable, or the
`.keras` files and cached presets of our users stop loading.
"""

import importlib.util
import os

import keras
import numpy as np
import pytest

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")


def _maker():
    spec = importlib.util.spec_from_file_location(
        "make_saved_detectors", os.path.join(HERE, "make_saved_detectors.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKER = _maker()


@pytest.mark.parametrize("name", sorted(MAKER.MODELS))
def test_old_weight_files_load_to_equal_outputs(name):
    keras.utils.set_random_seed(123)
    model = MAKER.MODELS[name]()
    fresh = MAKER.outputs(model, MAKER.images())
    model.load_weights(os.path.join(HERE, f"saved_{name}.weights.h5"))
    got = MAKER.outputs(model, MAKER.images())
    expected = np.load(os.path.join(HERE, f"saved_{name}_outputs.npz"))
    assert sorted(got) == sorted(expected.files)
    for key in expected.files:
        # The fresh model differs: the file's values were really loaded.
        assert not np.allclose(fresh[key], expected[key], atol=1e-3), key
        np.testing.assert_allclose(got[key], expected[key], atol=1e-5, err_msg=key)
