# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named BERT presets: names -> HuggingFace hub checkpoints, converted once.

`BertClassifier.from_preset("bert_base_en_uncased", num_classes=2)` looks
the name up here, downloads the checkpoint through
`keras_core.presets.resolve_file` (huggingface_hub's cache, `HF_ENDPOINT`,
`HF_TOKEN`, `HF_HUB_OFFLINE`), converts it with `keras_nlp.convert` and
saves the result as two presets (encoder, tokenizer) in
`$KERAS_HOME/presets/hf/<org>--<name>/<commit>/keras_nlp_bert/`, which later
loads read directly (verified like any preset). `hf://<org>/<name>` sources
work the same way for any BERT checkpoint, and hub repositories holding our
own preset format (a `metadata.json`) are loaded as presets. Offline, a local
folder holding a HuggingFace BERT checkpoint (`config.json`, weights,
`vocab.txt`) is converted the same way.
"""

import os
import types

from keras_core import presets as core_presets

# name -> (source, description). The checkpoints Google published on the hub.
_TABLE = {
    "bert_tiny_en_uncased": (
        "hf://google/bert_uncased_L-2_H-128_A-2",
        "2 layers, hidden size 128, 4 heads; lower-cased English (4.4M parameters).",
    ),
    "bert_small_en_uncased": (
        "hf://google/bert_uncased_L-4_H-512_A-8",
        "4 layers, hidden size 512, 8 heads; lower-cased English (28.8M).",
    ),
    "bert_medium_en_uncased": (
        "hf://google/bert_uncased_L-8_H-512_A-8",
        "8 layers, hidden size 512, 8 heads; lower-cased English (41.4M).",
    ),
    "bert_base_en_uncased": (
        "hf://google-bert/bert-base-uncased",
        "12 layers, hidden size 768, 12 heads; lower-cased English (110M).",
    ),
    "bert_base_en": (
        "hf://google-bert/bert-base-cased",
        "12 layers, hidden size 768, 12 heads; cased English (108M).",
    ),
    "bert_large_en_uncased": (
        "hf://google-bert/bert-large-uncased",
        "24 layers, hidden size 1024, 16 heads; lower-cased English (335M).",
    ),
    "bert_large_en": (
        "hf://google-bert/bert-large-cased",
        "24 layers, hidden size 1024, 16 heads; cased English (333M).",
    ),
    "bert_base_multi": (
        "hf://google-bert/bert-base-multilingual-cased",
        "12 layers, hidden size 768; cased, 104 languages (178M).",
    ),
    "bert_base_zh": (
        "hf://google-bert/bert-base-chinese",
        "12 layers, hidden size 768; Chinese (102M).",
    ),
}

BERT_PRESETS = types.MappingProxyType(
    {
        name: types.MappingProxyType({"source": source, "description": description})
        for name, (source, description) in _TABLE.items()
    }
)

_CONVERTED = "keras_nlp_bert"
_HF_FILES = ("config.json", "vocab.txt")
_OPTIONAL = ("tokenizer_config.json",)


def source_of(name_or_source):
    """Maps a preset name to its source; other strings pass unchanged."""
    if isinstance(name_or_source, os.PathLike):
        return os.fspath(name_or_source)
    if not isinstance(name_or_source, str):
        raise TypeError(
            "A preset is a name such as 'bert_base_en_uncased', a local "
            "directory or 'hf://<org>/<name>[@<revision>]'. Received: "
            f"{name_or_source!r} of type {type(name_or_source).__name__}."
        )
    if name_or_source in BERT_PRESETS:
        return BERT_PRESETS[name_or_source]["source"]
    if (
        "/" not in name_or_source
        and os.sep not in name_or_source
        and not os.path.exists(name_or_source)
        and name_or_source.startswith("bert_")
    ):
        raise ValueError(
            f"Unknown BERT preset {name_or_source!r}. Known presets: "
            f"{', '.join(BERT_PRESETS)}; or pass a local preset directory or "
            "'hf://<org>/<name>'."
        )
    return name_or_source


def load(name_or_source, load_weights=True):
    """Resolves a BERT preset name or source.

    Returns either `("preset", source)` for `keras_core.presets.from_preset`
    (a local preset or a hub repository holding one), or
    `("converted", encoder, tokenizer)` for a HuggingFace BERT checkpoint.
    """
    source = source_of(name_or_source)
    if not source.startswith("hf://"):
        local = os.path.expanduser(source)
        if (
            "://" not in source
            and os.path.isfile(os.path.join(local, "config.json"))
            and not os.path.isfile(os.path.join(local, "metadata.json"))
        ):
            # A HuggingFace checkpoint folder (e.g. from `hf download ...
            # --local-dir`): converted in memory, nothing is written.
            from keras_nlp.src.convert import huggingface

            encoder = huggingface.from_huggingface(local)
            if not load_weights:
                encoder = type(encoder).from_config(encoder.get_config())
            return ("converted", encoder, huggingface.tokenizer_from_huggingface(local))
        return ("preset", source)
    if core_presets.resolve_file(source, "metadata.json", missing_ok=True):
        return ("preset", source)
    encoder_dir, tokenizer_dir = _converted(source)
    encoder = core_presets.from_preset(encoder_dir, load_weights=load_weights)
    tokenizer = core_presets.from_preset(tokenizer_dir)
    return ("converted", encoder, tokenizer)


def _converted(source):
    from keras_nlp.src.convert import huggingface

    config = core_presets.resolve_file(source, "config.json")
    snapshot = os.path.dirname(config)
    commit = os.path.basename(snapshot)
    repo = source[len("hf://") :].split("@")[0]
    root = os.path.join(
        os.path.expanduser(os.environ.get("KERAS_HOME") or "~/.keras"),
        "presets",
        "hf",
        repo.replace("/", "--"),
        commit,
        _CONVERTED,
    )
    encoder_dir = os.path.join(root, "encoder")
    tokenizer_dir = os.path.join(root, "tokenizer")
    if os.path.isdir(encoder_dir) and os.path.isdir(tokenizer_dir):
        return encoder_dir, tokenizer_dir
    pinned = f"hf://{repo}@{commit}"
    for name in _HF_FILES[1:]:
        core_presets.resolve_file(pinned, name)
    for name in _OPTIONAL:
        core_presets.resolve_file(pinned, name, missing_ok=True)
    # safetensors when the repository has it; a PyTorch pickle only if not
    # (read by keras_nlp.convert's restricted unpickler, never executed).
    if core_presets.resolve_file(pinned, "model.safetensors", missing_ok=True) is None:
        if (
            core_presets.resolve_file(pinned, "pytorch_model.bin", missing_ok=True)
            is None
        ):
            raise ValueError(
                f"{source} has neither model.safetensors nor pytorch_model.bin, "
                "so it is not a BERT checkpoint keras_nlp can convert."
            )
    encoder = huggingface.from_huggingface(snapshot)
    tokenizer = huggingface.tokenizer_from_huggingface(snapshot)
    if not os.path.isdir(encoder_dir):
        core_presets.save_to_preset(encoder, encoder_dir)
    if not os.path.isdir(tokenizer_dir):
        core_presets.save_to_preset(tokenizer, tokenizer_dir)
    return encoder_dir, tokenizer_dir


def build_task(
    cls,
    source,
    encoder,
    tokenizer,
    preprocessor_cls,
    default_length,
    overrides,
    task_arguments,
    required=(),
    preprocessor_arguments=(),
):
    """A new task `cls` on a converted checkpoint's encoder and tokenizer.

    `overrides` may hold `sequence_length` (of the preprocessor; default
    `default_length`, at most the checkpoint's `max_sequence_length`), the
    other `preprocessor_arguments` and the task's own `task_arguments`;
    entries in `required` must be present.
    """
    missing = [name for name in required if overrides.get(name) is None]
    if missing:
        raise ValueError(
            f"{source!r} is a pretrained BERT checkpoint; pass "
            f"{', '.join(f'`{name}`' for name in missing)} to put a new "
            f"{cls.__name__} head on it."
        )
    allowed = {"sequence_length", *task_arguments, *preprocessor_arguments}
    unknown = sorted(set(overrides) - allowed)
    if unknown:
        raise ValueError(
            f"Cannot override {', '.join(unknown)} when building a "
            f"{cls.__name__} on the checkpoint {source!r}; the supported "
            f"entries are {', '.join(f'`{name}`' for name in sorted(allowed))}."
        )
    longest = encoder.get_config()["max_sequence_length"]
    length = overrides.get("sequence_length", min(default_length, longest))
    if length > longest:
        raise ValueError(
            f"sequence_length={length} is longer than the checkpoint {source!r} "
            f"supports (max_sequence_length={longest}). Pass sequence_length "
            f"<= {longest}."
        )
    preprocessor = preprocessor_cls(
        tokenizer,
        sequence_length=length,
        **{k: v for k, v in overrides.items() if k in preprocessor_arguments},
    )
    arguments = {k: v for k, v in overrides.items() if k in task_arguments}
    return cls(encoder, preprocessor=preprocessor, **arguments)
