# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named BERT presets: names -> the HuggingFace hub checkpoints Google
published, converted once (see `keras_nlp.src.models.hub_presets`)."""

from keras_nlp.src.models.hub_presets import HubPresets

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

HUB_PRESETS = HubPresets("bert", "BERT", _TABLE)
BERT_PRESETS = HUB_PRESETS.presets
