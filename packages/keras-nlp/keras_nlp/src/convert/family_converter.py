# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What every family's HuggingFace conversion shares, written once.

A family's converter (`models/<family>/<family>_converter.py`) subclasses
`FamilyConverter` and gives only what is its own: the `config.json` keys it
checks, how they map to its encoder's arguments (`encoder_kwargs`), the
tensors a config implies (`expected_shapes`), the weight plan
(`weight_plan`) and the `config.json` it writes (`hf_config`). The skeleton
here checks the config, refuses overrides of shape arguments, checks the
checkpoint's shapes from the file headers before building anything, builds
the encoder, loads and verifies every tensor, and writes checkpoints back.
"""

import json
import os
import warnings

import numpy as np

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert.huggingface import CONFIG_FILE
from keras_nlp.src.convert.huggingface import HF_ACTIVATIONS
from keras_nlp.src.convert.huggingface import OUR_ACTIVATIONS
from keras_nlp.src.convert.huggingface import SAFETENSORS_FILE
from keras_nlp.src.models.encoder_base import shape_arguments
from keras_nlp.src.utils import activations

# The `config.json` keys of BERT-style families (BERT, ELECTRA, ALBERT,
# RoBERTa, XLM-RoBERTa) that every config must have.
BERT_STYLE_REQUIRED = (
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
)


def _article(family):
    return "an" if family[0] in "AEIOU" else "a"


class FamilyConverter:
    """The conversion of one family between HuggingFace checkpoints and
    its encoder (private; one instance per family is registered with
    `huggingface.register_converter`).

    Class attributes:
        model_type: the `model_type` of the family's `config.json`.
        family: the family's name in messages (`"ALBERT"`).
        architecture: the `architectures` entry written (`"AlbertModel"`).
        backbone_cls: the encoder class.
        prefix: the prefix of the encoder's tensors in task and
            pretraining checkpoints (`"albert."`), dropped when reading.
        required: `config.json` keys that must be present positive ints.
        positive: other keys that, when present, must be positive ints.
        fractions: keys that must be numbers in [0, 1), with their
            defaults (`layer_norm_eps` must also be > 0).
        activation_key, activation_default: the key naming the activation.
        heads: the keys of the hidden size and the number of heads (the
            first must be divisible by the second).
        absolute_positions: whether `position_embedding_type` must be
            `"absolute"`.
        optional_parts: `{tensor prefix: what is lost}` for parts a
            checkpoint may lack (BERT's pooler): they are skipped with a
            warning instead of failing.
    """

    model_type = None
    family = None
    architecture = None
    backbone_cls = None
    prefix = ""
    required = BERT_STYLE_REQUIRED
    positive = ("max_position_embeddings", "type_vocab_size")
    fractions = {
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "layer_norm_eps": 1e-12,
    }
    activation_key = "hidden_act"
    activation_default = "gelu"
    heads = ("hidden_size", "num_attention_heads")
    absolute_positions = True
    optional_parts = {}

    @property
    def shape_args(self):
        """The encoder arguments set by the config that change the weights'
        shapes (they cannot be overridden)."""
        return shape_arguments(self.backbone_cls)

    # What a family gives.

    def encoder_kwargs(self, path, config):
        """The encoder's arguments from a checked `config` (read at `path`)."""
        raise NotImplementedError

    def expected_shapes(self, kwargs):
        """`[(names, shape)]` of the tensors `weight_plan` reads, from the
        encoder's arguments alone (checked before anything is built)."""
        raise NotImplementedError

    def weight_plan(self, encoder):
        """The plan of `encoder`'s weights (see `convert.weight_plan`)."""
        raise NotImplementedError

    def hf_config(self, cfg, hidden_act):
        """The family's `config.json` entries for an encoder config `cfg`
        (`architectures` and `model_type` are added)."""
        raise NotImplementedError

    def check_encoder(self, cfg):
        """Raises if an encoder config has no HuggingFace equivalent."""

    # Shared helpers for BERT-style configs.

    def bert_style_kwargs(self, config):
        """The arguments every BERT-style encoder takes, from `config`."""
        act = config.get(self.activation_key, self.activation_default)
        return dict(
            vocab_size=config["vocab_size"],
            hidden_size=config["hidden_size"],
            num_layers=config["num_hidden_layers"],
            num_attention_heads=config["num_attention_heads"],
            max_sequence_length=config.get("max_position_embeddings", 512),
            type_vocab_size=config.get("type_vocab_size", 2),
            inner_dim=config["intermediate_size"],
            inner_activation=HF_ACTIVATIONS[act],
            output_dropout=float(
                config.get("hidden_dropout_prob", self.fractions["hidden_dropout_prob"])
            ),
            attention_dropout=float(
                config.get(
                    "attention_probs_dropout_prob",
                    self.fractions["attention_probs_dropout_prob"],
                )
            ),
            norm_epsilon=float(
                config.get("layer_norm_eps", self.fractions["layer_norm_eps"])
            ),
        )

    @staticmethod
    def bert_style_config(cfg, hidden_act):
        """The `config.json` entries every BERT-style family writes."""
        return {
            "vocab_size": cfg["vocab_size"],
            "hidden_size": cfg["hidden_size"],
            "num_hidden_layers": cfg["num_layers"],
            "num_attention_heads": cfg["num_attention_heads"],
            "intermediate_size": cfg["inner_dim"],
            "hidden_act": hidden_act,
            "hidden_dropout_prob": cfg["output_dropout"],
            "attention_probs_dropout_prob": cfg["attention_dropout"],
            "max_position_embeddings": cfg["max_sequence_length"],
            "type_vocab_size": cfg["type_vocab_size"],
            "layer_norm_eps": cfg["norm_epsilon"],
            "position_embedding_type": "absolute",
            "initializer_range": 0.02,
            "pad_token_id": 0,
        }

    # The skeleton.

    def check_config(self, path, config):
        """Raises a `ValueError` naming `path` unless `config` describes a
        model of this family that the encoder can be built for."""
        family, article = self.family, _article(self.family)
        if self.absolute_positions and (
            config.get("position_embedding_type", "absolute") != "absolute"
        ):
            raise ValueError(
                f"{path}: position_embedding_type="
                f"{config['position_embedding_type']!r} is not supported; "
                f"{self.backbone_cls.__name__} uses absolute position embeddings."
            )
        act = config.get(self.activation_key, self.activation_default)
        if act not in HF_ACTIVATIONS:
            raise ValueError(
                f"{path}: {self.activation_key}={act!r} is not supported. "
                f"Supported: {sorted(HF_ACTIVATIONS)}."
            )
        missing = [k for k in self.required if k not in config]
        if missing:
            raise ValueError(
                f"{path} lacks the entries {missing}, which {article} {family} "
                "config needs."
            )
        for key in tuple(self.required) + tuple(self.positive):
            value = config.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"{path}: {key}={value!r} must be a positive int. The file "
                    f"is corrupt or not {article} {family} config."
                )
        for key, default in self.fractions.items():
            value = config.get(key, default)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value < 1
                or (key == "layer_norm_eps" and value <= 0)
            ):
                raise ValueError(
                    f"{path}: {key}={value!r} must be a number in [0, 1). The "
                    f"file is corrupt or not {article} {family} config."
                )
        hidden, heads = self.heads
        if config[hidden] % config[heads]:
            raise ValueError(
                f"{path}: {hidden}={config[hidden]} is not divisible by "
                f"{heads}={config[heads]}."
            )

    def _absent_parts(self, names):
        return [
            part
            for part in self.optional_parts
            if not any(name.startswith(part) for name in names)
        ]

    def from_huggingface(self, directory, config, encoder_overrides):
        """The family's encoder with the weights of the checkpoint in
        `directory` (whose `config.json` holds `config`)."""
        path = os.path.join(directory, CONFIG_FILE)
        self.check_config(path, config)
        kwargs = self.encoder_kwargs(path, config)
        huggingface.check_overrides(encoder_overrides, self.shape_args)
        kwargs.update(encoder_overrides)
        what = (
            f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
            f"({self.family} with hidden_size={kwargs['hidden_size']}, num_layers="
            f"{kwargs['num_layers']}, vocab_size={kwargs['vocab_size']})"
        )
        # Shapes first, from the file headers: a config that does not fit
        # the weights (or a corrupt file) fails here, before anything is
        # allocated.
        shapes = huggingface.strip_prefix(
            huggingface.read_checkpoint_shapes(directory), self.prefix
        )
        absent = self._absent_parts(shapes)

        def kept(entries):
            return [e for e in entries if not e[0][0].startswith(tuple(absent))]

        problems = huggingface.shape_problems(
            shapes, kept(self.expected_shapes(kwargs))
        )
        if problems:
            raise ValueError(
                f"{what}: "
                + "; ".join(problems[:10])
                + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
                + ". Nothing was built."
            )
        tensors = huggingface.strip_prefix(
            huggingface.read_checkpoint_tensors(directory), self.prefix
        )
        encoder = self.backbone_cls(**kwargs)
        huggingface.assign_planned(tensors, kept(self.weight_plan(encoder)), what)
        for part in absent:
            warnings.warn(
                f"The checkpoint in {directory!r} has no {part.rstrip('.')} "
                f"weights; {self.optional_parts[part]}.",
                stacklevel=3,
            )
        return encoder

    def to_huggingface(self, encoder, directory):
        """Writes `encoder` as a HuggingFace checkpoint of the family
        (`config.json` and `model.safetensors`); returns `directory`."""
        import safetensors.numpy

        if not isinstance(encoder, self.backbone_cls):
            raise TypeError(
                f"to_huggingface expects a {self.backbone_cls.__name__}. "
                f"Received: {type(encoder).__name__}."
            )
        cfg = encoder.get_config()
        self.check_encoder(cfg)
        activation = activations.serialize_activation(cfg["inner_activation"])
        if activation not in OUR_ACTIVATIONS:
            raise ValueError(
                f"inner_activation={activation!r} has no HuggingFace equivalent. "
                f"Supported: {sorted(OUR_ACTIVATIONS)}."
            )
        os.makedirs(directory, exist_ok=True)
        tensors = {
            names[0]: np.ascontiguousarray(
                to_hf(np.asarray(variable.numpy(), dtype="float32"))
            )
            for names, _, variable, _, to_hf in self.weight_plan(encoder)
        }
        safetensors.numpy.save_file(
            tensors,
            os.path.join(directory, SAFETENSORS_FILE),
            metadata={"format": "pt"},
        )
        hf_config = {
            "architectures": [self.architecture],
            "model_type": self.model_type,
            **self.hf_config(cfg, OUR_ACTIVATIONS[activation]),
        }
        with open(os.path.join(directory, CONFIG_FILE), "w") as f:
            json.dump(hf_config, f, indent=2, sort_keys=True)
        return directory
