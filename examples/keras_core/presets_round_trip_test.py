# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

from examples.keras_core import presets_round_trip


def test_workflow_trains_saves_and_reloads_exactly():
    figures = presets_round_trip.main(quick=True)
    assert figures["val_accuracy"] > 0.5  # 3 balanced classes: chance is 1/3
    assert figures["reload_max_abs_diff"] <= 1e-6
    assert figures["tampered_preset_refused"] is True
