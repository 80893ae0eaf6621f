# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLM-RoBERTa checkpoints in the HuggingFace layout (`model_type`
"xlm-roberta") <-> `XLMRobertaEncoder`: RoBERTa's conversion (the tensors
have the same names, under `roberta.`). Task heads load with
`roberta_converter.load_task_head`. Registered with
`keras_nlp.src.convert.huggingface`."""

import sys

from keras_nlp.src.convert import huggingface
from keras_nlp.src.models.roberta import roberta_converter
from keras_nlp.src.models.xlm_roberta.xlm_roberta_encoder import XLMRobertaEncoder

backbone_cls = XLMRobertaEncoder
load_task_head = roberta_converter.load_task_head


def from_huggingface(directory, config, encoder_overrides):
    """An `XLMRobertaEncoder` with the weights of the checkpoint in
    `directory`."""
    return roberta_converter.load_encoder(
        directory,
        config,
        encoder_overrides,
        XLMRobertaEncoder,
        "roberta.",
        "XLM-RoBERTa",
    )


def to_huggingface(encoder, directory):
    """Writes `encoder` as a HuggingFace `XLMRobertaModel` checkpoint."""
    return roberta_converter.save_encoder(
        encoder, directory, "xlm-roberta", "XLMRobertaModel"
    )


def tokenizer_from_huggingface(directory, sequence_length=None):
    """The `XLMRobertaTokenizer` of a checkpoint folder (its
    `sentencepiece.bpe.model`)."""
    from keras_nlp.src.models.xlm_roberta import xlm_roberta_tokenizer

    return xlm_roberta_tokenizer.tokenizer_from_huggingface(
        directory, sequence_length=sequence_length
    )


huggingface.register_converter("xlm-roberta", sys.modules[__name__])
