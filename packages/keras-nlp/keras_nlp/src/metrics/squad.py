# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Exact match and F1 of extractive QA, as SQuAD v1.1's evaluation defines them."""

import collections
import re
import string

from keras_core import api_export

RFC = "20261122-keras-nlp-span-and-token-tasks"
_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


@api_export("keras_nlp.metrics.normalize_answer", stability="stable", rfc=RFC)
def normalize_answer(text):
    """Normalizes an answer string the way SQuAD v1.1 scores compare them.

    In this order: lowercase; delete ASCII punctuation; replace the words
    "a", "an" and "the" by a space; collapse whitespace to single spaces
    and trim.

    Args:
        text: str.

    Returns:
        The normalized str.

    Examples:

    >>> keras_nlp.metrics.normalize_answer("The  Eiffel-Tower!")
    'eiffeltower'
    """
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _check_answers(ground_truths):
    if isinstance(ground_truths, str):
        return [ground_truths]
    ground_truths = list(ground_truths)
    if not ground_truths:
        raise ValueError(
            "Every question needs at least one gold answer. Received an empty "
            "list of ground truths."
        )
    return ground_truths


def _exact(prediction, truth):
    return float(normalize_answer(prediction) == normalize_answer(truth))


def _f1(prediction, truth):
    predicted = normalize_answer(prediction).split()
    expected = normalize_answer(truth).split()
    common = collections.Counter(predicted) & collections.Counter(expected)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted)
    recall = same / len(expected)
    return 2 * precision * recall / (precision + recall)


@api_export("keras_nlp.metrics.squad_exact_match", stability="stable", rfc=RFC)
def squad_exact_match(prediction, ground_truths):
    """1.0 if the normalized prediction equals a normalized gold answer.

    Args:
        prediction: str. The predicted answer.
        ground_truths: str or list of str. The gold answers; the best match
            counts.

    Returns:
        float, 1.0 or 0.0.

    Examples:

    >>> keras_nlp.metrics.squad_exact_match("the Nile", ["Nile River", "Nile"])
    1.0
    """
    return max(_exact(prediction, t) for t in _check_answers(ground_truths))


@api_export("keras_nlp.metrics.squad_f1", stability="stable", rfc=RFC)
def squad_f1(prediction, ground_truths):
    """Token-overlap F1 of a prediction, the best over the gold answers.

    Tokens are the whitespace-separated words of the normalized strings,
    counted as multisets. No shared token (including two empty answers)
    scores 0, as in SQuAD v1.1.

    Args:
        prediction: str. The predicted answer.
        ground_truths: str or list of str. The gold answers.

    Returns:
        float in [0, 1].

    Examples:

    >>> round(keras_nlp.metrics.squad_f1("the river Nile", ["Nile"]), 4)
    0.6667
    """
    return max(_f1(prediction, t) for t in _check_answers(ground_truths))


@api_export("keras_nlp.metrics.squad_scores", stability="stable", rfc=RFC)
def squad_scores(predictions, references):
    """Exact match and F1 of a set of answers, in percent, as SQuAD reports.

    Args:
        predictions: list of str, one answer per question.
        references: list of gold answers per question (each a str or a list
            of str).

    Returns:
        `{"exact_match": float, "f1": float}`, means over questions times
        100.

    Examples:

    >>> keras_nlp.metrics.squad_scores(["Paris", "a cat"], [["Paris"], ["dog"]])
    {'exact_match': 50.0, 'f1': 50.0}
    """
    predictions = [predictions] if isinstance(predictions, str) else list(predictions)
    references = list(references)
    if len(predictions) != len(references):
        raise ValueError(
            f"Got {len(predictions)} predictions but {len(references)} "
            "references. Pass one prediction per question."
        )
    if not predictions:
        raise ValueError("`predictions` is empty; there is nothing to score.")
    exact = sum(squad_exact_match(p, r) for p, r in zip(predictions, references))
    f1 = sum(squad_f1(p, r) for p, r in zip(predictions, references))
    count = len(predictions)
    return {"exact_match": 100.0 * exact / count, "f1": 100.0 * f1 / count}
