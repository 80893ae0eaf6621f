# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT masked-language-model pretraining from raw text."""

import keras

from keras_core import api_export
from keras_nlp.src.layers.masked_lm import MaskedLM
from keras_nlp.src.models.bert_classifier import bert_inputs
from keras_nlp.src.models.bert_classifier import check_encoder
from keras_nlp.src.models.bert_classifier import check_preprocessor
from keras_nlp.src.models.bert_classifier import task_config
from keras_nlp.src.models.bert_classifier import task_from_config
from keras_nlp.src.models.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.task import Task
from keras_nlp.src.preprocessing.masked_lm_mask_generator import MaskedLMMaskGenerator
from keras_nlp.src.tokenizers.tokenizer import RFC


@api_export("keras_nlp.models.BertMaskedLMPreprocessor", stability="stable", rfc=RFC)
class BertMaskedLMPreprocessor(BertPreprocessor):
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
        mask_selection_rate: float. Fraction of tokens to predict.
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
        for real predictions and 0.0 for padding.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film"]
    >>> preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8,
    ...     mask_selection_length=2, seed=1)
    >>> x, y, w = preprocessor(["a good film"])
    >>> x["masked_positions"].shape, y.shape
    (TensorShape([1, 2]), TensorShape([1, 2]))
    """

    def __init__(
        self,
        tokenizer,
        sequence_length=512,
        truncate="round_robin",
        mask_selection_rate=0.15,
        mask_selection_length=96,
        mask_token_rate=0.8,
        random_token_rate=0.1,
        seed=None,
        **kwargs,
    ):
        super().__init__(tokenizer, sequence_length, truncate, **kwargs)
        if tokenizer.mask_token_id is None:
            raise ValueError(
                "The tokenizer's vocabulary has no [MASK] token, which masked "
                "language modelling needs. Add it to the vocabulary."
            )
        specials = [
            i
            for i in (
                tokenizer.pad_token_id,
                tokenizer.cls_token_id,
                tokenizer.sep_token_id,
                tokenizer.mask_token_id,
                tokenizer.unk_token_id,
            )
            if i is not None
        ]
        self.mask_selection_rate = mask_selection_rate
        self.mask_selection_length = mask_selection_length
        self.mask_token_rate = mask_token_rate
        self.random_token_rate = random_token_rate
        self.seed = seed
        self.masker = MaskedLMMaskGenerator(
            vocabulary_size=tokenizer.vocabulary_size(),
            mask_selection_rate=mask_selection_rate,
            mask_token_id=tokenizer.mask_token_id,
            mask_selection_length=mask_selection_length,
            unselectable_token_ids=specials,
            mask_token_rate=mask_token_rate,
            random_token_rate=random_token_rate,
            seed=seed,
        )

    def call(self, x, y=None, sample_weight=None):
        if y is not None or sample_weight is not None:
            raise ValueError(
                "BertMaskedLMPreprocessor makes its own labels (the masked "
                "tokens); pass only text."
            )
        inputs = super().call(x)
        masked = self.masker(inputs["input_ids"])
        inputs["input_ids"] = masked["token_ids"]
        inputs["masked_positions"] = masked["mask_positions"]
        return inputs, masked["mask_ids"], masked["mask_weights"]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "mask_selection_rate": self.mask_selection_rate,
                "mask_selection_length": self.mask_selection_length,
                "mask_token_rate": self.mask_token_rate,
                "random_token_rate": self.random_token_rate,
                "seed": self.seed,
            }
        )
        return config


@api_export("keras_nlp.models.BertMaskedLM", stability="stable", rfc=RFC)
class BertMaskedLM(Task):
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

    # The head reads token vectors only: the pooler is not trained here.
    _encoder_outputs_read = ("sequence_output",)

    def __init__(self, encoder, preprocessor=None, **kwargs):
        check_encoder(encoder)
        check_preprocessor(preprocessor, encoder, BertMaskedLMPreprocessor)
        inputs = bert_inputs()
        inputs["masked_positions"] = keras.Input(
            shape=(None,), dtype="int32", name="masked_positions"
        )
        outputs = encoder(
            {k: inputs[k] for k in ("input_ids", "input_mask", "input_type_ids")}
        )
        head = MaskedLM(
            encoder.get_embedding_table(),
            activation=encoder.get_config().get("inner_activation", "gelu"),
            name="masked_lm_head",
            dtype="float32",
        )
        logits = head(
            outputs["sequence_output"], masked_positions=inputs["masked_positions"]
        )
        super().__init__(inputs=inputs, outputs=logits, **kwargs)
        self.encoder = encoder
        self.preprocessor = preprocessor
        self.compile(
            optimizer=keras.optimizers.AdamW(1e-4),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        )

    def _preprocess(
        self, x, y=None, sample_weight=None, batch_size=None, shuffle=False
    ):
        if self.preprocessor is not None and y is not None:
            raise ValueError(
                "BertMaskedLM makes its labels from the text; pass only `x` "
                "(strings or a dataset of strings)."
            )
        return super()._preprocess(x, y, sample_weight, batch_size, shuffle)

    def get_config(self):
        return task_config(self)

    @classmethod
    def from_config(cls, config):
        return task_from_config(cls, config)
