# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import pytest

from examples.keras_nlp.model_families import main


@pytest.mark.large
def test_same_code_fine_tunes_and_exports_every_family():
    figures = main(quick=True)
    assert set(figures) == {
        "BertClassifier",
        "DistilBertClassifier",
        "ElectraClassifier",
        "AlbertClassifier",
        "RobertaClassifier",
        "XLMRobertaClassifier",
    }
    for name, values in figures.items():
        # The served SavedModel gives the eager predictions.
        assert values["export_max_abs_diff"] <= 1e-4, name
        # The two word groups are separable; chance is about 0.5.
        assert values["train_accuracy"] >= 0.75, (name, values)
