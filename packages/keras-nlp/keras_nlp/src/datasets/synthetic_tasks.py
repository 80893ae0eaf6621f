# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Small synthetic question-answering and NER corpora, generated in code.

Licence: the names, places, templates and word lists below were written for
this project and are part of it (Apache-2.0). The generated text contains no
third-party material, so the corpora can be used and redistributed under
the same licence.
"""

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.datasets.tfds_loaders import CONLL2003_TAGS
from keras_nlp.src.datasets.tfds_loaders import QA_RFC

_FIRST = ["Ada", "Boris", "Chen", "Dalia", "Emeka", "Freya", "Goran", "Hana"]
_FIRST += ["Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya"]
_LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Silva", "Haddad"]
_LAST += ["Kowalski", "Brennan", "Ivanova", "Mbeki", "Costa"]
_PLACES = ["Paris", "Lagos", "Oslo", "Lima", "Kyoto", "Quito", "Porto", "Accra"]
_PLACES += ["Tunis", "Riga", "Perth", "Hanoi", "New Harbor", "Port Silva"]
_ORGS = ["Acme Corp", "Blue Finch", "Northwind Labs", "Orion Bank", "Tallis Group"]
_ORGS += ["Kestrel Air", "Vega Foods", "Mirth Studios"]
_COLORS = ["red", "blue", "green", "yellow", "black", "white", "orange", "purple"]
_ANIMALS = ["cat", "dog", "parrot", "horse", "rabbit", "goat", "turtle", "owl"]
_JOBS = ["teacher", "pilot", "baker", "nurse", "painter", "lawyer", "chemist"]
_FILLER = [
    "The weather was mild that year.",
    "Nobody remembers how it started.",
    "It was a quiet street near the river.",
    "Everyone agreed the market was busy.",
    "The trains were late again.",
    "Rain fell for most of the week.",
]

# Fact kinds: (sentence template, question templates, answer slot).
_FACTS = [
    (
        "{p} lives in {place}.",
        ["Where does {p} live?", "In which city does {p} live?"],
        "place",
    ),
    ("{p} works as a {job}.", ["What is {p}'s job?", "What does {p} work as?"], "job"),
    ("{p} owns a {color} {animal}.", ["What animal does {p} own?"], "animal"),
    (
        "{p} was born in {year}.",
        ["When was {p} born?", "In what year was {p} born?"],
        "year",
    ),
    ("{p} joined {org} last spring.", ["Which company did {p} join?"], "org"),
]


def _check(split, num_examples, sizes):
    if split not in sizes:
        raise ValueError(
            f"`split` must be one of {sorted(sizes)}. Received: split={split!r}."
        )
    if num_examples is None:
        num_examples = sizes[split]
    if (
        isinstance(num_examples, bool)
        or not isinstance(num_examples, int)
        or num_examples < 1
    ):
        raise ValueError(
            f"`num_examples` must be a positive int. Received: {num_examples!r}."
        )
    return num_examples


def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


@api_export("keras_nlp.datasets.load_synthetic_qa", stability="stable", rfc=QA_RFC)
def load_synthetic_qa(split="train", num_examples=None, seed=0, as_dataset=True):
    """A synthetic extractive question-answering corpus that needs no download.

    Each context is a few sentences of facts about invented people (where
    they live, their job, pet, birth year, employer) mixed with filler
    sentences; the question asks for one fact of one person, and the answer
    is a span of the context, SQuAD-style. Several people share a context,
    so the model has to match the name in the question. Generated from word
    lists written for this project (Apache-2.0); splits use different
    generator seeds.

    Args:
        split: `"train"` (1000 examples by default), `"validation"` (200)
            or `"test"` (200).
        num_examples: int or None. Number of examples.
        seed: int. The same seed gives the same data.
        as_dataset: bool. Return an unbatched `tf.data.Dataset` of
            `((question, context), {"answer_start", "answer_text"})`; with
            False, `((questions, contexts), answers)` with lists of str and
            `answers = {"answer_start": int64 array, "answer_text": list}`.

    Examples:

    >>> (questions, contexts), answers = keras_nlp.datasets.load_synthetic_qa(
    ...     num_examples=2, as_dataset=False)
    >>> start, text = answers["answer_start"][0], answers["answer_text"][0]
    >>> contexts[0][start:start + len(text)] == text
    True
    """
    num_examples = _check(
        split, num_examples, {"train": 1000, "validation": 200, "test": 200}
    )
    offset = {"train": 0, "validation": 1, "test": 2}[split]
    rng = np.random.default_rng([seed, offset, 17])
    questions, contexts, starts, texts = [], [], [], []
    for _ in range(num_examples):
        people = rng.choice(len(_FIRST), size=int(rng.integers(2, 4)), replace=False)
        sentences, candidates = [], []
        for person in people:
            name = _FIRST[person]
            if rng.random() < 0.5:
                name = f"{name} {_pick(rng, _LAST)}"
            kinds = rng.choice(len(_FACTS), size=int(rng.integers(1, 3)), replace=False)
            for kind in kinds:
                template, question_templates, slot = _FACTS[kind]
                values = {
                    "p": name,
                    "place": _pick(rng, _PLACES),
                    "job": _pick(rng, _JOBS),
                    "color": _pick(rng, _COLORS),
                    "animal": _pick(rng, _ANIMALS),
                    "year": str(int(rng.integers(1950, 2011))),
                    "org": _pick(rng, _ORGS),
                }
                sentence = template.format(**values)
                question = _pick(rng, question_templates).format(p=name.split()[0])
                sentences.append((sentence, values[slot]))
                candidates.append((len(sentences) - 1, question))
            if rng.random() < 0.5:
                sentences.append((_pick(rng, _FILLER), None))
        order = rng.permutation(len(sentences))
        position = {int(old): new for new, old in enumerate(order)}
        ordered = [sentences[i] for i in order]
        target, question = candidates[int(rng.integers(len(candidates)))]
        context, start = "", 0
        for index, (sentence, answer) in enumerate(ordered):
            if context:
                context += " "
            if index == position[target]:
                start = len(context) + sentence.index(answer)
                text = answer
            context += sentence
        questions.append(question)
        contexts.append(context)
        starts.append(start)
        texts.append(text)
    answers = {"answer_start": np.asarray(starts, "int64"), "answer_text": texts}
    if not as_dataset:
        return (questions, contexts), answers
    return tf.data.Dataset.from_tensor_slices(((questions, contexts), answers))


_NER_TEMPLATES = [
    "{PER} works for {ORG} in {LOC} .",
    "{PER} flew to {LOC} on Monday .",
    "the {ORG} office in {LOC} hired {PER} .",
    "yesterday {PER} met {PER} at the {ORG} stand .",
    "{ORG} opened a branch in {LOC} .",
    "in {LOC} , {PER} sold shares of {ORG} .",
    "{PER} said the trip to {LOC} was long .",
    "reports from {LOC} say {ORG} will grow .",
    "nobody expected rain in {LOC} today .",
    "{PER} and {PER} started {ORG} together .",
]


@api_export("keras_nlp.datasets.ner_label_names", stability="stable", rfc=QA_RFC)
def ner_label_names(dataset="conll2003"):
    """The tag names of an NER dataset, in tag-id order.

    Args:
        dataset: `"conll2003"` or `"synthetic"` (both use CoNLL-2003's IOB2
            tags: `O` and `B-`/`I-` of `PER`, `ORG`, `LOC`, `MISC`).

    Returns:
        A list of str; the tag with id `i` is the `i`-th.

    Examples:

    >>> keras_nlp.datasets.ner_label_names()[:3]
    ['O', 'B-PER', 'I-PER']
    """
    if dataset not in ("conll2003", "synthetic"):
        raise ValueError(
            "`dataset` must be 'conll2003' or 'synthetic'. Received: "
            f"dataset={dataset!r}."
        )
    return list(CONLL2003_TAGS)


@api_export("keras_nlp.datasets.load_synthetic_ner", stability="stable", rfc=QA_RFC)
def load_synthetic_ner(split="train", num_examples=None, seed=0, as_dataset=True):
    """A synthetic named-entity corpus in CoNLL-2003's format, offline.

    Sentences are generated from templates with invented people (one or two
    words), places (some of two words) and organisations (two words),
    tagged in IOB2 with CoNLL-2003's tag ids (`ner_label_names("synthetic")`).
    Some surnames double as place names ("Silva" and "Port Silva"), so
    tags depend on context. Written for this project (Apache-2.0); splits
    use different generator seeds.

    Args:
        split: `"train"` (1000 sentences by default), `"validation"` (200)
            or `"test"` (200).
        num_examples: int or None. Number of sentences.
        seed: int. The same seed gives the same data.
        as_dataset: bool. Return an unbatched `tf.data.Dataset` of `(words,
            tag_ids)`; with False, a tuple `(words, tag_ids)` of lists of
            lists.

    Examples:

    >>> words, tags = keras_nlp.datasets.load_synthetic_ner(
    ...     num_examples=1, as_dataset=False)
    >>> len(words[0]) == len(tags[0])
    True
    """
    num_examples = _check(
        split, num_examples, {"train": 1000, "validation": 200, "test": 200}
    )
    offset = {"train": 0, "validation": 1, "test": 2}[split]
    rng = np.random.default_rng([seed, offset, 29])
    index = {name: i for i, name in enumerate(CONLL2003_TAGS)}
    all_words, all_tags = [], []
    for _ in range(num_examples):
        template = _pick(rng, _NER_TEMPLATES)
        words, tags = [], []
        for slot in template.split():
            if slot in ("{PER}", "{LOC}", "{ORG}"):
                kind = slot[1:-1]
                if kind == "PER":
                    entity = _pick(rng, _FIRST)
                    if rng.random() < 0.6:
                        entity += " " + _pick(rng, _LAST)
                elif kind == "LOC":
                    entity = _pick(rng, _PLACES)
                else:
                    entity = _pick(rng, _ORGS)
                pieces = entity.split()
                words.extend(pieces)
                tags.extend(
                    [index[f"B-{kind}"]] + [index[f"I-{kind}"]] * (len(pieces) - 1)
                )
            else:
                words.append(slot)
                tags.append(index["O"])
        words[0] = words[0][0].upper() + words[0][1:]
        all_words.append(words)
        all_tags.append(tags)
    if not as_dataset:
        return all_words, all_tags
    return tf.data.Dataset.from_tensor_slices(
        (
            tf.ragged.constant(all_words, dtype=tf.string, ragged_rank=1),
            tf.ragged.constant(all_tags, dtype=tf.int32, ragged_rank=1),
        )
    )
