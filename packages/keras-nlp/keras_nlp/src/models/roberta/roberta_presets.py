# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named RoBERTa presets: names -> the HuggingFace hub checkpoints published
by the RoBERTa authors, converted once (see
`keras_nlp.src.models.hub_presets`)."""

from keras_nlp.src.models.hub_presets import HubPresets

# name -> (source, description).
_TABLE = {
    "roberta_base_en": (
        "hf://FacebookAI/roberta-base",
        "12 layers, hidden size 768, 12 heads; cased English (125M "
        "parameters), byte-level BPE.",
    ),
    "roberta_large_en": (
        "hf://FacebookAI/roberta-large",
        "24 layers, hidden size 1024, 16 heads; cased English (355M).",
    ),
    "distil_roberta_base_en": (
        "hf://distilbert/distilroberta-base",
        "6 layers, hidden size 768, 12 heads; cased English (82M), distilled "
        "from roberta_base_en.",
    ),
}

HUB_PRESETS = HubPresets(
    "roberta",
    "RoBERTa",
    _TABLE,
    tokenizer_files=("vocab.json", "merges.txt"),
    optional_files=("tokenizer_config.json", "tokenizer.json"),
)
ROBERTA_PRESETS = HUB_PRESETS.presets
