# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named XLM-RoBERTa presets: names -> the HuggingFace hub checkpoints
published by its authors, converted once (see
`keras_nlp.src.models.hub_presets`)."""

from keras_nlp.src.models.hub_presets import HubPresets

# name -> (source, description).
_TABLE = {
    "xlm_roberta_base_multi": (
        "hf://FacebookAI/xlm-roberta-base",
        "12 layers, hidden size 768, 12 heads; 100 languages (279M "
        "parameters), SentencePiece vocabulary of 250,002 tokens.",
    ),
    "xlm_roberta_large_multi": (
        "hf://FacebookAI/xlm-roberta-large",
        "24 layers, hidden size 1024, 16 heads; 100 languages (561M).",
    ),
}

HUB_PRESETS = HubPresets(
    "xlm_roberta",
    "XLM-RoBERTa",
    _TABLE,
    tokenizer_files=("sentencepiece.bpe.model",),
    optional_files=("tokenizer_config.json",),
)
XLM_ROBERTA_PRESETS = HUB_PRESETS.presets
