# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The guide's example, in a subprocess with the CPU split into 2 devices
(logical devices must be set before TensorFlow initialises)."""

import math

import pytest

from tools.lib import distributed


@pytest.mark.large
def test_quick_run(tmp_path):
    figures = distributed.run(
        "from examples.distributed.train_on_several_devices import main\n"
        "report(**main(quick=True, cpus=2, output_dir=WORK_DIR))\n",
        devices=1,  # the example splits the CPU itself
        work_dir=tmp_path,
        timeout=1200,
    )
    assert figures["replicas"] == 2
    assert figures["global_batch"] == 4
    assert all(math.isfinite(v) for v in figures.values()), figures
    assert 0.0 <= figures["detector_val_ap"] <= 1.0
    # The reloaded detector evaluates as the trained one.
    assert (
        abs(figures["detector_restored_val_loss"] - figures["detector_val_loss"]) < 1e-3
    )
    assert 0.0 <= figures["classifier_accuracy"] <= 1.0
