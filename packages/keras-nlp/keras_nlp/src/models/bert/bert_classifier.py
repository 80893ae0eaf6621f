# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT sentence (and sentence-pair) classification from raw text."""

from keras_core import api_export
from keras_nlp.src.models.bert import bert_presets
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.text_classifier import TextClassifier
from keras_nlp.src.tokenizers.tokenizer import RFC


@api_export("keras_nlp.models.BertClassifier", stability="stable", rfc=RFC)
class BertClassifier(TextClassifier):
    """A BERT encoder with a classification head, trained from raw text.

    Classifies a sentence or a sentence pair from the `[CLS]` pooled output
    (dropout, then a dense layer giving `num_classes` logits). With a
    `preprocessor`, `fit`, `evaluate` and `predict` take raw strings, tuples
    of strings (pairs) or `tf.data.Dataset`s yielding `(text, label)`, and
    `export` writes a SavedModel whose signature takes strings and returns
    logits. The model is compiled with sensible defaults at construction
    (AdamW at 5e-5, sparse categorical cross-entropy on logits, accuracy);
    call `compile` again to change them.

    Since the head reads the `[CLS]` position only, the classifier calls its
    encoder with `output_range=1`: the last Transformer layer computes its
    keys and values at every position and everything else at `[CLS]`
    alone. The logits and gradients are those of the whole computation (to
    float32 rounding), the encoder passed in is unchanged and shared (its
    own calls still return every position), and saved files are as before
    (see `keras_nlp.models.TextClassifier`).

    Reference: [Devlin et al., 2019](https://arxiv.org/abs/1810.04805).

    Args:
        encoder: a `keras_nlp.encoders.BertEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: a `BertPreprocessor` or None (then the model takes the
            encoder's inputs, `input_ids`, `input_mask`, `input_type_ids`).
        dropout: float. Dropout rate before the head.

    Call arguments:
        inputs: a dict `{"input_ids", "input_mask", "input_type_ids"}` of
            int32 `(batch_size, sequence_length)`.

    Returns:
        Logits `(batch_size, num_classes)`.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "bad", "film"]
    >>> preprocessor = keras_nlp.models.BertPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> classifier = keras_nlp.models.BertClassifier(encoder, 2, preprocessor)
    >>> history = classifier.fit(["a good film", "a bad film"], [1, 0], verbose=0)
    >>> classifier.predict(["good film"], verbose=0).shape
    (1, 2)
    """

    backbone_cls = BertEncoder
    preprocessor_cls = BertPreprocessor
    #: Named pretrained presets: name -> {"source", "description"}. Each
    #: name loads with `from_preset(name, num_classes=...)`.
    presets = bert_presets.BERT_PRESETS
    hub_presets = bert_presets.HUB_PRESETS
