# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT masked-language-model pretraining from raw text."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.models.bert import bert_presets
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_legacy_names import BertTokenizer
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.masked_language_model import MaskedLanguageModel
from keras_nlp.src.models.masked_language_model import MaskedLanguageModelPreprocessor
from keras_nlp.src.tokenizers.tokenizer import RFC

# keras-nlp 0.15's names of the masked-LM inputs -> ours.
_OLD_KEYS = {
    "token_ids": "input_ids",
    "segment_ids": "input_type_ids",
    "padding_mask": "input_mask",
    "mask_positions": "masked_positions",
}


def _with_our_keys(x):
    """Model inputs under our names (0.15's names renamed; others kept)."""
    if not isinstance(x, dict) or not any(k in x for k in _OLD_KEYS):
        return x
    renamed = {_OLD_KEYS.get(k, k): v for k, v in x.items()}
    if "input_mask" in renamed:
        renamed["input_mask"] = keras.ops.cast(renamed["input_mask"], "int32")
    return renamed


@api_export("keras_nlp.models.BertMaskedLMPreprocessor", stability="stable", rfc=RFC)
class BertMaskedLMPreprocessor(MaskedLanguageModelPreprocessor, BertPreprocessor):
    """Raw text to masked-language-model training examples for BERT.

    Tokenizes and packs like `BertPreprocessor`, then masks tokens with a
    `MaskedLMMaskGenerator` (15% of the tokens by default, never `[CLS]`,
    `[SEP]` or padding; 80% `[MASK]`, 10% random, 10% unchanged). Masks are
    drawn anew every time, so every epoch sees different masks.

    Args:
        tokenizer: a `WordPieceTokenizer` with `[CLS]`, `[SEP]`, `[PAD]` and
            `[MASK]`.
        sequence_length: int. Length of the packed inputs.
        truncate: `"round_robin"` or `"waterfall"`.
        mask_selection_rate: float in [0, 1]. Fraction of tokens to
            predict (0 masks nothing: all weights 0).
        mask_selection_length: int. Maximum predictions per sequence.
        mask_token_rate: float. Share of chosen tokens replaced by `[MASK]`.
        random_token_rate: float. Share replaced by a random token.
        seed: int or None. Seed of the masking.

    Call arguments:
        x: a batch of strings (or a tuple of batches for pairs).
        y, sample_weight: must be None (the labels are the masked tokens).

    Returns:
        `(x, y, sample_weight)`: `x` holds the encoder inputs plus
        `masked_positions`; `y` the original ids there; `sample_weight` 1.0
        for real predictions and 0.0 for padding. With a tokenizer of the
        keras-nlp 0.15 class `keras_nlp.models.BertTokenizer` (0.15 code),
        `x` has 0.15's keys instead: `token_ids`, `segment_ids`,
        `padding_mask` and `mask_positions`; `BertMaskedLM` accepts both.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film"]
    >>> preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     mask_selection_length=2, seed=1)
    >>> x, y, w = preprocessor(["a good film"])
    >>> x["masked_positions"].shape, y.shape
    (TensorShape([1, 2]), TensorShape([1, 2]))
    """

    model_input_names = BertPreprocessor.model_input_names

    def call(self, x, y=None, sample_weight=None):
        inputs, mask_ids, mask_weights = super().call(x, y, sample_weight)
        if isinstance(self.tokenizer, BertTokenizer):
            # keras-nlp 0.15 code (its tokenizer class): 0.15's keys.
            inputs = {old: inputs[new] for old, new in _OLD_KEYS.items()}
        return inputs, mask_ids, mask_weights


@api_export("keras_nlp.models.BertMaskedLM", stability="stable", rfc=RFC)
class BertMaskedLM(MaskedLanguageModel):
    """BERT pretraining with a masked-language-model head, from raw text.

    A `BertEncoder` followed by `keras_nlp.layers.MaskedLM` tied to the
    encoder's token embeddings. With a `BertMaskedLMPreprocessor`, `fit`
    takes raw strings (or a `tf.data.Dataset` of strings) and masks them on
    the fly. Compiled at construction with AdamW (1e-4), sparse categorical
    cross-entropy on logits and a weighted accuracy over the real
    predictions. After pretraining, `BertClassifier(masked_lm.encoder, ...)`
    (or `BertClassifier.from_preset` on its preset) fine-tunes the encoder.

    Reference: [Devlin et al., 2019](https://arxiv.org/abs/1810.04805).

    Args:
        encoder: a `keras_nlp.encoders.BertEncoder`.
        preprocessor: a `BertMaskedLMPreprocessor` or None.

    Call arguments:
        inputs: a dict with `input_ids`, `input_mask`, `input_type_ids`
            `(batch_size, sequence_length)` and `masked_positions`
            `(batch_size, num_predictions)`.

    Returns:
        Logits `(batch_size, num_predictions, vocab_size)`.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film"]
    >>> preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     mask_selection_length=2)
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> masked_lm = keras_nlp.models.BertMaskedLM(encoder, preprocessor)
    >>> history = masked_lm.fit(["a good film"] * 4, verbose=0)
    """

    backbone_cls = BertEncoder
    preprocessor_cls = BertMaskedLMPreprocessor
    presets = bert_presets.BERT_PRESETS

    def _preprocess(
        self, x, y=None, sample_weight=None, batch_size=None, shuffle=False
    ):
        x, y, sample_weight, batch_size = super()._preprocess(
            _with_our_keys(x), y, sample_weight, batch_size, shuffle
        )
        if isinstance(x, tf.data.Dataset):
            # 0.15's keys (a 0.15 tokenizer, or a 0.15 pipeline) -> ours.
            x = x.map(
                lambda *args: (_with_our_keys(args[0]),) + args[1:],
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        return x, y, sample_weight, batch_size
