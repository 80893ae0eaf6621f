# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLM-RoBERTa checkpoints in the HuggingFace layout (`model_type`
"xlm-roberta") <-> `XLMRobertaEncoder`: RoBERTa's conversion (the tensors
have the same names, under `roberta.`). Task heads load with
`roberta_converter.load_task_head`. Registered with
`keras_nlp.src.convert.huggingface`."""

from keras_nlp.src.convert import huggingface
from keras_nlp.src.models.roberta import roberta_converter
from keras_nlp.src.models.xlm_roberta.xlm_roberta_encoder import XLMRobertaEncoder

load_task_head = roberta_converter.load_task_head


class XLMRobertaConverter(roberta_converter.RobertaConverter):
    model_type = "xlm-roberta"
    family = "XLM-RoBERTa"
    architecture = "XLMRobertaModel"
    backbone_cls = XLMRobertaEncoder

    def tokenizer_from_huggingface(self, directory, sequence_length=None):
        """The `XLMRobertaTokenizer` of a checkpoint folder (its
        `sentencepiece.bpe.model`)."""
        from keras_nlp.src.models.xlm_roberta import xlm_roberta_tokenizer

        return xlm_roberta_tokenizer.tokenizer_from_huggingface(
            directory, sequence_length=sequence_length
        )


converter = XLMRobertaConverter()
huggingface.register_converter(converter.model_type, converter)
