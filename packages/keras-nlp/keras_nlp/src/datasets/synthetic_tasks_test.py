# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_nlp.src.datasets.synthetic_tasks import load_synthetic_ner
from keras_nlp.src.datasets.synthetic_tasks import load_synthetic_qa
from keras_nlp.src.datasets.synthetic_tasks import ner_label_names
from keras_nlp.src.datasets.tfds_loaders import load_conll2003
from keras_nlp.src.datasets.tfds_loaders import load_squad
from keras_nlp.src.metrics.entities import extract_entities


def test_synthetic_qa_answers_are_spans_of_their_contexts():
    (questions, contexts), answers = load_synthetic_qa(
        num_examples=300, as_dataset=False
    )
    assert len(questions) == len(contexts) == 300
    for context, start, text in zip(
        contexts, answers["answer_start"], answers["answer_text"]
    ):
        assert text and context[start : start + len(text)] == text
    again = load_synthetic_qa(num_examples=300, as_dataset=False)
    assert again[0] == (questions, contexts)
    other = load_synthetic_qa("validation", num_examples=50, as_dataset=False)
    assert other[0][1] != contexts[:50]
    (question, context), answer = next(iter(load_synthetic_qa(num_examples=3)))
    assert question.dtype == tf.string and answer["answer_start"].dtype == tf.int64
    with pytest.raises(ValueError, match="split"):
        load_synthetic_qa("dev")


def test_synthetic_ner_tags_are_valid_iob2_with_all_types():
    words, tags = load_synthetic_ner(num_examples=200, as_dataset=False)
    names = ner_label_names("synthetic")
    kinds = set()
    for sentence, ids in zip(words, tags):
        assert len(sentence) == len(ids)
        named = [names[i] for i in ids]
        # Strict IOB2 reading finds every entity the lenient one finds.
        assert extract_entities(named, mode="strict") == extract_entities(named)
        kinds.update(kind for kind, _, _ in extract_entities(named))
    assert kinds == {"PER", "LOC", "ORG"}
    assert load_synthetic_ner(num_examples=200, as_dataset=False) == (words, tags)
    dataset = load_synthetic_ner(num_examples=4)
    w, t = next(iter(dataset))
    assert w.dtype == tf.string and w.shape == t.shape
    with pytest.raises(ValueError, match="num_examples"):
        load_synthetic_ner(num_examples=0)


def test_squad_and_conll2003_with_tfds_mock_data():
    with tfds.testing.mock_data(num_examples=3):
        squad = list(load_squad("train"))
        squad_eval = list(load_squad("validation", all_answers=True))
        conll = list(load_conll2003("train"))
    (question, context), answer = squad[0]
    assert question.dtype == tf.string and context.dtype == tf.string
    assert (
        answer["answer_start"].dtype == tf.int64 and answer["answer_text"].shape == ()
    )
    assert len(squad) == 3 and squad_eval[0][1].dtype == tf.string
    words, ner = conll[0]
    # Mock data draws each sequence's length independently, so only types
    # and ranks are checked here.
    assert words.dtype == tf.string and ner.dtype.is_integer
    assert words.shape.rank == ner.shape.rank == 1
    with pytest.raises(ValueError, match="version"):
        load_squad(version="v3")
    assert ner_label_names("conll2003")[-1] == "I-MISC"
