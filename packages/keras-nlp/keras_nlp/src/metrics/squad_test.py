# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""SQuAD v1.1 exact match and F1 on a hand-computed set."""

import pytest

from keras_nlp.src.metrics.squad import normalize_answer
from keras_nlp.src.metrics.squad import squad_exact_match
from keras_nlp.src.metrics.squad import squad_f1
from keras_nlp.src.metrics.squad import squad_scores


def test_normalization_steps():
    # Lowercase, punctuation removed (the hyphen joins words), articles
    # become spaces, whitespace collapsed.
    assert normalize_answer("The  Eiffel-Tower!") == "eiffeltower"
    assert normalize_answer("An apple, a pear and THE plum.") == "apple pear and plum"
    # Articles only as whole words; "theatre" and "another" stay.
    assert normalize_answer("theatre another") == "theatre another"
    # Punctuation removal happens before article removal: "a." -> "a" -> "".
    assert normalize_answer("a.") == ""
    # Non-ASCII punctuation is not in string.punctuation and is kept.
    assert normalize_answer("«Paris»") == "«paris»"


HAND_COMPUTED = [
    # prediction, gold answers, exact match, F1
    ("Paris", ["Paris"], 1.0, 1.0),
    ("the Paris", ["Paris!"], 1.0, 1.0),
    ("Paris France", ["Paris"], 0.0, 2 * 0.5 * 1.0 / 1.5),
    ("in Paris France", ["Paris, France", "France"], 0.0, 2 * (2 / 3) * 1.0 / (5 / 3)),
    ("Denver Broncos", ["Broncos", "Denver Broncos"], 1.0, 1.0),
    ("cat cat dog", ["cat dog dog"], 0.0, 2 / 3),  # multisets: 2 shared tokens
    ("London", ["Paris"], 0.0, 0.0),
    ("the", ["a"], 1.0, 0.0),  # both normalize to "": equal, but F1 is 0
    ("", ["Paris"], 0.0, 0.0),
]


@pytest.mark.parametrize("prediction,truths,em,f1", HAND_COMPUTED)
def test_hand_computed_cases(prediction, truths, em, f1):
    assert squad_exact_match(prediction, truths) == em
    assert squad_f1(prediction, truths) == pytest.approx(f1)


def test_corpus_scores_are_percent_means():
    predictions = [case[0] for case in HAND_COMPUTED]
    references = [case[1] for case in HAND_COMPUTED]
    scores = squad_scores(predictions, references)
    count = len(HAND_COMPUTED)
    assert scores["exact_match"] == pytest.approx(
        100 * sum(c[2] for c in HAND_COMPUTED) / count
    )
    assert scores["f1"] == pytest.approx(100 * sum(c[3] for c in HAND_COMPUTED) / count)
    assert squad_scores(["x"], ["x"]) == {"exact_match": 100.0, "f1": 100.0}


def test_bad_inputs():
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        squad_scores(["a", "b"], [["a"]])
    with pytest.raises(ValueError, match="at least one gold answer"):
        squad_f1("a", [])
