# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Masked-language-model pretraining from raw text, for any family."""

import keras

from keras_core import api_export
from keras_nlp.src.layers.masked_lm import MaskedLM
from keras_nlp.src.models.task import Task
from keras_nlp.src.models.text_classifier import TextClassifierPreprocessor
from keras_nlp.src.preprocessing.masked_lm_mask_generator import MaskedLMMaskGenerator


@api_export(
    "keras_nlp.models.MaskedLanguageModelPreprocessor", stability="experimental"
)
class MaskedLanguageModelPreprocessor(TextClassifierPreprocessor):
    """Raw text to masked-language-model training examples, for any family.

    Tokenizes and packs like `TextClassifierPreprocessor`, then masks
    tokens with a `MaskedLMMaskGenerator` (15% of the tokens by default,
    never special tokens or padding; 80% mask token, 10% random, 10%
    unchanged). Masks are drawn anew every time, so every epoch sees
    different masks. A family subclasses it (`BertMaskedLMPreprocessor`,
    `DistilBertMaskedLMPreprocessor`).

    Args:
        tokenizer: a tokenizer of the family with a mask token.
        sequence_length: int. Length of the packed inputs.
        truncate: `"round_robin"` or `"waterfall"`.
        mask_selection_rate: float. Fraction of tokens to predict.
        mask_selection_length: int. Maximum predictions per sequence.
        mask_token_rate: float. Share of chosen tokens replaced by the mask.
        random_token_rate: float. Share replaced by a random token.
        seed: int or None. Seed of the masking.

    Call arguments:
        x: a batch of strings (or a tuple of batches for pairs).
        y, sample_weight: must be None (the labels are the masked tokens).

    Returns:
        `(x, y, sample_weight)`: `x` holds the model inputs plus
        `masked_positions`; `y` the original ids there; `sample_weight` 1.0
        for real predictions and 0.0 for padding.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertMaskedLMPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=6,
    ...     mask_selection_length=2, seed=1)
    >>> x, y, w = preprocessor(["a film"])
    >>> sorted(x)
    ['input_ids', 'input_mask', 'masked_positions']
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
        if self.special_token_id(tokenizer, "mask") is None:
            raise ValueError(
                "The tokenizer's vocabulary has no [MASK] token, which masked "
                "language modelling needs. Add it to the vocabulary."
            )
        specials = [
            i
            for i in (
                self.special_token_id(tokenizer, "pad"),
                self.special_token_id(tokenizer, "cls"),
                self.special_token_id(tokenizer, "sep"),
                self.special_token_id(tokenizer, "mask"),
                self.special_token_id(tokenizer, "unk"),
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
            mask_token_id=self.special_token_id(tokenizer, "mask"),
            mask_selection_length=mask_selection_length,
            unselectable_token_ids=specials,
            mask_token_rate=mask_token_rate,
            random_token_rate=random_token_rate,
            seed=seed,
        )

    def call(self, x, y=None, sample_weight=None):
        if y is not None or sample_weight is not None:
            raise ValueError(
                f"{type(self).__name__} makes its own labels (the masked "
                "tokens); pass only text."
            )
        inputs = self.model_inputs(self.pack(x))
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


@api_export("keras_nlp.models.MaskedLanguageModel", stability="experimental")
class MaskedLanguageModel(Task):
    """An encoder pretrained with a masked-language-model head, from raw text.

    The generic masked language model of every family (`BertMaskedLM`,
    `DistilBertMaskedLM`, ...): the backbone followed by
    `keras_nlp.layers.MaskedLM` tied to the backbone's token embeddings
    (`get_embedding_table()`). With the family's masked-LM preprocessor,
    `fit` takes raw strings (or a `tf.data.Dataset` of strings) and masks
    them on the fly. Compiled at construction with AdamW (1e-4), sparse
    categorical cross-entropy on logits and a weighted accuracy over the
    real predictions. After pretraining, the family's classifier on
    `masked_lm.encoder` (or its `from_preset` on the saved preset)
    fine-tunes the encoder.

    Args:
        encoder: the family's backbone.
        preprocessor: the family's masked-LM preprocessor or None.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "film"]
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> masked_lm = keras_nlp.models.DistilBertMaskedLM(encoder)
    >>> isinstance(masked_lm, keras_nlp.models.MaskedLanguageModel)
    True
    """

    extra_input_names = ("masked_positions",)
    preset_preprocessor_arguments = (
        "mask_selection_rate",
        "mask_selection_length",
        "mask_token_rate",
        "random_token_rate",
        "seed",
    )

    def __init__(self, encoder, preprocessor=None, **kwargs):
        self.check_family(encoder, preprocessor)
        inputs = self.backbone_inputs()
        outputs = self._backbone_call(encoder, inputs)
        logits = self.masked_lm_head(encoder)(
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

    @classmethod
    def masked_lm_head(cls, encoder):
        """The head: `MaskedLM` tied to the encoder's embeddings, with the
        encoder's `inner_activation`."""
        return MaskedLM(
            encoder.get_embedding_table(),
            activation=encoder.get_config().get("inner_activation", "gelu"),
            name="masked_lm_head",
            dtype="float32",
        )

    def _preprocess(
        self, x, y=None, sample_weight=None, batch_size=None, shuffle=False
    ):
        if self.preprocessor is not None and y is not None:
            raise ValueError(
                f"{type(self).__name__} makes its labels from the text; pass "
                "only `x` (strings or a dataset of strings)."
            )
        return super()._preprocess(x, y, sample_weight, batch_size, shuffle)
