# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The ELECTRA discriminator encoder as a Keras Functional model."""

from keras_core import api_export
from keras_nlp.src.models.encoder_base import FamilyEncoder
from keras_nlp.src.models.encoder_base import constructor_arguments

INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")


@api_export("keras_nlp.encoders.ElectraEncoder", stability="experimental")
class ElectraEncoder(FamilyEncoder):
    """The ELECTRA discriminator: a BERT-style encoder with no pooler.

    ELECTRA pretrains a discriminator that tells original tokens from
    replaced ones; the discriminator is the encoder that is fine-tuned.
    It embeds token ids (word, position and segment embeddings of width
    `embedding_width`, summed and normalized, then projected to
    `hidden_size` when the widths differ) and runs `num_layers`
    `TransformerEncoder` blocks. It has no pooler. Its inputs are those of
    `BertEncoder`: `input_ids`, `input_mask` and `input_type_ids`.
    HuggingFace ELECTRA discriminator checkpoints (`model_type`
    "electra") load with `keras_nlp.convert.from_huggingface`.

    Reference: [Clark et al., 2020. ELECTRA: Pre-training Text Encoders as
    Discriminators Rather Than Generators](https://arxiv.org/abs/2003.10555).

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 256
            (ELECTRA-small).
        num_layers: int. Number of Transformer layers. Defaults to 12.
        num_attention_heads: int. Attention heads per layer. Defaults to 4.
        max_sequence_length: int. Longest input. Defaults to 512.
        type_vocab_size: int. Number of segment ids. Defaults to 2.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            1024.
        embedding_width: int or None. Width of the embeddings; None means
            `hidden_size`. ELECTRA-small uses 128.
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu"` (exact GELU).
        output_dropout: float. Dropout rate on embeddings and layer outputs.
        attention_dropout: float. Dropout rate on attention probabilities.
        initializer: initializer of all weights; `"truncated_normal"` means
            standard deviation 0.02.
        norm_epsilon: float. Epsilon of every layer normalization. Defaults
            to `1e-12`.
        dtype: dtype policy of all layers.
        **kwargs: other `keras.Model` arguments (`name`, `trainable`).

    Call arguments:
        inputs: a dict with `input_ids`, `input_mask` and `input_type_ids`
            (or a list in that order), each `(batch_size, sequence_length)`.
        training: bool. Whether dropout is active.
        output_range: int or None. For this call, the last layer computes
            the first `output_range` positions only (`1` in the classifier
            tasks; see `TextClassifier`). Defaults to `None` (as built).

    Returns:
        A dict: `sequence_output` `(batch_size, sequence_length,
        hidden_size)` and `encoder_outputs`, the outputs of every layer.

    Example:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.ElectraEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16, embedding_width=16)
    >>> ids = np.array([[5, 6, 7, 0]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 0).astype("int32"),
    ...                    "input_type_ids": np.zeros_like(ids)})
    >>> outputs["sequence_output"].shape
    TensorShape([1, 4, 32])
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES
    _id_limits = {"input_ids": "vocab_size", "input_type_ids": "type_vocab_size"}
    _optional_sizes = ("embedding_width",)

    def __init__(
        self,
        vocab_size,
        hidden_size=256,
        num_layers=12,
        num_attention_heads=4,
        max_sequence_length=512,
        type_vocab_size=2,
        inner_dim=1024,
        embedding_width=None,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        initializer="truncated_normal",
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        self._build_encoder(*constructor_arguments(locals()))
