# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The XLM-RoBERTa encoder: RoBERTa's network on a multilingual vocabulary."""

from keras_core import api_export
from keras_nlp.src.models.roberta.roberta_encoder import RobertaEncoder


@api_export("keras_nlp.encoders.XLMRobertaEncoder", stability="experimental")
class XLMRobertaEncoder(RobertaEncoder):
    """The XLM-RoBERTa encoder: RoBERTa trained on 100 languages.

    The network is `RobertaEncoder`'s (same arguments, inputs and outputs,
    positions numbered after `padding_id`); XLM-RoBERTa differs by its
    SentencePiece vocabulary (250,002 tokens for the released checkpoints)
    and its training data. A class of its own so that its tasks, presets
    and HuggingFace conversion (`model_type` "xlm-roberta") are XLM-R's.

    Reference: [Conneau et al., 2020. Unsupervised Cross-lingual
    Representation Learning at Scale](https://arxiv.org/abs/1911.02116).

    Args:
        vocab_size: int. Number of token ids.
        **kwargs: the other arguments of `keras_nlp.encoders.RobertaEncoder`
            (`hidden_size`, `num_layers`, ..., `padding_id`, `dtype`).

    Example:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.XLMRobertaEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16)
    >>> ids = np.array([[0, 6, 7, 2], [0, 9, 2, 1]])
    >>> outputs = encoder({"input_ids": ids, "input_mask": (ids != 1).astype("int32")})
    >>> outputs["sequence_output"].shape
    TensorShape([2, 4, 32])
    """
