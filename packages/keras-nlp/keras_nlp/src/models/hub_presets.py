# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named presets of a model family: names -> HuggingFace hub checkpoints,
converted once.

`BertClassifier.from_preset("bert_base_en_uncased", num_classes=2)` looks
the name up in the family's table, downloads the checkpoint through
`keras_core.presets.resolve_file` (huggingface_hub's cache, `HF_ENDPOINT`,
`HF_TOKEN`, `HF_HUB_OFFLINE`), converts it with `keras_nlp.convert` (which
dispatches on the checkpoint's `model_type`) and saves the result as two
presets (encoder, tokenizer) in
`$KERAS_HOME/presets/hf/<org>--<name>/<commit>/keras_nlp_<family>/`, which
later loads read directly (verified like any preset). `hf://<org>/<name>`
sources work the same way for any checkpoint of the family, and hub
repositories holding our own preset format (a `metadata.json`) are loaded
as presets. Offline, a local folder holding a HuggingFace checkpoint
(`config.json`, weights, the tokenizer's files) is converted the same way.
"""

import os
import types

from keras_core import presets as core_presets

_HF_FILES = ("config.json", "vocab.txt")
_OPTIONAL = ("tokenizer_config.json",)


class HubPresets:
    """The named presets of one family and their resolution.

    Args:
        family: str. The family's folder name (`"bert"`, `"distil_bert"`);
            named presets start with it and converted checkpoints are
            cached under `keras_nlp_<family>/`.
        display_name: str. The family's name in messages (`"BERT"`).
        table: dict `name -> (source, description)`.
        tokenizer_files: the files the family's tokenizer is read from
            (downloaded with the checkpoint). Defaults to `("vocab.txt",)`.
        optional_files: files downloaded when the repository has them.
            Defaults to `("tokenizer_config.json",)`.

    The tokenizer is built by `keras_nlp.convert.tokenizer_from_huggingface`,
    which picks the family's tokenizer from the checkpoint's `model_type`.
    """

    def __init__(
        self,
        family,
        display_name,
        table,
        tokenizer_files=_HF_FILES[1:],
        optional_files=_OPTIONAL,
    ):
        self.family = family
        self.display_name = display_name
        self.tokenizer_files = tuple(tokenizer_files)
        self.optional_files = tuple(optional_files)
        self.presets = types.MappingProxyType(
            {
                name: types.MappingProxyType(
                    {"source": source, "description": description}
                )
                for name, (source, description) in table.items()
            }
        )

    def source_of(self, name_or_source):
        """Maps a preset name to its source; other strings pass unchanged."""
        if isinstance(name_or_source, os.PathLike):
            return os.fspath(name_or_source)
        example = next(iter(self.presets), f"{self.family}_base_en")
        if not isinstance(name_or_source, str):
            raise TypeError(
                f"A preset is a name such as {example!r}, a local "
                "directory or 'hf://<org>/<name>[@<revision>]'. Received: "
                f"{name_or_source!r} of type {type(name_or_source).__name__}."
            )
        if name_or_source in self.presets:
            return self.presets[name_or_source]["source"]
        if (
            "/" not in name_or_source
            and os.sep not in name_or_source
            and not os.path.exists(name_or_source)
            and name_or_source.startswith(self.family + "_")
        ):
            raise ValueError(
                f"Unknown {self.display_name} preset {name_or_source!r}. Known "
                f"presets: {', '.join(self.presets)}; or pass a local preset "
                "directory or 'hf://<org>/<name>'."
            )
        return name_or_source

    def load(self, name_or_source, load_weights=True):
        """Resolves a preset name or source.

        Returns either `("preset", source)` for
        `keras_core.presets.from_preset` (a local preset or a hub repository
        holding one), or `("converted", encoder, tokenizer)` for a
        HuggingFace checkpoint.
        """
        source = self.source_of(name_or_source)
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
                tokenizer = huggingface.tokenizer_from_huggingface(local)
                return ("converted", encoder, tokenizer)
            return ("preset", source)
        if core_presets.resolve_file(source, "metadata.json", missing_ok=True):
            return ("preset", source)
        encoder_dir, tokenizer_dir = self._converted(source)
        encoder = core_presets.from_preset(encoder_dir, load_weights=load_weights)
        tokenizer = core_presets.from_preset(tokenizer_dir)
        return ("converted", encoder, tokenizer)

    def _converted(self, source):
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
            f"keras_nlp_{self.family}",
        )
        encoder_dir = os.path.join(root, "encoder")
        tokenizer_dir = os.path.join(root, "tokenizer")
        if os.path.isdir(encoder_dir) and os.path.isdir(tokenizer_dir):
            return encoder_dir, tokenizer_dir
        pinned = f"hf://{repo}@{commit}"
        for name in self.tokenizer_files:
            core_presets.resolve_file(pinned, name)
        for name in self.optional_files:
            core_presets.resolve_file(pinned, name, missing_ok=True)
        # safetensors when the repository has it; a PyTorch pickle only if not
        # (read by keras_nlp.convert's restricted unpickler, never executed).
        if (
            core_presets.resolve_file(pinned, "model.safetensors", missing_ok=True)
            is None
        ):
            if (
                core_presets.resolve_file(pinned, "pytorch_model.bin", missing_ok=True)
                is None
            ):
                raise ValueError(
                    f"{source} has neither model.safetensors nor "
                    "pytorch_model.bin, so it is not a "
                    f"{self.display_name} checkpoint keras_nlp can convert."
                )
        encoder = huggingface.from_huggingface(snapshot)
        tokenizer = huggingface.tokenizer_from_huggingface(snapshot)
        if not os.path.isdir(encoder_dir):
            core_presets.save_to_preset(encoder, encoder_dir)
        if not os.path.isdir(tokenizer_dir):
            core_presets.save_to_preset(tokenizer, tokenizer_dir)
        return encoder_dir, tokenizer_dir
