# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The BERT encoder network as a Keras Functional model."""

from keras_core import api_export
from keras_nlp.src.models.encoder_base import EncoderModel
from keras_nlp.src.models.encoder_base import constructor_arguments

RFC = "20261122-keras-nlp-bert-encoder"
INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")


@api_export("keras_nlp.encoders.BertEncoder", stability="stable", rfc=RFC)
class BertEncoder(EncoderModel):
    """The bidirectional Transformer encoder of BERT, as a Functional model.

    Embeds token ids (word, position and segment embeddings, summed and
    normalized), runs `num_layers` `TransformerEncoder` blocks over them,
    and pools the first (`[CLS]`) token through a dense `tanh` layer. It
    contains no task head: add a classifier on `pooled_output`, a tagger on
    `sequence_output`, or `keras_nlp.layers.MaskedLM` for pre-training.
    The defaults are those of BERT-Base. Real BERT checkpoints (original
    or HuggingFace) load with `keras_nlp.convert.from_huggingface`.

    The model takes three integer inputs of shape `(batch_size,
    sequence_length)`, as a list in this order or as a dict: `input_ids`
    (token ids; the key `input_word_ids` is accepted too), `input_mask`
    (1 for real tokens, 0 for padding) and `input_type_ids` (segment ids).
    Padding never changes the outputs at real positions.

    Reference:
        [Devlin et al., 2019. BERT: Pre-training of Deep Bidirectional
        Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)

    Args:
        vocab_size: int. Number of token ids.
        hidden_size: int. Width of the Transformer layers. Defaults to 768.
        num_layers: int. Number of Transformer layers. Defaults to 12.
        num_attention_heads: int. Attention heads per layer; must divide
            `hidden_size`. Defaults to 12.
        max_sequence_length: int. Longest input the position embeddings
            allow. Defaults to 512.
        type_vocab_size: int. Number of segment (token type) ids. Defaults to
            16.
        inner_dim: int. Width of the feed-forward inner layers. Defaults to
            3072.
        inner_activation: activation of the feed-forward inner layers.
            Defaults to `"gelu"`, the exact (erf-based) GELU of BERT;
            `"gelu_approximate"` selects the tanh approximation.
        output_dropout: float. Dropout rate on embeddings and on the outputs
            of attention and feed-forward layers. Defaults to 0.1.
        attention_dropout: float. Dropout rate on attention probabilities.
            Defaults to 0.1.
        initializer: initializer of all weights. The default
            `"truncated_normal"` means a truncated normal with standard
            deviation 0.02, BERT's own; any Keras initializer is accepted.
        output_range: int or None. If set, the last layer computes only the
            first `output_range` positions (`1` when only `pooled_output` is
            needed, which saves compute). Defaults to `None`. The call
            argument of the same name does it for one call, on the same
            weights; `keras_nlp.models.BertClassifier` calls its encoder with
            `output_range=1` by itself.
        embedding_width: int or None. Width of the word embeddings. If it
            differs from `hidden_size`, the embeddings are factorised into a
            `(vocab_size, embedding_width)` table and an `(embedding_width,
            hidden_size)` projection, as in ALBERT. Defaults to `None`
            (`hidden_size`).
        norm_epsilon: float. Epsilon of every layer normalization. Defaults
            to `1e-12`, BERT's.
        dtype: dtype policy of all layers, e.g. `"mixed_bfloat16"`.
        **kwargs: other `keras.Model` arguments (`name`, `trainable`).

    Call arguments:
        inputs: a list `[input_ids, input_mask, input_type_ids]` or a dict
            with those keys, each `(batch_size, sequence_length)` integers.
        training: bool. Whether dropout is active.
        output_range: int or None. For this call, the last layer computes
            the first `output_range` positions only (`1` in the classifier
            tasks; see `TextClassifier`). Defaults to `None` (as built).

    Returns:
        A dict: `sequence_output` `(batch_size, sequence_length,
        hidden_size)` (or `output_range` positions), `pooled_output`
        `(batch_size, hidden_size)`, and `encoder_outputs`, the list of the
        outputs of every Transformer layer.

    Examples:

    >>> import numpy as np
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=100, hidden_size=32, num_layers=2, num_attention_heads=4,
    ...     inner_dim=64, max_sequence_length=16, type_vocab_size=2)
    >>> ids = np.array([[5, 6, 7, 0], [8, 9, 0, 0]])
    >>> mask = (ids != 0).astype("int32")
    >>> outputs = encoder({"input_ids": ids, "input_mask": mask,
    ...                    "input_type_ids": np.zeros_like(ids)})
    >>> outputs["pooled_output"].shape
    TensorShape([2, 32])
    """

    #: The keys of the input dict, in the order of the input list.
    input_names = INPUT_NAMES
    _id_limits = {"input_ids": "vocab_size", "input_type_ids": "type_vocab_size"}
    _optional_sizes = ("embedding_width",)
    _pooler_attribute = "pooler_layer"

    def __init__(
        self,
        vocab_size,
        hidden_size=768,
        num_layers=12,
        num_attention_heads=12,
        max_sequence_length=512,
        type_vocab_size=16,
        inner_dim=3072,
        inner_activation="gelu",
        output_dropout=0.1,
        attention_dropout=0.1,
        initializer="truncated_normal",
        output_range=None,
        embedding_width=None,
        norm_epsilon=1e-12,
        dtype=None,
        **kwargs,
    ):
        self._build_encoder(*constructor_arguments(locals()))

    def _standardize_inputs(self, inputs):
        if isinstance(inputs, (list, tuple)) and len(inputs) != len(INPUT_NAMES):
            raise ValueError(
                "BertEncoder takes 3 inputs, [input_ids, input_mask, "
                f"input_type_ids]. Received a {type(inputs).__name__} of "
                f"{len(inputs)}."
            )
        return super()._standardize_inputs(inputs)
