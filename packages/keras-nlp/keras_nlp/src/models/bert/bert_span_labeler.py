# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Extractive question answering (SQuAD-style span labelling) with BERT."""

from keras_core import api_export
from keras_nlp.src.models.bert import bert_presets
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.span_labeler import SpanLabeler
from keras_nlp.src.models.span_labeler import SpanLabelerPreprocessor
from keras_nlp.src.models.span_labeler import best_spans  # noqa: F401

RFC = "20261122-keras-nlp-span-and-token-tasks"


@api_export("keras_nlp.models.BertSpanLabelerPreprocessor", stability="stable", rfc=RFC)
class BertSpanLabelerPreprocessor(SpanLabelerPreprocessor):
    """Packs questions and contexts into windows for extractive QA.

    Each `(question, context)` pair becomes one or more windows
    `[CLS] question [SEP] context piece [SEP]` of `sequence_length` tokens:
    the question is cut to `max_question_length` tokens, and a context too
    long for one window is covered by several windows whose starts are
    `doc_stride` tokens apart (so they overlap), as in BERT's SQuAD recipe.
    The context is tokenized with offsets (`WordPieceTokenizer.
    tokenize_with_offsets`), so every context token knows the bytes of the
    original context it came from, and answers are cut from the original
    text, case and accents included.

    With labels (`answer_start`, the character offset of the answer in the
    context, and `answer_text`), every window gets the token positions of
    the answer's first and last tokens, or position 0 (`[CLS]`) when the
    window does not contain the whole answer.

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]` and `[PAD]`.
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows of
            one context.
        max_question_length: int. Questions are cut to this many tokens.

    Call arguments:
        x: a pair `(questions, contexts)` of strings or string batches (or a
            dict with keys `question` and `context`).
        y: optional labels, `{"answer_start": ..., "answer_text": ...}`.
        sample_weight: optional per-example weights, repeated per window.

    Returns:
        The encoder inputs `{"input_ids", "input_mask", "input_type_ids"}`
        of shape `(num_windows, sequence_length)`; with `y`, a tuple
        `(x, {"start": ..., "end": ...}[, sample_weight])` of token
        positions. `windows()` also returns the window-to-example index and
        the token offsets.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada",
    ...          "home", "."]
    >>> preprocessor = keras_nlp.models.BertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=10,
    ...     doc_stride=2, max_question_length=4)
    >>> x, y = preprocessor((["Who ran?"], ["Ada ran home."]),
    ...                     {"answer_start": [0], "answer_text": ["Ada"]})
    >>> x["input_ids"].numpy().tolist()
    [[2, 4, 5, 6, 3, 7, 5, 8, 9, 3]]
    >>> int(y["start"][0]), int(y["end"][0])
    (5, 5)
    """

    model_input_names = ("input_ids", "input_mask", "input_type_ids")


@api_export("keras_nlp.models.BertSpanLabeler", stability="stable", rfc=RFC)
class BertSpanLabeler(SpanLabeler):
    """A BERT encoder with a span head for extractive question answering.

    Predicts, for every token of a `[CLS] question [SEP] context [SEP]`
    window, the logits of the answer starting and ending there (a dense
    layer with 2 outputs on the sequence output, as in BERT's SQuAD model).
    Tokens outside the context get -1e9 except `[CLS]`, the "no answer in
    this window" position used in training. `predict_answers` (and the
    SavedModel of `export`) turns logits into answers: the best span
    `start <= end < start + max_answer_length` over all windows of an
    example, cut from the original context through the token offsets.

    With a `preprocessor`, `fit` and `evaluate` take `((questions,
    contexts), {"answer_start": ..., "answer_text": ...})` as lists or
    `tf.data` datasets; windows without the answer learn to point at
    `[CLS]`. The model is compiled at construction (AdamW 5e-5, sparse
    cross-entropy on the start and the end logits).

    Reference: [Devlin et al., 2019](https://arxiv.org/abs/1810.04805),
    [Rajpurkar et al., 2016](https://arxiv.org/abs/1606.05250).

    Args:
        encoder: a `keras_nlp.encoders.BertEncoder`.
        preprocessor: a `BertSpanLabelerPreprocessor` or None.
        max_answer_length: int. Longest answer, in tokens, `predict_answers`
            and `export` return.
        dropout: float. Dropout rate before the head.

    Call arguments:
        inputs: a dict `{"input_ids", "input_mask", "input_type_ids"}` of
            int32 `(num_windows, sequence_length)`.

    Returns:
        `{"start": ..., "end": ...}`, float32 logits
        `(num_windows, sequence_length)`.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "who", "ran", "?", "ada",
    ...          "home", "."]
    >>> preprocessor = keras_nlp.models.BertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=12,
    ...     max_question_length=4)
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=12)
    >>> labeler = keras_nlp.models.BertSpanLabeler(encoder, preprocessor)
    >>> answers = labeler.predict_answers(["Who ran?"], ["Ada ran home."])
    >>> sorted(answers[0])
    ['end', 'score', 'start', 'text']
    """

    backbone_cls = BertEncoder
    preprocessor_cls = BertSpanLabelerPreprocessor
    presets = bert_presets.BERT_PRESETS
    hub_presets = bert_presets.HUB_PRESETS
