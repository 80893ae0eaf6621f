# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Extractive question answering (SQuAD-style span labelling), for any family."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.models.preprocessor import Preprocessor
from keras_nlp.src.models.task import Task
from keras_nlp.src.models.task import dense_head
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor

_NEG = -1e9


def _string_batch(x, what):
    strings, unbatched = to_string_tensor(x, what)
    if unbatched:
        strings = tf.expand_dims(strings, 0)
    return strings


def _question_context(x):
    if isinstance(x, dict):
        if "question" in x and "context" in x:
            return x["question"], x["context"]
        raise ValueError(
            "A dict input must have the keys 'question' and 'context'. "
            f"Received keys {sorted(x)}."
        )
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            "Question answering inputs are a pair `(questions, contexts)` (two "
            f"strings or two batches of strings). Received: {type(x).__name__}"
            + (f" of length {len(x)}." if hasattr(x, "__len__") else ".")
        )
    return x[0], x[1]


def _answer_labels(y):
    """`y` as `(answer_start, answer_text)`: character offset and string."""
    if isinstance(y, dict):
        missing = {"answer_start", "answer_text"} - set(y)
        if missing:
            raise ValueError(
                "Span labels are a dict with 'answer_start' (character offset "
                "of the answer in the context) and 'answer_text'. Missing: "
                f"{sorted(missing)}; received keys {sorted(y)}."
            )
        return y["answer_start"], y["answer_text"]
    if isinstance(y, (tuple, list)) and len(y) == 2:
        return y[0], y[1]
    raise ValueError(
        "Span labels are `{'answer_start': ..., 'answer_text': ...}` or a pair "
        f"`(answer_start, answer_text)`. Received: {type(y).__name__}."
    )


def check_answer_spans(contexts, starts, texts):
    """Eager check of answer labels; raises ValueError on the first bad one."""
    for index, (context, start, text) in enumerate(zip(contexts, starts, texts)):
        context = context.decode("utf-8") if isinstance(context, bytes) else context
        text = str(text.decode("utf-8") if isinstance(text, bytes) else text)
        context = str(context)
        start = int(start)
        end = start + len(text)
        if start < 0 or end > len(context):
            raise ValueError(
                f"Example {index}: the answer span [{start}, {end}) lies outside "
                f"the context of {len(context)} characters (answer_start="
                f"{start}, answer_text={text!r}). `answer_start` is a character "
                "offset into the context; fix or drop the example."
            )
        if context[start:end] != text:
            raise ValueError(
                f"Example {index}: the context at [{start}, {end}) reads "
                f"{context[start:end]!r}, not the answer_text {text!r}. "
                "`answer_start` must be the character offset of the answer "
                "in the context."
            )


@api_export("keras_nlp.models.SpanLabelerPreprocessor", stability="experimental")
class SpanLabelerPreprocessor(Preprocessor):
    """Packs questions and contexts into windows for extractive QA.

    The generic span-labelling preprocessor of every family
    (`BertSpanLabelerPreprocessor`, `DistilBertSpanLabelerPreprocessor`).
    Each `(question, context)` pair becomes one or more windows
    `[CLS] question [SEP] context piece [SEP]` of `sequence_length` tokens:
    the question is cut to `max_question_length` tokens, and a context too
    long for one window is covered by several windows whose starts are
    `doc_stride` tokens apart (so they overlap). The context is tokenized
    with offsets, so answers are cut from the original text. With labels
    (`answer_start`, the character offset of the answer in the context, and
    `answer_text`), every window gets the token positions of the answer's
    first and last tokens, or position 0 (`[CLS]`) when the window does
    not contain the whole answer. `input_type_ids` (1 on context tokens) is
    always returned: the span labeler uses it to restrict answers to the
    context, also for families whose backbone takes no segment ids.

    Args:
        tokenizer: a tokenizer of the family with `[CLS]`, `[SEP]`, `[PAD]`.
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows of
            one context.
        max_question_length: int. Questions are cut to this many tokens.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada"]
    >>> preprocessor = keras_nlp.models.DistilBertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     max_question_length=3)
    >>> preprocessor((["Who ran?"], ["Ada ran"]))["input_ids"].numpy().tolist()
    [[2, 4, 5, 6, 3, 7, 5, 3]]
    """

    def __init__(
        self,
        tokenizer,
        sequence_length=384,
        doc_stride=128,
        max_question_length=64,
        **kwargs,
    ):
        super().__init__(tokenizer, **kwargs)
        for name, value in (
            ("sequence_length", sequence_length),
            ("doc_stride", doc_stride),
            ("max_question_length", max_question_length),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"`{name}` must be a positive int. Received: {name}={value!r}."
                )
        if sequence_length - self._special_count() - max_question_length < 1:
            raise ValueError(
                f"sequence_length={sequence_length} leaves no room for the "
                f"context after a question of up to max_question_length="
                f"{max_question_length} tokens and {self._special_count()} "
                "special tokens. Increase "
                "`sequence_length` or decrease `max_question_length`."
            )
        self.sequence_length = sequence_length
        self.doc_stride = doc_stride
        self.max_question_length = max_question_length

    def _special_count(self):
        """Start, separators and end tokens around question and context."""
        return 2 + self.pair_separator_count

    def windows(self, x, y=None):
        """All windows of a batch, with the bookkeeping answers need.

        Args:
            x: `(questions, contexts)`, as for `call`.
            y: optional labels, as for `call`.

        Returns:
            A dict of tensors with one row per window: the encoder inputs,
            `example_index` (the example a window comes from),
            `token_starts` and `token_ends` (int64 byte offsets of each token
            in its context, -1 for tokens outside the context) and, with `y`,
            `start` and `end` label positions.
        """
        questions, contexts = _question_context(x)
        questions = _string_batch(questions, "questions")
        contexts = _string_batch(contexts, "contexts")
        tokenizer = self.tokenizer
        q_ids = tokenizer.tokenize(questions)[:, : self.max_question_length]
        c_ids, c_starts, c_ends = tokenizer.tokenize_with_offsets(contexts)
        q_ids = tf.cast(q_ids, tf.int32)
        c_ids = tf.cast(c_ids, tf.int32)
        q_len = q_ids.row_lengths()
        n = c_ids.row_lengths()
        budget = self.sequence_length - self._special_count() - q_len
        stride = tf.constant(self.doc_stride, tf.int64)
        num_windows = tf.where(
            n > budget, 1 + (n - budget + stride - 1) // stride, tf.ones_like(n)
        )
        windows = tf.ragged.range(num_windows)
        example_index = windows.value_rowids()
        start = windows.flat_values * stride
        length = tf.minimum(
            tf.gather(budget, example_index), tf.gather(n, example_index) - start
        )
        length = tf.maximum(length, 0)
        first = tf.gather(c_ids.row_starts(), example_index) + start
        positions = tf.ragged.range(first, first + length)
        win_ids = tf.gather(c_ids.flat_values, positions)
        win_starts = tf.gather(c_starts.flat_values, positions)
        win_ends = tf.gather(c_ends.flat_values, positions)
        win_q = tf.gather(q_ids, example_index)
        count = tf.shape(example_index, out_type=tf.int64)[0]

        def column(value, dtype):
            return tf.RaggedTensor.from_tensor(
                tf.fill([count, 1], tf.cast(value, dtype))
            )

        cls = column(self.special_token_id(tokenizer, "cls"), tf.int32)
        sep = column(self.special_token_id(tokenizer, "sep"), tf.int32)
        seps = self.pair_separator_count
        ids = tf.concat([cls, win_q] + [sep] * seps + [win_ids, sep], axis=1)
        shape = [None, self.sequence_length]
        q_part = win_q.with_flat_values(tf.zeros_like(win_q.flat_values, tf.int64) - 1)
        none = column(-1, tf.int64)
        token_starts = tf.concat(
            [none, q_part] + [none] * seps + [win_starts, none], axis=1
        )
        token_ends = tf.concat(
            [none, q_part] + [none] * seps + [win_ends, none], axis=1
        )
        q_types = win_q.with_flat_values(tf.zeros_like(win_q.flat_values))
        c_types = win_ids.with_flat_values(tf.ones_like(win_ids.flat_values))
        types = tf.concat(
            [
                column(0, tf.int32),
                q_types,
            ]
            + [column(0, tf.int32)] * seps
            + [
                c_types,
                column(1, tf.int32),
            ],
            axis=1,
        )
        out = {
            "input_ids": ids.to_tensor(
                default_value=self.special_token_id(tokenizer, "pad"), shape=shape
            ),
            "input_mask": tf.ones_like(ids).to_tensor(shape=shape),
            "input_type_ids": types.to_tensor(shape=shape),
            "example_index": example_index,
            "token_starts": token_starts.to_tensor(default_value=-1, shape=shape),
            "token_ends": token_ends.to_tensor(default_value=-1, shape=shape),
        }
        if y is not None:
            out.update(self._label_positions(contexts, y, out))
        return out

    def _label_positions(self, contexts, y, out):
        answer_start, answer_text = _answer_labels(y)
        answer_start = tf.cast(tf.reshape(answer_start, [-1]), tf.int64)
        answer_text = tf.reshape(_string_batch(answer_text, "answer_text"), [-1])
        char_length = tf.cast(tf.strings.length(contexts, unit="UTF8_CHAR"), tf.int64)
        answer_length = tf.cast(
            tf.strings.length(answer_text, unit="UTF8_CHAR"), tf.int64
        )
        message = (
            "The answer span (answer_start + length of answer_text, in "
            "characters) lies outside the context"
        )
        checks = [
            tf.debugging.assert_non_negative(answer_start, message=message),
            tf.debugging.assert_less_equal(
                answer_start + answer_length, char_length, message=message
            ),
        ]
        with tf.control_dependencies(checks):
            prefix = tf.strings.substr(
                contexts, tf.zeros_like(answer_start), answer_start, unit="UTF8_CHAR"
            )
        byte_start = tf.cast(tf.strings.length(prefix), tf.int64)
        byte_end = byte_start + tf.cast(tf.strings.length(answer_text), tf.int64)
        a_start = tf.gather(byte_start, out["example_index"])[:, None]
        a_end = tf.gather(byte_end, out["example_index"])[:, None]
        starts, ends = out["token_starts"], out["token_ends"]
        in_context = starts >= 0
        big = tf.constant(2**62, tf.int64)
        window_first = tf.reduce_min(tf.where(in_context, starts, big), axis=1)
        window_last = tf.reduce_max(tf.where(in_context, ends, -big), axis=1)
        contained = (window_first <= a_start[:, 0]) & (window_last >= a_end[:, 0])
        overlap_start = in_context & (ends > a_start)
        overlap_end = in_context & (starts < a_end)
        contained &= tf.reduce_any(overlap_start & overlap_end, axis=1)
        first = tf.argmax(
            tf.cast(overlap_start, tf.int32), axis=1, output_type=tf.int32
        )
        reverse = tf.reverse(tf.cast(overlap_end, tf.int32), axis=[1])
        last = (
            self.sequence_length - 1 - tf.argmax(reverse, axis=1, output_type=tf.int32)
        )
        zero = tf.zeros_like(first)
        return {
            "start": tf.where(contained, first, zero),
            "end": tf.where(contained, last, zero),
        }

    def call(self, x, y=None, sample_weight=None):
        out = self.windows(x, y)
        inputs = self.model_inputs(out)
        if y is None:
            return inputs
        labels = {"start": out["start"], "end": out["end"]}
        if sample_weight is not None:
            sample_weight = tf.gather(
                tf.reshape(sample_weight, [-1]), out["example_index"]
            )
        return keras.utils.pack_x_y_sample_weight(inputs, labels, sample_weight)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "sequence_length": self.sequence_length,
                "doc_stride": self.doc_stride,
                "max_question_length": self.max_question_length,
            }
        )
        return config


def best_spans(
    start_logits,
    end_logits,
    token_starts,
    example_index,
    num_examples,
    max_answer_length,
):
    """Best answer span of every example over all of its windows.

    Scores spans `i <= j < i + max_answer_length` of context tokens as
    `start_logits[i] + end_logits[j]`, takes the best per window, then the
    best window per example. Returns `(window, i, j, score)` per example;
    examples without context tokens get score -inf.
    """
    length = tf.shape(start_logits)[1]
    in_context = token_starts >= 0
    scores = start_logits[:, :, None] + end_logits[:, None, :]
    i = tf.range(length)[:, None]
    j = tf.range(length)[None, :]
    allowed = (j >= i) & (j - i < max_answer_length)
    allowed = allowed[None] & in_context[:, :, None] & in_context[:, None, :]
    neg_inf = tf.constant(-np.inf, scores.dtype)
    scores = tf.where(allowed, scores, neg_inf)
    flat = tf.reshape(scores, [tf.shape(scores)[0], -1])
    best = tf.argmax(flat, axis=1, output_type=tf.int32)
    window_score = tf.reduce_max(flat, axis=1)
    example_index = tf.cast(example_index, tf.int32)
    example_best = tf.math.unsorted_segment_max(
        window_score, example_index, num_examples
    )
    windows = tf.range(tf.shape(window_score)[0])
    is_best = tf.equal(window_score, tf.gather(example_best, example_index))
    candidate = tf.where(is_best, windows, tf.shape(window_score)[0])
    window = tf.math.unsorted_segment_min(candidate, example_index, num_examples)
    window = tf.minimum(window, tf.maximum(tf.shape(window_score)[0] - 1, 0))
    chosen = tf.gather(best, window)
    return window, chosen // length, chosen % length, example_best


@api_export("keras_nlp.models.SpanLabeler", stability="experimental")
class SpanLabeler(Task):
    """An encoder with a span head for extractive question answering.

    The generic span labeler of every family (`BertSpanLabeler`,
    `DistilBertSpanLabeler`, ...). It predicts, for every token of a
    `[CLS] question [SEP] context [SEP]` window, the logits of the answer
    starting and ending there (a dense layer with 2 outputs on the sequence
    output). Tokens outside the context get -1e9 except `[CLS]`, the "no
    answer in this window" position used in training. `predict_answers`
    (and the SavedModel of `export`) turns logits into answers: the best
    span `start <= end < start + max_answer_length` over all windows of an
    example, cut from the original context. The model also takes
    `input_type_ids` (1 on context tokens) to find the context, whether or
    not the backbone takes it.

    Args:
        encoder: the family's backbone.
        preprocessor: the family's span-labelling preprocessor or None.
        max_answer_length: int. Longest answer, in tokens, `predict_answers`
            and `export` return.
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada"]
    >>> preprocessor = keras_nlp.models.DistilBertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     max_question_length=3)
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> labeler = keras_nlp.models.DistilBertSpanLabeler(encoder, preprocessor)
    >>> sorted(labeler.predict_answers(["Who ran?"], ["Ada ran"])[0])
    ['end', 'score', 'start', 'text']
    """

    extra_input_names = ("input_mask", "input_type_ids")
    preset_sequence_length = 384
    preset_task_arguments = ("max_answer_length", "dropout")
    preset_preprocessor_arguments = ("doc_stride", "max_question_length")

    def __init__(
        self, encoder, preprocessor=None, max_answer_length=30, dropout=0.1, **kwargs
    ):
        self.check_family(encoder, preprocessor)
        if (
            isinstance(max_answer_length, bool)
            or not isinstance(max_answer_length, int)
            or max_answer_length < 1
        ):
            raise ValueError(
                "`max_answer_length` must be a positive int (tokens). "
                f"Received: max_answer_length={max_answer_length!r}."
            )
        inputs = self.backbone_inputs()
        sequence = self._backbone_call(encoder, inputs)["sequence_output"]
        logits = dense_head(sequence, 2, dropout, "span_logits", "span_dropout")
        ops = keras.ops
        positions = ops.cumsum(ops.ones_like(inputs["input_ids"]), axis=1) - 1
        allowed = ops.logical_or(
            ops.logical_and(
                ops.equal(inputs["input_type_ids"], 1),
                ops.equal(inputs["input_mask"], 1),
            ),
            ops.equal(positions, 0),
        )
        penalty = ops.where(allowed, 0.0, _NEG)
        start = keras.layers.Identity(name="start")(logits[..., 0] + penalty)
        end = keras.layers.Identity(name="end")(logits[..., 1] + penalty)
        super().__init__(inputs=inputs, outputs={"start": start, "end": end}, **kwargs)
        self.encoder = encoder
        self.preprocessor = preprocessor
        self.max_answer_length = max_answer_length
        self.dropout = dropout
        self._answer_fn = None
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.compile(
            optimizer=keras.optimizers.AdamW(5e-5),
            loss={"start": loss, "end": loss},
        )

    def _preprocess(
        self, x, y=None, sample_weight=None, batch_size=None, shuffle=False
    ):
        if (
            getattr(self, "preprocessor", None) is not None
            and y is not None
            and not isinstance(x, (dict, tf.data.Dataset))
        ):
            questions, contexts = _question_context(x)
            if isinstance(contexts, str):
                contexts = [contexts]
            starts, texts = _answer_labels(y)
            starts, texts = np.atleast_1d(starts), np.atleast_1d(texts)
            if len(starts) != len(contexts) or len(texts) != len(contexts):
                raise ValueError(
                    f"Got {len(contexts)} contexts but {len(starts)} "
                    f"answer_start and {len(texts)} answer_text labels. Pass "
                    "one answer per (question, context) pair."
                )
            check_answer_spans(list(np.asarray(contexts)), starts, texts)
            y = {"answer_start": starts.astype("int64"), "answer_text": list(texts)}
        return super()._preprocess(x, y, sample_weight, batch_size, shuffle)

    def _answers_graph(self, questions, contexts):
        windows = self.preprocessor.windows((questions, contexts))
        inputs = self.preprocessor.model_inputs(windows)
        outputs = self(inputs, training=False)
        num_examples = tf.shape(contexts)[0]
        window, i, j, score = best_spans(
            outputs["start"],
            outputs["end"],
            windows["token_starts"],
            windows["example_index"],
            num_examples,
            self.max_answer_length,
        )
        found = score > -np.inf
        index = tf.stack([window, i], axis=1)
        byte_start = tf.gather_nd(windows["token_starts"], index)
        byte_end = tf.gather_nd(windows["token_ends"], tf.stack([window, j], axis=1))
        byte_start = tf.where(found, byte_start, 0)
        byte_end = tf.where(found, byte_end, 0)
        text = tf.strings.substr(contexts, byte_start, byte_end - byte_start)
        prefix = tf.strings.substr(contexts, tf.zeros_like(byte_start), byte_start)
        char_start = tf.cast(tf.strings.length(prefix, unit="UTF8_CHAR"), tf.int64)
        char_end = char_start + tf.cast(
            tf.strings.length(text, unit="UTF8_CHAR"), tf.int64
        )
        return {"text": text, "start": char_start, "end": char_end, "score": score}

    def predict_answers(self, questions, contexts, batch_size=32):
        """Answers to questions, cut from their contexts.

        Args:
            questions: a str or a list of str.
            contexts: a str or a list of str, one per question.
            batch_size: int. Examples per batch.

        Returns:
            A list with one dict per example: `text` (the answer, as written
            in the context), `start` and `end` (its character offsets, `end`
            exclusive, so `context[start:end] == text`) and `score` (the sum
            of the start and end logits; -inf if the context is empty).
        """
        if self.preprocessor is None:
            raise ValueError(
                "`predict_answers` takes raw text, which needs a preprocessor. "
                "Build the model with "
                f"`preprocessor={self.preprocessor_cls.__name__}(...)`."
            )
        questions = _string_batch(questions, "questions")
        contexts = _string_batch(contexts, "contexts")
        if questions.shape[0] != contexts.shape[0]:
            raise ValueError(
                f"Got {questions.shape[0]} questions but {contexts.shape[0]} "
                "contexts. Pass one context per question."
            )
        if self._answer_fn is None:
            self._answer_fn = tf.function(
                self._answers_graph,
                input_signature=[tf.TensorSpec([None], tf.string)] * 2,
            )
        results = []
        for begin in range(0, int(questions.shape[0]), batch_size):
            out = self._answer_fn(
                questions[begin : begin + batch_size],
                contexts[begin : begin + batch_size],
            )
            for k in range(int(out["text"].shape[0])):
                results.append(
                    {
                        "text": out["text"][k].numpy().decode("utf-8"),
                        "start": int(out["start"][k]),
                        "end": int(out["end"][k]),
                        "score": float(out["score"][k]),
                    }
                )
        return results

    def serving_function(self):
        """Strings `question` and `context` to answers (see `export`)."""

        @tf.function(
            input_signature=[
                tf.TensorSpec([None], tf.string, name="question"),
                tf.TensorSpec([None], tf.string, name="context"),
            ]
        )
        def serve(question, context):
            return self._answers_graph(question, context)

        return serve

    def export(self, filepath):
        """Writes a SavedModel that answers questions from raw strings.

        The serving signature `serving_default` takes `question` and
        `context` (`tf.string` vectors) and returns `text` (the answers),
        `start` and `end` (character offsets in the context) and `score`,
        exactly as `predict_answers`. Load it with `tf.saved_model.load`
        after `import tensorflow_text`.

        Args:
            filepath: the directory to write.
        """
        super().export(filepath)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"max_answer_length": self.max_answer_length, "dropout": self.dropout}
        )
        return config
