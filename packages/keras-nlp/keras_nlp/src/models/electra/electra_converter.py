# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ELECTRA discriminator checkpoints in the HuggingFace layout
(`model_type` "electra") <-> `ElectraEncoder`, and the weights of its task
heads. Registered with `keras_nlp.src.convert.huggingface`."""

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert import weight_plan as wp
from keras_nlp.src.convert.family_converter import FamilyConverter
from keras_nlp.src.models.electra.electra_encoder import ElectraEncoder


class ElectraConverter(FamilyConverter):
    model_type = "electra"
    family = "ELECTRA"
    architecture = "ElectraModel"
    backbone_cls = ElectraEncoder
    prefix = "electra."
    positive = ("max_position_embeddings", "type_vocab_size", "embedding_size")

    def encoder_kwargs(self, path, config):
        width = config.get("embedding_size", config["hidden_size"])
        kwargs = self.bert_style_kwargs(config)
        kwargs["embedding_width"] = None if width == config["hidden_size"] else width
        return kwargs

    def expected_shapes(self, kwargs):
        hidden = kwargs["hidden_size"]
        width = kwargs["embedding_width"] or hidden
        plan = wp.embedding_shapes(
            kwargs["vocab_size"],
            kwargs["max_sequence_length"],
            kwargs["type_vocab_size"],
            width,
        )
        if width != hidden:
            plan += wp.linear_shapes("embeddings_project", width, hidden)
        return plan + wp.encoder_layer_shapes(kwargs, "encoder.layer")

    def weight_plan(self, encoder):
        cfg = encoder.get_config()
        hidden = cfg["hidden_size"]
        width = cfg["embedding_width"] or hidden
        plan = wp.embeddings(encoder, width)
        if encoder.embedding_projection is not None:
            plan += wp.linear(
                "embeddings_project", encoder.embedding_projection, width, hidden
            )
        return plan + wp.encoder_layers(encoder, "encoder.layer")

    def hf_config(self, cfg, hidden_act):
        return {
            **self.bert_style_config(cfg, hidden_act),
            "embedding_size": cfg["embedding_width"] or cfg["hidden_size"],
        }


def load_task_head(task, tensors):
    """Assigns a `transformers` ELECTRA task head to `task`'s head.

    `tensors` holds the head's tensors under their `transformers` names:
    `classifier.dense.*` and `classifier.out_proj.*`
    (`ElectraForSequenceClassification`, for an `ElectraClassifier`),
    `qa_outputs.*` (`ElectraForQuestionAnswering`) or `classifier.*`
    (`ElectraForTokenClassification`).
    """
    from keras_nlp.src.models.electra import electra_tasks as tasks

    dense = wp.dense_head

    if isinstance(task, tasks.ElectraClassifier):
        plan = dense("classifier.dense", task.get_layer("classifier_dense"))
        plan += dense("classifier.out_proj", task.get_layer("logits"))
    elif isinstance(task, tasks.ElectraSpanLabeler):
        plan = dense("qa_outputs", task.get_layer("span_logits"))
    elif isinstance(task, tasks.ElectraTokenClassifier):
        plan = dense("classifier", task.get_layer("token_logits"))
    else:
        raise TypeError(
            f"load_task_head takes an ELECTRA task. Received: {type(task).__name__}."
        )
    huggingface.assign_planned(tensors, plan, f"The {type(task).__name__} head")


converter = ElectraConverter()
huggingface.register_converter(converter.model_type, converter)
