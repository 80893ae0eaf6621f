# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
from examples.keras_nlp.bert_checkpoint_finetune import main


def test_bert_checkpoint_finetune_quick():
    figures = main(quick=True)
    assert figures["checkpoint_max_abs_diff"] <= 1e-5
    # Chance is 0.5; the quick run (256 examples, 4 epochs) reaches about 0.8.
    assert figures["val_accuracy"] >= 0.7
    assert figures["reload_max_abs_diff"] <= 1e-5
