# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Token ids into every tokenizer's `detokenize` and into the packers.

Ids outside the vocabulary used to kill the process (SIGSEGV in
tensorflow-text's FastWordpiece detokenizer); floats were truncated. Every
bad id must give a `ValueError`/`TypeError` naming it and the valid range,
eagerly and (as `tf.errors.InvalidArgumentError` with the same text) in
traced functions.
"""

import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_nlp.src.models.seq2seq_transformer import Seq2SeqTransformer
from keras_nlp.src.preprocessing.multi_segment_packer import MultiSegmentPacker
from keras_nlp.src.preprocessing.start_end_packer import StartEndPacker
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import SentencePieceTokenizer
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import (
    compute_sentence_piece_proto,
)
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "qu", "##ick", "fox"]
RANGE_TEXT = "Valid ids are 0 to {} (vocabulary_size={})"

_PROTO = []


def _tokenizer(kind):
    # A fresh tokenizer per test: the autouse seed fixture calls
    # `keras.utils.set_random_seed`, which clears TensorFlow's kernel caches
    # and with them the SentencePiece resource of older tokenizers.
    if kind == "word_piece":
        return WordPieceTokenizer(VOCAB)
    if not _PROTO:
        _PROTO.append(
            compute_sentence_piece_proto(
                ["the quick brown fox", "the lazy dog"] * 20, vocabulary_size=30
            )
        )
    return SentencePieceTokenizer(_PROTO[0])


KINDS = ["word_piece", "sentence_piece"]


def _range_text(tokenizer):
    size = tokenizer.vocabulary_size()
    return RANGE_TEXT.format(size - 1, size)


@pytest.mark.parametrize("kind", KINDS)
def test_out_of_range_ids_raise_naming_them(kind):
    tokenizer = _tokenizer(kind)
    size = tokenizer.vocabulary_size()
    for bad in (9999, -3, size, 2**32 + 5, -(2**40)):
        with pytest.raises(ValueError) as info:
            tokenizer.detokenize([[5, bad]])
        assert _range_text(tokenizer) in str(info.value)
        assert f"Received ids: [{bad}]" in str(info.value)
    # Every input form: NumPy, dense and ragged tensors, one sequence.
    for ids in (
        np.array([[1, size]], "int64"),
        tf.constant([[1, size]]),
        tf.ragged.constant([[1], [size, 2]]),
        [size],
    ):
        with pytest.raises(ValueError, match=f"Received ids: \\[{size}\\]"):
            tokenizer.detokenize(ids)
    # The last valid id still works.
    assert tokenizer.detokenize([size - 1]).shape == ()


@pytest.mark.parametrize("kind", KINDS)
def test_out_of_range_ids_in_tf_function_and_tf_data(kind):
    tokenizer = _tokenizer(kind)
    size = tokenizer.vocabulary_size()
    fn = tf.function(
        tokenizer.detokenize, input_signature=[tf.TensorSpec([None, None], tf.int32)]
    )
    assert fn(tf.constant([[5, 6]])).shape == (1,)
    for bad in (9999, -3, size):
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            fn(tf.constant([[5, bad]]))
        assert _range_text(tokenizer) in info.value.message
        assert str(bad) in info.value.message.split("Received ids:")[1]
    dataset = tf.data.Dataset.from_tensor_slices(
        tf.ragged.constant([[5], [6, size + 3]])
    )
    dataset = dataset.batch(2).map(tokenizer.detokenize)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        list(dataset)
    assert _range_text(tokenizer) in info.value.message


@pytest.mark.parametrize("kind", KINDS)
def test_non_integer_and_malformed_ids_raise(kind):
    tokenizer = _tokenizer(kind)
    with pytest.raises(TypeError, match="integer token ids"):
        tokenizer.detokenize([[5.0, 6.7]])
    with pytest.raises(TypeError, match="integer token ids"):
        tokenizer.detokenize(np.array([[5.9]]))
    with pytest.raises(TypeError, match="integer token ids"):
        tokenizer.detokenize(tf.constant([[5.0]]))
    with pytest.raises(TypeError, match="integer token ids"):
        tokenizer.detokenize([[True, False]])
    with pytest.raises(TypeError, match="integer token ids"):
        tokenizer.detokenize(["the"])
    with pytest.raises(ValueError, match="rank 3"):
        tokenizer.detokenize(np.zeros((1, 2, 2), "int32"))
    with pytest.raises(ValueError, match="single id"):
        tokenizer.detokenize(5)
    with pytest.raises(ValueError, match="does not fit in int64"):
        tokenizer.detokenize([[2**70]])
    with pytest.raises(ValueError, match="nested alike"):
        tokenizer.detokenize([[1], 2])
    # Documented results for empty input: "" per sequence.
    assert tokenizer.detokenize([]).numpy() == b""
    assert tokenizer.detokenize([[]]).numpy().tolist() == [b""]


def test_seq2seq_detokenize_checks_ids():
    vocab = ["[PAD]", "[START]", "[END]", "[UNK]", "a", "b", "c"]
    model = Seq2SeqTransformer(
        vocab_size=len(vocab),
        hidden_size=8,
        num_layers=1,
        num_attention_heads=1,
        inner_dim=8,
        max_source_length=4,
        max_target_length=4,
        tokenizer=WordPieceTokenizer(vocab),
    )
    assert model.detokenize([[4, 5, 2, 0]]) == ["a b"]
    # 2**32 + 4 would become 4 after the int32 cast without the check.
    for bad in (9999, -3, len(vocab), 2**32 + 4):
        with pytest.raises(ValueError, match=re.escape(RANGE_TEXT.format(6, 7))):
            model.detokenize(np.array([[4, bad]], "int64"))
    with pytest.raises(TypeError, match="integer token ids"):
        model.detokenize(np.array([[4.7, 5.2]]))


_CRASH_SCRIPT = textwrap.dedent(
    """
    import tensorflow as tf
    from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

    tokenizer = WordPieceTokenizer({vocab!r})
    fn = tf.function(tokenizer.detokenize)
    for bad in (9999, -3, {size}):
        for call in (tokenizer.detokenize, fn):
            try:
                call(tf.constant([[5, bad]]))
            except (ValueError, tf.errors.InvalidArgumentError):
                print("raised", bad)
            else:
                print("accepted", bad)
    """
)


@pytest.mark.large  # default-suite time budget
def test_out_of_range_ids_do_not_kill_the_process():
    # Before the fix this died with SIGSEGV, which would kill pytest itself.
    script = _CRASH_SCRIPT.format(vocab=VOCAB, size=len(VOCAB))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.split()
    assert lines.count("raised") == 6, result.stdout


# Random token ids of every family: in range, negative, huge, floats, bools,
# ragged rows, empty rows, wrong ranks.
_int_ids = st.integers(min_value=-(2**40), max_value=2**40)
_small_ids = st.integers(min_value=-3, max_value=40)
_scalars = st.one_of(
    _small_ids, _int_ids, st.floats(allow_nan=True), st.booleans(), st.text(max_size=2)
)
_ids = st.one_of(
    st.lists(_small_ids, max_size=6),
    st.lists(st.lists(_small_ids, max_size=5), max_size=4),
    st.lists(st.lists(_scalars, max_size=4), max_size=3),
    st.lists(_scalars, max_size=4),
    st.lists(st.lists(st.lists(_small_ids, max_size=2), max_size=2), max_size=2),
    _scalars,
)


def _valid(ids, size):
    """True when `ids` is a rank 1/2 nest of in-range Python ints."""

    def flat(value, depth):
        if isinstance(value, list):
            if depth >= 2:
                return None
            out = []
            for item in value:
                sub = flat(item, depth + 1)
                if sub is None:
                    return None
                out.extend(sub)
            return out
        if isinstance(value, bool) or not isinstance(value, int) or depth == 0:
            return None
        return [value]

    values = flat(ids, 0)
    return values is not None and all(0 <= v < size for v in values)


@pytest.mark.parametrize("kind", KINDS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ids=_ids)
def test_detokenize_fuzz(kind, ids):
    tokenizer = _tokenizer(kind)
    size = tokenizer.vocabulary_size()
    try:
        text = tokenizer.detokenize(ids)
    except (TypeError, ValueError) as error:
        assert str(error)
        assert not _valid(ids, size) or _mixed_depth(ids), (ids, error)
        return
    assert _valid(ids, size), ids
    assert text.dtype == tf.string


def _mixed_depth(ids):
    return isinstance(ids, list) and len({isinstance(i, list) for i in ids}) > 1


@settings(max_examples=40, deadline=None)
@given(a=_ids, b=_ids)
def test_packers_fuzz(a, b):
    packer = MultiSegmentPacker(sequence_length=7, start_value=2, end_value=3)
    try:
        out = packer((a, b))
    except (TypeError, ValueError) as error:
        assert str(error)
    else:
        # Only integer ids pass, and they are copied unchanged.
        token_ids = out["token_ids"].numpy()
        assert token_ids.shape[-1] == 7
        assert token_ids.dtype == np.int32
    try:
        out = StartEndPacker(sequence_length=5, start_value=1, end_value=2)(a)
    except (TypeError, ValueError) as error:
        assert str(error)
    else:
        assert out.numpy().shape[-1] == 5


def test_packers_reject_floats_and_mismatched_batches():
    packer = MultiSegmentPacker(sequence_length=8, start_value=1, end_value=2)
    for floats in ([[3.7, 4.2]], np.array([[3.7]]), tf.constant([[3.0]])):
        with pytest.raises(TypeError, match="integer token ids"):
            packer(floats)
        with pytest.raises(TypeError, match="integer token ids"):
            StartEndPacker(4)(floats)
    with pytest.raises(ValueError, match=r"batch sizes \[2, 1\]"):
        packer(([[3], [4]], [[5]]))
    with pytest.raises(ValueError, match=r"batch sizes \[1, 1, 3\]"):
        packer(tuple(tf.ragged.constant(x) for x in ([[3]], [[4]], [[5], [6], [7]])))

    spec = tf.RaggedTensorSpec([None, None], tf.int32)

    @tf.function(input_signature=[spec, spec])
    def pack(a, b):
        return packer((a, b))["token_ids"]

    with pytest.raises(tf.errors.InvalidArgumentError, match="same number"):
        pack(tf.ragged.constant([[3], [4]]), tf.ragged.constant([[5]]))
    assert pack(tf.ragged.constant([[3]]), tf.ragged.constant([[5]])).shape == (1, 8)
    # Batch sizes known while tracing fail at once.
    with pytest.raises(ValueError, match=r"batch sizes \[2, 1\]"):
        tf.function(lambda a, b: packer((a, b)))(
            tf.ragged.constant([[3], [4]]), tf.ragged.constant([[5]])
        )


def test_packer_sequence_length_holds_a_token_per_segment():
    with pytest.raises(ValueError, match="sequence_length"):
        MultiSegmentPacker(sequence_length=2, start_value=1, end_value=2)
    packer = MultiSegmentPacker(sequence_length=4, start_value=1, end_value=2)
    assert packer([[7, 8, 9]])["token_ids"].numpy().tolist() == [[1, 7, 8, 2]]
    with pytest.raises(ValueError, match="sequence_length >= 5"):
        packer(([[7]], [[8]]))
