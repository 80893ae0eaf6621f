# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ALBERT checkpoints in the HuggingFace layout (`model_type` "albert")
<-> `AlbertEncoder`, and the weights of its task heads. Registered with
`keras_nlp.src.convert.huggingface`."""

import os

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert import weight_plan as wp
from keras_nlp.src.convert.family_converter import FamilyConverter
from keras_nlp.src.models.albert.albert_encoder import AlbertEncoder

_GROUP_PREFIX = "encoder.albert_layer_groups.{i}.albert_layers.0"
_PROJECTION = "encoder.embedding_hidden_mapping_in"


class AlbertConverter(FamilyConverter):
    model_type = "albert"
    family = "ALBERT"
    architecture = "AlbertModel"
    backbone_cls = AlbertEncoder
    prefix = "albert."
    positive = (
        "max_position_embeddings",
        "type_vocab_size",
        "embedding_size",
        "num_hidden_groups",
        "inner_group_num",
    )
    fractions = {
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "layer_norm_eps": 1e-12,
    }
    activation_default = "gelu_new"

    def encoder_kwargs(self, path, config):
        if config.get("inner_group_num", 1) != 1:
            raise ValueError(
                f"{path}: inner_group_num={config['inner_group_num']} is not "
                "supported; AlbertEncoder has one layer per group (as every "
                "published ALBERT checkpoint)."
            )
        if config["num_hidden_layers"] % config.get("num_hidden_groups", 1):
            raise ValueError(
                f"{path}: num_hidden_groups={config['num_hidden_groups']} does "
                f"not divide num_hidden_layers={config['num_hidden_layers']}."
            )
        kwargs = self.bert_style_kwargs(config)
        kwargs.update(
            embedding_width=config.get("embedding_size", 128),
            num_groups=config.get("num_hidden_groups", 1),
        )
        return kwargs

    def expected_shapes(self, kwargs):
        hidden, width = kwargs["hidden_size"], kwargs["embedding_width"]
        return (
            wp.embedding_shapes(
                kwargs["vocab_size"],
                kwargs["max_sequence_length"],
                kwargs["type_vocab_size"],
                width,
            )
            + wp.linear_shapes(_PROJECTION, width, hidden)
            + wp.linear_shapes("pooler", hidden, hidden)
            + wp.encoder_layer_shapes(
                kwargs, _GROUP_PREFIX, wp.ALBERT_LAYER, count=kwargs["num_groups"]
            )
        )

    def weight_plan(self, encoder):
        cfg = encoder.get_config()
        hidden, width = cfg["hidden_size"], cfg["embedding_width"]
        return (
            wp.embeddings(encoder, width)
            + wp.linear(_PROJECTION, encoder.embedding_projection, width, hidden)
            + wp.encoder_layers(encoder, _GROUP_PREFIX, wp.ALBERT_LAYER)
            + wp.linear("pooler", encoder.pooler, hidden, hidden)
        )

    def hf_config(self, cfg, hidden_act):
        return {
            **self.bert_style_config(cfg, hidden_act),
            "embedding_size": cfg["embedding_width"],
            "num_hidden_groups": cfg["num_groups"],
            "inner_group_num": 1,
            "bos_token_id": 2,
            "eos_token_id": 3,
        }

    def tokenizer_from_huggingface(self, directory, sequence_length=None):
        return tokenizer_from_huggingface(directory, sequence_length=sequence_length)


def tokenizer_from_huggingface(directory, sequence_length=None):
    """The `AlbertTokenizer` of a HuggingFace ALBERT checkpoint folder, read
    from its `spiece.model`."""
    from keras_nlp.src.models.albert.albert_presets import SPIECE_FILE
    from keras_nlp.src.models.albert.albert_tokenizer import AlbertTokenizer

    path = os.path.join(directory, SPIECE_FILE)
    if not os.path.isfile(path):
        raise ValueError(
            f"No {SPIECE_FILE} in {directory!r}. ALBERT checkpoints keep their "
            "SentencePiece model there; download it with the checkpoint."
        )
    return AlbertTokenizer(path, sequence_length=sequence_length)


def load_task_head(task, tensors):
    """Assigns a `transformers` ALBERT task head to `task`'s head.

    `tensors` holds the head's tensors under their `transformers` names:
    `classifier.*` (`AlbertForSequenceClassification`, for an
    `AlbertClassifier`, or `AlbertForTokenClassification`, for an
    `AlbertTokenClassifier`), `qa_outputs.*` (`AlbertForQuestionAnswering`)
    or `predictions.*` (`AlbertForMaskedLM`, for an `AlbertMaskedLM`; the
    decoder is tied to the word embeddings).
    """
    from keras_nlp.src.models.albert import albert_tasks as tasks

    dense = wp.dense_head

    if isinstance(task, tasks.AlbertMaskedLM):
        head = task.get_layer("masked_lm_head")
        width = head.norm.gamma.shape[0]
        plan = dense("predictions.dense", head.dense)
        plan += wp.norm("predictions.LayerNorm", head.norm, width)
        plan += wp.embedding("predictions.bias", head.output_bias)
    elif isinstance(task, tasks.AlbertClassifier):
        plan = dense("classifier", task.get_layer("logits"))
    elif isinstance(task, tasks.AlbertSpanLabeler):
        plan = dense("qa_outputs", task.get_layer("span_logits"))
    elif isinstance(task, tasks.AlbertTokenClassifier):
        plan = dense("classifier", task.get_layer("token_logits"))
    else:
        raise TypeError(
            f"load_task_head takes an ALBERT task. Received: {type(task).__name__}."
        )
    huggingface.assign_planned(tensors, plan, f"The {type(task).__name__} head")


converter = AlbertConverter()
huggingface.register_converter(converter.model_type, converter)
