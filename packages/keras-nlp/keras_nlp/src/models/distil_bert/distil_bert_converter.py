# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DistilBERT checkpoints in the HuggingFace layout (`model_type`
"distilbert") <-> `DistilBertEncoder`, and the weights of its task heads.
Registered with `keras_nlp.src.convert.huggingface`."""

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert import weight_plan as wp
from keras_nlp.src.convert.family_converter import FamilyConverter
from keras_nlp.src.convert.huggingface import HF_ACTIVATIONS
from keras_nlp.src.models.distil_bert.distil_bert_encoder import DistilBertEncoder

# DistilBERT's layer normalizations use a fixed epsilon.
_NORM_EPSILON = 1e-12


class DistilBertConverter(FamilyConverter):
    model_type = "distilbert"
    family = "DistilBERT"
    architecture = "DistilBertModel"
    backbone_cls = DistilBertEncoder
    prefix = "distilbert."
    required = ("vocab_size", "dim", "n_layers", "n_heads", "hidden_dim")
    positive = ("max_position_embeddings",)
    fractions = {"dropout": 0.1, "attention_dropout": 0.1}
    activation_key = "activation"
    heads = ("dim", "n_heads")

    def encoder_kwargs(self, path, config):
        return dict(
            vocab_size=config["vocab_size"],
            hidden_size=config["dim"],
            num_layers=config["n_layers"],
            num_attention_heads=config["n_heads"],
            max_sequence_length=config.get("max_position_embeddings", 512),
            inner_dim=config["hidden_dim"],
            inner_activation=HF_ACTIVATIONS[config.get("activation", "gelu")],
            output_dropout=float(config.get("dropout", 0.1)),
            attention_dropout=float(config.get("attention_dropout", 0.1)),
            norm_epsilon=_NORM_EPSILON,
        )

    def expected_shapes(self, kwargs):
        return wp.embedding_shapes(
            kwargs["vocab_size"],
            kwargs["max_sequence_length"],
            None,
            kwargs["hidden_size"],
        ) + wp.encoder_layer_shapes(kwargs, "transformer.layer", wp.DISTIL_BERT_LAYER)

    def weight_plan(self, encoder):
        hidden = encoder.get_config()["hidden_size"]
        return wp.embeddings(encoder, hidden) + wp.encoder_layers(
            encoder, "transformer.layer", wp.DISTIL_BERT_LAYER
        )

    def check_encoder(self, cfg):
        if cfg["norm_epsilon"] != _NORM_EPSILON:
            raise ValueError(
                "HuggingFace DistilBERT fixes the layer-norm epsilon at 1e-12; "
                f"this encoder has norm_epsilon={cfg['norm_epsilon']}."
            )

    def hf_config(self, cfg, hidden_act):
        return {
            "vocab_size": cfg["vocab_size"],
            "dim": cfg["hidden_size"],
            "n_layers": cfg["num_layers"],
            "n_heads": cfg["num_attention_heads"],
            "hidden_dim": cfg["inner_dim"],
            "activation": hidden_act,
            "dropout": cfg["output_dropout"],
            "attention_dropout": cfg["attention_dropout"],
            "max_position_embeddings": cfg["max_sequence_length"],
            "sinusoidal_pos_embds": False,
            "initializer_range": 0.02,
            "pad_token_id": 0,
        }


def load_task_head(task, tensors):
    """Assigns a `transformers` DistilBERT task head to `task`'s head.

    `tensors` holds the head's tensors under their `transformers` names:
    `pre_classifier.*` and `classifier.*` (`DistilBertForSequenceClassification`,
    for a `DistilBertClassifier`), `vocab_transform.*`, `vocab_layer_norm.*`
    and `vocab_projector.bias` (`DistilBertForMaskedLM`), `qa_outputs.*`
    (`DistilBertForQuestionAnswering`) or `classifier.*`
    (`DistilBertForTokenClassification`).
    """
    from keras_nlp.src.models.distil_bert import distil_bert_tasks as tasks

    dense = wp.dense_head

    if isinstance(task, tasks.DistilBertClassifier):
        plan = dense("pre_classifier", task.get_layer("pre_classifier"))
        plan += dense("classifier", task.get_layer("logits"))
    elif isinstance(task, tasks.DistilBertMaskedLM):
        head = task.get_layer("masked_lm_head")
        width = head.norm.gamma.shape[0]
        plan = dense("vocab_transform", head.dense)
        plan += wp.norm("vocab_layer_norm", head.norm, width)
        plan += wp.embedding("vocab_projector.bias", head.output_bias)
    elif isinstance(task, tasks.DistilBertSpanLabeler):
        plan = dense("qa_outputs", task.get_layer("span_logits"))
    elif isinstance(task, tasks.DistilBertTokenClassifier):
        plan = dense("classifier", task.get_layer("token_logits"))
    else:
        raise TypeError(
            f"load_task_head takes a DistilBERT task. Received: {type(task).__name__}."
        )
    huggingface.assign_planned(tensors, plan, f"The {type(task).__name__} head")


converter = DistilBertConverter()
huggingface.register_converter(converter.model_type, converter)
