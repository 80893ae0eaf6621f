# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import keras
import pytest

from keras_core.src import api_export as api_export_lib
from keras_core.src.api_export import api_export


@pytest.fixture
def registry(monkeypatch):
    """An empty registry so tests do not leak symbols into the real one."""
    fresh = {}
    monkeypatch.setattr(api_export_lib, "_REGISTRY", fresh)
    return fresh


def test_records_path_stability_and_rfc(registry):
    @api_export("demo_pkg.ops.thing", stability="stable", rfc="20261122-demo")
    def thing():
        return 1

    record = registry["demo_pkg.ops.thing"]
    assert record.symbol is thing
    assert (record.package, record.namespace, record.name) == (
        "demo_pkg",
        "demo_pkg.ops",
        "thing",
    )
    assert (record.stability, record.rfc) == ("stable", "20261122-demo")
    assert thing() == 1  # the decorator returns the symbol unchanged


def test_aliases_register_every_path(registry):
    @api_export(["demo_pkg.layers.A", "demo_pkg.A"])
    class A:
        pass

    assert {r.path for r in api_export_lib.get_exports("demo_pkg")} == {
        "demo_pkg.A",
        "demo_pkg.layers.A",
    }
    assert api_export_lib.get_exports("other") == []


@pytest.mark.parametrize("stability", ["beta", "Stable", "", None])
def test_unknown_stability_is_rejected_with_the_value(registry, stability):
    with pytest.raises(ValueError, match="stability") as info:
        api_export("demo_pkg.X", stability=stability)
    assert repr(stability) in str(info.value)
    assert "'experimental'" in str(info.value)


def test_stable_without_rfc_is_rejected(registry):
    with pytest.raises(ValueError, match="without an RFC"):
        api_export("demo_pkg.X", stability="stable")


@pytest.mark.parametrize("rfc", ["keras-core", "2026-11-22-x", "20261122_Title"])
def test_malformed_rfc_is_rejected(registry, rfc):
    with pytest.raises(ValueError, match="file name stem"):
        api_export("demo_pkg.X", stability="stable", rfc=rfc)


@pytest.mark.parametrize("path", ["X", "demo_pkg.", "demo pkg.X", "1pkg.X"])
def test_malformed_path_is_rejected(registry, path):
    with pytest.raises(ValueError, match="dotted Python path"):
        api_export(path)


def test_path_of_wrong_type_is_rejected(registry):
    with pytest.raises(TypeError, match="public dotted path"):
        api_export(42)


def test_keras_core_exports_only_stable_symbols(registry):
    with pytest.raises(ValueError, match="keras-core exports only stable"):
        api_export("keras_core.Thing", stability="experimental")


def test_same_path_for_two_symbols_is_rejected(registry):
    api_export("demo_pkg.X")(type("One", (), {}))
    with pytest.raises(ValueError, match="declared twice"):
        api_export("demo_pkg.X")(type("Two", (), {}))


def test_keras_classes_are_registered_for_serialization(registry):
    @api_export("demo_pkg_serial.layers.Doubler")
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    assert keras.saving.get_registered_name(Doubler) == "demo_pkg_serial>Doubler"
    config = keras.saving.serialize_keras_object(Doubler())
    restored = keras.saving.deserialize_keras_object(config, safe_mode=True)
    assert isinstance(restored, Doubler)


def test_real_keras_core_exports_are_stable_with_rfc():
    import keras_core  # noqa: F401  (imports the public modules)

    records = api_export_lib.get_exports("keras_core")
    paths = {r.path for r in records}
    assert {
        "keras_core.api_export",
        "keras_core.presets.save_to_preset",
        "keras_core.presets.from_preset",
        "keras_core.testing.TestCase",
    } <= paths
    assert all(r.stability == "stable" and r.rfc for r in records)
