# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The RoBERTa encoder network as a Keras Functional model."""

import numpy as np

from keras_core import api_export
from keras_nlp.src.models.encoder_base import FamilyEncoder
from keras_nlp.src.models.encoder_base import constructor_arguments

INPUT_NAMES = ("input_ids", "input_mask")


@api_export("keras_nlp.encoders.RobertaEncoder", stability="experimental")
class RobertaEncoder(FamilyEncoder):
    """The RoBERTa encoder: BERT's architecture, trained without segments.

    Embeds token ids (word embeddings, position embeddings and RoBERTa's
    single token-type embedding, summed and normalized) and runs
    `num_layers` `TransformerEncoder` blocks over them. As in RoBERTa,
    positions are numbered from `padding_id + 1` on the real tokens
    (`input_mask` 1) and padding sits at position `padding_id`, so the
    position table has `max_sequence_length + padding_id + 1` rows (514 for
    RoBERTa-base). It has no pooler (RoBERTa's classification head is the
    task's) and takes `input_ids` and `input_mask` only; padding never
    changes the outputs at real positions. The defaults are those of
    RoBERTa-base. HuggingFace checkpoints (`model_type` "roberta") load with
    `keras_nlp.convert.from_huggingface`; the tasks are
    `keras_nlp.models.RobertaClassifier` and its siblings.

    Reference: [Liu et al., 2019. RoBERTa: A Robustly Optimized BERT
    Pretraining Approach](https://arxiv.org/abs/1907.11692).

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layers. Defaults to 12.
        num_attention_heads: int. Attention heads per layer; must divide
            `hidden_size`. Defaults to 12.
        max_sequence_length: int. Longest input. Defaults to 512.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            3072.
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu"` (exact GELU).
        output_dropout: float. Dropout rate on embeddings and on the outputs
            of attention and feed-forward layers. Defaults to 0.1.
        attention_dropout: float. Dropout rate on attention probabilities.
            Defaults to 0.1.
        initializer: initializer of all weights; `"truncated_normal"` means
            a truncated normal with standard deviation 0.02.
        norm_epsilon: float. Epsilon of every layer normalization. Defaults
            to `1e-5`, RoBERTa's.
        padding_id: int. The id of `<pad>`, which also fixes where position
            numbers start (RoBERTa's `padding_idx`). Defaults to 1.
        type_vocab_size: int. Rows of the token-type table; RoBERTa has 1
            (XLM-RoBERTa too), added to every token. Defaults to 1.
        dtype: dtype policy of all layers, e.g. `"mixed_bfloat16"`.
        **kwargs: other `keras.Model` arguments (`name`, `trainable`).

    Call arguments:
        inputs: a dict with `input_ids` and `input_mask` (or a list in that
            order), each `(batch_size, sequence_length)` integers.
        training: bool. Whether dropout is active.
        output_range: int or None. For this call, the last layer computes
            the first `output_range` positions only (`1` in the classifier
            tasks; see `TextClassifier`). Defaults to `None` (as built).

    Returns:
        A dict: `sequence_output` `(batch_size, sequence_length,
        hidden_size)` and `encoder_outputs`, the list of the outputs of
        every Transformer layer.

    Example:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.RobertaEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16)
    >>> ids = np.array([[0, 6, 7, 2], [0, 9, 2, 1]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 1).astype("int32")})
    >>> outputs["sequence_output"].shape
    TensorShape([2, 4, 32])
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES
    # BERT-style dicts may hold segment ids: RoBERTa uses none.
    ignored_input_names = ("input_type_ids",)

    def __init__(
        self,
        vocab_size,
        hidden_size=768,
        num_layers=12,
        num_attention_heads=12,
        max_sequence_length=512,
        inner_dim=3072,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        initializer="truncated_normal",
        norm_epsilon=1e-5,
        padding_id=1,
        type_vocab_size=1,
        dtype=None,
        **kwargs,
    ):
        self._build_encoder(*constructor_arguments(locals()))

    def _check_arguments(self, sizes, others):
        padding_id = others["padding_id"]
        if (
            isinstance(padding_id, bool)
            or not isinstance(padding_id, (int, np.integer))
            or not 0 <= padding_id < sizes["vocab_size"]
        ):
            raise ValueError(
                "`padding_id` must be the id of the padding token, an int in "
                f"[0, vocab_size={sizes['vocab_size']}) (RoBERTa's is 1). "
                f"Received: padding_id={padding_id!r}."
            )
        # Positions are numbered after `padding_id` (`padding_position`).
        return {**others, "padding_id": int(padding_id)}
