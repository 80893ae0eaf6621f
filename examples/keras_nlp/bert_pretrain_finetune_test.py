# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import math

import pytest

from examples.keras_nlp import bert_pretrain_finetune


# About 45 s of CPU (pretraining + fine-tuning + export); the same paths have
# fast unit tests in packages/keras-nlp/keras_nlp/src/models/.
@pytest.mark.large
def test_quick_run():
    figures = bert_pretrain_finetune.main(quick=True)
    assert 100 < figures["vocabulary_size"] <= 300
    assert math.isfinite(figures["mlm_loss"])
    # Better than chance on held-out synthetic reviews.
    assert figures["val_accuracy"] > 0.6
    assert figures["preset_max_abs_diff"] < 1e-5
    assert figures["export_max_abs_diff"] < 1e-4
