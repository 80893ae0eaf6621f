# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import math

import pytest

from examples.keras_nlp import seq2seq_generation


# About 40 s of CPU (training compiles with XLA); the generation paths have
# fast unit tests in packages/keras-nlp/keras_nlp/src/samplers and models/.
@pytest.mark.large
def test_quick_run():
    figures = seq2seq_generation.main(quick=True)
    assert math.isfinite(figures["train_loss"])
    # Reversal is learned well beyond chance even in the quick setting
    # (chance exact match is about 10 ** -5).
    assert figures["greedy_exact_match"] > 0.5
    assert figures["beam_exact_match"] > 0.5
    assert figures["preset_match"] == 1.0


def test_data_is_reversed():
    sources, targets = seq2seq_generation.make_pairs(20, 3, 8, seed=0)
    assert all(s.split()[::-1] == t.split() for s, t in zip(sources, targets))
    assert all(3 <= len(s.split()) <= 8 for s in sources)
    assert seq2seq_generation.exact_match(["a b", "c"], ["a b", "d"]) == 0.5
