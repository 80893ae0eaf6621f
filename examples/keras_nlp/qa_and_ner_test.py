# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import pytest

from examples.keras_nlp import qa_and_ner


# Trains two small models and exports both (about a minute of CPU); the same
# paths have fast unit tests in packages/keras-nlp/keras_nlp/src/models/.
@pytest.mark.large
def test_quick_run():
    figures = qa_and_ner.main(quick=True)
    assert figures["export_matches_predict"] == 1.0
    # Some contexts need more than one window.
    assert figures["qa_windows_per_question"] > 1.0
    # Far better than chance after a short training.
    assert figures["ner_entity_f1"] > 0.5
    assert 0.0 <= figures["qa_exact_match"] <= figures["qa_f1"] <= 100.0
