# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Named ELECTRA presets: names -> the discriminator checkpoints Google
published on the HuggingFace hub, converted once (see
`keras_nlp.src.models.hub_presets`)."""

from keras_nlp.src.models.hub_presets import HubPresets

# name -> (source, description).
_TABLE = {
    "electra_small_discriminator_en_uncased": (
        "hf://google/electra-small-discriminator",
        "12 layers, hidden size 256, embeddings 128, 4 heads; lower-cased "
        "English (14M parameters).",
    ),
    "electra_base_discriminator_en_uncased": (
        "hf://google/electra-base-discriminator",
        "12 layers, hidden size 768, 12 heads; lower-cased English (110M).",
    ),
    "electra_large_discriminator_en_uncased": (
        "hf://google/electra-large-discriminator",
        "24 layers, hidden size 1024, 16 heads; lower-cased English (335M).",
    ),
}

HUB_PRESETS = HubPresets("electra", "ELECTRA", _TABLE)
ELECTRA_PRESETS = HUB_PRESETS.presets
