# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ELECTRA discriminator checkpoints in the HuggingFace layout
(`model_type` "electra") <-> `ElectraEncoder`, and the weights of its task
heads. Registered with `keras_nlp.src.convert.huggingface`."""

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
from keras_nlp.src.models.electra.electra_encoder import ElectraEncoder
from keras_nlp.src.utils import activations

backbone_cls = ElectraEncoder
_PREFIX = "electra."
_SHAPE_ARGS = (
    "vocab_size",
    "hidden_size",
    "num_layers",
    "num_attention_heads",
    "max_sequence_length",
    "type_vocab_size",
    "inner_dim",
    "embedding_width",
)


def _encoder_kwargs(directory, config):
    path = os.path.join(directory, CONFIG_FILE)
    required = (
        "vocab_size",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "intermediate_size",
    )
    missing = [k for k in required if k not in config]
    if missing:
        raise ValueError(
            f"{path} lacks the entries {missing}, which an ELECTRA config needs."
        )
    for key in required + (
        "max_position_embeddings",
        "type_vocab_size",
        "embedding_size",
    ):
        value = config.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{path}: {key}={value!r} must be a positive int. The file is "
                "corrupt or not an ELECTRA config."
            )
    for key, default in (
        ("hidden_dropout_prob", 0.1),
        ("attention_probs_dropout_prob", 0.1),
        ("layer_norm_eps", 1e-12),
    ):
        value = config.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 <= value < 1
            or (key == "layer_norm_eps" and value <= 0)
        ):
            raise ValueError(
                f"{path}: {key}={value!r} must be a number in [0, 1). The file "
                "is corrupt or not an ELECTRA config."
            )
    act = config.get("hidden_act", "gelu")
    if act not in _HF_ACTIVATIONS:
        raise ValueError(
            f"{path}: hidden_act={act!r} is not supported. Supported: "
            f"{sorted(_HF_ACTIVATIONS)}."
        )
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(
            f"{path}: position_embedding_type="
            f"{config['position_embedding_type']!r} is not supported; "
            "ElectraEncoder uses absolute position embeddings."
        )
    if config["hidden_size"] % config["num_attention_heads"]:
        raise ValueError(
            f"{path}: hidden_size={config['hidden_size']} is not divisible by "
            f"num_attention_heads={config['num_attention_heads']}."
        )
    width = config.get("embedding_size", config["hidden_size"])
    return dict(
        vocab_size=config["vocab_size"],
        hidden_size=config["hidden_size"],
        num_layers=config["num_hidden_layers"],
        num_attention_heads=config["num_attention_heads"],
        max_sequence_length=config.get("max_position_embeddings", 512),
        type_vocab_size=config.get("type_vocab_size", 2),
        inner_dim=config["intermediate_size"],
        embedding_width=None if width == config["hidden_size"] else width,
        inner_activation=_HF_ACTIVATIONS[act],
        output_dropout=float(config.get("hidden_dropout_prob", 0.1)),
        attention_dropout=float(config.get("attention_probs_dropout_prob", 0.1)),
        norm_epsilon=float(config.get("layer_norm_eps", 1e-12)),
    )


def _weight_plan(encoder):
    """(HuggingFace names, HF shape, our variable, HF -> ours, ours -> HF)."""
    cfg = encoder.get_config()
    hidden = cfg["hidden_size"]
    width = cfg["embedding_width"] or hidden
    plan = wp.embedding(
        "embeddings.word_embeddings.weight", encoder.word_embedding.embeddings
    )
    plan += wp.embedding(
        "embeddings.position_embeddings.weight",
        encoder.position_embedding.position_embeddings,
    )
    plan += wp.embedding(
        "embeddings.token_type_embeddings.weight", encoder.type_embedding.embeddings
    )
    plan += wp.norm("embeddings.LayerNorm", encoder.embedding_norm, width)
    if encoder.embedding_projection is not None:
        plan += wp.linear(
            "embeddings_project", encoder.embedding_projection, width, hidden
        )
    return plan + wp.encoder_layers(encoder, "encoder.layer")


def _expected_shapes(kwargs):
    """The names and shapes `_weight_plan` reads, from the config alone."""
    hidden = kwargs["hidden_size"]
    width = kwargs["embedding_width"] or hidden
    plan = [
        (["embeddings.word_embeddings.weight"], (kwargs["vocab_size"], width)),
        (
            ["embeddings.position_embeddings.weight"],
            (kwargs["max_sequence_length"], width),
        ),
        (
            ["embeddings.token_type_embeddings.weight"],
            (kwargs["type_vocab_size"], width),
        ),
        (["embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma"], (width,)),
        (["embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta"], (width,)),
    ]
    if width != hidden:
        plan.append((["embeddings_project.weight"], (hidden, width)))
        plan.append((["embeddings_project.bias"], (hidden,)))
    return plan + wp.encoder_layer_shapes(kwargs, "encoder.layer")


def from_huggingface(directory, config, encoder_overrides):
    """An `ElectraEncoder` with the weights of the checkpoint in `directory`."""
    kwargs = _encoder_kwargs(directory, config)
    huggingface.check_overrides(encoder_overrides, _SHAPE_ARGS)
    kwargs.update(encoder_overrides)
    what = (
        f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
        f"(ELECTRA with hidden_size={kwargs['hidden_size']}, num_layers="
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
    encoder = ElectraEncoder(**kwargs)
    huggingface.assign_planned(tensors, _weight_plan(encoder), what)
    return encoder


def to_huggingface(encoder, directory):
    """Writes `encoder` as a HuggingFace `ElectraModel` checkpoint."""
    import safetensors.numpy

    cfg = encoder.get_config()
    activation = activations.serialize_activation(cfg["inner_activation"])
    if activation not in _OUR_ACTIVATIONS:
        raise ValueError(
            f"inner_activation={activation!r} has no HuggingFace equivalent. "
            f"Supported: {sorted(_OUR_ACTIVATIONS)}."
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
        "architectures": ["ElectraModel"],
        "model_type": "electra",
        "vocab_size": cfg["vocab_size"],
        "embedding_size": cfg["embedding_width"] or cfg["hidden_size"],
        "hidden_size": cfg["hidden_size"],
        "num_hidden_layers": cfg["num_layers"],
        "num_attention_heads": cfg["num_attention_heads"],
        "intermediate_size": cfg["inner_dim"],
        "hidden_act": _OUR_ACTIVATIONS[activation],
        "hidden_dropout_prob": cfg["output_dropout"],
        "attention_probs_dropout_prob": cfg["attention_dropout"],
        "max_position_embeddings": cfg["max_sequence_length"],
        "type_vocab_size": cfg["type_vocab_size"],
        "layer_norm_eps": cfg["norm_epsilon"],
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
        "pad_token_id": 0,
    }
    with open(os.path.join(directory, CONFIG_FILE), "w") as f:
        json.dump(hf_config, f, indent=2, sort_keys=True)
    return directory


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


huggingface.register_converter("electra", sys.modules[__name__])
