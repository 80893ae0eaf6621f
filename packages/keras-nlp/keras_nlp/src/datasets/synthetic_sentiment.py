# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A small synthetic sentiment corpus, generated in code, for offline use.

Licence: the word lists and templates below were written for this project
and are part of it (Apache-2.0). The generated sentences are free of any
third-party text, so the corpus can be used, shipped and redistributed under
the same licence.
"""

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC

_SUBJECTS = [
    "the film",
    "this movie",
    "the plot",
    "the acting",
    "the soundtrack",
    "the ending",
    "the director's work",
    "the cast",
    "the script",
    "the story",
    "the cinematography",
    "this sequel",
    "the dialogue",
    "the lead actor",
    "the supporting cast",
    "the pacing",
    "the visual effects",
    "the screenplay",
]
_POSITIVE = [
    "wonderful",
    "brilliant",
    "moving",
    "delightful",
    "gripping",
    "superb",
    "charming",
    "beautifully made",
    "heartfelt",
    "clever",
    "stunning",
    "unforgettable",
    "hilarious",
    "touching",
    "masterful",
    "refreshing",
]
_NEGATIVE = [
    "boring",
    "dreadful",
    "clumsy",
    "tedious",
    "predictable",
    "awful",
    "lifeless",
    "confusing",
    "forgettable",
    "painful",
    "shallow",
    "messy",
    "dull",
    "annoying",
    "disappointing",
    "overlong",
]
_INTENSIFIERS = ["", "", "really ", "truly ", "quite ", "absolutely ", "rather "]
_POSITIVE_ENDINGS = [
    "I loved every minute.",
    "I would watch it again.",
    "Highly recommended!",
    "A joy from start to finish.",
    "Go and see it.",
    "",
]
_NEGATIVE_ENDINGS = [
    "I walked out early.",
    "What a waste of time.",
    "Avoid it.",
    "I want my money back.",
    "Not worth it.",
    "",
]
_FILLERS = [
    "",
    "",
    "Honestly, ",
    "To be fair, ",
    "In my opinion ",
    "Overall, ",
    "Frankly, ",
    "After the first hour, ",
]
_TEMPLATES = [
    "{f}{s} was {i}{a}. {e}",
    "{f}{s} is {i}{a}, and {s2} is {i2}{a2}. {e}",
    "{f}I found {s} {i}{a}. {e}",
    "{f}{s} felt {i}{a}; {e}",
    "{f}not {o}, {s} was {i}{a}. {e}",
]


@api_export("keras_nlp.datasets.load_synthetic_sentiment", stability="stable", rfc=RFC)
def load_synthetic_sentiment(split="train", num_examples=None, seed=0, as_dataset=True):
    """A synthetic movie-review sentiment corpus that needs no download.

    Every review is generated from templates and word lists written for
    this project (licence: Apache-2.0, like the project; no third-party
    text). Labels are 1 (positive) and 0 (negative), balanced. Sentences mix
    positive and negative words (e.g. "not dull, the film was superb"), so a
    model has to use more than single words. The splits do not share
    generator seeds.

    Args:
        split: `"train"` (2000 examples by default), `"validation"` (400) or
            `"test"` (400).
        num_examples: int or None. Number of examples (overrides the default
            size of the split).
        seed: int. Seed of the generator; the same seed gives the same data.
        as_dataset: bool. Return an unbatched `tf.data.Dataset` of
            `(text, label)`; with False, a tuple `(texts, labels)` of a list
            of str and an int32 NumPy array.

    Examples:

    >>> texts, labels = keras_nlp.datasets.load_synthetic_sentiment(
    ...     "validation", num_examples=4, as_dataset=False)
    >>> len(texts), labels.dtype
    (4, dtype('int32'))
    """
    sizes = {"train": 2000, "validation": 400, "test": 400}
    if split not in sizes:
        raise ValueError(
            f"`split` must be one of {sorted(sizes)}. Received: split={split!r}."
        )
    if num_examples is None:
        num_examples = sizes[split]
    if not isinstance(num_examples, int) or num_examples < 1:
        raise ValueError(
            f"`num_examples` must be a positive int. Received: {num_examples!r}."
        )
    offset = {"train": 0, "validation": 1, "test": 2}[split]
    rng = np.random.default_rng([seed, offset])
    texts, labels = [], []
    for index in range(num_examples):
        label = index % 2
        same, other = (_POSITIVE, _NEGATIVE) if label else (_NEGATIVE, _POSITIVE)
        endings = _POSITIVE_ENDINGS if label else _NEGATIVE_ENDINGS
        template = _TEMPLATES[rng.integers(len(_TEMPLATES))]
        text = template.format(
            f=_FILLERS[rng.integers(len(_FILLERS))],
            s=_SUBJECTS[rng.integers(len(_SUBJECTS))],
            s2=_SUBJECTS[rng.integers(len(_SUBJECTS))],
            i=_INTENSIFIERS[rng.integers(len(_INTENSIFIERS))],
            i2=_INTENSIFIERS[rng.integers(len(_INTENSIFIERS))],
            a=same[rng.integers(len(same))],
            a2=same[rng.integers(len(same))],
            o=other[rng.integers(len(other))],
            e=endings[rng.integers(len(endings))],
        ).strip()
        texts.append(text[0].upper() + text[1:])
        labels.append(label)
    order = rng.permutation(num_examples)
    texts = [texts[i] for i in order]
    labels = np.asarray(labels, dtype="int32")[order]
    if not as_dataset:
        return texts, labels
    return tf.data.Dataset.from_tensor_slices((texts, labels))
