# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Learning a WordPiece vocabulary from raw text."""

import collections
import os
import warnings

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC
from keras_nlp.src.tokenizers.word_piece_tokenizer import INVALID_UTF8
from keras_nlp.src.tokenizers.word_piece_tokenizer import SPECIAL_TOKENS
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer
from keras_nlp.src.tokenizers.word_piece_tokenizer import bert_normalize
from keras_nlp.src.tokenizers.word_piece_tokenizer import normalized_words
from keras_nlp.src.tokenizers.word_piece_tokenizer import repair_utf8

_BATCH = 1024


def file_names_in(data, what):
    """The paths in `data` when it is a keras-nlp 0.15 list of file names.

    keras-nlp 0.15 read a list given as `data` as file names; here a list
    is texts, and files go to `files=`. A list whose every item is an
    existing file (or an `os.PathLike`) is read as files, with a
    `DeprecationWarning` naming `files=`. A list where only some items are
    existing files is ambiguous and raises. Returns None for texts.
    """
    if not isinstance(data, (list, tuple)) or not data:
        return None
    if not all(isinstance(item, (str, os.PathLike)) for item in data):
        return None
    is_file = [isinstance(item, os.PathLike) or os.path.isfile(item) for item in data]
    if not any(is_file):
        return None
    if not all(is_file):
        existing = [os.fspath(d) for d, f in zip(data, is_file) if f][:3]
        others = [os.fspath(d) for d, f in zip(data, is_file) if not f][:3]
        raise ValueError(
            f"`{what}` received a list as `data` where some items are "
            f"existing files (e.g. {existing}) and others are not (e.g. "
            f"{others}). A list as `data` is texts; file names go to "
            "`files=` (keras-nlp 0.15 read a list as file names). Pass "
            "`files=[...]` with paths that exist, or `data=` with texts only."
        )
    warnings.warn(
        f"`{what}(data=[file names])` is the keras-nlp 0.15 form; use "
        f"`{what}(files=[...])` instead (a list as `data` is texts). The "
        "old form still works when every item is an existing file.",
        DeprecationWarning,
        stacklevel=3,
    )
    return [os.fspath(item) for item in data]


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
    raise DataTypeError(
        "`data` must be a list of str or a tf.data.Dataset of str. Received: "
        f"type(data)={type(data)}."
    )


class DataTypeError(TypeError, ValueError):
    """`data` of an unsupported type (a `TypeError`; also a `ValueError`, the
    class keras-nlp 0.15 raised, so that 0.15 code catching it still works)."""


def _word_dataset(data, what):
    """`split=False`: a dataset of words already split -> rank-1 batches."""
    if not isinstance(data, tf.data.Dataset):
        raise ValueError(
            f"`{what}(split=False)` takes words already split as a "
            "`tf.data.Dataset` of str (each element a word, or a dense or "
            f"ragged tensor of words). Received: type(data)={type(data)}. "
            "Split the text in a dataset, e.g. `tf.data.Dataset."
            "from_tensor_slices(texts).map(tf.strings.split)`, or keep "
            "`split=True`; files always use `split=True`."
        )
    spec = data.element_spec
    if (
        not isinstance(spec, (tf.TensorSpec, tf.RaggedTensorSpec))
        or spec.dtype != tf.string
    ):
        raise ValueError(
            f"With `split=False`, `data` must be a dataset of words (str). "
            f"Received element_spec={spec}."
        )
    if isinstance(spec, tf.TensorSpec) and spec.shape.rank == 0:
        data = data.batch(_BATCH)  # one word per element

    def flat(words):
        if isinstance(words, tf.RaggedTensor):
            words = words.flat_values
        return tf.reshape(words, [-1])

    return data.map(flat)


def _splits_every_word(vocabulary, words, joiner):
    """Whether WordPiece's greedy longest-match splits every word."""
    vocabulary = set(vocabulary)
    longest = max((len(t) for t in vocabulary), default=0)
    for word, _ in words:
        start = 0
        while start < len(word):
            prefix = joiner if start > 0 else ""
            end = min(len(word), start + longest)
            while end > start and prefix + word[start:end] not in vocabulary:
                end -= 1
            if end == start:
                return False
            start = end
    return True


def _select(vocabulary, required, vocabulary_size):
    """`vocabulary` cut to `vocabulary_size`, keeping every required token.

    The order is the learner's; the tokens dropped are the last ones that
    are not required.
    """
    required = set(required)
    budget = vocabulary_size - len(required)
    kept = []
    for token in vocabulary:
        if token in required:
            kept.append(token)
        elif budget > 0:
            kept.append(token)
            budget -= 1
    return kept


def _learn_exact_size(word_counts, vocabulary_size, reserved_tokens, **options):
    """tensorflow-text's WordPiece learner, cut to exactly `vocabulary_size`.

    As keras-nlp 0.15 does, the vocabulary comes from tensorflow-text's
    `learn` with its default search (a frequency threshold of at least 10,
    found by binary search with a 5% slack), in the learner's order:
    reserved tokens, single characters (sorted), then the learned pieces
    from the most frequent (ties in alphabetical order). It is cut to
    `vocabulary_size` from the end when the cut vocabulary still splits
    every word of the text (WordPiece's greedy longest match); otherwise
    the characters that start words and those inside words with the
    continuation prefix are kept and the last other pieces dropped (0.15
    cut from the end regardless, leaving words of the training text
    unknown).

    When that search gives fewer than `vocabulary_size` tokens, the
    threshold is lowered to the largest one giving at least that many (the
    learner only approximates the size), so the result has exactly
    `vocabulary_size` tokens unless the text has fewer distinct pieces. A
    size too small to split every word raises.
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

    def too_small():
        return ValueError(
            f"vocabulary_size={vocabulary_size} cannot hold the "
            f"{len(reserved_tokens)} reserved tokens plus the alphabet of the "
            f"text ({len(initial)} characters that start words, "
            f"{len(continuations)} continuation characters such as "
            f"{(continuations or [''])[0]!r}): at least {len(required)} "
            f"tokens are needed so that every word can be split. Pass "
            f"vocabulary_size >= {len(required)}, or fewer `reserved_tokens`."
        )

    if not words:
        if vocabulary_size < len(required):
            raise too_small()
        return required
    # First tensorflow-text's own search, with the defaults 0.15 used.
    vocabulary = learner.learn(
        word_counts,
        vocab_size=vocabulary_size,
        reserved_tokens=reserved_tokens,
        max_token_length=params.max_token_length,
        include_joiner_token=True,
        joiner=params.joiner,
    )
    if len(vocabulary) < vocabulary_size:
        # Too few: sizes shrink as the threshold grows, so binary search for
        # the largest threshold whose vocabulary has at least
        # `vocabulary_size` tokens (threshold 1, every piece, when none has).
        def learn(threshold):
            return learner.learn_with_thresh(words, threshold, params)

        low, high = 1, max(count for _, count in words) + 1
        best = None
        while low < high:
            middle = (low + high) // 2
            candidate = learn(middle)
            if len(candidate) >= vocabulary_size:
                best, low = candidate, middle + 1
            else:
                high = middle
        vocabulary = best if best is not None else learn(1)
    # The learner's vocabulary cut from the end, as in 0.15, when it still
    # splits every word; otherwise the tokens needed for that are kept.
    cut = vocabulary[:vocabulary_size]
    reserved_fit = len(set(reserved_tokens)) <= vocabulary_size
    if reserved_fit and _splits_every_word(cut, words, params.joiner):
        return cut
    if vocabulary_size < len(required):
        raise too_small()
    return _select(vocabulary, required, vocabulary_size)


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
    *,
    split=True,
):
    """Learns a WordPiece vocabulary from raw text.

    The text goes through the same normalization and word splitting as
    `WordPieceTokenizer` with the same options, so the vocabulary fits the
    tokenizer. Word counts are then turned into pieces with
    tensorflow-text's WordPiece learner (a top-down search for the
    frequency threshold), keeping the most frequent pieces. The order is
    the learner's, as in keras-nlp 0.15: `reserved_tokens`, then single
    characters in sorted order, then the learned pieces from the most
    frequent (ties alphabetical; continuation characters such as `"##e"`
    among them).

    The result has exactly `vocabulary_size` tokens, or fewer only when the
    text does not contain that many distinct pieces (a small corpus). The
    tokens needed to split every word of the text (characters that start
    words, and inner characters as continuations) are always kept, so a
    `vocabulary_size` that cannot hold them plus the reserved tokens raises
    a `ValueError` stating the minimum (keras-nlp 0.15 cut them instead,
    leaving words of the training text unknown).

    Args:
        data: a list of str or a `tf.data.Dataset` of str (batched or not).
            A list whose items are all existing files is read as file
            names (keras-nlp 0.15's form) with a `DeprecationWarning`
            naming `files=`.
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
        split: bool, keyword-only (default `True`, as in keras-nlp 0.15).
            With `split=False` the text is not split into
            words: `data` must be a `tf.data.Dataset` whose elements are
            words already split (a str, or a dense or ragged tensor of
            str), normalized like `WordPieceTokenizer(split=False)`; a list
            or `files` raise a `ValueError`.

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
    if not isinstance(split, bool):
        raise ValueError(f"`split` must be True or False. Received: split={split!r}.")
    reserved_tokens = list(reserved_tokens)
    what = "compute_word_piece_vocabulary"
    old_files = file_names_in(data, what) if files is None else None
    if old_files is not None:
        data, files = None, old_files
    splitter = WordPieceTokenizer(
        ["[UNK]"],
        lowercase=lowercase,
        strip_accents=strip_accents,
        split_on_cjk=split_on_cjk,
        special_tokens=[],
    )
    if split:
        dataset = text_dataset(data, files)
        words_fn = tf.function(
            lambda batch: normalized_words(splitter, batch).flat_values, autograph=False
        )
    else:
        if files is not None or data is None:
            raise ValueError(
                f"`{what}(split=False)` needs `data`, a `tf.data.Dataset` of "
                "words already split; text files are always split into "
                "words. Read the files into a dataset and split it, e.g. "
                "`tf.data.TextLineDataset(files).map(tf.strings.split)`, or "
                f"keep `split=True`. Received: files={files!r}."
            )
        dataset = _word_dataset(data, what)

        def words_fn(words):
            # A word with invalid UTF-8 bytes is not text to learn from.
            valid = tf.equal(repair_utf8(words), words)
            words = tf.boolean_mask(words, valid)
            return bert_normalize(words, splitter.lowercase, splitter.strip_accents)

        words_fn = tf.function(words_fn, autograph=False)
    counts = collections.Counter()
    for batch in dataset:
        if batch.shape.rank == 0:
            batch = tf.expand_dims(batch, 0)
        counts.update(words_fn(batch).numpy().tolist())
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
