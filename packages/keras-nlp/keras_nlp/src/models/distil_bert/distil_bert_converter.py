# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""DistilBERT checkpoints in the HuggingFace layout (`model_type`
"distilbert") <-> `DistilBertEncoder`, and the weights of its task heads.
Registered with `keras_nlp.src.convert.huggingface`."""

import json
import os
import sys

import numpy as np

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert import weight_plan as wp
from keras_nlp.src.convert.huggingface import _HF_ACTIVATIONS
from keras_nlp.src.convert.huggingface import _OUR_ACTIVATIONS
from keras_nlp.src.convert.huggingface import CONFIG_FILE
from keras_nlp.src.convert.huggingface import SAFETENSORS_FILE
from keras_nlp.src.models.distil_bert.distil_bert_encoder import DistilBertEncoder
from keras_nlp.src.utils import activations

backbone_cls = DistilBertEncoder
_PREFIX = "distilbert."
# DistilBERT's layer normalizations use a fixed epsilon.
_NORM_EPSILON = 1e-12
_SHAPE_ARGS = (
    "vocab_size",
    "hidden_size",
    "num_layers",
    "num_attention_heads",
    "max_sequence_length",
    "inner_dim",
)


def _encoder_kwargs(directory, config):
    path = os.path.join(directory, CONFIG_FILE)
    required = ("vocab_size", "dim", "n_layers", "n_heads", "hidden_dim")
    missing = [k for k in required if k not in config]
    if missing:
        raise ValueError(
            f"{path} lacks the entries {missing}, which a DistilBERT config needs."
        )
    for key in required + ("max_position_embeddings",):
        value = config.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{path}: {key}={value!r} must be a positive int. The file is "
                "corrupt or not a DistilBERT config."
            )
    for key in ("dropout", "attention_dropout"):
        value = config.get(key, 0.1)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 <= value < 1
        ):
            raise ValueError(
                f"{path}: {key}={value!r} must be a number in [0, 1). The file "
                "is corrupt or not a DistilBERT config."
            )
    act = config.get("activation", "gelu")
    if act not in _HF_ACTIVATIONS:
        raise ValueError(
            f"{path}: activation={act!r} is not supported. Supported: "
            f"{sorted(_HF_ACTIVATIONS)}."
        )
    if config["dim"] % config["n_heads"]:
        raise ValueError(
            f"{path}: dim={config['dim']} is not divisible by "
            f"n_heads={config['n_heads']}."
        )
    return dict(
        vocab_size=config["vocab_size"],
        hidden_size=config["dim"],
        num_layers=config["n_layers"],
        num_attention_heads=config["n_heads"],
        max_sequence_length=config.get("max_position_embeddings", 512),
        inner_dim=config["hidden_dim"],
        inner_activation=_HF_ACTIVATIONS[act],
        output_dropout=float(config.get("dropout", 0.1)),
        attention_dropout=float(config.get("attention_dropout", 0.1)),
        norm_epsilon=_NORM_EPSILON,
    )


def _weight_plan(encoder):
    """(HuggingFace names, HF shape, our variable, HF -> ours, ours -> HF)."""
    hidden = encoder.get_config()["hidden_size"]
    plan = wp.embedding(
        "embeddings.word_embeddings.weight", encoder.word_embedding.embeddings
    )
    plan += wp.embedding(
        "embeddings.position_embeddings.weight",
        encoder.position_embedding.position_embeddings,
    )
    plan += wp.norm("embeddings.LayerNorm", encoder.embedding_norm, hidden)
    return plan + wp.encoder_layers(encoder, "transformer.layer", wp.DISTIL_BERT_LAYER)


def _expected_shapes(kwargs):
    """The names and shapes `_weight_plan` reads, from the config alone."""
    hidden = kwargs["hidden_size"]
    plan = [
        (["embeddings.word_embeddings.weight"], (kwargs["vocab_size"], hidden)),
        (
            ["embeddings.position_embeddings.weight"],
            (kwargs["max_sequence_length"], hidden),
        ),
        (["embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma"], (hidden,)),
        (["embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta"], (hidden,)),
    ]
    return plan + wp.encoder_layer_shapes(
        kwargs, "transformer.layer", wp.DISTIL_BERT_LAYER
    )


def from_huggingface(directory, config, encoder_overrides):
    """A `DistilBertEncoder` with the weights of the checkpoint in `directory`."""
    kwargs = _encoder_kwargs(directory, config)
    huggingface.check_overrides(encoder_overrides, _SHAPE_ARGS)
    kwargs.update(encoder_overrides)
    what = (
        f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
        f"(DistilBERT with hidden_size={kwargs['hidden_size']}, num_layers="
        f"{kwargs['num_layers']}, vocab_size={kwargs['vocab_size']})"
    )
    shapes = huggingface.strip_prefix(
        huggingface.read_checkpoint_shapes(directory), _PREFIX
    )
    problems = huggingface.shape_problems(shapes, _expected_shapes(kwargs))
    if problems:
        raise ValueError(
            f"{what}: " + "; ".join(problems[:10]) + ". Nothing was built."
        )
    tensors = huggingface.strip_prefix(
        huggingface.read_checkpoint_tensors(directory), _PREFIX
    )
    encoder = DistilBertEncoder(**kwargs)
    huggingface.assign_planned(tensors, _weight_plan(encoder), what)
    return encoder


def to_huggingface(encoder, directory):
    """Writes `encoder` as a HuggingFace `DistilBertModel` checkpoint."""
    import safetensors.numpy

    cfg = encoder.get_config()
    activation = activations.serialize_activation(cfg["inner_activation"])
    if activation not in _OUR_ACTIVATIONS:
        raise ValueError(
            f"inner_activation={activation!r} has no HuggingFace equivalent. "
            f"Supported: {sorted(_OUR_ACTIVATIONS)}."
        )
    if cfg["norm_epsilon"] != _NORM_EPSILON:
        raise ValueError(
            f"HuggingFace DistilBERT fixes the layer-norm epsilon at 1e-12; this "
            f"encoder has norm_epsilon={cfg['norm_epsilon']}."
        )
    os.makedirs(directory, exist_ok=True)
    tensors = {
        names[0]: np.ascontiguousarray(to_hf(np.asarray(variable.numpy(), "float32")))
        for names, _, variable, _, to_hf in _weight_plan(encoder)
    }
    safetensors.numpy.save_file(
        tensors, os.path.join(directory, SAFETENSORS_FILE), metadata={"format": "pt"}
    )
    hf_config = {
        "architectures": ["DistilBertModel"],
        "model_type": "distilbert",
        "vocab_size": cfg["vocab_size"],
        "dim": cfg["hidden_size"],
        "n_layers": cfg["num_layers"],
        "n_heads": cfg["num_attention_heads"],
        "hidden_dim": cfg["inner_dim"],
        "activation": _OUR_ACTIVATIONS[activation],
        "dropout": cfg["output_dropout"],
        "attention_dropout": cfg["attention_dropout"],
        "max_position_embeddings": cfg["max_sequence_length"],
        "sinusoidal_pos_embds": False,
        "initializer_range": 0.02,
        "pad_token_id": 0,
    }
    with open(os.path.join(directory, CONFIG_FILE), "w") as f:
        json.dump(hf_config, f, indent=2, sort_keys=True)
    return directory


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


huggingface.register_converter("distilbert", sys.modules[__name__])
