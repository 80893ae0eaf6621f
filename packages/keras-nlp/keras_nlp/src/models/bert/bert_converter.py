# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT checkpoints in the HuggingFace layout (`model_type` "bert") <->
`BertEncoder`. Registered with `keras_nlp.src.convert.huggingface`."""

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
from keras_nlp.src.convert.huggingface import read_checkpoint_shapes
from keras_nlp.src.convert.huggingface import read_checkpoint_tensors
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.utils import activations

backbone_cls = BertEncoder


def _check_config(directory, config):
    """Raises unless `config` describes a BERT model we can build."""
    path = os.path.join(directory, CONFIG_FILE)
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(
            f"{path}: position_embedding_type={config['position_embedding_type']!r} "
            "is not supported; BertEncoder uses absolute position embeddings."
        )
    act = config.get("hidden_act", "gelu")
    if act not in _HF_ACTIVATIONS:
        raise ValueError(
            f"{path}: hidden_act={act!r} is not supported. Supported: {sorted(_HF_ACTIVATIONS)}."
        )
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
            f"{path} lacks the entries {missing}, which a BERT config needs."
        )
    for key in required + ("max_position_embeddings", "type_vocab_size"):
        value = config.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{path}: {key}={value!r} must be a positive int. The file is "
                "corrupt or not a BERT config."
            )
    for key, low, high in (
        ("hidden_dropout_prob", 0.0, 1.0),
        ("attention_probs_dropout_prob", 0.0, 1.0),
        ("layer_norm_eps", 0.0, 1.0),
    ):
        value = config.get(key, 0.1)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not low <= value < high
            or (key == "layer_norm_eps" and value <= 0)
        ):
            raise ValueError(
                f"{path}: {key}={value!r} must be a number in [{low}, {high}). "
                "The file is corrupt or not a BERT config."
            )
    if config["hidden_size"] % config["num_attention_heads"]:
        raise ValueError(
            f"{path}: hidden_size={config['hidden_size']} is not divisible by "
            f"num_attention_heads={config['num_attention_heads']}."
        )


def _encoder_kwargs(config):
    return dict(
        vocab_size=int(config["vocab_size"]),
        hidden_size=int(config["hidden_size"]),
        num_layers=int(config["num_hidden_layers"]),
        num_attention_heads=int(config["num_attention_heads"]),
        max_sequence_length=int(config.get("max_position_embeddings", 512)),
        type_vocab_size=int(config.get("type_vocab_size", 2)),
        inner_dim=int(config["intermediate_size"]),
        inner_activation=_HF_ACTIVATIONS[config.get("hidden_act", "gelu")],
        output_dropout=float(config.get("hidden_dropout_prob", 0.1)),
        attention_dropout=float(config.get("attention_probs_dropout_prob", 0.1)),
        norm_epsilon=float(config.get("layer_norm_eps", 1e-12)),
    )


def _expected_shapes(kwargs):
    """(HuggingFace names, shape) of every BERT tensor the config implies.

    The same names and shapes as `_weight_plan`, computed from the
    config alone so that they can be checked before building a model.
    """
    hidden = kwargs["hidden_size"]
    plan = [
        (["embeddings.word_embeddings.weight"], (kwargs["vocab_size"], hidden)),
        (
            ["embeddings.position_embeddings.weight"],
            (kwargs["max_sequence_length"], hidden),
        ),
        (
            ["embeddings.token_type_embeddings.weight"],
            (kwargs["type_vocab_size"], hidden),
        ),
        (["embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma"], (hidden,)),
        (["embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta"], (hidden,)),
    ]
    plan += wp.encoder_layer_shapes(kwargs, "encoder.layer")
    plan += [(["pooler.dense.weight"], (hidden, hidden))]
    plan += [(["pooler.dense.bias"], (hidden,))]
    return plan


def _shape_problems(shapes, kwargs):
    """Every tensor missing or shaped otherwise than the config implies."""
    has_pooler = any(name.startswith("pooler.") for name in shapes)
    problems = []
    for names, expected in _expected_shapes(kwargs):
        if names[0].startswith("pooler.") and not has_pooler:
            continue
        name = next((n for n in names if n in shapes), names[0])
        if name not in shapes:
            problems.append(f"missing tensor {name!r} (expected shape {expected})")
        elif tuple(shapes[name]) != tuple(expected):
            problems.append(
                f"tensor {name!r} has shape {tuple(shapes[name])} but the "
                f"config implies {expected}"
            )
    return problems


def _strip_prefix(tensors):
    """Drops the `bert.` prefix of task and pre-training checkpoints."""
    if any(name.startswith("bert.") for name in tensors):
        return {
            name[len("bert.") :]: value
            for name, value in tensors.items()
            if name.startswith("bert.")
        }
    return dict(tensors)


def _get(tensors, names):
    """The first of `names` present (old checkpoints say gamma/beta)."""
    for name in names:
        if name in tensors:
            return name, tensors[name]
    return names[0], None


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
    plan += wp.embedding(
        "embeddings.token_type_embeddings.weight", encoder.type_embedding.embeddings
    )
    plan += wp.norm("embeddings.LayerNorm", encoder.embedding_norm, hidden)
    plan += wp.encoder_layers(encoder, "encoder.layer")
    plan += wp.linear("pooler.dense", encoder.pooler_layer, hidden, hidden)
    return plan


def from_huggingface(directory, config, encoder_overrides):
    """A `BertEncoder` with the weights of the checkpoint in `directory`."""
    _check_config(directory, config)
    kwargs = _encoder_kwargs(config)
    shape_args = {
        "vocab_size",
        "hidden_size",
        "num_layers",
        "num_attention_heads",
        "max_sequence_length",
        "type_vocab_size",
        "inner_dim",
        "embedding_width",
    }
    clash = sorted(shape_args & set(encoder_overrides))
    if clash:
        raise ValueError(
            f"{clash} are set by the checkpoint's {CONFIG_FILE} and cannot be overridden: "
            "they determine the weight shapes."
        )
    kwargs.update(encoder_overrides)
    # Shapes first, from the file headers: a config that does not fit the
    # weights (or a corrupt file) fails here, before anything is allocated.
    problems = _shape_problems(_strip_prefix(read_checkpoint_shapes(directory)), kwargs)
    if problems:
        raise ValueError(
            f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
            f"(BERT with hidden_size={kwargs['hidden_size']}, num_layers="
            f"{kwargs['num_layers']}, vocab_size={kwargs['vocab_size']}): "
            + "; ".join(problems[:10])
            + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            + ". Nothing was built."
        )
    tensors = _strip_prefix(read_checkpoint_tensors(directory))
    encoder = BertEncoder(**kwargs)

    problems, assignments = [], []
    has_pooler = any(name.startswith("pooler.") for name in tensors)
    for names, hf_shape, variable, to_ours, _ in _weight_plan(encoder):
        if names[0].startswith("pooler.") and not has_pooler:
            continue
        name, value = _get(tensors, names)
        if value is None:
            problems.append(f"missing tensor {name!r} (expected shape {hf_shape})")
        elif tuple(value.shape) != tuple(hf_shape):
            problems.append(
                f"tensor {name!r} has shape {tuple(value.shape)} but the config implies {hf_shape}"
            )
        else:
            assignments.append((variable, to_ours(np.asarray(value, dtype="float32"))))
    if problems:
        raise ValueError(
            f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
            f"(BERT with hidden_size={kwargs['hidden_size']}, num_layers={kwargs['num_layers']}, "
            f"vocab_size={kwargs['vocab_size']}): " + "; ".join(problems) + "."
        )
    for variable, value in assignments:
        variable.assign(value)
    if not has_pooler:
        import warnings

        warnings.warn(
            f"The checkpoint in {directory!r} has no pooler weights; `pooled_output` "
            "comes from a randomly initialised pooler.",
            stacklevel=2,
        )
    return encoder


def to_huggingface(encoder, directory):
    """Writes `encoder` as a HuggingFace `BertModel` checkpoint."""
    import safetensors.numpy

    if not isinstance(encoder, BertEncoder):
        raise TypeError(
            f"to_huggingface expects a BertEncoder. Received: {type(encoder).__name__}."
        )
    cfg = encoder.get_config()
    if cfg["embedding_width"] not in (None, cfg["hidden_size"]):
        raise ValueError(
            "HuggingFace BERT has no factorised embeddings; this encoder has "
            f"embedding_width={cfg['embedding_width']} != hidden_size={cfg['hidden_size']}."
        )
    activation = activations.serialize_activation(cfg["inner_activation"])
    if activation not in _OUR_ACTIVATIONS:
        raise ValueError(
            f"inner_activation={activation!r} has no HuggingFace equivalent. "
            f"Supported: {sorted(_OUR_ACTIVATIONS)}."
        )
    os.makedirs(directory, exist_ok=True)
    tensors = {}
    for names, _, variable, _, to_hf in _weight_plan(encoder):
        tensors[names[0]] = np.ascontiguousarray(
            to_hf(np.asarray(variable.numpy(), dtype="float32"))
        )
    safetensors.numpy.save_file(
        tensors, os.path.join(directory, SAFETENSORS_FILE), metadata={"format": "pt"}
    )
    hf_config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": cfg["vocab_size"],
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


huggingface.register_converter("bert", sys.modules[__name__])
