# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RoBERTa checkpoints in the HuggingFace layout (`model_type` "roberta")
<-> `RobertaEncoder`, its tokenizer files, and the weights of its task
heads. Registered with `keras_nlp.src.convert.huggingface`."""

import json
import os

from keras_nlp.src.convert import huggingface
from keras_nlp.src.convert import weight_plan as wp
from keras_nlp.src.convert.family_converter import BERT_STYLE_REQUIRED
from keras_nlp.src.convert.family_converter import FamilyConverter
from keras_nlp.src.models.roberta.roberta_encoder import RobertaEncoder

VOCABULARY_FILE = "vocab.json"
MERGES_FILE = "merges.txt"
TOKENIZER_FILE = "tokenizer.json"


class RobertaConverter(FamilyConverter):
    model_type = "roberta"
    family = "RoBERTa"
    architecture = "RobertaModel"
    backbone_cls = RobertaEncoder
    prefix = "roberta."
    required = BERT_STYLE_REQUIRED + ("max_position_embeddings",)
    positive = ("type_vocab_size",)

    def encoder_kwargs(self, path, config):
        pad = config.get("pad_token_id", 1)
        if isinstance(pad, bool) or not isinstance(pad, int) or pad < 0:
            raise ValueError(
                f"{path}: pad_token_id={pad!r} must be an int >= 0 (RoBERTa's is 1)."
            )
        longest = config["max_position_embeddings"] - pad - 1
        if longest < 1:
            raise ValueError(
                f"{path}: max_position_embeddings="
                f"{config['max_position_embeddings']} leaves no position after "
                f"the padding index {pad}: {self.family} numbers positions from "
                "pad_token_id + 1."
            )
        kwargs = self.bert_style_kwargs(config)
        kwargs.update(
            max_sequence_length=longest,
            type_vocab_size=config.get("type_vocab_size", 1),
            padding_id=pad,
        )
        return kwargs

    def expected_shapes(self, kwargs):
        positions = kwargs["max_sequence_length"] + kwargs["padding_id"] + 1
        return wp.embedding_shapes(
            kwargs["vocab_size"],
            positions,
            kwargs["type_vocab_size"],
            kwargs["hidden_size"],
        ) + wp.encoder_layer_shapes(kwargs, "encoder.layer")

    def weight_plan(self, encoder):
        hidden = encoder.get_config()["hidden_size"]
        return wp.embeddings(encoder, hidden) + wp.encoder_layers(
            encoder, "encoder.layer"
        )

    def hf_config(self, cfg, hidden_act):
        return {
            **self.bert_style_config(cfg, hidden_act),
            "max_position_embeddings": cfg["max_sequence_length"]
            + cfg["padding_id"]
            + 1,
            "pad_token_id": cfg["padding_id"],
            "bos_token_id": 0,
            "eos_token_id": 2,
        }

    def tokenizer_from_huggingface(self, directory, sequence_length=None):
        return tokenizer_from_huggingface(directory, sequence_length=sequence_length)


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


converter = RobertaConverter()
huggingface.register_converter(converter.model_type, converter)
