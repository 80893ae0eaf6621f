# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ALBERT preprocessors and tasks: the generic ones on `AlbertEncoder` and
`AlbertTokenizer`."""

from keras_core import api_export
from keras_nlp.src.models.albert import albert_presets
from keras_nlp.src.models.albert.albert_encoder import AlbertEncoder
from keras_nlp.src.models.albert.albert_tokenizer import AlbertTokenizer
from keras_nlp.src.models.masked_language_model import MaskedLanguageModel
from keras_nlp.src.models.masked_language_model import MaskedLanguageModelPreprocessor
from keras_nlp.src.models.span_labeler import SpanLabeler
from keras_nlp.src.models.span_labeler import SpanLabelerPreprocessor
from keras_nlp.src.models.text_classifier import TextClassifier
from keras_nlp.src.models.text_classifier import TextClassifierPreprocessor
from keras_nlp.src.models.token_classifier import TokenClassifier
from keras_nlp.src.models.token_classifier import TokenClassifierPreprocessor

_PRESETS = albert_presets.ALBERT_PRESETS
_HUB = albert_presets.HUB_PRESETS
_SPECIAL = ("[CLS]", "[SEP]", "<pad>")


@api_export("keras_nlp.models.AlbertPreprocessor", stability="experimental")
class AlbertPreprocessor(TextClassifierPreprocessor):
    """Turns raw strings or string pairs into `AlbertEncoder` inputs.

    Tokenizes with an `AlbertTokenizer` and packs `[CLS] a [SEP] (b
    [SEP])`, padding with `<pad>`, as `transformers`' ALBERT tokenizer
    frames inputs; returns `input_ids`, `input_mask` and `input_type_ids`.

    Args:
        tokenizer: a `keras_nlp.tokenizers.AlbertTokenizer`.
        sequence_length: int. Length of the packed inputs (>= 3).
        truncate: `"round_robin"` or `"waterfall"`.

    Example:

    >>> import io, sentencepiece
    >>> model = io.BytesIO()
    >>> sentencepiece.SentencePieceTrainer.train(
    ...     sentence_iterator=iter(["a good film", "a bad film"] * 20),
    ...     model_writer=model, vocab_size=20, pad_id=0, unk_id=1, bos_id=-1,
    ...     eos_id=-1, control_symbols=["[CLS]", "[SEP]", "[MASK]"],
    ...     hard_vocab_limit=False, minloglevel=2)
    >>> preprocessor = keras_nlp.models.AlbertPreprocessor(
    ...     keras_nlp.tokenizers.AlbertTokenizer(model.getvalue()),
    ...     sequence_length=12)
    >>> ids = preprocessor(["a good film"])["input_ids"].numpy()[0]
    >>> int(ids[0]), int(ids[-1])  # [CLS] ... <pad>
    (2, 0)
    """

    tokenizer_cls = AlbertTokenizer
    special_tokens = _SPECIAL


@api_export("keras_nlp.models.AlbertMaskedLMPreprocessor", stability="experimental")
class AlbertMaskedLMPreprocessor(MaskedLanguageModelPreprocessor):
    """Raw text to masked-language-model examples for ALBERT.

    `MaskedLanguageModelPreprocessor` with an `AlbertTokenizer` (`[MASK]`
    replaces the chosen tokens).

    Args:
        tokenizer: a `keras_nlp.tokenizers.AlbertTokenizer`.
        sequence_length: int. Length of the packed inputs.
        truncate: `"round_robin"` or `"waterfall"`.
        mask_selection_rate: float. Fraction of tokens to predict.
        mask_selection_length: int. Maximum predictions per sequence.
        mask_token_rate: float. Share of chosen tokens replaced by `[MASK]`.
        random_token_rate: float. Share replaced by a random token.
        seed: int or None. Seed of the masking.

    Example:

    >>> import io, sentencepiece
    >>> model = io.BytesIO()
    >>> sentencepiece.SentencePieceTrainer.train(
    ...     sentence_iterator=iter(["who ran ? ada ran", "a good film"] * 20),
    ...     model_writer=model, vocab_size=24, pad_id=0, unk_id=1, bos_id=-1,
    ...     eos_id=-1, control_symbols=["[CLS]", "[SEP]", "[MASK]"],
    ...     hard_vocab_limit=False, minloglevel=2)
    >>> tokenizer = keras_nlp.tokenizers.AlbertTokenizer(model.getvalue())
    >>> preprocessor = keras_nlp.models.AlbertMaskedLMPreprocessor(
    ...     tokenizer, sequence_length=8, mask_selection_length=2, seed=1)
    >>> x, y, w = preprocessor(["a good film"])
    >>> y.shape
    TensorShape([1, 2])
    """

    tokenizer_cls = AlbertTokenizer
    special_tokens = _SPECIAL + ("[MASK]",)


@api_export("keras_nlp.models.AlbertSpanLabelerPreprocessor", stability="experimental")
class AlbertSpanLabelerPreprocessor(SpanLabelerPreprocessor):
    """Packs questions and contexts into windows for ALBERT QA.

    `SpanLabelerPreprocessor` with an `AlbertTokenizer`: windows
    `[CLS] question [SEP] context piece [SEP]`, padded with `<pad>`; the
    context is tokenized with `tokenize_with_offsets`, so answers are cut
    from the raw text (`answer_start` counts characters of the context).

    Args:
        tokenizer: a `keras_nlp.tokenizers.AlbertTokenizer`.
        sequence_length: int. Tokens per window.
        doc_stride: int. Tokens between the starts of consecutive windows.
        max_question_length: int. Questions are cut to this many tokens.

    Example:

    >>> import io, sentencepiece
    >>> model = io.BytesIO()
    >>> sentencepiece.SentencePieceTrainer.train(
    ...     sentence_iterator=iter(["who ran", "ada ran"] * 20),
    ...     model_writer=model, vocab_size=20, pad_id=0, unk_id=1, bos_id=-1,
    ...     eos_id=-1, control_symbols=["[CLS]", "[SEP]", "[MASK]"],
    ...     hard_vocab_limit=False, minloglevel=2)
    >>> preprocessor = keras_nlp.models.AlbertSpanLabelerPreprocessor(
    ...     keras_nlp.tokenizers.AlbertTokenizer(model.getvalue()),
    ...     sequence_length=12, max_question_length=4)
    >>> x, y = preprocessor(("Who ran?", "Ada ran"), ([0], ["Ada"]))
    >>> int(y["start"][0]) > 0
    True
    """

    tokenizer_cls = AlbertTokenizer
    special_tokens = _SPECIAL


@api_export(
    "keras_nlp.models.AlbertTokenClassifierPreprocessor", stability="experimental"
)
class AlbertTokenClassifierPreprocessor(TokenClassifierPreprocessor):
    """Turns sentences of words, and word-level tags, into ALBERT inputs.

    `TokenClassifierPreprocessor` with an `AlbertTokenizer` (each word is
    tokenized on its own, so it starts with "▁").

    Args:
        tokenizer: a `keras_nlp.tokenizers.AlbertTokenizer`.
        sequence_length: int. Length of the packed inputs.

    Example:

    >>> import io, sentencepiece
    >>> model = io.BytesIO()
    >>> sentencepiece.SentencePieceTrainer.train(
    ...     sentence_iterator=iter(["who ran ? ada ran", "a good film"] * 20),
    ...     model_writer=model, vocab_size=24, pad_id=0, unk_id=1, bos_id=-1,
    ...     eos_id=-1, control_symbols=["[CLS]", "[SEP]", "[MASK]"],
    ...     hard_vocab_limit=False, minloglevel=2)
    >>> tokenizer = keras_nlp.tokenizers.AlbertTokenizer(model.getvalue())
    >>> preprocessor = keras_nlp.models.AlbertTokenClassifierPreprocessor(
    ...     tokenizer, sequence_length=8)
    >>> sorted(preprocessor([["ada", "ran"]]))
    ['input_ids', 'input_mask', 'input_type_ids']
    """

    tokenizer_cls = AlbertTokenizer
    special_tokens = _SPECIAL + ("<unk>",)


@api_export("keras_nlp.models.AlbertClassifier", stability="experimental")
class AlbertClassifier(TextClassifier):
    """An ALBERT encoder with a classification head, trained from raw text.

    `TextClassifier` on `AlbertEncoder`: dropout and a dense layer on the
    pooled output, as `transformers`' `AlbertForSequenceClassification`.

    Args:
        encoder: a `keras_nlp.encoders.AlbertEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: an `AlbertPreprocessor` or None.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.AlbertEncoder(
    ...     vocab_size=20, hidden_size=16, num_layers=2, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8, embedding_width=8)
    >>> keras_nlp.models.AlbertClassifier(encoder, 3).output_shape
    (None, 3)
    """

    backbone_cls = AlbertEncoder
    preprocessor_cls = AlbertPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.AlbertMaskedLM", stability="experimental")
class AlbertMaskedLM(MaskedLanguageModel):
    """ALBERT with its masked-language-model head, from raw text.

    `MaskedLanguageModel` on `AlbertEncoder`: the head maps the hidden size
    down to the embedding width (dense, activation, layer normalization)
    and scores every token with the tied word embeddings plus a bias, as
    `transformers`' `AlbertForMaskedLM`.

    Args:
        encoder: a `keras_nlp.encoders.AlbertEncoder`.
        preprocessor: an `AlbertMaskedLMPreprocessor` or None.

    Example:

    >>> encoder = keras_nlp.encoders.AlbertEncoder(
    ...     vocab_size=20, hidden_size=16, num_layers=2, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8, embedding_width=8)
    >>> masked_lm = keras_nlp.models.AlbertMaskedLM(encoder)
    >>> isinstance(masked_lm, keras_nlp.models.MaskedLanguageModel)
    True
    """

    backbone_cls = AlbertEncoder
    preprocessor_cls = AlbertMaskedLMPreprocessor
    presets = _PRESETS


@api_export("keras_nlp.models.AlbertSpanLabeler", stability="experimental")
class AlbertSpanLabeler(SpanLabeler):
    """ALBERT for extractive question answering.

    `SpanLabeler` on `AlbertEncoder`: a dense layer with 2 outputs (start
    and end logits) on the sequence output, as `transformers`'
    `AlbertForQuestionAnswering`, with positions outside the context masked.
    With an `AlbertSpanLabelerPreprocessor` it answers from raw text (the
    tokenizer's offsets cut answers from the context).

    Args:
        encoder: a `keras_nlp.encoders.AlbertEncoder`.
        preprocessor: an `AlbertSpanLabelerPreprocessor` or None.
        max_answer_length: int. Longest answer, in tokens.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.AlbertEncoder(
    ...     vocab_size=20, hidden_size=16, num_layers=2, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8, embedding_width=8)
    >>> sorted(keras_nlp.models.AlbertSpanLabeler(encoder).output_names)
    ['end', 'start']
    """

    backbone_cls = AlbertEncoder
    preprocessor_cls = AlbertSpanLabelerPreprocessor
    presets = _PRESETS
    hub_presets = _HUB


@api_export("keras_nlp.models.AlbertTokenClassifier", stability="experimental")
class AlbertTokenClassifier(TokenClassifier):
    """ALBERT for token classification (named entities, tagging).

    `TokenClassifier` on `AlbertEncoder`: dropout and a dense layer on
    every token, as `transformers`' `AlbertForTokenClassification`.

    Args:
        encoder: a `keras_nlp.encoders.AlbertEncoder`.
        num_classes: int >= 2. Number of tags.
        preprocessor: an `AlbertTokenClassifierPreprocessor` or None.
        label_names: list of str or None. The name of every tag id.
        dropout: float. Dropout rate before the head.

    Example:

    >>> encoder = keras_nlp.encoders.AlbertEncoder(
    ...     vocab_size=20, hidden_size=16, num_layers=2, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8, embedding_width=8)
    >>> keras_nlp.models.AlbertTokenClassifier(encoder, 3).output_shape
    (None, None, 3)
    """

    backbone_cls = AlbertEncoder
    preprocessor_cls = AlbertTokenClassifierPreprocessor
    presets = _PRESETS
    hub_presets = _HUB
