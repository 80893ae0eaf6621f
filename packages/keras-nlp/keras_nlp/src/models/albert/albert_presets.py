# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named ALBERT presets: names -> the v2 checkpoints on the HuggingFace hub,
converted once (see `keras_nlp.src.models.hub_presets`)."""

from keras_nlp.src.models.hub_presets import HubPresets

# The SentencePiece model of HuggingFace ALBERT checkpoints.
SPIECE_FILE = "spiece.model"

# name -> (source, description).
_TABLE = {
    "albert_base_en_uncased": (
        "hf://albert/albert-base-v2",
        "12 layers sharing one, hidden size 768, embeddings 128, 12 heads; "
        "lower-cased English (11M parameters).",
    ),
    "albert_large_en_uncased": (
        "hf://albert/albert-large-v2",
        "24 layers sharing one, hidden size 1024, embeddings 128, 16 heads; "
        "lower-cased English (17M).",
    ),
    "albert_xlarge_en_uncased": (
        "hf://albert/albert-xlarge-v2",
        "24 layers sharing one, hidden size 2048, embeddings 128, 16 heads; "
        "lower-cased English (58M).",
    ),
    "albert_xxlarge_en_uncased": (
        "hf://albert/albert-xxlarge-v2",
        "12 layers sharing one, hidden size 4096, embeddings 128, 64 heads; "
        "lower-cased English (223M).",
    ),
}


HUB_PRESETS = HubPresets(
    "albert",
    "ALBERT",
    _TABLE,
    tokenizer_files=(SPIECE_FILE,),
)
ALBERT_PRESETS = HUB_PRESETS.presets
