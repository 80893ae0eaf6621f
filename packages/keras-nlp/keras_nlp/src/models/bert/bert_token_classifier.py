# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Token classification (named-entity recognition, tagging) with BERT."""

from keras_core import api_export
from keras_nlp.src.models.bert import bert_presets
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.token_classifier import TokenClassifier
from keras_nlp.src.models.token_classifier import TokenClassifierPreprocessor

RFC = "20261122-keras-nlp-span-and-token-tasks"


@api_export(
    "keras_nlp.models.BertTokenClassifierPreprocessor", stability="stable", rfc=RFC
)
class BertTokenClassifierPreprocessor(TokenClassifierPreprocessor):
    """Turns sentences of words, and word-level tags, into BERT inputs.

    Every word is split into WordPiece tokens and the sentence is packed as
    `[CLS] pieces [SEP]` (cut to `sequence_length`; words that no longer fit
    are dropped). A word's tag goes to its first piece; continuation pieces,
    `[CLS]`, `[SEP]` and padding get tag 0 with sample weight 0, so they are
    ignored by the loss and by weighted metrics. A word the tokenizer turns
    into nothing (only control characters) becomes one `[UNK]` so that every
    word keeps a position.

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]`, `[PAD]` and
            `[UNK]`.
        sequence_length: int. Length of the packed inputs.

    Call arguments:
        x: sentences as lists of words (a list of lists of str or a ragged
            `tf.string` tensor), or raw sentences (split on whitespace).
        y: optional tag ids, one per word (a list of lists of int or a
            ragged int tensor).
        sample_weight: optional per-sentence weights.

    Returns:
        The encoder inputs `{"input_ids", "input_mask", "input_type_ids"}`;
        with `y`, `(x, tags, weights)` of shape `(batch_size,
        sequence_length)` where `weights` is 1 on first pieces.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "love", "##lace",
    ...          "wrote"]
    >>> preprocessor = keras_nlp.models.BertTokenClassifierPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=7)
    >>> x, y, w = preprocessor([["Ada", "Lovelace", "wrote"]], [[1, 2, 0]])
    >>> x["input_ids"].numpy().tolist()
    [[2, 4, 5, 6, 7, 3, 0]]
    >>> y.numpy().tolist(), w.numpy().tolist()
    ([[0, 1, 2, 0, 0, 0, 0]], [[0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0]])
    """

    model_input_names = ("input_ids", "input_mask", "input_type_ids")


@api_export("keras_nlp.models.BertTokenClassifier", stability="stable", rfc=RFC)
class BertTokenClassifier(TokenClassifier):
    """A BERT encoder with a per-token classification head (NER, tagging).

    A dense layer gives `num_classes` logits for every token of the
    sequence output. Training uses word-level tags: the preprocessor puts
    each word's tag on its first WordPiece and gives the other pieces
    sample weight 0. `predict_tags` (and the SavedModel of `export`) map
    the predictions back to words, reading each word's first piece.
    Compiled at construction: AdamW 5e-5, sparse cross-entropy on logits,
    accuracy over first pieces (a weighted metric).

    Reference: [Devlin et al., 2019](https://arxiv.org/abs/1810.04805),
    section 4.3 (CoNLL-2003 NER).

    Args:
        encoder: a `keras_nlp.encoders.BertEncoder`.
        num_classes: int >= 2. Number of tags.
        preprocessor: a `BertTokenClassifierPreprocessor` or None.
        label_names: list of str or None. The name of every tag id (e.g.
            `["O", "B-PER", "I-PER"]`); lets `fit` take string tags and
            `predict_tags`/`export` return them.
        dropout: float. Dropout rate before the head.

    Call arguments:
        inputs: a dict `{"input_ids", "input_mask", "input_type_ids"}`.

    Returns:
        Logits `(batch_size, sequence_length, num_classes)`.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "wrote", "code"]
    >>> preprocessor = keras_nlp.models.BertTokenClassifierPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> tagger = keras_nlp.models.BertTokenClassifier(
    ...     encoder, 2, preprocessor, label_names=["O", "B-PER"])
    >>> history = tagger.fit([["Ada", "wrote", "code"]], [["B-PER", "O", "O"]], verbose=0)
    >>> len(tagger.predict_tags([["Ada", "wrote"]])[0])
    2
    """

    backbone_cls = BertEncoder
    preprocessor_cls = BertTokenClassifierPreprocessor
    presets = bert_presets.BERT_PRESETS
    hub_presets = bert_presets.HUB_PRESETS
