# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT checkpoints in the HuggingFace layout (`model_type` "bert") <->
`BertEncoder`. Registered with `keras_nlp.src.convert.huggingface`."""

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert import weight_plan as wp
from keras_nlp.src.convert.family_converter import FamilyConverter
from keras_nlp.src.models.bert.bert_encoder import BertEncoder


class BertConverter(FamilyConverter):
    model_type = "bert"
    family = "BERT"
    architecture = "BertModel"
    backbone_cls = BertEncoder
    prefix = "bert."
    # Some checkpoints (e.g. `BertForMaskedLM`'s) have no pooler.
    optional_parts = {
        "pooler.": "`pooled_output` comes from a randomly initialised pooler"
    }

    def encoder_kwargs(self, path, config):
        return self.bert_style_kwargs(config)

    def expected_shapes(self, kwargs):
        hidden = kwargs["hidden_size"]
        return (
            wp.embedding_shapes(
                kwargs["vocab_size"],
                kwargs["max_sequence_length"],
                kwargs["type_vocab_size"],
                hidden,
            )
            + wp.encoder_layer_shapes(kwargs, "encoder.layer")
            + wp.linear_shapes("pooler.dense", hidden, hidden)
        )

    def weight_plan(self, encoder):
        hidden = encoder.get_config()["hidden_size"]
        return (
            wp.embeddings(encoder, hidden)
            + wp.encoder_layers(encoder, "encoder.layer")
            + wp.linear("pooler.dense", encoder.pooler_layer, hidden, hidden)
        )

    def check_encoder(self, cfg):
        if cfg["embedding_width"] not in (None, cfg["hidden_size"]):
            raise ValueError(
                "HuggingFace BERT has no factorised embeddings; this encoder has "
                f"embedding_width={cfg['embedding_width']} != "
                f"hidden_size={cfg['hidden_size']}."
            )

    def hf_config(self, cfg, hidden_act):
        return self.bert_style_config(cfg, hidden_act)


converter = BertConverter()
huggingface.register_converter(converter.model_type, converter)
