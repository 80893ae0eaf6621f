# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""NLP benchmark datasets from tensorflow-datasets, shaped for our tasks."""

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC

QA_RFC = "20261122-keras-nlp-span-and-token-tasks"

# GLUE task -> the text features, in order (one or a pair).
GLUE_FEATURES = {
    "cola": ("sentence",),
    "sst2": ("sentence",),
    "mrpc": ("sentence1", "sentence2"),
    "qqp": ("question1", "question2"),
    "stsb": ("sentence1", "sentence2"),
    "mnli": ("premise", "hypothesis"),
    "qnli": ("question", "sentence"),
    "rte": ("sentence1", "sentence2"),
    "wnli": ("sentence1", "sentence2"),
    "ax": ("premise", "hypothesis"),
}


def _tfds():
    """tensorflow-datasets, the optional `keras-nlp[tfds]` extra."""
    try:
        import tensorflow_datasets as tfds
    except ImportError as error:
        raise ImportError(
            "The keras_nlp.datasets loaders of public datasets (IMDB, GLUE, SQuAD, "
            "CoNLL-2003) need `tensorflow-datasets`, which is not installed. It is "
            "the optional `keras-nlp[tfds]` extra: install it with `pip install "
            '"keras-nlp[tfds]"` (with this repository\'s wheels: `pip install '
            '--find-links dist "keras-nlp[tfds]"`), or `pip install '
            "tensorflow-datasets`. The synthetic datasets need nothing more."
        ) from error
    return tfds


@api_export("keras_nlp.datasets.load_imdb_reviews", stability="stable", rfc=RFC)
def load_imdb_reviews(split="train", data_dir=None, download=True, shuffle_files=False):
    """The IMDB movie-review sentiment dataset as `(text, label)` pairs.

    A thin layer over `tfds.load("imdb_reviews")`: the result feeds
    `BertClassifier.fit` directly. The data is downloaded and prepared by
    tensorflow-datasets on first use (or read from `data_dir`); for offline
    work use `load_synthetic_sentiment`.

    Args:
        split: a tfds split, e.g. `"train"`, `"test"`, `"train[:10%]"`.
        data_dir: str or None. Where tensorflow-datasets keeps its data.
        download: bool. Whether tensorflow-datasets may download.
        shuffle_files: bool. Passed to `tfds.load`.

    Returns:
        An unbatched `tf.data.Dataset` of `(text, label)`, label 1 positive.

    Examples:

    With tensorflow-datasets' mock data, so nothing is downloaded (without
    the `with` block the real data is used):

    >>> import tensorflow_datasets as tfds
    >>> with tfds.testing.mock_data(num_examples=3):
    ...     dataset = keras_nlp.datasets.load_imdb_reviews("train")
    ...     text, label = next(iter(dataset))
    >>> text.dtype, label.shape
    (tf.string, TensorShape([]))
    """
    tfds = _tfds()
    return tfds.load(
        "imdb_reviews/plain_text",
        split=split,
        data_dir=data_dir,
        download=download,
        shuffle_files=shuffle_files,
        as_supervised=True,
    )


@api_export("keras_nlp.datasets.load_glue", stability="stable", rfc=RFC)
def load_glue(task, split="train", data_dir=None, download=True, shuffle_files=False):
    """A GLUE task as `(text, label)` or `((text_a, text_b), label)` pairs.

    A thin layer over `tfds.load("glue/<task>")` that picks the task's text
    fields, so the result feeds `BertClassifier.fit` directly (pairs are
    packed as `[CLS] a [SEP] b [SEP]` by `BertPreprocessor`). GLUE test
    splits have no labels (they are -1).

    Args:
        task: one of `"cola"`, `"sst2"`, `"mrpc"`, `"qqp"`, `"stsb"`
            (regression, float labels), `"mnli"`, `"qnli"`, `"rte"`,
            `"wnli"`, `"ax"`.
        split: a tfds split, e.g. `"train"`, `"validation"`
            (`"validation_matched"` for MNLI).
        data_dir: str or None. Where tensorflow-datasets keeps its data.
        download: bool. Whether tensorflow-datasets may download.
        shuffle_files: bool. Passed to `tfds.load`.

    Returns:
        An unbatched `tf.data.Dataset`.

    Examples:

    With tensorflow-datasets' mock data, so nothing is downloaded:

    >>> import tensorflow_datasets as tfds
    >>> with tfds.testing.mock_data(num_examples=3):
    ...     dataset = keras_nlp.datasets.load_glue("mrpc", "validation")
    ...     (text_a, text_b), label = next(iter(dataset))
    >>> text_a.dtype, text_b.dtype
    (tf.string, tf.string)
    """
    if task not in GLUE_FEATURES:
        raise ValueError(
            f"Unknown GLUE task {task!r}. Expected one of {sorted(GLUE_FEATURES)}."
        )
    tfds = _tfds()
    dataset = tfds.load(
        f"glue/{task}",
        split=split,
        data_dir=data_dir,
        download=download,
        shuffle_files=shuffle_files,
    )
    names = GLUE_FEATURES[task]

    def to_pair(example):
        texts = tuple(example[name] for name in names)
        return (texts[0] if len(texts) == 1 else texts), example["label"]

    return dataset.map(to_pair)


@api_export("keras_nlp.datasets.load_squad", stability="stable", rfc=QA_RFC)
def load_squad(
    split="train",
    version="v1.1",
    all_answers=False,
    data_dir=None,
    download=True,
    shuffle_files=False,
):
    """SQuAD as `((question, context), answer)` for `BertSpanLabeler`.

    A thin layer over `tfds.load("squad/<version>")`. For training, the
    answer is the first gold answer as `{"answer_start": int64 character
    offset, "answer_text": string}`, which `BertSpanLabeler.fit` takes
    directly; for evaluation, `all_answers=True` yields every gold answer
    text instead (a variable-length string vector), for
    `keras_nlp.metrics.squad_scores`. Examples without an answer (SQuAD 2.0)
    get `answer_start` 0 and an empty `answer_text`.

    Args:
        split: a tfds split, `"train"` or `"validation"` (or a slice).
        version: `"v1.1"` or `"v2.0"`.
        all_answers: bool. Yield all gold answer texts instead of the first
            answer's span.
        data_dir: str or None. Where tensorflow-datasets keeps its data.
        download: bool. Whether tensorflow-datasets may download.
        shuffle_files: bool. Passed to `tfds.load`.

    Returns:
        An unbatched `tf.data.Dataset`.

    Examples:

    >>> import tensorflow_datasets as tfds
    >>> with tfds.testing.mock_data(num_examples=2):
    ...     dataset = keras_nlp.datasets.load_squad("validation")
    ...     (question, context), answer = next(iter(dataset))
    >>> question.dtype, sorted(answer)
    (tf.string, ['answer_start', 'answer_text'])
    """
    if version not in ("v1.1", "v2.0"):
        raise ValueError(
            f"`version` must be 'v1.1' or 'v2.0'. Received: version={version!r}."
        )
    import tensorflow as tf

    dataset = _tfds().load(
        f"squad/{version}",
        split=split,
        data_dir=data_dir,
        download=download,
        shuffle_files=shuffle_files,
    )

    def to_example(example):
        inputs = (example["question"], example["context"])
        answers = example["answers"]
        if all_answers:
            return inputs, answers["text"]
        text = tf.concat([answers["text"], [""]], axis=0)[0]
        start = tf.concat([tf.cast(answers["answer_start"], tf.int64), [0]], 0)[0]
        return inputs, {"answer_start": start, "answer_text": text}

    return dataset.map(to_example)


@api_export("keras_nlp.datasets.load_conll2003", stability="stable", rfc=QA_RFC)
def load_conll2003(split="train", data_dir=None, download=True, shuffle_files=False):
    """CoNLL-2003 named entities as `(words, tag_ids)` for `BertTokenClassifier`.

    A thin layer over `tfds.load("conll2003")`, keeping the words and their
    IOB2 entity tags (names in `ner_label_names("conll2003")`: `O`,
    `B-PER`, `I-PER`, `B-ORG`, `I-ORG`, `B-LOC`, `I-LOC`, `B-MISC`,
    `I-MISC`).

    Args:
        split: a tfds split: `"train"`, `"dev"` or `"test"` (or a slice).
        data_dir: str or None. Where tensorflow-datasets keeps its data.
        download: bool. Whether tensorflow-datasets may download.
        shuffle_files: bool. Passed to `tfds.load`.

    Returns:
        An unbatched `tf.data.Dataset` of `(words, tags)`: a string vector
        and an int64 vector of the same length.

    Examples:

    >>> import tensorflow_datasets as tfds
    >>> with tfds.testing.mock_data(num_examples=2):
    ...     words, tags = next(iter(keras_nlp.datasets.load_conll2003("dev")))
    >>> words.dtype, tags.dtype
    (tf.string, tf.int64)
    """
    dataset = _tfds().load(
        "conll2003",
        split=split,
        data_dir=data_dir,
        download=download,
        shuffle_files=shuffle_files,
    )
    return dataset.map(lambda example: (example["tokens"], example["ner"]))


CONLL2003_TAGS = (
    "O",
    "B-PER",
    "I-PER",
    "B-ORG",
    "I-ORG",
    "B-LOC",
    "I-LOC",
    "B-MISC",
    "I-MISC",
)
