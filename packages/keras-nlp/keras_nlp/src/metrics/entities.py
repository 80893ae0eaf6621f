# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Entity-level precision, recall and F1 of sequence tagging (NER)."""

import collections

from keras_core import api_export
from keras_nlp.src.metrics.squad import RFC

_PREFIXES = {"IOB2": ("B", "I"), "IOBES": ("B", "I", "E", "S")}


def _parse(tag, scheme):
    if isinstance(tag, bytes):
        tag = tag.decode("utf-8")
    if tag == "O":
        return "O", ""
    prefix, dash, kind = str(tag).partition("-")
    if not dash or not kind or prefix not in _PREFIXES[scheme]:
        raise ValueError(
            f"Tag {tag!r} is not a valid {scheme} tag. Expected 'O' or "
            f"'<prefix>-<TYPE>' with a prefix in {list(_PREFIXES[scheme])}, "
            "e.g. 'B-PER'."
        )
    return prefix, kind


def _lenient_chunks(tags):
    """Chunks with the rules of the CoNLL `conlleval` script (seqeval's
    default mode): an `I-` after `O` or after another type starts a chunk."""
    chunks, start = [], None
    prev, prev_kind = "O", ""
    for index, (prefix, kind) in enumerate(tags + [("O", "")]):
        ends = prev in ("E", "S") or (prev in ("B", "I") and prefix in ("B", "S", "O"))
        ends = ends or (prev != "O" and prev_kind != kind)
        if start is not None and ends:
            chunks.append((prev_kind, start, index))
            start = None
        starts = prefix in ("B", "S") or (
            prev in ("E", "S", "O") and prefix in ("E", "I")
        )
        starts = starts or (prefix != "O" and prev_kind != kind)
        if starts:
            start = index
        prev, prev_kind = prefix, kind
    return chunks


def _strict_chunks(tags, needs_end):
    """Only well-formed entities: B I* (IOB2), B I* E or S (IOBES)."""
    chunks, start, open_kind = [], None, None
    for index, (prefix, kind) in enumerate(tags + [("O", "")]):
        if start is not None:
            if prefix == "I" and kind == open_kind:
                continue
            if prefix == "E" and kind == open_kind:
                chunks.append((kind, start, index + 1))
                start = None
                continue
            if not needs_end:
                chunks.append((open_kind, start, index))
            start = None
        if prefix == "B":
            start, open_kind = index, kind
        elif prefix == "S":
            chunks.append((kind, index, index + 1))
    return chunks


@api_export("keras_nlp.metrics.extract_entities", stability="stable", rfc=RFC)
def extract_entities(tags, scheme="IOB2", mode="default"):
    """The entities of one tag sequence, as `(type, start, end)` tuples.

    `end` is exclusive. `mode="default"` reads tags like the CoNLL
    `conlleval` script and seqeval's default mode: a chunk also starts at
    an `I-` tag that follows `O` or another type. `mode="strict"` keeps only
    well-formed entities: `B-X I-X*` in IOB2, `B-X I-X* E-X` or `S-X` in
    IOBES (seqeval's strict mode).

    Args:
        tags: list of str, e.g. `["B-PER", "I-PER", "O"]`.
        scheme: `"IOB2"` or `"IOBES"`.
        mode: `"default"` or `"strict"`.

    Returns:
        A list of `(type, start, end)`.

    Examples:

    >>> keras_nlp.metrics.extract_entities(["B-PER", "I-PER", "O", "I-LOC"])
    [('PER', 0, 2), ('LOC', 3, 4)]
    """
    if scheme not in _PREFIXES:
        raise ValueError(
            f"`scheme` must be 'IOB2' or 'IOBES'. Received: scheme={scheme!r}."
        )
    if mode not in ("default", "strict"):
        raise ValueError(
            f"`mode` must be 'default' or 'strict'. Received: mode={mode!r}."
        )
    parsed = [_parse(tag, scheme) for tag in tags]
    if mode == "default":
        return _lenient_chunks(parsed)
    return _strict_chunks(parsed, needs_end=scheme == "IOBES")


def _prf(correct, predicted, expected):
    precision = correct / predicted if predicted else 0.0
    recall = correct / expected if expected else 0.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return precision, recall, f1


@api_export("keras_nlp.metrics.entity_scores", stability="stable", rfc=RFC)
def entity_scores(y_true, y_pred, scheme="IOB2", mode="default"):
    """Entity-level precision, recall and F1 of tagged sentences.

    An entity counts as correct only if its type, start and end all match a
    gold entity of the same sentence (no credit for partial overlaps or
    wrong types). Scores are micro-averaged over all entities, as in seqeval
    and the CoNLL evaluation; a score with an empty denominator is 0.

    Args:
        y_true: list of gold tag sequences (one list of str per sentence).
        y_pred: list of predicted tag sequences, of the same lengths.
        scheme: `"IOB2"` or `"IOBES"`.
        mode: `"default"` (conlleval reading) or `"strict"`.

    Returns:
        `{"precision", "recall", "f1"}` (floats in [0, 1]) and `"per_type"`,
        a dict from entity type to its `precision`, `recall`, `f1` and
        `support` (number of gold entities).

    Examples:

    >>> scores = keras_nlp.metrics.entity_scores(
    ...     [["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-ORG"]])
    >>> scores["precision"], scores["recall"]
    (0.5, 0.5)
    """
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"Got {len(y_true)} gold sentences but {len(y_pred)} predicted ones. "
            "Pass one predicted tag sequence per sentence."
        )
    gold, guess = set(), set()
    for index, (true_tags, pred_tags) in enumerate(zip(y_true, y_pred)):
        true_tags, pred_tags = list(true_tags), list(pred_tags)
        if len(true_tags) != len(pred_tags):
            raise ValueError(
                f"Sentence {index} has {len(true_tags)} gold tags but "
                f"{len(pred_tags)} predicted tags. Predict one tag per word."
            )
        gold.update((index,) + e for e in extract_entities(true_tags, scheme, mode))
        guess.update((index,) + e for e in extract_entities(pred_tags, scheme, mode))
    correct = gold & guess
    precision, recall, f1 = _prf(len(correct), len(guess), len(gold))
    per_type = {}
    counts = collections.Counter(e[1] for e in gold)
    for kind in sorted({e[1] for e in gold | guess}):
        p, r, f = _prf(
            sum(e[1] == kind for e in correct),
            sum(e[1] == kind for e in guess),
            counts[kind],
        )
        per_type[kind] = {"precision": p, "recall": r, "f1": f, "support": counts[kind]}
    return {"precision": precision, "recall": recall, "f1": f1, "per_type": per_type}
