# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The DistilBERT encoder network as a Keras Functional model."""

from keras_core import api_export
from keras_nlp.src.models.encoder_base import FamilyEncoder
from keras_nlp.src.models.encoder_base import constructor_arguments

INPUT_NAMES = ("input_ids", "input_mask")


@api_export("keras_nlp.encoders.DistilBertEncoder", stability="experimental")
class DistilBertEncoder(FamilyEncoder):
    """The DistilBERT encoder: BERT distilled to fewer layers, no segments.

    Embeds token ids (word and position embeddings, summed and normalized)
    and runs `num_layers` `TransformerEncoder` blocks over them, as
    DistilBERT does: no segment (token type) embeddings and no pooler. Its
    inputs are `input_ids` and `input_mask` (1 for real tokens, 0 for
    padding); padding never changes the outputs at real positions. The
    defaults are those of DistilBERT-base. HuggingFace DistilBERT
    checkpoints (`model_type` "distilbert") load with
    `keras_nlp.convert.from_huggingface`; the tasks are
    `keras_nlp.models.DistilBertClassifier` and its siblings.

    Reference: [Sanh et al., 2019. DistilBERT, a distilled version of BERT](
    https://arxiv.org/abs/1910.01108).

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layers. Defaults to 6.
        num_attention_heads: int. Attention heads per layer; must divide
            `hidden_size`. Defaults to 12.
        max_sequence_length: int. Longest input the position embeddings
            allow. Defaults to 512.
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
            to `1e-12`, DistilBERT's.
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
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16)
    >>> ids = np.array([[5, 6, 7, 0], [8, 9, 0, 0]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 0).astype("int32")})
    >>> outputs["sequence_output"].shape
    TensorShape([2, 4, 32])
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES
    # BERT-style dicts may hold segment ids: DistilBERT has none.
    ignored_input_names = ("input_type_ids",)

    def __init__(
        self,
        vocab_size,
        hidden_size=768,
        num_layers=6,
        num_attention_heads=12,
        max_sequence_length=512,
        inner_dim=3072,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        initializer="truncated_normal",
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        self._build_encoder(*constructor_arguments(locals()))
