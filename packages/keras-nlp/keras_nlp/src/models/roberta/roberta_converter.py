# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RoBERTa checkpoints in the HuggingFace layout (`model_type` "roberta")
<-> `RobertaEncoder`, its tokenizer files, and the weights of its task
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
from keras_nlp.src.models.roberta.roberta_encoder import RobertaEncoder
from keras_nlp.src.utils import activations

backbone_cls = RobertaEncoder
_PREFIX = "roberta."
_SHAPE_ARGS = (
    "vocab_size",
    "hidden_size",
    "num_layers",
    "num_attention_heads",
    "max_sequence_length",
    "inner_dim",
    "type_vocab_size",
    "padding_id",
)
VOCABULARY_FILE = "vocab.json"
MERGES_FILE = "merges.txt"
TOKENIZER_FILE = "tokenizer.json"


def encoder_kwargs(directory, config, family="RoBERTa"):
    """`RobertaEncoder` arguments from a RoBERTa-style `config.json`."""
    path = os.path.join(directory, CONFIG_FILE)
    required = (
        "vocab_size",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "intermediate_size",
        "max_position_embeddings",
    )
    missing = [k for k in required if k not in config]
    if missing:
        raise ValueError(
            f"{path} lacks the entries {missing}, which a {family} config needs."
        )
    for key in required + ("type_vocab_size",):
        value = config.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{path}: {key}={value!r} must be a positive int. The file is "
                f"corrupt or not a {family} config."
            )
    pad = config.get("pad_token_id", 1)
    if isinstance(pad, bool) or not isinstance(pad, int) or pad < 0:
        raise ValueError(
            f"{path}: pad_token_id={pad!r} must be an int >= 0 (RoBERTa's is 1)."
        )
    longest = config["max_position_embeddings"] - pad - 1
    if longest < 1:
        raise ValueError(
            f"{path}: max_position_embeddings={config['max_position_embeddings']} "
            f"leaves no position after the padding index {pad}: {family} numbers "
            "positions from pad_token_id + 1."
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
                f"is corrupt or not a {family} config."
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
            f"{family} encoders use absolute position embeddings."
        )
    if config["hidden_size"] % config["num_attention_heads"]:
        raise ValueError(
            f"{path}: hidden_size={config['hidden_size']} is not divisible by "
            f"num_attention_heads={config['num_attention_heads']}."
        )
    return dict(
        vocab_size=config["vocab_size"],
        hidden_size=config["hidden_size"],
        num_layers=config["num_hidden_layers"],
        num_attention_heads=config["num_attention_heads"],
        max_sequence_length=longest,
        inner_dim=config["intermediate_size"],
        type_vocab_size=config.get("type_vocab_size", 1),
        padding_id=pad,
        inner_activation=_HF_ACTIVATIONS[act],
        output_dropout=float(config.get("hidden_dropout_prob", 0.1)),
        attention_dropout=float(config.get("attention_probs_dropout_prob", 0.1)),
        norm_epsilon=float(config.get("layer_norm_eps", 1e-12)),
    )


def weight_plan(encoder):
    """(HuggingFace names, HF shape, our variable, HF -> ours, ours -> HF)."""
    hidden = encoder.get_config()["hidden_size"]
    plan = wp.embedding(
        "embeddings.word_embeddings.weight", encoder.word_embedding.embeddings
    )
    plan += wp.embedding(
        "embeddings.position_embeddings.weight", encoder.position_embedding.embeddings
    )
    plan += wp.embedding(
        "embeddings.token_type_embeddings.weight", encoder.type_embedding.embeddings
    )
    plan += wp.norm("embeddings.LayerNorm", encoder.embedding_norm, hidden)
    return plan + wp.encoder_layers(encoder, "encoder.layer")


def expected_shapes(kwargs):
    """The names and shapes `weight_plan` reads, from the config alone."""
    hidden = kwargs["hidden_size"]
    positions = kwargs["max_sequence_length"] + kwargs["padding_id"] + 1
    plan = [
        (["embeddings.word_embeddings.weight"], (kwargs["vocab_size"], hidden)),
        (["embeddings.position_embeddings.weight"], (positions, hidden)),
        (
            ["embeddings.token_type_embeddings.weight"],
            (kwargs["type_vocab_size"], hidden),
        ),
        (["embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma"], (hidden,)),
        (["embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta"], (hidden,)),
    ]
    return plan + wp.encoder_layer_shapes(kwargs, "encoder.layer")


def load_encoder(directory, config, encoder_overrides, cls, prefix, family):
    """An encoder of class `cls` with the weights of the checkpoint (shared
    by RoBERTa and XLM-RoBERTa)."""
    kwargs = encoder_kwargs(directory, config, family)
    huggingface.check_overrides(encoder_overrides, _SHAPE_ARGS)
    kwargs.update(encoder_overrides)
    what = (
        f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
        f"({family} with hidden_size={kwargs['hidden_size']}, num_layers="
        f"{kwargs['num_layers']}, vocab_size={kwargs['vocab_size']})"
    )
    shapes = huggingface.strip_prefix(
        huggingface.read_checkpoint_shapes(directory), prefix
    )
    problems = huggingface.shape_problems(shapes, expected_shapes(kwargs))
    if problems:
        raise ValueError(
            f"{what}: " + "; ".join(problems[:10]) + ". Nothing was built."
        )
    tensors = huggingface.strip_prefix(
        huggingface.read_checkpoint_tensors(directory), prefix
    )
    encoder = cls(**kwargs)
    huggingface.assign_planned(tensors, weight_plan(encoder), what)
    return encoder


def from_huggingface(directory, config, encoder_overrides):
    """A `RobertaEncoder` with the weights of the checkpoint in `directory`."""
    return load_encoder(
        directory, config, encoder_overrides, RobertaEncoder, _PREFIX, "RoBERTa"
    )


def save_encoder(encoder, directory, model_type, architecture):
    """Writes a RoBERTa-style encoder as a HuggingFace checkpoint."""
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
        for names, _, variable, _, to_hf in weight_plan(encoder)
    }
    safetensors.numpy.save_file(
        tensors, os.path.join(directory, SAFETENSORS_FILE), metadata={"format": "pt"}
    )
    hf_config = {
        "architectures": [architecture],
        "model_type": model_type,
        "vocab_size": cfg["vocab_size"],
        "hidden_size": cfg["hidden_size"],
        "num_hidden_layers": cfg["num_layers"],
        "num_attention_heads": cfg["num_attention_heads"],
        "intermediate_size": cfg["inner_dim"],
        "hidden_act": _OUR_ACTIVATIONS[activation],
        "hidden_dropout_prob": cfg["output_dropout"],
        "attention_probs_dropout_prob": cfg["attention_dropout"],
        "max_position_embeddings": cfg["max_sequence_length"] + cfg["padding_id"] + 1,
        "type_vocab_size": cfg["type_vocab_size"],
        "layer_norm_eps": cfg["norm_epsilon"],
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
        "pad_token_id": cfg["padding_id"],
        "bos_token_id": 0,
        "eos_token_id": 2,
    }
    with open(os.path.join(directory, CONFIG_FILE), "w") as f:
        json.dump(hf_config, f, indent=2, sort_keys=True)
    return directory


def to_huggingface(encoder, directory):
    """Writes `encoder` as a HuggingFace `RobertaModel` checkpoint."""
    return save_encoder(encoder, directory, "roberta", "RobertaModel")


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            value = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} is truncated or corrupt: it is not valid JSON ({error}). "
            "Download or save the checkpoint again."
        ) from None
    if not isinstance(value, dict):
        raise ValueError(f"{path} is corrupt: it is not a JSON object.")
    return value


def tokenizer_from_huggingface(directory, sequence_length=None):
    """A `RobertaTokenizer` from `vocab.json` and `merges.txt`.

    `tokenizer_config.json` (when present) gives `add_prefix_space`;
    `tokenizer.json` (when present) tells which special tokens take the
    space before them (`lstrip`); without it `<mask>` does, as in the hub's
    RoBERTa tokenizers.
    """
    from keras_nlp.src.models.roberta.roberta_tokenizer import SPECIAL_TOKENS
    from keras_nlp.src.models.roberta.roberta_tokenizer import RobertaTokenizer

    paths = {
        name: os.path.join(directory, name) for name in (VOCABULARY_FILE, MERGES_FILE)
    }
    missing = [name for name, path in paths.items() if not os.path.isfile(path)]
    if missing:
        raise ValueError(
            f"No {' or '.join(missing)} in {directory!r}. RoBERTa checkpoints "
            f"keep their byte-level BPE vocabulary in {VOCABULARY_FILE} and "
            f"{MERGES_FILE}."
        )
    settings = {}
    config_path = os.path.join(directory, huggingface.TOKENIZER_CONFIG_FILE)
    if os.path.isfile(config_path):
        settings = _read_json(config_path)
    vocabulary = _read_json(paths[VOCABULARY_FILE])
    specials = [token for token in SPECIAL_TOKENS if token in vocabulary]
    lstrip = ["<mask>"] if "<mask>" in specials else []
    tokenizer_path = os.path.join(directory, TOKENIZER_FILE)
    if os.path.isfile(tokenizer_path):
        added = _read_json(tokenizer_path).get("added_tokens") or []
        lstrip = [
            token["content"]
            for token in added
            if isinstance(token, dict)
            and token.get("lstrip")
            and token.get("content") in specials
        ]
    return RobertaTokenizer(
        vocabulary,
        merges=paths[MERGES_FILE],
        sequence_length=sequence_length,
        add_prefix_space=bool(settings.get("add_prefix_space", False)),
        special_tokens=specials,
        lstrip_special_tokens=lstrip,
    )


def load_task_head(task, tensors):
    """Assigns a `transformers` RoBERTa task head to `task`'s head.

    `tensors` holds the head's tensors under their `transformers` names:
    `classifier.dense.*` and `classifier.out_proj.*`
    (`RobertaForSequenceClassification`, for a `RobertaClassifier`),
    `lm_head.dense.*`, `lm_head.layer_norm.*` and `lm_head.bias`
    (`RobertaForMaskedLM`), `qa_outputs.*` (`RobertaForQuestionAnswering`)
    or `classifier.*` (`RobertaForTokenClassification`).
    """
    from keras_nlp.src.models.masked_language_model import MaskedLanguageModel
    from keras_nlp.src.models.span_labeler import SpanLabeler
    from keras_nlp.src.models.text_classifier import TextClassifier
    from keras_nlp.src.models.token_classifier import TokenClassifier

    if not isinstance(task.encoder, RobertaEncoder):
        raise TypeError(
            "load_task_head takes a RoBERTa (or XLM-RoBERTa) task. Received: "
            f"{type(task).__name__}."
        )
    if isinstance(task, TextClassifier):
        plan = wp.dense_head("classifier.dense", task.get_layer("classifier_dense"))
        plan += wp.dense_head("classifier.out_proj", task.get_layer("logits"))
    elif isinstance(task, MaskedLanguageModel):
        head = task.get_layer("masked_lm_head")
        width = head.norm.gamma.shape[0]
        plan = wp.dense_head("lm_head.dense", head.dense)
        plan += wp.norm("lm_head.layer_norm", head.norm, width)
        plan += wp.embedding("lm_head.bias", head.output_bias)
    elif isinstance(task, SpanLabeler):
        plan = wp.dense_head("qa_outputs", task.get_layer("span_logits"))
    elif isinstance(task, TokenClassifier):
        plan = wp.dense_head("classifier", task.get_layer("token_logits"))
    else:
        raise TypeError(
            f"load_task_head takes a RoBERTa task. Received: {type(task).__name__}."
        )
    huggingface.assign_planned(tensors, plan, f"The {type(task).__name__} head")


huggingface.register_converter("roberta", sys.modules[__name__])
