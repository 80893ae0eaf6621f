# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ALBERT checkpoints in the HuggingFace layout (`model_type` "albert")
<-> `AlbertEncoder`, and the weights of its task heads. Registered with
`keras_nlp.src.convert.huggingface`."""

import json
import os
import sys

import numpy as np

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert.huggingface import _HF_ACTIVATIONS
from keras_nlp.src.convert.huggingface import _OUR_ACTIVATIONS
from keras_nlp.src.convert.huggingface import CONFIG_FILE
from keras_nlp.src.convert.huggingface import SAFETENSORS_FILE
from keras_nlp.src.models.albert.albert_encoder import AlbertEncoder
from keras_nlp.src.utils import activations

backbone_cls = AlbertEncoder
_PREFIX = "albert."
_SHAPE_ARGS = (
    "vocab_size",
    "hidden_size",
    "num_layers",
    "num_attention_heads",
    "max_sequence_length",
    "type_vocab_size",
    "inner_dim",
    "embedding_width",
    "num_groups",
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
            f"{path} lacks the entries {missing}, which an ALBERT config needs."
        )
    for key in required + (
        "max_position_embeddings",
        "type_vocab_size",
        "embedding_size",
        "num_hidden_groups",
        "inner_group_num",
    ):
        value = config.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{path}: {key}={value!r} must be a positive int. The file is "
                "corrupt or not an ALBERT config."
            )
    for key, default in (
        ("hidden_dropout_prob", 0.0),
        ("attention_probs_dropout_prob", 0.0),
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
                "is corrupt or not an ALBERT config."
            )
    if config.get("inner_group_num", 1) != 1:
        raise ValueError(
            f"{path}: inner_group_num={config['inner_group_num']} is not "
            "supported; AlbertEncoder has one layer per group (as every "
            "published ALBERT checkpoint)."
        )
    if config["num_hidden_layers"] % config.get("num_hidden_groups", 1):
        raise ValueError(
            f"{path}: num_hidden_groups={config['num_hidden_groups']} does not "
            f"divide num_hidden_layers={config['num_hidden_layers']}."
        )
    act = config.get("hidden_act", "gelu_new")
    if act not in _HF_ACTIVATIONS:
        raise ValueError(
            f"{path}: hidden_act={act!r} is not supported. Supported: "
            f"{sorted(_HF_ACTIVATIONS)}."
        )
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(
            f"{path}: position_embedding_type="
            f"{config['position_embedding_type']!r} is not supported; "
            "AlbertEncoder uses absolute position embeddings."
        )
    if config["hidden_size"] % config["num_attention_heads"]:
        raise ValueError(
            f"{path}: hidden_size={config['hidden_size']} is not divisible by "
            f"num_attention_heads={config['num_attention_heads']}."
        )
    width = config.get("embedding_size", 128)
    return dict(
        vocab_size=config["vocab_size"],
        hidden_size=config["hidden_size"],
        num_layers=config["num_hidden_layers"],
        num_attention_heads=config["num_attention_heads"],
        max_sequence_length=config.get("max_position_embeddings", 512),
        type_vocab_size=config.get("type_vocab_size", 2),
        inner_dim=config["intermediate_size"],
        embedding_width=width,
        num_groups=config.get("num_hidden_groups", 1),
        inner_activation=_HF_ACTIVATIONS[act],
        output_dropout=float(config.get("hidden_dropout_prob", 0.0)),
        attention_dropout=float(config.get("attention_probs_dropout_prob", 0.0)),
        norm_epsilon=float(config.get("layer_norm_eps", 1e-12)),
    )


def _weight_plan(encoder):
    """(HuggingFace names, HF shape, our variable, HF -> ours, ours -> HF)."""
    cfg = encoder.get_config()
    hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    head_dim, inner = hidden // heads, cfg["inner_dim"]
    width = cfg["embedding_width"]

    def same(x):
        return x

    def transpose(x):
        return x.T

    def linear(prefix, dense, in_dim, out_dim):
        return [
            (
                [f"{prefix}.weight"],
                (out_dim, in_dim),
                dense.kernel,
                transpose,
                transpose,
            ),
            ([f"{prefix}.bias"], (out_dim,), dense.bias, same, same),
        ]

    def norm(prefix, layer, size=hidden):
        return [
            ([f"{prefix}.weight"], (size,), layer.gamma, same, same),
            ([f"{prefix}.bias"], (size,), layer.beta, same, same),
        ]

    def projection(prefix, dense):
        return [
            (
                [f"{prefix}.weight"],
                (hidden, hidden),
                dense.kernel,
                lambda w: w.T.reshape(hidden, heads, head_dim),
                lambda k: k.reshape(hidden, hidden).T,
            ),
            (
                [f"{prefix}.bias"],
                (hidden,),
                dense.bias,
                lambda b: b.reshape(heads, head_dim),
                lambda b: b.reshape(hidden),
            ),
        ]

    plan = [
        (
            ["embeddings.word_embeddings.weight"],
            (cfg["vocab_size"], width),
            encoder.word_embedding.embeddings,
            same,
            same,
        ),
        (
            ["embeddings.position_embeddings.weight"],
            (cfg["max_sequence_length"], width),
            encoder.position_embedding.position_embeddings,
            same,
            same,
        ),
        (
            ["embeddings.token_type_embeddings.weight"],
            (cfg["type_vocab_size"], width),
            encoder.type_embedding.embeddings,
            same,
            same,
        ),
    ]
    plan += norm("embeddings.LayerNorm", encoder.embedding_norm, width)
    plan += linear(
        "encoder.embedding_hidden_mapping_in",
        encoder.embedding_projection,
        width,
        hidden,
    )
    for g, layer in enumerate(encoder.transformer_layers):
        p = f"encoder.albert_layer_groups.{g}.albert_layers.0"
        attention = layer.attention_layer
        plan += projection(f"{p}.attention.query", attention.query_dense)
        plan += projection(f"{p}.attention.key", attention.key_dense)
        plan += projection(f"{p}.attention.value", attention.value_dense)
        plan += [
            (
                [f"{p}.attention.dense.weight"],
                (hidden, hidden),
                attention.output_dense.kernel,
                lambda w: w.T.reshape(heads, head_dim, hidden),
                lambda k: k.reshape(hidden, hidden).T,
            ),
            (
                [f"{p}.attention.dense.bias"],
                (hidden,),
                attention.output_dense.bias,
                same,
                same,
            ),
        ]
        plan += norm(f"{p}.attention.LayerNorm", layer.attention_norm)
        plan += linear(f"{p}.ffn", layer.inner_dense, hidden, inner)
        plan += linear(f"{p}.ffn_output", layer.output_dense, inner, hidden)
        plan += norm(f"{p}.full_layer_layer_norm", layer.output_norm)
    plan += linear("pooler", encoder.pooler, hidden, hidden)
    return plan


def _expected_shapes(kwargs):
    """The names and shapes `_weight_plan` reads, from the config alone."""
    hidden, inner = kwargs["hidden_size"], kwargs["inner_dim"]
    width = kwargs["embedding_width"]
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
        (["embeddings.LayerNorm.weight"], (width,)),
        (["embeddings.LayerNorm.bias"], (width,)),
        (["encoder.embedding_hidden_mapping_in.weight"], (hidden, width)),
        (["encoder.embedding_hidden_mapping_in.bias"], (hidden,)),
        (["pooler.weight"], (hidden, hidden)),
        (["pooler.bias"], (hidden,)),
    ]
    for g in range(kwargs["num_groups"]):
        p = f"encoder.albert_layer_groups.{g}.albert_layers.0"
        for name, shape in (
            ("attention.query", (hidden, hidden)),
            ("attention.key", (hidden, hidden)),
            ("attention.value", (hidden, hidden)),
            ("attention.dense", (hidden, hidden)),
            ("ffn", (inner, hidden)),
            ("ffn_output", (hidden, inner)),
        ):
            plan.append(([f"{p}.{name}.weight"], shape))
            plan.append(([f"{p}.{name}.bias"], (shape[0],)))
        for name in ("attention.LayerNorm", "full_layer_layer_norm"):
            plan.append(([f"{p}.{name}.weight"], (hidden,)))
            plan.append(([f"{p}.{name}.bias"], (hidden,)))
    return plan


def from_huggingface(directory, config, encoder_overrides):
    """An `AlbertEncoder` with the weights of the checkpoint in `directory`."""
    kwargs = _encoder_kwargs(directory, config)
    huggingface.check_overrides(encoder_overrides, _SHAPE_ARGS)
    kwargs.update(encoder_overrides)
    what = (
        f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
        f"(ALBERT with hidden_size={kwargs['hidden_size']}, num_layers="
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
    encoder = AlbertEncoder(**kwargs)
    huggingface.assign_planned(tensors, _weight_plan(encoder), what)
    return encoder


def to_huggingface(encoder, directory):
    """Writes `encoder` as a HuggingFace `AlbertModel` checkpoint."""
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
        "architectures": ["AlbertModel"],
        "model_type": "albert",
        "vocab_size": cfg["vocab_size"],
        "embedding_size": cfg["embedding_width"],
        "num_hidden_groups": cfg["num_groups"],
        "inner_group_num": 1,
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
        "bos_token_id": 2,
        "eos_token_id": 3,
    }
    with open(os.path.join(directory, CONFIG_FILE), "w") as f:
        json.dump(hf_config, f, indent=2, sort_keys=True)
    return directory


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

    def same(x):
        return x

    def transpose(x):
        return x.T

    def dense(prefix, layer):
        out_dim, in_dim = layer.kernel.shape[1], layer.kernel.shape[0]
        return [
            ([f"{prefix}.weight"], (out_dim, in_dim), layer.kernel, transpose, None),
            ([f"{prefix}.bias"], (out_dim,), layer.bias, same, None),
        ]

    if isinstance(task, tasks.AlbertMaskedLM):
        head = task.get_layer("masked_lm_head")
        plan = dense("predictions.dense", head.dense)
        plan += [
            (
                ["predictions.LayerNorm.weight"],
                head.norm.gamma.shape,
                head.norm.gamma,
                same,
                None,
            ),
            (
                ["predictions.LayerNorm.bias"],
                head.norm.beta.shape,
                head.norm.beta,
                same,
                None,
            ),
            (
                ["predictions.bias"],
                head.output_bias.shape,
                head.output_bias,
                same,
                None,
            ),
        ]
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


huggingface.register_converter("albert", sys.modules[__name__])
