# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Raw strings (or string pairs) to BertEncoder inputs."""

from keras_core import api_export
from keras_nlp.src.models.preprocessor import as_segments  # noqa: F401 (0.x import path)
from keras_nlp.src.models.text_classifier import TextClassifierPreprocessor
from keras_nlp.src.tokenizers.tokenizer import RFC


@api_export("keras_nlp.models.BertPreprocessor", stability="stable", rfc=RFC)
class BertPreprocessor(TextClassifierPreprocessor):
    """Turns raw strings or string pairs into the inputs of `BertEncoder`.

    Tokenizes every segment with a `WordPieceTokenizer`, then packs them as
    `[CLS] a [SEP] (b [SEP])` with `MultiSegmentPacker`. Use it in a
    `tf.data` pipeline, or let `BertClassifier` apply it inside `fit`,
    `evaluate`, `predict` and the exported SavedModel.

    Args:
        tokenizer: a `WordPieceTokenizer` whose vocabulary holds `[CLS]`,
            `[SEP]` and `[PAD]`.
        sequence_length: int. Length of the packed inputs; at least 3
            (`[CLS]`, `[SEP]` and one token), 5 for sentence pairs.
        truncate: `"round_robin"` or `"waterfall"` (see `MultiSegmentPacker`).

    Call arguments:
        x: a batch of strings, one string, or a tuple of string batches
            (sentence pairs).
        y: optional labels, passed through.
        sample_weight: optional sample weights, passed through.

    Returns:
        `x` as a dict `{"input_ids", "input_mask", "input_type_ids"}` of
        int32 `(batch_size, sequence_length)`; with `y`/`sample_weight` a
        tuple `(x, y[, sample_weight])` as Keras' `fit` expects.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film"]
    >>> tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocab)
    >>> preprocessor = keras_nlp.models.BertPreprocessor(tokenizer, sequence_length=6)
    >>> preprocessor(["a good film"])["input_ids"].numpy().tolist()
    [[2, 5, 6, 7, 3, 0]]
    """

    model_input_names = ("input_ids", "input_mask", "input_type_ids")
