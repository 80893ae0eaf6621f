# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The ALBERT encoder network as a Keras Functional model."""

from keras_core import api_export
from keras_nlp.src.models.encoder_base import FamilyEncoder
from keras_nlp.src.models.encoder_base import constructor_arguments

INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")


@api_export("keras_nlp.encoders.AlbertEncoder", stability="experimental")
class AlbertEncoder(FamilyEncoder):
    """The ALBERT encoder: factorised embeddings and shared Transformer layers.

    ALBERT ("A Lite BERT") shrinks BERT in two ways: the word, position
    and segment embeddings have a small width `embedding_width`, projected
    to `hidden_size` by one dense layer, and the `num_layers` Transformer
    layers share the weights of `num_groups` layers (one by default: the
    same `TransformerEncoder` runs `num_layers` times; with more groups,
    consecutive runs of `num_layers / num_groups` layers share one). A
    pooler (dense layer with tanh on the first token) gives
    `pooled_output`. Its inputs are those of `BertEncoder`: `input_ids`,
    `input_mask` and `input_type_ids`. The defaults are ALBERT-base's.
    HuggingFace ALBERT checkpoints (`model_type` "albert") load with
    `keras_nlp.convert.from_huggingface`.

    Reference: [Lan et al., 2019. ALBERT: A Lite BERT for Self-supervised
    Learning of Language Representations](https://arxiv.org/abs/1909.11942).

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layer applications. Defaults
            to 12.
        num_attention_heads: int. Attention heads per layer. Defaults to 12.
        max_sequence_length: int. Longest input. Defaults to 512.
        type_vocab_size: int. Number of segment ids. Defaults to 2.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            3072.
        embedding_width: int. Width of the embeddings. Defaults to 128.
        num_groups: int. Number of distinct Transformer layers; must divide
            `num_layers`. Defaults to 1 (all layers shared).
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu_approximate"` (HuggingFace's `gelu_new`,
            ALBERT's).
        output_dropout: float. Dropout rate on embeddings and layer outputs.
            Defaults to 0 (ALBERT v2's).
        attention_dropout: float. Dropout rate on attention probabilities.
            Defaults to 0.
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
        hidden_size)`, `pooled_output` `(batch_size, hidden_size)` and
        `encoder_outputs`, the output of every layer application.

    Example:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.AlbertEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=4, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16, embedding_width=16)
    >>> ids = np.array([[5, 6, 7, 0]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 0).astype("int32"),
    ...                    "input_type_ids": np.zeros_like(ids)})
    >>> outputs["pooled_output"].shape
    TensorShape([1, 32])
    >>> len(encoder.transformer_layers)  # four applications of one layer
    1
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES
    _id_limits = {"input_ids": "vocab_size", "input_type_ids": "type_vocab_size"}
    # Factorised embeddings: width `embedding_width`, then a projection to
    # `hidden_size` (always present, even when the widths agree, as in
    # HuggingFace's ALBERT). `num_groups` blocks run over `num_layers` layers.
    _always_project = True
    _pooler_attribute = "pooler"

    def __init__(
        self,
        vocab_size,
        hidden_size=768,
        num_layers=12,
        num_attention_heads=12,
        max_sequence_length=512,
        type_vocab_size=2,
        inner_dim=3072,
        embedding_width=128,
        num_groups=1,
        inner_activation="gelu_approximate",
        output_dropout=0.0,
        attention_dropout=0.0,
        initializer="truncated_normal",
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        self._build_encoder(*constructor_arguments(locals()))
