# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named DistilBERT presets: names -> the HuggingFace hub checkpoints
published by the DistilBERT authors, converted once (see
`keras_nlp.src.models.hub_presets`)."""

from keras_nlp.src.models.hub_presets import HubPresets

# name -> (source, description).
_TABLE = {
    "distil_bert_base_en_uncased": (
        "hf://distilbert/distilbert-base-uncased",
        "6 layers, hidden size 768, 12 heads; lower-cased English (66M "
        "parameters), distilled from bert_base_en_uncased.",
    ),
    "distil_bert_base_en": (
        "hf://distilbert/distilbert-base-cased",
        "6 layers, hidden size 768, 12 heads; cased English (65M), distilled "
        "from bert_base_en.",
    ),
    "distil_bert_base_multi": (
        "hf://distilbert/distilbert-base-multilingual-cased",
        "6 layers, hidden size 768, 12 heads; cased, 104 languages (134M), "
        "distilled from bert_base_multi.",
    ),
}

HUB_PRESETS = HubPresets("distil_bert", "DistilBERT", _TABLE)
DISTIL_BERT_PRESETS = HUB_PRESETS.presets
