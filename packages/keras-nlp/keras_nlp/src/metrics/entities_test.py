# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Entity-level precision/recall/F1: hand-computed cases and seqeval's numbers."""

import json
import os

import pytest

from keras_nlp.src.metrics.entities import entity_scores
from keras_nlp.src.metrics.entities import extract_entities

HERE = os.path.dirname(os.path.abspath(__file__))


def test_extract_entities_iob2():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG", "O", "I-PER"]
    assert extract_entities(tags) == [
        ("PER", 0, 2),
        ("LOC", 3, 4),
        ("LOC", 4, 5),
        ("ORG", 5, 7),  # conlleval reading: I- after another type starts one
        ("PER", 8, 9),
    ]
    assert extract_entities(tags, mode="strict") == [
        ("PER", 0, 2),
        ("LOC", 3, 4),
        ("LOC", 4, 5),
    ]
    # B-PER I-LOC: the type changes, so two entities (default) or one (strict).
    assert extract_entities(["B-PER", "I-LOC"]) == [("PER", 0, 1), ("LOC", 1, 2)]
    assert extract_entities(["B-PER", "I-LOC"], mode="strict") == [("PER", 0, 1)]


def test_extract_entities_iobes():
    tags = ["S-PER", "B-LOC", "I-LOC", "E-LOC", "B-ORG", "I-ORG", "O", "E-PER"]
    assert extract_entities(tags, "IOBES", "strict") == [("PER", 0, 1), ("LOC", 1, 4)]
    assert extract_entities(tags, "IOBES") == [
        ("PER", 0, 1),
        ("LOC", 1, 4),
        ("ORG", 4, 6),
        ("PER", 7, 8),
    ]


def test_hand_computed_scores_with_boundary_and_type_mismatches():
    y_true = [
        ["B-PER", "I-PER", "O", "B-LOC", "O"],
        ["B-ORG", "I-ORG", "I-ORG", "O"],
        ["O", "B-MISC"],
    ]
    y_pred = [
        ["B-PER", "I-PER", "O", "B-ORG", "O"],  # PER right; LOC typed ORG
        ["B-ORG", "I-ORG", "O", "O"],  # boundary too short: wrong
        ["O", "B-MISC"],  # right
    ]
    # Gold: PER, LOC, ORG(0-3), MISC = 4. Predicted: PER, ORG(3), ORG(0-2),
    # MISC = 4. Correct: PER, MISC = 2.
    scores = entity_scores(y_true, y_pred)
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5
    assert scores["f1"] == 0.5
    assert scores["per_type"]["ORG"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 1,
    }
    assert scores["per_type"]["PER"]["f1"] == 1.0
    assert scores["per_type"]["LOC"]["support"] == 1
    # Nothing predicted: precision 0 (no division by zero), recall 0.
    empty = entity_scores([["B-PER"]], [["O"]])
    assert (empty["precision"], empty["recall"], empty["f1"]) == (0.0, 0.0, 0.0)


def test_equals_seqeval_on_random_sequences():
    # Fixture made by seqeval 1.2.2 (testdata/generate_seqeval_reference.py).
    with open(os.path.join(HERE, "testdata", "seqeval_reference.json")) as f:
        cases = json.load(f)["cases"]
    assert len(cases) == 400
    for case in cases:
        ours = entity_scores(
            case["y_true"], case["y_pred"], case["scheme"], case["mode"]
        )
        for key in ("precision", "recall", "f1"):
            assert ours[key] == pytest.approx(case[key], abs=1e-12), case


def test_bad_inputs():
    with pytest.raises(ValueError, match="2 gold tags but 1 predicted"):
        entity_scores([["O", "O"]], [["O"]])
    with pytest.raises(ValueError, match="not a valid IOB2 tag"):
        extract_entities(["S-PER"])
    with pytest.raises(ValueError, match="not a valid IOB2 tag"):
        extract_entities(["PER"])
    with pytest.raises(ValueError, match="scheme"):
        extract_entities(["O"], scheme="BILOU")
