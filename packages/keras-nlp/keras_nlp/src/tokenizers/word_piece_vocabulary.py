# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Learning a WordPiece vocabulary from raw text."""

import collections
import os

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC
from keras_nlp.src.tokenizers.word_piece_tokenizer import INVALID_UTF8
from keras_nlp.src.tokenizers.word_piece_tokenizer import SPECIAL_TOKENS
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

_BATCH = 1024


def text_dataset(data=None, files=None, what="compute_word_piece_vocabulary"):
    """A batched `tf.data.Dataset` of strings from texts, a dataset or files."""
    if (data is None) == (files is None):
        raise ValueError(
            f"`{what}` takes exactly one of `data` (a list of str or a "
            "tf.data.Dataset of str) and `files` (text file paths, one "
            f"example per line). Received: data={type(data).__name__}, "
            f"files={files!r}."
        )
    if files is not None:
        if isinstance(files, (str, os.PathLike)):
            files = [files]
        files = [os.fspath(f) for f in files]
        missing = [f for f in files if not os.path.isfile(f)]
        if missing:
            raise ValueError(f"`files` {missing} do not exist. Pass text file paths.")
        return tf.data.TextLineDataset(files).batch(_BATCH)
    if isinstance(data, tf.data.Dataset):
        spec = data.element_spec
        if not isinstance(spec, tf.TensorSpec) or spec.dtype != tf.string:
            raise ValueError(
                f"`data` must be a dataset of strings. Received element_spec="
                f"{spec}. Map it to the text first, e.g. "
                "`ds.map(lambda text, label: text)`."
            )
        if spec.shape.rank == 0:
            return data.batch(_BATCH)
        if spec.shape.rank == 1:
            return data
        return data.unbatch().batch(_BATCH)
    if isinstance(data, (str, bytes)):
        raise TypeError(
            "`data` must be a list of str, not a single str. Pass `[text]`, or "
            "`files=path` for a file."
        )
    if isinstance(data, (list, tuple, np.ndarray)):
        if len(data) == 0:
            raise ValueError("`data` is empty; there is no text to learn from.")
        return tf.data.Dataset.from_tensor_slices(
            tf.constant(list(data), tf.string)
        ).batch(_BATCH)
    raise TypeError(
        "`data` must be a list of str or a tf.data.Dataset of str. Received: "
        f"{type(data).__name__}."
    )


def _learn_exact_size(word_counts, vocabulary_size, reserved_tokens, **options):
    """tensorflow-text's WordPiece learner, cut to exactly `vocabulary_size`.

    The learner finds a frequency threshold by binary search and only
    approximates the size (it may overshoot, e.g. 20 tokens for a size of
    3). Here the threshold is the largest one whose vocabulary has at least
    `vocabulary_size` tokens; the least frequent learned pieces are then
    dropped. Reserved tokens and the alphabet (characters that start words,
    and those inside words as continuations) are always kept, so that any
    word of the text can still be split; a size below that minimum raises.
    """
    from tensorflow_text.tools.wordpiece_vocab import (
        wordpiece_tokenizer_learner_lib as learner,
    )

    params = learner.Params(
        upper_thresh=None,
        lower_thresh=1,
        num_iterations=4,
        max_input_tokens=int(5e6),
        max_token_length=options["max_token_length"],
        max_unique_chars=1000,
        vocab_size=vocabulary_size,
        slack_ratio=0.0,
        include_joiner_token=True,
        joiner=options["joiner"],
        reserved_tokens=reserved_tokens,
    )
    words = learner.get_input_words(
        word_counts, reserved_tokens, params.max_token_length
    )
    alphabet = learner.get_allowed_chars(words, params.max_unique_chars)
    words = learner.filter_input_words(words, alphabet, params.max_input_tokens)
    # Every word can be split when the vocabulary holds the characters that
    # start words, and those inside words with the continuation prefix.
    initial = sorted({word[0] for word, _ in words})
    inner = sorted({c for word, _ in words for c in word[1:]})
    head = list(dict.fromkeys(list(reserved_tokens) + initial))
    continuations = [params.joiner + c for c in inner]
    continuations = [t for t in continuations if t not in set(head)]
    required = head + continuations
    if vocabulary_size < len(required):
        raise ValueError(
            f"vocabulary_size={vocabulary_size} cannot hold the "
            f"{len(reserved_tokens)} reserved tokens plus the alphabet of the "
            f"text ({len(initial)} characters that start words, "
            f"{len(continuations)} continuation characters such as "
            f"{(continuations or [''])[0]!r}): at least {len(required)} "
            f"tokens are needed so that every word can be split. Pass "
            f"vocabulary_size >= {len(required)}, or fewer `reserved_tokens`."
        )
    if not words:
        return required

    def learn(threshold):
        return learner.learn_with_thresh(words, threshold, params)

    # Sizes shrink as the threshold grows: binary search for the largest
    # threshold whose vocabulary still has at least `vocabulary_size` tokens
    # (threshold 1, every piece seen, when none has).
    low, high = 1, max(count for _, count in words) + 1
    best = None
    while low < high:
        middle = (low + high) // 2
        candidate = learn(middle)
        if len(candidate) >= vocabulary_size:
            best, low = candidate, middle + 1
        else:
            high = middle
    if best is None:
        best = learn(1)
    fixed = set(required)
    budget = vocabulary_size - len(required)
    extra = [t for t in best if t not in fixed][:budget]
    keep = set(extra) | set(continuations)
    # Reserved tokens, word-initial characters, then the learned pieces
    # from the most frequent (other characters where the learner put them).
    tail = [t for t in best if t in keep]
    tail += [t for t in continuations if t not in set(tail)]
    return head + tail


@api_export(
    "keras_nlp.tokenizers.compute_word_piece_vocabulary", stability="stable", rfc=RFC
)
def compute_word_piece_vocabulary(
    data=None,
    vocabulary_size=30000,
    vocabulary_output_file=None,
    lowercase=True,
    strip_accents=None,
    split_on_cjk=True,
    suffix_indicator="##",
    reserved_tokens=SPECIAL_TOKENS,
    max_token_length=50,
    files=None,
):
    """Learns a WordPiece vocabulary from raw text.

    The text goes through the same normalization and word splitting as
    `WordPieceTokenizer` with the same options, so the vocabulary fits the
    tokenizer. Word counts are then turned into pieces with
    tensorflow-text's WordPiece learner (a top-down search for the
    frequency threshold), keeping the most frequent pieces. The vocabulary
    starts with `reserved_tokens`, then single characters, then the learned
    pieces (continuation characters such as `"##e"` among them).

    The result has exactly `vocabulary_size` tokens, or fewer only when the
    text does not contain that many distinct pieces (a small corpus). A
    `vocabulary_size` that cannot hold the reserved tokens plus every
    character of the text (alone and as a continuation) raises a
    `ValueError` stating the minimum.

    Args:
        data: a list of str or a `tf.data.Dataset` of str (batched or not).
        vocabulary_size: int. Size of the vocabulary (see above).
        vocabulary_output_file: str or None. If set, the vocabulary is also
            written there, one token per line.
        lowercase: bool, as in `WordPieceTokenizer`.
        strip_accents: bool, as in `WordPieceTokenizer`.
        split_on_cjk: bool, as in `WordPieceTokenizer`.
        suffix_indicator: str, as in `WordPieceTokenizer`.
        reserved_tokens: list of str placed first (ids 0, 1, ...). Defaults to
            `["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]`.
        max_token_length: int. Longest piece learned, in characters.
        files: a path or list of paths of text files (one example per line),
            instead of `data`.

    Returns:
        The vocabulary, a list of str.

    Examples:

    >>> vocab = keras_nlp.tokenizers.compute_word_piece_vocabulary(
    ...     ["the quick brown fox", "the lazy dog"], vocabulary_size=40)
    >>> vocab[:5]
    ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
    """

    if not isinstance(vocabulary_size, int) or vocabulary_size < 1:
        raise ValueError(
            "`vocabulary_size` must be a positive int. Received: "
            f"vocabulary_size={vocabulary_size!r}."
        )
    reserved_tokens = list(reserved_tokens)
    dataset = text_dataset(data, files)
    splitter = WordPieceTokenizer(
        ["[UNK]"],
        lowercase=lowercase,
        strip_accents=strip_accents,
        split_on_cjk=split_on_cjk,
        special_tokens=[],
    )
    words_fn = tf.function(splitter._words)
    counts = collections.Counter()
    for batch in dataset:
        if batch.shape.rank == 0:
            batch = tf.expand_dims(batch, 0)
        words = words_fn(batch).flat_values.numpy()
        counts.update(words.tolist())
    # Runs of invalid UTF-8 (a marker word) are not text to learn from.
    counts.pop(INVALID_UTF8.encode("utf-8"), None)
    word_counts = [(w.decode("utf-8"), c) for w, c in counts.items()]
    vocabulary = _learn_exact_size(
        word_counts,
        vocabulary_size,
        reserved_tokens,
        max_token_length=max_token_length,
        joiner=suffix_indicator,
    )
    if vocabulary_output_file is not None:
        with open(vocabulary_output_file, "w", encoding="utf-8") as f:
            f.write("".join(token + "\n" for token in vocabulary))
    return vocabulary
