# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import json
import os
import pathlib
import warnings

import keras
import numpy as np
import pytest

from keras_core.src import presets
from keras_core.src.presets import PresetMixin
from keras_core.src.testing.test_case import TestCase


@keras.saving.register_keras_serializable(package="keras_core_test")
class ScaledDense(PresetMixin, keras.layers.Layer):
    """A tiny layer with a weight, a non-trainable state and a config."""

    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), name="kernel"
        )
        self.calls = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="calls"
        )

    def call(self, x):
        return self.scale * keras.ops.matmul(x, self.kernel)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


def _small_model():
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    outputs = ScaledDense(3, scale=0.5)(hidden)
    return keras.Model(inputs, outputs)


def _save(obj, tmp_path, name="preset"):
    path = tmp_path / name
    presets.save_to_preset(obj, path)
    return path


class PresetRoundTripTest(TestCase):
    def test_model_round_trip_through_the_harness(self):
        model = _small_model()
        self.run_model_test(
            model, np.random.rand(5, 4).astype("float32"), expected_output_shape=(5, 3)
        )

    def test_layer_round_trip_restores_weights_and_state(self):
        layer = ScaledDense(2, scale=3.0)
        x = np.random.rand(3, 5).astype("float32")
        expected = layer(x)
        layer.calls.assign(7.0)
        path = os.path.join(self.get_temp_dir(), "layer")
        layer.save_to_preset(path)
        restored = ScaledDense.from_preset(path)
        self.assertEqual(restored.scale, 3.0)
        self.assertAllClose(restored(x), expected)
        self.assertEqual(float(restored.calls), 7.0)

    def test_assets_round_trip(self):
        lookup = keras.layers.StringLookup()
        lookup.adapt(
            ["cat", "cat", "cat", "dog", "dog", "fish"]
        )  # vocabulary not in config
        inputs = keras.Input((1,), dtype="string")
        model = keras.Model(inputs, lookup(inputs))
        path = os.path.join(self.get_temp_dir(), "lookup")
        presets.save_to_preset(model, path)
        assets = sorted(
            p.name for p in pathlib.Path(path, "assets").rglob("*") if p.is_file()
        )
        self.assertTrue(assets, "the vocabulary must be written to assets/")
        restored = presets.from_preset(path)
        self.assertAllEqual(
            restored(np.array([["dog"], ["bird"], ["cat"]])), [[2], [0], [1]]
        )


def test_layout_and_metadata(tmp_path):
    path = _save(_small_model(), tmp_path)
    names = sorted(os.listdir(path))
    assert names == ["assets", "config.json", "metadata.json", "model.weights.h5"]
    metadata = presets.load_preset_metadata(path)
    assert metadata["package_versions"]["keras-core"] == "1.0.0"
    assert "keras" in metadata["package_versions"]
    assert set(metadata["files"]) == {"config.json", "model.weights.h5"}
    config = json.loads((path / "config.json").read_text())
    assert "compile_config" not in config


def test_compiled_model_preset_has_no_compile_state(tmp_path):
    model = _small_model()
    model.compile(optimizer="adam", loss="mse")
    path = _save(model, tmp_path)
    restored = presets.from_preset(path)
    assert not restored.compiled


@keras.saving.register_keras_serializable(package="keras_core_test")
class SelfCompilingModel(keras.Model):
    """Compiles itself when built from its config, as task models do."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)
        self.compile(optimizer="adam", loss="mse")

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _trained_self_compiling_model():
    model = SelfCompilingModel()
    x = np.random.rand(8, 4).astype("float32")
    model.fit(x, np.zeros((8, 3), "float32"), epochs=1, verbose=0)
    assert model.optimizer.variables, "the optimizer must hold state"
    return model, x


def _h5_groups(path):
    import h5py

    names = []
    with h5py.File(path / presets.WEIGHTS_FILE, "r") as f:
        f.visit(names.append)
    return names


def test_preset_does_not_carry_optimizer_state(tmp_path):
    model, x = _trained_self_compiling_model()
    path = _save(model, tmp_path)
    groups = _h5_groups(path)
    assert groups and not any("optimizer" in name for name in groups), groups
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored = presets.from_preset(path)
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0)
    )
    # The restored model trains with a fresh optimizer.
    restored.fit(x, np.zeros((8, 3), "float32"), epochs=1, verbose=0)


def test_old_preset_with_optimizer_state_still_loads(tmp_path, monkeypatch):
    model, x = _trained_self_compiling_model()
    # Presets written before the fix saved the optimizer's variables.
    monkeypatch.setattr(presets, "_training_state_ids", lambda obj: set())
    path = _save(model, tmp_path)
    monkeypatch.undo()
    groups = _h5_groups(path)
    assert any("optimizer" in name for name in groups), groups
    with warnings.catch_warnings():
        # Keras warned "Skipping variable loading for optimizer 'adam'".
        warnings.simplefilter("error")
        restored = presets.from_preset(path)
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0)
    )
    # The file is left as it was.
    assert _h5_groups(path) == groups
    presets.load_preset_metadata(path)


def test_unknown_preset_name_explains_what_a_preset_is():
    with pytest.raises(ValueError) as info:
        presets.from_preset("bert_base_en_uncased")
    message = str(info.value)
    assert "'bert_base_en_uncased' is not a local directory" in message
    assert "hf://<org>/<name>" in message
    assert "save_to_preset" in message


def test_unsupported_remote_scheme_is_named():
    with pytest.raises(ValueError, match="Unsupported source 's3://bucket/bert'"):
        presets.from_preset("s3://bucket/bert")


def test_non_path_is_a_type_error():
    with pytest.raises(TypeError, match="local directory path"):
        presets.from_preset(42)


def test_directory_that_is_not_a_preset(tmp_path):
    with pytest.raises(ValueError, match="has no metadata.json"):
        presets.from_preset(tmp_path)


@pytest.mark.parametrize("name", ["model.weights.h5", "config.json"])
def test_tampered_file_is_named(tmp_path, name):
    path = _save(_small_model(), tmp_path)
    data = bytearray((path / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (path / name).write_bytes(bytes(data))
    with pytest.raises(ValueError) as info:
        presets.from_preset(path)
    assert f"{name}' is corrupt or was modified" in str(info.value)


def test_missing_file_is_named(tmp_path):
    path = _save(_small_model(), tmp_path)
    (path / "model.weights.h5").unlink()
    with pytest.raises(
        ValueError, match="model.weights.h5 listed in metadata.json but missing"
    ):
        presets.from_preset(path)


def test_unlisted_file_is_refused(tmp_path):
    path = _save(_small_model(), tmp_path)
    (path / "assets" / "extra.txt").write_text("surprise")
    with pytest.raises(ValueError, match="assets/extra.txt"):
        presets.from_preset(path)


def test_corrupt_metadata_is_named(tmp_path):
    path = _save(_small_model(), tmp_path)
    (path / "metadata.json").write_text("{not json")
    with pytest.raises(ValueError, match="metadata.json' is corrupt"):
        presets.from_preset(path)


def _rewrite_config(path, edit):
    config = json.loads((path / "config.json").read_text())
    edit(config)
    (path / "config.json").write_text(json.dumps(config))
    metadata = json.loads((path / "metadata.json").read_text())
    metadata["files"]["config.json"] = presets._sha256(path / "config.json")
    (path / "metadata.json").write_text(json.dumps(metadata))


def test_config_naming_a_foreign_module_is_refused_before_import(tmp_path):
    path = _save(_small_model(), tmp_path)

    def edit(config):
        config["config"]["layers"][1]["module"] = "preset_payload_module"
        config["config"]["layers"][1].pop("registered_name", None)

    _rewrite_config(path, edit)
    with pytest.raises(ValueError, match="refusing to import anything else"):
        presets.from_preset(path)
    import sys

    assert "preset_payload_module" not in sys.modules


def test_lambda_layers_never_execute_on_load(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    path = _save(model, tmp_path)
    with pytest.raises(ValueError, match="safe_mode"):
        presets.from_preset(path)


def test_config_overrides(tmp_path):
    layer = ScaledDense(2, scale=3.0)
    layer(np.ones((1, 4), "float32"))
    path = _save(layer, tmp_path)
    restored = presets.from_preset(path, scale=1.0)
    assert restored.scale == 1.0
    np.testing.assert_allclose(restored.kernel.numpy(), layer.kernel.numpy())
    with pytest.raises(ValueError, match="no such entries"):
        presets.from_preset(path, colour="blue")


def test_override_that_changes_shapes_needs_load_weights_false(tmp_path):
    layer = ScaledDense(2)
    layer(np.ones((1, 4), "float32"))
    path = _save(layer, tmp_path)
    with pytest.raises(ValueError, match="load_weights=False"):
        presets.from_preset(path, units=5)
    fresh = presets.from_preset(path, units=5, load_weights=False)
    assert fresh.units == 5


def test_preset_mixin_checks_the_class(tmp_path):
    path = _save(_small_model(), tmp_path)
    with pytest.raises(ValueError, match="holds a Functional, not a ScaledDense"):
        ScaledDense.from_preset(path)


def test_unbuilt_layer_is_refused(tmp_path):
    with pytest.raises(ValueError, match="is not built"):
        presets.save_to_preset(ScaledDense(2), tmp_path / "p")


def test_non_keras_object_is_refused(tmp_path):
    with pytest.raises(TypeError, match="Received: obj of type dict"):
        presets.save_to_preset({"a": 1}, tmp_path / "p")


def test_saving_over_a_preset_replaces_it(tmp_path):
    first = ScaledDense(2, scale=1.0)
    first(np.ones((1, 3), "float32"))
    path = _save(first, tmp_path)
    second = ScaledDense(2, scale=9.0)
    second(np.ones((1, 3), "float32"))
    _save(second, tmp_path)
    assert presets.from_preset(path).scale == 9.0
    assert sorted(os.listdir(tmp_path)) == ["preset"]  # no staging leftovers


def test_non_preset_directory_is_never_overwritten(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    layer = ScaledDense(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="does not hold a preset"):
        presets.save_to_preset(layer, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_a_crash_while_saving_keeps_the_previous_preset(tmp_path, monkeypatch):
    layer = ScaledDense(2, scale=4.0)
    layer(np.ones((1, 3), "float32"))
    path = _save(layer, tmp_path)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(presets, "_write_preset", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        presets.save_to_preset(layer, path)
    monkeypatch.undo()
    assert presets.from_preset(path).scale == 4.0
    assert sorted(os.listdir(tmp_path)) == ["preset"]


def test_classes_the_program_registered_itself_load_from_any_module(tmp_path):
    class UserLayer(keras.layers.Dense):
        pass

    UserLayer.__module__ = "user_project.layers"
    keras.saving.register_keras_serializable(package="user_project")(UserLayer)
    layer = UserLayer(2)
    layer(np.ones((1, 3), "float32"))
    path = _save(layer, tmp_path)
    restored = presets.from_preset(path)
    assert type(restored) is UserLayer
    np.testing.assert_allclose(restored.kernel.numpy(), layer.kernel.numpy())
